"""The training driver: runs an optimiser on the RNN's cost, records the path as a value."""

import math
from typing import NamedTuple

import numpy as np

from rnnviz.model import gradient_from_sums, in_order_cost_and_gradient, make_objective
from rnnviz.optim import RpropState, clip_by_global_norm, make_optimizer


class Trajectory(NamedTuple):
    """An immutable record of one training run; k is the number of updates taken.

    weights (k+1, 2) columns (w_x, w_rec), row 0 the start (no rows at all if the cost already
    overflows there); costs (k+1,); gradients (k+1, 2)
    at each row of weights (before clipping); step_sizes (k, 2) Rprop's delta for each update,
    or None for other optimisers; sign_flips (k, 2) where the gradient changed sign against
    the previous iterate's; diverged_at the first iteration whose weights, cost or gradient
    stopped being finite (None if the run stayed finite), with a plain-words reason.
    """

    weights: np.ndarray
    costs: np.ndarray
    gradients: np.ndarray
    step_sizes: np.ndarray | None
    sign_flips: np.ndarray
    optimizer: str
    diverged_at: int | None
    divergence_reason: str


class RunSettings(NamedTuple):
    """One run's settings as a value: hashable, so it is also a cache key.

    optimizer: a name in OPTIMIZERS; hyperparameters: ((argument, value), ...) sorted by name;
    clip_norm: None or the gradient-norm cap; w0: (w_x, w_rec); iterations: updates to take.
    """

    optimizer: str
    hyperparameters: tuple
    clip_norm: float | None
    w0: tuple
    iterations: int

    @classmethod
    def of(cls, optimizer, hyperparameters, clip_norm=None, w0=(-1.5, 2.0), iterations=500):
        """RunSettings from a dict of hyper-parameters and plain numbers."""
        hyper = tuple(sorted((name, _plain(v)) for name, v in dict(hyperparameters).items()))
        clip = None if clip_norm is None else float(clip_norm)
        return cls(optimizer, hyper, clip, (float(w0[0]), float(w0[1])), int(iterations))

    def as_json(self):
        """These settings as plain JSON, as static/stepper.js reads them."""
        return {
            "optimizer": self.optimizer,
            "hyperparameters": dict(self.hyperparameters),
            "clip_norm": self.clip_norm,
            "w0": list(self.w0),
            "iterations": self.iterations,
        }

    def make_optimizer(self):
        return make_optimizer(self.optimizer, **dict(self.hyperparameters))


def _plain(value):
    return value if isinstance(value, str) else float(value)


def run(X, t, settings):
    """train() with the optimiser, clipping, start and length that settings describe."""
    return train(
        X,
        t,
        settings.make_optimizer(),
        w0=settings.w0,
        iterations=settings.iterations,
        clip_norm=settings.clip_norm,
    )


def train(X, t, optimizer, w0=(-1.5, 2.0), iterations=500, clip_norm=None):
    """Run iterations updates of optimizer from w0 on the mean squared error of (X, t)."""
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)):
        raise ValueError(f"iterations must be an integer >= 0, got {iterations!r}")
    if iterations < 0:
        raise ValueError(f"iterations must be an integer >= 0, got {iterations!r}")
    w = np.asarray(w0, dtype=float)
    if w.shape != (2,) or not np.all(np.isfinite(w)):
        raise ValueError(f"w0 must be a finite pair (w_x, w_rec), got {w0!r}")
    if clip_norm is not None and not clip_norm > 0:
        raise ValueError(f"clip_norm must be > 0 or None, got {clip_norm!r}")

    objective = make_objective(X, t)
    weights = np.empty((iterations + 1, 2))
    deltas = np.empty((iterations, 2))
    costs, gradients = np.empty(iterations + 1), np.empty((iterations + 1, 2))
    evaluated = np.zeros(iterations + 1, dtype=bool)  # rows whose cost the loop worked out
    state = optimizer.init(w)
    update, needs_cost, is_rprop = optimizer.update, optimizer.needs_cost, type(state) is RpropState
    steps = iterations
    # One errstate around the loop: overflow is expected on the walls and is caught below.
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(iterations):
            weights[i] = w
            # Steps use the fast sums; where those overflow, the per-sample form decides
            # (a sum of the two that overflows only sends a finite gradient that way too).
            g = gradient_from_sums(objective, w)
            E = None
            if needs_cost or not math.isfinite(g[0] + g[1]):
                E, g = in_order_cost_and_gradient(objective, w)
                costs[i], gradients[i], evaluated[i] = E, g, True
                if not (math.isfinite(E) and math.isfinite(g[0]) and math.isfinite(g[1])):
                    steps = i  # no step from a point whose cost or gradient overflowed
                    break
            if clip_norm is not None:
                g = clip_by_global_norm(g, clip_norm)
            updates, state = update(g, state, w, E)
            if is_rprop:
                deltas[i] = state.delta
            w = w + updates
        weights[steps] = w
        # What the run records is the accurate per-sample cost and gradient, the rows the loop
        # did not work out all at once (the same bits as one at a time: in_order_...).
        rest = np.flatnonzero(~evaluated[: steps + 1])
        costs[rest], gradients[rest] = in_order_cost_and_gradient(objective, weights[rest])
    costs, gradients = costs[: steps + 1], gradients[: steps + 1]

    finite = np.isfinite(costs) & np.isfinite(gradients).all(axis=1)
    finite &= np.isfinite(weights[: steps + 1]).all(axis=1)
    diverged_at, reason = None, ""
    if not finite.all():
        diverged_at = int(np.argmin(finite))  # the first row that is not finite
        i = diverged_at
        reason = _divergence_reason(i, weights[i], costs[i], gradients[i])
    kept = steps + 1 if diverged_at is None else diverged_at  # finite rows; 0 if w0 is not
    k = max(kept - 1, 0)
    kept_gradients = gradients[:kept]
    flips = np.zeros((k, 2), dtype=bool)
    flips[1:] = np.sign(kept_gradients[1:k]) * np.sign(kept_gradients[: k - 1]) < 0
    return Trajectory(
        _frozen(weights[:kept]),
        _frozen(costs[:kept]),
        _frozen(kept_gradients),
        _frozen(deltas[:k]) if is_rprop else None,
        _frozen(flips),
        optimizer.name,
        diverged_at,
        reason,
    )


def _frozen(array):
    """A read-only copy, so a Trajectory cannot be changed behind its users' backs."""
    out = np.array(array, copy=True)
    out.flags.writeable = False
    return out


def _divergence_reason(i, w, E, g):
    """Plain words for why iteration i stopped: which quantity overflowed, and where."""
    if not np.all(np.isfinite(w)):
        what = "the weights overflowed float64"
    elif not np.isfinite(E):
        what = f"the cost overflowed float64 at (w_x, w_rec) = ({w[0]:.3g}, {w[1]:.3g})"
    else:
        what = f"the gradient overflowed float64 at (w_x, w_rec) = ({w[0]:.3g}, {w[1]:.3g})"
    return (
        f"Diverged at iteration {i}: {what}. The last step was too large for the gradient "
        "wall; the path is drawn up to the last finite iterate."
    )


def step_lengths(weights):
    """||w_{i+1} - w_i|| for each update, and the last one repeated for the end point (k+1,)."""
    steps = np.linalg.norm(np.diff(weights, axis=0), axis=1)
    return np.append(steps, steps[-1] if steps.size else 0.0)


def weight_steps(run):
    """Per-weight step of each update (k, 2) and its name: Rprop's delta, else |w_{i+1} - w_i|."""
    if run.step_sizes is not None:
        return run.step_sizes, "step size δ"
    return np.abs(np.diff(run.weights, axis=0)), "step |Δw|"
