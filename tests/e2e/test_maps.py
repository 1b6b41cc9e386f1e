"""The outcome maps in Chromium: drawn, and a click on a cell uses it (issue 9)."""

import time
from urllib.parse import parse_qs

import pytest
from harness import wait_settled

pytestmark = pytest.mark.e2e


def query(page):
    """The page's query now (location.search: page.url lags a replaceState)."""
    return {k: v[0] for k, v in parse_qs(page.evaluate("location.search")[1:]).items()}


def click_cell(page, panel, fx, fy):
    """Click the plot area of a map at fractions (fx, fy) of its width and height (y down)."""
    area = page.locator(f".mp-{panel} .nsewdrag").first
    area.scroll_into_view_if_needed()
    box, previous = area.bounding_box(), None
    while box != previous:  # until the page has stopped moving under the pointer
        time.sleep(0.3)
        box, previous = area.bounding_box(), box
    page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])


def wait_for_query(page, key, timeout_s=20.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if key in query(page):
            return query(page)
        time.sleep(0.2)
    raise AssertionError(f"{key} never reached the URL: {query(page)}")


def test_a_click_on_a_map_cell_sets_eta_or_the_start_point(dashboard):
    dashboard.open("?maps=1")
    page = dashboard.page
    page.wait_for_selector(".mp-eta .main-svg", timeout=30_000)
    page.wait_for_selector(".mp-basin .main-svg", timeout=30_000)
    counts = page.locator(".mp-eta .mp-counts").inner_text()
    assert "64x64 runs" in counts and "diverged" in counts
    # eta_p spans 1 to 2 left to right, eta_n 0 to 1 bottom to top: (0.8, 0.25) is about
    # eta_p 1.8, eta_n 0.75
    click_cell(page, "eta", 0.8, 0.25)
    url = wait_for_query(page, "eta_p")
    assert abs(float(url["eta_p"]) - 1.8) < 0.03 and abs(float(url["eta_n"]) - 0.75) < 0.03
    wait_settled(page)
    marked = page.evaluate(
        "() => document.querySelector('.mp-eta .mp-plot')._fullData"
        ".find((t) => t.uid === 'eta-current').x[0]"
    )
    assert marked == float(url["eta_p"])  # the ring moved to the new settings
    # the start-point map spans the view, -3 to 3 both ways: (0.75, 0.75) is about (1.5, -1.5)
    click_cell(page, "basin", 0.75, 0.75)
    url = wait_for_query(page, "wrec0")
    assert abs(float(url["wx0"]) - 1.5) < 0.1 and abs(float(url["wrec0"]) + 1.5) < 0.1
    wait_settled(page)
    assert page.locator(".lp-surface .main-svg").count() > 0  # the plot above still there
    assert dashboard.errors == []


RACE_POSITIONS = """() => {
  const gd = document.querySelector('.lp-surface .lp-plot');
  return gd._fullData.filter((t) => /current-iterate$/.test(t.uid))
    .map((t) => [t.uid, t.x[0], t.y[0]]);
}"""


def test_a_race_plays_with_every_path_moving_and_a_diverged_racer_held(dashboard):
    dashboard.open("?racers=adam&racers=sgd+learning_rate%3D0.002")
    page = dashboard.page
    page.locator("h1").click()
    page.keyboard.press("Home")
    page.wait_for_function(
        "() => document.querySelector('.lp-iteration').innerText.startsWith('0 ')"
    )
    start = {uid: (x, y) for uid, x, y in page.evaluate(RACE_POSITIONS)}
    assert set(start) == {"current-iterate", "r2_current-iterate", "r3_current-iterate"}
    page.keyboard.press("Space")  # play
    page.wait_for_function(
        "() => parseInt(document.querySelector('.lp-iteration').innerText) > 30", timeout=20_000
    )
    page.keyboard.press("Space")
    later = {uid: (x, y) for uid, x, y in page.evaluate(RACE_POSITIONS)}
    assert later["current-iterate"] != start["current-iterate"]  # Rprop, the main run
    assert later["r2_current-iterate"] != start["r2_current-iterate"]  # Adam
    # gradient descent unclipped overflowed at iteration 2: held at its last finite iterate
    readout = page.locator(".lp-readout").inner_text()
    assert "sgd 0.002: cost" in readout and "diverged at iteration 2" in readout
    assert later["r3_current-iterate"][1] < -3  # thrown off the surface, below the view
    assert page.locator(".lp-surface .lp-legend").inner_text().count("adam 0.02") == 1
    assert dashboard.errors == []


def test_a_racer_typed_into_the_box_races_and_a_bad_one_is_explained(dashboard):
    dashboard.open()
    page = dashboard.page
    box = page.get_by_role("textbox", name="add a racer")
    box.fill("adam learning_rate=0.05")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('racers=adam')", timeout=20_000)
    assert "racers=adam+learning_rate%3D0.05+b1%3D0.5+b2%3D0.9" in page.evaluate("location.search")
    wait_settled(page)
    assert "adam 0.05" in page.locator(".lp-surface .lp-legend").inner_text()
    box.fill("adam learning_rate=banana")
    box.press("Enter")
    notice = page.get_by_text("is not a number", exact=False)
    notice.wait_for(timeout=20_000)
    assert "racers=adam+learning_rate%3D0.05" in page.evaluate("location.search")  # kept
    assert dashboard.errors == []


POINT_UNDER = """([wx, wrec]) => {
  const gd = document.querySelector('.lp-surface .lp-plot');
  const box = gd.getBoundingClientRect();
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const px = Math.round(box.left + xa._offset + xa.d2p(wx));
  const py = Math.round(box.top + ya._offset + ya.d2p(wrec));
  // the data point of that whole pixel, as the plot reads a pointer there
  return [px, py, xa.p2d(px - box.left - xa._offset), ya.p2d(py - box.top - ya._offset)];
}"""
POINTER_ROW = """() => {
  const t = document.querySelector('.lp-gradient .lp-plot')._fullData
    .find((d) => d.uid === 'probe-pointer');
  return {y: Array.from(t.y), text: Array.from(t.text)};
}"""


def test_the_pointer_probes_the_gradient_anywhere_and_shift_click_pins_it(dashboard):
    import numpy as np

    import rnnviz

    dashboard.open()
    page = dashboard.page
    px, py, w_x, w_rec = page.evaluate(POINT_UNDER, [0.5, 1.3])
    page.mouse.move(px, py)
    page.wait_for_function(
        "() => document.querySelector('.lp-gradient .lp-plot')._fullData"
        ".find((d) => d.uid === 'probe-pointer').y.some((v) => v !== null)"
    )
    row = page.evaluate(POINTER_ROW)
    X, t = rnnviz.make_dataset()
    truth = rnnviz.gradient_through_time(X, t, w_x, w_rec).magnitude
    np.testing.assert_allclose(row["y"], truth, rtol=1e-9)  # every k, against the model
    assert row["text"][-1].startswith(f"pointer ({w_x:.2f}, {w_rec:.2f}): exploding")
    page.mouse.move(5, 5)  # off the plot: the row goes
    page.wait_for_function(
        "() => document.querySelector('.lp-gradient .lp-plot')._fullData"
        ".find((d) => d.uid === 'probe-pointer').y.every((v) => v === null)"
    )
    # Shift-click pins the point as a probe: in the URL and drawn as a dotted probe line
    page.keyboard.down("Shift")
    page.mouse.click(px, py)
    page.keyboard.up("Shift")
    page.wait_for_function("() => location.search.includes('probes=')", timeout=20_000)
    label = f"({round(w_x, 2):g}, {round(w_rec, 2):g})"
    wait_settled(page)
    names = page.evaluate(
        "() => document.querySelector('.lp-gradient .lp-plot')._fullData.map((d) => d.name)"
    )
    assert f"probe {label}" in names
    assert "wx0" not in page.evaluate("location.search")  # a pin does not move the start
    assert dashboard.errors == []
