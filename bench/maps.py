"""The outcome maps (issue 9): a 64x64 grid of runs at 500 iterations by the batched driver,
against looping train() over the same grid, in the same process."""

import time

import numpy as np

from bench.core import best_time
from rnnviz import make_dataset, rprop, train
from rnnviz.batch import basin_map, eta_map

SIDE, ITERATIONS, TOLERANCE = 64, 500, 1e-4


def grids():
    eta_p = np.linspace(1.01, 2.0, SIDE)
    eta_n = np.linspace(0.01, 0.99, SIDE)
    starts = np.linspace(-3, 3, SIDE)
    return eta_p, eta_n, starts


def loop_time(runs):
    """Seconds to call train() for every configuration, one after another (once: it is slow)."""
    start = time.perf_counter()
    for run in runs:
        run()
    return time.perf_counter() - start


def measure():
    X, t = make_dataset()
    eta_p, eta_n, starts = grids()
    eta_s = best_time(lambda: eta_map(X, t, eta_p, eta_n, (-1.5, 2.0), ITERATIONS, TOLERANCE), 3)
    eta_loop_s = loop_time(
        lambda p=p, n=n: train(X, t, rprop(p, n), iterations=ITERATIONS)
        for n in eta_n
        for p in eta_p
    )
    optimizer = rprop()
    basin_s = best_time(
        lambda: basin_map(X, t, optimizer, starts, starts, ITERATIONS, TOLERANCE), 3
    )
    basin_loop_s = loop_time(
        lambda x=x, r=r: train(X, t, optimizer, (x, r), ITERATIONS) for r in starts for x in starts
    )
    rows = []
    for name, ours, loop in (
        ("(eta_p, eta_n) map", eta_s, eta_loop_s),
        ("start-point map", basin_s, basin_loop_s),
    ):
        rows += [
            (f"{name} {SIDE}x{SIDE}, {ITERATIONS} iterations (s)", ours, "<= 1", ""),
            (
                f"{name} vs looping train() (x faster)",
                loop / ours,
                ">= 50",
                f"loop {loop:.1f} s for {SIDE * SIDE} runs",
            ),
        ]
    return rows


if __name__ == "__main__":
    from bench.core import print_rows

    print_rows(measure())
