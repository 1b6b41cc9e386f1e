import json
import math

import numpy as np
import plotly.io as pio
import pytest
from figure_data import decoded, trace_named

import rnnviz
from rnnviz import plots, surface_image
from rnnviz.params import PROBES


def build(optimizer=None, ranges=(-3.0, 3.0, -3.0, 3.0), resolution=60, validate=False, **kw):
    X, t = rnnviz.make_dataset(**kw)
    wx = surface_image.pixel_centres(ranges[0], ranges[1], resolution)
    wrec = surface_image.pixel_centres(ranges[2], ranges[3], resolution)
    hover = (
        surface_image.pixel_centres(ranges[0], ranges[1], 11),
        surface_image.pixel_centres(*ranges[2:], 11),
    )
    layer = surface_image.surface_layer(
        rnnviz.cost_surface(X, t, wx, wrec), rnnviz.cost_surface(X, t, *hover), ranges
    )
    run = rnnviz.train(X, t, optimizer or rnnviz.rprop())
    gtt = rnnviz.gradient_through_time(X, t, run.weights[:, 0], run.weights[:, 1]).signed
    probes = {k: rnnviz.gradient_through_time(X, t, *w).signed for k, w in PROBES.items()}
    floor = (rnnviz.valley_floor(X, t, wrec), wrec)
    fig = plots.dashboard_figure(layer, run, gtt, probes, floor, validate=validate)
    return fig, layer, run, gtt


@pytest.fixture(scope="module")
def tutorial():
    return build()


by_name = trace_named


def walk_numbers(value, path="figure"):
    """Every number sent to the browser, with where it sits."""
    if isinstance(value, dict) and "bdata" in value:
        yield from walk_numbers(decoded(value), path)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_numbers(item, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from walk_numbers(item, f"{path}[{i}]")
    elif isinstance(value, np.ndarray):
        if value.dtype.kind in "fiu":
            yield from ((f"{path}[array]", float(v)) for v in value.ravel())
        else:
            yield from walk_numbers(value.tolist(), path)
    elif isinstance(value, (float, int, np.floating, np.integer)) and not isinstance(value, bool):
        yield path, float(value)


def assert_all_finite(fig):
    bad = [(path, v) for path, v in walk_numbers(fig.to_dict()) if not math.isfinite(v)]
    assert bad == []
    # And what actually goes over the wire parses as strict JSON (no NaN or Infinity tokens).
    json.loads(pio.to_json(fig.to_dict(), validate=False), parse_constant=pytest.fail)


def test_figure_is_valid_plotly_including_every_frame():
    fig, *_ = build(seq_len=6, n_samples=5, validate=True)  # plotly checks each property
    assert len(fig.frames) > 1


def test_every_number_sent_is_finite(tutorial):
    assert_all_finite(tutorial[0])


def test_axes_follow_the_view_and_the_image_spans_it_exactly():
    fig, layer, *_ = build(ranges=(-0.1, 2.1, -0.5, 1.5))
    layout = fig.to_dict()["layout"]
    assert layout["xaxis"]["range"] == [-0.1, 2.1] and layout["yaxis"]["range"] == [-0.5, 1.5]
    (image,) = layout["images"]
    assert (image["x"], image["y"]) == (-0.1, 1.5)
    assert image["sizex"] == pytest.approx(2.2) and image["sizey"] == pytest.approx(2.0)
    assert image["source"] == layer.image and image["source"].startswith("data:image/png;base64,")


def test_colour_bar_ticks_are_whole_decades(tutorial):
    fig, layer, *_ = tutorial
    bar = by_name(fig.to_dict(), "colour bar")["marker"]
    assert bar["cmin"] == layer.log_lo and bar["cmax"] == layer.log_hi
    ticks = bar["colorbar"]["tickvals"]
    assert ticks == list(range(int(layer.log_lo), int(layer.log_hi) + 1))
    assert bar["colorbar"]["ticktext"][ticks.index(8)] == "10<sup>8</sup>"
    assert layer.log_hi >= 9  # the overview reaches about 2.2e9


def test_hover_layer_carries_the_raw_cost(tutorial):
    fig, layer, *_ = tutorial
    hover = by_name(fig.to_dict(), "surface")
    i, j = 3, 7
    assert hover["type"] == "heatmap" and hover["opacity"] == 0
    assert hover["x"][j] == layer.hover_wx[j] and hover["y"][i] == layer.hover_wrec[i]
    assert float(hover["customdata"][i][j]) == pytest.approx(layer.hover_cost[i, j], rel=1e-3)
    assert "cost %{customdata}" in hover["hovertemplate"]


def test_path_markers_and_one_frame_per_iterate(tutorial):
    fig, _, run, _gtt = tutorial
    d = fig.to_dict()
    path = by_name(d, "rprop (tutorial) path")
    np.testing.assert_array_equal(path["x"], run.weights[:, 0])
    assert by_name(d, "end")["x"][0] == run.weights[-1, 0]
    assert by_name(d, "start")["y"][0] == 2.0
    assert len(by_name(d, "gradient sign flip")["x"]) == run.sign_flips.any(axis=1).sum()
    assert len(d["frames"]) == len(run.weights) == 501


def test_frames_move_the_iterate_the_gradient_line_and_the_readout(tutorial):
    fig, _, run, gtt = tutorial
    d = fig.to_dict()
    names = [t.get("name") for t in d["data"]]
    frame = d["frames"][100]
    assert frame["name"] == "100"
    moved = dict(zip([names[i] for i in frame["traces"]], frame["data"], strict=True))
    current = moved["current iterate"]
    assert current["x"][0] == pytest.approx(run.weights[100, 0], rel=1e-6)
    assert current["y"][0] == pytest.approx(run.weights[100, 1], rel=1e-6)
    gradient = next(v for k, v in moved.items() if k.startswith("|dE/dS<sub>k</sub>| now"))
    np.testing.assert_allclose(gradient["y"], np.abs(gtt[100]), rtol=1e-3)
    assert moved["current iteration"]["x"] == [100, 100]
    assert moved["readouts"]["text"][1].startswith("iteration 100 | cost 0.03965")


def test_play_pause_and_scrubber_drive_the_frames(tutorial):
    layout = tutorial[0].to_dict()["layout"]
    buttons = {b["label"]: b for b in layout["updatemenus"][0]["buttons"]}
    assert set(buttons) == {"▶ play", "speed 1/4", "speed 4", "❚❚ pause"}
    play = buttons["▶ play"]["args"][1]
    assert play["frame"]["redraw"] is False and play["fromcurrent"] is True
    assert 1000 / play["frame"]["duration"] >= 30  # asks for 30 frames a second
    assert buttons["speed 4"]["args"][0][-1] == "500"  # skipping frames still ends at the end
    assert buttons["❚❚ pause"]["args"][0] == [None]
    steps = layout["sliders"][0]["steps"]
    assert [s["args"][0] for s in steps[:3]] == [["0"], ["4"], ["8"]]
    assert steps[-1]["args"][0] == ["500"] and steps[-1]["label"] == "500"


def test_gradient_through_time_panel_is_log_and_reversed(tutorial):
    layout = tutorial[0].to_dict()["layout"]
    assert layout["yaxis2"]["type"] == "log" and layout["yaxis3"]["type"] == "log"
    lo, hi = layout["xaxis2"]["range"]
    assert lo > hi  # output (k = T) on the left


def test_a_diverged_run_is_drawn_up_to_its_last_finite_iterate_and_announced():
    fig, _, run, _ = build(optimizer=rnnviz.sgd(1e-6))
    assert run.diverged_at is not None
    assert_all_finite(fig)
    d = fig.to_dict()
    assert len(d["frames"]) == len(run.weights)
    assert any("diverged at iteration" in a["text"] for a in d["layout"]["annotations"])


def test_long_sequences_with_overflow_still_send_only_finite_numbers():
    fig, layer, _run, _gtt = build(seq_len=400, n_samples=8, optimizer=rnnviz.rprop())
    assert layer.overflow_fraction > 0
    assert_all_finite(fig)


def test_through_time_points_leave_out_zero_and_overflow():
    k, magnitude, sign = plots.through_time_points([0.0, -np.inf, 2.0, -3.0])
    assert k == [2, 3] and magnitude == [2.0, 3.0] and sign == [1, 0]
    assert plots.through_time_points([1.0, 2.0])[2] == 1  # one number when all agree


@pytest.mark.parametrize(
    ("w_rec", "word"),
    [(1.5, "exploding"), (0.5, "vanishing"), (1.0, "neutral"), (-2, "alternates")],
)
def test_growth_badge_names_the_regime(w_rec, word):
    assert word in plots.growth_badge(w_rec)


def test_default_payload_stays_small(tutorial):
    # The figure sent per rerun at default settings (resolution 300 in the app; 60 here).
    size = len(pio.to_json(tutorial[0].to_dict(), validate=False))
    assert size < 500_000


def test_a_run_that_overflows_at_its_start_draws_the_surface_alone():
    fig, layer, run, _ = build(seq_len=900, n_samples=4, resolution=20)
    assert run.diverged_at == 0 and len(run.weights) == 0
    d = fig.to_dict()
    assert d["frames"] == [] and d["layout"]["images"][0]["source"] == layer.image
    assert not any(t.get("name", "").endswith("path") for t in d["data"])
    assert_all_finite(fig)


def test_log_axis_range_keeps_the_opening_frame_in_view():
    lo, hi = plots.log_axis_range([1e6, 1e80], keep_visible=[1e6])
    assert lo <= 6 and hi - lo <= plots.MAX_AXIS_DECADES
    lo, hi = plots.log_axis_range([1e-300, 1.0])
    assert hi - lo <= plots.MAX_AXIS_DECADES


def test_long_runs_get_a_coarser_scrubber_that_still_reaches_the_end():
    steps = plots._scrubber(2001)["steps"]
    names = [int(s["args"][0][0]) for s in steps]
    assert len(steps) <= plots.MAX_SCRUBBER_STEPS + 1
    assert names[0] == 0 and names[-1] == 2000 and names[1] - names[0] == 16


def test_the_run_panel_shows_steps_for_every_optimiser():
    fig, _, run, _ = build(optimizer=rnnviz.adam(0.05))
    d = fig.to_dict()
    steps = [t for t in d["data"] if t.get("name", "").startswith("step |Δw|")]
    assert len(steps) == 2
    np.testing.assert_allclose(
        decoded(steps[0]["y"]), np.abs(np.diff(run.weights[:, 0])), rtol=1e-12
    )
    assert "step |Δw| (" in d["frames"][3]["data"][4]["text"][1]
    rprop_fig = build()[0].to_dict()
    assert "step size δ (" in rprop_fig["frames"][3]["data"][4]["text"][1]


def test_iterates_outside_the_view_are_counted_in_a_note():
    fig, _, run, _ = build(ranges=(-0.1, 2.1, -0.1, 2.1))
    outside = sum(not (-0.1 <= x <= 2.1 and -0.1 <= y <= 2.1) for x, y in run.weights.tolist())
    assert outside > 0  # the tutorial starts at (-1.5, 2)
    notes = [a["text"] for a in fig.to_dict()["layout"]["annotations"]]
    assert any(f"{outside} of 501 iterates lie outside this view" in n for n in notes)
    overview = build()[0].to_dict()["layout"]["annotations"]
    assert not any("outside this view" in a["text"] for a in overview)
