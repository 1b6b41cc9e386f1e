"""The stage, legible for everyone (issue 17), in Chromium: plotly.js's modebar offers no
upload, keeps off the titles and out of the Tab order; the gradient's sign told by shape; the
current iterate in the surface's legend; the plot's place held while it loads; a tap is a click.
"""

import re
import time

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
