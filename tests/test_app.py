"""The page through Streamlit's AppTest: the tutorial, every control and a link's state."""

import pytest
from app_page import (
    assert_clean,
    button,
    divergence_said,
    metric,
    notices,
    path_start,
    plot_data,
    run_app,
    unescaped,
)

from rnnviz import probe_points, specs


def test_defaults_reproduce_the_tutorial(default_app):
    at = default_app
    assert_clean(at)
    assert metric(at, "final w_x") == "1.0014" and metric(at, "final w_rec") == "0.9997"
    assert metric(at, "iterations run") == "500"
    assert "Model output **5.00** vs true count **5**" in at.success[0].value
    data = plot_data(at)
    assert data["run"]["count"] == 501
    assert data["view"]["surface"]["layout"]["images"][0]["source"].startswith("data:image/png")


def test_a_larger_eta_p_moves_the_end_point(default_app):
    at = default_app
    before = (metric(at, "final w_x"), metric(at, "final w_rec"))
    at.slider(key="eta_p").set_value(1.5).run()
    assert_clean(at)
    assert (metric(at, "final w_x"), metric(at, "final w_rec")) != before
    at.slider(key="eta_p").set_value(1.2).run()
    assert (metric(at, "final w_x"), metric(at, "final w_rec")) == before


@pytest.mark.parametrize(
    ("kind", "key", "value"),
    [
        ("slider", "eta_n", 0.3),
        ("select_slider", "delta0", 0.01),
        ("selectbox", "variant", "irprop-"),
        ("slider", "iterations", 100),
        ("slider", "wx0", 2.0),
        ("slider", "wrec0", -1.0),
        ("number_input", "n_samples", 8),
        ("number_input", "seq_len", 25),
        ("number_input", "seed", 7),
        ("radio", "view", "zoom"),
        ("slider", "resolution", 100),
        ("checkbox", "contours", False),
        ("checkbox", "valley", False),
        ("multiselect", "probes", ["(1, 2)"]),
        ("selectbox", "optimizer", "adam"),
        ("selectbox", "optimizer", "rmsprop"),
    ],
)
def test_every_control_can_be_set_and_changes_the_figure(default_app, kind, key, value):
    at = default_app
    before = plot_data(at)
    widget = getattr(at, kind)(key=key)
    widget.set_value(value).run()
    assert_clean(at)
    assert plot_data(at) != before, f"{key} changed nothing"
    getattr(at, kind)(key=key).set_value(_default(key)).run()


def _default(key):
    if key == "probes":
        return list(probe_points.PROBES)
    if key in ("contours", "valley"):
        return True
    return specs.SPECS[key].default


def test_learning_rate_and_clipping_steer_gradient_descent():
    at = run_app(optimizer="sgd", learning_rate="0.01")
    said, alerts = divergence_said(at)
    assert "Diverged at iteration" in said and alerts == []  # thrown off the wall, said once
    at.select_slider(key="clip").set_value(1.0).run()
    assert_clean(at)  # clipped (Pascanu et al. 2013), the same rate walks down
    assert float(metric(at, "final cost")) == pytest.approx(0.074, rel=0.02)
    at.select_slider(key="learning_rate").set_value(0.001).run()
    assert_clean(at)
    assert float(metric(at, "final cost")) > 0.1
    assert at.select_slider(key="clip").disabled is False


def test_only_the_chosen_optimisers_own_settings_are_shown(default_app):
    at = default_app
    keys = {w.key for w in at.sidebar if getattr(w, "key", None)}
    assert {"eta_p", "eta_n", "delta0", "variant"} <= keys and "learning_rate" not in keys
    assert at.select_slider(key="clip").disabled  # Rprop ignores the gradient's size
    at.selectbox(key="optimizer").set_value("adam").run()
    keys = {w.key for w in at.sidebar if getattr(w, "key", None)}
    assert {"adam_lr", "adam_b1", "adam_b2"} <= keys and "eta_p" not in keys
    assert (
        at.select_slider(key="adam_lr").value == 0.02 and not at.select_slider(key="clip").disabled
    )
    assert float(metric(at, "final cost")) < 0.01  # Adam's defaults reach the optimum
    at.selectbox(key="optimizer").set_value("rprop").run()
    assert metric(at, "final w_x") == "1.0014"


def test_iterations_and_start_point_reach_the_path():
    at = run_app(iterations="100", wx0="2", wrec0="-1")
    assert_clean(at)
    data = plot_data(at)
    assert metric(at, "iterations run") == "100"
    assert data["run"]["count"] == 101
    assert path_start(data) == (2.0, -1.0)  # the path starts at the start point
    (start,) = [t for t in data["run"]["panels"]["surface"]["traces"] if t["uid"] == "start"]
    assert (start["x"][0], start["y"][0]) == (2.0, -1.0)


def test_shared_link_opens_in_that_state():
    at = run_app(eta_p="1.5", eta_n="0.3", wx0="2", wrec0="-1", variant="irprop-")
    assert_clean(at)
    assert at.slider(key="eta_p").value == 1.5 and at.slider(key="eta_n").value == 0.3
    assert at.selectbox(key="variant").value == "irprop-"
    assert at.warning.len == 0


def test_malformed_link_falls_back_to_defaults_with_a_notice():
    at = run_app(eta_p="banana", seq_len="-4")
    assert_clean(at)
    assert at.slider(key="eta_p").value == 1.2 and at.number_input(key="seq_len").value == 10
    shown = notices(at)
    assert "eta_p=“banana”" in shown and "seq_len=“-4”" in shown
    assert metric(at, "final w_x") == "1.0014"


def test_bad_switches_and_probe_points_in_a_link_are_explained():
    # Any point can be pinned as a probe now (issue 9); one far off the surface, or not a
    # point at all, is still explained and left out.
    at = run_app(contours="maybe", probes=["(1, 2)", "(999, 9)", "banana", "(0.5, 1.25)"])
    assert_clean(at)
    shown = notices(at)
    assert "contours=“maybe”" in shown and "(999, 9)" in shown and "banana" in shown
    assert at.checkbox(key="contours").value is True
    assert at.multiselect(key="probes").value == ["(1, 2)", "(0.5, 1.25)"]
    view = plot_data(at)["view"]
    pinned = [t for t in view["gradient"]["traces"] if t["name"] == "probe (0.5, 1.25)"]
    assert len(pinned) == 1


def test_impossible_link_values_are_corrected_to_the_nearest_valid_one():
    at = run_app(eta_n="1.5", delta0="0.0013")
    assert_clean(at)
    assert at.slider(key="eta_n").value == 0.99
    assert at.select_slider(key="delta0").value == 0.001
    shown = notices(at)
    assert "eta_n=“1.5”" in shown and "0.99" in shown


def test_a_diverging_run_is_explained_and_still_drawn():
    at = run_app(optimizer="sgd", learning_rate="0.001")
    assert not at.exception
    said, alerts = divergence_said(at)
    assert alerts == [] and said.count("Diverged at iteration") == 1  # once, in the figure
    assert "overflowed float64" in said  # why, in plain words
    assert plot_data(at)["run"]["count"] >= 1


def test_a_bad_custom_view_is_explained_and_the_overview_shown():
    at = run_app(view="custom", wx_min="2", wx_max="1")
    assert_clean(at)
    assert any("min < max" in w.value for w in at.warning)
    assert plot_data(at)["view"]["surface"]["layout"]["xaxis"]["range"] == [-3.0, 3.0]


def test_the_test_box_accepts_good_input_and_explains_bad_input(default_app):
    at = default_app
    box = at.text_input(key="sequence")
    box.set_value("01x1").run()
    assert not at.exception
    said = unescaped(at.error[0].value)
    assert "Can't read that sequence" in said and "'x'" in said
    assert plot_data(at)["run"]["count"] == 501  # the rest of the page is untouched
    at.text_input(key="sequence").set_value("0111").run()
    assert_clean(at)
    assert "Model output **3.00** vs true count **3**" in at.success[0].value
    for bad in ("", "0120", "1" * 1001):
        at.text_input(key="sequence").set_value(bad).run()
        assert not at.exception and at.error, bad
    at.text_input(key="sequence").set_value("011000010011").run()


def test_reset_returns_every_control_to_the_tutorial():
    at = run_app(eta_p="1.7", optimizer="adam", view="zoom")
    button(at, "↺ Reset to the tutorial").click().run()
    assert_clean(at)
    assert at.slider(key="eta_p").value == 1.2 and at.selectbox(key="optimizer").value == "rprop"
    assert at.radio(key="view").value == "overview"
    assert metric(at, "final w_x") == "1.0014"
