"""The frames drawn with Pillow, from their layout (layout.py says where everything sits):
the surface picture with every runner's path and current iterate (the main run white with the
page's cyan iterate, racers in the page's racer colours and shapes), the side views' readout
and charts, the settings. Every colour and marker comes from rnnviz.palette.

The frames are drawn from the same pieces the page shows (the surface picture of
rnnviz/surface_image.py, the runs' iterates, dE/dS_T per iterate), not screenshots of a
browser: no browser is needed, and a frame costs a few milliseconds. Everything that does not
move (the surface, the paths, the cost curves, the axes) is drawn once into a base picture; a
frame is a copy of it with the moving marks added.
"""

import base64
import io
import math
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageColor, ImageDraw, ImageFont

from rnnviz import palette
from rnnviz.animation.layout import Layout, Runner, clipped_polylines
from rnnviz.palette import RACER_STYLES, STEP_COLORSCALE, rgb
from rnnviz.panels.surface import step_range
from rnnviz.train import step_lengths

CURRENT = rgb(palette.CURRENT)
INK = rgb(palette.INK)
GRID = rgb(palette.GRID)
CURRENT_LINE = rgb(palette.ALERT)  # the current iteration's line in the cost chart
FLIP = rgb(palette.FLIP)  # the sign-flip crosses
END = rgb(palette.END)  # the gold end star
MAIN_LINE = rgb(palette.MAIN_LINE)  # the main run in the charts (white would not show on white)
WHITE = ImageColor.getrgb("white")  # the main path, its start, the optimum's ring, the valley


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


class Fonts(NamedTuple):
    """The frame's font (the caption, the axes' names, the iteration) and the small one."""

    text: object
    small: object


def _font(size):
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:  # no DejaVu here: Pillow's own font, at any size
        return ImageFont.load_default(size)


def _fitted(font, text, width):
    """font, smaller if need be (to 8 px) for text to fit in width."""
    while font.size > 8 and font.getlength(text) > width:
        font = _font(font.size - 1)
    return font


def _surface_picture(layer):
    """The page's surface picture (a PNG data URI) as a Pillow image."""
    data = layer.image.split(",", 1)[1]
    return Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")


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
    outline = WHITE if sum(colour) < 150 else MAIN_LINE
    if marker == "circle":
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline=outline, width=2)
    else:
        draw.polygon(_polygon(marker, x, y, r), fill=colour, outline=outline, width=2)


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


def _line_colour(layout, n):
    """Runner n's colour for lines on white: the main run's dark line, a racer's own."""
    return MAIN_LINE if n == 0 else layout.runners[n].colour


class Frames:
    """The frames of runs on one surface, at size (width, height); iterate i by frame(i).

    runners: a list of Runners (runners() makes them), the main run first. side_views: the
    readout, the cost and the gradient through time beside the surface (when the frame is
    wide enough for them). T: the sequences' length (for the gradient view's axis). valley:
    the valley floor (w_x* values, w_rec values), drawn dotted as the page does, or None.
    """

    def __init__(
        self, layer, runners, size=(1280, 720), caption="", side_views=True, T=None, valley=None
    ):
        if not all(isinstance(r, Runner) for r in runners):
            raise TypeError("Frames takes Runners: animation.runners([(run, gradient, label)])")
        if not runners or len(runners[0].run.weights) == 0:
            raise ValueError("the run has no iterate to draw")
        self.layout = layout = Layout(runners, layer.ranges, size, side_views, T)
        self.fonts = Fonts(_font(layout.em), _font(layout.small_em))
        self.base = _base(layout, self.fonts, layer, caption, valley)

    def __len__(self):
        return self.layout.count

    def frame(self, i):
        """The picture at iterate i: every runner's current iterate (a racer that diverged
        holds its last), the current iteration marked, the readout (without the side views,
        the iteration in the caption strip)."""
        image = self.base.copy()
        draw = ImageDraw.Draw(image)
        _iteration(draw, self.layout, self.fonts, i)
        for n in reversed(range(len(self.layout.runners))):
            _runner_marks(draw, self.layout, self.fonts, n, i)
        return image

    # the layout's numbers, read where the frames are used (the writers, the tests)
    runners = property(lambda self: self.layout.runners)
    size = property(lambda self: self.layout.size)
    left = property(lambda self: self.layout.left)
    top = property(lambda self: self.layout.top)
    side = property(lambda self: self.layout.side)
    strip = property(lambda self: self.layout.strip)
    cost_chart = property(lambda self: self.layout.cost_chart)
    gradient_chart = property(lambda self: self.layout.gradient_chart)

    def pixel_of(self, i, runner=0):
        """Where iterate i of a runner is drawn: (x, y) in the frame's pixels (for tests)."""
        return self.layout.pixel_of(i, runner)

    def readout(self, n, i):
        """Runner n's line of the readout at iterate i (a diverged run's last, if shorter)."""
        return self.layout.readout(n, i)

    def gradient_points(self, n, j):
        """(x, y) in the frame of runner n's |dE/dS_k| at its iterate j, k = T (left) to 0."""
        return self.layout.gradient_points(n, j)


# ---------------------------------------------------------------------- drawn once


def _base(layout, fonts, layer, caption, valley):
    """Everything that does not move: the surface with its axes, the side views' charts
    and the settings (without the side views, the iteration shares the strip: frame())."""
    width, height = layout.size
    base = Image.new("RGB", layout.size, "white")
    base.paste(_surface(layout, layer, valley), (layout.left, layout.top))
    draw = ImageDraw.Draw(base)
    if layout.left:
        _surface_axes(draw, layout, fonts)
    draw.rectangle([0, height - layout.strip, width, height], fill="white")
    if layout.cost_chart is not None:
        _cost_chart(draw, layout, fonts.small)
    if layout.gradient_chart is not None:
        _gradient_chart(draw, layout, fonts.small)
    counter = 0 if layout.cost_chart else fonts.text.getlength(layout.counter(layout.count - 1))
    font = _fitted(fonts.text, caption, width - 24 - counter)
    draw.text((8, height - layout.strip / 2), caption, INK, font, "lm")
    return base


def _surface(layout, layer, valley):
    """The surface square with the valley floor, every path, the optimum's ring, and the
    main run's step-coloured dots, sign flips, start and end, as the page draws them."""
    side = layout.side
    square = _surface_picture(layer).resize((side, side), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(square)
    if valley is not None:
        _valley(draw, layout, *valley)
    one = layout.square_xy(1.0, 1.0)
    r = side / 45
    draw.ellipse([one[0] - r, one[1] - r, one[0] + r, one[1] + r], outline=WHITE, width=3)
    for n in reversed(range(len(layout.runners))):
        x, y = layout.paths[n]
        colour = WHITE if n == 0 else layout.runners[n].colour
        # a step thrown off the surface is drawn toward where it went, cut at the edge
        for piece in clipped_polylines(x, y, -side, 2 * side):
            draw.line(piece, fill=colour, width=max(side // 300, 2))
        if n == 0:
            _main_marks(draw, layout, layout.runners[0].run, x, y)
    return square


def _valley(draw, layout, floor_wx, wrec):
    """The valley floor, dotted white; its breaks (NaN: no floor there) left open."""
    x, y = layout.square_xy(floor_wx, wrec)
    r = max(layout.side / 400, 1.0)
    for px, py in zip(x[::2], y[::2], strict=True):
        if np.isfinite(px) and 0 <= px <= layout.side:
            draw.ellipse([px - r, py - r, px + r, py + r], fill=WHITE)


def _main_marks(draw, layout, run, x, y):
    """The main run's dots coloured by their steps' lengths, sign flips, start and end."""
    side = layout.side
    inside = (x >= 0) & (x <= side) & (y >= 0) & (y <= side)
    r = max(side / 220, 1.5)
    dot_colours = step_colours(step_lengths(run.weights))
    for i in np.nonzero(inside)[0]:  # every iterate's dot, coloured by its step's length
        draw.ellipse([x[i] - r, y[i] - r, x[i] + r, y[i] + r], fill=dot_colours[i])
    flips = np.nonzero(run.sign_flips.any(axis=1))[0]
    c = max(side / 130, 2.5)
    for i in flips[inside[flips]]:
        for dx in (-c, c):
            draw.line([(x[i] - dx, y[i] - c), (x[i] + dx, y[i] + c)], fill=FLIP, width=2)
    for i, marker, colour, radius in ((0, "diamond", WHITE, 80), (-1, "star", END, 55)):
        if inside[i]:
            draw_marker(draw, marker, x[i], y[i], side / radius, colour)


def _surface_axes(draw, layout, fonts):
    """Ticks and names of w_x (below) and w_rec (left), as the page's surface has them."""
    left, top, side, em = layout.left, layout.top, layout.side, layout.em
    draw.rectangle([left - 1, top - 1, left + side, top + side], outline=INK)
    across, up = layout.surface_ticks()
    for x, text in across:
        draw.line([(x, top + side), (x, top + side + 5)], fill=INK)
        draw.text((x, top + side + 7), text, INK, fonts.small, anchor="ma")
    for y, text in up:
        draw.line([(left - 5, y), (left, y)], fill=INK)
        draw.text((left - 7, y), text, INK, fonts.small, anchor="rm")
    draw.text((left + side, top + side + em * 2.2), "w_x", INK, fonts.text, anchor="rb")
    draw.text((left, top - 4), "w_rec", INK, fonts.text, anchor="rb" if left > 3 * em else "lb")


def _cost_chart(draw, layout, small):
    """The cost per iteration of every runner, on a log scale."""
    chart = layout.cost_chart
    _axes(draw, layout, chart, "cost (log scale) per iteration", layout.cost_logs, small)
    for n in range(len(layout.runners)):
        xs, ys = layout.cost_points(n)
        if len(xs) > 1:
            draw.line(list(zip(xs, ys, strict=True)), fill=_line_colour(layout, n), width=2)
    below = chart.bottom + 4
    draw.text((chart.left, below), "0", INK, small, anchor="la")
    draw.text((chart.right, below), f"{layout.count - 1}", INK, small, anchor="ra")
    draw.text(((chart.left + chart.right) / 2, below), "iteration", INK, small, anchor="ma")


def _gradient_chart(draw, layout, small):
    """The frame of |dE/dS_k| through time (its line moves: frame())."""
    chart = layout.gradient_chart
    title = "|dE/dS_k| at the current iterate (log scale)"
    _axes(draw, layout, chart, title, layout.gradient_ends, small)
    draw.text((chart.left, chart.bottom + 4), "k = T (output)", INK, small, anchor="la")
    draw.text((chart.right, chart.bottom + 4), "k = 0", INK, small, anchor="ra")


def _axes(draw, layout, chart, title, arrays, small):
    """The chart's frame, title and decades; the runners whose values go beyond its top
    (a diverged racer's) named at the top right, in the alert colour."""
    draw.rectangle([chart.left, chart.top, chart.right, chart.bottom], outline=GRID)
    draw.text((chart.left, chart.top - 4), title, INK, small, anchor="ld")
    beyond = layout.beyond(chart, arrays)
    if beyond:
        note = "above the top: " + ", ".join(beyond)
        draw.text((chart.right, chart.top - 4), note, CURRENT_LINE, small, anchor="rd")
    for value, y in ((chart.hi, chart.top), (chart.lo, chart.bottom)):
        draw.text((chart.left - 5, y), f"1e{value:.0f}", INK, small, anchor="rm")


# ---------------------------------------------------------------------- drawn per frame


def _iteration(draw, layout, fonts, i):
    """The iteration: its line in the cost chart and the readout's first line, or (without
    the side views) at the right end of the caption strip."""
    chart = layout.cost_chart
    if chart is None:
        width, height = layout.size
        at = (width - 8, height - layout.strip / 2)
        draw.text(at, layout.counter(i), INK, fonts.text, anchor="rm")
        return
    x = float(layout.iteration_x(i))
    draw.line([(x, chart.top), (x, chart.bottom)], fill=CURRENT_LINE, width=2)
    at = (layout.pane[0], layout.readout_top)
    draw.text(at, layout.counter(i), INK, fonts.text, anchor="la")


def _runner_marks(draw, layout, fonts, n, i):
    """Runner n at frame i: its current iterate on the surface (unless off it), and with the
    side views its readout line, its cost marked and its gradient through time."""
    runner, em = layout.runners[n], layout.em
    j = layout.held(n, i)
    x, y = layout.paths[n][0][j], layout.paths[n][1][j]
    r = layout.side / 55 if n == 0 else layout.side / 70
    if -r <= x <= layout.side + r and -r <= y <= layout.side + r:
        draw_marker(draw, runner.marker, layout.left + x, layout.top + y, r, runner.colour)
    if layout.cost_chart is not None:
        left, top = layout.pane[0], layout.readout_y(n)
        draw_marker(draw, runner.marker, left + em / 2, top + em / 2, em / 2.6, runner.colour)
        draw.text((left + em * 1.3, top), layout.readout(n, j), INK, fonts.small, anchor="la")
        draw_marker(draw, runner.marker, *layout.cost_point(n, j), em / 3, runner.colour)
    if layout.gradient_chart is not None:
        xs, ys = layout.gradient_points(n, j)
        if len(xs) > 1:
            draw.line(list(zip(xs, ys, strict=True)), fill=_line_colour(layout, n), width=2)
        every = max(len(xs) // 12, 1)  # markers, so a line is told apart by its shape too
        for x, y in zip(xs[::every], ys[::every], strict=True):
            draw_marker(draw, runner.marker, x, y, em / 4, runner.colour)
