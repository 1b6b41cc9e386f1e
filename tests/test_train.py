import math

import numpy as np
import pytest

import rnnviz
from rnnviz import RPROP_VARIANTS, forward_states, make_dataset, parse_sequence, rprop, sgd, train
from rnnviz.train import step_lengths, weight_steps

TUTORIAL_WX = 1.001355547207059
TUTORIAL_WREC = 0.9996744737846419


@pytest.fixture(scope="module")
def data():
    return make_dataset()


@pytest.fixture(scope="module")
def tutorial_run(data):
    return train(*data, rprop())


def test_tutorial_run_reproduces_the_printed_weights(tutorial_run):
    w_x, w_rec = tutorial_run.weights[-1]
    assert w_x == pytest.approx(TUTORIAL_WX, rel=1e-12)
    assert w_rec == pytest.approx(TUTORIAL_WREC, rel=1e-12)
    y = forward_states(parse_sequence("0 1 1 0 0 0 0 1 0 0 1 1"), w_x, w_rec)[0, -1]
    assert f"{y:.2f}" == "5.00"


def test_tutorial_run_passes_the_published_milestones(tutorial_run):
    milestones = {
        0: (-1.5, 2.0, 6.16e5),
        30: (-0.909, 1.409, 1455),
        36: (0.270, 0.231, 25.8),
        40: (2.172, 1.023, 55),
        100: (1.212, 0.952, 0.0397),
        200: (1.048, 0.989, 2.2e-3),
        500: (1.00136, 0.99967, 1.8e-6),
    }
    for i, (w_x, w_rec, c) in milestones.items():
        np.testing.assert_allclose(tutorial_run.weights[i], [w_x, w_rec], atol=1.5e-3)
        assert tutorial_run.costs[i] == pytest.approx(c, rel=0.02)
    # For about 36 iterations both weights move in lock step along w_x + w_rec = 0.5.
    np.testing.assert_allclose(tutorial_run.weights[:36].sum(axis=1), 0.5, atol=1e-12)


def test_trajectory_shapes_and_records(tutorial_run):
    run = tutorial_run
    assert run.weights.shape == (501, 2) and run.costs.shape == (501,)
    assert run.gradients.shape == (501, 2) and run.step_sizes.shape == (500, 2)
    assert run.sign_flips.shape == (500, 2) and run.diverged_at is None
    assert run.step_sizes[0].tolist() == [0.0005, 0.0005]  # the first update halves delta0
    # Every Rprop update moves each weight by exactly its step size.
    np.testing.assert_allclose(np.abs(np.diff(run.weights, axis=0)), run.step_sizes, rtol=1e-9)
    # The tutorial's rule: a flip shrinks the step by eta_n, otherwise it grows by eta_p.
    ratio = run.step_sizes[1:] / run.step_sizes[:-1]
    np.testing.assert_allclose(ratio, np.where(run.sign_flips[1:], 0.5, 1.2), rtol=1e-12)
    assert run.sign_flips.any()
    assert not run.weights.flags.writeable and not run.step_sizes.flags.writeable  # a value


@pytest.mark.parametrize("variant", RPROP_VARIANTS)
def test_every_rprop_variant_reaches_a_small_cost(data, variant):
    run = train(*data, rprop(variant=variant))
    assert run.diverged_at is None and run.costs[-1] < 1e-3


def test_gradient_descent_from_the_tutorial_start_diverges_and_says_so(data):
    run = train(*data, sgd(1e-6))
    assert run.diverged_at is not None and run.diverged_at <= 3
    assert "Diverged at iteration" in run.divergence_reason
    assert len(run.weights) == run.diverged_at
    assert np.isfinite(run.weights).all() and np.isfinite(run.costs).all()
    assert np.isfinite(run.gradients).all()


def test_smaller_learning_rate_stalls_and_clipping_descends(data):
    stalled = train(*data, sgd(1e-7))
    assert stalled.diverged_at is None and stalled.costs[-1] == pytest.approx(329, rel=0.01)
    clipped = train(*data, sgd(0.01), clip_norm=1.0)
    assert clipped.diverged_at is None and clipped.costs[-1] == pytest.approx(0.074, rel=0.02)


def test_gradients_are_recorded_before_clipping(data):
    run = train(*data, sgd(0.01), iterations=3, clip_norm=1.0)
    assert np.linalg.norm(run.gradients[0]) > 1e5


def test_zero_iterations_is_just_the_start(data):
    run = train(*data, rprop(), iterations=0)
    assert run.weights.tolist() == [[-1.5, 2.0]] and run.step_sizes.shape == (0, 2)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"iterations": -1}, "iterations"),
        ({"w0": (np.nan, 1.0)}, "w0"),
        ({"w0": (np.inf, 1.0)}, "w0"),
        ({"clip_norm": 0.0}, "clip_norm"),
    ],
)
def test_bad_training_arguments_name_the_argument(data, kwargs, name):
    with pytest.raises(ValueError, match=name):
        train(*data, rprop(), **kwargs)


def test_a_start_on_an_overflowing_wall_is_a_divergence_at_iteration_zero():
    X, t = make_dataset(5, 900, seed=2)  # 2^900 overflows float64
    run = train(X, t, rprop(), w0=(1.0, 2.0))
    assert run.diverged_at == 0 and run.weights.shape == (0, 2) and run.costs.shape == (0,)
    assert "iteration 0" in run.divergence_reason


def test_weight_steps_are_rprops_deltas_or_the_change_in_each_weight():
    X, t = rnnviz.make_dataset()
    adam = rnnviz.train(X, t, rnnviz.adam(0.05), iterations=20)
    steps, name = weight_steps(adam)
    np.testing.assert_array_equal(steps, np.abs(np.diff(adam.weights, axis=0)))
    assert name == "step |Δw|"
    rprop = rnnviz.train(X, t, rnnviz.rprop(), iterations=20)
    steps, name = weight_steps(rprop)
    assert steps is rprop.step_sizes and name == "step size δ"
    lengths = step_lengths(adam.weights)
    assert len(lengths) == len(adam.weights) and lengths[-1] == lengths[-2]
    assert lengths[3] == pytest.approx(math.dist(adam.weights[3], adam.weights[4]), rel=1e-15)
