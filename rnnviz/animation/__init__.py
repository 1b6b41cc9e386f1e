"""Animations for slides: the surface with the run (and its racers) playing on it, drawn with
Pillow, as a GIF or an MP4.

Three rooms: layout.py places everything in a frame (numbers only, no Pillow: the surface
square and its ticks, the side views' charts, the weights' pixels, which iterates make the
frames); drawing.py draws the frames from a layout with Pillow (Frames, runners); writers.py
writes them as a GIF or an MP4.

The names the page, the CLI and the tests use are here. Those of drawing and writers are
imported on first use, as they import Pillow: the layout imports (and is tested) without it.
"""

import importlib

from rnnviz.animation.layout import (
    Chart,
    Layout,
    Runner,
    clip_segment,
    clipped_polylines,
    frame_indices,
    nice_ticks,
    pace,
)
from rnnviz.palette import rgb

_DRAWN = {  # name: the module that has it
    **dict.fromkeys(
        ("CURRENT", "CURRENT_LINE", "END", "FLIP", "GRID", "INK", "MAIN_LINE", "WHITE"), "drawing"
    ),
    **dict.fromkeys(("Frames", "draw_marker", "runners", "step_colours"), "drawing"),
    **dict.fromkeys(
        ("MP4_MISSING", "gif_durations", "mp4_writer", "write_gif", "write_mp4"), "writers"
    ),
}

__all__ = [
    "Chart",
    "Layout",
    "Runner",
    "clip_segment",
    "clipped_polylines",
    "frame_indices",
    "nice_ticks",
    "pace",
    "rgb",
    *_DRAWN,
]


def __getattr__(name):
    """drawing's and writers' names, from their module on first use (PEP 562)."""
    if name in _DRAWN:
        return getattr(importlib.import_module(f"rnnviz.animation.{_DRAWN[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
