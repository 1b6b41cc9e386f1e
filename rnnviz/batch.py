"""Many runs at once: a grid of eta values or of start points, advanced in step.

train_batch moves a whole batch with one array operation per iteration: the optimisers in
optim.py take their hyper-parameters as arrays that broadcast against the weights (B, 2), so a
(eta_p, eta_n) grid is one rprop() with (B, 1) arrays, and a grid of start points is one w0 of
shape (B, 2). Each run takes every step exactly as train() does (the gradient from the sums,
per sample where those overflow); a run that diverges freezes at its last finite iterate while
the rest go on.

The maps (eta_map, basin_map) are built on it: for each configuration, the final cost, the
iterations needed to reach a tolerance, and where it diverged.
"""

from typing import NamedTuple

import numpy as np

from rnnviz.model import cost_and_gradient, make_objective, sums_leading
from rnnviz.optim import clip_by_global_norm, rprop

# A run whose cost, gradient and weights from the sums all stay below this is finite per sample
# too (the per-sample terms are bounded by the sums' powers of w_rec and by w_x^2 A); beyond it
# the per-sample form decides, as train() does, whether the iterate is finite.
NEAR_OVERFLOW = 1e250


class BatchRun(NamedTuple):
    """B runs of the same length; a diverged run's rows after its last finite iterate repeat it.

    weights (iterations+1, B, 2); costs (iterations+1, B) from the sums, within about 1e-13 of
    sum_i P_i^2 of the truth: for thresholds, not for the last digit; final_costs (B,) per
    sample, exact, at each run's last finite iterate (NaN where even the start overflows);
    kept (B,) finite iterates of each run; diverged_at (B,) the first iterate that was not
    finite, -1 where the run stayed finite.
    """

    weights: np.ndarray
    costs: np.ndarray
    final_costs: np.ndarray
    kept: np.ndarray
    diverged_at: np.ndarray

    def iterations_to(self, tolerance):
        """(B,) the first iterate whose cost is at most tolerance; -1 where none is."""
        reached = self.costs <= tolerance
        first = np.argmax(reached, axis=0)
        return np.where(reached.any(axis=0), first, -1)


def train_batch(X, t, optimizer, w0, iterations=500, clip_norm=None):
    """iterations updates of optimizer for each start in w0 (B, 2), all at once.

    optimizer's hyper-parameters may be arrays of shape (B, 1); clip_norm None, a number, or
    (B,) (np.inf: no clipping for that run). Agrees with train() for every run: the same rule
    picks each step's gradient and the same iterate ends a diverged run. The one difference is
    rounding: the sums are evaluated for the batch as a matrix product, for one run as a
    vector product, and their last bits may differ; a step that depends on the sign of a
    gradient component that is zero but for rounding (about 1e-15, at an exact fit) can then go
    either way, and the runs part from there.
    """
    objective = make_objective(X, t)
    w = np.array(w0, dtype=float)
    if w.ndim != 2 or w.shape[1] != 2:
        raise ValueError(f"w0 must have shape (B, 2), got {w.shape}")
    B = w.shape[0]
    clip = None if clip_norm is None else np.broadcast_to(np.asarray(clip_norm, float), (B,))
    mean_t2 = float(objective.t @ objective.t) / len(objective.t)
    weights = np.empty((iterations + 1, B, 2))
    costs = np.empty((iterations + 1, B))
    alive = np.ones(B, dtype=bool)
    diverged_at = np.full(B, -1)
    state = optimizer.init(w)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for i in range(iterations + 1):
            w_x, w_rec = w[:, 0], w[:, 1]
            A, half_dA, B_, dB = sums_leading(objective, w_rec)  # 2/n (A, A'/2, B, B')
            # the operations of gradient_from_sums for one pair, in its order
            wA = w_x * A
            g = np.empty((B, 2))
            np.subtract(wA, B_, out=g[:, 0])
            np.multiply(w_x * half_dA - dB, w_x, out=g[:, 1])
            E = 0.5 * w_x * (wA - 2.0 * B_) + mean_t2
            # One test for all five numbers: the sum is below the bound only if each is (and
            # none is NaN).
            bound = np.abs(E) + np.abs(g[:, 0]) + np.abs(g[:, 1]) + np.abs(w_x) + np.abs(w_rec)
            check = alive & ~(bound < NEAR_OVERFLOW) if not optimizer.needs_cost else alive
            if check.any():
                rows = np.flatnonzero(check)
                E_exact, g_exact = cost_and_gradient(objective, w[rows])
                finite = np.isfinite(E_exact) & np.isfinite(g_exact).all(axis=1)
                finite &= np.isfinite(w[rows]).all(axis=1)
                diverged_at[rows[~finite]] = i
                alive[rows[~finite]] = False
                # the step's gradient: per sample where the sums overflowed (train()'s rule),
                # or for every row when the optimiser reads the cost
                use = ~np.isfinite(g[rows, 0] + g[rows, 1]) | optimizer.needs_cost
                g[rows[use]] = g_exact[use]
                if optimizer.needs_cost:
                    E[rows] = E_exact
            weights[i] = w
            costs[i] = E
            if i == iterations or not alive.any():
                weights[i + 1 :] = w
                costs[i + 1 :] = E
                break
            if clip is not None:  # an infinite cap leaves g as it is
                g = clip_by_global_norm(g, clip[:, None])
            updates, state = optimizer.update(g, state, w, E)
            moved = w + updates  # a stopped run stays where it stopped:
            w = moved if alive.all() else np.where(alive[:, None], moved, w)

    kept = np.where(diverged_at >= 0, diverged_at, iterations + 1)
    last = np.maximum(kept - 1, 0)
    frozen = weights[last, np.arange(B)]
    # rows after a run's last finite iterate repeat it (the runs that stopped went on being
    # computed on the weights they stopped at, which are not finite for the cost)
    after = np.arange(iterations + 1)[:, None] >= kept[None, :]
    weights = np.where(after[..., None], frozen[None], weights)
    costs = np.where(after, costs[last, np.arange(B)][None], costs)
    with np.errstate(over="ignore", invalid="ignore"):
        final_costs, _ = cost_and_gradient(objective, frozen)
    final_costs = np.where(kept > 0, final_costs, np.nan)
    return BatchRun(weights, costs, final_costs, kept, diverged_at)


OUTCOMES = ("final cost", "iterations")  # what a map can show of each cell's run


class OutcomeMap(NamedTuple):
    """Per cell of a grid (rows: y values, columns: x values): how a run from there ends.

    final_cost: the exact cost at the last finite iterate; iterations: to reach the tolerance
    (-1 if never); diverged_at: the iterate where the run overflowed (-1 if it did not);
    start_cost: the cost at each start (from the sums: for comparing, not the last digit).
    """

    x: np.ndarray
    y: np.ndarray
    final_cost: np.ndarray
    iterations: np.ndarray
    diverged_at: np.ndarray
    tolerance: float
    start_cost: np.ndarray


def _as_map(x, y, run, tolerance):
    shape = (len(y), len(x))
    return OutcomeMap(
        np.asarray(x, float),
        np.asarray(y, float),
        run.final_costs.reshape(shape),
        run.iterations_to(tolerance).reshape(shape),
        run.diverged_at.reshape(shape),
        float(tolerance),
        run.costs[0].reshape(shape),
    )


def eta_map(
    X, t, eta_p, eta_n, w0, iterations, tolerance, variant="tutorial", delta0=0.001, clip_norm=None
):
    """Rprop from w0 for every (eta_p, eta_n) pair: columns eta_p, rows eta_n."""
    P, N = np.meshgrid(np.asarray(eta_p, float), np.asarray(eta_n, float))
    optimizer = rprop(P.reshape(-1, 1), N.reshape(-1, 1), delta0, variant)
    starts = np.broadcast_to(np.asarray(w0, float), (P.size, 2))
    run = train_batch(X, t, optimizer, starts, iterations, clip_norm)
    return _as_map(eta_p, eta_n, run, tolerance)


def basin_map(X, t, optimizer, w_x, w_rec, iterations, tolerance, clip_norm=None):
    """optimizer from every start on the grid: columns w_x, rows w_rec."""
    WX, WR = np.meshgrid(np.asarray(w_x, float), np.asarray(w_rec, float))
    starts = np.column_stack([WX.ravel(), WR.ravel()])
    run = train_batch(X, t, optimizer, starts, iterations, clip_norm)
    return _as_map(w_x, w_rec, run, tolerance)
