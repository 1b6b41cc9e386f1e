"""Server-side cost of a rerun: the script's time after an eta change, and the plot's bytes sent.

Runs the page in-process with Streamlit's AppTest (the same script run the server does, without
a browser), so the times include the script, the caches, plotly serialisation and protobuf.
"""

import statistics
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def plot_bytes(at):
    """Bytes of the plot's data the last run sent (only its parts that changed)."""
    return sum(len(e.proto.json) for e in at.main if getattr(e, "type", "") == "bidi_component")


def timed_run(at):
    """The script's own time for one rerun, as the page records it (AppTest adds polling)."""
    at.run()
    return at.session_state["rerun_seconds"]


def measure(moves=12, query=None):
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    idle, eta_change = [], []
    for i in range(moves):
        idle.append(timed_run(at))  # baseline: a rerun that changes nothing (all cache hits)
        at.slider(key="eta_p").set_value(round(1.21 + 0.01 * i, 2))  # a new trajectory each time
        eta_change.append(timed_run(at))
    sent = plot_bytes(at)
    label = "default" if not query else ",".join(f"{k}={v}" for k, v in query.items())
    change_ms, idle_ms = statistics.median(eta_change) * 1e3, statistics.median(idle) * 1e3
    return [
        (
            f"script rerun after an eta change, {label} (ms, median)",
            change_ms,
            None,
            f"{change_ms / idle_ms:.1f}x an unchanged rerun ({idle_ms:.0f} ms); "
            f"p95 {sorted(eta_change)[int(0.95 * (len(eta_change) - 1))] * 1e3:.0f} ms",
        ),
        (
            f"plot data per rerun after an eta change, {label} (KB)",
            sent / 1e3,
            "<= 100" if not query else None,
            "the run part only (the view is sent when it changes): series, traces, notes",
        ),
    ]


RACERS = ["adam", "sgd learning_rate=0.002 clip=10", "momentum"]


def measure_race(moves=12):
    """A race of four at 500 iterations: the rerun after a change to one racer (the main run's
    eta_p: one run recomputed, three from their caches), against a single run's, alternating."""
    single, race = [], []
    for _ in range(2):
        single.append(measure(moves, None)[0][1])
        race.append(measure(moves, {"racers": RACERS})[0][1])
    ratio = min(race) / min(single)
    return [
        (
            "race of four: rerun after one racer changes vs a single run's (x)",
            ratio,
            "<= 1.5",
            f"race {min(race):.0f} ms, single {min(single):.0f} ms (best of two medians)",
        )
    ]


if __name__ == "__main__":
    from bench.core import print_rows

    print_rows(measure() + measure(moves=4, query={"iterations": "2000"}))
