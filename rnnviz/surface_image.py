"""The cost surface as a picture: one colour scale, iso-cost lines, a PNG and its hover grid.

The browser gets the surface as a layout image rather than a heatmap trace: a heatmap vanishes
when plotly animates frames without redraw, and redrawing one every frame is slow.
"""

import base64
import io
import math
from typing import NamedTuple

import numpy as np
import plotly.colors
from PIL import Image

from rnnviz import palette
from rnnviz.ticks import nice_step

# One colour scale for the surface image and its colour bar (rnnviz/palette.py).
COLORSCALE = palette.SURFACE_COLORSCALE
OVERFLOW_RGB = palette.rgb(palette.OVERFLOW)  # cost beyond float64, named in the caption
LOWEST_COST_DECADE = -12  # colour everything below 1e-12 as the floor of the valley


class SurfaceLayer(NamedTuple):
    """The cost surface as sent to the browser: a PNG, its extent, colour range and hover grid."""

    image: str  # data:image/png;base64,...
    ranges: tuple  # (wx_min, wx_max, wrec_min, wrec_max): the image's extent
    log_lo: float  # colour scale bottom, log10(cost)
    log_hi: float  # colour scale top
    hover_wx: np.ndarray  # (h,) coarse grid for hover values
    hover_wrec: np.ndarray  # (h,)
    hover_cost: np.ndarray  # (h, h) rows follow w_rec; +inf where it overflows
    overflow_fraction: float  # share of the image where the cost overflows float64


def pixel_centres(lo, hi, count):
    """Centres of count equal cells spanning [lo, hi], so an image of them spans exactly that."""
    return lo + (np.arange(count) + 0.5) * (hi - lo) / count


def colour_range(C):
    """Whole-decade colour range (lo, hi) of log10 C over its finite positive entries.

    It spans the whole surface, so long sequences (walls of 10^100 and more) keep their valley
    visible; only costs below 10^LOWEST_COST_DECADE share the bottom colour.
    """
    positive = C[np.isfinite(C) & (C > 0)]
    if positive.size == 0:
        return 0.0, 1.0
    hi = math.ceil(np.log10(positive.max()))
    lo = max(math.floor(np.log10(positive.min())), LOWEST_COST_DECADE)
    return float(min(lo, hi - 1)), float(hi)


def contour_spacing(lo, hi):
    """Decades between iso-cost lines: half a decade, or wider so at most about 30 lines show."""
    return 0.5 if hi - lo <= 15 else float(nice_step(hi - lo, 30))


def log_cost_rgb(C, lo, hi, contours=True):
    """RGB image (top row = highest w_rec) of log10 C on COLORSCALE; iso-cost lines per half decade.

    Zero cost takes the bottom colour; overflow (+inf) takes OVERFLOW_RGB.
    """
    finite = np.isfinite(C)
    with np.errstate(divide="ignore"):
        logs = np.log10(np.where(finite & (C > 0), C, 10.0**lo))
    level = np.clip((logs - lo) / (hi - lo), 0.0, 1.0)
    palette = np.array(
        [plotly.colors.hex_to_rgb(c) for _, c in COLORSCALE], dtype=float
    )  # (stops, 3)
    position = level * (len(palette) - 1)
    below = np.minimum(position.astype(int), len(palette) - 2)
    frac = (position - below)[..., None]
    rgb = palette[below] * (1 - frac) + palette[below + 1] * frac
    if contours:
        # An iso-cost line where the level changes by exactly one between neighbouring pixels;
        # a bigger jump means lines closer than a pixel, which would only paint the wall pale.
        level = np.floor(logs / contour_spacing(lo, hi))
        edge = np.zeros(C.shape, dtype=bool)
        edge[1:, :] |= np.abs(level[1:, :] - level[:-1, :]) == 1
        edge[:, 1:] |= np.abs(level[:, 1:] - level[:, :-1]) == 1
        edge &= finite
        rgb[edge] = rgb[edge] * 0.55 + 255 * 0.45  # a pale line that reads on dark and light
    rgb[~finite] = OVERFLOW_RGB
    return np.flipud(np.rint(rgb).astype(np.uint8))


def png_data_uri(rgb):
    """A PNG data URI of an (h, w, 3) uint8 image."""
    buffer = io.BytesIO()
    Image.fromarray(rgb, mode="RGB").save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def surface_layer(C, hover_C, ranges, contours=True):
    """SurfaceLayer from the cost C on pixel centres and hover_C on a coarse grid, over ranges."""
    lo, hi = colour_range(C)
    h = hover_C.shape[0]
    return SurfaceLayer(
        image=png_data_uri(log_cost_rgb(C, lo, hi, contours)),
        ranges=tuple(float(r) for r in ranges),
        log_lo=lo,
        log_hi=hi,
        hover_wx=pixel_centres(ranges[0], ranges[1], h),
        hover_wrec=pixel_centres(ranges[2], ranges[3], hover_C.shape[0]),
        hover_cost=hover_C,
        overflow_fraction=float(np.mean(~np.isfinite(C))),
    )


HOVER_CELLS = 31  # the hover grid: enough to read a cost, small to send


def layer_of(X, t, ranges, resolution, contours=True):
    """The SurfaceLayer of data (X, t) over ranges at resolution x resolution pixels."""
    from rnnviz.surface import cost_surface  # the core, computed here for the picture

    wx_lo, wx_hi, wrec_lo, wrec_hi = ranges
    hover_C = cost_surface(
        X,
        t,
        pixel_centres(wx_lo, wx_hi, HOVER_CELLS),
        pixel_centres(wrec_lo, wrec_hi, HOVER_CELLS),
    )
    C = cost_surface(
        X, t, pixel_centres(wx_lo, wx_hi, resolution), pixel_centres(wrec_lo, wrec_hi, resolution)
    )
    return surface_layer(C, hover_C, ranges, contours)
