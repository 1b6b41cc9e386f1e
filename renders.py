"""Animations drawn for the page in the background (Streamlit glue): the page stays usable.

A render is a small object in the session's state that a worker thread fills in (frames done,
then the file's path, or an error); the page polls it with a fragment. The worker never calls
Streamlit. Files go to a temporary folder, one per render, and are removed when the session
starts another render of the same kind (and with the process).
"""

import shutil
import tempfile
import threading
from pathlib import Path

from rnnviz import animation

KINDS = {"gif": ("GIF", "image/gif"), "mp4": ("MP4 (H.264)", "video/mp4")}
ARTICLES = {"gif": "a", "mp4": "an"}
SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}


class Render:
    """One animation being drawn: progress, then the file, or the reason it failed."""

    def __init__(self, kind, total, name):
        self.kind, self.total, self.name = kind, total, name
        self.done = 0
        self.path = None
        self.error = None
        self.folder = tempfile.mkdtemp(prefix="rnnviz-render-")

    @property
    def finished(self):
        return self.path is not None or self.error is not None

    def progress(self, done, total):
        self.done, self.total = done, total

    def discard(self):
        shutil.rmtree(self.folder, ignore_errors=True)


def start(kind, layer, run, size, caption, name, fps=25, previous=None, note=""):
    """A Render of run on layer, drawing in a thread; previous (a Render) is discarded; note
    (the settings) is kept inside the file."""
    if previous is not None:
        previous.discard()
    frames = animation.Frames(layer, run, size, caption)
    indices = animation.frame_indices(len(frames), 500)
    render = Render(kind, len(indices), name)
    write = animation.write_gif if kind == "gif" else animation.write_mp4

    def work():
        path = Path(render.folder) / f"{name}.{kind}"
        try:
            write(frames, indices, path, fps, progress=render.progress, note=note)
        except Exception as error:  # shown in the page in plain words, never a traceback
            render.error = f"{type(error).__name__}: {error}"
        else:
            render.path = path

    threading.Thread(target=work, name=f"rnnviz-{kind}", daemon=True).start()
    return render
