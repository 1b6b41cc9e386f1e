"""The cost surface over (w_x, w_rec), computed from its structure instead of point by point.

For each w_rec = r the output is y_i = w_x P_i(r), so the cost is a quadratic in w_x:

    n E(w_x, r) = A(r) (w_x - w*(r))^2 + M(r),   A = sum_i P_i^2,   w* = sum_i t_i P_i / A,
    M(r) = sum_i (t_i - w* P_i)^2 (the least sum of squares on this row).

Both terms are non-negative, so nothing cancels near the valley floor w_x = w*(r), where the
naive expansion A w_x^2 - 2 B w_x + C loses every digit. P can overflow float64 for long
sequences with |r| > 1, so it is carried as Q 2^e with |Q| < 1 and an exponent e per row.
"""

import numpy as np

from rnnviz.model import output_polynomials_scaled


def _row_quadratics(X, t, wrec_values):
    """Per row r: A in units of 2^(2e), w*, M in true units, and e (module docstring)."""
    Q, e = output_polynomials_scaled(X, wrec_values)
    with np.errstate(under="ignore"):
        t_scaled = np.ldexp(np.asarray(t, dtype=float)[:, None], -e)  # t / 2^e
        A = np.sum(Q * Q, axis=0)
        safe_A = np.where(A > 0, A, 1.0)
        # Where every P_i(r) is 0 the cost does not depend on w_x; w* is undefined (NaN).
        w_star = np.where(A > 0, np.sum(t_scaled * Q, axis=0) / safe_A, np.nan)
        # The residuals t_i - w* P_i are at most about t_i, so M is taken in true units
        # (in units of 2^(2e) it would underflow to 0 for long sequences).
        residual = np.asarray(t, dtype=float)[:, None] - np.ldexp(np.nan_to_num(w_star) * Q, e)
        M = np.sum(residual * residual, axis=0)
    return A, w_star, M, e


def valley_floor(X, t, wrec_values):
    """The curve of least cost w_x*(w_rec) = sum_i t_i P_i / sum_i P_i^2, shape (R,).

    NaN where every P_i(w_rec) is zero (then no w_x is better than another).
    """
    return _row_quadratics(X, t, wrec_values)[1]


def cost_surface(X, t, wx_values, wrec_values):
    """Mean squared error on the grid, C (len(wrec_values), len(wx_values)); rows follow w_rec.

    +inf where the sum of squared errors overflows float64 (as the per-point computation
    sum((y - t)^2) / n does); never NaN, and no floating-point warning escapes.
    """
    n = len(t)
    w_x = np.asarray(wx_values, dtype=float)
    A, w_star, M, e = _row_quadratics(X, t, wrec_values)
    w_star = np.nan_to_num(w_star)  # rows with A = 0 are constant: any w* gives M
    if w_x.size == 0:
        return np.zeros((w_star.size, 0))
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        root_A = np.ldexp(np.sqrt(A), e)  # sqrt(sum_i P_i^2) in true units; inf if P overflows
        farthest = np.maximum(np.abs(w_x.min() - w_star), np.abs(w_x.max() - w_star))
        if np.all((farthest * root_A) ** 2 + M < np.finfo(float).max):
            # Every row's sum of squares fits (the quadratic peaks at an end of the w_x range):
            # E = ((w* - w_x) sqrt(A/n))^2 + M/n, four passes over the grid.
            C = np.subtract.outer(w_star, w_x)
            C *= (root_A / np.sqrt(n))[:, None]
            C *= C
            C += (M / n)[:, None]
            return C
        # Some sum of squares overflows: multiply (w_x - w*) sqrt(A) in units of 2^e first and
        # scale after, so a tiny w_x - w* stays finite and an overflow is +inf, never inf * 0.
        D = np.ldexp(np.subtract.outer(w_star, w_x) * np.sqrt(A)[:, None], e[:, None])
        return (D * D + M[:, None]) / n
