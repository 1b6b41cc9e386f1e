"""What the browser tests do with a hand and a file (issue 18): drag a stage knob or the start,
see what was painted, open the offline page with the network refused, and train the run the
browser kept in Python to compare."""

# --------------------------------------------------------------------------- the hand (issue 18)

PAINTED = """(panel) => {
  const canvas = document.querySelector(`.lp-${panel} canvas.lp-preview`);
  if (!canvas) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let k = 3; k < data.length; k += 4) if (data[k]) painted++;
  return painted;
}"""


def drag(page, knob, steps, direction):
    """Press the knob's thumb, move it steps times toward direction (+1 right, -1 left) across
    most of the room there, and return what was drawn before the release (the hand down)."""
    box = knob.bounding_box()
    value = float(knob.input_value())
    low, high = float(knob.get_attribute("min")), float(knob.get_attribute("max"))
    x = box["x"] + box["width"] * (value - low) / (high - low)
    y = box["y"] + box["height"] / 2
    room = box["x"] + box["width"] - x if direction > 0 else x - box["x"]
    dx = direction * max(room * 0.9, 30) / steps
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, steps + 1):
        page.mouse.move(x + k * dx, y)
        page.wait_for_timeout(16)  # one input event a screen refresh, as a hand makes them
    page.wait_for_timeout(50)
    during = page.evaluate(
        "(paint) => ({drawn: Number(document.querySelector('.lp-root').dataset.previewDrawn || 0),"
        " readout: document.querySelector('.lp-readout').textContent,"
        " previewing: document.querySelector('.lp-root').classList.contains('lp-previewing')})"
    )
    for panel in ("surface", "run"):
        during[panel] = page.evaluate(PAINTED, panel)
    page.mouse.up()
    return during


# How many of a canvas's pixels over the panel are painted in the colour (#rrggbb), near enough
# (antialiased edges blend it with what is beside it).
PAINTED_IN = """([panel, colour]) => {
  const canvas = document.querySelector(`.lp-${panel} canvas.lp-preview`);
  if (!canvas) return 0;
  const want = [1, 3, 5].map((k) => parseInt(colour.slice(k, k + 2), 16));
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let k = 0; k < data.length; k += 4) {
    if (data[k + 3] > 200 && want.every((v, j) => Math.abs(data[k + j] - v) < 24)) painted++;
  }
  return painted;
}"""


START = """() => {
  // the start point's place on screen, from the URL's start or the tutorial's (-1.5, 2)
  const gd = document.querySelector('.lp-surface .lp-plot');
  const full = gd._fullLayout, box = gd.getBoundingClientRect();
  const url = new URL(location.href).searchParams;
  const wx = Number(url.get('wx0') ?? -1.5), wr = Number(url.get('wrec0') ?? 2);
  return {x: box.left + full.xaxis._offset + full.xaxis.d2p(wx),
          y: box.top + full.yaxis._offset + full.yaxis.d2p(wr),
          range: full.xaxis.range};
}"""


def trained_end(settings):
    """The last iterate of the run rnnviz.run trains for the browser's settings (RunSettings
    as JSON) on the tutorial's data, as a list of two floats (compared bit for bit)."""
    import rnnviz
    from rnnviz.train import RunSettings

    hyper = {k: v for k, v in settings["hyperparameters"].items() if v is not None}
    run = rnnviz.run(
        *rnnviz.make_dataset(),
        RunSettings.of(
            settings["optimizer"],
            hyper,
            settings["clip_norm"],
            settings["w0"],
            settings["iterations"],
        ),
    )
    assert run.diverged_at is None, settings
    return run.weights[-1].tolist()


# --------------------------------------------------------------------------- offline


def open_offline(browser, saved, viewport=(1280, 720)):
    """(page, requests, errors): the saved file opened where nothing but it can be fetched;
    requests lists what it tried to fetch (all refused), errors its page errors."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    requests, errors = [], []

    def offline_only(route):
        if route.request.url == saved.as_uri():
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    context.route("**/*", offline_only)
    offline = context.new_page()
    offline.on("pageerror", lambda error: errors.append(str(error)))
    offline.on("console", lambda m: m.type == "error" and errors.append(m.text))
    offline.goto(saved.as_uri())
    offline.wait_for_function("() => document.querySelectorAll('.lp-plot .main-svg').length >= 3")
    offline.wait_for_function("() => document.querySelector('.lp-readout').textContent")
    return offline, requests, errors


def drag_start(page, steps=15, dx=4, dy=3, look=None):
    """Press the surface's start marker and move it steps times by (dx, dy) px, one move a
    screen refresh; returns how many runs were previewed before the release (the hand down),
    and with look (a JS function) what it returned then too."""
    start = page.evaluate(START)
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    for k in range(1, steps + 1):
        page.mouse.move(start["x"] + dx * k, start["y"] + dy * k)
        page.wait_for_timeout(16)
    drawn = page.evaluate("() => document.querySelector('.lp-root').dataset.previewDrawn")
    looked = page.evaluate(look) if look else None
    page.mouse.up()
    return (int(drawn or 0), looked) if look else int(drawn or 0)
