"""The gradient-through-time panel: the probes and the pointer's row (the view); a run's
dE/dS_k at the current iterate, its shape |w_rec|^(T-k) and its values beyond the axis (the run).
"""

import numpy as np

from rnnviz import palette
from rnnviz.parts import MAIN, axis, base_layout, finite_list, label_px, log_axis_range


def view(probes, T, present=False, pointer=None):
    """({"traces", "layout"}, pointer_probe) for probes {label: (T+1,) signed dE/dS_k} and
    pointer (q, c) of rnnviz.final_state_gradient_polynomial (or None)."""
    gradient_traces = []
    for number, ((label, signed), colour) in enumerate(
        zip(
            probes.items(),
            palette.PROBE_COLOURS * (1 + len(probes) // len(palette.PROBE_COLOURS)),
            strict=False,
        )
    ):
        signed = np.asarray(signed, dtype=float)
        keep = np.isfinite(signed) & (signed != 0)
        gradient_traces.append(
            dict(
                type="scatter",
                uid=f"probe-{number}",
                name=f"probe {label}" if number else "the tutorial's probe points (dotted)",
                x=np.nonzero(keep)[0].tolist(),
                y=finite_list(np.abs(signed[keep]), 4),
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
                line=dict(color=palette.INK_FAINT, width=1.5, dash="dash"),
                marker=dict(size=5, color=palette.INK_FAINT),
                text=[""] * (T + 1),  # the badge, at the output end, while the pointer is there
                textposition="top right",
                textfont=dict(size=label_px(present), color=palette.INK),
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
            "coefficients": finite_list(coefficients, 17),
            "offset": float(offset),
            "exponents": T,
            "badge": "pointer ({x:.2f}, {y:.2f}): {growth}, \u00d7{ratio:.4g} per step back",
            "growth": {"above": "exploding", "below": "vanishing", "one": "neutral"},
        }
    gradient_layout = base_layout(
        present,
        xaxis=axis(
            "timestep k, back in time →",  # short: it must fit a phone and an 800 px projector
            present,
            range=[T + 0.3, -0.3],
            dtick=max(1, T // 10),
            zeroline=False,  # a line at k = 0 looked like data
        ),
        yaxis=axis("|dE/dS<sub>k</sub>|", present, type="log", exponentformat="power"),
    )
    return {"traces": gradient_traces, "layout": gradient_layout}, pointer_probe


def run(through_time, probes=(), present=False, runner=MAIN):
    """(traces, moving, layout) of one run: through_time (k+1, T+1) signed dE/dS_k.

    The main run's curve is dark with its shape |w_rec|^(T-k) dashed beside it; a racer's
    (runner) is in its colour and marker shape, without the shape line."""
    T = through_time.shape[1] - 1
    name = runner.name
    magnitude = np.abs(through_time)
    drawn = np.isfinite(through_time) & (through_time != 0)
    # Both charts keep the start and the end in view (the current curve at the end, too).
    shown = np.where(drawn, magnitude, 0.0)
    gradient_range = log_axis_range(
        shown, *(np.abs(p) for p in probes), keep_visible=np.concatenate([shown[0], shown[-1]])
    )
    now = dict(
        type="scatter",
        uid=name("gradient-now"),
        name="|dE/dS<sub>k</sub>| now (\u25b2 blue +, \u25bc red \u2212)",
        x=list(range(T + 1)),
        mode="lines+markers",
        line=dict(color=palette.INK_SOFT, width=2),
        marker=dict(size=8, cmin=1, cmax=2, colorscale=palette.SIGN_COLORSCALE),
        hovertemplate="k %{x}<br>|dE/dS<sub>k</sub>| %{y:.3g}<extra></extra>",
    )
    if not runner.main:
        now["name"] = f"{runner.label}: |dE/dS<sub>k</sub>| (open < 0)"
        now["line"] = dict(color=runner.colour, width=2)
        now["marker"]["symbol"] = runner.marker
    gradient = [now]
    if runner.main:
        gradient.append(
            dict(
                type="scatter",
                uid="shape",
                name="|w<sub>rec</sub>|<sup>T-k</sup>",
                x=list(range(T + 1)),
                mode="lines",
                line=dict(color=palette.GUIDE, dash="dash", width=1.5),
                hoverinfo="skip",
            )
        )
    for side, symbol, place in (
        ("above", "triangle-up", "bottom"),
        ("below", "triangle-down", "top"),
    ):
        gradient.append(  # |dE/dS_k| beyond the axis: at its edge, the farthest labelled
            dict(
                type="scatter",
                uid=name(f"beyond-{side}"),
                name=f"|dE/dS<sub>k</sub>| {side} the axis",
                mode="markers+text",
                marker=dict(symbol=symbol, size=11, color=palette.INK_SOFT),
                textposition=f"{place} center",
                textfont=dict(size=label_px(present, 11), color=palette.INK_SOFT),
                showlegend=False,
                hovertemplate="k %{x}: |dE/dS<sub>k</sub>| %{customdata}, "
                + f"{side} the axis<extra></extra>",
            )
        )
    # Row i of a geometric series: scale_i ratio_i^(T-k) for k = 0..T (see the JavaScript)
    ratio = {"ratio": name("abs_w_rec"), "ratio_sign": name("w_rec_sign"), "exponents": T}
    through_time_rows = {"scale": name("final_gradient"), "scale_sign": name("final_sign"), **ratio}
    moving = [
        {
            "panel": "gradient",
            "trace": name("gradient-now"),
            "y": {"geometric": through_time_rows},
            "marker.color": {"geometric": through_time_rows, "signs": True},
            # the sign by shape too: the symbols for < 0 and > 0
            "marker.symbol": {"geometric": through_time_rows, "signs": sign_symbols(runner)},
        }
    ]
    if runner.main:  # |w_rec|^(T-k): the signs are not drawn
        moving.append({"panel": "gradient", "trace": "shape", "y": {"geometric": ratio}})
    moving += [
        {
            "panel": "gradient",
            "trace": name(f"beyond-{side}"),
            "edge": name("gradient-now"),
            "side": side,
        }
        for side in ("above", "below")
    ]
    return gradient, moving, {"yaxis": {"range": finite_list(gradient_range)}}


def sign_symbols(runner):
    """The marker symbols of dE/dS_k < 0 and > 0 for runner: triangles down and up for the main
    run; a racer's own shape, open and filled (its shape is what tells it from the others)."""
    if runner.main:
        return list(palette.SIGN_SYMBOLS)
    return [f"{runner.marker}-open", runner.marker]


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
