"""The surface panel: the cost picture with its colour bar, the valley floor and the optimum
(the view); a run's path, its marks and its current iterate (the run)."""

import numpy as np

from rnnviz import palette
from rnnviz.parts import MAIN, axis, base_layout, encode, finite_list, label_px
from rnnviz.surface_image import COLORSCALE
from rnnviz.ticks import decade_ticks

STEP_DECADES = 8  # the step-length colour bar's depth at most
HOVER_DIGITS = 4
# px above the plot area: plotly.js's modebar (25 px, 2 px from the top) sits there, off the
# cost colour bar's title, which it covered whenever the pointer was on the surface (issue 17;
# static/mount.js gives the outcome maps the same room)
MODEBAR_ROOM = 34


def view(layer, valley, present=False):
    """The picture of the surface (layer: SurfaceLayer), the valley floor ((w_x*, w_rec) arrays
    or None) and the optimum: {"traces", "layout"}."""
    wx_lo, wx_hi, wrec_lo, wrec_hi = layer.ranges
    ticks, labels = decade_ticks(layer.log_lo, layer.log_hi)
    hover_text = [
        [f"{c:.{HOVER_DIGITS}g}" if np.isfinite(c) else "beyond float64" for c in row]
        for row in layer.hover_cost
    ]
    surface_traces = [
        dict(  # invisible: its hover gives the cost anywhere on the picture
            type="heatmap",
            uid="surface-hover",
            name="surface",
            x=finite_list(layer.hover_wx),
            y=finite_list(layer.hover_wrec),
            z=encode(np.zeros(layer.hover_cost.shape), "u1"),
            customdata=hover_text,
            opacity=0,
            showscale=False,
            showlegend=False,
            hovertemplate="w<sub>x</sub> %{x:.3f}<br>w<sub>rec</sub> %{y:.3f}<br>"
            "cost %{customdata}<extra></extra>",
        ),
        dict(  # carries the colour bar of the surface picture
            type="scatter",
            uid="cost-colour-bar",
            name="cost colour bar",
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker=dict(
                color=[layer.log_lo],
                cmin=layer.log_lo,
                cmax=layer.log_hi,
                colorscale=COLORSCALE,
                showscale=True,
                colorbar=colour_bar("cost", ticks, labels, top=True, length=0.55, thickness=12),
            ),
        ),
    ]
    if valley is not None:
        floor_wx, floor_wrec = valley
        inside = np.isfinite(floor_wx) & (floor_wx >= wx_lo) & (floor_wx <= wx_hi)
        floor_x = [
            float(f"{v:.6g}") if keep else None for v, keep in zip(floor_wx, inside, strict=True)
        ]
        surface_traces.append(
            dict(
                type="scatter",
                uid="valley-floor",
                name="valley floor w<sub>x</sub>*(w<sub>rec</sub>)",
                x=floor_x,  # None (a gap) where the floor leaves the view
                y=finite_list(floor_wrec),
                mode="lines",
                line=dict(color=palette.VALLEY, dash="dot", width=1.5),
                hovertemplate="valley floor<br>w<sub>x</sub>* %{x:.4f}<br>"
                "w<sub>rec</sub> %{y:.3f}<extra></extra>",
            )
        )
    surface_traces.append(
        dict(
            type="scatter",
            uid="optimum",
            name="optimum (1, 1)",
            x=[1.0],
            y=[1.0],
            mode="markers",
            # a wide white ring: it shows around the end star when a run ends on the optimum
            # an open symbol is drawn in marker.color (its line colour is ignored): white
            marker=dict(symbol="circle-open", size=24, color="white", line=dict(width=2.5)),
            hovertemplate="optimum (1, 1), cost 0<extra></extra>",
        )
    )
    surface_layout = base_layout(
        present,
        xaxis=axis(
            "w<sub>x</sub>",
            present,
            range=[wx_lo, wx_hi],
            showgrid=False,
            zeroline=False,
            constrain="domain",
        ),
        yaxis=axis(
            "w<sub>rec</sub>", present, range=[wrec_lo, wrec_hi], showgrid=False, zeroline=False
        ),
        images=[
            dict(
                source=layer.image,
                xref="x",
                yref="y",
                x=wx_lo,
                y=wrec_hi,
                sizex=wx_hi - wx_lo,
                sizey=wrec_hi - wrec_lo,
                sizing="stretch",
                layer="below",
            )
        ],
    )
    surface_layout["margin"] = dict(surface_layout["margin"], t=MODEBAR_ROOM)
    return {"traces": surface_traces, "layout": surface_layout}


def step_range(lengths):
    """(lo, hi): the decades of log10 step length the step colours span: the steps taken, at
    most STEP_DECADES deep (exact zeros, a run that lands on its optimum, and tinier steps
    share the palest colour)."""
    moved = lengths[lengths > 0]
    step_hi = float(np.ceil(np.log10(moved.max()))) if moved.size else 0.0
    step_lo = (
        max(float(np.floor(np.log10(moved.min()))), step_hi - STEP_DECADES) if moved.size else -1.0
    )
    return min(step_lo, step_hi - 1), step_hi


def run(run, lengths, ranges=None, trail=False, present=False, runner=MAIN):
    """(traces, moving, extra series) of one run on the surface: the current iterate moves
    first; with trail, the path, its flips and its end star follow the animation.

    The main run's path is white, its dots coloured by step length, its current iterate the
    cyan hexagram; a racer's (runner) is drawn in its own colour and marker shape, its marks
    named after it and kept out of the legend (the path's entry names it)."""
    count = len(run.weights)
    name = runner.name
    flips = np.nonzero(run.sign_flips.any(axis=1))[0]
    path = dict(
        type="scatter",
        uid=name("path"),
        name=f"{run.optimizer} path" if runner.main else runner.label,
        x={"series": name("w_x")},
        y={"series": name("w_rec")},
        customdata={"series": name("cost")},
        mode="lines+markers",
        hovertemplate="iteration %{pointNumber}<br>cost %{customdata:.4g}<extra>path</extra>",
    )
    if runner.main:
        path["line"] = (
            dict(color=palette.MAIN_PATH, width=3)
            if present
            else dict(color=palette.MAIN_PATH_FAINT)
        )
        path["marker"] = step_coloured_marker(lengths, present)
    else:
        path["line"] = dict(color=runner.colour, width=2)
        path["marker"] = dict(
            symbol=runner.marker, size=6, color=runner.colour, line=dict(width=0.5)
        )
    sign_flips = dict(
        type="scatter",
        uid=name("sign-flips"),
        name="gradient sign flip",
        x=finite_list(run.weights[flips, 0]),
        y=finite_list(run.weights[flips, 1]),
        mode="markers",
        marker=dict(symbol="x-thin", size=7, line=dict(width=1.5, color=palette.FLIP)),
        hoverinfo="skip",
    )
    ends = dict(color=palette.MAIN_PATH if runner.main else runner.colour)
    start = point("start", run.weights[0], dict(symbol="diamond", size=11, **ends), runner)
    ends = dict(color=palette.END if runner.main else runner.colour)
    end = point("end", run.weights[-1], dict(symbol="star", size=16, **ends), runner)
    current = dict(
        type="scatter",
        uid=name("current-iterate"),
        name="current iterate",
        mode="markers",
        showlegend=runner.main,  # the cyan hexagram has its key; a racer's, its path's entry
        # a shape and a colour that nothing else on the surface has
        marker=dict(
            symbol=runner.marker,
            size=26 if present else 18,
            color=palette.CURRENT,
            line=dict(width=1.5, color=palette.MAIN_LINE),
        )
        if runner.main
        else dict(
            symbol=runner.marker, size=16, color=runner.colour, line=dict(width=1.5, color="white")
        ),
        hovertemplate="current: (%{x:.4f}, %{y:.4f})<extra></extra>",
    )
    if not runner.main:
        sign_flips["showlegend"] = False
    surface = [
        path,
        sign_flips,
        start,
        end,
        *left_the_view(run.weights, ranges, runner, present),
        current,
    ]
    moving = [
        {"panel": "surface", "trace": name("current-iterate"), "x": name("w_x"), "y": name("w_rec")}
    ]
    series = {}
    if trail:  # the path so far, its sign flips so far, and the end star once the run is there
        for field in ("x", "y", "customdata"):
            path.pop(field)
        if runner.main:
            path["marker"].pop("color")
        for trace in (sign_flips, end):
            trace.pop("x")
            trace.pop("y")
        flipped = np.zeros(count)
        flipped[flips] = 1
        series[name("flipped")] = encode(flipped, "u1")
        drawn_path = {
            "panel": "surface",
            "trace": name("path"),
            "x": {"upto": name("w_x")},
            "y": {"upto": name("w_rec")},
            "customdata": {"upto": name("cost")},
        }
        if runner.main:  # a racer's dots keep its colour
            drawn_path["marker.color"] = {"upto": "step_length", "raw": True}
        moving += [
            drawn_path,
            {
                "panel": "surface",
                "trace": name("sign-flips"),
                "x": {"upto": name("w_x"), "where": name("flipped")},
                "y": {"upto": name("w_rec"), "where": name("flipped")},
            },
            {
                "panel": "surface",
                "trace": name("end"),
                "x": {"at_last": name("w_x")},
                "y": {"at_last": name("w_rec")},
            },
        ]
    return surface, moving, series


def step_coloured_marker(lengths, present):
    """The main path's dots, coloured by the length of the step leaving each, with a colour bar
    in decades of step length."""
    step_lo, step_hi = step_range(lengths)
    step_ticks, step_labels = decade_ticks(step_lo, step_hi)
    return dict(
        size=8 if present else 5,
        color={"series": "step_length", "raw": True},
        cmin=step_lo,
        cmax=step_hi,
        colorscale=palette.STEP_COLORSCALE,
        showscale=True,
        colorbar=colour_bar("step length", step_ticks, step_labels, top=False, length=0.38),
    )


def colour_bar(title, ticks, labels, top, length, thickness=10):
    """A colour bar right of the surface, at its top (the cost's) or bottom (the steps')."""
    return dict(
        title=dict(text=title, side="top"),
        tickvals=ticks,
        ticktext=labels,
        x=1.02,
        xanchor="left",
        y=1.0 if top else 0.0,
        yanchor="top" if top else "bottom",
        len=length,
        thickness=thickness,
    )


def left_the_view(weights, ranges, runner=MAIN, present=False):
    """An arrow where the path first leaves the view, labelled with the step that threw it.

    A path that leaves the axes (a diverging twin thrown off the wall) is shown leaving, at
    the edge it crosses and pointing the way it went, not simply gone. [] if it never leaves.
    """
    if ranges is None or len(weights) < 2:
        return []
    lo = np.array([ranges[0], ranges[2]])
    hi = np.array([ranges[1], ranges[3]])
    inside = np.all((weights >= lo) & (weights <= hi), axis=1)
    out = np.flatnonzero(~inside[1:] & inside[:-1])
    if out.size == 0:
        return []
    i = int(out[0]) + 1  # the first iterate outside, after one inside
    p, q = weights[i - 1], weights[i]
    d = q - p
    with np.errstate(divide="ignore", invalid="ignore"):
        # the fraction of the step at which each boundary is crossed; the first one counts
        t = np.concatenate([(lo - p) / d, (hi - p) / d])
    t = t[np.isfinite(t) & (t > 0)]
    at = p + d * (t.min() if t.size else 1.0)
    at = np.clip(at, lo, hi)
    step = float(np.hypot(*d))
    prefix = "" if runner.main else f"{runner.label}: "
    angle = float(np.degrees(np.arctan2(d[0], d[1])))  # clockwise from up, as plotly turns
    return [
        dict(
            type="scatter",
            uid=runner.name("left-view"),
            name="left the view",
            x=finite_list(at[:1]),
            y=finite_list(at[1:]),
            mode="markers+text",
            marker=dict(
                symbol="arrow", size=18, angle=angle, color=palette.ALERT, line=dict(width=1)
            ),
            text=[prefix + f"left at iteration {i}: step {step:.3g}"],
            # the label inside the plot: above a bottom edge, below a top one, toward the middle
            textposition=(
                ("top" if at[1] <= lo[1] else "bottom" if at[1] >= hi[1] else "middle")
                + (" right" if at[0] < (lo[0] + hi[0]) / 2 else " left")
            ),
            textfont=dict(color=palette.ALERT, size=label_px(present)),
            hovertemplate=f"iteration {i} left the view: a step {step:.3g} long<extra></extra>",
            **({} if runner.main else {"showlegend": False}),
        )
    ]


def point(name, w, marker, runner=MAIN):
    """One marked iterate of the path (the start, the end), hover giving its weights; a
    racer's is named after it and left out of the legend."""
    trace = dict(
        type="scatter",
        uid=runner.name(name),
        name=name if runner.main else f"{runner.label}: {name}",
        x=finite_list(w[:1]),
        y=finite_list(w[1:]),
        mode="markers",
        marker=dict(marker, line=dict(width=1)),
        hovertemplate=f"{name} (%{{x:.4f}}, %{{y:.4f}})<extra></extra>",
    )
    if not runner.main:
        trace["showlegend"] = False
    return trace
