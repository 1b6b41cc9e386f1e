"""The dashboard in a real browser: page load, slider response and animation frame rate.

`python -m bench.browser` prints the rows; `make bench` adds them to RESULTS.md. Times are taken
inside the page (performance.now() in requestAnimationFrame loops), so Playwright's own
round trips do not count. This module also holds what the browser tests share with it: a
`streamlit run` server started and stopped by process id, Chromium's launch settings and the
scripts that read the plotly chart (tests/e2e/conftest.py imports them from here).
"""

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import pinned

ROOT = Path(__file__).resolve().parent.parent
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
_FIND = """
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
    + _FIND
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
    + _FIND
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

PATH_KEY_JS = "() => {" + _FIND + "return pathKey(); }"


def wait_drawn(page, timeout_s=30.0):
    """Wait until the chart is drawn (see DRAWN_JS); performance.now() then, in seconds."""
    handle = page.wait_for_function(DRAWN_JS, polling="raf", timeout=timeout_s * 1e3)
    return handle.json_value() / 1e3


def wait_idle(page, timeout_s=60.0):
    page.wait_for_selector(IDLE, state="attached", timeout=timeout_s * 1e3)


def traces(page, *names):
    """{name: {name, x, y, text}} of the chart's traces as drawn (names as in _FIND)."""
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
# the path first and the run chart 100-200 ms later).
_KEY_TO_VIEWS_JS = (
    "(timeoutMs) => {"
    + _FIND
    + """
  const costKey = () => {
    const t = findTrace('cost');
    return t && t.y ? Array.from(t.y).join(',') : null;
  };
  const before = [pathKey(), costKey()];
  window.__keyToViews = new Promise((resolve) => {
    let pressed = null;
    document.addEventListener('keydown', () => { pressed = performance.now(); },
                              {once: true, capture: true});
    const started = performance.now();
    const tick = () => {
      const now = [pathKey(), costKey()];
      if (pressed !== null && now.every((key, i) => key !== null && key !== before[i])) {
        resolve(performance.now() - pressed);
      } else if (performance.now() - started > timeoutMs) {
        resolve(null);
      } else {
        requestAnimationFrame(tick);
      }
    };
    requestAnimationFrame(tick);
  });
}"""
)

# Records the page's websocket traffic: the time of every message sent and, for every message
# received, its time and size (decompressed, as the page gets it).
WEBSOCKET_RECORDER = """(() => {
  const Native = window.WebSocket;
  window.__ws = { sent: [], received: [] };
  function Recorded(...args) {
    const socket = new Native(...args);
    const send = socket.send.bind(socket);
    socket.send = (data) => { window.__ws.sent.push(performance.now()); return send(data); };
    socket.addEventListener('message', (event) => {
      const data = event.data;
      const size = data.byteLength ?? data.size ?? data.length ?? 0;
      window.__ws.received.push([performance.now(), size]);
    });
    return socket;
  }
  Recorded.prototype = Native.prototype;
  Object.assign(Recorded, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Recorded;
})();"""

# Counts the animation frames shown (changes of the readout text seen by requestAnimationFrame)
# over durationMs, from the first change after it starts.
_FRAME_RATE_JS = (
    "() => {"
    + _FIND
    + """
  const readout = () => {
    const counter = document.querySelector('.lp-iteration');
    if (counter) return counter.textContent;
    const t = findTrace('readouts');  // the st.plotly_chart page
    return t ? String(t.text[1]) : null;
  };
  window.__frameRate = (durationMs) => new Promise((resolve) => {
    const first = readout();
    let start = null, last = first, changes = 0, ticks = 0;
    const waitUntil = performance.now() + 10000;
    const tick = (now) => {
      const text = readout();
      if (start === null) {
        if (text !== first) { start = now; last = text; }
        else if (now > waitUntil) { resolve(null); return; }
      } else {
        ticks += 1;
        if (text !== last) { changes += 1; last = text; }
        if (now - start >= durationMs) {
          resolve({changes, ticks, seconds: (now - start) / 1000, last: text});
          return;
        }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}"""
)


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def new_page(browser, viewport=(1920, 1080)):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.set_default_timeout(60_000)
    return context, context.new_page()


def measure_load(browser, url, loads=3):
    """Seconds from navigation start to the chart drawn, for a warm-up and `loads` fresh pages."""
    times = []
    for _ in range(loads + 1):
        context, page = new_page(browser)
        try:
            page.goto(url, wait_until="commit")
            times.append(wait_drawn(page, timeout_s=120))
            wait_idle(page)
        finally:
            context.close()
    return times[0], times[1:]


def open_settled(browser, url):
    """A fresh context and page on url, once the chart is drawn and the page is quiet."""
    context, page = new_page(browser)
    page.goto(url)
    wait_drawn(page, timeout_s=120)
    wait_settled(page)
    return context, page


class SliderMoves:
    """One page whose eta_p slider is moved by key presses, each move measured three ways.

    key_to_views: key press to every view showing the new run (s); received: bytes the page
    got over the websocket for that rerun; server: from the page's first message after the key
    to the last message of the rerun (s): the server's rerun with all its serialisation.
    """

    def __init__(self, browser, url):
        self.context, self.page = new_page(browser)
        self.page.add_init_script(WEBSOCKET_RECORDER)
        self.page.goto(url)
        wait_drawn(self.page, timeout_s=120)
        wait_settled(self.page)
        self.key_to_views, self.received, self.server = [], [], []

    def move(self):
        page = self.page
        thumb = slider_input(page, "eta_p")
        thumb.focus()
        page.evaluate(_KEY_TO_VIEWS_JS, 30_000)
        page.evaluate("() => { window.__ws.sent = []; window.__ws.received = []; }")
        pressed = page.evaluate("() => performance.now()")
        page.keyboard.press("ArrowRight")
        ms = page.evaluate("() => window.__keyToViews")
        if ms is None:
            raise RuntimeError("the views did not change within 30 s of a slider key press")
        wait_settled(page, quiet_s=0.3)
        sent, received = page.evaluate("() => [window.__ws.sent, window.__ws.received]")
        sent = [t for t in sent if t >= pressed]
        self.key_to_views.append(ms / 1e3)
        self.received.append(sum(size for _, size in received))
        if sent and received:
            self.server.append((received[-1][0] - sent[0]) / 1e3)
        return thumb.get_attribute("value")

    def close(self):
        self.context.close()


def measure_sliders(browser, urls, rounds=4, moves=5):
    """SliderMoves for each url, moved in alternating rounds so both see the same machine."""
    pages = {name: SliderMoves(browser, url) for name, url in urls.items()}
    try:
        for _ in range(rounds):
            for moves_on in pages.values():
                for _ in range(moves):
                    moves_on.move()
    finally:
        for moves_on in pages.values():
            moves_on.close()
    return pages


def measure_frame_rate(browser, url, seconds=3.0):
    """Animation frames shown per second while playing, and the details of the count."""
    context, page = open_settled(browser, url)
    try:
        page.evaluate(_FRAME_RATE_JS)
        button(page, "▶ play").click()
        result = page.evaluate("(ms) => window.__frameRate(ms)", seconds * 1e3)
        button(page, "❚❚ pause").click()
    finally:
        context.close()
    if result is None:
        raise RuntimeError("pressing play did not change the readout within 10 s")
    return result["changes"] / result["seconds"], result


def measure_protocol_reruns(url, moves=20):
    """Seconds of each eta_p move's rerun as the server sees it: a client speaking the page's
    websocket protocol, so no browser's main thread is in the time. Values the browser rounds
    did not visit, so every move computes a new run."""
    from bench.load import Client  # bench.load imports this module

    client = Client(url)
    try:
        return [client.move("eta_p", round(1.71 + 0.01 * i, 2)).seconds for i in range(moves)]
    finally:
        client.close()


def measure(base_url=None):
    """Rows (name, value, target, detail) like bench.core.measure, measured in Chromium."""
    from playwright.sync_api import sync_playwright

    if chromium_path() is None:
        raise RuntimeError(f"Chromium not found: {INSTALL_HINT}")
    server = None
    if base_url is None:
        server = Server(log_path=OUT / "browser-bench-streamlit.log").start()
        base_url = server.url
    base_url = base_url.rstrip("/")
    baseline = Server(
        log_path=OUT / "baseline-streamlit.log", app=ROOT / "bench" / "baseline_app.py"
    )
    old_tree = pinned.tree()
    old_page = Server(
        log_path=OUT / "plotly-chart-streamlit.log",
        app=old_tree / pinned.PLOTLY_CHART_APP,
        cwd=old_tree,
    )
    try:
        with sync_playwright() as playwright, baseline, old_page:
            browser = launch_chromium(playwright)
            try:
                _, floor_loads = measure_load(browser, baseline.url + "/")
                cold, loads = measure_load(browser, base_url + "/")
                _, old_loads = measure_load(browser, old_page.url + "/")
                sliders = measure_sliders(
                    browser, {"live": base_url + "/", "plotly_chart": old_page.url + "/"}
                )
                protocol = measure_protocol_reruns(base_url)
                rates = [
                    (label, target, *measure_frame_rate(browser, base_url + "/" + query))
                    for label, target, query in (
                        ("default", ">= 40", ""),
                        (
                            "iterations=2000,resolution=300",
                            ">= 30",
                            "?iterations=2000&resolution=300",
                        ),
                    )
                ]
            finally:
                browser.close()
    finally:
        if server is not None:
            server.stop()
    live, old = sliders["live"], sliders["plotly_chart"]
    median = statistics.median
    rows = [
        (
            "page open to every view drawn (s, median)",
            median(loads),
            None,
            f"{len(loads)} fresh pages: {', '.join(f'{t:.2f}' for t in loads)} s; "
            f"first page after server start {cold:.2f} s",
        ),
        (
            "page open to every view drawn / a one-chart Streamlit page (x)",
            median(loads) / median(floor_loads),
            "<= 1.3",
            f"the floor, bench/baseline_app.py: {median(floor_loads):.2f} s "
            "(Streamlit's own start-up in this browser)",
        ),
        (
            "page open to every view drawn / the st.plotly_chart page (x)",
            median(loads) / median(old_loads),
            None,
            f"the old page at {pinned.PLOTLY_CHART_REVISION[:7]} (bench/pinned.py), the same "
            f"widgets: {median(old_loads):.2f} s",
        ),
        (
            "slider key to every view showing the new run (s, median)",
            median(live.key_to_views),
            "<= 0.25",
            f"{len(live.key_to_views)} ArrowRight presses on eta_p; path and run chart both "
            f"changed; min {min(live.key_to_views):.3f} s, max {max(live.key_to_views):.3f} s, "
            f"p95 {percentile(live.key_to_views, 0.95):.3f} s",
        ),
        (
            "slider key to every view / the st.plotly_chart page (x)",
            median(live.key_to_views) / median(old.key_to_views),
            "<= 0.4",
            f"the old page at {pinned.PLOTLY_CHART_REVISION[:7]}, alternating rounds: median "
            f"{median(old.key_to_views):.3f} s",
        ),
        (
            "bytes received per rerun after an eta change (KB, median)",
            median(live.received) / 1e3,
            "<= 100",
            f"websocket messages as the page gets them (decompressed); the st.plotly_chart "
            f"page: {median(old.received) / 1e3:.0f} KB",
        ),
        (
            "server rerun after an eta change, from the websocket (ms, median)",
            median(live.server) * 1e3,
            "<= 50",
            f"page's first message after the key to the rerun's last message; p95 "
            f"{percentile(live.server, 0.95) * 1e3:.0f} ms; the st.plotly_chart page: "
            f"{median(old.server) * 1e3:.0f} ms",
        ),
        (
            "server rerun after an eta change, protocol client (ms, median)",
            median(protocol) * 1e3,
            None,
            f"{len(protocol)} eta_p moves sent as the page sends them (bench/load.py's client), "
            "timed from sending to the server's 'script finished': the server's part of the "
            f"row above, no browser; p95 {percentile(protocol, 0.95) * 1e3:.0f} ms",
        ),
    ]
    for label, target, fps, detail in rates:
        rows.append(
            (
                f"animation frame rate while playing, {label} (fps)",
                fps,
                target,
                f"{detail['changes']} frames in {detail['seconds']:.2f} s; "
                f"page painted {detail['ticks'] / detail['seconds']:.0f} times a second",
            )
        )
    return rows


if __name__ == "__main__":
    from bench.core import print_rows

    print_rows(measure(sys.argv[1] if len(sys.argv) > 1 else None))
