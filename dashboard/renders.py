"""Animations drawn for the page in the background (Streamlit glue): the page stays usable.

A render is a small object in the session's state that a worker thread fills in (frames done,
then the file's path, or an error); the page polls it with a fragment. The worker never calls
Streamlit. Files go to a temporary folder, one per render, removed when the session starts
another render, when the session's state is dropped, or when the server stops.

A render takes a core for a few seconds, and this server has two: one render draws at a time,
whoever asked for it (the other core keeps every page's reruns quick); the others wait their
turn, a few at most, and beyond that a visitor is asked to try again shortly. A session has
one render at a time (the page disables its buttons meanwhile).
"""

import functools
import shutil
import tempfile
import threading
import weakref
from pathlib import Path

from rnnviz import animation

KINDS = {"gif": ("GIF", "image/gif"), "mp4": ("MP4 (H.264)", "video/mp4")}
ARTICLES = {"gif": "a", "mp4": "an"}
SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}
LENGTHS = {"5 s": 5, "10 s": 10, "20 s": 20, "40 s": 40}  # the animation's length: its speed
DRAWING_AT_ONCE = 1
MAX_WAITING = 4

_turn = threading.BoundedSemaphore(DRAWING_AT_ONCE)
_queue_lock = threading.Lock()
_waiting = 0


class BusyError(Exception):
    """Too many renders waiting: the visitor is asked to try again shortly."""


@functools.cache  # whether a package is installed does not change while the server runs
def missing(kind):
    """What the page lacks to make this kind of file, and how to get it; '' if nothing."""
    if kind != "mp4":
        return ""
    try:
        animation.mp4_writer()
    except ImportError as error:
        return str(error)
    return ""


class Render:
    """One animation being drawn: progress, then the file, or the reason it failed."""

    def __init__(self, kind, total, name, note=""):
        self.kind, self.total, self.name, self.note = kind, total, name, note
        self.done = 0
        self.waiting = True  # for its turn to draw
        self.path = None
        self.error = None
        self.folder = tempfile.mkdtemp(prefix="rnnviz-render-")
        # the folder goes with the render: when the session's state lets go of it (another
        # render, the session closed) or when the server stops
        self._remove = weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)

    @property
    def finished(self):
        return self.path is not None or self.error is not None

    def progress(self, done, total):
        self.done, self.total = done, total

    def discard(self):
        self._remove()


def start(kind, frames, seconds, name, previous=None, note=""):
    """A Render of frames (animation.Frames) lasting seconds, drawing in a thread; previous
    (a Render) is discarded; note (the settings) is kept inside the file."""
    global _waiting
    with _queue_lock:
        if _waiting >= MAX_WAITING:
            raise BusyError(
                f"the server is drawing animations for {_waiting} other requests; "
                "try again in a minute"
            )
        _waiting += 1
    if previous is not None:
        previous.discard()
    indices, fps = animation.pace(len(frames), seconds)
    render = Render(kind, len(indices), name, note)
    write = animation.write_gif if kind == "gif" else animation.write_mp4

    def work():
        global _waiting
        path = Path(render.folder) / f"{name}.{kind}"
        try:
            with _turn:
                with _queue_lock:
                    _waiting -= 1
                render.waiting = False
                write(frames, indices, path, fps, progress=render.progress, note=note)
        except Exception as error:  # shown in the page in plain words, never a traceback
            render.error = f"{type(error).__name__}: {error}"
        else:
            render.path = path

    threading.Thread(target=work, name=f"rnnviz-{kind}", daemon=True).start()
    return render
