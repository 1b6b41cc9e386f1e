import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnviz import cost, cost_surface, forward_states, make_dataset, valley_floor


def loop_surface(X, t, wx_values, wrec_values):
    """The tutorial's get_loss_surface: one forward pass per grid point."""
    C = np.empty((len(wrec_values), len(wx_values)))
    with np.errstate(over="ignore", invalid="ignore"):
        for i, w_rec in enumerate(wrec_values):
            for j, w_x in enumerate(wx_values):
                C[i, j] = cost(forward_states(X, w_x, w_rec)[:, -1], t)
    return C


def assert_matches_loop(X, t, wx_values, wrec_values):
    C = cost_surface(X, t, wx_values, wrec_values)
    L = loop_surface(X, t, wx_values, wrec_values)
    assert C.shape == (len(wrec_values), len(wx_values))
    assert not np.isnan(C).any()
    assert np.array_equal(np.isposinf(C), ~np.isfinite(L))
    finite = np.isfinite(L)
    np.testing.assert_allclose(C[finite], L[finite], rtol=1e-9, atol=1e-12)
    return C


def test_surface_equals_loop_on_the_tutorial_overview():
    X, t = make_dataset()
    grid = np.linspace(-3, 3, 41)
    C = assert_matches_loop(X, t, grid, grid)
    assert C.max() == pytest.approx(2.2e9, rel=0.05)  # "cost spans about 0 to 2.2e9"


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 12),
    seq_len=st.integers(1, 25),
    seed=st.integers(0, 1000),
    lo=st.floats(-4, 0),
    span=st.floats(0.01, 6),
)
def test_surface_equals_loop_on_random_grids(n, seq_len, seed, lo, span):
    X, t = make_dataset(n, seq_len, seed)
    rng = np.random.default_rng(seed)
    wx_values = np.sort(rng.uniform(lo, lo + span, 9))
    wrec_values = np.sort(rng.uniform(lo, lo + span, 7))
    assert_matches_loop(X, t, wx_values, wrec_values)


def test_surface_is_accurate_on_and_near_the_valley_floor():
    # The naive expansion A w^2 - 2 B w + C cancels here and can even turn negative.
    X, t = make_dataset()
    wrec_values = np.array([0.5, 0.9, 0.999, 1.0, 1.0 + 1e-7, 1.1, 1.5])
    floor = valley_floor(X, t, wrec_values)
    for w_rec, w_star in zip(wrec_values, floor, strict=True):
        wx_values = w_star + np.array([-1e-3, -1e-6, -1e-9, 0.0, 1e-9, 1e-6, 1e-3])
        C = assert_matches_loop(X, t, wx_values, [w_rec])
        assert (C >= 0).all()
        assert C[0, 3] == C.min()  # the floor is the least cost on its row


def test_valley_floor_values_from_the_tutorial_notes():
    X, t = make_dataset()
    floor = valley_floor(X, t, [0.5, 0.9, 1.0, 1.1, 1.5])
    np.testing.assert_allclose(floor, [3.61, 1.47, 1.0, 0.646, 0.090], atol=6e-3)
    rows = [0.5, 0.9, 1.0, 1.1, 1.5]
    least = [cost_surface(X, t, [w], [r])[0, 0] for w, r in zip(floor, rows, strict=True)]
    np.testing.assert_allclose(least, [3.30, 0.17, 0.0, 0.16, 2.85], atol=6e-3)


def test_valley_floor_minimises_each_row_against_a_fine_loop():
    X, t = make_dataset(9, 8, seed=7)
    for w_rec in (-1.3, -0.2, 0.7, 1.4):
        (w_star,) = valley_floor(X, t, [w_rec])
        nearby = w_star + np.linspace(-0.01, 0.01, 21)
        row = loop_surface(X, t, nearby, [w_rec])[0]
        assert np.argmin(row) == 10


def test_long_sequences_overflow_to_inf_exactly_where_the_loop_does():
    X, t = make_dataset(20, 400, seed=3)
    wx_values = np.concatenate([np.linspace(-3, 3, 25), [0.0, 1e-300, -1e-200, 1e-150]])
    wrec_values = np.linspace(-3, 3, 49)
    C = assert_matches_loop(X, t, wx_values, wrec_values)
    assert np.isinf(C).any() and np.isfinite(C).any()


def test_surface_raises_no_warnings_on_overflow():
    # pytest turns warnings into errors here, so reaching the assert proves none escaped.
    X, t = make_dataset(5, 2000, seed=1)
    C = cost_surface(X, t, np.linspace(-2, 2, 11), np.linspace(-2, 2, 11))
    assert np.isinf(C).any() and not np.isnan(C).any()


def test_constant_rows_where_every_output_polynomial_vanishes():
    X = np.array([[1.0, 0.0], [0.0, 0.0]])  # at w_rec = 0 both outputs are x_T = 0
    t = X.sum(axis=1)
    C = assert_matches_loop(X, t, [-1.0, 0.0, 2.0], [0.0, 0.5])
    assert C[0].tolist() == [0.5, 0.5, 0.5]
    assert np.isnan(valley_floor(X, t, [0.0]))[0]
