"""The plot's layout in Chromium: at every size, each part keeps a box of its own, inside the
screen, overlapping nothing (issue 7)."""

import itertools
import time

import pytest
from harness import ROOT, wait_settled

ARTIFACTS = ROOT / "test-artifacts"

# What must keep a box of its own: (name, selector); every match counts.
PARTS = [
    ("bar", ".lp-bar"),
    ("title", ".lp-title"),
    ("badge", ".lp-badge"),
    ("readout", ".lp-readout"),
    ("colour bar", ".lp-plot .colorbar"),
    ("legend", ".lp-legend"),
    ("plotly legend", ".lp-plot .legend"),  # none expected: the legends are HTML
    ("plot area", ".lp-plot .nsewdrag"),
    ("x title", ".lp-plot .xtitle"),
    ("y title", ".lp-plot .ytitle"),
]
SIZES = [
    ("1024x768", 1024, 768, 1),
    ("1280x720", 1280, 720, 1),
    ("1920x1080", 1920, 1080, 1),
    ("1280x720 at 150%", 853, 480, 1.5),  # browser zoom: a CSS viewport 1/1.5 of the window
    ("phone 400x800", 400, 800, 2),
]
BOXES = """(parts) => parts.flatMap(([name, selector]) =>
  Array.from(document.querySelectorAll(selector)).map((el) => {
    const r = el.getBoundingClientRect();
    const plot = el.closest('.lp-plot')?.getBoundingClientRect();
    return {name, x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height,
            panel: el.closest('.lp-panel')?.className || '',
            // what is drawn in a plot must lie inside it: its SVG clips the rest
            plotX: plot ? plot.left + scrollX : null, plotW: plot ? plot.width : null};
  }).filter((b) => b.w > 0 && b.h > 0))"""


def overlap(a, b):
    """Pixels of overlap of two boxes in each direction (a pixel of anti-aliasing is allowed)."""
    dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return dx > 1 and dy > 1


@pytest.mark.parametrize(("label", "width", "height", "scale"), SIZES, ids=[s[0] for s in SIZES])
def test_nothing_overlaps_or_is_clipped_at_any_size(browser, server, label, width, height, scale):
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=scale
    )
    page = context.new_page()
    try:
        page.goto(server.url + "/")
        page.wait_for_function("() => document.querySelectorAll('.lp-plot .main-svg').length >= 3")
        wait_settled(page)
        time.sleep(0.5)  # the plots' last resize
        boxes = page.evaluate(BOXES, PARTS)
        names = {b["name"] for b in boxes}
        assert {"title", "readout", "plot area", "colour bar", "legend"} <= names, names
        clashes = [
            (a["name"], b["name"])
            for a, b in itertools.combinations(boxes, 2)
            if overlap(a, b)
            and not (a["name"] == b["name"] == "plot area" and a["panel"] == b["panel"])
        ]
        page_width = page.evaluate("() => document.documentElement.clientWidth")
        clipped = [b["name"] for b in boxes if b["x"] < -1 or b["x"] + b["w"] > page_width + 1]
        clipped += [
            f"{b['name']} beyond its plot"
            for b in boxes
            if b["plotX"] is not None
            and (b["x"] < b["plotX"] - 1 or b["x"] + b["w"] > b["plotX"] + b["plotW"] + 1)
        ]
        # Nothing hangs out of the component over what the page puts below it.
        spill = page.evaluate(
            "() => { const root = document.querySelector('.lp-root').getBoundingClientRect();"
            " return Math.max(...Array.from(document.querySelectorAll('.lp-plot'))"
            ".map((p) => p.getBoundingClientRect().bottom)) - root.bottom; }"
        )
        assert spill <= 1, f"{label}: the plots reach {spill:.0f} px below the component"
        if width < 700:  # the views stack: each panel below the one before
            tops = [page.locator(f".lp-{p}").bounding_box()["y"] for p in ("surface", "gradient")]
            assert tops[1] > tops[0] + 200, tops
        if clashes or clipped:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / f"layout-{width}x{height}.png", full_page=True)
        assert clashes == [], f"{label}: {clashes}"
        assert clipped == [], f"{label}: {clipped}"
    finally:
        context.close()
