import csv
import io
import json
import re

import numpy as np
import pytest

import rnnviz
from rnnviz import export, plots, surface_image


@pytest.fixture(scope="module")
def run():
    return rnnviz.train(*rnnviz.make_dataset(), rnnviz.rprop(), iterations=50)


def test_csv_round_trips_the_trajectory_exactly(run):
    rows = list(csv.DictReader(io.StringIO(export.trajectory_csv(run))))
    assert len(rows) == 51 and tuple(rows[0]) == export.CSV_COLUMNS
    weights = np.array([[float(r["w_x"]), float(r["w_rec"])] for r in rows])
    np.testing.assert_array_equal(weights, run.weights)  # repr keeps every bit
    np.testing.assert_array_equal([float(r["cost"]) for r in rows], run.costs)
    assert float(rows[0]["step_size_x"]) == run.step_sizes[0, 0]
    assert [int(r["sign_flip_x"]) for r in rows[:-1]] == run.sign_flips[:, 0].astype(int).tolist()
    assert rows[-1]["step_size_x"] == "" and rows[-1]["sign_flip_x"] == ""


def test_csv_for_gradient_descent_has_no_step_sizes():
    gd = rnnviz.train(*rnnviz.make_dataset(), rnnviz.sgd(1e-7), iterations=3)
    rows = list(csv.DictReader(io.StringIO(export.trajectory_csv(gd))))
    assert [r["step_size_x"] for r in rows] == ["", "", "", ""]


def test_html_is_standalone_and_carries_every_frame(run):
    X, t = rnnviz.make_dataset()
    grid = surface_image.pixel_centres(-3, 3, 20)
    layer = surface_image.surface_layer(
        rnnviz.cost_surface(X, t, grid, grid), rnnviz.cost_surface(X, t, grid, grid), (-3, 3, -3, 3)
    )
    gtt = rnnviz.gradient_through_time(X, t, run.weights[:, 0], run.weights[:, 1]).signed
    html = export.figure_html(plots.dashboard_figure(layer, run, gtt), title="my run")
    assert "<html>" in html[:100] and "<title>my run</title>" in html
    assert "<script src=" not in html and "plotly.js v" in html  # works offline
    frames = re.search(r"addFrames\([^,]+,\s*(\[.*?\])\s*\)", html, re.S)
    assert frames and len(json.loads(frames.group(1))) == 51
