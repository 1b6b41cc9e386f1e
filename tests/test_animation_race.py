"""A race drawn as an animation: each runner in its colour and shape, where its run is."""

import numpy as np
import pytest
from test_animation import RANGES, near

import rnnviz
from rnnviz import animation, racer_grammar, specs, surface_image
from rnnviz.palette import RACER_STYLES

RACERS = ("sgd learning_rate=0.002 clip=10", "sgd learning_rate=0.002")  # the twin


@pytest.fixture(scope="module")
def race():
    """The tutorial's Rprop with the twin racing beside it (the unclipped twin diverges at
    iteration 2): Frames at 960x540 with the side views."""
    X, t = rnnviz.make_dataset()
    values = specs.defaults()
    settings = [
        specs.run_settings(values),
        *(racer_grammar.racer_settings(r, values) for r in RACERS),
    ]
    runs = []
    for each, label in zip(settings, ("rprop", "clipped", "unclipped"), strict=True):
        run = rnnviz.run(X, t, each)
        runs.append((run, rnnviz.final_state_gradient(X, t, *run.weights.T), label))
    layer = surface_image.layer_of(X, t, RANGES, 100)
    frames = animation.Frames(layer, animation.runners(runs), (960, 540), "twin", T=X.shape[1])
    return frames, [run for run, _, _ in runs], (X, t)


def test_each_racer_is_drawn_in_its_colour_where_its_run_is(race):
    frames, runs, _ = race
    assert runs[2].diverged_at == 2 and len(runs[2].weights) == 2
    magenta = animation.rgb(RACER_STYLES[0][0])
    # at the start every runner is at the same point: the main run's cyan is drawn on top
    start = frames.pixel_of(0, runner=1)
    assert near(frames.frame(0).getpixel(tuple(map(round, start))), animation.CURRENT)
    for i in (30, 200):
        picture = frames.frame(i)
        x, y = frames.pixel_of(i, runner=1)
        assert near(picture.getpixel((round(x), round(y))), magenta), i
        # by hand: the clipped racer's weights on the square
        w = runs[1].weights[i]
        assert (x, y) == pytest.approx(
            (frames.left + (w[0] + 3) / 6 * frames.side, frames.top + (3 - w[1]) / 6 * frames.side)
        )


def test_a_racer_that_diverged_holds_its_last_iterate_and_says_so(race):
    frames, runs, _ = race
    assert len(frames) == 501  # the longest run sets the animation's length
    # iterate 1 of the unclipped twin is its last (thrown far off the view); the readout
    # at iteration 100 still names it, and says where it stopped
    assert frames.readout(2, 100) == (
        "unclipped: cost 8.131e+77   diverged at iteration 2: held here"
    )
    assert frames.readout(1, 100).startswith("clipped: cost ")
    # the charts' ranges come from the runs that did not diverge (its cost reaches 1e77)
    finite = np.log10(np.concatenate([runs[0].costs, runs[1].costs]))
    assert frames.cost_chart.hi == np.ceil(finite.max())
    assert frames.cost_chart.lo == np.floor(finite.min())


def test_the_gradient_view_draws_dE_dS_k_of_each_runner_at_the_current_iterate(race):
    frames, runs, (X, t) = race
    chart = frames.gradient_chart
    for n in (0, 1):
        for i in (0, 50, 300):
            xs, ys = frames.gradient_points(n, i)
            w_x, w_rec = runs[n].weights[i]
            truth = rnnviz.gradient_through_time(X, t, w_x, w_rec).magnitude
            expected = np.log10(truth[::-1])  # the output (k = T) on the left
            drawn = chart.lo + (chart.bottom - ys) / (chart.bottom - chart.top) * (
                chart.hi - chart.lo
            )
            shown = np.clip(expected, chart.lo, chart.hi)
            assert drawn == pytest.approx(shown, abs=1e-9), (n, i)
            assert xs[0] == chart.left and xs[-1] == chart.right


def test_without_side_views_the_frame_is_the_surface_alone(race):
    frames, _, _ = race
    X, t = rnnviz.make_dataset()
    alone = animation.Frames(
        surface_image.layer_of(X, t, RANGES, 50),
        frames.runners,
        (960, 540),
        side_views=False,
        T=10,
    )
    assert alone.cost_chart is None and alone.gradient_chart is None
    # the square in the middle of the frame, nothing else above the caption strip
    assert abs(alone.left + alone.side / 2 - 480) <= 1
    picture = np.asarray(alone.frame(10))
    above_strip = picture[: 540 - alone.strip]
    assert (above_strip[:, alone.left + alone.side + 10 :] == 255).all()
    assert (above_strip[:, : alone.left - 60] == 255).all()  # left of the w_rec ticks
    # the iteration, in the strip's right end: drawn, and different from frame to frame
    corner = [np.asarray(alone.frame(i))[540 - alone.strip :, -200:] for i in (10, 11)]
    assert (corner[0] != 255).any() and (corner[0] != corner[1]).any()


def test_a_step_thrown_off_the_surface_is_drawn_in_its_own_direction(race):
    frames, runs, _ = race
    (x0, y0), (x1, y1) = runs[2].weights[:2]  # the unclipped twin's step of 1e4
    # where that straight line crosses w_rec = -2.9 (just inside the view's bottom), by hand
    t = (-2.9 - y0) / (y1 - y0)
    w_x = x0 + t * (x1 - x0)
    assert -3 < w_x < 0  # steeply down, not toward the corner
    px = frames.left + (w_x + 3) / 6 * frames.side
    py = frames.top + (3 + 2.9) / 6 * frames.side
    picture = frames.frame(0)
    black = animation.rgb(RACER_STYLES[1][0])  # the second racer's colour
    assert any(near(picture.getpixel((round(px) + d, round(py))), black, 30) for d in (-1, 0, 1))


def test_clipping_a_segment_keeps_its_direction():
    # inside: unchanged; through the box: cut at its edges on the same line; outside: None
    assert animation.clip_segment((1, 1), (2, 3), 0, 10) == ((1, 1), (2, 3))
    (a, b) = animation.clip_segment((5, 5), (5 + 1e4, 5 - 2e4), 0, 10)
    assert a == (5, 5) and b[1] == pytest.approx(0) and b[0] == pytest.approx(7.5)
    assert animation.clip_segment((-5, -5), (-1, 20), 0, 10) is None
