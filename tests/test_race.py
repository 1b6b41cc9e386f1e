"""The race (rnnviz/race.py): racers merged into one run part, each still its own run."""

import json
import re

import numpy as np
import pytest

import rnnviz
from rnnviz import live, race
from rnnviz.parts import MAIN, Runner

# The fields of a moving trace's spec, or of a geometric row, that name a series.
SERIES_FIELDS = ("upto", "at_last", "where", "series")
GEOMETRIC_FIELDS = ("scale", "scale_sign", "ratio", "ratio_sign")


def part_of(optimizer, clip=None, iterations=300, runner=MAIN, trail=False):
    X, t = rnnviz.make_dataset()
    run = rnnviz.train(X, t, optimizer, iterations=iterations, clip_norm=clip)
    final = rnnviz.final_state_gradient(X, t, run.weights[:, 0], run.weights[:, 1])
    through_time = rnnviz.backpropagate(final, run.weights[:, 1], X.shape[1]).signed
    ranges = (-3.0, 3.0, -3.0, 3.0)
    return run, live.run_part(run, through_time, ranges=ranges, trail=trail, runner=runner)


@pytest.fixture(scope="module")
def twin():
    """The literature's twin: gradient descent from the tutorial's start, clipped and not."""
    clipped = part_of(rnnviz.sgd(2e-3), clip=10.0)
    unclipped = part_of(rnnviz.sgd(2e-3), runner=Runner(2, "unclipped"))
    rprop = part_of(rnnviz.rprop(), runner=Runner(3, "Rprop"))
    runs = [(clipped[1], "clipped"), (unclipped[1], "unclipped"), (rprop[1], "Rprop")]
    return clipped[0], unclipped[0], rprop[0], race.race_part(runs)


def decode(part, name):
    return live.decode(part["series"][name])


def test_every_racer_keeps_its_own_iterates(twin):
    clipped, unclipped, rprop, merged = twin
    np.testing.assert_array_equal(decode(merged, "w_x"), clipped.weights[:, 0])
    np.testing.assert_array_equal(decode(merged, "r2_w_rec"), unclipped.weights[:, 1])
    np.testing.assert_array_equal(decode(merged, "r3_w_x"), rprop.weights[:, 0])
    assert merged["count"] == max(len(r.weights) for r in (clipped, unclipped, rprop))


def test_a_racer_that_diverges_stops_there_and_says_so_while_the_others_go_on(twin):
    clipped, unclipped, _, merged = twin
    assert unclipped.diverged_at is not None and clipped.diverged_at is None
    assert len(decode(merged, "r2_w_x")) == unclipped.diverged_at < merged["count"]
    line = next(line for line in merged["readout"] if line.startswith("unclipped"))
    assert f"diverged at iteration {unclipped.diverged_at}" in line
    assert any(n.startswith("unclipped: Diverged at iteration") for n in merged["notes"])


def test_each_racer_has_its_own_colour_and_shape_and_a_legend_name(twin):
    merged = twin[3]
    paths = [t for t in merged["panels"]["surface"]["traces"] if t["uid"].endswith("path")]
    assert [p["name"] for p in paths[1:]] == ["unclipped", "Rprop"]
    styles = {(p["line"]["color"], p["marker"]["symbol"]) for p in paths[1:]}
    assert len({c for c, _ in styles}) == 2 and len({s for _, s in styles}) == 2
    current = [t for t in merged["panels"]["surface"]["traces"] if "current-iterate" in t["uid"]]
    assert len({t["marker"]["symbol"] for t in current}) == 3  # shape, not colour alone


def test_everything_moving_refers_to_what_is_sent_and_nothing_is_nan(twin):
    merged = twin[3]
    json.dumps(merged, allow_nan=False)
    uids = {p: {t["uid"] for t in merged["panels"][p]["traces"]} for p in merged["panels"]}
    all_uids = [t["uid"] for p in merged["panels"] for t in merged["panels"][p]["traces"]]
    assert len(all_uids) == len(set(all_uids)) and all(" " not in u for u in all_uids)
    for spec in merged["moving"]:
        assert spec["trace"] in uids[spec["panel"]]
        for field, value in spec.items():
            if isinstance(value, str) and field not in ("panel", "trace", "edge", "side"):
                assert value == "iteration" or value in merged["series"], value
            if isinstance(value, dict):
                inner = value.get("geometric", value)
                for name in [inner.get(k) for k in (*GEOMETRIC_FIELDS, *SERIES_FIELDS)]:
                    assert name is None or name in merged["series"], name
    for template in merged["readout"]:
        for name in re.findall(r"\{(\w+)", template):
            assert name in merged["series"] or name in ("i", "last"), name


def test_the_axes_cover_every_run_that_did_not_diverge_and_name_the_one_that_did(twin):
    clipped, unclipped, rprop, merged = twin
    assert unclipped.diverged_at is not None  # its cost reaches 1e77
    lo, hi = merged["panels"]["run"]["layout"]["yaxis"]["range"]
    kept = np.concatenate([clipped.costs, rprop.costs])
    # the run chart spans the runs that did not diverge, not the one that did
    assert lo <= np.log10(kept.min()) and hi >= np.log10(kept.max())
    assert hi < np.log10(unclipped.costs.max()) - 10
    # so does the gradient view: its rows of the finite runs fit (beyond: marked at the edge)
    g_lo, g_hi = merged["panels"]["gradient"]["layout"]["yaxis"]["range"]
    for part in (part_of(rnnviz.sgd(2e-3), clip=10.0)[1], part_of(rnnviz.rprop())[1]):
        one_lo, one_hi = part["panels"]["gradient"]["layout"]["yaxis"]["range"]
        assert g_lo <= one_lo and g_hi >= one_hi
    (said,) = [n for n in merged["notes"] if n.startswith("unclipped:")]  # one line for it
    assert "Diverged at iteration 2" in said and "the charts keep the range" in said


def test_when_every_run_diverged_the_axes_cover_them_all():
    _, a = part_of(rnnviz.sgd(2e-3), iterations=20)
    _, b = part_of(rnnviz.sgd(1e-2), iterations=20, runner=Runner(2, "b"))
    merged = race.race_part([(a, "a"), (b, "b")])
    ranges = [p["panels"]["run"]["layout"]["yaxis"]["range"] for p in (a, b)]
    assert merged["panels"]["run"]["layout"]["yaxis"]["range"] == [
        min(r[0] for r in ranges),
        max(r[1] for r in ranges),
    ]
    assert not any("the charts keep" in n for n in merged["notes"])


def test_more_than_three_racers_are_refused():
    _, part = part_of(rnnviz.rprop(), iterations=5)
    with pytest.raises(ValueError, match="at most 3 racers"):
        race.race_part([(part, "a")] * 5)


def test_each_racers_cost_line_is_told_apart_by_its_dash_as_well_as_its_colour(twin):
    merged = twin[3]
    costs = {t["uid"]: t for t in merged["panels"]["run"]["traces"] if t["uid"].endswith("cost")}
    main_dash = (costs["cost"].get("line") or {}).get("dash", "solid")
    dashes = [costs[f"r{k}_cost"]["line"]["dash"] for k in (2, 3)]
    assert main_dash == "solid" and len({main_dash, *dashes}) == 3


def test_divergence_is_read_from_the_run_not_from_the_notes_wording():
    _, main = part_of(rnnviz.sgd(2e-3), clip=10.0, iterations=50)
    unclipped, racer = part_of(rnnviz.sgd(2e-3), iterations=50, runner=Runner(2, "twin"))
    reworded = {**racer, "notes": ["Ha divergido."]}  # the same run, said in other words
    merged = race.race_part([(main, "main"), (reworded, "twin")])
    assert unclipped.diverged_at is not None
    assert (
        merged["panels"]["run"]["layout"]["yaxis"]["range"]
        == (main["panels"]["run"]["layout"]["yaxis"]["range"])
    )
    (said,) = [n for n in merged["notes"] if n.startswith("twin:")]
    assert said == "twin: Ha divergido; the charts keep the range of the runs that did not diverge."
    assert any(f"diverged at iteration {unclipped.diverged_at}" in r for r in merged["readout"])


def test_a_racer_drawing_itself_as_it_plays_keeps_its_colour():
    _, main = part_of(rnnviz.rprop(), iterations=30, trail=True)
    _, racer = part_of(rnnviz.adam(0.02), iterations=30, runner=Runner(2, "adam"), trail=True)
    merged = race.race_part([(main, "rprop"), (racer, "adam")])
    drawn = {m["trace"]: m for m in merged["moving"] if m["trace"].endswith("path")}
    assert "marker.color" in drawn["path"]  # the main run's dots: coloured by step length
    assert "marker.color" not in drawn["r2_path"]  # the racer's: its own colour throughout
    (path,) = [t for t in merged["panels"]["surface"]["traces"] if t["uid"] == "r2_path"]
    assert path["marker"]["color"] == Runner(2).colour


def test_joining_leaves_each_runners_part_as_it_was():
    _, main = part_of(rnnviz.rprop(), iterations=30)
    _, racer = part_of(rnnviz.sgd(1e-2), iterations=30, runner=Runner(2, "sgd"))
    before = json.dumps([main, racer], sort_keys=True)
    race.race_part([(main, "rprop"), (racer, "sgd")])
    assert json.dumps([main, racer], sort_keys=True) == before  # parts are shared cache values
