"""Browser tests: one `streamlit run` server for the session, a fresh Chromium context per test.

Chromium comes from the system (env CHROMIUM_PATH, default /usr/bin/chromium); without it the
tests are skipped, except under CI=true, where a missing browser is a failure. A failing test
leaves a screenshot and a copy of the server log in test-artifacts/, named after the test.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from harness import (
    INSTALL_HINT,
    ROOT,
    Server,
    chromium_path,
    launch_chromium,
    new_page,
    wait_drawn,
    wait_settled,
)
from playwright.sync_api import sync_playwright

ARTIFACTS = ROOT / "test-artifacts"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, for the dashboard fixture's finaliser."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _in_ci():
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@pytest.fixture(scope="session")
def browser():
    if chromium_path() is None:
        where = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
        message = f"no Chromium at {where} for the browser tests: {INSTALL_HINT}"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def server(browser, tmp_path_factory):
    """The dashboard served by `streamlit run app.py`, stopped by process id at the end."""
    with Server(log_path=tmp_path_factory.mktemp("streamlit") / "server.log") as running:
        yield running


class Dashboard:
    """One browser tab on the dashboard, and the uncaught script errors it has seen."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.page_errors = []
        self.console_errors = []
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )

    @property
    def errors(self):
        """Uncaught errors in the page and errors logged to its console, of any kind.

        The plot catches plotly.js's rejection of an interrupted animation itself (issue 7), so
        nothing is tolerated here.
        """
        return self.page_errors + self.console_errors

    def open(self, query="", draw_timeout_s=30.0):
        """Open the page (query: "?key=value&..."), wait for the chart and an idle script.

        Returns the seconds from navigation start to the chart drawn, as the page measures.
        """
        self.page.goto(f"{self.base_url}/{query}", wait_until="commit")
        drawn = wait_drawn(self.page, timeout_s=draw_timeout_s)
        wait_settled(self.page)
        return drawn


@pytest.fixture
def dashboard(browser, server, request):
    """A Dashboard in a new browser context, so no state leaks between tests."""
    context, page = new_page(browser)
    yield Dashboard(page, server.url)
    try:
        reports = (getattr(request.node, f"report_{when}", None) for when in ("setup", "call"))
        if any(report is not None and report.failed for report in reports):
            _save_artifacts(request.node, page, server)
    finally:
        context.close()


def _save_artifacts(item, page, server):
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1]).strip("_")
    try:
        page.screenshot(path=ARTIFACTS / f"{stem}.png", full_page=True)
    except Exception as error:  # a crashed page must not hide the test's own failure
        (ARTIFACTS / f"{stem}.screenshot-error.txt").write_text(f"{error}\n")
    if Path(server.log_path).exists():
        shutil.copyfile(server.log_path, ARTIFACTS / f"{stem}.server.log")
