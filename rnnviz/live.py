"""What the browser's persistent plot needs: panels as plotly.js figures, runs as numbers.

The page sends two parts, each with an id so an unchanged part is not sent again:
    view: what depends on the data and the view (the surface picture, its colour bar, hover
          grid and valley floor; the probe points; the axes that do not move);
    run:  one trajectory as per-iterate arrays ("series"), the traces drawn from them, and how
          the animated traces and the readout take their values at iterate i.
The browser (static/live_plot.js) knows plotly.js, not RNNs: it merges the parts into one
figure per panel and, for iterate i, fills each moving trace from row i of its series.

A series is {"dtype", "bdata", "shape"} (little-endian base64, as plotly.js itself reads
arrays), optionally with "log10": true (the browser takes 10**v) and "mask": the name of a
series whose zero entries mean "not drawn". Nothing sent is NaN or infinite: encode() refuses.
"""

import base64
import hashlib
import json

import numpy as np

from rnnviz.plots import growth_kind, log_axis_range, step_lengths, weight_steps
from rnnviz.surface_image import COLORSCALE, decade_ticks

PANELS = ("surface", "gradient", "run")
STEP_COLORSCALE = [[0.0, "#ffffff"], [0.5, "#ffb000"], [1.0, "#ff2d55"]]
SIGN_COLORSCALE = [[0.0, "#d62728"], [1.0, "#1f77b4"]]  # red: dE/dS_k < 0, blue: > 0
CURRENT_COLOUR = "#00e5ff"  # the current iterate: a cyan used nowhere else
STEP_DECADES = 8  # the step-length colour bar's depth at most
PROBE_COLOURS = ("#d62728", "#1f77b4", "#e377c2", "#17becf", "#2ca02c", "#bcbd22")
HOVER_DIGITS = 4


def encode(values, dtype="f8", log10=False, mask=None):
    """A series: values as a little-endian base64 typed array; refuses NaN and inf."""
    array = np.asarray(values, dtype=float)
    if log10:
        with np.errstate(divide="ignore"):
            array = np.log10(array)
    if not np.all(np.isfinite(array)):
        raise ValueError("a series sent to the browser must be finite")
    data = np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<"))
    series = {
        "dtype": dtype,
        "bdata": base64.b64encode(data.tobytes()).decode("ascii"),
        "shape": list(array.shape),
    }
    if log10:
        series["log10"] = True
    if mask is not None:
        series["mask"] = mask
    return series


def display(values):
    """A series for reading, not for placing: float32 (7 digits) when float32 can hold it.

    Half the bytes of float64; long sequences' walls (beyond 3e38) stay float64.
    """
    array = np.asarray(values, dtype=float)
    tiny = np.abs(array[array != 0])
    fits = array.size == 0 or (tiny.max(initial=0) < 1e38 and tiny.min(initial=1) > 1e-37)
    return encode(array, "f4" if fits else "f8")


def decode(series):
    """The values a series stands for (the browser's reading, for tests): NaN where masked."""
    raw = np.frombuffer(base64.b64decode(series["bdata"]), dtype=np.dtype(series["dtype"]))
    values = raw.astype(float).reshape(series["shape"])
    return 10.0**values if series.get("log10") else values


def part_id(value):
    """A short content hash: the browser keeps a part by it, the server skips resending it."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _finite_list(values, digits=7):
    """Plain floats rounded for JSON (ranges, ticks), checked finite."""
    out = [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=float).ravel()]
    if not all(np.isfinite(out)):
        raise ValueError("a number sent to the browser must be finite")
    return out


PRESENT_TICK_PX, PRESENT_TITLE_PX = 14, 18  # readable from the back of a lecture room


def _axis(title, present=False, **more):
    font = dict(size=PRESENT_TITLE_PX) if present else {}
    return dict(title=dict(text=title, standoff=6, font=font), automargin=True, **more)


def _base_layout(present=False, **more):
    return dict(
        font=dict(size=PRESENT_TICK_PX if present else 12),
        template=None,
        paper_bgcolor="white",
        plot_bgcolor="white",
        hovermode="closest",
        autosize=True,
        margin=dict(l=50, r=10, t=10, b=40),
        showlegend=False,  # the browser draws each panel's legend as HTML above the plot
        **more,
    )


# --------------------------------------------------------------------------- the view


def view_part(layer, probes, valley, T, present=False, pointer=None):
    """The parts of every panel that change only with the data or the view.

    layer: SurfaceLayer. probes: {label: (T+1,) signed dE/dS_k}. valley: (w_x*, w_rec) arrays
    or None. T: the sequence length. present: sized for a projector. pointer: (q, c) of
    rnnviz.final_state_gradient_polynomial, for dE/dS_k under the pointer on the surface.
    """
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
            x=_finite_list(layer.hover_wx),
            y=_finite_list(layer.hover_wrec),
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
                y=_finite_list(floor_wrec),
                mode="lines",
                line=dict(color="rgba(255,255,255,0.85)", dash="dot", width=1.5),
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
    surface_layout = _base_layout(
        present,
        xaxis=_axis(
            "w<sub>x</sub>",
            present,
            range=[wx_lo, wx_hi],
            showgrid=False,
            zeroline=False,
            constrain="domain",
        ),
        yaxis=_axis(
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
    gradient_traces = []
    for number, ((label, signed), colour) in enumerate(
        zip(probes.items(), PROBE_COLOURS * (1 + len(probes) // len(PROBE_COLOURS)), strict=False)
    ):
        signed = np.asarray(signed, dtype=float)
        keep = np.isfinite(signed) & (signed != 0)
        gradient_traces.append(
            dict(
                type="scatter",
                uid=f"probe-{number}",
                name=f"probe {label}" if number else "the tutorial's probe points (dotted)",
                x=np.nonzero(keep)[0].tolist(),
                y=_finite_list(np.abs(signed[keep]), 4),
                mode="lines",
                line=dict(color=colour, width=1.2, dash="dot"),
                # One legend entry for all six (a click shows or hides them together): six
                # entries wrapped into rows that took the plot's height on small screens.
                legendgroup="probes",
                showlegend=number == 0,
                hovertemplate=f"probe {label}<br>k %{{x}}<br>|dE/dS<sub>k</sub>| %{{y:.3g}}"
                "<extra></extra>",
            )
        )
    pointer_probe = None
    if pointer is not None:
        gradient_traces.append(
            dict(  # filled in the browser while the pointer is over the surface
                type="scatter",
                uid="probe-pointer",
                name="under the pointer (shift-click: pin it)",
                x=list(range(T + 1)),
                y=[None] * (T + 1),
                mode="lines+markers+text",
                line=dict(color="#555", width=1.5, dash="dash"),
                marker=dict(size=5, color="#555"),
                text=[""] * (T + 1),  # the badge, at the output end, while the pointer is there
                textposition="top right",
                textfont=dict(size=12, color="#333"),
                hovertemplate="k %{x}<br>|dE/dS<sub>k</sub>| %{y:.3g}<extra>pointer</extra>",
            )
        )
        coefficients, offset = pointer
        # Row k is a r^(T-k) with a = x q(y) - c at the pointer's (x, y): a geometric row,
        # like the current iterate's, whose first term is a polynomial in y times x.
        pointer_probe = {
            "from": "surface",
            "panel": "gradient",
            "trace": "probe-pointer",
            "coefficients": _finite_list(coefficients, 17),
            "offset": float(offset),
            "exponents": T,
            "badge": "pointer ({x:.2f}, {y:.2f}): {growth}, \u00d7{ratio:.4g} per step back",
            "growth": {"above": "exploding", "below": "vanishing", "one": "neutral"},
        }
    gradient_layout = _base_layout(
        present,
        xaxis=_axis(
            "timestep k (backwards in time →)",  # short: it must fit a phone
            present,
            range=[T + 0.3, -0.3],
            dtick=max(1, T // 10),
            zeroline=False,  # a line at k = 0 looked like data
        ),
        yaxis=_axis("|dE/dS<sub>k</sub>|", present, type="log", exponentformat="power"),
    )
    run_layout = _base_layout(
        present,
        xaxis=_axis("iteration", present, zeroline=False),
        yaxis=_axis("", present, type="log", exponentformat="power"),
    )
    return {
        "clickable": ["surface"],  # a click there reports its point: the page starts runs there
        "pointer_probe": pointer_probe,
        "titles": {
            "surface": "Cost surface (colour: log₁₀ cost) and the path",
            "gradient": "Gradient through time at the current iterate",
            "run": "The run: cost and step sizes",
        },
        "surface": {"traces": surface_traces, "layout": surface_layout},
        "gradient": {"traces": gradient_traces, "layout": gradient_layout},
        "run": {"traces": [], "layout": run_layout},
    }


# --------------------------------------------------------------------------- the run


def run_part(run, through_time, probes=(), ranges=None, trail=False, present=False):
    """One trajectory as series, the traces drawn from them and what moves at iterate i.

    run: Trajectory. through_time: (k+1, T+1) signed dE/dS_k at each iterate, the geometric
    rows rnnviz.backpropagate makes (only their last column is sent; the browser forms the
    rest from w_rec, and the rows set the gradient axis here). probes: signed
    dE/dS_k of the probe points, which the gradient axis must also show. ranges: the
    surface's view, for the note on iterates outside it. trail: the path draws itself up to
    the current iterate and the end star appears when the run gets there. present: thick,
    opaque lines for a projector.
    """
    count = len(run.weights)
    if count == 0:
        return {"count": 0, "series": {}, "panels": {}, "moving": [], "readout": [], "notes": []}
    T = through_time.shape[1] - 1
    steps, step_name = weight_steps(run)
    lengths = step_lengths(run.weights)
    magnitude = np.abs(through_time)
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
        "growth": _categories([growth_kind(w) for w in w_rec]),
    }
    # Both charts keep the start and the end in view (the current curve at the end, too).
    shown = np.where(drawn, magnitude, 0.0)
    gradient_range = log_axis_range(
        shown, *(np.abs(p) for p in probes), keep_visible=np.concatenate([shown[0], shown[-1]])
    )
    ends = [run.costs[0], run.costs[-1], *steps[:1].ravel(), *steps[-1:].ravel()]
    run_range = log_axis_range(run.costs, *steps.T, keep_visible=ends)
    # The step colours span the steps taken, at most STEP_DECADES deep: exact zeros (a run that
    # lands on its optimum) and tinier steps share the palest colour.
    moved = lengths[lengths > 0]
    step_hi = float(np.ceil(np.log10(moved.max()))) if moved.size else 0.0
    step_lo = (
        max(float(np.floor(np.log10(moved.min()))), step_hi - STEP_DECADES) if moved.size else -1.0
    )
    step_lo = min(step_lo, step_hi - 1)
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
            line=dict(color="white", width=3) if present else dict(color="rgba(255,255,255,0.6)"),
            marker=dict(
                size=8 if present else 5,
                color={"series": "step_length", "raw": True},
                cmin=step_lo,
                cmax=step_hi,
                colorscale=STEP_COLORSCALE,
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
            x=_finite_list(run.weights[flips, 0]),
            y=_finite_list(run.weights[flips, 1]),
            mode="markers",
            marker=dict(symbol="x-thin", size=7, line=dict(width=1.5, color="#ff2d55")),
            hoverinfo="skip",
        ),
        _point("start", run.weights[0], dict(symbol="diamond", size=11, color="white")),
        _point("end", run.weights[-1], dict(symbol="star", size=16, color="#ffd700")),
        *_left_the_view(run.weights, ranges),
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
                color=CURRENT_COLOUR,
                line=dict(width=1.5, color="#0b2545"),
            ),
            hovertemplate="current: (%{x:.4f}, %{y:.4f})<extra></extra>",
        ),
    ]
    gradient = [
        dict(
            type="scatter",
            uid="gradient-now",
            name="|dE/dS<sub>k</sub>| now (red < 0, blue > 0)",
            x=list(range(T + 1)),
            mode="lines+markers",
            line=dict(color="#444", width=2),
            marker=dict(size=8, cmin=1, cmax=2, colorscale=SIGN_COLORSCALE),
            hovertemplate="k %{x}<br>|dE/dS<sub>k</sub>| %{y:.3g}<extra></extra>",
        ),
        dict(
            type="scatter",
            uid="shape",
            name="|w<sub>rec</sub>|<sup>T-k</sup>",
            x=list(range(T + 1)),
            mode="lines",
            line=dict(color="#888", dash="dash", width=1.5),
            hoverinfo="skip",
        ),
    ]
    for side, symbol, place in (
        ("above", "triangle-up", "bottom"),
        ("below", "triangle-down", "top"),
    ):
        gradient.append(  # |dE/dS_k| beyond the axis: at its edge, with the value
            dict(
                type="scatter",
                uid=f"beyond-{side}",
                name=f"|dE/dS<sub>k</sub>| {side} the axis",
                mode="markers+text",
                marker=dict(symbol=symbol, size=11, color="#444"),
                textposition=f"{place} center",
                textfont=dict(size=11, color="#444"),
                showlegend=False,
                hovertemplate="k %{x}: |dE/dS<sub>k</sub>| %{text}, "
                + f"{side} the axis<extra></extra>",
            )
        )
    run_traces = [
        dict(
            type="scatter",
            uid="cost",
            name="cost",
            x0=0,
            dx=1,
            y={"series": "cost"},
            mode="lines",
            line=dict(color="#222"),
        )
    ]
    if count > 1:  # the step leaving iterate i is drawn at iteration i
        for weight, colour in (("x", "#ff7f0e"), ("rec", "#9467bd")):
            run_traces.append(
                dict(
                    type="scatter",
                    uid=f"step-{weight}",
                    name=f"{step_name}<sub>{weight}</sub>",
                    x0=0,
                    dx=1,
                    y={"series": f"step_{weight}"},
                    mode="lines",
                    line=dict(color=colour, width=1.2),
                )
            )
    run_traces.append(
        dict(
            type="scatter",
            uid="current-iteration",
            name="current iteration",
            y=[10.0 ** run_range[0], 10.0 ** run_range[1]],
            mode="lines",
            line=dict(color="#ff2d55", width=1.5),
            showlegend=False,
            hoverinfo="skip",
        )
    )
    # Row i of a geometric series: scale_i ratio_i^(T-k) for k = 0..T (see the JavaScript)
    ratio = {"ratio": "abs_w_rec", "ratio_sign": "w_rec_sign", "exponents": T}
    through_time_rows = {"scale": "final_gradient", "scale_sign": "final_sign", **ratio}
    shape_rows = ratio  # |w_rec|^(T-k): the signs are not drawn
    moving = [
        {"panel": "surface", "trace": "current-iterate", "x": "w_x", "y": "w_rec"},
        {
            "panel": "gradient",
            "trace": "gradient-now",
            "y": {"geometric": through_time_rows},
            "marker.color": {"geometric": through_time_rows, "signs": True},
        },
        {"panel": "gradient", "trace": "shape", "y": {"geometric": shape_rows}},
        {"panel": "gradient", "trace": "beyond-above", "edge": "gradient-now", "side": "above"},
        {"panel": "gradient", "trace": "beyond-below", "edge": "gradient-now", "side": "below"},
        {"panel": "run", "trace": "current-iteration", "x": "iteration"},
    ]
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
    readout = [
        "iteration {i} of {last} | cost {cost:.4g} | w = ({w_x:.4f}, {w_rec:.4f})",
        "gradient ({gradient_x:.3g}, {gradient_rec:.3g})"
        + (f" | {step_name} ({{step_x:.3g}}, {{step_rec:.3g}})" if count > 1 else ""),
    ]
    # Trace uids become SVG ids in plotly.js (a colour bar's gradient fill): no spaces, or the
    # fill is black.
    return {
        "count": count,
        "optimizer": run.optimizer,
        "series": series,
        "panels": {
            "surface": {"traces": surface},
            "gradient": {
                "traces": gradient,
                "layout": {"yaxis": {"range": _finite_list(gradient_range)}},
            },
            "run": {
                "traces": run_traces,
                "layout": {
                    "xaxis": {"range": [0, max(count - 1, 1)]},
                    "yaxis": {"range": _finite_list(run_range)},
                },
            },
        },
        "moving": moving,
        "readout": readout,
        "badge": "{growth}: \u00d7{abs_w_rec:.4g} per step back",  # 0.9997, not 1
        "notes": _notes(run, ranges),
    }


def _left_the_view(weights, ranges):
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
            x=_finite_list(at[:1]),
            y=_finite_list(at[1:]),
            mode="markers+text",
            marker=dict(symbol="arrow", size=18, angle=angle, color="#ff2d55", line=dict(width=1)),
            text=[f"left at iteration {i}: step {step:.3g}"],
            # the label inside the plot: above a bottom edge, below a top one, toward the middle
            textposition=(
                ("top" if at[1] <= lo[1] else "bottom" if at[1] >= hi[1] else "middle")
                + (" right" if at[0] < (lo[0] + hi[0]) / 2 else " left")
            ),
            textfont=dict(color="#ff2d55", size=12),
            hovertemplate=f"iteration {i} left the view: a step {step:.3g} long<extra></extra>",
        )
    ]


def _point(name, w, marker):
    """One marked iterate of the path (the start, the end), hover giving its weights."""
    return dict(
        type="scatter",
        uid=name,
        name=name,
        x=_finite_list(w[:1]),
        y=_finite_list(w[1:]),
        mode="markers",
        marker=dict(marker, line=dict(width=1)),
        hovertemplate=f"{name} (%{{x:.4f}}, %{{y:.4f}})<extra></extra>",
    )


def _categories(values):
    """A categorical series: a few labels and, per iterate, the code of its label."""
    labels = sorted(set(values))
    index = {label: code for code, label in enumerate(labels)}
    return {"labels": labels, "codes": encode([index[v] for v in values], "u1")}


def _notes(run, ranges):
    """Plain words for what the surface cannot show: divergence, iterates out of view."""
    notes = []
    if run.diverged_at is not None:
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
