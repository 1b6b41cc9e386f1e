"""A stage knob dragged (issue 18): redraws a second while the hand moves, and the time from
each input event to its run drawn (static/preview.js records both on the plot's root).

The page itself moves eta_p one step every 16 ms (the knob's value set and an input event
dispatched, as a drag at the screen's refresh rate makes them): a mouse driven through
Playwright delivers one only every 30 ms or so here, which would measure the bench, not
the page."""

import statistics

# One input event every 16 ms on the eta_p knob, steps of them; each preview drawn noted with
# its input-to-drawn time, as the root's data says; resolves to {seconds, latencies}.
_DRAG_JS = """(steps) => new Promise((done) => {
  const root = document.querySelector('.lp-root');
  const knob = document.querySelector(".lp-knob input[aria-label='eta_p']");
  const latencies = [];
  new MutationObserver(() => latencies.push(Number(root.dataset.previewLatency)))
    .observe(root, {attributes: true, attributeFilter: ['data-preview-drawn']});
  const start = Number(knob.value);
  const began = performance.now();
  let k = 0;
  const move = () => {
    k += 1;
    knob.value = String(Math.round((start + 0.01 * k) * 100) / 100);
    knob.dispatchEvent(new Event('input', {bubbles: true}));
    if (k < steps) setTimeout(move, 16);
    else setTimeout(() => done({seconds: (performance.now() - began) / 1e3, latencies}), 50);
  };
  move();
})"""


def measure_knob_drag(browser, url, steps=60, script=_DRAG_JS):
    """(redraws a second, [input-to-drawn ms], input events a second) of one drag of eta_p
    (script: the page's own hand, _DRAG_JS or _START_JS)."""
    from tests.e2e.harness import wait_settled

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_function("() => document.querySelector('.lp-knob input')")
        wait_settled(page)
        result = page.evaluate(script, steps)
    finally:
        context.close()
    seconds, latencies = result["seconds"], result["latencies"]
    return len(latencies) / seconds, latencies, steps / seconds


# The start marker pressed and moved a few pixels every 16 ms, as pointer events dispatched by
# the page (static/start_drag.js reads them as a hand's); released where it is held. Resolves
# to {seconds, latencies} like _DRAG_JS.
_START_JS = """(steps) => new Promise((done) => {
  const root = document.querySelector('.lp-root');
  const gd = document.querySelector('.lp-surface .lp-plot');
  const area = gd.querySelector('.nsewdrag');
  const full = gd._fullLayout, box = gd.getBoundingClientRect();
  const x = box.left + full.xaxis._offset + full.xaxis.d2p(-1.5);
  const y = box.top + full.yaxis._offset + full.yaxis.d2p(2);
  const latencies = [];
  new MutationObserver(() => latencies.push(Number(root.dataset.previewLatency)))
    .observe(root, {attributes: true, attributeFilter: ['data-preview-drawn']});
  const pointer = (type, dx, dy) => area.dispatchEvent(new PointerEvent(type, {
    bubbles: true, cancelable: true, composed: true, pointerId: 1, pointerType: 'mouse',
    isPrimary: true, button: 0, buttons: type === 'pointerup' ? 0 : 1,
    clientX: x + dx, clientY: y + dy}));
  pointer('pointerdown', 0, 0);
  const began = performance.now();
  let k = 0;
  const move = () => {
    k += 1;
    pointer('pointermove', 3 * k, 2 * k);
    if (k < steps) setTimeout(move, 16);
    else setTimeout(() => {
      const seconds = (performance.now() - began) / 1e3;
      pointer('pointerup', 3 * k, 2 * k);
      done({seconds, latencies});
    }, 50);
  };
  move();
})"""


def measure_start_drag(browser, url, steps=60):
    """(redraws a second, [input-to-drawn ms], input events a second) of the start dragged."""
    return measure_knob_drag(browser, url, steps, script=_START_JS)


_WATCH_JS = """() => {
  const root = document.querySelector('.lp-root');
  window.__previews = [];
  new MutationObserver(() => window.__previews.push(Number(root.dataset.previewLatency)))
    .observe(root, {attributes: true, attributeFilter: ['data-preview-drawn']});
}"""


def measure_map_hover(browser, url, moves=40):
    """[pointer-to-drawn ms] of the pointer moved across the (eta_p, eta_n) map, a pixel or
    two every 16 ms: each preview's time from the pointer event to its run drawn."""
    from tests.e2e.harness import wait_settled

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(url)
        page.locator(".mp-eta .main-svg").first.wait_for(timeout=60_000)
        wait_settled(page)
        plot = page.locator(".mp-eta .mp-plot")
        plot.scroll_into_view_if_needed()
        area = plot.locator(".nsewdrag").bounding_box()
        page.evaluate(_WATCH_JS)
        x, y = area["x"] + area["width"] * 0.2, area["y"] + area["height"] * 0.5
        for k in range(moves):
            page.mouse.move(x + 1.5 * k, y + 0.5 * k)
            page.wait_for_timeout(16)
        page.wait_for_timeout(100)
        return page.evaluate("() => window.__previews")
    finally:
        context.close()


def rows(browser, base_url):
    """Rows (name, value, target, detail) for a drag at the defaults and at 2000 iterations."""
    from bench.browser import percentile

    out = []
    for label, query, target in (
        ("default", "", ">= 30"),
        ("iterations=2000", "&iterations=2000", ">= 20"),
    ):
        url = f"{base_url}/?present=1&story=rprop{query}"
        rate, latencies, inputs = measure_knob_drag(browser, url)
        median, p95 = statistics.median(latencies), percentile(latencies, 0.95)
        out.append(
            (
                f"stage knob dragged, {label}: runs redrawn a second",
                rate,
                target,
                f"{len(latencies)} redraws for {inputs:.0f} input events a second; input event "
                f"to the run drawn median {median:.1f} ms, p95 {p95:.1f} ms (static/preview.js)",
            )
        )
        if label == "default":
            out.append(
                (
                    "stage knob dragged: input event to the run drawn (ms, median)",
                    median,
                    "<= 25",
                    f"p95 {p95:.1f} ms (target <= 40); waits for the next screen refresh",
                )
            )
    rate, latencies, inputs = measure_start_drag(browser, f"{base_url}/?present=1&story=rprop")
    out.append(
        (
            "start marker dragged: runs redrawn a second",
            rate,
            ">= 30",
            f"{len(latencies)} redraws for {inputs:.0f} pointer moves a second; pointer move to "
            f"the run drawn median {statistics.median(latencies):.1f} ms (target <= 25), p95 "
            f"{percentile(latencies, 0.95):.1f} ms (target <= 40) (static/start_drag.js)",
        )
    )
    hover = measure_map_hover(browser, f"{base_url}/?maps=1")
    out.append(
        (
            "map hover: pointer to the previewed run drawn (ms, median)",
            statistics.median(hover),
            "<= 40",
            f"{len(hover)} previews over the (eta_p, eta_n) map at 500 iterations; p95 "
            f"{percentile(hover, 0.95):.1f} ms (static/map_hover.js, preview.js)",
        )
    )
    return out
