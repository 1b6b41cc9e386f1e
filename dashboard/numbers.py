"""The run in numbers, and the trained network tested on a sequence a person types."""

import numpy as np
import streamlit as st

import rnnviz
from dashboard import links
from dashboard.story_bar import DEFAULT_SEQUENCE


def readable(x, decimals):
    """x with a fixed number of decimals, or in scientific form once it has 7 digits or more."""
    x = float(x) + 0.0  # + 0.0 turns -0.0 into 0.0: no "-0" in a readout
    return f"{x:.{decimals}f}" if abs(x) < 1e6 else f"{x:.4g}"


def run_numbers(run):
    """The run's end in numbers; False if it has no iterate (the cost overflows at its start)."""
    st.subheader("The run in numbers")
    if len(run.weights) == 0:
        st.info("No iterate to report: the cost already overflows float64 at the start point.")
        return False
    # each number as wide as it needs (five equal columns cut "1.8e-06" at 1024 pixels),
    # wrapping to a second row on a narrow screen
    with st.container(horizontal=True, gap="large"):
        for label, value in (
            ("iterations run", f"{len(run.weights) - 1}"),
            ("final cost", f"{run.costs[-1]:.3g}"),
            ("final w_x", readable(run.weights[-1, 0], 4)),
            ("final w_rec", readable(run.weights[-1, 1], 4)),
            ("start cost", f"{run.costs[0]:.3g}"),
        ):
            st.metric(label, value, width="content")
    return True


def tester(run, start):
    """The trained network's output for a typed sequence (start: the weights of a run that has
    no iterate)."""
    st.subheader("Test the trained network")
    sequence = st.text_input(
        "A sequence of 0s and 1s (up to 1000 digits)",
        DEFAULT_SEQUENCE,
        key="sequence",
        bind="query-params",
    )
    try:
        bits = rnnviz.parse_sequence(sequence)
    except ValueError as error:
        st.error(f"Can't read that sequence: {links.plain(error)}.", icon=":material/edit:")
        return
    w_x, w_rec = run.weights[-1] if len(run.weights) else start
    with np.errstate(over="ignore", invalid="ignore"):
        output = rnnviz.forward_states(bits, w_x, w_rec)[0, -1]
    shown = readable(output, 2) if np.isfinite(output) else "beyond float64"
    st.success(
        f"Model output **{shown}** vs true count **{int(bits.sum())}** "
        f"(with w_x = {readable(w_x, 4)}, w_rec = {readable(w_rec, 4)}).",
        icon=":material/calculate:",
    )
