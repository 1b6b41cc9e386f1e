"""Exports in Chromium: the run's JSON downloads, and loads back into the page (issue 11)."""

import json

import pytest

from bench.browser import slider_input, wait_settled

pytestmark = pytest.mark.e2e


def test_a_downloaded_run_loads_back_with_its_settings_and_the_same_run(dashboard, tmp_path):
    dashboard.open("?eta_p=1.5&eta_n=0.3&iterations=200")
    page = dashboard.page
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the run (JSON, loads back)").click()
    path = tmp_path / "run.json"
    download.value.save_as(path)
    document = json.loads(path.read_text())
    assert document["controls"]["eta_p"] == 1.5 and len(document["run"]["weights"]) == 201
    assert download.value.suggested_filename.endswith(".json")
    # another run on screen, then the file: its settings come back
    dashboard.open("?eta_p=1.9")
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(path))
    page.get_by_text("to the last bit, all 201 iterates").wait_for(timeout=30_000)
    wait_settled(page)
    search = page.evaluate("location.search")
    assert "eta_p=1.5" in search and "eta_n=0.3" in search and "iterations=200" in search
    assert slider_input(page, "eta_p").input_value() == "1.5"
    assert dashboard.errors == []


def test_a_file_that_is_not_a_run_is_explained(dashboard, tmp_path):
    dashboard.open()
    page = dashboard.page
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": "world"}')
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(bad))
    page.get_by_text("not a run saved by rnnviz").wait_for(timeout=30_000)
    alerts = " ".join(page.locator("[data-testid=stAlert]").all_inner_texts())
    assert "Can't load notes.json" in alerts
    assert dashboard.errors == []
