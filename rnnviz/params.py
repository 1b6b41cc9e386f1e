"""Every dashboard control as data: its URL key, kind, default and allowed values.

The page (app.py) draws widgets from these specs; this module also checks a URL's query
parameters, so a shared link that asks for something impossible is corrected to the nearest
valid value, and a malformed one falls back to the default, each with a sentence saying so.
"""

import math
from typing import NamedTuple

from rnnviz.optim import OPTIMIZERS, RPROP_VARIANTS


class Spec(NamedTuple):
    """One control: a float or int range (optionally log-spaced options) or a set of choices."""

    kind: str  # "float", "int", "choice", "log" (a value from `options`, nearest wins)
    default: object
    lo: float = -math.inf
    hi: float = math.inf
    options: tuple = ()
    label: str = ""
    meaningless_below: float = -math.inf  # a value below this is malformed (a negative length)


def log_options(lo_exp, hi_exp):
    """1, 2, 5 steps per decade from 10^lo_exp to 10^hi_exp."""
    values = [m * 10.0**e for e in range(lo_exp, hi_exp + 1) for m in (1, 2, 5)]
    return tuple(float(f"{v:.0e}") for v in values if v <= 10.0**hi_exp)


VIEWS = ("overview", "zoom", "custom")
VIEW_RANGES = {"overview": (-3.0, 3.0, -3.0, 3.0), "zoom": (-0.1, 2.1, -0.1, 2.1)}
OPTIMIZER_NAMES = tuple(OPTIMIZERS)
PROBES = {
    "(2, 1)": (2.0, 1.0),
    "(1, 2)": (1.0, 2.0),
    "(1, -2)": (1.0, -2.0),
    "(1, 0)": (1.0, 0.0),
    "(1, 0.5)": (1.0, 0.5),
    "(1, -0.5)": (1.0, -0.5),
}
CLIP_OFF = 0.0

SPECS = {
    "optimizer": Spec("choice", "rprop", options=OPTIMIZER_NAMES, label="optimiser"),
    "eta_p": Spec("float", 1.2, 1.01, 2.0, label="eta_p (grow the step)"),
    "eta_n": Spec("float", 0.5, 0.01, 0.99, label="eta_n (shrink the step)"),
    "delta0": Spec("log", 1e-3, 1e-5, 1.0, options=log_options(-5, 0), label="delta0"),
    "variant": Spec("choice", "tutorial", options=RPROP_VARIANTS),
    "learning_rate": Spec("log", 1e-6, 1e-8, 1.0, options=log_options(-8, 0)),
    "clip": Spec("log", CLIP_OFF, 0.0, 100.0, options=(CLIP_OFF, *log_options(-2, 2))),
    "iterations": Spec("int", 500, 10, 2000, meaningless_below=0),
    "wx0": Spec("float", -1.5, -3.0, 3.0, label="w_x start"),
    "wrec0": Spec("float", 2.0, -3.0, 3.0, label="w_rec start"),
    "n_samples": Spec("int", 20, 1, 200, label="sequences", meaningless_below=1),
    "seq_len": Spec("int", 10, 1, 200, label="sequence length", meaningless_below=1),
    "seed": Spec("int", 1, 0, 100_000, meaningless_below=0),
    "view": Spec("choice", "overview", options=VIEWS),
    "wx_min": Spec("float", -3.0, -100.0, 100.0),
    "wx_max": Spec("float", 3.0, -100.0, 100.0),
    "wrec_min": Spec("float", -3.0, -100.0, 100.0),
    "wrec_max": Spec("float", 3.0, -100.0, 100.0),
    "resolution": Spec("int", 300, 50, 1000),
    "contours": Spec("bool", True),
    "valley": Spec("bool", True),
}
PROBES_KEY = "probes"  # a multiselect: repeated in the URL, ?probes=(1, 2)&probes=(2, 1)


def defaults():
    """Every control at its default value."""
    return {key: spec.default for key, spec in SPECS.items()}


def check_query(query):
    """Valid values for the keys a URL sets, and a plain notice for each one it had to change.

    query maps a key to a string or a list of strings (for one key the last one wins, as a
    browser does; the probe points are a list). Returns (values, notices): values holds only
    keys that the URL set to something usable, corrected to the nearest allowed value.
    """
    values, notices = {}, []
    for key, raw in query.items():
        texts = raw if isinstance(raw, list) else [str(raw)]
        if key == PROBES_KEY:
            unknown = [text for text in texts if text not in PROBES]
            if unknown:
                values[key] = [text for text in texts if text in PROBES]
                shown = ", ".join(f"`{text}`" for text in unknown)
                notices.append(
                    f"{shown}: not among the probe points {', '.join(PROBES)}; left out."
                )
            continue
        spec = SPECS.get(key)
        if spec is None or not texts:
            continue  # parameters of no control (for example the test sequence) pass through
        text = texts[-1]
        value, notice = _check_one(key, spec, text)
        if value is not None:
            values[key] = value
        if notice:
            notices.append(notice)
    return values, notices


def _check_one(key, spec, text):
    """(value or None, notice or '') for one URL parameter."""
    if spec.kind == "bool":
        if text.lower() in ("true", "false"):
            return text.lower() == "true", ""
        return None, f"`{key}={text}` is neither true nor false; using `{spec.default}`."
    if spec.kind == "choice":
        if text in spec.options:
            return text, ""
        allowed = ", ".join(spec.options)
        return None, f"`{key}={text}` is not one of {allowed}; using `{spec.default}`."
    try:
        number = float(text)
    except ValueError:
        return None, f"`{key}={text}` is not a number; using the default `{spec.default}`."
    if not math.isfinite(number):
        return None, f"`{key}={text}` is not a finite number; using the default `{spec.default}`."
    if number < spec.meaningless_below:
        return None, f"`{key}={text}` makes no sense here; using the default `{spec.default}`."
    value = min(max(round(number) if spec.kind == "int" else number, spec.lo), spec.hi)
    if spec.kind == "log":
        value = nearest_option(spec.options, value)
    if spec.kind == "int":
        value = int(value)
    if value != number:
        inside = spec.lo <= number <= spec.hi
        why = "not one of the allowed steps" if inside else f"outside [{spec.lo:g}, {spec.hi:g}]"
        return value, f"`{key}={text}` is {why}; using the nearest valid value `{value:g}`."
    return value, ""


def nearest_option(options, value):
    """The option nearest to value on a log scale; zero or less picks the smallest option."""
    if value <= 0:
        return min(options)
    return min((o for o in options if o > 0), key=lambda o: abs(math.log(o / value)))


def surface_ranges(values):
    """(wx_min, wx_max, wrec_min, wrec_max) for the chosen view, and a notice if custom is bad."""
    if values["view"] != "custom":
        return VIEW_RANGES[values["view"]], ""
    ranges = (values["wx_min"], values["wx_max"], values["wrec_min"], values["wrec_max"])
    if ranges[0] < ranges[1] and ranges[2] < ranges[3]:
        return ranges, ""
    return VIEW_RANGES["overview"], (
        "The custom ranges need min < max on both axes; showing the overview instead."
    )
