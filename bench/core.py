"""Core ratios: the cost surface against a per-point loop and a log10 floor; training against
the tutorial's code. Each ratio compares two timings taken in this process, best of several."""

import time

import numpy as np

from bench import tutorial_code
from rnnviz import cost_surface, make_dataset, rprop, train


def best_time(fn, repeat=7, number=1):
    """The fastest of repeat runs of number calls, per call, in seconds."""
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def paired_best(fn_a, fn_b, repeat=15):
    """Best times of two functions measured alternately, so machine drift hits both alike."""
    a = b = np.inf
    for _ in range(repeat):
        a = min(a, best_time(fn_a, repeat=1))
        b = min(b, best_time(fn_b, repeat=1))
    return a, b


def measure(grid=1000, loop_grid=40):
    X, t = make_dataset()
    wx = np.linspace(-3, 3, grid)
    wrec = np.linspace(-3, 3, grid)
    C = cost_surface(X, t, wx, wrec) + 1.0  # the floor: log10 over an array of the same size
    surface_s, floor_s = paired_best(lambda: cost_surface(X, t, wx, wrec), lambda: np.log10(C))
    sub_wx, sub_wrec = wx[:: grid // loop_grid], wrec[:: grid // loop_grid]
    loop_sub_s = best_time(lambda: tutorial_code.get_loss_surface(X, t, sub_wx, sub_wrec), repeat=3)
    loop_s = loop_sub_s / (len(sub_wx) * len(sub_wrec)) * grid * grid  # scaled per point
    ours_train_s, tutorial_train_s = paired_best(
        lambda: train(X, t, rprop(), iterations=500),
        lambda: tutorial_code.train_rprop(X, t, 500),
        repeat=9,
    )
    return [
        ("surface 1000x1000 (ms)", surface_s * 1e3, None, ""),
        (
            "surface vs per-point loop (x faster)",
            loop_s / surface_s,
            ">= 1000",
            f"loop {loop_s:.1f} s scaled from {len(sub_wx)}x{len(sub_wrec)}",
        ),
        (
            "surface / log10 floor (x slower)",
            surface_s / floor_s,
            "<= 3",
            f"floor {floor_s * 1e3:.2f} ms",
        ),
        (
            "Rprop 500 iterations vs tutorial code (x faster)",
            tutorial_train_s / ours_train_s,
            ">= 10",
            f"ours {ours_train_s * 1e3:.2f} ms, tutorial {tutorial_train_s * 1e3:.1f} ms",
        ),
    ]


def target_met(value, target):
    if target is None:
        return ""
    op, bound = target.split()
    ok = value >= float(bound) if op == ">=" else value <= float(bound)
    return "met" if ok else "MISSED"


def print_rows(rows):
    for name, value, target, detail in rows:
        met = target_met(value, target)
        print(f"{name:52s} {value:10.2f}  {target or '':8s} {met:7s} {detail}")


if __name__ == "__main__":
    print_rows(measure())
