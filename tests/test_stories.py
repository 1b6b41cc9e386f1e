"""Each story sets what it says, and its caption's claims hold for the run it shows."""

import re

import numpy as np
import pytest

import rnnviz
from rnnviz import palette, probe_points, racer_grammar, specs, stories, url_codec


def shown(story):
    """The run a story puts on screen, and its caption."""
    settings = stories.values(story)
    X, t = rnnviz.make_dataset(settings["n_samples"], settings["seq_len"], settings["seed"])
    run = rnnviz.run(X, t, specs.run_settings(settings))
    return run, stories.caption(story, run, settings)


def numbers(text):
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?", text)]


def test_rprop_ends_where_the_tutorial_says():
    run, caption = shown(stories.BY_NAME["rprop"])
    assert "(1.0014, 0.9997)" in caption  # the tutorial's printed weights, from the run
    assert run.diverged_at is None and "500 iterations" in caption


def test_gradient_descent_is_thrown_off_at_iteration_3():
    run, caption = shown(stories.BY_NAME["thrown"])
    assert run.diverged_at == 3 and "diverges at iteration 3" in caption
    first = np.linalg.norm(run.weights[1] - run.weights[0])
    assert f"{first:.3g}" in caption and first > 1  # a step longer than the view's unit


def test_clipping_reaches_the_valley_with_the_best_settings_of_a_sweep():
    story = stories.BY_NAME["clipping"]
    run, caption = shown(story)
    assert run.diverged_at is None and run.costs[-1] < 0.05
    assert f"cost {run.costs[-1]:.3g}" in caption and "clipped to a norm of 10" in caption
    # The sweep that chose the settings: among these, the lowest final cost wins.
    X, t = rnnviz.make_dataset()
    outcomes = {}
    for lr in (1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2):
        for clip in (0.5, 1.0, 2.0, 5.0, 10.0):
            swept = rnnviz.train(X, t, rnnviz.sgd(lr), iterations=500, clip_norm=clip)
            if swept.diverged_at is None:
                outcomes[(lr, clip)] = swept.costs[-1]
    best = min(outcomes, key=outcomes.get)
    assert best == (story.changes["learning_rate"], story.changes["clip"])
    unclipped = rnnviz.train(X, t, rnnviz.sgd(best[0]), iterations=500)
    assert unclipped.diverged_at is not None  # without the clip the same rate is thrown off


def test_exploding_and_vanishing_factors_are_those_of_backpropagation():
    story = stories.BY_NAME["exploding"]
    run, caption = shown(story)
    X, t = rnnviz.make_dataset()
    at_start = rnnviz.gradient_through_time(X, t, *run.weights[0]).magnitude
    growth = at_start[-1] / at_start[0]  # dE/dS_T over dE/dS_0: the output is at k = T
    # going back from the output (k = T) to the input (k = 0), |dE/dS_k| grows by 1 / growth
    assert growth < 1 and f"grows {1 / growth:.3g} times" in caption
    probe = rnnviz.gradient_through_time(X, t, 1.0, 0.5).magnitude
    assert f"shrinks {probe[-1] / probe[0]:.3g} times" in caption
    assert stories.values(story)["probes"] == ["(1, 2)", "(1, 0.5)"]


def test_longer_sequences_raise_the_wall():
    run, caption = shown(stories.BY_NAME["long"])
    X10, t10 = rnnviz.make_dataset(20, 10, 1)
    start10 = rnnviz.cost(rnnviz.forward_states(X10, -1.5, 2.0)[:, -1], t10)
    assert run.costs[0] / start10 > 1e10
    assert f"{run.costs[0] / start10:.2g} times higher" in caption and "50 steps" in caption
    assert "instead of 10," in caption  # the tutorial's length, the page's default


def test_the_wall_ratio_compares_with_the_tutorials_length_whatever_the_length_on_screen():
    story = stories.BY_NAME["long"]
    X10, t10 = rnnviz.make_dataset(20, 10, 1)
    at_length_10 = rnnviz.cost(rnnviz.forward_states(X10, -1.5, 2.0)[:, -1], t10)
    for T in (1, 10, 30):
        values = {**stories.values(story), "seq_len": T}
        X, t = rnnviz.make_dataset(20, T, 1)
        run = rnnviz.run(X, t, specs.run_settings(values))
        facts = stories.facts(run, values)
        assert facts["T"] == T and facts["tutorial_T"] == 10
        assert facts["wall_ratio"] == pytest.approx(run.costs[0] / at_length_10, rel=1e-12)
        assert (facts["wall_ratio"] == 1.0) == (T == 10)


def test_large_etas_diverge_where_the_issue_measured():
    run, caption = shown(stories.BY_NAME["eta"])
    assert run.diverged_at == 289 and "diverges at iteration 289" in caption


def test_the_twins_unclipped_run_is_thrown_off_and_the_clipped_one_reaches_the_valley():
    story = stories.BY_NAME["twin"]
    values = stories.values(story)
    X, t = rnnviz.make_dataset()
    clipped = rnnviz.run(X, t, specs.run_settings(values))
    (racer,) = values[racer_grammar.RACERS_KEY]
    unclipped = rnnviz.run(X, t, racer_grammar.racer_settings(racer, values))
    assert unclipped.diverged_at is not None and unclipped.diverged_at <= 5  # "a few steps"
    assert clipped.diverged_at is None and clipped.costs[-1] < 0.1  # "reaches the valley"
    assert settings_match(clipped, unclipped)
    caption = stories.caption(story, clipped, values)
    assert "magenta squares" in caption and palette.RACER_STYLES[0][:1] == ("#ff4dd2",)


def settings_match(clipped, unclipped):
    """The same gradient descent from the same start: only the clipping differs."""
    return (
        clipped.weights[0] == unclipped.weights[0]
    ).all() and clipped.optimizer == unclipped.optimizer


@pytest.mark.parametrize("story", stories.STORIES, ids=[s.name for s in stories.STORIES])
def test_every_story_sets_only_known_controls_to_allowed_values(story):
    for key, value in story.changes.items():
        assert key in (probe_points.PROBES_KEY, racer_grammar.RACERS_KEY) or key in specs.SPECS
        if key == racer_grammar.RACERS_KEY:  # written as the page writes racers
            assert url_codec.check_query({key: value})[key].value == value
        if key in specs.SPECS:
            (checked,) = url_codec.check_query({key: url_codec.url_text(key, value) or ""}).values()
            assert checked.value == value or checked.text is None
    assert stories.holds(story, stories.values(story))
    assert not stories.holds(story, {**stories.values(story), "eta_p": 1.99})
