"""Stories in Chromium: keys switch them, a link keeps the story and the frame (issue 8)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from bench.browser import iteration_shown, wait_settled

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
