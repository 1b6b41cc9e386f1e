"""The dashboard in a real browser, as the tests drive it: a `streamlit run` server started and
stopped by process id, Chromium's launch settings, and the scripts that read the plot.

The browser tests (tests/e2e) use it, and so does the benchmark (bench/browser.py), which
measures the same page with the same server and browser.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
OUT = ROOT / "bench" / "out"

# The dashboard's surface plot (the persistent component), or the one chart of a plain
# st.plotly_chart page (bench/baseline_app.py, and the old page pinned by bench/pinned.py).
CHART = ".lp-surface .js-plotly-plot, [data-testid=stPlotlyChart] .js-plotly-plot"
PLOTS = ".lp-plot.js-plotly-plot, [data-testid=stPlotlyChart] .js-plotly-plot"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    # The machines have no internet: no update checks, sync or background fetches.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
INSTALL_HINT = "apt-get install chromium, or set CHROMIUM_PATH to a Chromium executable"


# --------------------------------------------------------------------------- server


def free_port():
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`streamlit run app.py` on a free local port, as a context manager.

    The output goes to log_path. start() returns once /_stcore/health answers "ok"; stop()
    terminates the process by its id, then kills it if it has not exited after a few seconds.
    """

    def __init__(self, log_path=None, port=None, app=APP, startup_timeout=60.0, cwd=ROOT):
        self.port = port or free_port()
        self.cwd = Path(cwd)  # where the app's own imports (rnnviz, links) are found
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path or OUT / f"streamlit-{self.port}.log")
        self.app = Path(app)
        self.startup_timeout = startup_timeout
        self.process = None
        self._log = None

    def command(self):
        return [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(self.app),
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={self.port}",
            "--browser.gatherUsageStats=false",
            # Edits to app.py while tests run must not reload the page under them.
            "--server.fileWatcherType=none",
        ]

    def start(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop())
        try:
            self.process = subprocess.Popen(
                self.command(),
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
            )
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self):
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with code {self.process.returncode} before it was "
                    f"ready:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise RuntimeError(
            f"streamlit did not answer {self.url}/_stcore/health within "
            f"{self.startup_timeout:.0f} s:\n{self.log_tail()}"
        )

    def log_tail(self, lines=30):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self):
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --------------------------------------------------------------------------- browser


def chromium_path():
    """The Chromium executable (env CHROMIUM_PATH, default Debian's), or None if missing."""
    return shutil.which(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def launch_chromium(playwright, **kwargs):
    """Headless Chromium from the system (Playwright's own browsers are not installed here)."""
    path = chromium_path()
    if path is None:
        raise RuntimeError(f"no Chromium at {os.environ.get('CHROMIUM_PATH', '/usr/bin/chromium')}")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, **kwargs)


# --------------------------------------------------------------------------- the chart

# Finds one trace of any of the page's plots by name: "path" is the optimiser's path, "abc*" a
# name prefix.
FIND_JS = """
const chart = () => document.querySelector('CHART');
const findTrace = (name) => {
  const named = (t) => name === 'path' ? / path$/.test(t.name || '')
    : name.endsWith('*') ? (t.name || '').startsWith(name.slice(0, -1)) : t.name === name;
  for (const el of document.querySelectorAll('PLOTS')) {
    const found = el._fullData && el._fullData.find(named);
    if (found) return found;
  }
  return null;
};
const pathKey = () => {
  const t = findTrace('path');
  return t && t.x ? Array.from(t.x).join(',') + ';' + Array.from(t.y).join(',') : null;
};
""".replace("CHART", CHART).replace("PLOTS", PLOTS)

# performance.now() once the page shows the chart: the SVG, the surface image with a size, the
# path with more than one point drawn; null until then.
DRAWN_JS = (
    "() => {"
    + FIND_JS
    + """
  const el = chart();
  if (!el || !el._fullLayout || !el.querySelector('.main-svg')) return null;
  const path = findTrace('path');
  const image = el.querySelector('.main-svg image');
  if (!path || !image) return null;
  const box = image.getBoundingClientRect();
  if (!(box.width > 0 && box.height > 0)) return null;
  if (document.querySelector('.lp-root')) {
    // The dashboard: every panel drawn and the first frame's readout and gradient shown (the
    // path may be a single point: in presenter mode it draws itself as it plays).
    if (document.querySelectorAll('.lp-plot .main-svg').length < 3) return null;
    const now = findTrace('|dE/dS<sub>k</sub>| now*');
    if (!now || !now.y || !now.y.some((v) => v !== null)) return null;
    if (!findTrace('cost') || !document.querySelector('.lp-readout').textContent) return null;
  } else {
    // A plain st.plotly_chart page: the path drawn as a line.
    if (!path.x || path.x.length < 2) return null;
    if (!el.querySelector('.scatterlayer .trace path.js-line')) return null;
  }
  return performance.now();
}"""
)

TRACES_JS = (
    "(names) => {"
    + FIND_JS
    + """
  const plain = (v) => v == null ? null : (typeof v === 'string' ? v : Array.from(v));
  const out = {};
  for (const name of names) {
    const t = findTrace(name);
    out[name] = t && {name: t.name, x: plain(t.x), y: plain(t.y), text: plain(t.text)};
  }
  return out;
}"""
)

PATH_KEY_JS = "() => {" + FIND_JS + "return pathKey(); }"


def wait_drawn(page, timeout_s=30.0):
    """Wait until the chart is drawn (see DRAWN_JS); performance.now() then, in seconds."""
    handle = page.wait_for_function(DRAWN_JS, polling="raf", timeout=timeout_s * 1e3)
    return handle.json_value() / 1e3


def wait_idle(page, timeout_s=60.0):
    page.wait_for_selector(IDLE, state="attached", timeout=timeout_s * 1e3)


def traces(page, *names):
    """{name: {name, x, y, text}} of the chart's traces as drawn (names as in FIND_JS)."""
    return page.evaluate(TRACES_JS, list(names))


def path_key(page):
    return page.evaluate(PATH_KEY_JS)


def wait_settled(page, quiet_s=0.5, timeout_s=60.0):
    """Wait until the script is idle and the drawn path has not changed for quiet_s."""
    deadline = time.monotonic() + timeout_s
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        wait_idle(page, timeout_s=max(deadline - time.monotonic(), 0.1))
        key = path_key(page)
        now = time.monotonic()
        if key != last:
            last, since = key, now
        elif key is not None and now - since >= quiet_s:
            return key
        time.sleep(0.1)
    raise TimeoutError(f"the page did not settle within {timeout_s:.0f} s")


def slider_input(page, label_start):
    """The keyboard-focusable input of the sidebar slider whose label starts with label_start.

    Streamlit 1.67 draws sliders with react-aria: the thumb holds a visually hidden
    input[type=range] (role slider) carrying the value, min, max and step.
    """
    return page.locator(f'[data-testid=stSlider] input[type=range][aria-label^="{label_start}"]')


def button(page, label):
    """One of the plot's buttons (play/pause, steps, fullscreen), by its text."""
    return page.locator(".lp-bar button", has_text=label)


def iteration_shown(page):
    """The iteration the plot shows now, from its counter "i / last"."""
    return int(page.locator(".lp-iteration").inner_text().split("/")[0])


# --------------------------------------------------------------------------- measurements

# Resolves to the ms from the next key press to the first animation frame on which every view
# shows the new run: the path on the surface and the cost in the run chart (the old page drew


def new_page(browser, viewport=(1920, 1080)):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.set_default_timeout(60_000)
    return context, context.new_page()


def open_at(browser, server, width, height, query=""):
    """(context, page): the dashboard at width x height (query: "key=value&..."), its three
    plots and readout drawn and the page settled."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{server.url}/?{query}")
    page.wait_for_function("() => document.querySelectorAll('.lp-plot .main-svg').length >= 3")
    page.wait_for_function("() => document.querySelector('.lp-readout')?.textContent")
    wait_settled(page)
    return context, page


def open_presenting(browser, server, width, height, query="story=rprop"):
    """(context, page): the dashboard in presenter mode at width x height, the stage's knobs
    drawn and the page settled."""
    context, page = open_at(browser, server, width, height, f"present=1&{query}")
    page.wait_for_function("() => document.querySelector('.lp-knob input')")
    return context, page
