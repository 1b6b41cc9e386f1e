"""The outcome maps' panels (rnnviz/map_panels.py) against the OutcomeMap they draw."""

import json

import numpy as np
import pytest

import rnnviz
from rnnviz import map_panels
from rnnviz.batch import eta_map


@pytest.fixture(scope="module")
def outcome():
    X, t = rnnviz.make_dataset()
    eta_p, eta_n = np.linspace(1.05, 2.0, 12), np.linspace(0.05, 0.95, 10)
    return eta_map(X, t, eta_p, eta_n, (-1.5, 2.0), 300, tolerance=1e-4)


def trace(panel, suffix):
    return next(t for t in panel["traces"] if t["uid"].endswith(suffix))


def cells(z):
    return np.array([[np.nan if v is None else v for v in row] for row in z], dtype=float)


@pytest.mark.parametrize("colour", map_panels.COLOURS)
def test_diverged_cells_are_grey_and_never_coloured_as_an_outcome(outcome, colour):
    assert (outcome.diverged_at >= 0).any() and (outcome.diverged_at < 0).any()
    panel = map_panels.map_panel("eta", outcome, colour)
    json.dumps(panel, allow_nan=False)  # nothing NaN or infinite reaches the chart
    shown, grey = cells(trace(panel, "-outcome")["z"]), cells(trace(panel, "-diverged")["z"])
    diverged = outcome.diverged_at >= 0
    assert np.isnan(shown[diverged]).all()
    assert np.array_equal(~np.isnan(grey), diverged)
    np.testing.assert_array_equal(grey[diverged], outcome.diverged_at[diverged])
    assert panel["counts"]["diverged"] == int(diverged.sum())


def test_the_cost_colour_is_log10_of_each_final_cost(outcome):
    panel = map_panels.map_panel("eta", outcome, "final cost")
    shown = cells(trace(panel, "-outcome")["z"])
    finite = outcome.diverged_at < 0
    np.testing.assert_allclose(shown[finite], np.log10(outcome.final_cost[finite]), atol=0.006)
    heat = trace(panel, "-outcome")
    assert heat["zmax"] <= np.ceil(np.log10(outcome.start_cost.max()))  # worse than the start


def test_the_iterations_colour_counts_to_the_tolerance_and_marks_runs_that_never_arrive(outcome):
    panel = map_panels.map_panel("eta", outcome, "iterations")
    shown = cells(trace(panel, "-outcome")["z"])
    arrived = (outcome.iterations >= 0) & (outcome.diverged_at < 0)
    np.testing.assert_array_equal(shown[arrived], outcome.iterations[arrived])
    never = cells(trace(panel, "-never")["z"])
    assert np.array_equal(~np.isnan(never), (outcome.iterations < 0) & (outcome.diverged_at < 0))


def test_a_map_of_another_colour_is_refused(outcome):
    with pytest.raises(ValueError, match="colour must be one of"):
        map_panels.map_panel("eta", outcome, "cost")


def test_the_current_settings_are_marked_on_each_map():
    _, marks = map_panels.marks_part({"eta": (1.2, 0.5), "basin": (-1.5, 2.0)})
    assert (marks["eta"]["x"], marks["eta"]["y"]) == ([1.2], [0.5])
    assert (marks["basin"]["x"], marks["basin"]["y"]) == ([-1.5], [2.0])
