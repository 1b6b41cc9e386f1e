"""The dashboard in Chromium, checked the way a person would see it.

Each test opens a fresh page on the session's server (see conftest.py) and reads what plotly
drew from the chart element (`element._fullData`), the Streamlit widgets and the notices.
"""

import math
import re
import time

import pytest
from harness import (
    button,
    iteration_shown,
    path_key,
    slider_input,
    traces,
    wait_idle,
    wait_settled,
)

pytestmark = pytest.mark.e2e

DRAW_BOUND_S = 30  # page open to every chart drawn, on a slow 2-core machine
TUTORIAL_END = (1.0014, 0.9997)  # where the tutorial's Rprop run ends (rounded as the page shows)
EXCEPTION = "[data-testid=stException]"
ERROR = "[data-testid=stAlertContentError]"
WARNING = "[data-testid=stAlertContentWarning]"
SUCCESS = "[data-testid=stAlertContentSuccess]"
GRADIENT_NOW = "|dE/dS<sub>k</sub>| now*"  # the gradient through time at the current iterate
SURFACE = ".lp-surface .lp-plot"


def assert_no_errors(dashboard, allowed_alerts=0):
    page = dashboard.page
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
    assert page.locator(ERROR).count() == allowed_alerts, alert_texts(page, ERROR)
    assert dashboard.errors == []


def slider_value(page, label_start):
    return float(slider_input(page, label_start).get_attribute("value"))


def alert_texts(page, kind):
    """The text of every notice of one kind (ERROR, WARNING, SUCCESS), without its icon."""
    return page.locator(kind).locator("[data-testid=stMarkdownContainer]").all_inner_texts()


def readout(page):
    return page.locator(".lp-readout").inner_text()


def animated_state(page):
    """What moves during play: the current iterate, the gradient-through-time curve, readout."""
    shown = traces(page, "current iterate", GRADIENT_NOW)
    return (
        tuple(shown["current iterate"]["x"] + shown["current iterate"]["y"]),
        tuple(shown[GRADIENT_NOW]["y"]),
        readout(page),
    )


def close(a, b, tol):
    return all(math.isclose(u, v, rel_tol=0, abs_tol=tol) for u, v in zip(a, b, strict=True))


def test_page_loads_with_every_chart_drawn(dashboard):
    drawn_s = dashboard.open(draw_timeout_s=DRAW_BOUND_S)
    page = dashboard.page
    assert drawn_s <= DRAW_BOUND_S

    chart = page.locator(SURFACE)
    assert chart.locator(".main-svg").count() >= 1
    assert chart.locator(".scatterlayer .trace").count() >= 7
    svg = chart.locator(".main-svg").first.bounding_box()
    assert svg["width"] > 500 and svg["height"] > 500
    for panel in ("gradient", "run"):
        box = page.locator(f".lp-{panel} .lp-plot .main-svg").first.bounding_box()
        assert box["width"] > 300 and box["height"] > 200, panel

    source = chart.evaluate("el => el.layout.images[0].source")
    assert source.startswith("data:image/png;base64,") and len(source) > 1000
    image = chart.locator(".main-svg image").first.bounding_box()
    assert image["width"] > 100 and image["height"] > 100

    path = traces(page, "path")["path"]
    assert len(path["x"]) > 1 and len(path["x"]) == len(path["y"])
    for name in ("current iterate", GRADIENT_NOW, "cost", "current iteration"):
        assert traces(page, name)[name] is not None, name
    assert readout(page).startswith("iteration 0 of 500 | cost 6.157e+05 | w = (-1.5000, 2.0000)")
    # dE/dS_k < 0 at every k at the start: every dot red, as the legend says (they were grey)
    fills = page.evaluate(
        "() => Array.from(document.querySelectorAll('.lp-gradient .scatterlayer .points path'))"
        ".map((p) => getComputedStyle(p).fill)"
    )
    assert len(fills) == 11 and set(fills) == {"rgb(214, 39, 40)"}, fills
    assert page.locator(WARNING).count() == 0
    assert_no_errors(dashboard)


def test_eta_p_arrow_keys_redraw_the_path_and_the_url(dashboard):
    dashboard.open()
    page = dashboard.page
    before = path_key(page)
    thumb = slider_input(page, "eta_p")
    assert slider_value(page, "eta_p") == pytest.approx(1.2)

    thumb.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => /[?&]eta_p=/.test(location.search)")
    after = wait_settled(page)

    assert slider_value(page, "eta_p") == pytest.approx(1.23)
    assert after != before, "the drawn path did not change"
    url = page.evaluate("location.href")
    assert "eta_p=1.23" in url
    assert_no_errors(dashboard)

    # The URL is a link to the same view: a fresh page on it draws the same path.
    dashboard.open(url[len(dashboard.base_url) + 1 :])
    assert path_key(page) == after


def test_a_link_sets_the_controls_and_the_start_point(dashboard):
    dashboard.open("?eta_p=1.5&eta_n=0.3&wx0=2&wrec0=-1")
    page = dashboard.page
    assert slider_value(page, "eta_p") == pytest.approx(1.5)
    assert slider_value(page, "eta_n") == pytest.approx(0.3)
    assert slider_value(page, "w_x start") == pytest.approx(2.0)
    assert slider_value(page, "w_rec start") == pytest.approx(-1.0)
    eta_p = page.locator(
        "[data-testid=stSlider]", has=page.locator('input[type=range][aria-label^="eta_p"]')
    )
    assert eta_p.get_by_test_id("stSliderThumbValue").inner_text() == "1.50"

    drawn = traces(page, "path", "start")
    assert (drawn["path"]["x"][0], drawn["path"]["y"][0]) == pytest.approx((2.0, -1.0))
    assert (drawn["start"]["x"][0], drawn["start"]["y"][0]) == pytest.approx((2.0, -1.0))
    assert_no_errors(dashboard)


def test_play_pause_step_and_scrub_the_animation(dashboard):
    dashboard.open()
    page = dashboard.page
    start = animated_state(page)
    assert iteration_shown(page) == 0

    button(page, "▶ play").click()
    seen = [start]
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        time.sleep(0.1)
        seen.append(animated_state(page))
    assert len({state[0] for state in seen}) >= 3, "the current iterate did not move while playing"
    assert len({state[1] for state in seen}) >= 3, "the gradient curve did not change while playing"
    assert len({state[2] for state in seen}) >= 3, "the readout did not follow"

    button(page, "❚❚ pause").click()
    paused = animated_state(page)
    time.sleep(0.6)
    assert animated_state(page) == paused, "the animation kept going after pause"

    at = iteration_shown(page)
    page.get_by_role("button", name="one iteration on").click()
    assert iteration_shown(page) == at + 1

    # Scrub: click the middle of the scrubber, as a person would; any exact iteration.
    scrub = page.locator(".lp-scrub")
    box = scrub.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    iteration = iteration_shown(page)
    assert abs(iteration - 250) <= 5, iteration
    assert int(scrub.input_value()) == iteration
    page.wait_for_function(
        "(i) => document.querySelector('.lp-readout').textContent.startsWith(`iteration ${i} of`)",
        arg=iteration,
    )
    drawn = traces(page, "path", "current iterate")
    path, current = drawn["path"], drawn["current iterate"]
    expected = (path["x"][iteration], path["y"][iteration])
    assert (current["x"][0], current["y"][0]) == pytest.approx(expected, rel=1e-12)
    assert f"w = ({expected[0]:.4f}, {expected[1]:.4f})" in readout(page)
    assert_no_errors(dashboard)


def test_the_test_box_reads_a_sequence(dashboard):
    dashboard.open()
    page = dashboard.page
    box = page.get_by_label("A sequence of 0s and 1s (up to 1000 digits)")

    box.fill("01x1")
    box.press("Enter")
    error = page.locator(ERROR, has_text="Can't read that sequence")
    error.wait_for()
    assert "'x'" in error.inner_text()

    box.fill("0111")
    box.press("Enter")
    success = page.locator(SUCCESS, has_text="true count 3")
    success.wait_for()
    match = re.search(r"Model output (\S+) vs true count (\d+)", success.inner_text())
    assert match, success.inner_text()
    assert float(match.group(1)) == pytest.approx(3.0, abs=0.1)
    wait_idle(page)
    assert page.locator(ERROR).count() == 0
    assert_no_errors(dashboard)


def test_a_diverging_run_says_so_and_still_draws(dashboard):
    dashboard.open("?optimizer=sgd&learning_rate=0.001")
    page = dashboard.page
    # said once, in one place: the figure's notes (inside fullscreen too), why and what to try
    assert page.locator(ERROR).count() == 0
    said = page.locator(".lp-notes", has_text="Diverged at iteration")
    assert said.count() == 1 and "smaller learning rate" in said.inner_text()

    path = traces(page, "path")["path"]
    assert len(path["x"]) >= 2
    assert all(v is not None and math.isfinite(v) for v in path["x"] + path["y"])
    assert_no_errors(dashboard)


def test_a_malformed_link_opens_the_defaults_with_a_notice(dashboard):
    dashboard.open("?eta_p=banana&seq_len=-4")
    page = dashboard.page
    notices = alert_texts(page, WARNING)
    assert len(notices) == 2 and all(n.startswith("Link corrected") for n in notices), notices
    assert any("eta_p=“banana”" in n for n in notices) and any("seq_len=“-4”" in n for n in notices)

    assert slider_value(page, "eta_p") == pytest.approx(1.2)
    length = page.locator('[data-testid=stNumberInput] input[aria-label="sequence length"]')
    assert length.input_value() == "10"
    end = traces(page, "end")["end"]
    assert close((end["x"][0], end["y"][0]), TUTORIAL_END, 1e-4)
    assert_no_errors(dashboard)
