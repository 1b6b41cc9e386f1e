"""The surface panel: the cost picture with its colour bar, the valley floor and the optimum
(the view); a run's path, its marks and its current iterate (the run)."""

import numpy as np

from rnnviz import palette
from rnnviz.parts import axis, base_layout, encode, finite_list
from rnnviz.surface_image import COLORSCALE, decade_ticks

STEP_DECADES = 8  # the step-length colour bar's depth at most
HOVER_DIGITS = 4


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
                colorbar=dict(
                    title=dict(text="cost", side="top"),
                    tickvals=ticks,
                    ticktext=labels,
                    x=1.02,
                    xanchor="left",
                    y=1.0,
                    yanchor="top",
                    len=0.55,
                    thickness=12,
                ),
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


def run(run, lengths, ranges=None, trail=False, present=False):
    """(traces, moving, extra series) of one run on the surface: the current iterate moves
    first; with trail, the path, its flips and its end star follow the animation."""
    count = len(run.weights)
    step_lo, step_hi = step_range(lengths)
    step_ticks, step_labels = decade_ticks(step_lo, step_hi)
    flips = np.nonzero(run.sign_flips.any(axis=1))[0]
    surface = [
        dict(
            type="scatter",
            uid="path",
            name=f"{run.optimizer} path",
            x={"series": "w_x"},
            y={"series": "w_rec"},
            customdata={"series": "cost"},
            mode="lines+markers",
            line=dict(color=palette.MAIN_PATH, width=3)
            if present
            else dict(color=palette.MAIN_PATH_FAINT),
            marker=dict(
                size=8 if present else 5,
                color={"series": "step_length", "raw": True},
                cmin=step_lo,
                cmax=step_hi,
                colorscale=palette.STEP_COLORSCALE,
                showscale=True,
                colorbar=dict(
                    title=dict(text="step length", side="top"),
                    x=1.02,
                    xanchor="left",
                    y=0.0,
                    yanchor="bottom",
                    len=0.38,
                    thickness=10,
                    tickvals=step_ticks,
                    ticktext=step_labels,
                ),
            ),
            hovertemplate="iteration %{pointNumber}<br>cost %{customdata:.4g}<extra>path</extra>",
        ),
        dict(
            type="scatter",
            uid="sign-flips",
            name="gradient sign flip",
            x=finite_list(run.weights[flips, 0]),
            y=finite_list(run.weights[flips, 1]),
            mode="markers",
            marker=dict(symbol="x-thin", size=7, line=dict(width=1.5, color=palette.ALERT)),
            hoverinfo="skip",
        ),
        point("start", run.weights[0], dict(symbol="diamond", size=11, color=palette.MAIN_PATH)),
        point("end", run.weights[-1], dict(symbol="star", size=16, color=palette.END)),
        *left_the_view(run.weights, ranges),
        dict(
            type="scatter",
            uid="current-iterate",
            name="current iterate",
            mode="markers",
            showlegend=False,
            # a shape and a colour that nothing else on the surface has
            marker=dict(
                symbol="hexagram",
                size=26 if present else 18,
                color=palette.CURRENT,
                line=dict(width=1.5, color=palette.MAIN_LINE),
            ),
            hovertemplate="current: (%{x:.4f}, %{y:.4f})<extra></extra>",
        ),
    ]
    moving = [{"panel": "surface", "trace": "current-iterate", "x": "w_x", "y": "w_rec"}]
    series = {}
    if trail:  # the path so far, its sign flips so far, and the end star once the run is there
        path, flips_trace, end = surface[0], surface[1], surface[3]
        for field in ("x", "y", "customdata"):
            path.pop(field)
        path["marker"].pop("color")
        for trace in (flips_trace, end):
            trace.pop("x")
            trace.pop("y")
        flipped = np.zeros(count)
        flipped[flips] = 1
        series["flipped"] = encode(flipped, "u1")
        moving += [
            {
                "panel": "surface",
                "trace": "path",
                "x": {"upto": "w_x"},
                "y": {"upto": "w_rec"},
                "customdata": {"upto": "cost"},
                "marker.color": {"upto": "step_length", "raw": True},
            },
            {
                "panel": "surface",
                "trace": "sign-flips",
                "x": {"upto": "w_x", "where": "flipped"},
                "y": {"upto": "w_rec", "where": "flipped"},
            },
            {
                "panel": "surface",
                "trace": "end",
                "x": {"at_last": "w_x"},
                "y": {"at_last": "w_rec"},
            },
        ]
    return surface, moving, series


def left_the_view(weights, ranges):
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
    angle = float(np.degrees(np.arctan2(d[0], d[1])))  # clockwise from up, as plotly turns
    return [
        dict(
            type="scatter",
            uid="left-view",
            name="left the view",
            x=finite_list(at[:1]),
            y=finite_list(at[1:]),
            mode="markers+text",
            marker=dict(
                symbol="arrow", size=18, angle=angle, color=palette.ALERT, line=dict(width=1)
            ),
            text=[f"left at iteration {i}: step {step:.3g}"],
            # the label inside the plot: above a bottom edge, below a top one, toward the middle
            textposition=(
                ("top" if at[1] <= lo[1] else "bottom" if at[1] >= hi[1] else "middle")
                + (" right" if at[0] < (lo[0] + hi[0]) / 2 else " left")
            ),
            textfont=dict(color=palette.ALERT, size=12),
            hovertemplate=f"iteration {i} left the view: a step {step:.3g} long<extra></extra>",
        )
    ]


def point(name, w, marker):
    """One marked iterate of the path (the start, the end), hover giving its weights."""
    return dict(
        type="scatter",
        uid=name,
        name=name,
        x=finite_list(w[:1]),
        y=finite_list(w[1:]),
        mode="markers",
        marker=dict(marker, line=dict(width=1)),
        hovertemplate=f"{name} (%{{x:.4f}}, %{{y:.4f}})<extra></extra>",
    )
