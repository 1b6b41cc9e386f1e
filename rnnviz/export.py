"""Exports a person can keep: the run as CSV, the animated figure as a self-contained HTML page."""

import csv
import io

import plotly.io as pio

CSV_COLUMNS = (
    "iteration",
    "w_x",
    "w_rec",
    "cost",
    "dE/dw_x",
    "dE/dw_rec",
    "step_size_x",
    "step_size_rec",
    "sign_flip_x",
    "sign_flip_rec",
)


def trajectory_csv(run):
    """One row per iterate; step sizes and sign flips belong to the update leaving that iterate."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for i, (w, cost, g) in enumerate(zip(run.weights, run.costs, run.gradients, strict=True)):
        leaving = i < len(run.sign_flips)
        steps = run.step_sizes[i] if run.step_sizes is not None and leaving else ("", "")
        flips = [int(f) for f in run.sign_flips[i]] if leaving else ("", "")
        writer.writerow([i, *(repr(float(v)) for v in (*w, cost, *g)), *steps, *flips])
    return out.getvalue()


def figure_html(fig, title="rnnviz"):
    """A standalone page that plays the animation offline (plotly.js is inside the file)."""
    return pio.to_html(
        fig.to_dict(),
        include_plotlyjs=True,
        full_html=True,
        auto_play=False,
        validate=False,
        default_width="100%",
        default_height=fig.layout.height or 730,
    ).replace("<head>", f"<head><title>{title}</title>", 1)
