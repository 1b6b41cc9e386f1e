"""The persistent plot's data (rnnviz/live.py) against the run it came from."""

import base64
import json
import re

import numpy as np
import pytest

import rnnviz
from rnnviz import live, parts, surface_image
from rnnviz.panels import surface
from rnnviz.panels.gradient import growth_kind
from rnnviz.probe_points import PROBES


def build(optimizer=None, iterations=500, seq_len=10, w0=(-1.5, 2.0)):
    X, t = rnnviz.make_dataset(20, seq_len, 1)
    run = rnnviz.train(X, t, optimizer or rnnviz.rprop(), w0=w0, iterations=iterations)
    through_time = rnnviz.gradient_through_time(X, t, run.weights[:, 0], run.weights[:, 1]).signed
    ranges = (-3.0, 3.0, -3.0, 3.0)
    grid = surface_image.pixel_centres(-3, 3, 40)
    layer = surface_image.surface_layer(
        rnnviz.cost_surface(X, t, grid, grid), rnnviz.cost_surface(X, t, grid, grid), ranges
    )
    probes = {label: rnnviz.gradient_through_time(X, t, *w).signed for label, w in PROBES.items()}
    view = live.view_part(layer, probes, (rnnviz.valley_floor(X, t, grid), grid), seq_len)
    return run, through_time, view, live.run_part(run, through_time, probes.values(), ranges)


@pytest.fixture(scope="module")
def tutorial():
    return build()


def series(part, name):
    return live.decode(part["series"][name])


def test_series_hold_the_run_exactly(tutorial):
    run, _, _, part = tutorial
    assert part["count"] == len(run.weights) == 501
    np.testing.assert_array_equal(series(part, "w_x"), run.weights[:, 0])  # float64, bit for bit
    np.testing.assert_array_equal(series(part, "w_rec"), run.weights[:, 1])
    # what is only read (readout, hover, run chart) to float32's 7 digits
    np.testing.assert_allclose(series(part, "cost"), run.costs, rtol=1e-7)
    np.testing.assert_allclose(series(part, "gradient_x"), run.gradients[:, 0], rtol=1e-7)
    np.testing.assert_allclose(series(part, "step_x"), run.step_sizes[:, 0], rtol=1e-7)
    lengths = np.linalg.norm(np.diff(run.weights, axis=0), axis=1)
    np.testing.assert_allclose(series(part, "step_length")[:-1], lengths, rtol=1e-5)


def geometric_rows(part, spec):
    """What static/series.js geometricRow draws for every iterate: values and sign codes.

    scale_i ratio_i^(T-k), from log10 magnitudes and -1/0/1 signs; None where not drawn.
    """
    raw = {
        name: np.frombuffer(base64.b64decode(value["bdata"]), value["dtype"])
        for name, value in part["series"].items()
        if "bdata" in value
    }
    T = spec["exponents"]
    n = T - np.arange(T + 1)
    log_scale = raw[spec["scale"]][:, None] if "scale" in spec else 0.0
    scale_sign = raw[spec["scale_sign"]][:, None].astype(float) if "scale_sign" in spec else 1.0
    log_ratio = raw[spec["ratio"]][:, None]
    ratio_sign = raw[spec["ratio_sign"]][:, None].astype(float) if "ratio_sign" in spec else 1.0
    with np.errstate(over="ignore"):
        values = 10.0 ** (log_scale + log_ratio * n)
        sign = scale_sign * np.where(n == 0, 1.0, ratio_sign**n)
    drawn = (sign != 0) & np.isfinite(values) & (values > 0)
    return np.where(drawn, values, np.nan), np.where(drawn, np.where(sign > 0, 2, 1), 0)


def moving_field(part, trace, field):
    return next(m[field] for m in part["moving"] if m["trace"] == trace)


def test_the_browser_forms_the_gradient_through_time_of_every_iterate(tutorial):
    """Rows formed in the browser from dE/dS_T and w_rec equal the full matrix of the run."""
    _, through_time, _, part = tutorial
    spec = moving_field(part, "gradient-now", "y")["geometric"]
    assert moving_field(part, "gradient-now", "marker.color") == {"geometric": spec, "signs": True}
    values, sign = geometric_rows(part, spec)
    assert (sign != 0).all()  # the tutorial's run never overflows or hits zero
    np.testing.assert_allclose(values, np.abs(through_time), rtol=1e-12)
    np.testing.assert_array_equal(sign, np.where(through_time > 0, 2, 1))  # 1 red, 2 blue
    # the dashed shape |w_rec|^(T-k)
    shape, _ = geometric_rows(part, moving_field(part, "shape", "y")["geometric"])
    T = through_time.shape[1] - 1
    w_rec = live.decode(part["series"]["w_rec"])
    np.testing.assert_allclose(shape, np.abs(w_rec)[:, None] ** (T - np.arange(T + 1)), rtol=1e-12)


def test_signs_alternate_where_w_rec_is_negative_and_zero_is_not_drawn():
    X, t = rnnviz.make_dataset(20, 7, 1)
    w_x = np.array([0.5, 0.5, 0.5, 1.0, 1.0])
    w_rec = np.array([-1.3, -0.4, 0.0, 1.0, 2.0])  # the fourth fits exactly: dE/dS_T = 0
    updates = np.ones((4, 2))
    run = rnnviz.Trajectory(
        np.column_stack([w_x, w_rec]), np.ones(5), updates, updates, updates == 0, "rprop", None, ""
    )
    truth = rnnviz.gradient_through_time(X, t, w_x, w_rec).signed
    part = live.run_part(run, truth)
    values, sign = geometric_rows(part, moving_field(part, "gradient-now", "y")["geometric"])
    expected = np.where(truth > 0, 2, np.where(truth < 0, 1, 0))
    np.testing.assert_array_equal(sign, expected)
    assert (expected[0, :-1] != expected[0, 1:]).all()  # w_rec < 0: the colour alternates
    assert (sign[2, :-1] == 0).all() and sign[2, -1] != 0  # w_rec = 0: only k = T
    assert (sign[3] == 0).all()  # an exact fit: nothing to draw
    drawn = sign != 0
    np.testing.assert_allclose(values[drawn], np.abs(truth[drawn]), rtol=1e-12)


def test_the_badge_names_what_backpropagation_does_at_each_iterate(tutorial):
    run, _, _, part = tutorial
    growth = part["series"]["growth"]
    codes = live.decode(growth["codes"]).astype(int)
    for i in (0, 100, 500):
        assert growth["labels"][codes[i]] == growth_kind(run.weights[i, 1])
    assert growth["labels"][codes[0]] == "exploding"  # the start, w_rec = 2


def test_every_moving_trace_and_readout_refers_to_what_is_sent(tutorial):
    _, _, view, part = tutorial
    for moving in part["moving"]:
        traces = view[moving["panel"]]["traces"] + part["panels"][moving["panel"]]["traces"]
        assert moving["trace"] in {t["uid"] for t in traces}
        if "edge" in moving:  # markers for another trace's points beyond the axis
            assert moving["edge"] in {t["uid"] for t in traces}
            continue
        for field, spec in moving.items():
            if field in ("panel", "trace") or spec == "iteration":
                continue
            if isinstance(spec, str):
                name = spec
            else:
                geometric = spec.get("geometric", {})
                names = [geometric.get(k) for k in ("scale", "scale_sign", "ratio", "ratio_sign")]
                names += [spec.get("upto"), spec.get("at_last"), spec.get("where")]
                for name in filter(None, names):
                    assert name in part["series"], name
                continue
            assert name in part["series"], name
    for template in [*part["readout"], part["badge"]]:
        for name in re.findall(r"\{(\w+)", template):
            assert name in part["series"] or name in ("i", "last"), name


def test_trace_ids_are_svg_safe(tutorial):
    _, _, view, part = tutorial
    uids = [t["uid"] for p in live.PANELS for t in view[p]["traces"] + part["panels"][p]["traces"]]
    assert len(uids) == len(set(uids))
    assert all(uid and " " not in uid for uid in uids)


def test_nothing_sent_is_nan_or_infinite_and_the_run_fits_its_budget(tutorial):
    _, _, view, part = tutorial
    run_json = json.dumps(part, allow_nan=False)  # raises on NaN or inf
    json.dumps(view, allow_nan=False)
    for spec in part["series"].values():
        values = live.decode(spec["codes"] if "labels" in spec else spec)
        assert np.all(np.isfinite(values))
    assert len(run_json) <= 100_000  # bytes per rerun after an eta change (issue 7)


def test_a_run_that_overflows_is_sent_up_to_its_last_finite_iterate():
    run, _, _, part = build(rnnviz.sgd(learning_rate=1e-6))
    assert run.diverged_at == 3 and part["count"] == 3
    assert "Diverged at iteration 3" in part["notes"][0]
    json.dumps(part, allow_nan=False)


def test_long_sequences_overflow_to_gaps_not_to_infinity():
    _, through_time, _, part = build(seq_len=200, iterations=50, w0=(1.5, 0.01))
    values, sign = geometric_rows(part, moving_field(part, "gradient-now", "y")["geometric"])
    assert (sign == 0).any()  # |dE/dS_k| zero in float64 early in time (0.01^200): not drawn
    # Where float64 holds the value as a normal number, the browser draws it, exactly; at the
    # edge of float64 (subnormals) it may draw a value below 1e-300 that the product rounds to 0.
    magnitude = np.abs(through_time)
    normal = (magnitude > 1e-300) & (magnitude < 1e300)
    assert (sign[normal] != 0).all()
    np.testing.assert_allclose(values[normal], magnitude[normal], rtol=1e-12)
    assert np.all((sign[~normal] == 0) | (values[~normal] < 1e-300))
    json.dumps(part, allow_nan=False)


@pytest.fixture(scope="module")
def largest():
    """The largest settings the controls allow: 200 sequences of 200, 2000 iterations."""
    X, t = rnnviz.make_dataset(200, 200, 1)
    return X, t, rnnviz.train(X, t, rnnviz.rprop(), iterations=2000)


@pytest.mark.parametrize("trail", [False, True])
def test_the_largest_run_is_sent_in_a_few_hundred_kilobytes(largest, trail):
    """Issue 10's budget is 2 MB a rerun; the run part was 2.9 MB when it sent dE/dS_k whole."""
    X, t, run = largest
    final = rnnviz.final_state_gradient(X, t, run.weights[:, 0], run.weights[:, 1])
    through_time = rnnviz.backpropagate(final, run.weights[:, 1], 200).signed
    part = live.run_part(run, through_time, ranges=(-3.0, 3.0, -3.0, 3.0), trail=trail)
    assert part["count"] == 2001
    assert len(json.dumps(part, allow_nan=False)) < 300_000


def test_the_largest_view_is_sent_in_a_few_hundred_kilobytes(largest):
    """Resolution 1000 with contours, the six probes and the valley floor."""
    X, t, _ = largest
    ranges = (-3.0, 3.0, -3.0, 3.0)
    grid = surface_image.pixel_centres(-3, 3, 1000)
    hover = surface_image.pixel_centres(-3, 3, 31)
    layer = surface_image.surface_layer(
        rnnviz.cost_surface(X, t, grid, grid), rnnviz.cost_surface(X, t, hover, hover), ranges
    )
    probes = {label: rnnviz.gradient_through_time(X, t, *w).signed for label, w in PROBES.items()}
    view = live.view_part(layer, probes, (rnnviz.valley_floor(X, t, grid), grid), 200)
    assert len(json.dumps(view, allow_nan=False)) < 400_000


def test_a_run_with_no_finite_iterate_sends_nothing_to_draw():
    X, t = rnnviz.make_dataset(4, 900, 1)  # the cost overflows float64 at the start point
    run = rnnviz.train(X, t, rnnviz.rprop(), iterations=5)
    assert len(run.weights) == 0
    part = live.run_part(run, np.zeros((0, 901)))
    assert part["count"] == 0 and part["moving"] == []


def test_values_beyond_float32_keep_float64():
    assert live.display([1.0, 2.5e-3])["dtype"] == "f4"
    wall = live.display([1.0, 3e200])
    assert wall["dtype"] == "f8" and live.decode(wall)[1] == 3e200


def test_encode_refuses_what_the_browser_must_never_see():
    with pytest.raises(ValueError, match="finite"):
        live.encode([1.0, np.nan])
    with pytest.raises(ValueError, match="finite"):
        live.encode([0.0], log10=True)  # log10(0) = -inf
    assert live.decode(live.encode([1e-300, 1e300], log10=True)) == pytest.approx([1e-300, 1e300])


def test_a_trail_draws_the_path_up_to_the_current_iterate_and_the_end_star_last():
    run, gtt, _, _ = build(iterations=20)
    part = live.run_part(run, gtt, trail=True)
    path = next(t for t in part["panels"]["surface"]["traces"] if t["uid"] == "path")
    end = next(t for t in part["panels"]["surface"]["traces"] if t["uid"] == "end")
    assert "x" not in path and "x" not in end  # nothing drawn ahead of the animation
    moving = {m["trace"]: m for m in part["moving"]}
    assert moving["path"]["x"] == {"upto": "w_x"} and moving["end"]["y"] == {"at_last": "w_rec"}
    flips = next(t for t in part["panels"]["surface"]["traces"] if t["uid"] == "sign-flips")
    assert "x" not in flips and moving["sign-flips"]["x"] == {"upto": "w_x", "where": "flipped"}
    flipped = live.decode(part["series"]["flipped"])
    np.testing.assert_array_equal(np.nonzero(flipped)[0], np.nonzero(run.sign_flips.any(axis=1))[0])
    still = live.run_part(run, gtt)
    assert "path" not in {m["trace"] for m in still["moving"]}  # the whole path, drawn once


def test_presenter_sizes():
    run, gtt, view, _ = build(iterations=20)
    part = live.run_part(run, gtt, present=True)
    path = next(t for t in part["panels"]["surface"]["traces"] if t["uid"] == "path")
    assert path["line"]["width"] >= 3 and path["line"]["color"] == "white"  # opaque, thick
    current = next(t for t in part["panels"]["surface"]["traces"] if t["uid"] == "current-iterate")
    others = [
        t
        for t in part["panels"]["surface"]["traces"] + view["surface"]["traces"]
        if t["uid"] != "current-iterate"
    ]
    symbols = {t.get("marker", {}).get("symbol") for t in others}
    colours = {str(t.get("marker", {}).get("color")) for t in others}
    assert current["marker"]["symbol"] not in symbols
    assert current["marker"]["color"] not in colours


def test_the_run_chart_keeps_a_diverged_runs_start_and_end_in_view():
    run, gtt, _, part = build(rnnviz.rprop(eta_p=2.0, eta_n=0.99))  # diverges at 289
    lo, hi = part["panels"]["run"]["layout"]["yaxis"]["range"]
    for cost in (run.costs[0], run.costs[-1]):  # 6e5 and about 1e260: 250 decades apart
        assert lo <= np.log10(cost) <= hi
    lo, hi = part["panels"]["gradient"]["layout"]["yaxis"]["range"]
    for row in (0, -1):  # the first and the last curve of the gradient through time
        drawn = np.abs(gtt[row][np.isfinite(gtt[row]) & (gtt[row] != 0)])
        assert np.all((lo <= np.log10(drawn)) & (np.log10(drawn) <= hi))


def test_the_step_colours_span_the_steps_taken_not_the_floats_floor():
    _, _, _, part = build(seq_len=1, iterations=200)  # lands exactly: steps of 0
    path = next(t for t in part["panels"]["surface"]["traces"] if t["uid"] == "path")
    cmin, cmax = path["marker"]["cmin"], path["marker"]["cmax"]
    assert cmax - cmin <= surface.STEP_DECADES and cmin > -20


def test_the_optimum_is_a_white_ring_and_k_0_has_no_zero_line(tutorial):
    _, _, view, _ = tutorial
    optimum = next(t for t in view["surface"]["traces"] if t["uid"] == "optimum")
    # an open symbol is drawn in marker.color: without it plotly picked the trace's default
    assert optimum["marker"]["symbol"] == "circle-open" and optimum["marker"]["color"] == "white"
    assert view["gradient"]["layout"]["xaxis"]["zeroline"] is False


def test_a_path_that_leaves_the_view_is_drawn_leaving_with_the_step_that_threw_it():
    X, t = rnnviz.make_dataset()
    run = rnnviz.train(X, t, rnnviz.sgd(2e-3), iterations=10)  # thrown off the wall at once
    through_time = rnnviz.gradient_through_time(X, t, run.weights[:, 0], run.weights[:, 1])
    part = live.run_part(run, through_time.signed, ranges=(-3.0, 3.0, -3.0, 3.0))
    (arrow,) = [tr for tr in part["panels"]["surface"]["traces"] if tr["uid"] == "left-view"]
    p, q = run.weights[0], run.weights[1]
    at = np.array([arrow["x"][0], arrow["y"][0]])
    assert at[1] == -3.0 and -3.0 <= at[0] <= 3.0  # on the edge it crossed (the bottom)
    cross = (at - p)[0] * (q - p)[1] - (at - p)[1] * (q - p)[0]
    assert abs(cross) <= 1e-6 * np.hypot(*(q - p)) * np.hypot(*(at - p))  # on the step's line
    assert f"left at iteration 1: step {np.hypot(*(q - p)):.3g}" == arrow["text"][0]
    assert 90 < arrow["marker"]["angle"] < 270  # pointing down, the way it went


def test_a_path_inside_the_view_has_no_exit_arrow(tutorial):
    part = tutorial[3]
    assert not [tr for tr in part["panels"]["surface"]["traces"] if tr["uid"] == "left-view"]


def test_log_axis_range_keeps_the_opening_frame_in_view():
    lo, hi = parts.log_axis_range([1e6, 1e80], keep_visible=[1e6])
    assert lo <= 6 and hi - lo <= parts.MAX_AXIS_DECADES
    lo, hi = parts.log_axis_range([1e-300, 1.0])
    assert hi - lo <= parts.MAX_AXIS_DECADES
    assert parts.log_axis_range([0.0, -np.inf]) == [-1.0, 1.0]  # nothing to show: one decade


@pytest.mark.parametrize(
    ("w_rec", "kind"),
    [(1.5, "exploding"), (0.5, "vanishing"), (1.0, "neutral"), (-2, "exploding, sign alternates")],
)
def test_growth_kind_names_the_regime(w_rec, kind):
    assert growth_kind(w_rec) == kind


def test_the_view_describes_each_panel_and_the_texts_it_shows(tutorial):
    """The browser builds its panels from the view alone: each has its figure, its title,
    and texts that name what the run part (and a race's) carries."""
    run, gtt, view, part = tutorial
    boxes = view["panels"]
    assert [box["name"] for box in boxes] == list(live.PANELS)
    for box in boxes:
        assert box["title"] and "traces" in view[box["name"]]
        for text in box["texts"]:
            assert isinstance(part[text], (str, list)) and part[text], text
    shown = {text for box in boxes for text in box["texts"]}
    assert shown == {"badge", "readout"}  # every text the run part fills is shown somewhere
    from rnnviz import race
    from rnnviz.parts import Runner

    twin = live.run_part(run, gtt, runner=Runner(2, "twin"))
    raced = race.race_part([(part, "main"), (twin, "twin")])
    assert all(raced[text] for text in shown)
    assert "click on the surface" in view["help"] and "surface" in view["clickable"]
