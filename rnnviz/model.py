"""The one-unit linear RNN S_k = x_k w_x + S_{k-1} w_rec, its cost and its gradients.

Shapes: X (n, T) inputs, t (n,) targets, S (n, T+1) states with S_0 = 0, output y = S_T.
"""

import math
from typing import NamedTuple

import numpy as np


def forward_states(X, w_x, w_rec):
    """States S (n, T+1) of the unrolled network; S[:, -1] is the output y."""
    X = np.asarray(X, dtype=float)
    S = np.zeros((X.shape[0], X.shape[1] + 1))
    for k in range(X.shape[1]):
        S[:, k + 1] = X[:, k] * w_x + S[:, k] * w_rec  # S_k = x_k w_x + S_{k-1} w_rec
    return S


def cost(y, t):
    """Mean squared error E = sum_i (y_i - t_i)^2 / n."""
    return np.sum((t - y) ** 2) / len(t)


def output_gradient(y, t):
    """dE/dy_i = 2 (y_i - t_i) / n for the mean squared error."""
    return 2.0 * (y - t) / len(t)


def backward_gradient(X, S, grad_out, w_rec):
    """Backpropagation through time: ((dE/dw_x, dE/dw_rec), grad_over_time (n, T+1)).

    grad_over_time[:, k] is dE/dS_k per sample; only w_rec carries it back:
    dE/dS_{k-1} = dE/dS_k * w_rec.
    """
    T = X.shape[1]
    grad_over_time = np.zeros((X.shape[0], T + 1))
    grad_over_time[:, -1] = grad_out
    grad_wx = grad_wrec = 0.0
    for k in range(T, 0, -1):
        grad_wx += np.sum(grad_over_time[:, k] * X[:, k - 1])  # dS_k/dw_x = x_k
        grad_wrec += np.sum(grad_over_time[:, k] * S[:, k - 1])  # dS_k/dw_rec = S_{k-1}
        grad_over_time[:, k - 1] = grad_over_time[:, k] * w_rec
    return (grad_wx, grad_wrec), grad_over_time


class GradientThroughTime(NamedTuple):
    """dE/dS_k for k = 0..T of the mean cost, summed over samples, and |w_rec|^(T-k)."""

    k: np.ndarray  # (T+1,) timesteps; T is the output, 0 the initial state
    signed: np.ndarray  # (..., T+1) dE/dS_k
    magnitude: np.ndarray  # (..., T+1) |dE/dS_k|
    factor: np.ndarray  # (..., T+1) |w_rec|^(T-k): how much backpropagation scales dE/dS_T


def gradient_through_time(X, t, w_x, w_rec):
    """Per-timestep gradient of the mean cost at (w_x, w_rec), true scale (not the tutorial's 400x).

    dE/dS_k = dE/dS_T * w_rec^(T-k), with dE/dS_T = sum_i 2 (y_i - t_i) / n: nudging state k
    of every sample by h changes the cost by h dE/dS_k. w_x and w_rec may be arrays (one row per
    pair). Values beyond float64 come back as +-inf (never NaN); the caller decides how to
    show them.
    """
    X = np.asarray(X, dtype=float)
    final = final_state_gradient(X, t, w_x, w_rec)
    return backpropagate(final, w_rec, X.shape[1])


def final_state_gradient(X, t, w_x, w_rec):
    """dE/dS_T = sum_i 2 (y_i - t_i) / n of the mean cost: +-inf beyond float64, never NaN.

    Everything dE/dS_k holds is this one number per pair and w_rec (see backpropagate): a run
    of many iterates is sent to the browser as these two series, not as a matrix.
    """
    X = np.asarray(X, dtype=float)
    T = X.shape[1]
    w_x, w_rec = np.broadcast_arrays(np.asarray(w_x, dtype=float), np.asarray(w_rec, dtype=float))
    with np.errstate(over="ignore", invalid="ignore"):
        y = np.zeros((*w_x.shape, X.shape[0]))
        for step in range(T):  # the forward recurrence for every pair at once; overflow -> inf
            y = X[:, step] * w_x[..., None] + y * w_rec[..., None]
        final = np.asarray(2.0 * np.sum(y - np.asarray(t, dtype=float), axis=-1) / len(t))
    # Samples overflowing to +inf and -inf make that sum NaN; the true sum is still a number
    # beyond float64 of one sign: work it out with P_i carried as Q_i 2^e.
    with np.errstate(over="ignore"):  # beyond float64 again: +-inf, as promised
        for index in np.argwhere(np.isnan(final)):
            index = tuple(index)
            final[index] = _scaled_output_gradient(X, t, w_x[index], w_rec[index])
    return final


def final_state_gradient_polynomial(X, t):
    """(q, c) with dE/dS_T = w_x q(w_rec) - c, q's coefficients in ascending powers (T of them).

    dE/dS_T = 2 sum_i (w_x P_i(w_rec) - t_i) / n and P_i(r) = sum_k x_ik r^(T-k), so q is the
    sum of the samples' coefficients times 2/n and c = 2 mean(t): a few numbers from which the
    browser works out dE/dS_k under the pointer anywhere on the surface.
    """
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    q = 2.0 * X[:, ::-1].sum(axis=0) / n  # column j multiplies r^j
    return q, 2.0 * float(np.sum(np.asarray(t, dtype=float))) / n


def backpropagate(final, w_rec, T):
    """dE/dS_k = dE/dS_T w_rec^(T-k) for k = 0..T, from dE/dS_T (final) and w_rec (broadcast)."""
    k = np.arange(T + 1)
    final, w_rec = np.broadcast_arrays(np.asarray(final, dtype=float), np.asarray(w_rec, float))
    with np.errstate(over="ignore", invalid="ignore"):
        factor = np.abs(w_rec[..., None]) ** (T - k).astype(float)
        backwards = np.sign(w_rec[..., None]) ** (T - k).astype(float) * factor  # w_rec^(T-k)
        signed = np.where(final[..., None] == 0.0, 0.0, final[..., None] * backwards)
    return GradientThroughTime(k, signed, np.abs(signed), factor)


def _scaled_output_gradient(X, t, w_x, w_rec):
    """dE/dS_T = 2 sum_i (w_x P_i - t_i) / n with P = Q 2^e: +-inf or finite, never NaN."""
    Q, e = output_polynomials_scaled(X, [w_rec])
    inside = w_x * np.sum(Q[:, 0]) - np.ldexp(np.sum(t, dtype=float), -e[0])  # in units of 2^e
    return np.ldexp(2.0 * inside / len(t), e[0])


class Objective(NamedTuple):
    """The cost and its gradient as closed forms in w_rec, for fast training."""

    powers: np.ndarray  # (T,) exponents 0..T-1
    basis: np.ndarray  # (T, 2n): [P coefficients | dP/dw_rec coefficients]
    t: np.ndarray  # (n,)
    sum_powers: np.ndarray  # (2T-1,) exponents 0..2T-2
    sums_basis: np.ndarray  # (2T-1, 4): coefficients of 2/n (A, A'/2, B, B'), see make_objective
    sums_horner: tuple  # sums_basis's rows as float tuples, highest power first (see sums_at)
    samples_horner: np.ndarray  # (T, 2n): basis's rows highest power first (in_order_cost...)


def make_objective(X, t):
    """Precompute y_i = w_x P_i(w_rec) with P_i(r) = sum_k x_ik r^(T-k), and dP_i/dr.

    This is the recurrence unrolled: S_T = w_x sum_k x_k w_rec^(T-k). Evaluating it costs
    one power vector and one matrix product per step instead of T Python-level steps.
    """
    X = np.asarray(X, dtype=float)
    n, T = X.shape
    reversed_X = X[:, ::-1]  # column j multiplies r^j
    j = np.arange(T, dtype=float)
    d_coeffs = np.zeros((n, T))
    d_coeffs[:, :-1] = reversed_X[:, 1:] * j[1:]  # d/dr x r^(j+1) = (j+1) x r^j
    basis = np.concatenate([reversed_X.T, d_coeffs.T], axis=1)
    # The gradient needs only two sums over samples, polynomials in r of degree 2T-2:
    # A(r) = sum_i P_i(r)^2 and B(r) = sum_i t_i P_i(r), with a_m = sum_{j+l=m} (C^T C)_jl.
    t = np.asarray(t, dtype=float)
    gram = reversed_X.T @ reversed_X
    exponent = np.add.outer(np.arange(T), np.arange(T))  # j + l for gram[j, l]
    a = np.bincount(exponent.ravel(), weights=gram.ravel(), minlength=2 * T - 1)
    b = np.zeros(2 * T - 1)
    b[:T] = t @ reversed_X
    m = np.arange(1, 2 * T - 1, dtype=float)
    sums_basis = np.zeros((2 * T - 1, 4))
    sums_basis[:, 0], sums_basis[:, 2] = a, b
    sums_basis[:-1, 1] = m * a[1:] / 2  # A'(r) / 2
    sums_basis[:-1, 3] = m * b[1:]  # B'(r)
    sums_basis *= 2.0 / n  # the mean's 2/n, folded in once rather than at every step
    horner = tuple(tuple(row) for row in sums_basis[::-1].tolist())
    sum_powers = np.arange(2 * T - 1, dtype=float)
    samples = np.ascontiguousarray(basis[::-1])
    return Objective(j, basis, t, sum_powers, sums_basis, horner, samples)


def browser_objective(X, t):
    """The objective as plain JSON values, for static/stepper.js (which trains as train() does).

    {"n", "T", "sums_horner": (2T-1, 4) 2/n (A, A'/2, B, B') highest power first (sums_at's
    rows), "samples_horner": (n, T) each sample's P_i coefficients highest power first (the
    rows of X: the recurrence S_k = x_k + S_{k-1} w_rec), "t": (n,)}. Whole numbers are written
    as JSON integers (the data's 0s and 1s: half the bytes), the rest as Python's shortest
    repr, which JSON.parse reads back to the same double.
    """
    X = np.asarray(X, dtype=float)
    n, T = X.shape
    objective = make_objective(X, t)
    return {
        "n": n,
        "T": T,
        "sums_horner": [[_json_number(v) for v in row] for row in objective.sums_horner],
        "samples_horner": [[_json_number(v) for v in row] for row in X.tolist()],
        "t": [_json_number(v) for v in objective.t.tolist()],
    }


def _json_number(value):
    """value as an int if it is a whole number an int holds exactly (never -0.0), else as is."""
    whole = value.is_integer() and abs(value) < 2.0**53 and math.copysign(1.0, value) > 0
    return int(value) if whole else value


def powers_of(w_rec, T):
    """[1, r, r^2, ..., r^(T-1)] for each r in w_rec, shape (..., T).

    For many r, repeated multiplication (np.vander) is ten times faster than a float power;
    for a few (a training step) the power's lower call overhead wins.
    """
    r = np.asarray(w_rec, dtype=float)
    if r.size < 64:
        return r[..., None] ** np.arange(T, dtype=float)
    return np.vander(r.reshape(-1), T, increasing=True).reshape((*r.shape, T))


def output_polynomials_scaled(X, wrec_values):
    """P_i(r) = Q[i, j] * 2**e[j] for r = wrec_values[j]; Q (n, R), e (R,) integer exponents.

    Usually P fits comfortably and comes from the unrolled recurrence the training uses (e = 0).
    Otherwise the recurrence S_k = x_k + S_{k-1} r (w_x = 1) is run renormalised by a power of
    two after every step, which is exact in binary floating point and never overflows.
    """
    X = np.asarray(X, dtype=float)
    r = np.asarray(wrec_values, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        # The unrolled recurrence: P_i(r) = sum_j x_i,T-j r^j (column j of X reversed).
        P = (powers_of(r, X.shape[1]) @ X[:, ::-1].T).T
    if np.all(np.abs(P) < 2.0**400):  # the common case: squares and their sums fit easily
        return P, np.zeros(r.size, dtype=np.int64)
    Q = np.zeros_like(P)
    e = np.zeros(r.size, dtype=np.int64)
    with np.errstate(under="ignore"):
        for k in range(X.shape[1]):
            Q = np.ldexp(X[:, k, None], -e) + Q * r  # S_k = x_k + S_{k-1} r, in units of 2^e
            _, shift = np.frexp(np.max(np.abs(Q), axis=0))
            Q = np.ldexp(Q, -shift)
            e += shift
    return Q, e


def gradient_from_sums(objective, w):
    """(dE/dw_x, dE/dw_rec) at w (..., 2) from the sums A(w_rec) and B(w_rec); shape (..., 2).

    With y_i = w_x P_i: dE/dw_x = 2 (w_x A - B) / n and dE/dw_rec = 2 w_x (w_x A'/2 - B') / n.
    A few operations per step, whatever n is; the terms cancel near the valley floor, so it
    carries about 1e-13 of A in absolute error: plenty for a step, not for reporting the
    gradient (in_order_cost_and_gradient does that, per sample). Call inside np.errstate.
    One pair and a batch take the same operations in the same order (sums_at), so a run
    trained alone and the same run in a batch (rnnviz.batch) are bit for bit the same.
    """
    if w.ndim == 1:  # one pair, a training step: on four numbers, Python floats beat numpy calls
        w_x = float(w[0])
        A, half_dA, B, dB = sums_at(objective, float(w[1]))
        return np.array((w_x * A - B, w_x * (w_x * half_dA - dB)))
    w_x = w[..., :1]
    sums = sums_at(objective, w[..., 1])  # 2/n (A, A'/2, B, B')
    grad = w_x * sums[..., :2] - sums[..., 2:]  # 2/n (w_x A - B, w_x A'/2 - B')
    grad[..., 1] *= w_x[..., 0]
    return grad


def sums_at(objective, w_rec):
    """2/n (A, A'/2, B, B') at w_rec by Horner's rule, highest power first.

    w_rec a float: a tuple of four floats; an array (...): an array (..., 4). Both take
    exactly the same IEEE operations (a product, then a sum, per coefficient), so they agree
    to the last bit on every machine, which a BLAS product for one row and for many does not.
    """
    top, *rest = objective.sums_horner
    if isinstance(w_rec, float):
        a0, a1, a2, a3 = top
        for b0, b1, b2, b3 in rest:
            a0, a1, a2, a3 = a0 * w_rec + b0, a1 * w_rec + b1, a2 * w_rec + b2, a3 * w_rec + b3
        return a0, a1, a2, a3
    return np.moveaxis(sums_leading(objective, w_rec), 0, -1)


def sums_leading(objective, w_rec):
    """sums_at for an array w_rec (...), laid out (4, ...): each update runs along memory."""
    r = np.asarray(w_rec, dtype=float)
    shape = (4,) + (1,) * r.ndim
    sums = np.empty((4, *r.shape))
    sums[:] = np.reshape(objective.sums_horner[0], shape)
    for row in objective.sums_basis[-2::-1]:
        np.multiply(sums, r, out=sums)
        np.add(sums, row.reshape(shape), out=sums)
    return sums


def cost_and_gradient(objective, w):
    """Cost E and gradient (dE/dw_x, dE/dw_rec) at w (..., 2); shapes (...) and (..., 2).

    Works on a batch of weight pairs at once. Overflow comes back as inf or nan, never a warning.
    """
    powers, basis, t = objective.powers, objective.basis, objective.t
    n = t.shape[0]
    w_x = w[..., :1]
    with np.errstate(over="ignore", invalid="ignore"):
        P_dP = w[..., 1:] ** powers @ basis  # (..., 2n): P_i(w_rec), then dP_i/dw_rec
        residual = w_x * P_dP[..., :n] - t  # y_i - t_i
        E = np.vecdot(residual, residual) / n
        grad = np.vecdot(residual[..., None, :], P_dP.reshape((*P_dP.shape[:-1], 2, n)))
        grad[..., 1] *= w_x[..., 0]  # dy_i/dw_rec = w_x dP_i/dw_rec
        return E, grad * (2.0 / n)


def in_order_cost_and_gradient(objective, w):
    """cost_and_gradient in one fixed order of IEEE operations; the training driver's.

    w (..., 2) -> E (...), grad (..., 2). Per sample, P_i and dP_i/dw_rec by Horner's rule over
    samples_horner (S_k = x_k + S_{k-1} w_rec, the recurrence itself, and its derivative); sums
    over samples strictly in sample order. No power, no BLAS product, no pairwise sum: one pair
    and a batch of pairs get the same bits, and static/stepper.js repeats them in the browser.
    Call inside np.errstate (overflow gives inf or nan).
    """
    rows, t = objective.samples_horner, objective.t
    n = t.shape[0]
    w = np.asarray(w, dtype=float)
    r, w_x = w[..., 1], w[..., 0]
    at = (slice(None), *(None,) * r.ndim)  # samples lead: (2n, ...), each update along memory
    P_dP = np.empty((2 * n, *r.shape))
    P_dP[...] = rows[0][at]
    for row in rows[1:]:  # P <- P w_rec + x_k, dP <- dP w_rec + (T - k) x_{k-1}
        np.multiply(P_dP, r, out=P_dP)
        np.add(P_dP, row[at], out=P_dP)
    P, dP = P_dP[:n], P_dP[n:]
    residual = w_x * P - t[at]  # y_i - t_i
    E = _sum_in_order(residual * residual) / n
    grad = np.stack([_sum_in_order(residual * P), _sum_in_order(residual * dP) * w_x], axis=-1)
    return E, grad * (2.0 / n)


def _sum_in_order(terms):
    """terms[0] + terms[1] + ... strictly left to right over the first axis (not pairwise)."""
    return np.add.accumulate(terms, axis=0)[-1]
