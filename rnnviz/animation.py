"""Animations for slides: the surface with the run (and its racers) playing on it, drawn with
Pillow, as a GIF or an MP4.

The frames are drawn from the same pieces the page shows (the surface picture of
rnnviz/surface_image.py, the runs' iterates, dE/dS_T per iterate), not screenshots of a
browser: no browser is needed, and a frame costs a few milliseconds. A frame is the page's
three panels: the surface with its axes, every runner's path and current iterate (the main
run white with the page's cyan iterate, racers in the page's racer colours and shapes); beside
it (the side views, optional) a readout per runner, the cost per iteration with the current
one marked, and |dE/dS_k| through time at the current iterate; below, the settings.

Everything that does not move (the surface, the paths, the cost curves, the axes) is drawn
once into a base picture; a frame is a copy of it with the moving marks added.
"""

import base64
import io
import itertools
import math
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from rnnviz import palette
from rnnviz.palette import RACER_STYLES, STEP_COLORSCALE, rgb
from rnnviz.panels.surface import step_range
from rnnviz.surface_image import nice_step
from rnnviz.train import step_lengths

CURRENT = rgb(palette.CURRENT)
INK = rgb(palette.INK)
GRID = rgb(palette.GRID)
CURRENT_LINE = rgb(palette.ALERT)  # the current iteration's line in the cost chart
FLIP = rgb(palette.ALERT)  # the sign-flip crosses
END = rgb(palette.END)  # the gold end star
MAIN_LINE = rgb(palette.MAIN_LINE)  # the main run in the charts (white would not show on white)
CAPTION_FRACTION = 0.07  # of the height: the settings strip at the bottom
FLOOR = -300.0  # log10 of the smallest magnitude drawn: zero and underflow sit on the floor


class Runner(NamedTuple):
    """One run to draw: its Trajectory, dE/dS_T at each iterate (for the gradient view, or
    None), its name in the readout, its colour (RGB) and marker ('circle', 'square',
    'diamond', 'triangle-up')."""

    run: object
    final_gradient: object
    label: str
    colour: tuple
    marker: str


def runners(runs):
    """Runners for [(run, final_gradient, label), ...]: the first is the main run (white path,
    cyan iterate), the others take the page's racer styles in order."""
    styles = [(CURRENT, palette.CURRENT_MARKER)]
    styles += [(rgb(colour), marker) for colour, marker in RACER_STYLES]
    if len(runs) > len(styles):
        raise ValueError(f"at most {len(styles)} runs in one animation")
    return [
        Runner(run, final, label, colour, marker)
        for (run, final, label), (colour, marker) in zip(runs, styles, strict=False)
    ]


def _font(size):
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:  # no DejaVu here: Pillow's own font, at any size
        return ImageFont.load_default(size)


def _surface_picture(layer):
    """The page's surface picture (a PNG data URI) as a Pillow image."""
    data = layer.image.split(",", 1)[1]
    return Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")


def nice_ticks(lo, hi, count=5):
    """Round values (1, 2 or 5 times a power of ten apart) from lo to hi, at most count + 1."""
    if not hi > lo:
        return [lo]
    step = nice_step(hi - lo, count, smallest=0)
    first = math.ceil(lo / step - 1e-9)
    values = [k * step for k in range(first, math.floor(hi / step + 1e-9) + 1)]
    return [0.0 if abs(v) < step * 1e-9 else v for v in values]


def _weight(value):
    return f"{value:.4f}" if abs(value) < 1e3 else f"{value:.3g}"


def _tick_text(value):
    return f"{value:g}"


def _polygon(marker, x, y, r):
    """The outline of a marker of radius r at (x, y), as the page's plotly symbols look."""
    if marker == "square":
        r *= 0.85
        return [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
    if marker == "diamond":
        return [(x, y - r * 1.2), (x + r, y), (x, y + r * 1.2), (x - r, y)]
    if marker == "triangle-up":
        return [(x, y - r * 1.15), (x + r, y + r * 0.75), (x - r, y + r * 0.75)]
    if marker in ("star", "hexagram"):  # five points, or six (two triangles)
        points, inner = (5, 0.45) if marker == "star" else (6, 0.58)
        return [
            (
                x + (r if k % 2 == 0 else r * inner) * math.sin(math.pi * k / points),
                y - (r if k % 2 == 0 else r * inner) * math.cos(math.pi * k / points),
            )
            for k in range(2 * points)
        ]
    raise ValueError(f"no marker {marker!r}")


def draw_marker(draw, marker, x, y, r, colour):
    outline = (255, 255, 255) if sum(colour) < 150 else MAIN_LINE
    if marker == "circle":
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline=outline, width=2)
    else:
        draw.polygon(_polygon(marker, x, y, r), fill=colour, outline=outline, width=2)


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


def step_colours(lengths):
    """Each iterate's dot colour by the length of the step leaving it, on the page's scale
    (white to orange to red over the decades rnnviz.panels.surface.step_range spans)."""
    lo, hi = step_range(lengths)
    with np.errstate(divide="ignore"):
        f = np.clip((np.log10(lengths) - lo) / (hi - lo), 0.0, 1.0)
    stops = np.array([stop for stop, _ in STEP_COLORSCALE])
    colours = np.array([rgb(colour) for _, colour in STEP_COLORSCALE], dtype=float)
    channels = [np.interp(f, stops, colours[:, c]) for c in range(3)]
    return [tuple(int(v + 0.5) for v in rgb_) for rgb_ in zip(*channels, strict=True)]


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


class Frames:
    """The frames of runs on one surface, at size (width, height); iterate i by frame(i).

    runs: a Trajectory (one run) or a list of Runners (the main run first). side_views: the
    readout, the cost and the gradient through time beside the surface (when the frame is
    wide enough for them). T: the sequences' length (for the gradient view's axis). valley:
    the valley floor (w_x* values, w_rec values), drawn dotted as the page does, or None.
    """

    def __init__(
        self, layer, runs, size=(1280, 720), caption="", side_views=True, T=None, valley=None
    ):
        if not isinstance(runs, list):
            runs = runners([(runs, None, runs.optimizer)])
        if not runs or len(runs[0].run.weights) == 0:
            raise ValueError("the run has no iterate to draw")
        self.runners, self.size = runs, size
        self.count = max(len(r.run.weights) for r in runs)
        width, height = size
        strip = max(int(height * CAPTION_FRACTION), 14)
        self.font = _font(max(height // 40, 9))
        self.small = _font(max(height // 50, 8))
        em = self.font.size
        # the surface square, with room for its ticks (left, below) and axis names
        left, top = int(em * 3.2), int(em * 1.6)
        bottom_room = int(em * 2.2)
        side = min(height - strip - top - bottom_room, width - left - 10)
        if side < 20:  # too small for axes: the surface alone
            left, top, side = 0, 0, max(min(height - strip, width), 1)
        elif not side_views:  # the surface alone, in the middle of the frame
            left = max(left, (width - side) // 2)
        self.left, self.top, self.side = left, top, side
        self.strip = strip
        self.ranges = layer.ranges
        self.paths = [  # each runner's iterates in the square's pixels
            self._square_xy(*np.asarray(r.run.weights, dtype=float).reshape(-1, 2).T) for r in runs
        ]
        self.x, self.y = (left + self.paths[0][0], top + self.paths[0][1])  # the main run's
        self._dot_colours = step_colours(step_lengths(runs[0].run.weights))

        base = Image.new("RGB", size, "white")
        base.paste(self._surface(layer, valley), (left, top))
        draw = ImageDraw.Draw(base)
        if left:
            self._surface_axes(draw)
        draw.rectangle([0, height - strip, width, height], fill="white")
        pane_left = left + side + int(em * 4.5)
        self.pane = (pane_left, top, width - 12, top + side)
        self.cost_chart = self.gradient_chart = None
        if side_views and width - 12 - pane_left >= 8 * em and left:
            self._layout_side_views(draw, T)
        # the settings; without the side views, the iteration shares the strip (frame())
        counter = 0 if self.cost_chart else self.font.getlength(self._counter(self.count - 1))
        room = width - 24 - counter
        draw.text((8, height - strip / 2), caption, INK, self._fitted(caption, room), "lm")
        self.base = base

    # ------------------------------------------------------------------ drawn once

    def _fitted(self, text, width):
        """The frame's font, smaller if need be (to 8 px) for text to fit in width."""
        font = self.font
        while font.size > 8 and font.getlength(text) > width:
            font = _font(font.size - 1)
        return font

    def _surface(self, layer, valley):
        """The surface square with the valley floor, every path, the optimum's ring, and the
        main run's step-coloured dots, sign flips, start and end, as the page draws them."""
        side = self.side
        square = _surface_picture(layer).resize((side, side), Image.Resampling.BILINEAR)
        draw = ImageDraw.Draw(square)
        if valley is not None:
            self._valley(draw, *valley)
        one = self._square_xy(1.0, 1.0)
        r = side / 45
        draw.ellipse([one[0] - r, one[1] - r, one[0] + r, one[1] + r], outline="white", width=3)
        for runner, (x, y) in reversed(list(zip(self.runners, self.paths, strict=True))):
            main = runner is self.runners[0]
            colour = (255, 255, 255) if main else runner.colour
            # a step thrown off the surface is drawn toward where it went, cut at the edge
            for piece in clipped_polylines(x, y, -side, 2 * side):
                draw.line(piece, fill=colour, width=max(side // 300, 2))
            if main:
                self._main_marks(draw, runner.run, x, y)
        return square

    def _square_xy(self, w_x, w_rec):
        wx_lo, wx_hi, wrec_lo, wrec_hi = self.ranges
        return (
            (np.asarray(w_x) - wx_lo) / (wx_hi - wx_lo) * self.side,
            (wrec_hi - np.asarray(w_rec)) / (wrec_hi - wrec_lo) * self.side,
        )

    def _valley(self, draw, floor_wx, wrec):
        """The valley floor, dotted white; its breaks (NaN: no floor there) left open."""
        x, y = self._square_xy(floor_wx, wrec)
        r = max(self.side / 400, 1.0)
        for px, py in zip(x[::2], y[::2], strict=True):
            if np.isfinite(px) and 0 <= px <= self.side:
                draw.ellipse([px - r, py - r, px + r, py + r], fill=(255, 255, 255))

    def _main_marks(self, draw, run, x, y):
        side = self.side
        inside = (x >= 0) & (x <= side) & (y >= 0) & (y <= side)
        r = max(side / 220, 1.5)
        for i in np.nonzero(inside)[0]:  # every iterate's dot, coloured by its step's length
            colour = self._dot_colours[i]
            draw.ellipse([x[i] - r, y[i] - r, x[i] + r, y[i] + r], fill=colour)
        flips = np.nonzero(run.sign_flips.any(axis=1))[0]
        c = max(side / 130, 2.5)
        for i in flips[inside[flips]]:
            for dx in (-c, c):
                draw.line([(x[i] - dx, y[i] - c), (x[i] + dx, y[i] + c)], fill=FLIP, width=2)
        for i, marker, colour, radius in (
            (0, "diamond", (255, 255, 255), 80),
            (-1, "star", END, 55),
        ):
            if inside[i]:
                draw_marker(draw, marker, x[i], y[i], side / radius, colour)

    def _surface_axes(self, draw):
        """Ticks and names of w_x (below) and w_rec (left), as the page's surface has them."""
        left, top, side = self.left, self.top, self.side
        wx_lo, wx_hi, wrec_lo, wrec_hi = self.ranges
        draw.rectangle([left - 1, top - 1, left + side, top + side], outline=INK)
        for value in nice_ticks(wx_lo, wx_hi):
            x = left + (value - wx_lo) / (wx_hi - wx_lo) * side
            draw.line([(x, top + side), (x, top + side + 5)], fill=INK)
            draw.text((x, top + side + 7), _tick_text(value), INK, self.small, anchor="ma")
        for value in nice_ticks(wrec_lo, wrec_hi):
            y = top + (wrec_hi - value) / (wrec_hi - wrec_lo) * side
            draw.line([(left - 5, y), (left, y)], fill=INK)
            draw.text((left - 7, y), _tick_text(value), INK, self.small, anchor="rm")
        em = self.font.size
        draw.text((left + side, top + side + em * 2.2), "w_x", INK, self.font, anchor="rb")
        draw.text((left, top - 4), "w_rec", INK, self.font, anchor="rb" if left > 3 * em else "lb")

    def _layout_side_views(self, draw, T):
        """The readout's lines, then the cost chart, then (with the data) the gradient view."""
        left, top, right, bottom = self.pane
        em = self.font.size
        line = em * 1.35
        self.readout_top = top
        charts_top = top + line * (len(self.runners) + 1) + em
        with_gradient = T is not None and all(r.final_gradient is not None for r in self.runners)
        gap = em * 2.6  # a chart's title above it, its ticks below it
        height = (bottom - charts_top - (gap if with_gradient else 0)) / (2 if with_gradient else 1)
        if height < 3 * em:
            return
        costs = [self._log(r.run.costs) for r in self.runners]
        lo, hi = _log_range(self._scaled(costs))
        self.cost_chart = Chart(left, charts_top + em * 1.2, right, charts_top + height, lo, hi)
        self._axes(draw, self.cost_chart, "cost (log scale) per iteration", costs)
        for runner, logs in zip(self.runners, costs, strict=True):
            xs = self._iteration_x(np.arange(len(logs)))
            colour = MAIN_LINE if runner is self.runners[0] else runner.colour
            if len(xs) > 1:
                ys = self.cost_chart.y(np.clip(logs, lo, hi))
                draw.line(list(zip(xs, ys, strict=True)), fill=colour, width=2)
        chart = self.cost_chart
        draw.text((chart.left, chart.bottom + 4), "0", INK, self.small, anchor="la")
        draw.text(
            (chart.right, chart.bottom + 4), f"{self.count - 1}", INK, self.small, anchor="ra"
        )
        draw.text(
            ((chart.left + chart.right) / 2, chart.bottom + 4),
            "iteration",
            INK,
            self.small,
            anchor="ma",
        )
        if with_gradient:
            self._layout_gradient(draw, T, charts_top + height + gap, bottom - em * 1.4)

    def _layout_gradient(self, draw, T, top, bottom):
        """log10 |dE/dS_k| = log10 |dE/dS_T| + (T - k) log10 |w_rec|: a straight line per
        iterate, whose range over the run is set by its two ends."""
        self.T = T
        self.gradient_logs = []
        ends = []
        for runner in self.runners:
            with np.errstate(divide="ignore"):
                g = np.log10(np.abs(np.asarray(runner.final_gradient, dtype=float)))
                r = np.log10(np.abs(np.asarray(runner.run.weights, dtype=float)[:, 1]))
            self.gradient_logs.append((g, r))
            with np.errstate(invalid="ignore"):
                ends.append(np.concatenate([g, g + T * r]))
        lo, hi = _log_range(self._scaled(ends))
        lo = max(lo, FLOOR)
        hi = max(hi, lo + 1)
        self.gradient_chart = chart = Chart(self.pane[0], top, self.pane[2], bottom, lo, hi)
        self._axes(draw, chart, "|dE/dS_k| at the current iterate (log scale)", ends)
        draw.text((chart.left, chart.bottom + 4), "k = T (output)", INK, self.small, anchor="la")
        draw.text((chart.right, chart.bottom + 4), "k = 0", INK, self.small, anchor="ra")

    def _axes(self, draw, chart, title, arrays):
        """The chart's frame, title and decades; the runners whose values go beyond its top
        (a diverged racer's) named at the top right, in their colour."""
        draw.rectangle([chart.left, chart.top, chart.right, chart.bottom], outline=GRID)
        draw.text((chart.left, chart.top - 4), title, INK, self.small, anchor="ld")
        beyond = [
            r.label
            for r, a in zip(self.runners, arrays, strict=True)
            if np.any(a[np.isfinite(a)] > chart.hi) or np.any(a == np.inf)
        ]
        if beyond:
            note = "above the top: " + ", ".join(beyond)
            draw.text((chart.right, chart.top - 4), note, CURRENT_LINE, self.small, anchor="rd")
        for value, y in ((chart.hi, chart.top), (chart.lo, chart.bottom)):
            draw.text((chart.left - 5, y), f"1e{value:.0f}", INK, self.small, anchor="rm")

    def _scaled(self, arrays):
        """The arrays a chart's range is set by: the runs that did not diverge, when there are
        any (a diverged racer reaches 10^77 and would flatten the others; it is drawn clipped
        at the chart's edge, and its readout says it diverged)."""
        kept = [a for a, r in zip(arrays, self.runners, strict=True) if r.run.diverged_at is None]
        return kept or arrays

    @staticmethod
    def _log(values):
        with np.errstate(divide="ignore"):
            return np.log10(np.maximum(np.asarray(values, dtype=float), 0.0))

    def _iteration_x(self, i):
        chart = self.cost_chart
        return chart.left + (chart.right - chart.left) * np.asarray(i) / max(self.count - 1, 1)

    # ------------------------------------------------------------------ drawn per frame

    def __len__(self):
        return self.count

    def _counter(self, i):
        return f"iteration {i} of {self.count - 1}"

    def frame(self, i):
        """The picture at iterate i: every runner's current iterate (a racer that diverged
        holds its last), the current iteration marked, the readout (without the side views,
        the iteration in the caption strip)."""
        image = self.base.copy()
        draw = ImageDraw.Draw(image)
        em = self.font.size
        if self.cost_chart is None:
            width, height = self.size
            at = (width - 8, height - self.strip / 2)
            draw.text(at, self._counter(i), INK, self.font, anchor="rm")
        if self.cost_chart is not None:
            x = float(self._iteration_x(i))
            chart = self.cost_chart
            draw.line([(x, chart.top), (x, chart.bottom)], fill=CURRENT_LINE, width=2)
            left = self.pane[0]
            draw.text((left, self.readout_top), self._counter(i), INK, self.font, anchor="la")
        for n, runner in reversed(list(enumerate(self.runners))):
            j = min(i, len(runner.run.weights) - 1)
            x, y = self.paths[n][0][j], self.paths[n][1][j]
            r = self.side / 55 if n == 0 else self.side / 70
            if -r <= x <= self.side + r and -r <= y <= self.side + r:
                draw_marker(draw, runner.marker, self.left + x, self.top + y, r, runner.colour)
            if self.cost_chart is not None:
                self._readout(draw, n, runner, j, em)
                cost = self._log(runner.run.costs[j])
                chart = self.cost_chart
                cy = float(chart.y(np.clip(cost, chart.lo, chart.hi)))
                draw_marker(draw, runner.marker, self._iteration_x(j), cy, em / 3, runner.colour)
            if self.gradient_chart is not None:
                self._gradient_row(draw, n, runner, j)
        return image

    def _readout(self, draw, n, runner, j, em):
        left, line = self.pane[0], em * 1.35
        y = self.readout_top + line * (n + 1)
        draw_marker(draw, runner.marker, left + em / 2, y + em / 2, em / 2.6, runner.colour)
        draw.text((left + em * 1.3, y), self.readout(n, j), INK, self.small, anchor="la")

    def readout(self, n, i):
        """Runner n's line of the readout at iterate i (a diverged run's last, if shorter)."""
        runner = self.runners[n]
        j = min(i, len(runner.run.weights) - 1)
        w, cost = runner.run.weights[j], runner.run.costs[j]
        text = f"{runner.label}: cost {cost:.4g}   "
        if runner.run.diverged_at is not None and j == len(runner.run.weights) - 1:
            return text + f"diverged at iteration {runner.run.diverged_at}: held here"
        return text + f"w = ({_weight(w[0])}, {_weight(w[1])})"

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

    def _gradient_row(self, draw, n, runner, j):
        xs, ys = self.gradient_points(n, j)
        colour = MAIN_LINE if n == 0 else runner.colour
        if len(xs) > 1:
            draw.line(list(zip(xs, ys, strict=True)), fill=colour, width=2)
        every = max(len(xs) // 12, 1)  # markers, so a line is told apart by its shape too
        for x, y in zip(xs[::every], ys[::every], strict=True):
            draw_marker(draw, runner.marker, x, y, self.font.size / 4, runner.colour)

    def pixel_of(self, i, runner=0):
        """Where iterate i of a runner is drawn: (x, y) in the frame's pixels (for tests)."""
        x, y = self.paths[runner]
        return float(self.left + x[i]), float(self.top + y[i])


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


def gif_durations(count, fps):
    """Each frame's time in ms for count frames at fps. A GIF counts in hundredths of a
    second: 1000 / fps rounded for every frame would drift (41 frames meant for 4 s last 3.7 s
    at 90 ms each), so each frame ends at its own rounded time and the whole lasts count / fps
    to the hundredth. Never under 20 ms: browsers slow faster frames to 100 ms."""
    ends = [round(k * 100 / fps) for k in range(count + 1)]
    return [max(10 * (b - a), 20) for a, b in itertools.pairwise(ends)]


def write_gif(frames, indices, path, fps=25, progress=None, note=""):
    """The frames at indices as a looping GIF at fps; progress(done, total) after each frame;
    note (the settings) kept in the file as its comment.

    One palette for every frame, made from the first (the surface, the path and the marks),
    so the colours do not flicker; Pillow stores each frame as its difference from the last.
    Returns the size written.
    """
    first = frames.frame(indices[0])
    palette = _palette(first, [r.colour for r in frames.runners] + [CURRENT_LINE, INK])
    pictures = []
    for done, i in enumerate(indices, start=1):
        image = first if done == 1 else frames.frame(i)
        pictures.append(image.quantize(palette=palette, dither=Image.Dither.NONE))
        if progress is not None:
            progress(done, len(indices))
    pictures[0].save(
        path,
        format="GIF",
        save_all=True,
        append_images=pictures[1:],
        duration=gif_durations(len(pictures), fps),
        loop=0,
        comment=note.encode("utf-8"),
    )
    return frames.size


def _palette(picture, exact):
    """A palette image: picture's colours by median cut, and the colours in exact as they
    are (the runners' marks must keep their colours, however few pixels they have)."""
    quantized = picture.quantize(colors=256 - len(exact), method=Image.Quantize.MEDIANCUT)
    colours = quantized.getpalette()[: 3 * (256 - len(exact))]
    colours += [value for colour in exact for value in colour]
    palette = Image.new("P", (1, 1))
    palette.putpalette(colours)
    return palette


def write_mp4(frames, indices, path, fps=25, progress=None, note=""):
    """The frames at indices as an H.264 MP4 (yuv420p: PowerPoint and Keynote play it), note
    (the settings) kept in the file's comment; returns the size written (even sides: H.264
    in yuv420p needs them, so an odd side loses its last pixel).

    Needs the imageio-ffmpeg package (requirements.txt), which brings its own ffmpeg; if it is
    missing, an ImportError says how to get it.
    """
    imageio_ffmpeg = mp4_writer()
    width, height = frames.size
    even = (width - width % 2, height - height % 2)  # H.264 in yuv420p wants even sides
    writer = imageio_ffmpeg.write_frames(
        str(path),
        even,
        fps=fps,
        codec="libx264",
        pix_fmt_out="yuv420p",
        quality=None,
        output_params=[
            *("-crf", "18", "-preset", "veryfast", "-movflags", "+faststart"),
            *("-metadata", f"comment={note}"),
        ],
        macro_block_size=1,
    )
    writer.send(None)  # start ffmpeg
    try:
        for done, i in enumerate(indices, start=1):
            image = frames.frame(i).crop((0, 0, *even))
            writer.send(np.ascontiguousarray(np.asarray(image, dtype=np.uint8)))
            if progress is not None:
                progress(done, len(indices))
    finally:
        writer.close()
    return even


MP4_MISSING = "MP4 needs the imageio-ffmpeg package: .venv/bin/pip install imageio-ffmpeg"


def mp4_writer():
    """The imageio_ffmpeg module (it brings its own ffmpeg), or ImportError saying how to get
    it."""
    try:
        import imageio_ffmpeg

        imageio_ffmpeg.get_ffmpeg_exe()  # the package may be there without its binary
    except (ImportError, RuntimeError):
        raise ImportError(MP4_MISSING) from None
    return imageio_ffmpeg
