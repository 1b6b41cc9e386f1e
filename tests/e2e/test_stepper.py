"""static/stepper.js in Chromium against rnnviz.train, the authority: every iterate of about
two thousand random runs (every optimiser and Rprop variant, clipped and not, diverging at all
sorts of iterations or at the start) the same to the last bit (issue 18)."""

import base64
import functools
import http.server
import threading

import numpy as np
import pytest
from harness import ROOT

import rnnviz
from rnnviz.model import browser_objective
from rnnviz.train import RunSettings, _divergence_reason

pytestmark = pytest.mark.e2e

# name: (n_samples, seq_len, seed) of rnnviz.make_dataset, and how many random runs on it
DATA = {
    "tutorial": ((20, 10, 1), 1000),
    "one step": ((20, 1, 1), 250),
    "few": ((3, 10, 5), 300),
    "one sample": ((1, 10, 2), 150),
    "long": ((20, 200, 3), 250),
    "largest": ((200, 200, 1), 50),
}
VARIANTS = ("tutorial", "rprop+", "rprop-", "irprop+", "irprop-")
KINDS = [*(("rprop", v) for v in VARIANTS), "sgd", "momentum", "rmsprop", "adam"]

# Runs every run asked for and hands back its Trajectory's arrays as base64 of their bytes
# (exact, -0.0 and all), the divergence row as a list (Playwright carries inf and NaN).
RUN_ALL_JS = """
async ({objectives, runs}) => {
  const { train } = await import("/stepper.js");
  const b64 = (array) => {
    if (array === null) return null;
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  };
  const started = performance.now();
  const out = runs.map(({ data, settings }) => {
    const run = train(objectives[data], settings);
    const d = run.divergence;
    return {
      weights: b64(run.weights), costs: b64(run.costs), gradients: b64(run.gradients),
      step_sizes: b64(run.step_sizes), sign_flips: b64(run.sign_flips),
      diverged_at: run.diverged_at,
      divergence: d && [d.weights, d.cost, d.gradient],
    };
  });
  return { out, ms: performance.now() - started };
}
"""


@pytest.fixture(scope="module")
def stepper_page(browser):
    """A page whose origin serves static/ (so import("/stepper.js") works), by a local thread."""
    handler = functools.partial(_QuietHandler, directory=str(ROOT / "static"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/stepper.js")
        yield page
    finally:
        context.close()
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def log_uniform(rng, lo, hi):
    return float(10 ** rng.uniform(lo, hi))


def in_0_1(rng):
    """A number in the open interval (0, 1)."""
    return float(1.0 - rng.uniform(0.0, 1.0)) if rng.random() > 0.02 else 0.999999


def hyperparameters(rng, kind):
    """optim.py's arguments for kind: a name, or ("rprop", variant)."""
    if isinstance(kind, tuple):
        hyper = {"variant": kind[1], "eta_p": float(2.0 - rng.uniform(0.0, 1.0))}
        hyper |= {"eta_n": in_0_1(rng), "delta0": log_uniform(rng, -4, 0)}
        if rng.random() < 0.5:
            hyper["delta_min"] = 0.0 if rng.random() < 0.3 else log_uniform(rng, -8, -3)
        if rng.random() < 0.5:
            hyper["delta_max"] = float("inf") if rng.random() < 0.2 else log_uniform(rng, 0, 3)
        return hyper
    if kind == "sgd":
        return {"learning_rate": log_uniform(rng, -8, -1)}
    if kind == "momentum":
        return {"learning_rate": log_uniform(rng, -9, -2), "beta": float(rng.uniform(0, 1))}
    hyper = {"learning_rate": log_uniform(rng, -4, 1.5), "eps": log_uniform(rng, -10, -4)}
    if kind == "rmsprop":
        return hyper | {"decay": in_0_1(rng)}
    b2 = float(rng.uniform(0, 1)) if rng.random() < 0.3 else 0.999
    return hyper | {"b1": float(rng.uniform(0, 1)), "b2": b2}


def random_settings(rng, T):
    """RunSettings across every optimiser: hyper-parameters spanning runs that converge, stall
    and diverge at every sort of iteration; clipped or not; some starts already overflowing."""
    kind = KINDS[rng.integers(len(KINDS))]
    name = kind[0] if isinstance(kind, tuple) else kind
    clip = None if rng.random() < 0.5 else log_uniform(rng, -2, 3)
    w0 = rng.uniform(-3.0, 3.0, size=2)
    if rng.random() < 0.05:  # a start on a wall where the cost already overflows
        if T == 1:
            w0[0] = rng.choice([-1, 1]) * log_uniform(rng, 155, 300)
        else:
            far = log_uniform(rng, 18, 40) if T < 100 else rng.uniform(6, 50)
            w0[1] = rng.choice([-1, 1]) * far
    iterations = 2000 if rng.random() < 0.03 else int(rng.integers(0, 501))
    return RunSettings.of(name, hyperparameters(rng, kind), clip, tuple(w0), iterations)


def as_json(settings):
    return settings.as_json()


def decoded(text, dtype, width):
    if text is None:
        return None
    array = np.frombuffer(base64.b64decode(text), dtype=dtype)
    return array.reshape(-1, width) if width else array


def first_difference(expected, got):
    """None if got (the browser's arrays) is expected (a Trajectory) to the last bit, else where
    they part: (field, row, expected row, got row)."""
    if expected.diverged_at != got["diverged_at"]:
        return ("diverged_at", None, expected.diverged_at, got["diverged_at"])
    fields = [
        ("weights", expected.weights, decoded(got["weights"], "<f8", 2)),
        ("costs", expected.costs, decoded(got["costs"], "<f8", 0)),
        ("gradients", expected.gradients, decoded(got["gradients"], "<f8", 2)),
        ("step_sizes", expected.step_sizes, decoded(got["step_sizes"], "<f8", 2)),
        ("sign_flips", expected.sign_flips, decoded(got["sign_flips"], "u1", 2)),
    ]
    for name, want, have in fields:
        if want is None or have is None:
            if want is not have:
                return (name, None, want, have)
            continue
        want = want.astype(np.uint8) if want.dtype == bool else want
        if want.shape != have.shape:
            return (name, "shape", want.shape, have.shape)
        same = _bytes_by_row(want) == _bytes_by_row(have)
        if not same.all():
            row = int(np.argmin(same.all(axis=1)))
            return (name, row, want[row].tolist(), have[row].tolist())
    if expected.diverged_at is not None:  # the reason Python words from the browser's row
        w, E, g = got["divergence"]  # JSON's whole numbers come back as ints
        w, E, g = np.array(w, float), float(E), np.array(g, float)
        said = _divergence_reason(expected.diverged_at, w, E, g)
        if said != expected.divergence_reason:
            return ("divergence", expected.diverged_at, expected.divergence_reason, said)
    return None


def _bytes_by_row(array):
    width = array.itemsize * int(np.prod(array.shape[1:]))
    return np.ascontiguousarray(array).view(np.uint8).reshape(len(array), width)


def run_in_browser(page, objectives, runs):
    """[{data, settings}] run by stepper.js in one evaluate: (results, milliseconds in JS)."""
    answer = page.evaluate(
        RUN_ALL_JS,
        {"objectives": objectives, "runs": [{"data": d, "settings": as_json(s)} for d, s in runs]},
    )
    return answer["out"], answer["ms"]


def test_the_browser_takes_every_step_the_python_run_takes(stepper_page):
    rng = np.random.default_rng(18)
    data = {name: rnnviz.make_dataset(*shape) for name, (shape, _) in DATA.items()}
    objectives = {name: browser_objective(*Xt) for name, Xt in data.items()}
    runs = [
        (name, random_settings(rng, shape[1]))
        for name, (shape, count) in DATA.items()
        for _ in range(count)
    ]
    # the lecture's stories: thrown off the wall at 3, Rprop's eta values diverging at 289
    runs += [
        ("tutorial", RunSettings.of("sgd", {"learning_rate": 1e-6})),
        ("tutorial", RunSettings.of("sgd", {"learning_rate": 1e-6}, clip_norm=10.0)),
        ("tutorial", RunSettings.of("rprop", {"eta_p": 2.0, "eta_n": 0.99})),
        ("tutorial", RunSettings.of("rprop", {"eta_p": 1.2, "eta_n": 0.5}, iterations=2000)),
    ]
    got, ms = run_in_browser(stepper_page, objectives, runs)
    diverged = set()
    for (name, settings), browser_run in zip(runs, got, strict=True):
        expected = rnnviz.run(*data[name], settings)
        where = first_difference(expected, browser_run)
        assert where is None, f"{name} {settings}: first difference {where}"
        if expected.diverged_at is not None:
            diverged.add(expected.diverged_at)
    # the runs tried what they were for: divergence at the start and at many other iterations
    assert 0 in diverged and len(diverged) > 20, sorted(diverged)
    print(f"{len(runs)} runs compared bit for bit; stepper.js took {ms / 1e3:.1f} s")


def test_the_comparison_sees_one_ulp(stepper_page):
    """Nothing here is approximate: one ulp in a weight, or in one target, is a difference."""
    X, t = rnnviz.make_dataset()
    settings = RunSettings.of("rprop", {"variant": "irprop+"}, iterations=50)
    expected = rnnviz.run(X, t, settings)
    nudged_t = t.copy()
    nudged_t[0] = np.nextafter(t[0], np.inf)
    objectives = {"data": browser_objective(X, t), "nudged": browser_objective(X, nudged_t)}
    (same, nudged), _ = run_in_browser(
        stepper_page, objectives, [("data", settings), ("nudged", settings)]
    )
    assert first_difference(expected, same) is None
    assert first_difference(expected, nudged) is not None  # the costs move in their last bits
    assert first_difference(rnnviz.run(X, nudged_t, settings), nudged) is None
    weights = expected.weights.copy()
    weights[7, 1] = np.nextafter(weights[7, 1], np.inf)
    one_ulp_off = expected._replace(weights=weights)
    assert first_difference(one_ulp_off, same)[:2] == ("weights", 7)


def test_signs_of_zero_are_numpys(stepper_page):
    """On data of zeros every gradient is +-0: np.sign(-0.0) is +0.0 (JavaScript's Math.sign
    gives -0), so a weight at -0.0 stays -0.0 only if the browser's sign is numpy's."""
    X, t = np.zeros((3, 4)), np.zeros(3)
    kinds = [*(("rprop", {"variant": v}) for v in VARIANTS), *((k, {}) for k in KINDS[5:])]
    runs = [
        ("zeros", RunSettings.of(name, hyper, clip, w0, iterations=5))
        for name, hyper in kinds
        for clip in (None, 1.0)
        for w0 in ((-0.0, -0.0), (-0.0, 0.5), (0.0, -0.0))
    ]
    got, _ = run_in_browser(stepper_page, {"zeros": browser_objective(X, t)}, runs)
    for (_, settings), browser_run in zip(runs, got, strict=True):
        where = first_difference(rnnviz.run(X, t, settings), browser_run)
        assert where is None, f"{settings}: first difference {where}"
