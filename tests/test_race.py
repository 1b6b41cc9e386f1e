"""The race (rnnviz/race.py): racers merged into one run part, each still its own run."""

import json
import re

import numpy as np
import pytest

import rnnviz
from rnnviz import live, race


def part_of(optimizer, clip=None, iterations=300):
    X, t = rnnviz.make_dataset()
    run = rnnviz.train(X, t, optimizer, iterations=iterations, clip_norm=clip)
    final = rnnviz.final_state_gradient(X, t, run.weights[:, 0], run.weights[:, 1])
    through_time = rnnviz.backpropagate(final, run.weights[:, 1], X.shape[1]).signed
    return run, live.run_part(run, through_time, ranges=(-3.0, 3.0, -3.0, 3.0))


@pytest.fixture(scope="module")
def twin():
    """The literature's twin: gradient descent from the tutorial's start, clipped and not."""
    clipped = part_of(rnnviz.sgd(2e-3), clip=10.0)
    unclipped = part_of(rnnviz.sgd(2e-3))
    rprop = part_of(rnnviz.rprop())
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
                for name in [inner.get(k) for k in (*race.GEOMETRIC_FIELDS, *race.SERIES_FIELDS)]:
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
    _, b = part_of(rnnviz.sgd(1e-2), iterations=20)
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
