"""Hostile links in Chromium: nothing a URL holds may break the page or write into it."""

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from harness import slider_input

pytestmark = pytest.mark.e2e

EXCEPTION = "[data-testid=stException]"
NOTICES = "[data-testid=stAlert]"

# Markdown and HTML that a notice or an error message must show as text (issue 10).
PAYLOADS = [
    "x` [Session expired: log in again](https://evil.example/login) `",
    "x` ![](http://evil.example/pixel.png) `",
    "# Heading\n## Another",
    "<script>window.__pwned = 1</script>",
    "<img src=x onerror='window.__pwned = 1'>",
    "see https://evil.example/a and www.evil.example and <http://evil.example/b>",
    ":red[red] $x^2$ :material/home: [link][1]\n\n[1]: http://evil.example",
]
PARAMETERS = [
    *("eta_p", "seed", "optimizer", "probes", "view", "contours", "sequence"),
    *("racers", "maps", "map_colour", "tolerance"),
]


def watch_requests(page):
    """Every request the page makes to a host other than the test server's."""
    outside = []
    page.on(
        "request",
        lambda request: (
            urlsplit(request.url).hostname not in ("127.0.0.1", None)
            and not request.url.startswith(("data:", "blob:"))
            and outside.append(request.url)
        ),
    )
    return outside


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_and_html_in_every_parameter_stay_text(dashboard, payload):
    page = dashboard.page
    outside = watch_requests(page)
    dashboard.open("?" + "&".join(f"{key}={quote(payload)}" for key in PARAMETERS))
    assert page.locator(EXCEPTION).count() == 0
    alerts = page.locator(NOTICES)
    assert alerts.count() >= len(PARAMETERS) - 1  # the test box's error, and one per control
    for tag in ("a", "img", "h1", "h2", "h3", "h4", "h5", "h6", "script"):
        assert alerts.locator(tag).count() == 0, (tag, alerts.all_inner_texts())
    assert page.evaluate("() => window.__pwned") is None
    for text in alerts.all_inner_texts():
        assert len(text) < 300, text  # a notice quotes about 40 characters of a link
    assert outside == []
    assert dashboard.errors == []


def test_a_link_that_used_to_crash_the_page_opens_corrected(dashboard):
    page = dashboard.page
    dashboard.open(f"?seed=inf&n_samples=-1e309&seq_len={'9' * 400}&eta_p=5&eta_p=1.3&wrec0=50")
    assert page.locator(EXCEPTION).count() == 0
    notices = page.locator("[data-testid=stAlertContentWarning]").all_inner_texts()
    assert len(notices) == 5, notices
    query = parse_qs(urlsplit(page.url).query)
    # seed and n_samples fall back to their defaults (no parameter); the others are corrected
    # to the nearest valid value, and the URL holds exactly what the controls use.
    assert query == {"seq_len": ["200"], "eta_p": ["1.3"], "wrec0": ["3"]}, query
    assert float(slider_input(page, "eta_p").get_attribute("value")) == pytest.approx(1.3)
    assert float(slider_input(page, "w_rec start").get_attribute("value")) == pytest.approx(3)
    length = page.locator('[data-testid=stNumberInput] input[aria-label="sequence length"]')
    assert length.input_value() == "200"
    said = " ".join(notices)
    assert re.search(
        r"seq_len=“9+…” is outside \[1, 200\]; using the nearest valid value, 200", said
    )
    assert dashboard.errors == []


def test_a_typed_out_of_range_number_is_corrected_where_it_is_shown(dashboard):
    dashboard.open()
    page = dashboard.page
    box = page.locator('[data-testid=stNumberInput] input[aria-label="sequences"]')
    for typed, used, words in (("500", "200", "outside [1, 200]"), ("0", "20", "makes no sense")):
        box.fill(typed)
        box.press("Enter")
        page.wait_for_function(
            "(used) => document.querySelector("
            "'[data-testid=stNumberInput] input[aria-label=\"sequences\"]').value === used",
            arg=used,
        )
        notice = page.locator("[data-testid=stAlertContentWarning]", has_text="Corrected")
        notice.wait_for()
        assert words in notice.inner_text() and f"“{typed}”" in notice.inner_text()
    # the run uses what the box shows: the default data set again, the tutorial's end point
    page.wait_for_function("() => !/n_samples=/.test(location.search)")
    assert dashboard.errors == []
