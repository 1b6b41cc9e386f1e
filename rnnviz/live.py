"""What the browser's persistent plot needs: panels as plotly.js figures, runs as numbers.

The page sends two parts, each with an id so an unchanged part is not sent again:
    view: what depends on the data and the view (the surface picture, its colour bar, hover
          grid and valley floor; the probe points; the axes that do not move);
    run:  one trajectory as per-iterate arrays ("series"), the traces drawn from them, and how
          the animated traces and the readout take their values at iterate i.
The browser (static/live_plot.js) knows plotly.js, not RNNs: it builds the panels the view
lists, merges the parts into one figure per panel and, for iterate i, fills each moving trace
from row i of its series.

Each panel (rnnviz/panels: surface, gradient, run_chart) builds its own view and its layer of
a run, its animated traces named by uid; this module assembles them and the series they read
(the protocol itself is in rnnviz/parts.py).
"""

import numpy as np

from rnnviz.panels import gradient, run_chart, surface
from rnnviz.parts import MAIN, categories, decode, display, encode, finite_list, part_id
from rnnviz.train import step_lengths, weight_steps

# Each panel's box on the page, in order: its name (the page's CSS places .lp-<name>), its
# title, and the texts of the run part it shows under the title, filled at each iterate (a
# template, or a list of them, one a line). The browser builds the boxes from this list, so a
# new panel needs Python and CSS only.
PANEL_BOXES = (
    {"name": "surface", "title": "Cost surface (colour: log₁₀ cost) and the path", "texts": []},
    {
        "name": "gradient",
        "title": "Gradient through time at the current iterate",
        "texts": ["badge"],
    },
    {"name": "run", "title": "The run: cost and step sizes", "texts": ["readout"]},
)
PANELS = tuple(box["name"] for box in PANEL_BOXES)
HELP = (
    "Keys: Space plays and pauses · ← → one iteration (with Shift, ten) · Home, End · "
    "a click on the surface starts the run there (or drag the start: the run follows)"
)
__all__ = [
    "PANELS",
    "decode",
    "display",
    "encode",
    "finite_list",
    "part_id",
    "run_part",
    "view_part",
]


def view_part(layer, probes, valley, T, present=False, pointer=None, objective=None):
    """The parts of every panel that change only with the data or the view.

    layer: SurfaceLayer. probes: {label: (T+1,) signed dE/dS_k}. valley: (w_x*, w_rec) arrays
    or None. T: the sequence length. present: sized for a projector. pointer: (q, c) of
    rnnviz.final_state_gradient_polynomial, for dE/dS_k under the pointer on the surface.
    objective: rnnviz.browser_objective of the data, from which the browser trains a run
    itself while a knob moves (static/stepper.js, static/preview.js).
    """
    gradient_view, pointer_probe = gradient.view(probes, T, present, pointer)
    return {
        "panels": [dict(box) for box in PANEL_BOXES],
        "help": HELP,
        "clickable": ["surface"],  # a click there reports its point: the page starts runs there
        "pointer_probe": pointer_probe,
        "surface": surface.view(layer, valley, present),
        "gradient": gradient_view,
        "run": run_chart.view(present),
        "objective": objective,
    }


def run_part(
    run, through_time, probes=(), ranges=None, trail=False, present=False, runner=MAIN, advice=""
):
    """One trajectory as series, the traces drawn from them and what moves at iterate i.

    run: Trajectory. through_time: (k+1, T+1) signed dE/dS_k at each iterate, the geometric
    rows rnnviz.backpropagate makes (only their last column is sent; the browser forms the
    rest from w_rec, and the rows set the gradient axis here). probes: signed
    dE/dS_k of the probe points, which the gradient axis must also show. ranges: the
    surface's view, for the note on iterates outside it. trail: the path draws itself up to
    the current iterate and the end star appears when the run gets there. present: thick,
    opaque lines for a projector. runner: whose run this is (rnnviz.parts.Runner): a racer's
    series and traces are named and styled as its own, so race_part can join them. advice:
    what to try if the main run diverged, said with why it did (the one place a failure is
    said: the figure's notes, inside fullscreen too).
    """
    count = len(run.weights)
    if count == 0:
        return {
            "count": 0,
            "series": {},
            "panels": {},
            "moving": [],
            "readout": [],
            "notes": [],
            "diverged_at": run.diverged_at,
        }
    steps, step_name = weight_steps(run)
    lengths = step_lengths(run.weights)
    series = _series(run, through_time, steps, lengths, runner)
    surface_traces, surface_moving, trail_series = surface.run(
        run, lengths, ranges, trail, present, runner
    )
    series.update(trail_series)
    gradient_traces, gradient_moving, gradient_layout = gradient.run(
        through_time, probes, present, runner
    )
    run_traces, run_moving, run_layout = run_chart.run(run, steps, step_name, runner)
    # Trace uids become SVG ids in plotly.js (a colour bar's gradient fill): no spaces, or the
    # fill is black.
    return {
        "count": count,
        "optimizer": run.optimizer,
        "series": series,
        "panels": {
            "surface": {"traces": surface_traces},
            "gradient": {"traces": gradient_traces, "layout": gradient_layout},
            "run": {"traces": run_traces, "layout": run_layout},
        },
        # the current iterate first; the trail's traces (if any) after the other panels'
        "moving": surface_moving[:1] + gradient_moving + run_moving + surface_moving[1:],
        "readout": _readout(run, step_name, runner),
        "badge": "{growth}: \u00d7{abs_w_rec:.4g} per step back",  # 0.9997, not 1
        "notes": _notes(run, ranges, runner, advice),
        "diverged_at": run.diverged_at,
    }


def _readout(run, step_name, runner):
    """The readout's lines, templates filled from the series at iterate i: the main run's
    numbers, or a racer's one line (and where it diverged)."""
    if runner.main:
        return [
            "iteration {i} of {last} | cost {cost:.4g} | w = ({w_x:.4f}, {w_rec:.4f})",
            "gradient ({gradient_x:.3g}, {gradient_rec:.3g})"
            + (
                f" | {step_name} ({{step_x:.3g}}, {{step_rec:.3g}})" if len(run.weights) > 1 else ""
            ),
        ]
    cost, w_x, w_rec = (runner.name(name) for name in ("cost", "w_x", "w_rec"))
    line = f"{runner.label}: cost {{{cost}:.4g}} | w = ({{{w_x}:.4f}}, {{{w_rec}:.4f}})"
    if run.diverged_at is not None:
        line += f" | diverged at iteration {run.diverged_at}"
    return [line]


def _series(run, through_time, steps, lengths, runner=MAIN):
    """The per-iterate arrays every panel's moving traces and the readout read, by name."""
    drawn = np.isfinite(through_time) & (through_time != 0)
    # dE/dS_k = dE/dS_T w_rec^(T-k): the browser forms each row from dE/dS_T and w_rec, two
    # numbers per iterate instead of T+1 (at 2000 iterations and T = 200: 40 KB, not 2.7 MB)
    final = through_time[:, -1]
    final_drawn = drawn[:, -1]
    w_rec = run.weights[:, 1]
    series = {
        # where the path is: float64, exact; what is read off it: float32 where it fits
        "w_x": encode(run.weights[:, 0]),
        "w_rec": encode(w_rec),
        "cost": display(run.costs),
        "gradient_x": display(run.gradients[:, 0]),
        "gradient_rec": display(run.gradients[:, 1]),
        "step_x": display(steps[:, 0]),
        "step_rec": display(steps[:, 1]),
        "step_length": encode(np.maximum(lengths, 1e-300), "f4", log10=True),
        # |dE/dS_T| and its sign (0 where it is zero or beyond float64: nothing drawn)
        "final_gradient": encode(np.where(final_drawn, np.abs(final), 1.0), log10=True),
        "final_sign": encode(np.where(final_drawn, np.sign(final), 0), "i1"),
        # |w_rec| and its sign: the ratio of the rows, and the badge's factor per step back
        "abs_w_rec": encode(np.where(w_rec != 0, np.abs(w_rec), 1.0), log10=True),
        "w_rec_sign": encode(np.sign(w_rec), "i1"),
        "growth": categories([gradient.growth_kind(w) for w in w_rec]),
    }
    return {runner.name(name): value for name, value in series.items()}


def _notes(run, ranges, runner=MAIN, advice=""):
    """Plain words for what the surface cannot show: divergence (for the main run, why and what
    to try; a racer's readout line says the rest), iterates out of view."""
    notes = []
    if run.diverged_at is not None and runner.main:
        notes.append(f"{run.divergence_reason} {advice}".strip())
    elif run.diverged_at is not None:
        notes.append(
            f"Diverged at iteration {run.diverged_at}: the path ends at the last finite iterate."
        )
    if ranges is not None:
        wx_lo, wx_hi, wrec_lo, wrec_hi = ranges
        w_x, w_rec = run.weights[:, 0], run.weights[:, 1]
        outside = int(np.sum((w_x < wx_lo) | (w_x > wx_hi) | (w_rec < wrec_lo) | (w_rec > wrec_hi)))
        if outside:
            notes.append(f"{outside} of {len(run.weights)} iterates lie outside this view.")
    return notes
