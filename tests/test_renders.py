"""Animations drawn for the page in the background (renders.py): one at a time, a short queue."""

import sys
import threading
import time

import pytest

import rnnviz
from dashboard import renders
from rnnviz import animation, surface_image


class Held(animation.Frames):
    """Frames that wait for a signal before drawing their first frame: a render in progress."""

    def __init__(self, gate, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gate = gate

    def frame(self, i):
        assert self.gate.wait(30)
        return super().frame(i)


@pytest.fixture
def frames():
    X, t = rnnviz.make_dataset()
    layer = surface_image.layer_of(X, t, (-3.0, 3.0, -3.0, 3.0), 20)
    run = rnnviz.train(X, t, rnnviz.rprop(), iterations=20)
    gate = threading.Event()
    alone = animation.runners([(run, None, run.optimizer)])
    yield (lambda: Held(gate, layer, alone, (160, 90))), gate
    gate.set()  # nothing left waiting, whatever the test did


def until(condition, seconds=30):
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def test_one_render_draws_at_a_time_the_others_wait_and_then_draw(frames):
    make, gate = frames
    first = renders.start("gif", make(), 1, "first")
    until(lambda: not first.waiting)  # it has the turn, and is held at its first frame
    queued = [renders.start("gif", make(), 1, f"queued{k}") for k in range(renders.MAX_WAITING)]
    time.sleep(0.2)
    assert all(render.waiting and render.done == 0 for render in queued)
    with pytest.raises(renders.BusyError, match="try again in a minute"):
        renders.start("gif", make(), 1, "one too many")
    gate.set()
    until(lambda: all(render.finished for render in [first, *queued]))
    for render in [first, *queued]:
        assert render.error is None and render.path.exists() and render.done == render.total
    # the queue is empty again: another render may start
    renders.start("gif", make(), 1, "later").discard()


def test_a_missing_mp4_writer_is_named_with_how_to_get_it(monkeypatch):
    assert renders.missing("mp4") == "" and renders.missing("gif") == ""
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # as if not installed
    says = renders.missing.__wrapped__("mp4")
    assert says == animation.MP4_MISSING and "pip install imageio-ffmpeg" in says


def test_a_renders_folder_goes_when_nothing_holds_the_render(frames):
    import gc
    from pathlib import Path

    make, gate = frames
    gate.set()
    render = renders.start("gif", make(), 1, "kept")
    until(lambda r=render: r.finished)
    folder = Path(render.folder)
    assert render.path.exists() and render.path.parent == folder
    del render  # the session's state let go of it (another render, or the session closed)
    gc.collect()
    assert not folder.exists()
