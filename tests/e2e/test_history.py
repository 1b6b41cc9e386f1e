"""History and links in Chromium (issue 17): each settled view is an entry Back returns to, a
reload keeps the iteration shown, and the offline page keeps the story and a link's frame."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from harness import iteration_shown, slider_input, wait_drawn, wait_settled

pytestmark = pytest.mark.e2e

STORY_BAR = ".st-key-story_bar"


def query(page):
    return parse_qs(urlsplit(page.url).query)


def settled_change(page, change):
    """change() done, its rerun settled, and the entry it makes in the history counted: the
    path key the page settled on."""
    entries = page.evaluate("history.length")
    change()
    key = wait_settled(page)
    page.wait_for_function("(n) => history.length === n + 1", arg=entries)
    return key


def url_says(page, pattern):
    """Wait until the page's query matches the regular expression pattern."""
    page.wait_for_function(f"() => /{pattern}/.test(location.search)")


def test_back_returns_to_the_view_before_and_forward_comes_again(dashboard):
    dashboard.open()
    page = dashboard.page
    opened_at = page.url
    slider = slider_input(page, "eta_p")
    paths = []
    for _ in range(3):
        slider.focus()
        paths.append(settled_change(page, lambda: slider.press("ArrowRight")))
    assert slider.input_value() == "1.23" and query(page) == {"eta_p": ["1.23"]}
    assert len(set(paths)) == 3  # three runs, three views
    page.go_back(wait_until="commit")
    url_says(page, "eta_p=1.22(&|$)")
    assert wait_settled(page) == paths[1]  # the second view's run, drawn again
    assert slider.input_value() == "1.22" and query(page) == {"eta_p": ["1.22"]}
    page.go_back(wait_until="commit")
    url_says(page, "eta_p=1.21(&|$)")
    wait_settled(page)
    page.go_back(wait_until="commit")  # the page as it opened: still the app
    page.wait_for_function("() => location.search === ''")
    wait_settled(page)
    assert page.url == opened_at and slider.input_value() == "1.2"
    page.go_forward(wait_until="commit")
    url_says(page, "eta_p=1.21(&|$)")
    assert wait_settled(page) == paths[0] and slider.input_value() == "1.21"
    assert dashboard.errors == []


def test_a_story_is_one_entry_and_back_and_forward_show_it_whole(dashboard):
    """A story writes the URL several times in one run (Streamlit pushed an entry for each);
    Back leaves it in one step, and Forward brings back every control it sets, those the URL
    leaves out too (the learning rate)."""
    dashboard.open("?eta_p=1.3")
    page = dashboard.page
    page.locator("h1").click()
    settled_change(page, lambda: page.keyboard.press("3"))
    caption = page.locator(STORY_BAR).inner_text()
    assert "Clipping saves it." in caption
    page.go_back(wait_until="commit")
    url_says(page, "^\\?eta_p=1.3$")
    wait_settled(page)
    assert "Pick a story" in page.locator(STORY_BAR).inner_text()
    assert slider_input(page, "eta_p").input_value() == "1.3"
    page.go_forward(wait_until="commit")
    url_says(page, "story=clipping")
    wait_settled(page)
    assert page.locator(STORY_BAR).inner_text() == caption  # not "you have changed it"
    assert dashboard.errors == []


def test_a_reload_keeps_the_iteration_and_a_rerun_does_not_drop_it(dashboard):
    dashboard.open()
    page = dashboard.page
    entries = page.evaluate("history.length")
    page.locator("h1").click()
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    assert iteration_shown(page) == 12
    url_says(page, "[?&]frame=12$")
    assert page.evaluate("history.length") == entries  # a step is no entry of its own
    # Streamlit writes the URL for the slider, and the rerun draws a new run: still 12
    slider = slider_input(page, "eta_p")
    slider.focus()
    settled_change(page, lambda: slider.press("ArrowRight"))
    url_says(page, "[?&]frame=12")
    assert query(page) == {"eta_p": ["1.21"], "frame": ["12"]} and iteration_shown(page) == 12
    page.reload(wait_until="commit")
    wait_drawn(page)
    wait_settled(page)
    assert iteration_shown(page) == 12 and slider.input_value() == "1.21"
    assert page.locator(".lp-readout").inner_text().startswith("iteration 12 of 500")
    assert page.locator("[data-testid=stAlertContentWarning]").count() == 0  # nothing corrected
    assert dashboard.errors == []


def test_back_shows_the_entrys_own_iteration_even_beyond_the_run_on_screen(dashboard):
    dashboard.open("?iterations=1000")
    page = dashboard.page
    page.locator("h1").click()
    page.keyboard.press("End")
    url_says(page, "[?&]frame=1000$")
    slider = slider_input(page, "iterations")
    slider.focus()
    settled_change(page, lambda: slider.press("ArrowLeft"))  # a run of 990: its last shown
    url_says(page, "[?&]frame=990$")
    assert iteration_shown(page) == 990 and query(page)["iterations"] == ["990"]
    page.go_back(wait_until="commit")
    url_says(page, "iterations=1000")
    wait_settled(page)
    assert iteration_shown(page) == 1000
    assert query(page) == {"iterations": ["1000"], "frame": ["1000"]}
    assert dashboard.errors == []


def test_playing_writes_no_frame_until_it_pauses(dashboard):
    dashboard.open("?iterations=2000")
    page = dashboard.page
    page.locator("h1").click()
    page.keyboard.press(" ")
    seen = set()
    for _ in range(8):
        time.sleep(0.15)
        seen.add((iteration_shown(page), page.evaluate("location.search")))
    assert len({i for i, _ in seen}) > 4  # it plays
    assert {search for _, search in seen} == {"?iterations=2000"}  # and the URL stands still
    page.keyboard.press(" ")
    at = iteration_shown(page)
    url_says(page, f"[?&]frame={at}$")
    assert dashboard.errors == []


def test_the_offline_page_keeps_the_story_and_opens_at_its_links_frame(
    dashboard, browser, tmp_path
):
    dashboard.open("?story=clipping")
    page = dashboard.page
    with page.expect_download() as download:
        page.get_by_role("button", name="HTML page (works offline)").click()
    saved = tmp_path / "story.html"
    download.value.save_as(saved)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    errors = []
    try:
        offline = context.new_page()
        offline.on("pageerror", lambda error: errors.append(str(error)))
        offline.on("console", lambda m: m.type == "error" and errors.append(m.text))
        offline.goto(saved.as_uri() + "?frame=76")
        offline.wait_for_function(
            "() => document.querySelectorAll('.lp-plot .main-svg').length >= 3"
        )
        offline.wait_for_function(
            "() => /^76 \\//.test(document.querySelector('.lp-iteration').textContent)"
        )
        assert offline.locator(".lp-readout").inner_text().startswith("iteration 76 of 500")
        assert offline.locator("h1").inner_text() == "rnnviz: Clipping saves it"
        said = page.locator(STORY_BAR).inner_text().split("Clipping saves it. ", 1)[1]
        said = said.replace("\u2060", "")  # the page breaks autolinks with word joiners
        assert offline.locator("p.caption").inner_text() == said  # the page's own caption
        settings = offline.locator("p.settings").inner_text()
        assert settings.startswith("Settings: sgd learning_rate=0.002 clip=10 · start (-1.5, 2)")
        assert "500 iterations" in settings and "seed 1" in settings
        for other in ("eta_p", "eta_n", "delta0", "variant", "adam", "momentum", "contours"):
            assert other not in settings, other
        assert errors == []
    finally:
        context.close()
    assert dashboard.errors == []
