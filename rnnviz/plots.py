"""Plotly figures for the dashboard: pure functions from arrays to figures; plotly only.

One figure holds the three views, so one in-browser animation drives them all:
    left:          the cost surface (a PNG of log10 cost, with an invisible hover layer) and
                   the optimiser's path; the current iterate moves across it;
    right, top:    |dE/dS_k| against timestep k for the current iterate (and probe points);
    right, bottom: cost and step sizes against iteration, with the current one marked.
The surface is a layout image (rnnviz/surface_image.py) and only five small traces change from
frame to frame, so the browser plays the animation without redrawing the rest.
"""

import math

import numpy as np
import plotly.graph_objects as go

from rnnviz.surface_image import COLORSCALE, decade_ticks

STEP_COLORSCALE = [[0.0, "#ffffff"], [0.5, "#ffb000"], [1.0, "#ff2d55"]]
SIGN_COLORSCALE = [[0.0, "#d62728"], [1.0, "#1f77b4"]]  # red: dE/dS_k < 0, blue: > 0
PROBE_COLOURS = ("#d62728", "#1f77b4", "#e377c2", "#17becf", "#2ca02c", "#bcbd22")
MAX_AXIS_DECADES = 60  # a log axis deeper than this squashes every line flat

FRAME_MS = 16  # frame duration asked of plotly.js when playing at normal speed (see below)
MAX_SCRUBBER_STEPS = 125  # about 3 px a step on the slider: as fine as a mouse can pick


def rounded(values, digits=4):
    """values rounded to a few significant digits, as floats whose JSON is short ("0.006654").

    Rounding through text is what keeps the shortest repr; arithmetic rounding leaves tails
    like 0.006654000000000001 that would double the animation's bytes.
    """
    with np.errstate(invalid="ignore"):
        return np.char.mod(f"%.{digits}g", np.asarray(values, dtype=float)).astype(float)


def compact(values, digits=4):
    """rounded(values) as a flat list, ready for a figure."""
    return rounded(values, digits).ravel().tolist()


def log_axis_range(*arrays, keep_visible=None):
    """[lo, hi] in log10 units covering the finite positive values, at most MAX_AXIS_DECADES deep.

    keep_visible: values that must stay inside the range (a run's start and end, the opening
    frame of an animation whose run explodes later): the range reaches down to the smallest of
    them, cutting off the top if it must, and up to the largest, growing past
    MAX_AXIS_DECADES if it must (a diverged run spans hundreds of decades).
    """
    positive = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    positive = positive[np.isfinite(positive) & (positive > 0)]
    if positive.size == 0:
        return [-1.0, 1.0]
    hi = float(np.log10(positive.max())) + 0.3
    lo = max(float(np.log10(positive.min())) - 0.3, hi - MAX_AXIS_DECADES)
    must = np.asarray(keep_visible if keep_visible is not None else [], dtype=float)
    must = must[np.isfinite(must) & (must > 0)]
    if must.size:
        if np.log10(must.min()) - 0.3 < lo:
            lo = float(np.log10(must.min())) - 0.3
            hi = min(hi, lo + MAX_AXIS_DECADES)
        hi = max(hi, float(np.log10(must.max())) + 0.3)
    return [lo, hi]


def step_lengths(weights):
    """||w_{i+1} - w_i|| for each update, and the last one repeated for the end point (k+1,)."""
    steps = np.linalg.norm(np.diff(weights, axis=0), axis=1)
    return np.append(steps, steps[-1] if steps.size else 0.0)


def growth_kind(w_rec):
    """What backpropagation does at this w_rec: exploding, vanishing or neutral (and sign)."""
    factor = abs(w_rec)
    if factor > 1.0 + 1e-9:
        kind = "exploding"
    elif factor < 1.0 - 1e-9:
        kind = "vanishing"
    else:
        kind = "neutral"
    return kind + (", sign alternates" if w_rec < 0 else "")


def growth_badge(w_rec):
    """Plain words for what backpropagation does at this w_rec, and the factor per step."""
    kind, _, alternating = growth_kind(w_rec).partition(",")
    return (
        f"<b>{kind}</b>: x{abs(w_rec):.3g} per step back{',' if alternating else ''}{alternating}"
    )


def through_time_points(signed):
    """k, |dE/dS_k| and sign (1 positive, 0 negative) of the finite non-zero dE/dS_k.

    The log axis cannot show zero and no inf may reach the chart, so those points are left
    out; the sign is one number when every point shares it (small animation frames).
    """
    signed = np.asarray(signed, dtype=float)
    keep = np.isfinite(signed) & (signed != 0)
    positive = (signed[keep] > 0).astype(int).tolist()
    sign = positive[0] if positive and len(set(positive)) == 1 else positive
    return np.nonzero(keep)[0].tolist(), compact(np.abs(signed[keep])), sign


def weight_steps(run):
    """Per-weight step of each update (k, 2) and its name: Rprop's delta, else |w_{i+1} - w_i|."""
    if run.step_sizes is not None:
        return run.step_sizes, "step size δ"
    return np.abs(np.diff(run.weights, axis=0)), "step |Δw|"


def readout(i, run, steps, step_name):
    """One line of numbers for iteration i of a trajectory; steps (k, 2) from weight_steps."""
    w, g = run.weights[i], run.gradients[i]
    text = f"iteration {i} | cost {run.costs[i]:.4g} | w = ({w[0]:.4f}, {w[1]:.4f})<br>"
    text += f"gradient ({g[0]:.3g}, {g[1]:.3g})"
    if i < len(steps):
        text += f" | {step_name} ({steps[i, 0]:.3g}, {steps[i, 1]:.3g})"
    return text


def dashboard_figure(layer, run, through_time, probes=None, valley=None, validate=False):
    """The three views in one animated figure.

    layer: SurfaceLayer. run: Trajectory. through_time: (k+1, T+1) signed dE/dS_k at each
    iterate. probes: {label: (T+1,) signed dE/dS_k}. valley: (w_x*, w_rec) arrays or None.
    validate=True makes plotly check every property (slower; the tests use it).
    """
    probes = probes or {}
    k_count = len(run.weights)
    T = through_time.shape[1] - 1
    steps_per_weight, step_name = weight_steps(run) if k_count else (np.zeros((0, 2)), "")
    run_range = log_axis_range(run.costs, *steps_per_weight.T)
    gtt_range = log_axis_range(
        np.abs(through_time),
        *(np.abs(p) for p in probes.values()),
        keep_visible=np.abs(through_time[:1]),
    )
    traces = _surface_traces(layer, valley)
    if k_count:  # a run that overflows at its start has no path to draw
        traces += _path_traces(run)
    traces += _probe_traces(probes)
    traces += _run_traces(run, steps_per_weight, step_name)
    # The animated traces come last; frames update exactly these, by index.
    frames = []
    if k_count:
        frame_traces = list(range(len(traces), len(traces) + 5))
        frame_data = _frame_data(run, through_time)
        traces += _moving_traces(frame_data[0], T, run_range)
        frames = [
            dict(name=str(i), data=data, traces=frame_traces) for i, data in enumerate(frame_data)
        ]
    layout = _layout(layer, k_count, T, run_range, gtt_range, _notes(run, layer))
    if validate:
        return go.Figure(data=traces, layout=layout, frames=frames)
    return AnimatedFigure(data=traces, layout=layout, raw_frames=frames, _validate=False)


def _surface_traces(layer, valley):
    """The invisible hover layer, the colour bar's carrier and the valley floor."""
    hover_text = np.where(
        np.isfinite(layer.hover_cost),
        np.char.mod("%.4g", np.where(np.isfinite(layer.hover_cost), layer.hover_cost, 0.0)),
        "beyond float64",
    )
    tick_values, tick_text = decade_ticks(layer.log_lo, layer.log_hi)
    traces = [
        go.Heatmap(
            # An invisible hover layer. A heatmap's picture vanishes in animations without
            # redraw, but its hover does not; it is one image where points would be 961 nodes.
            x=layer.hover_wx,
            y=layer.hover_wrec,
            z=np.zeros(layer.hover_cost.shape, dtype=np.uint8),
            customdata=hover_text,
            opacity=0,
            showscale=False,
            hovertemplate="w<sub>x</sub> %{x:.3f}<br>w<sub>rec</sub> %{y:.3f}<br>"
            "cost %{customdata}<extra></extra>",
            name="surface",
        ),
        go.Scatter(  # carries the colour bar of the surface image
            x=[None],
            y=[None],
            mode="markers",
            marker=dict(
                color=[layer.log_lo],
                cmin=layer.log_lo,
                cmax=layer.log_hi,
                colorscale=COLORSCALE,
                showscale=True,
                colorbar=dict(
                    title=dict(text="cost", side="top"),
                    tickvals=tick_values,
                    ticktext=tick_text,
                    x=0.47,
                    len=0.58,
                    y=1.0,
                    yanchor="top",
                    thickness=14,
                ),
            ),
            hoverinfo="skip",
            showlegend=False,
            name="colour bar",
        ),
    ]
    if valley is not None:
        wx_lo, wx_hi = layer.ranges[:2]
        floor_wx, floor_wrec = valley
        inside = np.isfinite(floor_wx) & (floor_wx >= wx_lo) & (floor_wx <= wx_hi)
        traces.append(
            go.Scatter(
                x=np.where(inside, floor_wx, None),
                y=floor_wrec,
                mode="lines",
                line=dict(color="rgba(255,255,255,0.8)", dash="dot", width=1.5),
                name="valley floor w<sub>x</sub>*(w<sub>rec</sub>)",
                hovertemplate="valley floor<br>w<sub>x</sub>* %{x:.4f}<br>"
                "w<sub>rec</sub> %{y:.3f}<extra></extra>",
            )
        )
    return traces


def _path_traces(run):
    """The path coloured by step length, its sign flips, the optimum, the start and the end."""
    steps = step_lengths(run.weights)
    step_logs = np.log10(np.maximum(steps, 1e-300))
    step_lo = float(step_logs.min())
    step_hi = max(float(step_logs.max()), step_lo + 1)
    step_ticks, step_labels = decade_ticks(step_lo, step_hi)
    flips = np.nonzero(run.sign_flips.any(axis=1))[0]
    return [
        go.Scatter(
            x=run.weights[:, 0],
            y=run.weights[:, 1],
            mode="lines+markers",
            line=dict(color="rgba(255,255,255,0.55)", width=1),
            marker=dict(
                size=5,
                color=step_logs,
                cmin=step_lo,
                cmax=step_hi,
                colorscale=STEP_COLORSCALE,
                showscale=True,
                colorbar=dict(
                    title=dict(text="step length", side="top"),
                    x=0.47,
                    y=0.0,
                    yanchor="bottom",
                    len=0.36,
                    thickness=10,
                    tickvals=step_ticks,
                    ticktext=step_labels,
                ),
            ),
            customdata=np.column_stack([run.costs, steps]),
            hovertemplate="iteration %{pointNumber}<br>cost %{customdata[0]:.4g}<br>"
            "step %{customdata[1]:.3g}<extra>path</extra>",
            name=f"{run.optimizer} path",
        ),
        go.Scatter(
            x=run.weights[flips, 0],
            y=run.weights[flips, 1],
            mode="markers",
            marker=dict(symbol="x-thin", size=7, line=dict(width=1.5, color="#ff2d55")),
            name="gradient sign flip",
            hoverinfo="skip",
        ),
        go.Scatter(
            x=[1.0],
            y=[1.0],
            mode="markers",
            marker=dict(symbol="circle-open", size=14, line=dict(width=2.5, color="white")),
            name="optimum (1, 1)",
            hovertemplate="optimum (1, 1), cost 0<extra></extra>",
        ),
        go.Scatter(
            x=run.weights[:1, 0],
            y=run.weights[:1, 1],
            mode="markers",
            marker=dict(symbol="diamond", size=11, color="white", line=dict(width=1)),
            name="start",
            hovertemplate="start (%{x}, %{y})<extra></extra>",
        ),
        go.Scatter(
            x=run.weights[-1:, 0],
            y=run.weights[-1:, 1],
            mode="markers",
            marker=dict(symbol="star", size=16, color="#ffd700", line=dict(width=1)),
            name="end",
            hovertemplate="end (%{x:.4f}, %{y:.4f})<extra></extra>",
        ),
    ]


def _probe_traces(probes):
    """The tutorial's probe points in the gradient-through-time panel, dotted."""
    traces = []
    for (label, signed), colour in zip(probes.items(), PROBE_COLOURS, strict=False):
        k, magnitude, _ = through_time_points(signed)
        traces.append(
            go.Scatter(
                x=k,
                y=magnitude,
                xaxis="x2",
                yaxis="y2",
                mode="lines",
                line=dict(color=colour, width=1.2, dash="dot"),
                name=f"probe {label}",
                legend="legend2",
                hovertemplate=f"probe {label}<br>k %{{x}}<br>|dE/dS<sub>k</sub>| %{{y:.3g}}"
                "<extra></extra>",
            )
        )
    return traces


def _run_traces(run, steps_per_weight, step_name):
    """Cost and the two per-weight steps against iteration."""
    k_count = len(run.weights)
    traces = [
        go.Scatter(
            x=np.arange(k_count),
            y=run.costs,
            xaxis="x3",
            yaxis="y3",
            mode="lines",
            line=dict(color="#222"),
            name="cost",
            legend="legend3",
        ),
    ]
    if k_count > 1:  # the step leaving iterate i is drawn at iteration i
        for column, (weight, colour) in enumerate([("x", "#ff7f0e"), ("rec", "#9467bd")]):
            traces.append(
                go.Scatter(
                    x=np.arange(k_count - 1),
                    y=steps_per_weight[:, column],
                    xaxis="x3",
                    yaxis="y3",
                    mode="lines",
                    line=dict(color=colour, width=1.2),
                    name=f"{step_name}<sub>{weight}</sub>",
                    legend="legend3",
                )
            )
    return traces


def _notes(run, layer):
    """Plain words for what the surface cannot show: divergence, iterates out of view."""
    notes = []
    if run.diverged_at is not None:
        notes.append(
            f"<b>diverged at iteration {run.diverged_at}</b>: path ends at the last finite iterate"
        )
    outside = int(np.sum(~_inside(run.weights, layer.ranges)))
    if outside:
        notes.append(f"{outside} of {len(run.weights)} iterates lie outside this view")
    return notes


def _layout(layer, k_count, T, run_range, gtt_range, notes):
    """Panels, axes, the surface image, titles, notes and the animation controls."""
    wx_lo, wx_hi, wrec_lo, wrec_hi = layer.ranges
    layout = dict(
        height=730,
        margin=dict(l=60, r=20, t=40, b=200, autoexpand=False),
        template=None,  # plotly.js' own defaults; a template name means nothing to plotly.js
        paper_bgcolor="white",
        plot_bgcolor="rgba(0,0,0,0)",  # the text panel's box lies over the right-hand charts
        hovermode="closest",
        # One legend inside each panel, so a click toggles traces where they are drawn.
        legend=_panel_legend(0.005, 0.005, "left", "bottom"),
        legend2=_panel_legend(1.0, 0.94, "right", "top"),
        legend3=_panel_legend(1.0, 0.34, "right", "top"),
        xaxis=dict(
            domain=[0.0, 0.46],
            range=[wx_lo, wx_hi],
            title=dict(text="w<sub>x</sub>"),
            showgrid=False,
            zeroline=False,
            constrain="domain",
        ),
        yaxis=dict(
            domain=[0.0, 1.0],
            range=[wrec_lo, wrec_hi],
            title=dict(text="w<sub>rec</sub>"),
            showgrid=False,
            zeroline=False,
        ),
        xaxis2=dict(
            domain=[0.6, 1.0],
            anchor="y2",
            range=[T + 0.3, -0.3],
            title=dict(
                text="timestep k (output at left; backpropagation runs →)",
                font=dict(size=12),
                standoff=4,
            ),
            dtick=max(1, T // 10),
        ),
        yaxis2=dict(
            domain=[0.6, 0.94],
            anchor="x2",
            type="log",
            range=gtt_range,
            title=dict(text="|dE/dS<sub>k</sub>|"),
            exponentformat="power",
        ),
        xaxis3=dict(
            domain=[0.6, 1.0],
            anchor="y3",
            range=[0, max(k_count - 1, 1)],
            title=dict(text="iteration"),
        ),
        yaxis3=dict(
            domain=[0.0, 0.34], anchor="x3", type="log", range=run_range, exponentformat="power"
        ),
        # A unit box over each right-hand panel, for the animated text.
        xaxis4=dict(domain=[0.6, 1.0], anchor="y4", range=[0, 1], visible=False, fixedrange=True),
        yaxis4=dict(domain=[0.0, 1.0], anchor="x4", range=[0, 1], visible=False, fixedrange=True),
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
        annotations=[
            _panel_title("cost surface (colour: log<sub>10</sub> cost) and the path", 0.0, 1.0),
            _panel_title("gradient through time at the current iterate", 0.6, 1.0),
            _panel_title("the run: cost and step sizes", 0.6, 0.34),
        ],
        updatemenus=[_play_controls(k_count)] if k_count else [],
        sliders=[_scrubber(k_count)] if k_count else [],
    )
    if notes:
        layout["annotations"].append(
            dict(
                text="<br>".join(notes),
                x=0.0,
                y=1.0,
                xref="paper",
                yref="paper",
                xanchor="left",
                yanchor="top",
                align="left",
                showarrow=False,
                bgcolor="#fff3cd",
                font=dict(color="#7a4f01"),
            )
        )
    return layout


class AnimatedFigure(go.Figure):
    """A go.Figure whose animation frames stay plain dicts of lists and floats.

    Plotly turns every frame into validated objects, about 1 ms a frame: 2 s for 2000 frames
    on each slider move. Our frames are a few small arrays made above, so they skip that and
    join the figure in to_dict(), which is what Streamlit and plotly.io serialise.
    """

    def __init__(self, *args, raw_frames=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._raw_frames = list(raw_frames)
        self._as_dict = None

    def to_dict(self):
        """The figure as plain data; built once, since the page treats figures as values."""
        if self._as_dict is None:
            self._as_dict = super().to_dict() | {"frames": self._raw_frames}
        return self._as_dict


def _inside(weights, ranges):
    """Which rows of weights (k, 2) lie inside (wx_min, wx_max, wrec_min, wrec_max)."""
    wx_lo, wx_hi, wrec_lo, wrec_hi = ranges
    w_x, w_rec = weights[:, 0], weights[:, 1]
    return (w_x >= wx_lo) & (w_x <= wx_hi) & (w_rec >= wrec_lo) & (w_rec <= wrec_hi)


def _panel_legend(x, y, xanchor, yanchor):
    return dict(
        x=x,
        y=y,
        xanchor=xanchor,
        yanchor=yanchor,
        font=dict(size=10),
        bgcolor="rgba(255,255,255,0.75)",
    )


def _panel_title(text, x, y):
    return dict(
        text=f"<b>{text}</b>",
        x=x,
        y=y,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=13),
        yshift=6,
    )


def _moving_traces(first_frame, T, run_range):
    """The five traces that move with the animation, styled, as the first frame has them."""
    styles = [
        dict(
            mode="markers",
            name="current iterate",
            showlegend=False,
            marker=dict(size=15, color="rgba(0,0,0,0)", line=dict(width=3, color="#ff2d55")),
            hovertemplate="current: (%{x:.4f}, %{y:.4f})<extra></extra>",
        ),
        dict(
            xaxis="x2",
            yaxis="y2",
            mode="lines+markers",
            name="|dE/dS<sub>k</sub>| now (dots: red < 0, blue > 0)",
            legend="legend2",
            line=dict(color="#444", width=2),
            marker=dict(size=8, cmin=0, cmax=1, colorscale=SIGN_COLORSCALE),
            hovertemplate="k %{x}<br>|dE/dS<sub>k</sub>| %{y:.3g}<extra></extra>",
        ),
        dict(
            xaxis="x2",
            yaxis="y2",
            mode="lines",
            line=dict(color="#888", dash="dash", width=1.5),
            name="|w<sub>rec</sub>|<sup>T-k</sup>",
            legend="legend2",
            hoverinfo="skip",
        ),
        dict(
            y=[10.0 ** run_range[0], 10.0 ** run_range[1]],
            xaxis="x3",
            yaxis="y3",
            mode="lines",
            line=dict(color="#ff2d55", width=1.5),
            name="current iteration",
            showlegend=False,
            hoverinfo="skip",
        ),
        dict(
            x=[0.01, 0.01],
            y=[0.99, 0.47],
            xaxis="x4",
            yaxis="y4",
            mode="text",
            textposition="bottom right",
            textfont=dict(size=12),
            showlegend=False,
            hoverinfo="skip",
            name="readouts",
        ),
    ]
    for style, data in zip(styles, first_frame, strict=True):
        data = dict(data)  # frames share these dicts; leave them as they are
        marker = {**style.get("marker", {}), **data.pop("marker", {})}
        style.update(data, **({"marker": marker} if marker else {}))
    for gradient_or_shape in styles[1:3]:  # frames may leave out the timesteps k
        gradient_or_shape.setdefault("x", list(range(T + 1)))
    return [go.Scatter(style) for style in styles]


def _frame_data(run, through_time):
    """For each iterate, only what changes in each moving trace, so frames stay small.

    Every number is rounded once for all frames; the timesteps k go into the frames only if
    some frame leaves points out (zero or overflow, which a log axis cannot show).
    """
    T = through_time.shape[1] - 1
    with np.errstate(over="ignore"):
        reference = np.abs(run.weights[:, 1:]) ** (T - np.arange(T + 1.0))  # |w_rec|^(T-k)
    gradient_kept = np.isfinite(through_time) & (through_time != 0)
    reference_kept = np.isfinite(reference) & (reference > 0)
    with_k = not (gradient_kept.all() and reference_kept.all())
    magnitude, reference = rounded(np.abs(through_time)), rounded(reference)
    positive = (through_time > 0).astype(int)
    position = rounded(run.weights, 7).tolist()
    steps, step_name = weight_steps(run)
    frames = []
    for i, (w_x, w_rec) in enumerate(position):
        keep, shown = gradient_kept[i], reference_kept[i]
        signs = positive[i][keep]
        same = signs.size and (signs.all() or not signs.any())
        gradient = dict(y=magnitude[i][keep].tolist())
        gradient["marker"] = dict(color=int(signs[0]) if same else signs.tolist())
        shape = dict(y=reference[i][shown].tolist())
        if with_k:
            gradient["x"], shape["x"] = np.nonzero(keep)[0].tolist(), np.nonzero(shown)[0].tolist()
        frames.append(
            [
                dict(x=[w_x], y=[w_rec]),
                gradient,
                shape,
                dict(x=[i, i]),
                dict(text=[growth_badge(w_rec), readout(i, run, steps, step_name)]),
            ]
        )
    return frames


def _play_controls(frame_count):
    """Play at four speeds and pause; faster speeds skip frames rather than outrun the browser."""
    names = [str(i) for i in range(frame_count)]

    def play(label, duration, stride):
        subset = names[::stride] if stride > 1 else None
        if subset is not None and subset[-1] != names[-1]:
            subset.append(names[-1])
        return dict(
            label=label,
            method="animate",
            args=[
                subset,
                dict(
                    frame=dict(duration=duration, redraw=False),
                    transition=dict(duration=0),
                    fromcurrent=True,
                    mode="immediate",
                ),
            ],
        )

    return dict(
        type="buttons",
        direction="left",
        x=0.0,
        y=-0.1,
        xanchor="left",
        yanchor="top",
        pad=dict(t=4, r=6),
        showactive=False,
        buttons=[
            # plotly.js starts the next frame on the first screen refresh more than `duration`
            # ms after the last. 16 ms asks for every 60 Hz refresh, so a slow machine still
            # shows 30 frames a second or more; asking for exactly 30 (33 ms) yields 20, and
            # 25 ms sits at 30 with no room for a late frame.
            play("▶ play", FRAME_MS, 1),
            play("speed 1/4", 4 * FRAME_MS, 1),
            play("speed 4", FRAME_MS, 4),
            dict(
                label="❚❚ pause",
                method="animate",
                args=[
                    [None],
                    dict(
                        frame=dict(duration=0, redraw=False),
                        mode="immediate",
                        transition=dict(duration=0),
                    ),
                ],
            ),
        ],
    )


def _scrubber(frame_count):
    """A frame slider: drag or click to jump to an iteration.

    plotly redraws the slider on every animation frame at a cost that grows with its steps, so
    long runs get a step every few iterations (at most MAX_SCRUBBER_STEPS) and keep 30 fps.
    """
    stride = max(1, math.ceil((frame_count - 1) / MAX_SCRUBBER_STEPS))
    chosen = list(range(0, frame_count, stride))
    if chosen[-1] != frame_count - 1:
        chosen.append(frame_count - 1)
    step_args = dict(
        frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0)
    )
    return dict(
        active=0,
        x=0.0,
        y=-0.19,
        len=0.46,
        minorticklen=0,
        xanchor="left",
        yanchor="top",
        pad=dict(t=0),
        # The readout above the run chart names the exact iteration; between the scrubber's
        # steps a label here would lag behind it.
        currentvalue=dict(visible=False),
        ticklen=0,
        font=dict(size=1, color="rgba(0,0,0,0)"),
        transition=dict(duration=0),
        steps=[dict(method="animate", label=str(i), args=[[str(i)], step_args]) for i in chosen],
    )
