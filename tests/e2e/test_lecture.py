"""Stories in Chromium: keys switch them, a link keeps the story and the frame (issue 8)."""

import itertools
from urllib.parse import parse_qs, urlsplit

import pytest
from harness import iteration_shown, wait_settled
from test_layout import BOXES, PARTS, overlap

pytestmark = pytest.mark.e2e

STORY_BAR = ".st-key-story_bar"


def test_number_keys_switch_stories(dashboard):
    dashboard.open()
    page = dashboard.page
    for key, name, words in (("3", "clipping", "Clipping saves it"), ("2", "thrown", "thrown")):
        page.locator("h1").click()  # the page, not a control, has the focus
        page.keyboard.press(key)
        page.wait_for_function(f"() => /[?&]story={name}/.test(location.search)")
        wait_settled(page)
        assert words in page.locator(STORY_BAR).inner_text()
    assert "diverges at iteration 3" in page.locator(STORY_BAR).inner_text()
    assert dashboard.errors == []


def test_a_link_keeps_the_story_and_the_frame(dashboard):
    dashboard.open("?story=exploding&frame=76")
    page = dashboard.page
    assert "Exploding or vanishing" in page.locator(STORY_BAR).inner_text()
    assert iteration_shown(page) == 76
    assert page.locator(".lp-readout").inner_text().startswith("iteration 76 of 500")
    assert dashboard.errors == []


def test_copy_link_puts_this_view_at_this_iteration_on_the_clipboard(dashboard):
    page = dashboard.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    dashboard.open("?story=clipping")
    page.locator("h1").click()
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    assert iteration_shown(page) == 12
    page.locator(".lp-copy").click()
    page.wait_for_function("() => document.querySelector('.lp-copy').textContent === 'copied ✓'")
    link = page.evaluate("() => navigator.clipboard.readText()")
    query = parse_qs(urlsplit(link).query)
    assert query["story"] == ["clipping"] and query["frame"] == ["12"]
    # The link opens the same view at the same iteration.
    dashboard.open(link[len(dashboard.base_url) + 1 :])
    assert (
        iteration_shown(page) == 12 and "Clipping saves it" in page.locator(STORY_BAR).inner_text()
    )
    assert dashboard.errors == []


PRESENTER_SIZES = [(1280, 720), (1024, 768)]
SIZES_JS = """() => {
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const all = (selector) => Array.from(document.querySelectorAll(selector));
  const surface = document.querySelector('.lp-surface .lp-plot');
  // the path's group among the drawn scatter traces, found by the trace each one draws (their
  // order on screen need not be _fullData's: plotly.js keeps a trace's group across redraws)
  const path = Array.from(surface.querySelectorAll('.scatterlayer .trace'))
    .find((g) => / path$/.test(((g.__data__ || [])[0] || {}).trace?.name || ''))
    .querySelector('.js-line');
  return {
    ticks: Math.min(...all('.lp-plot .xtick text, .lp-plot .ytick text').map(px)),
    axisTitles: Math.min(...all('.lp-plot .xtitle, .lp-plot .ytitle').map(px)),
    titles: Math.min(...all('.lp-title').map(px)),
    caption: px(document.querySelector('.lp-story-text')),
    pathWidth: parseFloat(getComputedStyle(path).strokeWidth),
    pathOpacity: parseFloat(getComputedStyle(path).strokeOpacity),
    // folded away: Streamlit then offers the button that opens it
    sidebarFolded: !!document.querySelector('[data-testid=stExpandSidebarButton]'),
    current: surface._fullData.find((t) => t.name === 'current iterate').marker,
    others: surface._fullData.filter((t) => t.name !== 'current iterate' && t.marker)
      .map((t) => [t.marker.symbol, t.marker.color]),
  };
}"""


@pytest.mark.parametrize(("width", "height"), PRESENTER_SIZES, ids=lambda v: str(v))
def test_presenter_mode_reads_from_the_back_of_the_room(browser, server, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(server.url + "/?present=1&story=rprop")
        page.wait_for_function("() => document.querySelector('.lp-readout')?.textContent")
        wait_settled(page)
        sizes = page.evaluate(SIZES_JS)
        assert sizes["ticks"] >= 14 and sizes["axisTitles"] >= 18, sizes
        assert sizes["titles"] >= 18 and sizes["caption"] >= 18, sizes
        assert sizes["pathWidth"] >= 3 and sizes["pathOpacity"] == 1, sizes
        assert sizes["sidebarFolded"]
        current = (sizes["current"]["symbol"], sizes["current"]["color"])
        assert current[0] not in {s for s, _ in sizes["others"]}
        assert current[1] not in {str(c) for _, c in sizes["others"]}
        assert sizes["current"]["size"] >= 20
        # the path draws itself: nothing of it ahead of the first iterate, no end star yet
        drawn = page.evaluate(
            "() => document.querySelector('.lp-surface .lp-plot')._fullData"
            ".filter((t) => t.name.endsWith(' path') || t.name === 'end')"
            ".map((t) => (t.x || []).length)"
        )
        assert drawn == [1, 0], drawn
        boxes = page.evaluate(BOXES, PARTS)
        clashes = [
            (a["name"], b["name"])
            for a, b in itertools.combinations(boxes, 2)
            if overlap(a, b)
            and not (a["name"] == b["name"] == "plot area" and a["panel"] == b["panel"])
        ]
        clipped = [
            b["name"]
            for b in boxes
            if b["plotX"] is not None
            and (b["x"] < b["plotX"] - 1 or b["x"] + b["w"] > b["plotX"] + b["plotW"] + 1)
        ]
        if clashes or clipped:
            page.screenshot(path=f"test-artifacts/presenter-{width}x{height}.png")
        assert clashes == [] and clipped == []
        spill = page.evaluate(
            "() => { const root = document.querySelector('.lp-root').getBoundingClientRect();"
            " return Math.max(...Array.from(document.querySelectorAll('.lp-plot'))"
            ".map((p) => p.getBoundingClientRect().bottom)) - root.bottom; }"
        )
        assert spill <= 1, spill
    finally:
        context.close()


def test_a_race_in_presenter_mode_fits_a_1080p_screen_notes_and_all(browser, server):
    """The twin's notes are one line for the racer, and the figure gives them room."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(server.url + "/?present=1&story=twin")
        page.wait_for_function("() => document.querySelector('.lp-readout')?.textContent")
        wait_settled(page)
        notes = page.locator(".lp-notes p").all_inner_texts()
        assert len(notes) == 1 and notes[0].startswith("sgd 0.002: Diverged at iteration 2")
        bottom, height = page.evaluate(
            "() => [document.querySelector('.lp-grid').getBoundingClientRect().bottom, innerHeight]"
        )
        assert bottom <= height, (bottom, height)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("story", "width", "height"),
    [("twin", 1280, 720), ("rprop", 1024, 768)],
    ids=["a race at 1280x720", "one run at 1024x768"],
)
def test_presenter_mode_in_fullscreen_fits_a_projector(browser, server, story, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(server.url + f"/?present=1&story={story}")
        page.wait_for_function("() => document.querySelector('.lp-readout')?.textContent")
        wait_settled(page)
        page.get_by_role("button", name="fullscreen").click()
        page.wait_for_function("() => document.fullscreenElement")
        page.wait_for_function(
            "() => document.querySelector('.lp-grid').getBoundingClientRect().bottom"
            " <= innerHeight",
            timeout=10_000,
        )
    finally:
        context.close()
