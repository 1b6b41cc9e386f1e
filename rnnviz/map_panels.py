"""The outcome maps as plotly.js panels: where each choice of eta, or each start point, leads.

Parts, each with an id so an unchanged one is not sent again (as in live.py):
    one per map: a heatmap (final cost on a log scale, or iterations to the tolerance),
           with the cells whose run diverged drawn apart in grey, never coloured as a cost;
    marks: where the current settings lie on each map (changes with every slider move, so
           it is kept apart from the heavy heatmaps).
The browser (static/map_plot.js) draws the panels and reports clicks as (panel, x, y).
"""

import numpy as np

from rnnviz import palette
from rnnviz.batch import OUTCOMES
from rnnviz.parts import base_layout, finite_list, part_id
from rnnviz.surface_image import COLORSCALE
from rnnviz.ticks import decade_ticks

MAP_KINDS = {  # panel name: (title, x axis, y axis)
    "eta": ("Rprop's outcome for each (η+, η-)", "η<sub>+</sub> (eta_p)", "η<sub>-</sub> (eta_n)"),
    "basin": ("Outcome from each start point", "w<sub>x</sub> start", "w<sub>rec</sub> start"),
}


def _cells(values, decimals=2):
    """Rows of a 2-D array as lists for JSON, None where a cell is not drawn (NaN); a colour
    needs no more than two decimals (of a decade, or of an iteration count)."""
    return [
        [None if not np.isfinite(v) else round(float(v), decimals) for v in row] for row in values
    ]


COLOURS = OUTCOMES  # what a map's colour shows


def map_panel(name, outcome, colour="final cost"):
    """One map: the heatmap of outcome (an rnnviz.batch.OutcomeMap), coloured by colour (one
    of COLOURS)."""
    if colour not in COLOURS:
        raise ValueError(f"colour must be one of {', '.join(COLOURS)}; got {colour!r}")
    title, x_title, y_title = MAP_KINDS[name]
    diverged = outcome.diverged_at >= 0
    if colour == "final cost":
        with np.errstate(divide="ignore"):
            z = np.where(diverged, np.nan, np.log10(np.maximum(outcome.final_cost, 1e-300)))
        shown = z[np.isfinite(z)]
        # Runs on the edge of divergence end at costs of 10^300: the colours reach up to the
        # highest start cost, and runs that end worse than that share the brightest colour.
        with np.errstate(divide="ignore", invalid="ignore"):
            start = np.log10(outcome.start_cost[np.isfinite(outcome.start_cost)])
        lo, hi = (
            (float(np.floor(shown.min())), float(np.ceil(shown.max()))) if shown.size else (0, 1)
        )
        if start.size and np.isfinite(start).any():
            hi = min(hi, float(np.ceil(np.nanmax(start[np.isfinite(start)]))))
        hi = max(hi, lo + 1)
        ticks, labels = decade_ticks(lo, hi)
        if shown.size and shown.max() > hi:
            room = (hi - lo) / 10  # the top label needs room from the tick below it
            below = [k for k, tick in enumerate(ticks) if tick < hi - room]
            ticks = [ticks[k] for k in below] + [hi]
            labels = [labels[k] for k in below] + [f"≥10<sup>{hi:g}</sup>"]
        scale = dict(
            zmin=lo,
            zmax=hi,
            colorscale=COLORSCALE,
            colorbar=dict(
                title=dict(text="final cost", side="top"), tickvals=ticks, ticktext=labels
            ),
        )
        hover = "final cost 10<sup>%{z:.2f}</sup>"
    else:
        reached = outcome.iterations >= 0
        z = np.where(diverged | ~reached, np.nan, outcome.iterations.astype(float))
        scale = dict(  # few iterations dark, as a low cost is: dark is good on both maps
            colorscale=COLORSCALE,
            colorbar=dict(title=dict(text=f"iterations to {outcome.tolerance:g}", side="top")),
        )
        hover = f"reaches {outcome.tolerance:g} at iteration %{{z}}"
    x, y = finite_list(outcome.x, 6), finite_list(outcome.y, 6)
    traces = [
        dict(
            type="heatmap",
            uid=f"{name}-outcome",
            name="outcome",
            x=x,
            y=y,
            z=_cells(z),
            hoverongaps=False,
            hovertemplate=f"{x_title} %{{x:.3g}}, {y_title} %{{y:.3g}}<br>{hover}<extra></extra>",
            **scale,
        ),
        dict(  # diverged cells: grey, apart from every cost
            type="heatmap",
            uid=f"{name}-diverged",
            name="diverged",
            x=x,
            y=y,
            z=_cells(np.where(diverged, outcome.diverged_at, np.nan), 0),
            colorscale=[[0, palette.DIVERGED], [1, palette.DIVERGED]],
            showscale=False,
            hoverongaps=False,
            hovertemplate="diverged at iteration %{z}<extra></extra>",
        ),
    ]
    if colour == "iterations":
        never = ~diverged & (outcome.iterations < 0)
        traces.append(
            dict(  # finite but never reached the tolerance: pale, apart from the counts
                type="heatmap",
                uid=f"{name}-never",
                name=f"never reaches {outcome.tolerance:g}",
                x=x,
                y=y,
                z=_cells(np.where(never, 1.0, np.nan), 0),
                colorscale=[[0, palette.UNREACHED], [1, palette.UNREACHED]],
                showscale=False,
                hoverongaps=False,
                hovertemplate=f"never reaches {outcome.tolerance:g}<extra></extra>",
            )
        )
    layout = base_layout(
        xaxis=dict(title=dict(text=x_title), range=_edges(outcome.x)),
        yaxis=dict(title=dict(text=y_title), range=_edges(outcome.y)),
    )
    layout["margin"] = dict(l=55, r=10, t=10, b=45)
    counts = {
        "diverged": int(diverged.sum()),
        "cells": int(diverged.size),
        "side": f"{len(outcome.x)}x{len(outcome.y)}",
    }
    return {"name": name, "title": title, "traces": traces, "layout": layout, "counts": counts}


def _edges(centres):
    """The axis range that shows whole cells: half a cell beyond the first and last centre."""
    centres = np.asarray(centres, dtype=float)
    half = (centres[1] - centres[0]) / 2 if centres.size > 1 else 0.5
    return finite_list([centres[0] - half, centres[-1] + half], 6)


def panel_part(panel):
    """(id, value) of one map: sent when that map changes (an eta change leaves the eta map)."""
    return part_id(panel), panel


def marks_part(points):
    """(id, value) of the current settings on each map: {panel name: (x, y)}."""
    value = {
        name: dict(
            type="scatter",
            uid=f"{name}-current",
            name="current settings",
            x=finite_list([x]),
            y=finite_list([y]),
            mode="markers",
            marker=dict(symbol="circle-open", size=16, color=palette.CURRENT, line=dict(width=3)),
            hovertemplate="current (%{x:.3g}, %{y:.3g})<extra></extra>",
        )
        for name, (x, y) in points.items()
    }
    return part_id(value), value
