"""Legible for everyone (issue 17): the gradient's sign told by shape as well as colour, the
sign-flip crosses in a colour of their own, the current iterate in the surface's legend."""

import itertools

import numpy as np
import pytest
from test_live import build, geometric_rows, moving_field

from rnnviz import live, palette, parts
from rnnviz.animation import drawing


def lab(colour):
    """CIE L*a*b* (D65) of a "#rrggbb" colour."""
    c = np.array(palette.rgb(colour)) / 255
    c = np.where(c > 0.04045, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = xyz @ c / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance(a, b):
    """CIE76 colour difference: about 2.3 is just noticeable, 40 and more plainly different."""
    return float(np.linalg.norm(lab(a) - lab(b)))


def on_scale(scale, t):
    """The colour a plotly.js colour scale gives at t in [0, 1]: linear in RGB between stops."""
    for (lo, c_lo), (hi, c_hi) in itertools.pairwise(scale):
        if lo <= t <= hi:
            u = (t - lo) / (hi - lo)
            mixed = np.array(palette.rgb(c_lo)) * (1 - u) + np.array(palette.rgb(c_hi)) * u
            return "#" + "".join(f"{round(v):02x}" for v in mixed)
    raise ValueError(t)


@pytest.fixture(scope="module")
def alternating():
    """A run starting at w_rec = -1.5, where dE/dS_k changes sign at every step back."""
    return build(w0=(-1.5, -1.5))


def test_flip_crosses_are_a_colour_the_step_scale_never_takes_nor_the_marks_beside_them():
    steps = [on_scale(palette.STEP_COLORSCALE, t) for t in np.linspace(0, 1, 201)]
    assert min(distance(palette.FLIP, s) for s in steps) > 40
    for other in (palette.CURRENT, palette.END, *(c for c, _ in palette.RACER_STYLES)):
        assert distance(palette.FLIP, other) > 40, other
    # the measure itself: the old flip colour was the scale's own red end
    assert min(distance(palette.ALERT, s) for s in steps) < 1


def test_the_surface_and_the_animations_draw_the_flips_in_that_colour(tutorial_part):
    flips = next(
        t for t in tutorial_part["panels"]["surface"]["traces"] if t["uid"] == "sign-flips"
    )
    assert flips["marker"]["line"]["color"] == palette.FLIP
    assert drawing.FLIP == palette.rgb(palette.FLIP)


def test_the_current_iterate_has_a_key_in_the_surface_legend_a_racers_has_not(tutorial_part):
    traces = {t["uid"]: t for t in tutorial_part["panels"]["surface"]["traces"]}
    current = traces["current-iterate"]
    assert current["name"] == "current iterate" and current.get("showlegend", True)
    assert current["marker"]["color"] == palette.CURRENT
    run, through_time, *_ = build(iterations=20)
    racer = live.run_part(run, through_time, runner=parts.Runner(2, "adam"))
    (racer_current,) = [t for t in racer["panels"]["surface"]["traces"] if "current" in t["uid"]]
    assert racer_current["showlegend"] is False  # its path's entry names it


def symbols_drawn(part, trace):
    """What static/series.js gives marker.symbol at every iterate: the symbol of each sign."""
    spec = moving_field(part, trace, "marker.symbol")
    _, sign = geometric_rows(part, spec["geometric"])
    negative, positive = spec["signs"]
    return np.where(sign == 2, positive, np.where(sign == 1, negative, None)), sign


def test_the_gradients_sign_is_told_by_shape_as_well_as_colour(alternating):
    _, through_time, _, part = alternating
    assert (
        moving_field(part, "gradient-now", "marker.symbol")["geometric"]
        == (moving_field(part, "gradient-now", "marker.color")["geometric"])
    )
    symbols, _ = symbols_drawn(part, "gradient-now")
    expected = np.where(through_time > 0, "triangle-up", "triangle-down")
    np.testing.assert_array_equal(symbols, expected)
    assert set(symbols[0]) == {"triangle-up", "triangle-down"}  # w_rec < 0: they alternate
    (now,) = [t for t in part["panels"]["gradient"]["traces"] if t["uid"] == "gradient-now"]
    assert "\u25b2" in now["name"] and "\u25bc" in now["name"]  # the legend says which is which


def test_a_racers_gradient_keeps_its_shape_open_below_zero(alternating):
    run, through_time, *_ = alternating
    racer = parts.Runner(3, "adam")
    part = live.run_part(run, through_time, runner=racer)
    symbols, sign = symbols_drawn(part, racer.name("gradient-now"))
    assert set(symbols[sign == 2]) == {racer.marker}
    assert set(symbols[sign == 1]) == {racer.marker + "-open"}
    (now,) = [t for t in part["panels"]["gradient"]["traces"] if "gradient-now" in t["uid"]]
    assert "open < 0" in now["name"]


@pytest.fixture(scope="module")
def tutorial_part():
    return build(iterations=50)[3]
