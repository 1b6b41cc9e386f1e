"""Where everything sits in an animation's frame: the surface square and its ticks, the side
views' readout and charts, the caption strip, the weights' pixels, and which iterates make the
frames. Numbers only (numpy, no Pillow): drawing.py draws what this places.

A frame is the page's three panels: the surface square at the left, with room for its ticks
(left, below) and axis names; beside it (the side views, when the frame is wide enough) a
readout line per runner, the cost per iteration and |dE/dS_k| through time; below, the
settings in the caption strip.
"""

import math
from typing import NamedTuple

import numpy as np

from rnnviz.ticks import nice_ticks

CAPTION_FRACTION = 0.07  # of the height: the settings strip at the bottom
FLOOR = -300.0  # log10 of the smallest magnitude drawn: zero and underflow sit on the floor
READOUT_LINE = 1.35  # ems from one readout line to the next


class Runner(NamedTuple):
    """One run to draw: its Trajectory, dE/dS_T at each iterate (for the gradient view, or
    None), its name in the readout, its colour (RGB) and marker ('circle', 'square',
    'diamond', 'triangle-up')."""

    run: object
    final_gradient: object
    label: str
    colour: tuple
    marker: str


def _tick_text(value):
    return f"{value:g}"


def _weight(value):
    return f"{value:.4f}" if abs(value) < 1e3 else f"{value:.3g}"


def clip_segment(p, q, lo, hi):
    """The part of segment p-q inside the box [lo, hi]^2 (Liang-Barsky), or None: a step of
    1e4 off the surface keeps its direction, where clipping x and y apart would bend it."""
    (x0, y0), (x1, y1) = p, q
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for step, start in ((-dx, x0 - lo), (dx, hi - x0), (-dy, y0 - lo), (dy, hi - y0)):
        if step == 0:
            if start < 0:
                return None  # parallel to this edge and outside it
            continue
        t = start / step
        if step < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return (x0 + t0 * dx, y0 + t0 * dy), (x0 + t1 * dx, y0 + t1 * dy)


def clipped_polylines(x, y, lo, hi):
    """The path through points (x, y) cut to the box [lo, hi]^2: its pieces, as polylines."""
    pieces, current = [], []
    for k in range(len(x) - 1):
        part = clip_segment((x[k], y[k]), (x[k + 1], y[k + 1]), lo, hi)
        if part is None:
            continue
        a, b = part
        if current and current[-1] == a:
            current.append(b)
        else:
            if len(current) > 1:
                pieces.append(current)
            current = [a, b]
    if len(current) > 1:
        pieces.append(current)
    return pieces


class Chart(NamedTuple):
    """A chart's box in the frame (left, top, right, bottom) and the log10 range it shows."""

    left: float
    top: float
    right: float
    bottom: float
    lo: float
    hi: float

    def y(self, logs):
        return self.bottom - (np.asarray(logs) - self.lo) / (self.hi - self.lo) * (
            self.bottom - self.top
        )


def _log_range(arrays):
    """(lo, hi) of the finite values in arrays, at least one decade apart."""
    finite = [a[np.isfinite(a)] for a in arrays]
    finite = [a for a in finite if a.size]
    if not finite:
        return 0.0, 1.0
    lo = float(min(a.min() for a in finite))
    hi = float(max(a.max() for a in finite))
    lo, hi = math.floor(lo), math.ceil(hi)
    return float(lo), float(max(hi, lo + 1))


def log10_of(values):
    """log10 of values (costs), -inf at zero."""
    with np.errstate(divide="ignore"):
        return np.log10(np.maximum(np.asarray(values, dtype=float), 0.0))


class Layout:
    """Where everything sits in a frame of size (width, height) showing runners (the main run
    first) on a surface spanning ranges (w_x lo, w_x hi, w_rec lo, w_rec hi).

    side_views: the readout, the cost and the gradient through time beside the surface (when
    the frame is wide enough for them). T: the sequences' length (for the gradient view's
    axis). Sizes in pixels; em is the frame's font size, small_em the side views' and ticks'.
    """

    def __init__(self, runners, ranges, size, side_views=True, T=None):
        self.runners, self.ranges, self.size = runners, ranges, size
        self.count = max(len(r.run.weights) for r in runners)
        width, height = size
        self.strip = max(int(height * CAPTION_FRACTION), 14)
        self.em, self.small_em = max(height // 40, 9), max(height // 50, 8)
        em = self.em
        # the surface square, with room for its ticks (left, below) and axis names
        left, top = int(em * 3.2), int(em * 1.6)
        bottom_room = int(em * 2.2)
        side = min(height - self.strip - top - bottom_room, width - left - 10)
        if side < 20:  # too small for axes: the surface alone
            left, top, side = 0, 0, max(min(height - self.strip, width), 1)
        elif not side_views:  # the surface alone, in the middle of the frame
            left = max(left, (width - side) // 2)
        self.left, self.top, self.side = left, top, side
        self.paths = [  # each runner's iterates in the square's pixels
            self.square_xy(*np.asarray(r.run.weights, dtype=float).reshape(-1, 2).T)
            for r in runners
        ]
        pane_left = left + side + int(em * 4.5)
        self.pane = (pane_left, top, width - 12, top + side)
        self.cost_chart = self.gradient_chart = None
        if side_views and width - 12 - pane_left >= 8 * em and left:
            self._side_views(T)

    # ------------------------------------------------------------------ the surface

    def square_xy(self, w_x, w_rec):
        """Weights to pixels in the surface square: w_x rightward, w_rec upward."""
        wx_lo, wx_hi, wrec_lo, wrec_hi = self.ranges
        return (
            (np.asarray(w_x) - wx_lo) / (wx_hi - wx_lo) * self.side,
            (wrec_hi - np.asarray(w_rec)) / (wrec_hi - wrec_lo) * self.side,
        )

    def surface_ticks(self):
        """The ticks of w_x (x in the frame, label) below the square and of w_rec (y in the
        frame, label) left of it, as the page's surface has them."""
        wx_lo, wx_hi, wrec_lo, wrec_hi = self.ranges
        across = nice_ticks(wx_lo, wx_hi)
        up = nice_ticks(wrec_lo, wrec_hi)
        xs = self.left + self.square_xy(across, wrec_hi)[0]
        ys = self.top + self.square_xy(wx_lo, up)[1]
        return (
            [(float(x), _tick_text(v)) for x, v in zip(xs, across, strict=True)],
            [(float(y), _tick_text(v)) for y, v in zip(ys, up, strict=True)],
        )

    def pixel_of(self, i, runner=0):
        """Where iterate i of a runner is drawn: (x, y) in the frame's pixels."""
        x, y = self.paths[runner]
        return float(self.left + x[i]), float(self.top + y[i])

    def held(self, n, i):
        """The iterate runner n shows at frame i: i, or its last if it diverged before."""
        return min(i, len(self.runners[n].run.weights) - 1)

    # ------------------------------------------------------------------ the side views

    def _side_views(self, T):
        """The readout's lines, then the cost chart, then (with the data) the gradient view."""
        left, top, right, bottom = self.pane
        em = self.em
        self.readout_top = top
        charts_top = top + em * READOUT_LINE * (len(self.runners) + 1) + em
        with_gradient = T is not None and all(r.final_gradient is not None for r in self.runners)
        gap = em * 2.6  # a chart's title above it, its ticks below it
        height = (bottom - charts_top - (gap if with_gradient else 0)) / (2 if with_gradient else 1)
        if height < 3 * em:
            return
        self.cost_logs = [log10_of(r.run.costs) for r in self.runners]
        lo, hi = _log_range(self._scaled(self.cost_logs))
        self.cost_chart = Chart(left, charts_top + em * 1.2, right, charts_top + height, lo, hi)
        if with_gradient:
            self._gradient_view(T, charts_top + height + gap, bottom - em * 1.4)

    def _gradient_view(self, T, top, bottom):
        """log10 |dE/dS_k| = log10 |dE/dS_T| + (T - k) log10 |w_rec|: a straight line per
        iterate, whose range over the run is set by its two ends."""
        self.T = T
        self.gradient_logs = []
        self.gradient_ends = []
        for runner in self.runners:
            with np.errstate(divide="ignore"):
                g = np.log10(np.abs(np.asarray(runner.final_gradient, dtype=float)))
                r = np.log10(np.abs(np.asarray(runner.run.weights, dtype=float)[:, 1]))
            self.gradient_logs.append((g, r))
            with np.errstate(invalid="ignore"):
                self.gradient_ends.append(np.concatenate([g, g + T * r]))
        lo, hi = _log_range(self._scaled(self.gradient_ends))
        lo = max(lo, FLOOR)
        hi = max(hi, lo + 1)
        self.gradient_chart = Chart(self.pane[0], top, self.pane[2], bottom, lo, hi)

    def _scaled(self, arrays):
        """The arrays a chart's range is set by: the runs that did not diverge, when there are
        any (a diverged racer reaches 10^77 and would flatten the others; it is drawn clipped
        at the chart's edge, and its readout says it diverged)."""
        kept = [a for a, r in zip(arrays, self.runners, strict=True) if r.run.diverged_at is None]
        return kept or arrays

    def beyond(self, chart, arrays):
        """The labels of the runners whose values (arrays, one per runner) go beyond the
        chart's top (a diverged racer's)."""
        return [
            r.label
            for r, a in zip(self.runners, arrays, strict=True)
            if np.any(a[np.isfinite(a)] > chart.hi) or np.any(a == np.inf)
        ]

    def readout_y(self, n):
        """The top of runner n's readout line (the iteration's line is above the first)."""
        return self.readout_top + self.em * READOUT_LINE * (n + 1)

    def counter(self, i):
        return f"iteration {i} of {self.count - 1}"

    def readout(self, n, i):
        """Runner n's line of the readout at iterate i (a diverged run's last, if shorter)."""
        runner = self.runners[n]
        j = self.held(n, i)
        w, cost = runner.run.weights[j], runner.run.costs[j]
        text = f"{runner.label}: cost {cost:.4g}   "
        if runner.run.diverged_at is not None and j == len(runner.run.weights) - 1:
            return text + f"diverged at iteration {runner.run.diverged_at}: held here"
        return text + f"w = ({_weight(w[0])}, {_weight(w[1])})"

    def iteration_x(self, i):
        """Where iteration i sits across the cost chart."""
        chart = self.cost_chart
        return chart.left + (chart.right - chart.left) * np.asarray(i) / max(self.count - 1, 1)

    def cost_points(self, n):
        """(x, y) in the frame of runner n's cost at every iteration, clipped to the chart."""
        chart, logs = self.cost_chart, self.cost_logs[n]
        return self.iteration_x(np.arange(len(logs))), chart.y(np.clip(logs, chart.lo, chart.hi))

    def cost_point(self, n, j):
        """(x, y) in the frame of runner n's cost at its iterate j, clipped to the chart."""
        chart, logs = self.cost_chart, self.cost_logs[n]
        return self.iteration_x(j), float(chart.y(np.clip(logs[j], chart.lo, chart.hi)))

    def gradient_points(self, n, j):
        """(x, y) in the frame of runner n's |dE/dS_k| at its iterate j, k = T (left) to 0."""
        chart = self.gradient_chart
        g, r = self.gradient_logs[n]
        steps_back = np.arange(self.T + 1)  # T - k: the output on the left
        with np.errstate(invalid="ignore"):
            logs = g[j] + steps_back * r[j]
        logs = np.where(np.isnan(logs), chart.lo, logs)  # 0 * -inf: w_rec = 0 at the output
        xs = chart.left + (chart.right - chart.left) * steps_back / max(self.T, 1)
        return xs, chart.y(np.clip(logs, chart.lo, chart.hi))


def frame_indices(count, frames):
    """frames iterates spread evenly from the first to the last (all of them if fewer)."""
    if frames is None or frames >= count:
        return list(range(count))
    return sorted(set(np.linspace(0, count - 1, frames).round().astype(int).tolist()))


def pace(count, seconds, fps=25):
    """(frame indices, frames a second) for an animation of count iterates lasting seconds:
    at most fps frames a second, fewer (each iterate its own frame) for a short run."""
    indices = frame_indices(count, max(round(seconds * fps), 1))
    return indices, min(fps, max(len(indices) / seconds, 1.0))
