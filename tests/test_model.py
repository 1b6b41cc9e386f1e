from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnviz import (
    backpropagate,
    backward_gradient,
    cost,
    cost_and_gradient,
    final_state_gradient,
    forward_states,
    gradient_through_time,
    make_dataset,
    make_objective,
    output_gradient,
)


def mean_cost(X, t, w_x, w_rec):
    return cost(forward_states(X, w_x, w_rec)[:, -1], t)


def central_difference(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def test_forward_matches_the_recurrence_by_hand():
    X = np.array([[1.0, 0.0, 1.0]])
    S = forward_states(X, 2.0, 3.0)
    # S1 = 2, S2 = 0 + 2*3 = 6, S3 = 2 + 6*3 = 20
    assert S.tolist() == [[0.0, 2.0, 6.0, 20.0]]


weights = st.floats(-2.5, 2.5, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(w_x=weights, w_rec=weights, seq_len=st.integers(1, 14), seed=st.integers(0, 50))
def test_backpropagation_equals_finite_differences(w_x, w_rec, seq_len, seed):
    X, t = make_dataset(7, seq_len, seed)
    S = forward_states(X, w_x, w_rec)
    (g_wx, g_wrec), _ = backward_gradient(X, S, output_gradient(S[:, -1], t), w_rec)
    scale = max(1.0, abs(w_x), abs(w_rec))
    h = 1e-6 * scale
    fd_wx = central_difference(lambda a: mean_cost(X, t, a, w_rec), w_x, h)
    fd_wrec = central_difference(lambda r: mean_cost(X, t, w_x, r), w_rec, h)
    magnitude = max(1.0, abs(fd_wx), abs(fd_wrec))
    assert g_wx == pytest.approx(fd_wx, rel=1e-5, abs=1e-6 * magnitude)
    assert g_wrec == pytest.approx(fd_wrec, rel=1e-5, abs=1e-6 * magnitude)


@pytest.mark.parametrize("w", [(-1.5, 2.0), (1.0, 2.0), (1.0, -2.0), (0.3, 0.0), (1.1, -0.7)])
def test_closed_form_cost_and_gradient_equal_bptt(w):
    X, t = make_dataset()
    S = forward_states(X, *w)
    grads, _ = backward_gradient(X, S, output_gradient(S[:, -1], t), w[1])
    E, g = cost_and_gradient(make_objective(X, t), np.array(w))
    assert E == pytest.approx(cost(S[:, -1], t), rel=1e-12)
    np.testing.assert_allclose(g, grads, rtol=1e-10)


def test_closed_form_runs_a_batch_as_the_single_points():
    X, t = make_dataset(6, 12, seed=3)
    objective = make_objective(X, t)
    batch = np.array([[[0.5, 1.2], [1.0, -0.5]], [[2.0, 0.0], [-1.0, 1.5]]])
    E, g = cost_and_gradient(objective, batch)
    assert E.shape == (2, 2) and g.shape == (2, 2, 2)
    for idx in np.ndindex(2, 2):
        E1, g1 = cost_and_gradient(objective, batch[idx])
        assert E[idx] == pytest.approx(E1, rel=1e-13)
        np.testing.assert_allclose(g[idx], g1, rtol=1e-13)


def test_backward_gradient_uses_its_own_sequence_length():
    # The tutorial's version reads a global X; ours must follow the X it is given.
    for seq_len in (3, 17):
        X, t = make_dataset(4, seq_len, seed=2)
        S = forward_states(X, 0.7, 1.1)
        _, per_step = backward_gradient(X, S, output_gradient(S[:, -1], t), 1.1)
        assert per_step.shape == (4, seq_len + 1)


@pytest.mark.parametrize("w", [(2.0, 1.0), (1.0, 2.0), (1.0, -2.0), (1.0, 0.5), (0.5, -0.5)])
def test_gradient_through_time_is_the_derivative_of_the_mean_cost(w):
    # Independent truth: nudge state S_k of every sample by h, run the rest of the recurrence.
    X, t = make_dataset()
    w_x, w_rec = w
    T = X.shape[1]
    gtt = gradient_through_time(X, t, w_x, w_rec)
    S = forward_states(X, w_x, w_rec)

    def cost_with_nudge(k, h):
        state = S[:, k] + h
        for j in range(k, T):
            state = X[:, j] * w_x + state * w_rec
        return cost(state, t)

    for k in range(T + 1):
        fd = central_difference(lambda h, k=k: cost_with_nudge(k, h), 0.0, 1e-4)
        assert gtt.signed[k] == pytest.approx(fd, rel=1e-6, abs=1e-9)
    np.testing.assert_allclose(gtt.magnitude, np.abs(gtt.signed))
    np.testing.assert_allclose(gtt.factor, abs(w_rec) ** (T - np.arange(T + 1)))
    # dE/dS_k = dE/dS_T * w_rec^(T-k): the whole lesson of the tutorial's second figure.
    np.testing.assert_allclose(gtt.signed, gtt.signed[-1] * w_rec ** (T - gtt.k), rtol=1e-12)


def test_gradient_through_time_overflows_to_inf_without_warnings():
    X, t = make_dataset(3, 800, seed=1)
    gtt = gradient_through_time(X, t, 1.0, 3.0)
    assert np.isinf(gtt.magnitude).any()
    assert not np.isnan(gtt.factor).any()


def test_gradient_through_time_runs_many_pairs_as_single_ones():
    X, t = make_dataset(5, 9, seed=4)
    w_x = np.array([0.5, 1.0, -2.0, 1.0])
    w_rec = np.array([1.3, -0.8, 0.0, 1.0])
    batch = gradient_through_time(X, t, w_x, w_rec)
    for i in range(4):
        single = gradient_through_time(X, t, w_x[i], w_rec[i])
        np.testing.assert_allclose(batch.signed[i], single.signed, rtol=1e-13)
        np.testing.assert_allclose(batch.factor[i], single.factor, rtol=1e-13)
    assert batch.signed[2, :-1].tolist() == [0.0] * 9  # w_rec = 0: nothing reaches back


def test_gradient_through_time_agrees_with_the_tutorials_backward_pass():
    X, t = make_dataset()
    S = forward_states(X, 1.0, -2.0)
    _, per_sample = backward_gradient(X, S, output_gradient(S[:, -1], t), -2.0)
    np.testing.assert_allclose(
        gradient_through_time(X, t, 1.0, -2.0).signed, per_sample.sum(axis=0), rtol=1e-12
    )


def test_the_final_state_gradient_and_backpropagation_rebuild_every_timestep():
    """The run is sent as dE/dS_T per iterate; backpropagate must give the tutorial's rows."""
    X, t = make_dataset()
    w_x, w_rec = np.array([1.0, 0.3, -1.5]), np.array([-2.0, 0.7, 1.1])
    final = final_state_gradient(X, t, w_x, w_rec)
    for i in range(3):
        S = forward_states(X, w_x[i], w_rec[i])
        _, per_sample = backward_gradient(X, S, output_gradient(S[:, -1], t), w_rec[i])
        assert final[i] == pytest.approx(per_sample[:, -1].sum(), rel=1e-12)
        rows = backpropagate(final[i], w_rec[i], X.shape[1]).signed
        np.testing.assert_allclose(rows, per_sample.sum(axis=0), rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(w_x=weights, w_rec=weights, seq_len=st.integers(1, 20), seed=st.integers(0, 50))
def test_gradient_from_sums_equals_backpropagation(w_x, w_rec, seq_len, seed):
    # The training loop steps with the O(T) sums; it must agree with the per-sample gradient.
    from rnnviz.model import gradient_from_sums

    X, t = make_dataset(6, seq_len, seed)
    objective = make_objective(X, t)
    _, exact = cost_and_gradient(objective, np.array([w_x, w_rec]))
    fast = gradient_from_sums(objective, np.array([w_x, w_rec]))
    scale = np.sum(objective.sums_basis[:, 0] * np.abs(w_rec) ** objective.sum_powers)
    np.testing.assert_allclose(fast, exact, rtol=1e-9, atol=1e-12 * max(1.0, scale * abs(w_x)))


def test_gradient_from_sums_gives_a_batch_what_it_gives_each_pair():
    from rnnviz.model import gradient_from_sums

    objective = make_objective(*make_dataset(5, 12, seed=8))
    batch = np.random.default_rng(3).uniform(-2, 2, (4, 3, 2))
    together = gradient_from_sums(objective, batch)
    for index in np.ndindex(4, 3):
        # bit for bit, not merely close: a run trained alone and in a batch take the same steps
        assert together[index].tolist() == gradient_from_sums(objective, batch[index]).tolist()


@pytest.mark.parametrize("T", [1, 10, 200])
def test_the_sums_for_one_pair_and_for_a_batch_are_the_same_numbers(T):
    from rnnviz.model import sums_at

    objective = make_objective(*make_dataset(30, T, seed=T))
    r = np.random.default_rng(T).uniform(-1.3, 1.3, 1003)  # not a multiple of any block size
    together = sums_at(objective, r)
    assert all(together[j].tolist() == list(sums_at(objective, float(r[j]))) for j in range(1003))
    # and they are the sums: A(r) = sum_i P_i(r)^2 against the states of the recurrence
    X, _ = make_dataset(30, T, seed=T)
    P = forward_states(X, 1.0, float(r[0]))[:, -1]
    assert together[0, 0] == pytest.approx(2 * np.sum(P**2) / 30, rel=1e-9)


def test_gradient_through_time_is_signed_infinity_when_samples_overflow_both_ways():
    # y_1 = w_x r^4 = +1e440 and y_2 = w_x r^3 = -1e330: each overflows, with opposite signs,
    # so the float64 sum is NaN; the exact sum (in fractions) is huge and positive.
    X = np.array([[1, 0, 0, 0, 0], [0, 1, 0, 0, 0]], dtype=float)
    t = X.sum(axis=1)
    w_x, w_rec = 1.0, -1e110
    r = Fraction(w_rec)
    exact_output = sum(
        Fraction(w_x) * sum(Fraction(x) * r ** (len(row) - 1 - k) for k, x in enumerate(row))
        - Fraction(target)
        for row, target in zip(X, t, strict=True)
    )
    exact = [2 * exact_output / len(t) * r ** (5 - k) for k in range(6)]  # dE/dS_k, exactly
    signed = gradient_through_time(X, t, w_x, w_rec).signed
    assert not np.isnan(signed).any()
    assert np.all(np.isinf(signed))  # every |dE/dS_k| is beyond float64 ...
    assert [v > 0 for v in signed] == [v > 0 for v in exact]  # ... and of the exact sign
