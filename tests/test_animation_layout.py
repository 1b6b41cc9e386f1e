"""Where an animation's frame puts things (rnnviz/animation/layout.py), against numbers worked
by hand, and without Pillow."""

import math
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

RANGES = (-3.0, 3.0, -3.0, 3.0)


class Run(NamedTuple):
    """The parts of a Trajectory a layout reads."""

    weights: np.ndarray
    costs: np.ndarray
    diverged_at: int | None


def corner_to_corner():
    """A main run from the surface's bottom-left corner through its middle to its top right,
    its cost falling 100, 1, 0.01; |dE/dS_T| = 1 at every iterate."""
    weights = np.array([[-3.0, -3.0], [0.0, 0.0], [3.0, 3.0]])
    return Run(weights, np.array([100.0, 1.0, 0.01]), None), np.ones(3)


def layout_by_hand():
    """A 640x360 frame's layout checked by hand: the caption strip is 7% of 360 (25 px), the
    font 360 // 40 = 9 px, the square's left 3.2 em (28 px) and top 1.6 em (14 px), its side
    what is left above the ticks' 2.2 em (19 px): 360 - 25 - 14 - 19 = 302."""
    from rnnviz.animation.layout import Layout, Runner, clip_segment, frame_indices, pace

    run, gradient = corner_to_corner()
    layout = Layout([Runner(run, None, "main", (0, 0, 0), "circle")], RANGES, (640, 360))
    assert (layout.strip, layout.em, layout.left, layout.top, layout.side) == (25, 9, 28, 14, 302)
    assert layout.left + layout.side <= 640 and layout.top + layout.side <= 360 - layout.strip
    # the range's corners on the square's corners (w_rec grows upward), its middle in the middle
    assert layout.pixel_of(0) == (28, 14 + 302)
    assert layout.pixel_of(1) == (28 + 151, 14 + 151)
    assert layout.pixel_of(2) == (28 + 302, 14)
    # the side views: 4.5 em (40 px) right of the square, 12 px from the frame's edge; the
    # readout's two lines (the iteration, the run) 1.35 em apart, then the cost chart
    assert layout.pane == (370, 14, 628, 316)
    assert layout.readout_y(0) == pytest.approx(14 + 9 * 1.35)
    charts_top = 14 + 2 * 9 * 1.35 + 9
    chart = layout.cost_chart
    assert chart == pytest.approx((370, charts_top + 9 * 1.2, 628, 316, -2.0, 2.0))
    assert layout.gradient_chart is None  # no T, no gradients
    # iterate 1 of 3: half way across; cost 1 (10^0): half way up from 10^-2 to 10^2
    x, y = layout.cost_point(0, 1)
    assert x == 499 and y == pytest.approx(316 - (316 - chart.top) / 2)
    assert layout.counter(2) == "iteration 2 of 2"
    assert layout.readout(0, 1) == "main: cost 1   w = (0.0000, 0.0000)"

    # a diverged racer (cost 1e77 at its last iterate) with the gradient view, T = 10
    racer = Run(np.array([[-3.0, -3.0], [50.0, 40.0]]), np.array([100.0, 1e77]), 2)
    race = Layout(
        [
            Runner(run, gradient, "main", (0, 0, 0), "circle"),
            Runner(racer, np.ones(2), "racer", (0, 0, 0), "square"),
        ],
        RANGES,
        (640, 360),
        T=10,
    )
    cost, grad = race.cost_chart, race.gradient_chart
    assert (cost.lo, cost.hi) == (-2.0, 2.0)  # the racer that diverged does not set the range
    assert race.beyond(cost, race.cost_logs) == ["racer"]
    assert race.held(1, 2) == 1  # it holds its last iterate
    assert cost.left == grad.left == 370 and cost.right == grad.right == 628
    assert cost.bottom < grad.top < grad.bottom <= race.pane[3]
    # |dE/dS_k| = |dE/dS_T| |w_rec|^(T-k) at the top right corner: 3^10 at k = 0 (the right),
    # on a range from 10^0 (k = T) up to 10^5 (10 log10 3 = 4.77, rounded up)
    assert (grad.lo, grad.hi) == (0.0, 5.0)
    xs, ys = race.gradient_points(0, 2)
    assert (xs[0], xs[-1]) == (370, 628)
    height = grad.bottom - grad.top
    assert ys[0] == grad.bottom
    assert ys[-1] == pytest.approx(grad.bottom - 10 * math.log10(3) / 5 * height)

    # the frames' iterates, and a segment cut to a box on its own line
    assert frame_indices(11, 3) == [0, 5, 10]
    assert pace(101, 10) == (list(range(101)), pytest.approx(10.1))
    assert clip_segment((-5, 5), (15, 5), 0, 10) == ((0, 5), (10, 5))


def test_the_layout_places_a_frame_by_hand_without_pillow():
    # this file's layout_by_hand, in a Python where importing PIL fails
    code = (
        "import importlib.util, sys\n"
        "sys.modules['PIL'] = None\n"
        f"spec = importlib.util.spec_from_file_location('by_hand', {str(Path(__file__))!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "module.layout_by_hand()\n"
        "assert sys.modules['PIL'] is None and not any(m.startswith('PIL.') for m in sys.modules)\n"
        "print('placed')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "placed\n"


def test_the_surfaces_ticks_are_round_values_inside_its_range_where_the_weights_go():
    from rnnviz.animation.layout import Layout, Runner

    run, _ = corner_to_corner()
    runner = Runner(run, None, "main", (0, 0, 0), "circle")
    across, up = Layout([runner], RANGES, (640, 360)).surface_ticks()
    # -3 to 3 in at most 5 pieces: every 2; w_x from the square's left (28 px), w_rec from its
    # top (14 px) down, 302 px for 6
    assert [text for _, text in across] == [text for _, text in up] == ["-2", "0", "2"]
    assert [x for x, _ in across] == pytest.approx([28 + 302 / 6, 28 + 151, 28 + 302 * 5 / 6])
    assert [y for y, _ in up] == pytest.approx([14 + 302 * 5 / 6, 14 + 151, 14 + 302 / 6])
    # a lopsided view: w_x -5 to 12 (17 in 5: every 5), w_rec -0.7 to 2.2 (2.9 in 5: every 1)
    lopsided = Layout([runner], (-5.0, 12.0, -0.7, 2.2), (640, 360))
    across, up = lopsided.surface_ticks()
    assert [text for _, text in across] == ["-5", "0", "5", "10"]
    assert [text for _, text in up] == ["0", "1", "2"]
    assert across[0][0] == 28 and across[-1][0] == pytest.approx(28 + 302 * 15 / 17)
    assert up[-1][0] == pytest.approx(14 + 302 * 0.2 / 2.9)
