"""The surface as a picture: colours, iso-cost lines, ticks and the PNG itself."""

import base64
import io

import numpy as np
import plotly.colors
import pytest
from PIL import Image

from rnnviz import surface_image, ticks


def test_image_pixels_follow_the_cost_on_the_shared_colour_scale():
    C = np.array([[1e-3, 1e9], [np.inf, 1.0]])  # rows follow w_rec upwards
    lo, hi = surface_image.colour_range(C[np.isfinite(C)])
    assert (lo, hi) == (-3.0, 9.0)
    rgb = surface_image.log_cost_rgb(C, lo, hi, contours=False)
    stops = [plotly.colors.hex_to_rgb(c) for _, c in surface_image.COLORSCALE]
    assert tuple(rgb[1, 0]) == stops[0]  # bottom-left: the least cost, bottom colour
    assert tuple(rgb[1, 1]) == stops[-1]  # bottom-right: the top colour
    assert (
        tuple(rgb[0, 0]) == surface_image.OVERFLOW_RGB
    )  # top-left: overflow is grey, not a colour
    decoded = Image.open(
        io.BytesIO(base64.b64decode(surface_image.png_data_uri(rgb).split(",")[1]))
    )
    assert np.array_equal(np.asarray(decoded), rgb)


def test_iso_cost_lines_mark_half_decade_boundaries():
    C = np.tile(10.0 ** np.linspace(0, 2, 40), (5, 1))  # 0 to 2 decades across
    plain = surface_image.log_cost_rgb(C, 0.0, 2.0, contours=False)
    lined = surface_image.log_cost_rgb(C, 0.0, 2.0, contours=True)
    changed_columns = np.nonzero((plain != lined).any(axis=(0, 2)))[0]
    assert len(changed_columns) == 4  # boundaries at 10^0.5, 10^1, 10^1.5, 10^2 (last column)


def test_deep_surfaces_keep_their_valley_coloured_and_label_fewer_ticks():
    C = np.array([[1e-20, 1e-5], [1e40, 1e120]])
    lo, hi = surface_image.colour_range(C)
    assert (lo, hi) == (surface_image.LOWEST_COST_DECADE, 120.0)
    values, labels = ticks.decade_ticks(lo, hi)
    assert len(values) <= 13 and values[-1] == 120 and labels[-1] == "10<sup>120</sup>"
    assert (
        surface_image.contour_spacing(-3, 9) == 0.5 and surface_image.contour_spacing(lo, hi) == 5.0
    )
    rgb = surface_image.log_cost_rgb(C, lo, hi, contours=False)
    stops = [plotly.colors.hex_to_rgb(c) for _, c in surface_image.COLORSCALE]
    assert tuple(rgb[1, 0]) == stops[0] and tuple(rgb[0, 1]) == stops[-1]
    assert tuple(rgb[1, 1]) != stops[0]  # 1e-5 is above the floor colour


def test_crowded_iso_cost_lines_are_left_out_rather_than_painting_the_wall():
    C = np.tile(10.0 ** np.array([0.0, 0.6, 5.0, 5.6]), (3, 1))  # a jump of many levels
    plain = surface_image.log_cost_rgb(C, 0.0, 6.0, contours=False)
    lined = surface_image.log_cost_rgb(C, 0.0, 6.0, contours=True)
    changed = (plain != lined).any(axis=(0, 2))
    assert changed.tolist() == [False, True, False, True]


def test_nice_steps():
    assert [ticks.nice_step(s, 10) for s in (5, 15, 45, 90, 150, 400)] == [
        1,
        2,
        5,
        10,
        20,
        50,
    ]


def test_nice_steps_below_one_for_axis_ticks_by_brute_force():
    candidates = sorted(m * 10.0**e for e in range(-4, 5) for m in (1, 2, 5))
    rng = np.random.default_rng(3)
    for lo, span in zip(rng.uniform(-100, 100, 200), 10 ** rng.uniform(-3, 3, 200), strict=True):
        step = ticks.nice_step(span, 5, smallest=0)
        # the smallest 1-2-5 value that cuts the span into at most 5 pieces
        assert step == pytest.approx(next(c for c in candidates if span / c <= 5 * (1 + 1e-12)))
        values = ticks.nice_ticks(lo, lo + span)
        assert 1 <= len(values) <= 6
        assert lo - 1e-9 <= values[0] and values[-1] <= lo + span + 1e-9
        assert np.allclose(np.diff(values), step)
        assert all(abs(t / step - round(t / step)) < 1e-6 for t in values)
