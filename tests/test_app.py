"""The page through Streamlit's AppTest: every control, URL parameters and the test box."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import links
from rnnviz import live, probe_points, racer_grammar, specs, stories, url_codec

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60  # the first run builds the surface and 500 frames; CI machines are slow


def run_app(**query):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def plot_data(at):
    """{part name: value} that the persistent plot holds after the last run.

    The page sends a part only when it changed since the last send in this session; forgetting
    what was sent and rerunning (all cache hits) makes it send every part again.
    """
    at.session_state["dashboard:sent"] = {}
    at.run()
    (element,) = [e for e in at.main if getattr(e, "type", "") == "bidi_component"]
    return {name: part["value"] for name, part in json.loads(element.proto.json)["parts"].items()}


def path_start(data):
    return tuple(live.decode(data["run"]["series"][name])[0] for name in ("w_x", "w_rec"))


def unescaped(markdown):
    """Text as a reader sees it: markdown's backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(links.WORD_JOINER, "")


def notices(at):
    """The link notices as a reader sees them."""
    return " ".join(unescaped(w.value) for w in at.warning)


def assert_clean(at):
    assert not at.exception
    assert [e.value for e in at.error] == []


@pytest.fixture(scope="module")
def default_app():
    return run_app()


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
    assert "diverged" in at.error[0].value  # plain gradients are thrown off the wall
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
    (error,) = at.error
    assert "diverged" in error.value and "iteration" in error.value
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


HOSTILE = ["inf", "-inf", "1e309", "Infinity", "+inf", "9" * 400, "2.6", "-0.4", ["5", "inf"]]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("key", ["n_samples", "seq_len", "seed", "iterations", "eta_p", "wx0"])
def test_a_hostile_number_in_a_link_is_corrected_and_notice_widget_and_url_agree(key, text):
    at = run_app(**{key: text})
    assert not at.exception, at.exception
    used = at.session_state[key]
    spec = specs.SPECS[key]
    assert spec.lo <= used <= spec.hi
    in_url = at.query_params.get(key)
    assert in_url == url_codec.url_text(key, used) or (in_url is None and used == spec.default)
    shown = notices(at)
    if shown:  # "2.6" for a float is not a correction, so no notice
        said = re.search(r"using (?:the default|the nearest valid value), (\S+)\.$", shown)
        assert said and float(said.group(1)) == used, shown
    else:
        assert float(text) == used


def test_markdown_in_a_link_is_shown_as_text_and_quoted_briefly():
    payload = "x` [Session expired](https://evil.example/login) ![](http://evil.example/p.png) `"
    at = run_app(eta_p=payload, optimizer="# heading" + "y" * 500)
    assert not at.exception
    shown = notices(at)
    assert f"eta_p={specs.quote(payload)}" in shown and specs.quote(payload).endswith("…”")
    assert len(shown) < 400
    for warning in at.warning:  # every markdown character is escaped
        assert not re.search(r"(?<!\\)[\[\]()`#!<>]", warning.value.split(":", 1)[1]), warning.value


def test_a_notice_stays_until_its_control_changes_and_reset_clears_them():
    at = run_app(eta_p="5", seed="inf")
    assert len(at.warning) == 2
    at.slider(key="eta_p").set_value(1.5).run()
    assert [w for w in notices(at).split("Link corrected") if "eta_p" in w] == []
    assert "seed" in notices(at)  # the other correction still holds
    button(at, "↺ Reset to the tutorial").click().run()
    assert len(at.warning) == 0


def test_divergence_advice_fits_the_optimiser_that_ran():
    at = run_app(eta_p="2", eta_n="0.99")  # Rprop's steps grow past the wall
    (error,) = at.error
    said = unescaped(error.value)
    assert "diverged" in said and "smaller eta_p or a larger eta_n" in said
    assert "try Rprop" not in said and "learning rate" not in said
    at = run_app(optimizer="sgd", learning_rate="0.001")
    said = unescaped(at.error[0].value)
    assert "smaller learning rate" in said and "eta_p" not in said


def button(at, label):
    (found,) = [b for b in at.button if b.label == label]
    return found


def story_caption(at):
    """The story bar's caption as a reader sees it, or '' when it shows none."""
    said = [unescaped(m.value) for m in at.markdown if m.value.startswith("**")]
    return said[0] if said else ""


@pytest.mark.parametrize("story", stories.STORIES, ids=[s.name for s in stories.STORIES])
def test_a_link_to_a_story_sets_what_it_says_and_captions_the_run(story):
    at = run_app(story=story.name)
    assert not at.exception
    for key, value in stories.values(story).items():
        assert at.session_state[key] == value, key
    assert story_caption(at).startswith(f"**{story.title}.** ")
    assert at.query_params["story"] == story.name


def test_stories_step_round_and_a_change_retires_the_caption():
    at = run_app(story="clipping")
    button(at, "▶").click().run()
    assert at.session_state["story"] == "twin"
    assert at.session_state["racers"] == ["sgd learning_rate=0.002"]  # the unclipped twin
    button(at, "◀").click().run()
    button(at, "◀").click().run()
    assert at.session_state["story"] == "thrown" and "iteration 3" in story_caption(at)
    at.slider(key="iterations").set_value(100).run()
    assert story_caption(at) == ""  # the caption no longer describes the run
    assert any("changed its settings" in c.value for c in at.caption)
    button(at, "↺ Reset to the tutorial").click().run()
    assert at.session_state["story"] == "" and at.session_state["optimizer"] == "rprop"
    assert "story" not in at.query_params


def test_a_bad_story_or_frame_in_a_link_is_explained():
    at = run_app(story="nope", frame="x")
    assert not at.exception
    shown = notices(at)
    assert "story=“nope”" in shown and "frame=“x”" in shown
    assert at.session_state["story"] == ""


def test_huge_numbers_read_in_scientific_form():
    at = run_app(optimizer="sgd", learning_rate="1")  # thrown far off: w_x about 1e5
    said = at.success[0].value + " " + " ".join(str(m.value) for m in at.metric)
    assert not re.search(r"\d{8,}", said), said  # no 70-digit numbers


def test_delta0s_help_says_the_first_step_is_scaled_by_eta(default_app):
    assert "eta_p" in default_app.select_slider(key="delta0").help


def test_the_largest_settings_send_under_the_two_megabyte_budget():
    """Issue 10: the largest link a control allows sent 7-9 MB a rerun; the budget is 2 MB."""
    at = run_app(iterations="2000", resolution="1000", n_samples="200", seq_len="200")
    assert_clean(at)
    data = plot_data(at)  # both parts, as on a first visit
    assert data["run"]["count"] == 2001
    assert len(json.dumps(data)) < 1_000_000


def map_data(at):
    """{part name: value} the outcome maps hold after the last run (every part, resent)."""
    at.session_state["outcome_maps:sent"] = {}
    at.run()
    (element,) = [
        e for e in at.main if getattr(e, "type", "") == "bidi_component" and "marks" in e.proto.json
    ]
    return {name: part["value"] for name, part in json.loads(element.proto.json)["parts"].items()}


def test_the_maps_are_off_by_default_and_a_link_turns_them_on_with_the_current_point_marked():
    at = run_app()
    assert not [e for e in at.main if "marks" in getattr(getattr(e, "proto", None), "json", "")]
    at = run_app(maps="1", eta_p="1.5", eta_n="0.3")
    assert_clean(at)
    data = map_data(at)
    assert {"eta", "basin", "marks"} <= set(data)
    assert data["marks"]["eta"]["x"] == [1.5] and data["marks"]["eta"]["y"] == [0.3]
    assert data["marks"]["basin"]["x"] == [-1.5] and data["marks"]["basin"]["y"] == [2.0]
    assert "diverged" in data["eta"]["counts"] and data["eta"]["counts"]["side"] == "64x64"


def test_long_runs_and_sequences_get_a_coarser_map_that_still_computes():
    at = run_app(maps="1", iterations="2000", seq_len="100", map_colour="iterations")
    assert_clean(at)
    data = map_data(at)
    side = int(data["basin"]["counts"]["side"].split("x")[0])
    assert 8 <= side < 64
    assert any(t["uid"] == "basin-never" for t in data["basin"]["traces"])  # the colour switch


def test_racers_chosen_in_a_link_race_in_step_and_a_bad_one_is_explained():
    at = run_app(racers=["adam", "sgd learning_rate=0.002", "nonsense x=1"])
    assert_clean(at)
    assert at.session_state["racers"] == [
        "adam learning_rate=0.02 b1=0.5 b2=0.9",
        "sgd learning_rate=0.002",
    ]
    assert "“nonsense x=1” does not start with an optimiser" in notices(at)
    run = plot_data(at)["run"]
    assert {"r2_w_x", "r3_w_x"} <= set(run["series"])
    assert any(line.startswith("adam 0.02: cost") for line in run["readout"])
    assert any("diverged at iteration 2" in line for line in run["readout"])


def test_a_gif_of_the_race_is_drawn_from_the_pages_settings(tmp_path):
    import time

    from PIL import Image

    at = run_app(iterations="100", racers="adam")
    at.segmented_control(key="render_length").set_value("5 s").run()
    button(at, "Make a GIF").click().run()
    render = at.session_state["render"]
    end = time.monotonic() + 60
    while not render.finished:
        assert time.monotonic() < end
        time.sleep(0.05)
    assert render.error is None
    with Image.open(render.path) as gif:
        # 101 iterates over 5 s at 25 frames a second at most: every iterate once, 20 a second
        assert gif.n_frames == 101
        total = 0
        for k in range(gif.n_frames):
            gif.seek(k)
            total += gif.info["duration"]
        assert total == 5000  # the length asked for
        assert gif.size == (1280, 720)
        assert "racers=adam%20learning_rate" in gif.info["comment"].decode()
    assert render.path.name.endswith("-with-adam0.02.gif")  # adam at its default rate
    at.run()
    assert any(b.label == "Save the GIF: 101 frames" for b in at.get("download_button"))
    stale = "shows the settings before your last change"
    assert not any(stale in c.value for c in at.caption)
    at.slider(key="eta_p").set_value(1.3).run()  # the file no longer shows the run on screen
    assert any(stale in c.value for c in at.caption)
    render.discard()


def test_a_busy_server_asks_for_patience_instead_of_queueing_more(monkeypatch):
    from dashboard import renders

    at = run_app()
    monkeypatch.setattr(renders, "_waiting", renders.MAX_WAITING)
    button(at, "Make a GIF").click().run()
    warnings = [w.value for w in at.warning]
    assert any(
        "Not now: the server is drawing animations for 4 other requests" in w for w in warnings
    )
    assert "render" not in at.session_state
    assert not at.exception


def test_a_bad_racer_typed_in_the_box_stays_there_to_be_mended():
    at = run_app()
    at.text_input(key="new_racer").set_value("adam learning_rat=0.05").run()
    assert at.text_input(key="new_racer").value == "adam learning_rat=0.05"  # not lost
    assert "racer “learning_rat=0.05” is not one of adam's settings" in notices(at)
    assert "not added" in notices(at)
    assert at.session_state["racers"] == []
    at.text_input(key="new_racer").set_value("adam learning_rate=0.05").run()
    assert at.text_input(key="new_racer").value == ""
    assert at.session_state["racers"] == [racer_grammar.parse_racer("adam learning_rate=0.05")[0]]
    assert "not added" not in notices(at)  # the old notice went
    # the same racer again: named once, and said so
    at.text_input(key="new_racer").set_value("adam learning_rate=0.05").run()
    assert len(at.session_state["racers"]) == 1
    assert "is already racing: named once" in notices(at)
    assert_clean(at)


def test_a_frame_beyond_the_run_is_said_and_the_link_mended():
    at = run_app(frame="99999")
    assert "frame=99999 is beyond this run's last iteration, 500" in notices(at)
    assert at.query_params["frame"] in ("500", ["500"])
    assert_clean(at)


def test_a_frame_in_range_when_opened_is_never_corrected_later():
    at = run_app(frame="400")
    at.slider(key="iterations").set_value(100).run()  # the link's frame was for the longer run
    assert "beyond this run's last iteration" not in notices(at)
    assert_clean(at)
