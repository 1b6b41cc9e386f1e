"""The page through Streamlit's AppTest: hostile links, stories, maps, racers, renders."""

import json
import re

import pytest
from app_page import (
    assert_clean,
    button,
    divergence_said,
    map_data,
    notices,
    plot_data,
    run_app,
    story_caption,
)

from rnnviz import racer_grammar, specs, stories, url_codec

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
    said, alerts = divergence_said(at)
    assert alerts == [] and "Diverged" in said and "smaller eta_p or a larger eta_n" in said
    assert "try Rprop" not in said and "learning rate" not in said
    at = run_app(optimizer="sgd", learning_rate="0.001")
    said, _ = divergence_said(at)
    assert "smaller learning rate" in said and "eta_p" not in said


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
