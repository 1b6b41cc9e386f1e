import numpy as np
import pytest

from rnnviz import naming, probe_points, racer_grammar, specs, url_codec
from rnnviz.specs import SPECS, nearest_option, surface_ranges
from rnnviz.url_codec import LinkValue, check_query


def test_defaults_are_the_tutorials():
    d = specs.defaults()
    assert (d["eta_p"], d["eta_n"], d["delta0"], d["iterations"]) == (1.2, 0.5, 1e-3, 500)
    assert (d["wx0"], d["wrec0"], d["n_samples"], d["seq_len"], d["seed"]) == (-1.5, 2.0, 20, 10, 1)
    assert d["variant"] == "tutorial" and d["optimizer"] == "rprop"


def test_every_default_lies_in_its_own_range():
    for key, spec in SPECS.items():
        if spec.kind == "choice":
            assert spec.default in spec.options, key
        elif spec.kind == "bool":
            assert isinstance(spec.default, bool), key
        else:
            assert spec.lo <= spec.default <= spec.hi, key
        if spec.kind == "log":
            assert spec.default in spec.options, key


def values_and_notices(query):
    checked = check_query(query)
    return (
        {key: c.value for key, c in checked.items()},
        [c.notice for c in checked.values() if c.notice],
    )


def test_valid_query_passes_without_notice():
    values, notices = values_and_notices({"eta_p": "1.5", "wx0": "2", "variant": "irprop-"})
    assert values == {"eta_p": 1.5, "wx0": 2.0, "variant": "irprop-"} and notices == []
    texts = {key: c.text for key, c in check_query({"eta_p": "1.5", "wx0": "2.0"}).items()}
    assert texts == {"eta_p": "1.5", "wx0": "2"}  # as Streamlit writes them


@pytest.mark.parametrize(
    ("query", "expected", "words"),
    [
        ({"eta_n": "1.5"}, {"eta_n": 0.99}, "outside"),
        ({"eta_p": "0.5"}, {"eta_p": 1.01}, "outside"),
        ({"eta_p": "1.234"}, {"eta_p": 1.23}, "steps of 0.01"),
        ({"iterations": "99999"}, {"iterations": 2000}, "outside"),
        ({"iterations": "123"}, {"iterations": 120}, "steps of 10"),
        ({"delta0": "0.0013"}, {"delta0": 1e-3}, "allowed steps"),
        ({"seq_len": "12.6"}, {"seq_len": 13}, "whole number"),
        ({"n_samples": "2.6"}, {"n_samples": 3}, "whole number"),
        ({"seq_len": "1e9"}, {"seq_len": 200}, "outside"),
    ],
)
def test_impossible_values_move_to_the_nearest_valid_one(query, expected, words):
    values, notices = values_and_notices(query)
    assert values == expected
    assert len(notices) == 1 and words in notices[0] and "nearest valid" in notices[0]
    (key, value), (checked,) = next(iter(expected.items())), check_query(query).values()
    shown = f"{value:g}"
    assert notices[0].endswith(f"using the nearest valid value, {shown}.")
    assert checked.text == (None if value == SPECS[key].default else shown)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ({"eta_p": "banana"}, "eta_p"),
        ({"seq_len": "-4"}, "seq_len"),
        ({"seed": "-0.4"}, "seed"),
        ({"n_samples": "0"}, "n_samples"),
        ({"wx0": "nan"}, "wx0"),
        ({"wrec0": "inf"}, "wrec0"),
        ({"variant": "rprop++"}, "variant"),
        ({"optimizer": "lbfgs"}, "optimizer"),
    ],
)
def test_malformed_values_fall_back_to_the_default_with_a_notice(query, key):
    values, notices = values_and_notices(query)
    assert values == {key: SPECS[key].default}
    assert check_query(query)[key].text is None  # the default: no parameter in the URL
    assert len(notices) == 1 and key in notices[0]
    default = SPECS[key].default
    assert notices[0].endswith(
        f"using the default, {default:g}."
        if isinstance(default, float)
        else f"using the default, {default}."
    )


NUMERIC_KEYS = [key for key, spec in SPECS.items() if spec.kind in ("float", "int", "log")]
HOSTILE_NUMBERS = ["inf", "-inf", "nan", "1e309", "-1e309", "Infinity", "+inf", "9" * 400, ""]


@pytest.mark.parametrize("key", NUMERIC_KEYS)
@pytest.mark.parametrize("text", HOSTILE_NUMBERS)
def test_no_number_a_link_can_hold_escapes_the_controls_range(key, text):
    spec = SPECS[key]
    (checked,) = check_query({key: [str(spec.default), text]}).values()  # repeated: last wins
    assert spec.lo <= checked.value <= spec.hi
    assert checked.notice and key in checked.notice
    if checked.text is not None:  # what the URL then holds reads back as the same value
        assert check_query({key: checked.text})[key] == LinkValue(checked.value, checked.text, "")


def test_notices_quote_little_of_a_long_value_and_nothing_unprintable():
    (checked,) = check_query({"seed": "x" * 500_000 + "\n# heading"}).values()
    assert len(checked.notice) < 150 and "\n" not in checked.notice
    assert specs.quote("a\u0000b") == "\u201ca\ufffdb\u201d"


def test_unknown_parameters_pass_through_and_repeats_take_the_last():
    values, notices = values_and_notices({"sequence": "0101", "eta_p": ["1.3", "1.4"]})
    assert values == {"eta_p": 1.4} and "2 times" in notices[0]


def test_probe_points_in_a_link_are_checked_one_by_one():
    assert values_and_notices({"probes": ["(1, 2)", "(2, 1)"]}) == (
        {"probes": ["(1, 2)", "(2, 1)"]},
        [],
    )
    # a point off every view (beyond ±100), or no point at all, is left out and named
    values, notices = values_and_notices({"probes": ["(1, 2)", "(999, 9)", "(1, nan)", "x"]})
    assert values == {"probes": ["(1, 2)"]}
    assert all(bad in notices[0] for bad in ("(999, 9)", "(1, nan)", "“x”"))
    assert check_query({"probes": list(probe_points.PROBES)})["probes"].text is None


def test_a_pinned_probe_is_any_point_written_to_two_decimals():
    values, notices = values_and_notices({"probes": ["(0.567, -1.2)", "( 2 , 1 )", "(9, 9)"]})
    assert values == {"probes": ["(0.57, -1.2)", "(2, 1)", "(9, 9)"]} and notices == []
    assert probe_points.probe_point("(0.57, -1.2)") == (0.57, -1.2)
    assert probe_points.probe_label(0.5678, -1.2) == "(0.57, -1.2)"
    many = [f"({k}, 1)" for k in range(20)]
    values, notices = values_and_notices({"probes": many})
    assert len(values["probes"]) == probe_points.MAX_PROBES and "at most" in notices[0]


def test_switches_in_a_link_take_true_or_false():
    assert values_and_notices({"contours": "False"}) == ({"contours": False}, [])
    assert check_query({"contours": "False"})["contours"].text == "false"
    values, notices = values_and_notices({"valley": "maybe"})
    assert values == {"valley": True} and "neither true nor false" in notices[0]


def test_nearest_option_works_on_a_log_scale():
    options = (0.0, 0.01, 0.1, 1.0)
    assert nearest_option(options, 0.03) == 0.01  # the log midpoint of 0.01 and 0.1 is 0.0316
    assert nearest_option(options, 0.033) == 0.1
    assert nearest_option(options, 0.0) == 0.0 and nearest_option(options, -3) == 0.0


def test_surface_ranges_for_each_view_and_a_bad_custom_box():
    d = specs.defaults()
    assert surface_ranges(d) == ((-3.0, 3.0, -3.0, 3.0), "")
    assert surface_ranges({**d, "view": "zoom"}) == ((-0.1, 2.1, -0.1, 2.1), "")
    custom = {**d, "view": "custom", "wx_min": 0.0, "wx_max": 1.0, "wrec_min": 0.5, "wrec_max": 2}
    assert surface_ranges(custom) == ((0.0, 1.0, 0.5, 2), "")
    ranges, notice = surface_ranges({**custom, "wx_max": -1.0})
    assert ranges == (-3.0, 3.0, -3.0, 3.0) and "min < max" in notice


def test_export_names_say_what_ran():
    d = specs.defaults()
    assert naming.export_name(d) == "rnnviz-rprop-tutorial-eta_p1.2-eta_n0.5-start=-1.5,2-T10"
    sgd = {**d, "optimizer": "sgd", "learning_rate": 0.01, "clip": 1.0, "seq_len": 50}
    assert naming.export_name(sgd) == "rnnviz-sgd-lr0.01-clip1-start=-1.5,2-T50"


def defaults_run(optimizer, **changes):
    import rnnviz

    values = {**specs.defaults(), "optimizer": optimizer, **changes}
    return rnnviz.run(*rnnviz.make_dataset(), specs.run_settings(values))


def test_each_optimisers_defaults_do_what_their_help_promises():
    sgd = defaults_run("sgd")  # survives but crawls: still on the wall after 500 iterations
    assert sgd.diverged_at is None and sgd.costs[-1] > 100
    assert defaults_run("sgd", learning_rate=1e-6).diverged_at <= 5  # thrown off
    momentum = defaults_run("momentum")  # slides towards w_rec < 1, short of the floor
    assert momentum.diverged_at is None and momentum.weights[-1, 1] < 1 and momentum.costs[-1] > 1
    assert defaults_run("rmsprop").costs[-1] < 0.1  # walks into the valley
    adam = defaults_run("adam")  # reaches the optimum to within 0.01
    assert np.max(np.abs(adam.weights[-1] - 1.0)) < 0.01
    assert defaults_run("adam", adam_b1=0.9, adam_b2=0.999).costs[-1] > 10  # the usual betas


def test_every_optimiser_setting_has_its_spec_and_help():
    for optimizer, settings in specs.HYPERPARAMETERS.items():
        for key in settings.values():
            assert SPECS[key].help, key
        assert defaults_run(optimizer, iterations=3).weights.shape[0] >= 1


def test_the_settings_query_reads_back_to_the_same_controls_and_racers():
    from urllib.parse import parse_qs

    values = specs.defaults() | {"eta_p": 1.5, "optimizer": "adam", "clip": 10.0}
    values[probe_points.PROBES_KEY] = [
        probe_points.probe_label(1, 1),
        probe_points.probe_label(-0.5, 2),
    ]
    racers = ["sgd learning_rate=0.002 clip=10", "rprop eta_p=1.3"]
    query = url_codec.settings_query(values, racers)
    assert query.startswith("?optimizer=adam&eta_p=1.5&clip=10&probes=")
    checked = url_codec.check_query(parse_qs(query[1:]))
    assert all(not c.notice for c in checked.values())
    assert {k: c.value for k, c in checked.items() if k in specs.SPECS} == {
        "eta_p": 1.5,
        "optimizer": "adam",
        "clip": 10.0,
    }
    assert checked[probe_points.PROBES_KEY].value == values[probe_points.PROBES_KEY]
    assert checked[racer_grammar.RACERS_KEY].value == [
        racer_grammar.parse_racer(r)[0] for r in racers
    ]
    assert url_codec.settings_query(specs.defaults()) == "?"


def test_a_race_is_named_after_its_racers_too():
    name = naming.export_name(specs.defaults())
    assert naming.race_name(name, []) == name
    twin = ["sgd learning_rate=0.002 clip=10", "rprop eta_p=1.3 eta_n=0.4"]
    assert naming.race_name(name, twin) == f"{name}-with-sgd0.002clip10-rprop1.3_0.4"


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("eta_p", "abc", "is not a number"),
        ("eta_p", [1.5], "is not a number"),
        ("eta_p", None, "is not a number"),
        ("eta_p", float("nan"), "eta_p"),
        ("iterations", 1e12, "iterations"),
        ("optimizer", {"x": 1}, "is not one of"),
        ("contours", "maybe", "neither true nor false"),
    ],
)
def test_a_files_odd_control_values_are_checked_like_a_links(key, value, says):
    checked = url_codec.check_query({key: url_codec.file_text(key, value)})[key]
    assert says in checked.notice
    spec = specs.SPECS[key]
    if spec.kind in ("float", "int"):
        assert spec.lo <= checked.value <= spec.hi
    # and a value of the control's own kind is written as the page writes it
    assert url_codec.file_text("eta_p", 1.5) == url_codec.url_text("eta_p", 1.5) == "1.5"


def test_a_caption_keeps_every_sign_and_names_the_racers():
    values = specs.defaults() | {"wx0": -1.5, "wrec0": -0.25, "learning_rate": 1e-6}
    values["optimizer"] = "sgd"
    caption = naming.settings_caption(values, ["adam learning_rate=0.05"])
    assert "sgd learning_rate=1e-06" in caption and "start (-1.5, -0.25)" in caption
    assert caption.endswith("racing adam 0.05")
    assert "start=-1.5,-0.25" in naming.export_name(values)


def test_a_racer_naming_a_setting_twice_is_left_out_in_plain_words():
    checked = url_codec.check_query(
        {racer_grammar.RACERS_KEY: ["adam learning_rate=0.05 learning_rate=0.1"]}
    )
    racers = checked[racer_grammar.RACERS_KEY]
    assert racers.value == [] and "learning_rate is given twice" in racers.notice
