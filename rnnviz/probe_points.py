"""Probe points: where the gradient view shows dE/dS_k beside the run's (the tutorial's six,
and points pinned by a Shift-click on the surface), and how a link names them."""

import math
import re

from rnnviz.specs import quote

PROBES = {
    "(2, 1)": (2.0, 1.0),
    "(1, 2)": (1.0, 2.0),
    "(1, -2)": (1.0, -2.0),
    "(1, 0)": (1.0, 0.0),
    "(1, 0.5)": (1.0, 0.5),
    "(1, -0.5)": (1.0, -0.5),
}
PROBES_KEY = "probes"  # a multiselect: repeated in the URL, ?probes=(1, 2)&probes=(2, 1)
MAX_PROBES = 12
PROBE_BOUND = 100.0  # a pinned probe lies within the widest view a link can ask for
_PROBE_PATTERN = re.compile(r"\(\s*([-+]?[0-9.]+)\s*,\s*([-+]?[0-9.]+)\s*\)")


def probe_label(w_x, w_rec):
    """A pinned probe's label, as the page writes it: (0.57, -1.23), to 0.01."""
    return f"({round(float(w_x), 2):g}, {round(float(w_rec), 2):g})"


def probe_point(label):
    """(w_x, w_rec) of a probe: one of the tutorial's, or a pinned '(x, y)'; else ValueError."""
    if label in PROBES:
        return PROBES[label]
    match = _PROBE_PATTERN.fullmatch(str(label).strip())
    try:
        point = tuple(float(v) for v in match.groups()) if match else ()
    except ValueError:
        point = ()
    if len(point) != 2 or not all(math.isfinite(v) and abs(v) <= PROBE_BOUND for v in point):
        raise ValueError(f"{quote(label)} is not a point (w_x, w_rec) within ±{PROBE_BOUND:g}")
    return point


def check_probes(texts):
    """(the labels of the probe points texts name, in order, at most MAX_PROBES; the problems
    with the rest, each a clause saying what was left out)."""
    known, unknown = [], []
    for text in texts:
        try:
            point = probe_point(text)
        except ValueError:
            unknown.append(text)
            continue
        label = text if text in PROBES else probe_label(*point)
        if label not in known:
            known.append(label)
    problems = []
    if unknown:
        shown = ", ".join(quote(text) for text in unknown[:3]) + (", ..." if unknown[3:] else "")
        problems.append(
            f"{shown} neither among the probe points {', '.join(PROBES)} nor a point "
            f"(w_x, w_rec) within ±{PROBE_BOUND:g}, left out"
        )
    if len(known) > MAX_PROBES:
        problems.append(f"at most {MAX_PROBES} are kept")
        known = known[:MAX_PROBES]
    return known, problems
