"""The tutorial's own code (seed notebook), kept as the baseline the benchmark measures against.

Only the global-variable reads were turned into arguments; the loops are as written.
"""

import numpy as np


def update_state(xk, sk, wx, wRec):
    return xk * wx + sk * wRec


def forward_states(X, wx, wRec):
    S = np.zeros((X.shape[0], X.shape[1] + 1))
    for k in range(0, X.shape[1]):
        S[:, k + 1] = update_state(X[:, k], S[:, k], wx, wRec)
    return S


def cost(y, t):
    return ((t - y) ** 2).sum() / len(t)


def output_gradient(y, t):
    return 2.0 * (y - t) / len(t)


def backward_gradient(X, S, grad_out, wRec):
    grad_over_time = np.zeros((X.shape[0], X.shape[1] + 1))
    grad_over_time[:, -1] = grad_out
    wx_grad = 0
    wRec_grad = 0
    for k in range(X.shape[1], 0, -1):
        wx_grad += np.sum(grad_over_time[:, k] * X[:, k - 1])
        wRec_grad += np.sum(grad_over_time[:, k] * S[:, k - 1])
        grad_over_time[:, k - 1] = grad_over_time[:, k] * wRec
    return (wx_grad, wRec_grad), grad_over_time


def update_rprop(X, t, W, W_prev_sign, W_delta, eta_p, eta_n):
    S = forward_states(X, W[0], W[1])
    grad_out = output_gradient(S[:, -1], t)
    W_grads, _ = backward_gradient(X, S, grad_out, W[1])
    W_sign = np.sign(W_grads)
    for i, _ in enumerate(W):
        if W_sign[i] == W_prev_sign[i]:
            W_delta[i] *= eta_p
        else:
            W_delta[i] *= eta_n
    return W_delta, W_sign


def train_rprop(X, t, iterations=500, eta_p=1.2, eta_n=0.5):
    W = [-1.5, 2]
    W_delta = [0.001, 0.001]
    W_sign = [0, 0]
    for _ in range(iterations):
        W_delta, W_sign = update_rprop(X, t, W, W_sign, W_delta, eta_p, eta_n)
        for i, _ in enumerate(W):
            W[i] -= W_sign[i] * W_delta[i]
    return W


def get_loss_surface(X, t, wx_values, wrec_values):
    """The per-point loop: one forward pass and one cost per grid point."""
    C = np.zeros((len(wrec_values), len(wx_values)))
    for i, wrec in enumerate(wrec_values):
        for j, wx in enumerate(wx_values):
            C[i, j] = cost(forward_states(X, wx, wrec)[:, -1], t)
    return C
