import numpy as np
import pytest

from rnnviz import (
    RPROP_VARIANTS,
    adam,
    clip_by_global_norm,
    make_optimizer,
    momentum,
    rmsprop,
    rprop,
    sgd,
)


def run_updates(optimizer, gradients, params=(0.0,), costs=None):
    """Feed a fixed gradient sequence; return the updates as an array (steps, ...)."""
    params = np.asarray(params, dtype=float)
    state = optimizer.init(params)
    out = []
    for i, g in enumerate(gradients):
        cost = None if costs is None else costs[i]
        updates, state = optimizer.update(np.asarray(g, dtype=float), state, params, cost)
        params = params + updates
        out.append(updates)
    return np.array(out)


def test_irprop_minus_reproduces_the_published_step_sequence():
    updates = run_updates(
        rprop(delta0=0.1, variant="irprop-"), [[1.0], [1.0], [1.0], [-1.0], [1.0]]
    )
    np.testing.assert_allclose(np.abs(updates[:, 0]), [0.1, 0.12, 0.144, 0.0, 0.072], rtol=1e-12)
    np.testing.assert_allclose(updates[:, 0], [-0.1, -0.12, -0.144, 0.0, -0.072], rtol=1e-12)


def test_tutorial_rprop_halves_delta0_first_and_always_steps():
    updates = run_updates(rprop(delta0=0.1), [[1.0], [1.0], [-1.0], [-1.0]])
    # prev sign starts at 0: *0.5, then same sign *1.2, flip *0.5 (still stepping), same *1.2
    np.testing.assert_allclose(updates[:, 0], [-0.05, -0.06, 0.03, 0.036], rtol=1e-12)


def test_rprop_plus_undoes_the_previous_step_on_a_flip():
    updates = run_updates(rprop(delta0=0.1, variant="rprop+"), [[1.0], [1.0], [-1.0], [-1.0]])
    np.testing.assert_allclose(updates[:, 0], [-0.1, -0.12, 0.12, 0.06], rtol=1e-12)


def test_rprop_minus_steps_with_the_smaller_delta_on_a_flip():
    updates = run_updates(rprop(delta0=0.1, variant="rprop-"), [[1.0], [1.0], [-1.0]])
    np.testing.assert_allclose(updates[:, 0], [-0.1, -0.12, 0.06], rtol=1e-12)


def test_irprop_plus_undoes_only_when_the_cost_went_up():
    grads = [[1.0], [1.0], [-1.0]]
    went_up = run_updates(rprop(delta0=0.1, variant="irprop+"), grads, costs=[5.0, 4.0, 6.0])
    went_down = run_updates(rprop(delta0=0.1, variant="irprop+"), grads, costs=[5.0, 4.0, 3.0])
    assert went_up[2, 0] == pytest.approx(0.12)
    assert went_down[2, 0] == 0.0


def test_textbook_variants_bound_the_step():
    updates = run_updates(rprop(delta0=40.0, variant="irprop-"), [[1.0]] * 5)
    assert np.abs(updates).max() == 50.0
    updates = run_updates(rprop(delta0=2e-6, variant="rprop-", eta_n=0.1), [[1.0], [-1.0]])
    assert np.abs(updates[-1, 0]) == 1e-6


def test_rprop_runs_a_batch_of_eta_values_in_one_update():
    eta_p = np.array([[1.1], [1.5]])  # broadcasts against params of shape (2, 2)
    optimizer = rprop(eta_p=eta_p, delta0=0.1, variant="irprop-")
    updates = run_updates(optimizer, [np.ones((2, 2))] * 3, params=np.zeros((2, 2)))
    np.testing.assert_allclose(np.abs(updates[2, :, 0]), [0.1 * 1.1**2, 0.1 * 1.5**2])


def test_gradient_descent_momentum_rmsprop_adam_follow_their_equations():
    g = [[2.0, -4.0], [2.0, -4.0]]
    np.testing.assert_allclose(run_updates(sgd(0.1), g, (0.0, 0.0))[0], [-0.2, 0.4])
    np.testing.assert_allclose(
        run_updates(momentum(0.1, beta=0.5), g, (0.0, 0.0))[1], [-0.1 * 3.0, 0.1 * 6.0]
    )
    v = 0.1 * np.array([4.0, 16.0])
    expected = -0.01 * np.array([2.0, -4.0]) / (np.sqrt(v) + 1e-8)
    np.testing.assert_allclose(run_updates(rmsprop(0.01), g, (0.0, 0.0))[0], expected)
    # Adam's first step is lr * sign(g) (bias correction makes m_hat = g, v_hat = g^2).
    np.testing.assert_allclose(run_updates(adam(0.05), g, (0.0, 0.0))[0], [-0.05, 0.05], rtol=1e-6)


def test_clipping_rescales_only_long_gradients():
    np.testing.assert_allclose(clip_by_global_norm(np.array([3.0, 4.0]), 1.0), [0.6, 0.8])
    np.testing.assert_allclose(clip_by_global_norm(np.array([0.3, 0.4]), 1.0), [0.3, 0.4])
    batch = clip_by_global_norm(np.array([[3.0, 4.0], [0.0, 0.5]]), 2.5)
    np.testing.assert_allclose(batch, [[1.5, 2.0], [0.0, 0.5]])


def test_optimizers_never_mutate_their_state():
    for optimizer in [*(rprop(variant=v) for v in RPROP_VARIANTS), sgd(), adam(), rmsprop()]:
        params = np.array([0.5, 0.5])
        state = optimizer.init(params)
        snapshot = [np.array(x, copy=True) for x in state]
        optimizer.update(np.array([1.0, -1.0]), state, params, 1.0)
        for before, after in zip(snapshot, state, strict=True):
            np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (lambda: rprop(eta_n=1.0), "eta_n"),
        (lambda: rprop(eta_n=0.0), "eta_n"),
        (lambda: rprop(eta_p=1.0), "eta_p"),
        (lambda: rprop(delta0=0.0), "delta0"),
        (lambda: rprop(variant="rprop++"), "variant"),
        (lambda: sgd(-1.0), "learning_rate"),
        (lambda: make_optimizer("lbfgs"), "optimiser"),
    ],
)
def test_bad_hyperparameters_name_the_argument_and_range(build, name):
    with pytest.raises(ValueError, match=name):
        build()


def test_error_messages_state_the_allowed_range():
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        rprop(eta_n=1.5)
    with pytest.raises(ValueError, match="> 1"):
        rprop(eta_p=0.9)
