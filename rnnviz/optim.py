"""Optimisers as values: pairs of pure functions over explicit state, in the style of optax.

    init(params) -> state
    update(grads, state, params, cost) -> (updates, new_state);  params <- params + updates

Every operation is elementwise on arrays of any shape (..., 2), and hyper-parameters may be
arrays that broadcast against them, so a batch of configurations (a grid of eta values, or of
start points) advances with one array operation per step. Nothing mutates state in place.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class Optimizer(NamedTuple):
    """An optimiser: its name, init and update functions, and its hyper-parameters."""

    name: str
    init: Callable
    update: Callable
    hyperparams: dict
    needs_cost: bool = False  # update() reads the cost (iRprop+ compares it with the last)


RPROP_VARIANTS = ("tutorial", "rprop+", "rprop-", "irprop+", "irprop-")


class RpropState(NamedTuple):
    """Per-weight step sizes, the previous gradient, the previous update and the previous cost."""

    delta: np.ndarray
    prev_grad: np.ndarray  # the tutorial keeps only the sign; textbook variants may zero it
    prev_update: np.ndarray  # Rprop+ and iRprop+ undo it on a sign change
    prev_cost: np.ndarray  # iRprop+ undoes only if the cost went up


def rprop(eta_p=1.2, eta_n=0.5, delta0=0.001, variant="tutorial", delta_min=None, delta_max=None):
    """Resilient backpropagation: each weight moves by its own step size, in the gradient's sign.

    The step grows by eta_p while the gradient keeps its sign and shrinks by eta_n when it flips.
    "tutorial" is the notebook's update exactly: the previous sign starts at 0 (so the first
    update already halves delta0), every flip shrinks the step and still takes it, no bounds.
    "rprop+" and "rprop-" are Riedmiller and Braun (1993) with and without undoing the previous
    step on a flip; "irprop+" and "irprop-" are Igel and Husken (2000): on a flip take no step
    and forget the gradient, and (+) undo the previous step only if the cost went up.
    Textbook variants clip the step to [delta_min, delta_max] (default 1e-6 and 50).
    """
    _check_open("eta_n", eta_n, 0.0, 1.0)
    if not np.all(np.asarray(eta_p) > 1.0):
        raise ValueError(f"eta_p must be > 1, got {eta_p!r}")
    if not np.all(np.asarray(delta0) > 0.0):
        raise ValueError(f"delta0 must be > 0, got {delta0!r}")
    if variant not in RPROP_VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(RPROP_VARIANTS)}; got {variant!r}")
    textbook = variant != "tutorial"
    lo = (1e-6 if textbook else 0.0) if delta_min is None else delta_min
    hi = (50.0 if textbook else np.inf) if delta_max is None else delta_max
    if not 0.0 <= lo <= hi:
        raise ValueError(f"need 0 <= delta_min <= delta_max, got {lo!r} and {hi!r}")

    if np.ndim(eta_p) == 0 and np.ndim(eta_n) == 0:
        # A two-entry table picks eta exactly, four times quicker than np.where on one step.
        etas = np.array([eta_n, eta_p], dtype=float)

        def pick_eta(same):
            return etas[same.astype(np.intp)]
    else:  # arrays of etas (a batch of configurations) broadcast through np.where
        # np.where is four times quicker on arrays of the weights' own shape than broadcasting
        # (B, 1) columns at every step: made once per shape (a memo, not state).
        spread = {}

        def pick_eta(same):
            if same.shape not in spread:
                spread[same.shape] = [
                    np.ascontiguousarray(np.broadcast_to(eta, same.shape), dtype=float)
                    for eta in (eta_p, eta_n)
                ]
            return np.where(same, *spread[same.shape])

    def init(params):
        params = np.asarray(params, dtype=float)
        zeros = np.zeros_like(params)
        return RpropState(
            np.broadcast_to(delta0, params.shape).astype(float),
            zeros,
            zeros,
            np.full(params.shape[:-1], np.inf),
        )

    def update(grads, state, params=None, cost=None):
        if variant == "tutorial":
            sign = np.sign(grads)
            delta = state.delta * pick_eta(sign == state.prev_grad)
            return -sign * delta, RpropState(delta, sign, state.prev_update, state.prev_cost)
        agreement = state.prev_grad * grads  # > 0: same sign, < 0: flipped, 0: no memory
        same, flipped = agreement > 0, agreement < 0
        delta = np.clip(state.delta * np.where(same, eta_p, np.where(flipped, eta_n, 1.0)), lo, hi)
        step = -np.sign(grads) * delta
        if variant == "rprop-":
            updates, prev_grad = step, grads
        else:
            updates = np.where(flipped, 0.0, step)
            prev_grad = np.where(flipped, 0.0, grads)
            if variant == "rprop+":
                updates = np.where(flipped, -state.prev_update, updates)
            elif variant == "irprop+":
                cost_went_up = (
                    np.asarray(cost if cost is not None else -np.inf)[..., None]
                    > (state.prev_cost[..., None])
                )
                updates = np.where(flipped & cost_went_up, -state.prev_update, updates)
        new_cost = state.prev_cost if cost is None else np.asarray(cost, dtype=float)
        return updates, RpropState(delta, prev_grad, updates, new_cost)

    hyper = dict(eta_p=eta_p, eta_n=eta_n, delta0=delta0, variant=variant)
    hyper |= dict(delta_min=lo, delta_max=hi)
    return Optimizer(f"rprop ({variant})", init, update, hyper, needs_cost=variant == "irprop+")


class MomentState(NamedTuple):
    """First and second moment estimates (what each of momentum and RMSprop needs)."""

    m: np.ndarray
    v: np.ndarray


def _moment_init(params):
    zeros = np.zeros_like(np.asarray(params, dtype=float))
    return MomentState(zeros, zeros)


def sgd(learning_rate=1e-3):
    """Plain gradient descent: w <- w - lr g."""
    _check_positive("learning_rate", learning_rate)

    def update(grads, state, params=None, cost=None):
        return -learning_rate * grads, state

    return Optimizer("gradient descent", _moment_init, update, dict(learning_rate=learning_rate))


def momentum(learning_rate=1e-3, beta=0.9):
    """Heavy ball: m <- beta m + g, w <- w - lr m."""
    _check_positive("learning_rate", learning_rate)
    _check_open("beta", beta, 0.0, 1.0, closed_low=True)

    def update(grads, state, params=None, cost=None):
        m = beta * state.m + grads
        return -learning_rate * m, state._replace(m=m)

    return Optimizer("momentum", _moment_init, update, dict(learning_rate=learning_rate, beta=beta))


def rmsprop(learning_rate=1e-3, decay=0.9, eps=1e-8):
    """RMSprop: v <- decay v + (1 - decay) g^2, w <- w - lr g / (sqrt(v) + eps)."""
    _check_positive("learning_rate", learning_rate)
    _check_open("decay", decay, 0.0, 1.0)
    _check_positive("eps", eps)

    def update(grads, state, params=None, cost=None):
        v = decay * state.v + (1.0 - decay) * grads * grads
        return -learning_rate * grads / (np.sqrt(v) + eps), state._replace(v=v)

    hyper = dict(learning_rate=learning_rate, decay=decay, eps=eps)
    return Optimizer("RMSprop", _moment_init, update, hyper)


class AdamState(NamedTuple):
    """Adam's moments and b1^count, b2^count (carried as running products: see adam)."""

    m: np.ndarray
    v: np.ndarray
    b1_power: np.ndarray
    b2_power: np.ndarray


def adam(learning_rate=1e-3, b1=0.9, b2=0.999, eps=1e-8):
    """Adam: bias-corrected moments m, v; w <- w - lr m_hat / (sqrt(v_hat) + eps).

    b1^count and b2^count are running products, one multiplication a step, not a power: a
    power function rounds differently from one library to the next (C's pow, the browser's
    Math.pow), a product the same everywhere, so static/stepper.js takes the same steps.
    """
    _check_positive("learning_rate", learning_rate)
    _check_open("b1", b1, 0.0, 1.0, closed_low=True)
    _check_open("b2", b2, 0.0, 1.0, closed_low=True)
    _check_positive("eps", eps)

    def init(params):
        zeros = np.zeros_like(np.asarray(params, dtype=float))
        return AdamState(zeros, zeros, np.float64(1.0), np.float64(1.0))

    def update(grads, state, params=None, cost=None):
        b1_power, b2_power = state.b1_power * b1, state.b2_power * b2
        m = b1 * state.m + (1.0 - b1) * grads
        v = b2 * state.v + (1.0 - b2) * grads * grads
        m_hat, v_hat = m / (1.0 - b1_power), v / (1.0 - b2_power)
        updates = -learning_rate * m_hat / (np.sqrt(v_hat) + eps)
        return updates, AdamState(m, v, b1_power, b2_power)

    hyper = dict(learning_rate=learning_rate, b1=b1, b2=b2, eps=eps)
    return Optimizer("Adam", init, update, hyper)


OPTIMIZERS = {"rprop": rprop, "sgd": sgd, "momentum": momentum, "rmsprop": rmsprop, "adam": adam}


def make_optimizer(name, **hyperparams):
    """The optimiser called name (one of OPTIMIZERS) with the given hyper-parameters."""
    if name not in OPTIMIZERS:
        raise ValueError(f"optimiser must be one of {', '.join(OPTIMIZERS)}; got {name!r}")
    return OPTIMIZERS[name](**hyperparams)


def clip_by_global_norm(grads, max_norm):
    """Pascanu et al. (2013): if ||g|| > c then g <- c g / ||g||; norm over the last axis.

    The norm is sqrt(g_0^2 + g_1^2 + ...) summed left to right, as static/stepper.js sums it
    (np.linalg.norm's dot product may fuse or reorder its operations).
    """
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):  # c / 0: g is 0, kept
        norm = np.sqrt(np.add.accumulate(grads * grads, axis=-1)[..., -1:])
        return np.where(norm > max_norm, grads * (max_norm / norm), grads)


def _check_positive(name, value):
    if not np.all(np.asarray(value) > 0.0):
        raise ValueError(f"{name} must be > 0, got {value!r}")


def _check_open(name, value, low, high, closed_low=False):
    value_arr = np.asarray(value)
    above = value_arr >= low if closed_low else value_arr > low
    if not np.all(above & (value_arr < high)):
        bracket = "[" if closed_low else "("
        raise ValueError(f"{name} must be in {bracket}{low:g}, {high:g}), got {value!r}")
