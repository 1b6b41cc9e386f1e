"""`python -m bench.screenshot` (`make screenshot`): the README's pictures, mid-animation.

Starts the app, opens it in Chromium, presses play, pauses after a moment and saves the page:
docs/dashboard.png (the page as it opens) and docs/presenter.png (presenter mode on a
1280x720 projector, the clipping story), each kept under MAX_BYTES by quantising its colours.
"""

import io
import sys
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from tests.e2e import harness

# (file, query, viewport, seconds of play)
PICTURES = (
    (harness.ROOT / "docs" / "dashboard.png", "", {"width": 1400, "height": 1080}, 2.0),
    (
        harness.ROOT / "docs" / "presenter.png",
        "?present=1&story=clipping",
        {"width": 1280, "height": 720},
        3.0,
    ),
)
MAX_BYTES = 300_000


def capture(base_url, query="", viewport=PICTURES[0][2], play_seconds=2.0):
    """PNG bytes of the page after playing the animation for play_seconds, then pausing."""
    with sync_playwright() as playwright:
        browser = harness.launch_chromium(playwright)
        try:
            context = browser.new_context(viewport=viewport)
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.goto(base_url + "/" + query)
            harness.wait_drawn(page, timeout_s=120)
            harness.wait_settled(page)
            harness.button(page, "▶ play").click()
            time.sleep(play_seconds)
            harness.button(page, "❚❚ pause").click()
            page.mouse.move(0, viewport["height"] - 1)  # off the chart: no hover, no modebar
            time.sleep(0.8)  # the last frame paints and the modebar fades out
            return page.screenshot(type="png")
        finally:
            browser.close()


def small_png(png, max_bytes=MAX_BYTES):
    """The PNG as is if it fits max_bytes, else with fewer colours (octree keeps rare ones,
    such as the gold end star; dithering keeps the colour bars smooth)."""
    if len(png) <= max_bytes:
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    for colours in (256, 128, 64):
        palette = image.quantize(colours, method=Image.Quantize.FASTOCTREE)
        buffer = io.BytesIO()
        image.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG).save(
            buffer, "PNG", optimize=True
        )
        if buffer.tell() <= max_bytes:
            return buffer.getvalue()
    raise RuntimeError(f"the screenshot stays above {max_bytes} bytes even with 64 colours")


def main():
    if harness.chromium_path() is None:
        sys.exit(f"Chromium not found: {harness.INSTALL_HINT}")
    with harness.Server(log_path=harness.OUT / "screenshot-streamlit.log") as server:
        for out, query, viewport, seconds in PICTURES:
            png = small_png(capture(server.url, query, viewport, seconds))
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            Path(out).write_bytes(png)
            print(f"{out}: {len(png) / 1e3:.0f} KB, {viewport['width']}x{viewport['height']}")


if __name__ == "__main__":
    main()
