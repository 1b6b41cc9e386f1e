"""The stage, legible for everyone (issue 17), in Chromium: plotly.js's modebar offers no
upload, keeps off the titles and out of the Tab order; the gradient's sign told by shape; the
current iterate in the surface's legend; the plot's place held while it loads; a tap is a click.
"""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from harness import wait_settled

pytestmark = pytest.mark.e2e

UPLOAD = re.compile(r"share|cloud|upload", re.I)

# Every element that offers something by its words: its text, title, label or tooltip.
OFFERS = """() => [...document.querySelectorAll('button, a, [role=button], [data-title], input')]
  .filter((el) => !el.closest('[data-testid=stFileUploader]'))
  .map((el) => [el.getAttribute('data-title'), el.getAttribute('title'),
                el.getAttribute('aria-label'), el.innerText].filter(Boolean).join(' | '))"""

# Boxes of every modebar and of every title it could cover, in page coordinates.
BOXES = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  const titles = '.lp-title, .mp-title, .lp-plot .cbtitle, .mp-plot .cbtitle, .gtitle';
  return {
    modebars: [...document.querySelectorAll('.modebar')].map(box).filter((b) => b.w > 0),
    titles: [...document.querySelectorAll(titles)].map((el) => ({
      name: el.getAttribute('class') + ' ' + el.textContent, ...box(el)})).filter((b) => b.w > 0),
  };
}"""


def overlap(a, b):
    dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return dx > 0 and dy > 0


def open_with_maps(dashboard):
    dashboard.open("?maps=1&iterations=100")
    for name in ("eta", "basin"):
        dashboard.page.locator(f".mp-{name} .main-svg").first.wait_for(timeout=30_000)
    wait_settled(dashboard.page)


def test_nothing_in_the_page_offers_to_upload(dashboard):
    """plotly.js 4 shows "Share chart..." (sendChartToCloud) by default: no plot offers it, nor
    anything else on the page. (The page's own file uploader, which loads a run file the page
    saved back into it, is no upload anywhere else: it is left out.)"""
    open_with_maps(dashboard)
    page = dashboard.page
    plots = page.locator(".lp-plot.js-plotly-plot, .mp-plot.js-plotly-plot")
    assert plots.count() == 5  # three panels, two maps
    for k in range(plots.count()):  # each modebar shown, as on hover
        plots.nth(k).scroll_into_view_if_needed()
        plots.nth(k).hover()
    titles = page.evaluate(
        "() => [...document.querySelectorAll('.modebar-btn')].map((b) => b.dataset.title)"
    )
    assert len(titles) >= 5 * 5 and "Zoom" in titles  # the modebars are there
    assert not [t for t in titles if UPLOAD.search(t or "")]
    assert page.locator("[data-title*=Cloud], [data-title*=Share]").count() == 0
    assert not [text for text in page.evaluate(OFFERS) if UPLOAD.search(text)]
    assert dashboard.errors == []


def test_tab_from_the_page_start_reaches_play_within_ten_stops(dashboard):
    """A keyboard user at the page's start: Tab to Streamlit's "Skip to main content", Enter,
    then Tab to the plot's play button."""
    dashboard.open()
    page = dashboard.page
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.innerText") == "Skip to main content"
    page.keyboard.press("Enter")
    for _ in range(2, 11):  # stops 2 to 10
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('lp-play')"):
            break
    else:
        pytest.fail("Tab did not reach the play button within 10 stops")
    assert dashboard.errors == []


def test_tab_never_stops_on_a_modebar_button(dashboard):
    """From play, Tab walks the plot's toolbar and legends and leaves the plot for the page
    below without a stop on any plot's modebar (there were 24), on the outcome maps too."""
    open_with_maps(dashboard)
    page = dashboard.page
    assert page.locator(".modebar-btn").count() >= 5 * 5
    page.locator(".lp-play").focus()
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                "() => { const el = document.activeElement;"
                " return {modebar: !!el.closest('.modebar'), inPlot: !!el.closest('.lp-root'),"
                " inMaps: !!el.closest('.mp-grid'), name: el.className}; }"
            )
        )
    assert not [s["name"] for s in stops if s["modebar"]]
    assert any(not s["inPlot"] for s in stops), "Tab never left the plot"
    # the maps come after the page's exports' own controls, beyond 60 stops or not: either
    # way no modebar button of theirs took a stop (checked over every button just below)
    assert page.evaluate(
        "() => [...document.querySelectorAll('.modebar-btn')].every((b) => b.tabIndex === -1)"
    )
    assert dashboard.errors == []


def test_the_modebar_covers_no_title_or_colour_bar_title(dashboard):
    """Each plot's modebar, shown by the pointer over the plot, at 1920x1080 and 1024x768."""
    open_with_maps(dashboard)
    page = dashboard.page
    for width, height in ((1920, 1080), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        time.sleep(0.8)  # the plots' resize
        plots = page.locator(".lp-plot.js-plotly-plot, .mp-plot.js-plotly-plot")
        for k in range(plots.count()):
            plots.nth(k).scroll_into_view_if_needed()
            plots.nth(k).hover()
            boxes = page.evaluate(BOXES)
            assert len(boxes["modebars"]) == 5
            assert any("cost" in t["name"] for t in boxes["titles"])  # the colour bar's title
            clashes = [
                t["name"] for m in boxes["modebars"] for t in boxes["titles"] if overlap(m, t)
            ]
            assert clashes == [], f"{width}x{height}: {clashes}"
    assert dashboard.errors == []


GRADIENT_MARKERS = """() => {
  const t = document.querySelector('.lp-gradient .lp-plot')._fullData
    .find((d) => d.uid === 'gradient-now');
  return {symbol: Array.from(t.marker.symbol), colour: Array.from(t.marker.color), name: t.name};
}"""


def test_the_gradients_sign_is_told_by_marker_shape_as_well_as_colour(dashboard):
    dashboard.open("?wrec0=-1.5")  # w_rec < 0 at the start: the signs alternate back in time
    page = dashboard.page
    page.locator("h1").click()
    page.keyboard.press("Home")
    page.wait_for_function(
        "() => document.querySelector('.lp-iteration').innerText.startsWith('0 ')"
    )
    drawn = page.evaluate(GRADIENT_MARKERS)
    assert set(drawn["symbol"]) == {"triangle-up", "triangle-down"}
    # the shape says what the colour says: up for blue (> 0), down for red (< 0)
    expected = ["triangle-up" if c == 2 else "triangle-down" for c in drawn["colour"]]
    assert drawn["symbol"] == expected
    # and the drawn SVG has both shapes
    shapes = page.evaluate(
        "() => new Set([...document.querySelectorAll('.lp-gradient .scatterlayer .point')]"
        ".map((p) => p.getAttribute('d'))).size"
    )
    assert shapes >= 2
    legend = page.locator(".lp-gradient .lp-legend").inner_text()
    assert "\u25b2 blue +" in legend and "\u25bc red \u2212" in legend  # + > 0, minus < 0
    assert dashboard.errors == []


def test_the_surface_legend_lists_the_current_iterate(dashboard):
    dashboard.open()
    page = dashboard.page
    key = page.locator(".lp-surface .lp-legend .lp-key", has_text="current iterate")
    assert key.count() == 1
    colour = key.locator(".lp-swatch").evaluate("(el) => getComputedStyle(el).color")
    assert colour == "rgb(0, 229, 255)"  # the cyan of the hexagram (palette.CURRENT)
    assert dashboard.errors == []


def test_a_tap_on_the_surface_moves_the_start_point_and_the_url(browser, server):
    """On a touch screen a tap is a click (plotly.js's drag layer took it: nothing happened)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, has_touch=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(server.url + "/")
        page.wait_for_function("() => document.querySelectorAll('.lp-plot .main-svg').length >= 3")
        before = wait_settled(page)
        page.locator(".lp-surface .nsewdrag").scroll_into_view_if_needed()  # a tap needs it shown
        target = (0.57, -1.23)
        x, y = page.evaluate(
            """([wx, wrec]) => {
              const gd = document.querySelector('.lp-surface .lp-plot');
              const box = gd.getBoundingClientRect();
              const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
              return [box.left + xa._offset + xa.d2p(wx), box.top + ya._offset + ya.d2p(wrec)];
            }""",
            list(target),
        )
        page.touchscreen.tap(x, y)
        page.wait_for_function("() => /[?&]wrec0=/.test(location.search)", timeout=20_000)
        assert wait_settled(page) != before
        query = parse_qs(urlsplit(page.url).query)
        assert float(query["wx0"][0]) == pytest.approx(target[0], abs=0.011)
        assert float(query["wrec0"][0]) == pytest.approx(target[1], abs=0.011)
        assert errors == []
    finally:
        context.close()


# Every animation frame from the component's box on: its height, whether the plot's stylesheet
# has loaded (static/loader.js adds it when the preloader's code runs, some 0.5 s after the box
# shows) and whether plotly.js has drawn the plot yet (its SVG in the surface).
TIMELINE = """() => new Promise((resolve) => {
  const samples = [];
  const tick = () => {
    const box = document.querySelector('.st-key-dashboard');
    const styled = [...document.styleSheets]
      .some((s) => s.ownerNode?.id === 'rnnviz-live-plot-css');
    const drawn = !!document.querySelector('.lp-surface .main-svg');
    samples.push({t: performance.now(), height: box ? box.getBoundingClientRect().height : null,
                  styled, drawn});
    if (drawn) resolve(samples); else requestAnimationFrame(tick);
  };
  tick();
})"""


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (1024, 768)], ids=str)
def test_the_plots_place_is_held_at_its_height_before_plotly_draws(browser, server, size):
    """At 1920x1080 the component's box was 0 px tall for the 1.5-3.5 s between its element
    showing and plotly.js drawing, and the page below jumped down by about 940 px when it
    drew. Now, from the moment the plot's stylesheet is in the page until plotly.js draws, the
    box is the height the plot will have (to 10%)."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        page.goto(server.url + "/", wait_until="commit")
        page.wait_for_selector(".st-key-dashboard", state="attached")
        samples = page.evaluate(TIMELINE)
        wait_settled(page)
        final = page.locator(".st-key-dashboard").bounding_box()["height"]
        waiting = [s for s in samples if s["styled"] and not s["drawn"]]
        assert waiting, "the plot drew as soon as its stylesheet was in: nothing to hold"
        heights = [s["height"] for s in waiting]
        assert min(heights) > 0.9 * final and max(heights) < 1.1 * final, (heights, final)
    finally:
        context.close()
