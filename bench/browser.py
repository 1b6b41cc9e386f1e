"""The dashboard in a real browser: page load, slider response and animation frame rate.

`python -m bench.browser` prints the rows; `make bench` adds them to RESULTS.md. Times are taken
inside the page (performance.now() in requestAnimationFrame loops), so Playwright's own
round trips do not count. The server, the browser and the scripts that read the plot are the
browser tests' own (tests/e2e/harness.py): the benchmark measures the page they test.
"""

import statistics
import sys

from bench import drag, pinned
from tests.e2e.harness import (
    FIND_JS,
    INSTALL_HINT,
    OUT,
    ROOT,
    Server,
    button,
    chromium_path,
    launch_chromium,
    new_page,
    slider_input,
    wait_drawn,
    wait_idle,
    wait_settled,
)

# Resolves to the ms from the next key press to the first animation frame on which every view
# shows the new run: the path on the surface and the cost in the run chart (the old page drew
# the path first and the run chart 100-200 ms later).
_KEY_TO_VIEWS_JS = (
    "(timeoutMs) => {"
    + FIND_JS
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
    + FIND_JS
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
    from bench.load import Client  # bench.load imports this module (percentile)

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
                dragged = drag.rows(browser, base_url)
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
    rows += dragged
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
