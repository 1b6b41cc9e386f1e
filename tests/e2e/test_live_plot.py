"""The persistent plot in Chromium: it stays mounted, owns its animation, keys and clicks, and
fits the screen (issue 7)."""

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from hand import open_offline, trained_end
from harness import (
    ROOT,
    button,
    iteration_shown,
    path_key,
    slider_input,
    wait_settled,
)

from rnnviz import specs

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "test-artifacts"

SURFACE = ".lp-surface .lp-plot"
PLOT_IDENTITY = """() => {
  const gd = document.querySelector('.lp-surface .lp-plot');
  if (!window.__plotNode) window.__plotNode = gd;
  const path = gd._fullData.find((t) => / path$/.test(t.name));
  return {same: window.__plotNode === gd, uid: path.uid, layoutImage: gd.layout.images.length};
}"""


def advances(page, seconds=1.0):
    before = iteration_shown(page)
    time.sleep(seconds)
    return iteration_shown(page) > before


def test_the_plot_node_survives_reruns_that_change_the_path(dashboard):
    dashboard.open()
    page = dashboard.page
    first = page.evaluate(PLOT_IDENTITY)
    thumb = slider_input(page, "eta_n")
    paths = {path_key(page)}
    for _ in range(20):
        thumb.focus()
        page.keyboard.press("ArrowLeft")
        paths.add(wait_settled(page, quiet_s=0.2))
        now = page.evaluate(PLOT_IDENTITY)
        assert now["same"] and now["uid"] == first["uid"], "the plot was remounted"
    assert len(paths) >= 15, "the path did not follow the slider"
    assert "eta_n=0.3" in page.url
    assert dashboard.errors == []


def test_fullscreen_then_play_moves_the_iteration_and_the_readout(dashboard):
    dashboard.open()
    page = dashboard.page
    button(page, "fullscreen").click()
    page.wait_for_function("() => document.fullscreenElement?.classList.contains('lp-root')")
    readout = page.locator(".lp-readout").inner_text()
    button(page, "▶ play").click()
    assert advances(page), "the animation does not play in fullscreen"
    assert page.locator(".lp-readout").inner_text() != readout
    box = page.locator(SURFACE).bounding_box()
    assert box["height"] > 600, box  # the surface grows to the screen
    button(page, "❚❚ pause").click()
    button(page, "exit fullscreen").click()
    page.wait_for_function("() => document.fullscreenElement === null")
    button(page, "▶ play").click()
    assert advances(page), "the animation does not play after fullscreen"
    assert dashboard.errors == []


def test_space_plays_in_fullscreen_right_after_the_button(dashboard):
    """A lecturer clicks fullscreen, then presses Space: it plays, and stays fullscreen."""
    dashboard.open()
    page = dashboard.page
    button(page, "fullscreen").click()
    page.wait_for_function("() => document.fullscreenElement?.classList.contains('lp-root')")
    page.keyboard.press(" ")  # at once, as a lecturer would
    assert advances(page), "Space did not play in fullscreen"
    assert page.evaluate("() => document.fullscreenElement !== null"), "Space left fullscreen"
    page.keyboard.press(" ")  # and pauses
    page.locator(".lp-play", has_text="play").wait_for()
    assert dashboard.errors == []


def test_sidebar_collapse_while_playing_then_a_slider_logs_no_error(dashboard):
    dashboard.open()
    page = dashboard.page
    button(page, "▶ play").click()
    time.sleep(0.3)
    page.locator("[data-testid=stSidebar]").hover()  # the collapse button shows on hover
    page.locator("[data-testid=stSidebarCollapseButton] button").click()
    time.sleep(0.5)
    page.locator("[data-testid=stExpandSidebarButton]").click()
    time.sleep(0.3)
    thumb = slider_input(page, "eta_p")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    wait_settled(page)
    button(page, "▶ play").click()  # plays again (or pauses): either way, no error
    time.sleep(0.5)
    page.keyboard.press("Escape")
    assert dashboard.errors == []


def test_keyboard_only_tab_to_play_space_plays_arrows_step(dashboard):
    dashboard.open()
    page = dashboard.page
    page.locator("h1").click()  # focus leaves the sidebar, as after reading the title
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('lp-play')"):
            break
    else:
        pytest.fail("Tab never reached the play button")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "no visible focus ring on the play button"
    page.keyboard.press("Space")
    assert advances(page, 0.8), "Space on the play button did not play"
    page.keyboard.press("Space")
    at = iteration_shown(page)
    page.locator("h1").click()  # focus on the page, not a control: the plot owns the keys
    page.keyboard.press("ArrowRight")
    assert iteration_shown(page) == at + 1
    page.keyboard.press("Shift+ArrowRight")
    assert iteration_shown(page) == at + 11
    page.keyboard.press("Home")
    assert iteration_shown(page) == 0
    page.keyboard.press("End")
    assert iteration_shown(page) == 500
    # w_rec = 0.99967 at the end: the badge says so, not "x1"
    badge = page.locator(".lp-badge").inner_text()
    assert badge == "vanishing: \u00d70.9997 per step back"  # times sign
    page.keyboard.press("Space")
    assert advances(page, 0.5), "Space on the page did not play (from the end: again)"
    page.keyboard.press("Space")
    # A Streamlit slider keeps its arrows: the plot's iteration does not move.
    at = iteration_shown(page)
    thumb = slider_input(page, "eta_n")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    assert iteration_shown(page) == at
    page.wait_for_function("() => /[?&]eta_n=0.51/.test(location.search)")
    wait_settled(page)
    # A text box keeps Space and the arrows too.
    box = page.get_by_label("A sequence of 0s and 1s (up to 1000 digits)")
    box.focus()
    at = iteration_shown(page)
    for key in ("Space", "ArrowLeft", "Home", "End"):
        page.keyboard.press(key)
    assert iteration_shown(page) == at
    assert box.input_value() == "011000010011 "  # the Space went into the box
    assert dashboard.errors == []


def test_a_click_on_the_surface_moves_the_start_point_and_the_url(dashboard):
    dashboard.open()
    page = dashboard.page
    target = (0.57, -1.23)
    x, y = page.evaluate(
        """([wx, wrec]) => {
          const gd = document.querySelector('.lp-surface .lp-plot');
          gd.scrollIntoView({ block: 'center' }); // the figure is the screen's height
          const box = gd.getBoundingClientRect();
          const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
          return [box.left + xa._offset + xa.d2p(wx), box.top + ya._offset + ya.d2p(wrec)];
        }""",
        list(target),
    )
    before = path_key(page)
    page.mouse.click(x, y)
    page.wait_for_function("() => /[?&]wrec0=/.test(location.search)")
    assert wait_settled(page) != before
    query = parse_qs(urlsplit(page.url).query)
    # The exact point under the pointer (within a pixel), set to the sliders' 0.01 steps.
    assert float(query["wx0"][0]) == pytest.approx(target[0], abs=0.011)
    assert float(query["wrec0"][0]) == pytest.approx(target[1], abs=0.011)
    start = page.evaluate(
        "() => { const t = document.querySelector('.lp-surface .lp-plot')._fullData"
        ".find((t) => t.name === 'start'); return [t.x[0], t.y[0]]; }"
    )
    assert start == [float(query["wx0"][0]), float(query["wrec0"][0])]
    assert dashboard.errors == []


def save_html(page, tmp_path):
    with page.expect_download() as download:
        page.get_by_role("button", name="HTML page (works offline)").click()
    saved = tmp_path / "animation.html"
    download.value.save_as(saved)
    return download.value.suggested_filename, saved


def test_the_exported_page_plays_offline_like_the_page(dashboard, browser, tmp_path):
    dashboard.open()
    name, saved = save_html(dashboard.page, tmp_path)
    # named after its settings
    assert name == "rnnviz-rprop-tutorial-eta_p1.2-eta_n0.5-start=-1.5,2-T10.html"
    offline, requests, errors = open_offline(browser, saved)
    try:
        assert offline.locator(".lp-iteration").inner_text() == "0 / 500"
        assert "eta_p=1.2" in offline.locator(".settings").inner_text()  # every setting inside
        assert offline.locator("#maps").count() == 0  # the page showed no maps
        offline.locator(".lp-play").click()
        time.sleep(1.0)
        assert int(offline.locator(".lp-iteration").inner_text().split("/")[0]) > 0
        assert requests == []
        assert errors == []
    finally:
        offline.context.close()


def test_the_exported_page_keeps_the_maps_the_page_showed(dashboard, browser, tmp_path):
    dashboard.open("?maps=1&iterations=100")
    page = dashboard.page
    page.locator(".mp-eta .main-svg").first.wait_for(timeout=30_000)
    shown = page.evaluate(
        "() => [...document.querySelectorAll('.mp-plot')].map((gd) => gd._fullData[0].z.flat())"
    )
    _, saved = save_html(page, tmp_path)
    offline, requests, errors = open_offline(browser, saved)
    try:
        offline.wait_for_function(
            "() => document.querySelectorAll('#maps .mp-plot .main-svg').length >= 2"
        )
        drawn = offline.evaluate(
            "() => [...document.querySelectorAll('.mp-plot')].map((gd) => gd._fullData[0].z.flat())"
        )
        assert drawn == shown and len(drawn) == 2  # the same cells, the same values
        # offline too a cell's run is previewed under the pointer, and a click keeps it: the
        # page trains it (no server), the run rnnviz.run trains for that cell
        assert "click to use it" in offline.locator("#maps .mp-counts").first.inner_text()
        offline.locator(".mp-eta").scroll_into_view_if_needed()
        box = offline.locator(".mp-eta .nsewdrag").first.bounding_box()
        offline.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
        offline.wait_for_function("() => document.querySelector('.lp-root.lp-previewing')")
        offline.mouse.down()
        offline.mouse.up()
        offline.wait_for_function("() => document.querySelector('.lp-root.lp-kept')")
        kept = offline.evaluate("() => ({...document.querySelector('.lp-root').dataset})")
        settings = json.loads(kept["keptSettings"])
        assert settings["optimizer"] == "rprop" and settings["iterations"] == 100
        assert json.loads(kept["keptEnd"]) == trained_end(settings)
        assert requests == []
        assert errors == []
    finally:
        offline.context.close()


def test_values_beyond_the_gradient_axis_are_marked_at_its_edge(dashboard):
    dashboard.open()
    page = dashboard.page
    # At the start |dE/dS_k| runs from about 1e3 (k = 0) to 1e6 (k = T); a zoom to
    # [1e4, 1e5] leaves points above and below it.
    page.evaluate(
        "() => Plotly.relayout(document.querySelector('.lp-gradient .lp-plot'),"
        " {'yaxis.range': [4, 5]})"
    )
    page.locator("h1").click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")  # a frame drawn with the zoomed axis
    page.wait_for_function(
        "() => document.querySelector('.lp-gradient .lp-plot')._fullData"
        ".find((t) => t.name.includes('above the axis')).x.length > 0"
    )
    marks = page.evaluate(
        "() => Object.fromEntries(document.querySelector('.lp-gradient .lp-plot')._fullData"
        ".filter((t) => t.name.includes('the axis'))"
        ".map((t) => [t.name.split(' ').slice(-3, -2)[0], {x: Array.from(t.x), y: Array.from(t.y),"
        " text: Array.from(t.text), values: Array.from(t.customdata)}]))"
    )
    above, below = marks["above"], marks["below"]
    assert above["x"] and below["x"]
    assert all(10**4 < y < 10**5 for y in above["y"] + below["y"])  # drawn inside, at the edges
    # each with its true value (on hover), the farthest one labelled on the chart
    assert all(float(v) > 1e5 for v in above["values"])
    assert all(float(v) < 1e4 for v in below["values"])
    for marks, farthest in ((above, max), (below, min)):
        (label,) = [text for text in marks["text"] if text]
        assert float(label) == farthest(float(v) for v in marks["values"])
    assert dashboard.errors == []


GRADIENT_NOW = """() => {
  const t = document.querySelector('.lp-gradient .lp-plot')._fullData
    .find((d) => d.uid === 'gradient-now');
  return {y: Array.from(t.y), colour: Array.from(t.marker.color)};
}"""


def test_the_gradient_view_draws_each_iterates_dE_dS_k_with_its_sign(dashboard):
    """The browser forms the rows from dE/dS_T and w_rec; they must be the run's own."""
    import numpy as np

    import rnnviz

    dashboard.open("?wrec0=-1.5")  # w_rec < 0 at the start: the signs alternate back in time
    page = dashboard.page
    values = {key: spec.default for key, spec in specs.SPECS.items()} | {"wrec0": -1.5}
    X, t = rnnviz.make_dataset(20, 10, 1)
    run = rnnviz.run(X, t, specs.run_settings(values))
    page.locator("h1").click()
    page.keyboard.press("Home")
    for steps in (0, 3):
        for _ in range(steps):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            f"() => document.querySelector('.lp-iteration').innerText.startsWith('{steps} ')"
        )
        drawn = page.evaluate(GRADIENT_NOW)
        truth = rnnviz.gradient_through_time(X, t, *run.weights[steps]).signed
        np.testing.assert_allclose(drawn["y"], np.abs(truth), rtol=1e-9)
        assert drawn["colour"] == [2 if v > 0 else 1 for v in truth]  # blue > 0, red < 0
    assert len(set(drawn["colour"])) == 2
    assert dashboard.errors == []


def test_each_module_is_fetched_once_with_its_own_version(dashboard):
    """static/loader.js fetches every module with its version (?v=, a hash of the file), and
    links each once for the plot and the maps together: a plain relative import would have
    dropped the version, and a browser could keep a stale copy of a changed module."""
    from dashboard import live_plot

    requested = []
    dashboard.page.on("request", lambda request: requested.append(urlsplit(request.url)))
    dashboard.open("?maps=1")
    dashboard.page.locator(".mp-eta .main-svg").first.wait_for(timeout=30_000)
    fetched = [
        (url.path.rsplit("/", 1)[1], parse_qs(url.query).get("v", [None])[0])
        for url in requested
        if "/app/static/" in url.path and url.path.endswith(".js") and "plotly-" not in url.path
    ]
    names = [name for name, _ in fetched]
    assert len(names) == len(set(names)), names  # once each
    expected = live_plot.modules("loader.js", "live_plot.js", "map_plot.js")
    assert set(names) == set(expected)
    for name, version in fetched:
        assert version == live_plot._version(live_plot.STATIC / name), name
    assert dashboard.errors == []
