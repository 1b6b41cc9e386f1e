"""The protocol between the page and the browser's plots: parts, series and shared layout.

A part is a JSON value with an id (part_id) so an unchanged one is not sent again. A series is
{"dtype", "bdata", "shape"} (little-endian base64, as plotly.js itself reads arrays),
optionally with "log10": true (the browser takes 10**v) and "mask": the name of a series whose
zero entries mean "not drawn". Nothing sent is NaN or infinite: encode() refuses.
"""

import base64
import hashlib
import json
from typing import NamedTuple

import numpy as np

from rnnviz import palette


class Runner(NamedTuple):
    """Whose part a panel draws: number 1 is the main run, 2 to 4 its racers; label names it.

    The main run's series and traces keep their plain names; a racer's carry the prefix
    "r<number>_", given when they are made, so several runs' parts join without a clash.
    """

    number: int = 1
    label: str = ""

    @property
    def main(self):
        return self.number == 1

    def name(self, name):
        """A series' or trace's name, as this runner's."""
        return name if self.main else f"r{self.number}_{name}"

    @property
    def colour(self):
        return palette.CURRENT if self.main else palette.RACER_STYLES[self.number - 2][0]

    @property
    def marker(self):
        return palette.CURRENT_MARKER if self.main else palette.RACER_STYLES[self.number - 2][1]

    @property
    def dash(self):
        return "solid" if self.main else palette.RACER_DASHES[self.number - 2]


MAIN = Runner()


def encode(values, dtype="f8", log10=False, mask=None):
    """A series: values as a little-endian base64 typed array; refuses NaN and inf."""
    array = np.asarray(values, dtype=float)
    if log10:
        with np.errstate(divide="ignore"):
            array = np.log10(array)
    if not np.all(np.isfinite(array)):
        raise ValueError("a series sent to the browser must be finite")
    data = np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<"))
    series = {
        "dtype": dtype,
        "bdata": base64.b64encode(data.tobytes()).decode("ascii"),
        "shape": list(array.shape),
    }
    if log10:
        series["log10"] = True
    if mask is not None:
        series["mask"] = mask
    return series


def display(values):
    """A series for reading, not for placing: float32 (7 digits) when float32 can hold it.

    Half the bytes of float64; long sequences' walls (beyond 3e38) stay float64.
    """
    array = np.asarray(values, dtype=float)
    tiny = np.abs(array[array != 0])
    fits = array.size == 0 or (tiny.max(initial=0) < 1e38 and tiny.min(initial=1) > 1e-37)
    return encode(array, "f4" if fits else "f8")


def decode(series):
    """The values a series stands for (the browser's reading, for tests): NaN where masked."""
    raw = np.frombuffer(base64.b64decode(series["bdata"]), dtype=np.dtype(series["dtype"]))
    values = raw.astype(float).reshape(series["shape"])
    return 10.0**values if series.get("log10") else values


def part_id(value):
    """A short content hash: the browser keeps a part by it, the server skips resending it."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def finite_list(values, digits=7):
    """Plain floats rounded for JSON (ranges, ticks), checked finite."""
    out = [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=float).ravel()]
    if not all(np.isfinite(out)):
        raise ValueError("a number sent to the browser must be finite")
    return out


MAX_AXIS_DECADES = 60  # a log axis deeper than this squashes every line flat


def log_axis_range(*arrays, keep_visible=None):
    """[lo, hi] in log10 units covering the finite positive values, at most MAX_AXIS_DECADES deep.

    keep_visible: values that must stay inside the range (a run's start and end, the opening
    frame of an animation whose run explodes later): the range reaches down to the smallest of
    them, cutting off the top if it must, and up to the largest, growing past
    MAX_AXIS_DECADES if it must (a diverged run spans hundreds of decades).
    """
    positive = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    positive = positive[np.isfinite(positive) & (positive > 0)]
    if positive.size == 0:
        return [-1.0, 1.0]
    hi = float(np.log10(positive.max())) + 0.3
    lo = max(float(np.log10(positive.min())) - 0.3, hi - MAX_AXIS_DECADES)
    must = np.asarray(keep_visible if keep_visible is not None else [], dtype=float)
    must = must[np.isfinite(must) & (must > 0)]
    if must.size:
        if np.log10(must.min()) - 0.3 < lo:
            lo = float(np.log10(must.min())) - 0.3
            hi = min(hi, lo + MAX_AXIS_DECADES)
        hi = max(hi, float(np.log10(must.max())) + 0.3)
    return [lo, hi]


PRESENT_TICK_PX, PRESENT_TITLE_PX = 14, 18  # readable from the back of a lecture room


def label_px(present, small=12):
    """A label drawn in a plot (a note at a point, a value beyond an axis): on a projector at
    least the ticks' size (issue 17: 11 and 12 px labels could not be read)."""
    return max(small, PRESENT_TICK_PX) if present else small


def axis(title, present=False, **more):
    font = dict(size=PRESENT_TITLE_PX) if present else {}
    return dict(title=dict(text=title, standoff=6, font=font), automargin=True, **more)


def base_layout(present=False, **more):
    return dict(
        font=dict(size=PRESENT_TICK_PX if present else 12),
        template=None,
        paper_bgcolor="white",
        plot_bgcolor="white",
        hovermode="closest",
        autosize=True,
        margin=dict(l=50, r=10, t=10, b=40),
        showlegend=False,  # the browser draws each panel's legend as HTML above the plot
        **more,
    )


def categories(values):
    """A categorical series: a few labels and, per iterate, the code of its label."""
    labels = sorted(set(values))
    index = {label: code for code, label in enumerate(labels)}
    return {"labels": labels, "codes": encode([index[v] for v in values], "u1")}
