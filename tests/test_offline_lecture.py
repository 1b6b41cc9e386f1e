"""The offline page's lecture (dashboard/lecture.py): the run on the page and the seven stories,
each scene the run the story sets, checked against a run trained here from the story's own
settings (not through the page's caches)."""

import json

import numpy as np
import pytest

import rnnviz
from dashboard import lecture
from dashboard.controls import Controls
from rnnviz import export, parts, specs, stories
from rnnviz.probe_points import PROBES


def page_controls(**changes):
    values = {**specs.defaults(), **changes}
    ranges, notice = specs.surface_ranges(values)
    return Controls(values, (), tuple(PROBES), False, ranges, notice)


def page_parts(controls):
    from dashboard import compute

    return {
        "view": compute.view_part(
            controls.surface, controls.probes, controls.valley, controls.present
        ),
        "run": compute.race_part(
            controls.surface, controls.race, controls.probes, controls.trail, controls.present
        ),
    }


@pytest.fixture(scope="module")
def own_run():
    controls = page_controls(optimizer="adam", learning_rate=0.05, iterations=120)
    return controls, lecture.lecture(controls, page_parts(controls), (None, None))


def test_the_lecture_is_the_page_s_run_then_every_story(own_run):
    _, told = own_run
    scenes = told["scenes"]
    assert len(scenes) == 1 + len(stories.STORIES) and told["at"] == 0
    assert told["first_story"] == 1
    assert scenes[0]["title"] == "rnnviz: adam" and scenes[0]["caption"] == ""
    assert scenes[0]["stage"]["settings"]["optimizer"] == "adam"
    for scene, story in zip(scenes[1:], stories.STORIES, strict=True):
        assert scene["title"] == f"rnnviz: {story.title}"
        assert scene["stage"]["story"]["title"] == story.title
        assert scene["caption"] and "{" not in scene["caption"]  # filled from the run
    # every part by id, each held once; the stories on the tutorial's data share their view
    ids = [part_id for scene in scenes for part_id in scene["parts"].values()]
    assert set(ids) == set(told["parts"])
    assert len({scene["parts"]["view"] for scene in scenes}) < len(scenes)


@pytest.mark.parametrize("number", range(len(stories.STORIES)))
def test_each_story_s_scene_is_the_run_its_settings_give(own_run, number):
    _, told = own_run
    story = stories.STORIES[number]
    scene = told["scenes"][told["first_story"] + number]
    values = {**specs.defaults(), **stories.values(story)}
    settings = specs.run_settings(values)
    # the stage's settings (what a knob changes in the browser) are the story's run's
    assert scene["stage"]["settings"] == settings.as_json()
    X, t = rnnviz.make_dataset(values["n_samples"], values["seq_len"], values["seed"])
    expected = rnnviz.run(X, t, settings)
    series = told["parts"][scene["parts"]["run"]]["series"]
    np.testing.assert_array_equal(parts.decode(series["w_x"]), expected.weights[:, 0])
    np.testing.assert_array_equal(parts.decode(series["w_rec"]), expected.weights[:, 1])
    # the objective the browser trains from is this story's data
    objective = told["parts"][scene["parts"]["view"]]["objective"]
    assert (objective["n"], objective["T"]) == (values["n_samples"], values["seq_len"])


def test_a_page_showing_a_story_starts_the_lecture_at_it_with_its_own_parts():
    story = stories.BY_NAME["clipping"]
    changes = {k: v for k, v in stories.values(story).items() if k in specs.SPECS}
    controls = page_controls(**changes)
    own = page_parts(controls)
    run = rnnviz.run(*rnnviz.make_dataset(), controls.race[0].settings)
    told = lecture.lecture(controls, own, (story, stories.caption(story, run, controls.values)))
    assert len(told["scenes"]) == len(stories.STORIES) and told["first_story"] == 0
    at = told["scenes"][told["at"]]
    assert at["title"] == "rnnviz: Clipping saves it"
    assert at["parts"] == {name: part_id for name, (part_id, _) in own.items()}


def test_the_offline_page_carries_the_lecture_and_its_parts_once(own_run):
    _, told = own_run
    page = export.live_html({}, "", {}, "", lecture=told)
    data = json.loads(page.split('id="plot-data">')[1].split("</script>")[0])
    first = told["scenes"][told["at"]]["parts"]
    assert data["parts"] == {name: {"id": part_id} for name, part_id in first.items()}
    assert data["lecture"]["parts"].keys() == told["parts"].keys()
    assert "1 to 7: the stories" in data["help"]
    # it says what needs the server
    assert "need the server" in page and "sequence length" in page
    assert "need the server" not in export.live_html({}, "", {}, "")
