"""The page's Streamlit side, where it can be checked without a page: keys and grids."""

import numpy as np
import pytest

from dashboard import maps
from dashboard.controls import Controls, DataKey, SurfaceKey
from rnnviz import racer_grammar, specs
from rnnviz.specs import SPECS, run_settings
from rnnviz.train import RunSettings


@pytest.mark.parametrize("side", [8, 17, 64])
def test_every_eta_map_cell_is_a_value_its_slider_holds(side):
    """A click on a cell sets the cell's value: none is clamped into the slider's range (the
    grid once spanned (1, 2) x (0, 1) beside sliders of [1.01, 2] x [0.01, 0.99])."""
    for key in maps.MAP_KEYS["eta"]:
        spec = SPECS[key]
        cells = maps.control_grid(key, side)
        assert len(cells) == side and np.all(np.diff(cells) > 0)
        assert spec.lo < cells[0] and cells[-1] < spec.hi
        # the cells tile the whole range: half a cell from each end
        half = (spec.hi - spec.lo) / side / 2
        assert cells[0] - half == pytest.approx(spec.lo) and cells[-1] + half == pytest.approx(
            spec.hi
        )


def test_a_map_takes_about_as_long_whatever_the_settings():
    assert maps.map_side(500, 10) == 64  # the tutorial's grid
    assert maps.map_side(2000, 200) == 8  # at least 8 a side
    work = [
        side**2 * iterations * (2 * T - 1)
        for side, iterations, T in [(maps.map_side(i, T), i, T) for i, T in ((1000, 10), (500, 40))]
    ]
    assert all(w <= maps.MAP_WORK for w in work)


def test_controls_name_their_keys_and_race():
    values = specs.defaults() | {"seq_len": 12, "resolution": 100}
    racers = ("sgd learning_rate=0.002 clip=10",)
    controls = Controls(values, racers, ("(1, 2)",), True, (-3.0, 3.0, -3.0, 3.0), "")
    assert controls.data == DataKey(20, 12, 1) and controls.data.seq_len == 12
    assert controls.surface == SurfaceKey(controls.data, (-3.0, 3.0, -3.0, 3.0), 100, True)
    main, racer = controls.race
    assert main.settings == specs.run_settings(values) and main.text is None
    assert racer.settings == racer_grammar.racer_settings(racers[0], values)
    assert racer.label == racer_grammar.racer_label(racers[0]) == "sgd 0.002 clip 10"
    assert controls.link_values["racers"] == list(racers)


def controls_of(values, racers=()):
    return Controls(specs.defaults() | values, racers, (), False, (-3.0, 3.0, -3.0, 3.0), "")


@pytest.mark.parametrize(
    ("values", "story", "keys"),
    [
        ({}, None, ["eta_p", "eta_n"]),
        ({"optimizer": "sgd"}, None, ["learning_rate", "clip"]),
        ({"optimizer": "adam"}, None, ["adam_lr", "clip"]),
        ({}, "long", ["eta_p", "eta_n", "seq_len"]),
        ({}, "exploding", ["eta_p", "eta_n", "wx0", "wrec0"]),
        ({"optimizer": "sgd"}, "twin", ["learning_rate", "clip"]),  # each once
    ],
)
def test_the_stage_offers_the_runs_main_knobs_and_what_the_story_varies(values, story, keys):
    from dashboard.stage import knob_keys
    from rnnviz import stories

    assert knob_keys(controls_of(values), stories.BY_NAME.get(story)) == keys


def test_a_stage_knob_spans_its_controls_range_or_options():
    from dashboard.stage import knob

    eta = knob("eta_p", 1.3, "rprop")
    spec = SPECS["eta_p"]
    assert (eta["min"], eta["max"], eta["step"], eta["value"]) == (spec.lo, spec.hi, 0.01, 1.3)
    rate = knob("learning_rate", 1e-7, "sgd")
    assert rate["options"] == list(SPECS["learning_rate"].options) and 1e-7 in rate["options"]
    assert "min" not in rate


@pytest.mark.parametrize(
    ("optimizer", "key", "value"),
    [
        ("rprop", "eta_p", 1.37),
        ("rprop", "eta_n", 0.25),
        ("momentum", "momentum_lr", 1e-5),
        ("adam", "adam_lr", 1e-3),
        ("sgd", "clip", 10.0),
        ("sgd", "clip", 0.0),  # off
        ("rprop", "wx0", 0.5),
        ("rprop", "wrec0", -1.25),
        ("rprop", "iterations", 120),
    ],
)
def test_what_a_knob_sets_is_what_the_controls_value_does_to_the_run(optimizer, key, value):
    """The browser previews a knob by changing the run's settings as the knob's "sets" says
    (static/preview.js); this is that change done in Python, checked against the settings the
    page itself makes from the changed control (specs.run_settings)."""
    from dashboard.stage import knob, run_settings_json

    values = controls_of({"optimizer": optimizer}).values
    said = knob(key, value, optimizer)["sets"]
    settings = run_settings_json(values)
    if "hyper" in said:
        settings["hyperparameters"][said["hyper"]] = value
    elif "clip_norm" in said:
        settings["clip_norm"] = None if value == said["off"] else value
    elif "w0" in said:
        settings["w0"][said["w0"]] = value
    else:
        assert said == {"iterations": True}
        settings["iterations"] = value
    expected = run_settings({**values, key: value})
    assert RunSettings.of(**settings) == expected


def test_a_knob_of_the_data_sets_nothing_in_the_run():
    from dashboard.stage import knob

    assert knob("seq_len", 50, "rprop")["sets"] is None  # the server makes new data
