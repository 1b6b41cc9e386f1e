"""A knob dragged on the stage (issue 18), in Chromium: the browser trains the run itself at
every input event and draws it over the plots; released, the server's run arrives and is the
very run drawn, bit for bit (static/preview.js compares every iterate's weights)."""

import pytest
from hand import PAINTED, PAINTED_IN, START, drag, drag_start
from harness import open_presenting, slider_input, wait_settled

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("story=rprop", "eta_p"),
        ("story=clipping", "learning rate"),
        ("story=exploding", "w_rec start"),
    ],
)
def test_a_dragged_knob_redraws_the_run_and_the_servers_run_is_the_one_drawn(
    browser, server, query, label
):
    context, page = open_presenting(browser, server, 1280, 720, query)
    try:
        knob = page.locator(f".lp-knob input[aria-label='{label}']")
        # toward the side with room: eta_p 1.2 of 1.01-2, learning rate 2e-3 the 23rd of 31
        # options, w_rec start 2 of -3 to 3
        during = drag(page, knob, steps=20, direction=1 if label == "eta_p" else -1)
        assert during["drawn"] >= 10, during  # the run redrawn while the hand moves
        assert during["previewing"] and during["surface"] > 0 and during["run"] > 0, during
        assert during["readout"].startswith("preview: "), during
        # released: the control takes the value on the server; its run is the one drawn
        page.wait_for_function(
            "() => document.querySelector('.lp-root').dataset.previewMatched !== undefined",
            timeout=30_000,
        )
        wait_settled(page)
        matched = page.evaluate("() => document.querySelector('.lp-root').dataset.previewMatched")
        differs = page.evaluate("() => document.querySelector('.lp-root').dataset.previewDiffers")
        assert matched == "true", differs
        assert not page.evaluate(
            "() => document.querySelector('.lp-root').classList.contains('lp-previewing')"
        )
        assert page.locator("canvas.lp-preview").count() == 0
        shown = page.locator(".lp-knob output").nth(
            page.evaluate(
                "(label) => [...document.querySelectorAll('.lp-knob input')]"
                ".findIndex((i) => i.getAttribute('aria-label') === label)",
                label,
            )
        )
        # the URL has the value the knob shows
        key = {"eta_p": "eta_p", "learning rate": "learning_rate", "w_rec start": "wrec0"}[label]
        page.wait_for_function(
            "([key, value]) => Number(new URL(location.href).searchParams.get(key)) === value",
            arg=[key, float(shown.inner_text())],
        )
        url = page.evaluate(f"() => new URL(location.href).searchParams.get('{key}')")
        if key == "eta_p":  # the sidebar's slider follows the release
            assert float(slider_input(page, "eta_p").get_attribute("value")) == float(url)
    finally:
        context.close()


def test_arrow_keys_on_a_stage_knob_are_live_and_the_last_value_is_the_run_kept(browser, server):
    """Each arrow key on a focused knob previews its run at once; keys pressed faster than the
    server answers keep the latest value's preview until its own run arrives, which is the run
    drawn, bit for bit (an earlier value's run arriving first does not take its place)."""
    context, page = open_presenting(browser, server, 1280, 720, "story=rprop")
    try:
        knob = page.locator(".lp-knob input[aria-label='eta_p']")
        knob.focus()
        for _ in range(4):
            knob.press("ArrowRight")
        assert float(knob.input_value()) == pytest.approx(1.24)  # four steps of 0.01
        page.wait_for_function(
            "() => Number(new URL(location.href).searchParams.get('eta_p')) === 1.24"
        )
        page.wait_for_function(
            "() => document.querySelector('.lp-root').dataset.previewMatched !== undefined"
        )
        wait_settled(page)
        root = page.evaluate("() => ({...document.querySelector('.lp-root').dataset})")
        assert int(root["previewDrawn"]) >= 1
        assert root["previewMatched"] == "true", root.get("previewDiffers")
        assert "eta_p=1.24" in page.url or "eta_p=1.24" in page.evaluate("() => location.href")
        assert page.locator("canvas.lp-preview").count() == 0
    finally:
        context.close()


def test_a_knob_let_go_where_it_started_leaves_the_run_on_screen(browser, server):
    """No new value, no request to the server: the preview goes and the run on screen stays
    (it was the same run)."""
    context, page = open_presenting(browser, server, 1280, 720, "story=rprop")
    try:
        knob = page.locator(".lp-knob input[aria-label='eta_p']")
        box = knob.bounding_box()
        thumb = 16  # Chromium's range thumb, whose centre runs from 8 px in to 8 px short
        x = box["x"] + thumb / 2 + (box["width"] - thumb) * (1.2 - 1.01) / (2 - 1.01)
        y = box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        assert knob.input_value() == "1.2"  # the thumb, held
        for dx in (6, 12, 18, 12, 6, 0):
            page.mouse.move(x + dx, y)
            page.wait_for_timeout(30)
        assert knob.input_value() == "1.2"
        assert page.evaluate("() => document.querySelector('.lp-root').dataset.previewDrawn")
        page.mouse.up()
        page.wait_for_function(
            "() => !document.querySelector('.lp-root').classList.contains('lp-previewing')"
        )
        assert page.evaluate("() => document.querySelector('.lp-root').dataset.previewMatched")
        assert page.evaluate("() => new URL(location.href).searchParams.get('eta_p')") is None
    finally:
        context.close()


@pytest.mark.parametrize("present", [True, False], ids=["presenter", "page"])
def test_the_start_dragged_on_the_surface_takes_the_run_with_it(browser, server, present):
    """A press on the start marker holds it (no zoom box, no click); the run follows the pointer;
    released, the URL has the new start and the server's run is the one drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/?{'present=1&' if present else ''}story=rprop")
        page.wait_for_function("() => document.querySelector('.lp-readout')?.textContent")
        wait_settled(page)
        page.locator(".lp-surface").scroll_into_view_if_needed()
        start = page.evaluate(START)
        assert drag_start(page) >= 10
        page.wait_for_function("() => new URL(location.href).searchParams.get('wx0') !== null")
        page.wait_for_function(
            "() => document.querySelector('.lp-root').dataset.previewMatched !== undefined"
        )
        wait_settled(page)
        root = page.evaluate("() => ({...document.querySelector('.lp-root').dataset})")
        assert root["previewMatched"] == "true", root.get("previewDiffers")
        query = page.evaluate("() => Object.fromEntries(new URL(location.href).searchParams)")
        assert float(query["wx0"]) > -1.5 and float(query["wrec0"]) < 2.0, query
        assert page.evaluate(START)["range"] == start["range"]  # no zoom box was drawn
    finally:
        context.close()


def test_a_racer_follows_the_start_dragged_and_is_the_servers_racer(browser, server):
    """The twin story: the racer runs from the main run's start, so a start dragged moves both
    runs under the hand (the racer in its own colour); released, both are the server's runs,
    bit for bit."""
    from rnnviz import palette

    context, page = open_presenting(browser, server, 1280, 720, "story=twin")
    try:
        racer, main = palette.RACER_STYLES[0][0], palette.CURRENT  # the preview: cyan
        drawn, painted = drag_start(
            page,
            look=f"() => [{PAINTED_IN}]"
            f".map((f) => [f(['surface', '{racer}']), f(['surface', '{main}'])])[0]",
        )
        assert drawn >= 10 and painted[0] > 50 and painted[1] > 50, (drawn, painted)
        page.wait_for_function(
            "() => document.querySelector('.lp-root').dataset.previewMatched !== undefined"
        )
        root = page.evaluate("() => ({...document.querySelector('.lp-root').dataset})")
        assert root["previewMatched"] == "true", root.get("previewDiffers")
        assert root["previewRuns"] == "2"  # the main run and its twin, each checked
    finally:
        context.close()


@pytest.mark.parametrize("name", ["eta", "basin"])
def test_the_pointer_over_a_map_previews_that_run_and_a_click_keeps_it(dashboard, name):
    """Over a cell of the (eta_p, eta_n) map or the start-point map, the cell's run is drawn
    on the surface; leaving the map takes it away; a click keeps it: the page's run is then
    the one drawn, bit for bit."""
    dashboard.open("?maps=1&iterations=100")
    page = dashboard.page
    gd = page.locator(f".mp-{name} .mp-plot")
    gd.locator(".main-svg").first.wait_for(timeout=30_000)
    wait_settled(page)
    area = gd.locator(".nsewdrag").bounding_box()

    def drawn():
        return int(
            page.evaluate("() => document.querySelector('.lp-root').dataset.previewDrawn || 0")
        )

    gd.scroll_into_view_if_needed()
    area = gd.locator(".nsewdrag").bounding_box()
    x, y = area["x"] + area["width"] * 0.3, area["y"] + area["height"] * 0.4
    for k in range(6):
        page.mouse.move(x + 6 * k, y)
        page.wait_for_timeout(40)
    assert drawn() >= 3
    assert page.evaluate(PAINTED, "surface") > 0
    page.mouse.move(1, 1)  # off the map: the run on screen is the page's again
    page.wait_for_function(
        "() => !document.querySelector('.lp-root').classList.contains('lp-previewing')"
    )
    page.mouse.move(x, y)
    page.wait_for_timeout(100)
    page.mouse.click(x, y)  # kept
    page.wait_for_function(
        "() => document.querySelector('.lp-root').dataset.previewMatched !== undefined"
        " && !document.querySelector('.lp-root').classList.contains('lp-previewing')",
        timeout=30_000,
    )
    wait_settled(page)
    root = page.evaluate("() => ({...document.querySelector('.lp-root').dataset})")
    query = page.evaluate("() => Object.fromEntries(new URL(location.href).searchParams)")
    assert root["previewMatched"] == "true", (root.get("previewDiffers"), query)
    keys = ("eta_p", "eta_n") if name == "eta" else ("wx0", "wrec0")
    assert all(key in query for key in keys), query
    assert dashboard.errors == []


def test_a_click_on_the_maps_current_cell_leaves_no_preview_behind(dashboard):
    """The cell of the settings on screen: its run is the page's already, so the server sends
    no new run; the preview still goes (it stayed, the plot faded beneath it, until some other
    run came)."""
    dashboard.open("?maps=1&iterations=100")
    page = dashboard.page
    gd = page.locator(".mp-eta .mp-plot")
    gd.locator(".main-svg").first.wait_for(timeout=30_000)
    wait_settled(page)
    gd.scroll_into_view_if_needed()
    # the current settings' cell: eta_p 1.2, eta_n 0.5 on the map's axes
    x, y = page.evaluate(
        """() => { const gd = document.querySelector('.mp-eta .mp-plot');
        const full = gd._fullLayout, box = gd.getBoundingClientRect();
        return [box.left + full.xaxis._offset + full.xaxis.d2p(1.2),
                box.top + full.yaxis._offset + full.yaxis.d2p(0.5)]; }"""
    )
    page.mouse.move(x, y)
    page.wait_for_function("() => document.querySelector('.lp-root.lp-previewing')")
    page.mouse.click(x, y)
    page.wait_for_function(
        "() => !document.querySelector('.lp-root').classList.contains('lp-previewing')",
        timeout=15_000,
    )
    root = page.evaluate("() => ({...document.querySelector('.lp-root').dataset})")
    assert root["previewMatched"] == "true", root.get("previewDiffers")
    assert page.locator("canvas.lp-preview").count() == 0
    assert dashboard.errors == []
