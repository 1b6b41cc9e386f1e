"""The offline page as a lecture with no server (issue 18), in Chromium with every request but
the file refused: the stage's knob dragged redraws the run as the browser trains it, released
it stays as the run shown (the run Python trains for those settings, to the last bit), the
start dragged on the surface too, and the stories switch by key with the data a story needs."""

import json
import time

import numpy as np
import pytest
from hand import drag, drag_start, open_offline, trained_end
from PIL import Image, ImageColor

from rnnviz import palette

pytestmark = pytest.mark.e2e

ROOT_DATA = "() => ({...document.querySelector('.lp-root').dataset})"


def test_the_offline_lecture_trains_and_keeps_its_runs_with_no_server(dashboard, browser, tmp_path):
    dashboard.open()
    page = dashboard.page
    with page.expect_download() as download:
        page.get_by_role("button", name="HTML page (works offline)").click()
    saved = tmp_path / "lecture.html"
    download.value.save_as(saved)
    offline, refused, errors = open_offline(browser, saved, (1280, 800))
    time.sleep(0.5)  # the first draw's redraw for its fitted size
    try:
        assert "need the server" in offline.locator("p.offline").inner_text()
        cyan_before = cyan_in_picture(offline)
        # a knob dragged: the run redrawn under the hand; released, kept as the run shown
        knob = offline.locator(".lp-knob input[aria-label='eta_p']")
        during = drag(offline, knob, 20, +1)
        assert during["drawn"] >= 10 and during["surface"] > 0, during
        offline.wait_for_function("() => document.querySelector('.lp-root.lp-kept')")
        kept = offline.evaluate(ROOT_DATA)
        settings = json.loads(kept["keptSettings"])
        eta_p = settings["hyperparameters"]["eta_p"]
        assert eta_p > 1.2 and eta_p == float(knob.input_value())
        assert json.loads(kept["keptEnd"]) == trained_end(settings)  # bit for bit
        assert "Trained in this page" in offline.locator(".lp-notes").inner_text()
        # a picture of the frame shows the kept run (drawn by the page over the plots): far
        # more of the preview's cyan than the picture before it (its start marker's alone)
        assert cyan_in_picture(offline) > cyan_before + 500, cyan_before
        # the player plays the kept run to its own end (the keys are the plot's again once
        # the focus leaves the knob, whose own they are while it has it)
        offline.locator(".lp-root").focus()
        offline.keyboard.press("End")
        last = settings["iterations"]  # (this run does not diverge: trained_end says so)
        offline.wait_for_function(
            "(text) => document.querySelector('.lp-iteration').textContent === text",
            arg=f"{last} / {last}",
        )
        assert offline.locator(".lp-readout").inner_text().startswith(f"iteration {last} of")
        # the next knob moves from the kept run's settings: eta_n joins the eta_p kept
        during = drag(offline, offline.locator(".lp-knob input[aria-label='eta_n']"), 12, -1)
        offline.wait_for_function(
            "(before) => document.querySelector('.lp-root').dataset.keptSettings !== before",
            arg=kept["keptSettings"],
        )
        both = json.loads(offline.evaluate(ROOT_DATA)["keptSettings"])
        assert both["hyperparameters"]["eta_p"] == eta_p
        assert both["hyperparameters"]["eta_n"] < 0.5
        assert json.loads(offline.evaluate(ROOT_DATA)["keptEnd"]) == trained_end(both)

        # a story by key: its title, caption and run, as the page drew it; the kept run goes
        offline.locator(".lp-root").focus()
        offline.keyboard.press("3")
        offline.wait_for_function(
            "() => document.querySelector('h1').textContent === 'rnnviz: Clipping saves it'"
        )
        offline.wait_for_function("() => !document.querySelector('.lp-root.lp-kept')")
        assert offline.locator(".lp-iteration").inner_text().endswith("/ 500")  # its own run
        assert "clipped" in offline.locator("p.caption").inner_text()
        assert offline.locator(".lp-knob input[aria-label='learning rate']").count() == 1

        # the start dragged on the surface: the run follows, and stays where it is dropped
        offline.locator(".lp-root").focus()
        offline.keyboard.press("1")
        offline.wait_for_function(
            "() => document.querySelector('h1').textContent.includes('Rprop walks')"
        )
        time.sleep(0.3)
        assert drag_start(offline) >= 10
        offline.wait_for_function("() => document.querySelector('.lp-root.lp-kept')")
        dropped = json.loads(offline.evaluate(ROOT_DATA)["keptSettings"])
        assert dropped["w0"][0] > -1.5 and dropped["w0"][1] < 2.0
        assert dropped["w0"] == [round(v, 2) for v in dropped["w0"]]  # kept as a click keeps it
        assert json.loads(offline.evaluate(ROOT_DATA)["keptEnd"]) == trained_end(dropped)

        # the long story's sequence length needs the server: its knob says so and cannot move
        offline.locator(".lp-root").focus()
        offline.keyboard.press("6")
        offline.wait_for_function(
            "() => document.querySelector('.lp-knob input[aria-label=\"sequence length\"]')"
        )
        length = offline.locator(".lp-knob input[aria-label='sequence length']")
        assert length.is_disabled()
        label = offline.locator(".lp-knob", has=offline.locator("[aria-label='sequence length']"))
        assert "needs the server" in label.get_attribute("title")
        # the arrows go round the lecture: the run as saved, then the stories
        offline.locator(".lp-story-step[data-step='1']").click()
        offline.wait_for_function(
            "() => document.querySelector('h1').textContent.includes('matter')"
        )
        assert refused == [] and errors == []
    finally:
        offline.context.close()
    assert dashboard.errors == []


def cyan_in_picture(page):
    """How many pixels of the frame's PNG (the ⋯ menu's) are the preview's cyan, near enough."""
    page.locator(".lp-more summary").click()
    with page.expect_download() as picture:
        page.locator(".lp-png").click()
    image = Image.open(picture.value.path()).convert("RGB")
    pixels = np.asarray(image, dtype=int)
    cyan = np.array(ImageColor.getrgb(palette.CURRENT))
    return int(np.sum(np.all(np.abs(pixels - cyan) < 24, axis=-1)))
