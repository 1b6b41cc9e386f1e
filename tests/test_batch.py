"""The batched driver (rnnviz/batch.py) against single runs and against steps worked by hand."""

import numpy as np
import pytest

import rnnviz
from rnnviz.batch import basin_map, eta_map, train_batch


@pytest.fixture(scope="module")
def data():
    return rnnviz.make_dataset()  # the tutorial's 20 sequences of 10


def assert_runs_agree(X, t, batch, j, single):
    """Row j of a batch is the single run: same iterates, same end, same divergence."""
    kept = len(single.weights)
    assert batch.kept[j] == kept
    assert batch.diverged_at[j] == (-1 if single.diverged_at is None else single.diverged_at)
    np.testing.assert_allclose(batch.weights[:kept, j], single.weights, rtol=1e-12, atol=1e-300)
    if kept:
        assert batch.final_costs[j] == pytest.approx(single.costs[-1], rel=1e-12)
        # rows after the end repeat the last finite iterate
        assert (batch.weights[kept:, j] == single.weights[-1]).all()


RANDOM_CONFIGS = {
    "rprop": lambda rng, B: rnnviz.rprop(
        rng.uniform(1.01, 2.0, (B, 1)), rng.uniform(0.01, 0.99, (B, 1)), 0.001
    ),
    "irprop+": lambda rng, B: rnnviz.rprop(
        rng.uniform(1.01, 2.0, (B, 1)), rng.uniform(0.01, 0.99, (B, 1)), 0.01, "irprop+"
    ),
    "rprop+": lambda rng, B: rnnviz.rprop(1.2, rng.uniform(0.1, 0.9, (B, 1)), 0.001, "rprop+"),
    # learning rates across the wall: some runs diverge, each at its own iteration
    "sgd": lambda rng, B: rnnviz.sgd(10.0 ** rng.uniform(-7, -3, (B, 1))),
    "momentum": lambda rng, B: rnnviz.momentum(10.0 ** rng.uniform(-9, -6, (B, 1)), 0.9),
    "rmsprop": lambda rng, B: rnnviz.rmsprop(10.0 ** rng.uniform(-3, -1, (B, 1)), 0.9),
    "adam": lambda rng, B: rnnviz.adam(10.0 ** rng.uniform(-3, -1, (B, 1)), 0.5, 0.9),
}


@pytest.mark.parametrize("family", list(RANDOM_CONFIGS))
def test_a_batch_gives_every_runs_own_iterates(data, family):
    X, t = data
    rng = np.random.default_rng(sum(map(ord, family)))
    B = 12
    optimizer = RANDOM_CONFIGS[family](rng, B)
    w0 = np.column_stack([rng.uniform(-2, 2, B), rng.uniform(-2.5, 2.5, B)])
    clip = np.where(rng.random(B) < 0.3, rng.uniform(1, 100, B), np.inf)
    batch = train_batch(X, t, optimizer, w0, 300, clip)
    for j in range(B):
        hyper = {
            k: (v[j, 0] if isinstance(v, np.ndarray) else v)
            for k, v in optimizer.hyperparams.items()
        }
        name = "rprop" if "variant" in hyper else family
        if name == "rprop":
            hyper.pop("delta_min"), hyper.pop("delta_max")
        single = rnnviz.train(
            X,
            t,
            rnnviz.make_optimizer(name, **hyper),
            w0=w0[j],
            iterations=300,
            clip_norm=None if np.isinf(clip[j]) else clip[j],
        )
        assert_runs_agree(X, t, batch, j, single)
    if family == "sgd":  # the point of the exercise: runs that end at different iterations
        ends = set(batch.diverged_at[batch.diverged_at >= 0].tolist())
        assert len(ends) >= 2 and (batch.diverged_at == -1).any()


def test_divergence_is_recorded_at_each_runs_own_iteration(data):
    X, t = data
    rates = np.array([1e-7, 1e-6, 3e-6, 1e-5])[:, None]
    batch = train_batch(X, t, rnnviz.sgd(rates), np.tile([-1.5, 2.0], (4, 1)), 100)
    expected = [rnnviz.train(X, t, rnnviz.sgd(r), iterations=100).diverged_at for r in rates[:, 0]]
    assert expected[0] is None and expected[1] == 3  # as tests/test_live.py finds for 1e-6
    assert batch.diverged_at.tolist() == [-1 if e is None else e for e in expected]
    assert np.isfinite(batch.weights).all()  # stopped runs stay at their last finite iterate


def backprop_gradient(X, t, w):
    """The tutorial's backward pass: the gradient of the mean cost, per sample, summed."""
    S = rnnviz.forward_states(X, *w)
    (g_x, g_rec), _ = rnnviz.backward_gradient(X, S, rnnviz.output_gradient(S[:, -1], t), w[1])
    return np.array([g_x, g_rec])


def test_each_optimisers_first_two_steps_by_hand(data):
    X, t = data
    w0 = np.array([0.5, 0.8])
    g0 = backprop_gradient(X, t, w0)
    lr, beta, decay, b1, b2, eps = 1e-3, 0.9, 0.9, 0.5, 0.9, 1e-8

    def two_steps(step):
        w1, memory = step(w0, g0, None, 1)
        w2, _ = step(w1, backprop_gradient(X, t, w1), memory, 2)
        return np.array([w0, w1, w2])

    def sgd(w, g, memory, count):
        return w - lr * g, None

    def heavy_ball(w, g, m, count):
        m = g if m is None else beta * m + g
        return w - lr * m, m

    def rms(w, g, v, count):
        v = (1 - decay) * g * g if v is None else decay * v + (1 - decay) * g * g
        return w - lr * g / (np.sqrt(v) + eps), v

    def adam(w, g, memory, count):
        m, v = memory or (0.0, 0.0)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**count), v / (1 - b2**count)
        return w - lr * m_hat / (np.sqrt(v_hat) + eps), (m, v)

    def tutorial_rprop(w, g, memory, count):
        # the notebook: the previous sign starts at 0, so the first step is delta0 * eta_n
        delta, prev = memory or (np.full(2, 0.001), np.zeros(2))
        delta = delta * np.where(np.sign(g) == prev, 1.2, 0.5)
        return w - np.sign(g) * delta, (delta, np.sign(g))

    cases = [
        (rnnviz.sgd(lr), sgd),
        (rnnviz.momentum(lr, beta), heavy_ball),
        (rnnviz.rmsprop(lr, decay, eps), rms),
        (rnnviz.adam(lr, b1, b2, eps), adam),
        (rnnviz.rprop(1.2, 0.5, 0.001), tutorial_rprop),
    ]
    for optimizer, by_hand in cases:
        batch = train_batch(X, t, optimizer, np.array([w0, w0]), 2)
        np.testing.assert_allclose(batch.weights[:, 0], two_steps(by_hand), rtol=1e-12)
        assert (batch.weights[:, 0] == batch.weights[:, 1]).all()


def test_the_eta_map_is_a_loop_of_single_runs(data):
    X, t = data
    eta_p, eta_n = np.array([1.05, 1.2, 1.6, 2.0]), np.array([0.1, 0.5, 0.9])
    outcome = eta_map(X, t, eta_p, eta_n, (-1.5, 2.0), 200, tolerance=1e-4)
    assert outcome.final_cost.shape == (3, 4)
    for row, n in enumerate(eta_n):
        for col, p in enumerate(eta_p):
            single = rnnviz.train(X, t, rnnviz.rprop(p, n), iterations=200)
            assert outcome.final_cost[row, col] == pytest.approx(single.costs[-1], rel=1e-12)
            below = np.flatnonzero(single.costs <= 1e-4)
            assert outcome.iterations[row, col] == (below[0] if below.size else -1)
            expected = -1 if single.diverged_at is None else single.diverged_at
            assert outcome.diverged_at[row, col] == expected
    assert (outcome.iterations >= 0).any() and (outcome.iterations == -1).any()


def test_the_basin_map_starts_a_run_from_every_cell(data):
    X, t = data
    w_x, w_rec = np.linspace(-2, 2, 5), np.linspace(-1.5, 1.5, 4)
    optimizer = rnnviz.sgd(1e-3)
    outcome = basin_map(X, t, optimizer, w_x, w_rec, 150, tolerance=1e-3, clip_norm=10.0)
    for row, r in enumerate(w_rec):
        for col, x in enumerate(w_x):
            single = rnnviz.train(X, t, optimizer, (x, r), 150, clip_norm=10.0)
            assert outcome.final_cost[row, col] == pytest.approx(single.costs[-1], rel=1e-9)


def test_costs_from_the_sums_are_close_to_the_exact_costs(data):
    X, t = data
    batch = train_batch(X, t, rnnviz.rprop(), np.array([[-1.5, 2.0]]), 500)
    single = rnnviz.train(X, t, rnnviz.rprop())
    A = np.sum(
        rnnviz.forward_states(X, 1.0, 2.0)[:, -1] ** 2
    )  # sum P_i^2 at the start, the largest
    np.testing.assert_allclose(batch.costs[:, 0], single.costs, rtol=1e-6, atol=1e-13 * A)


def test_a_start_that_overflows_is_a_run_with_no_iterate():
    X, t = rnnviz.make_dataset(4, 900, 1)  # the cost overflows float64 at (-1.5, 2)
    batch = train_batch(X, t, rnnviz.rprop(), np.array([[-1.5, 2.0], [0.5, 0.5]]), 5)
    assert batch.kept.tolist()[0] == 0 and batch.diverged_at[0] == 0
    assert np.isnan(batch.final_costs[0]) and batch.kept[1] == 6
