"""Animations for slides (issue 11): a 500-frame GIF and MP4 at 1280x720 as the page makes them
(with the side views), a race of four, against one PNG frame."""

import io
import os
import tempfile
import time

import rnnviz
from bench.core import best_time
from rnnviz import animation, racer_grammar, specs, surface_image


def _frames(X, t, layer, racers=()):
    """The page's frames at 1280x720 with the side views: the tutorial's run and racers."""
    values = specs.defaults()
    settings = [
        specs.run_settings(values),
        *(racer_grammar.racer_settings(r, values) for r in racers),
    ]
    runs = []
    for each, label in zip(settings, ("rprop", *racers), strict=True):
        run = rnnviz.run(X, t, each)
        runs.append((run, rnnviz.final_state_gradient(X, t, *run.weights.T), label))
    return animation.Frames(
        layer, animation.runners(runs), (1280, 720), caption="rprop tutorial", T=X.shape[1]
    )


def _write(write, frames, indices, folder, name):
    path = os.path.join(folder, name)
    start = time.perf_counter()
    write(frames, indices, path)
    return time.perf_counter() - start, os.path.getsize(path) / 1e6


def measure():
    X, t = rnnviz.make_dataset()
    layer = surface_image.layer_of(X, t, (-3.0, 3.0, -3.0, 3.0), 400)
    frames = _frames(X, t, layer)
    race = _frames(X, t, layer, ("sgd learning_rate=0.002 clip=10", "adam", "rprop eta_p=1.5"))
    indices = animation.frame_indices(len(frames), 500)
    png_s = best_time(lambda: frames.frame(250).save(io.BytesIO(), format="PNG"), 5)
    with tempfile.TemporaryDirectory() as folder:
        gif_s, size_mb = _write(animation.write_gif, frames, indices, folder, "run.gif")
        mp4_s, mp4_mb = _write(animation.write_mp4, frames, indices, folder, "run.mp4")
        race_s, race_mb = _write(animation.write_gif, race, indices, folder, "race.gif")
    per_frame = gif_s / len(indices)
    return [
        ("GIF of 500 frames at 1280x720 (s)", gif_s, "<= 30", f"{per_frame * 1e3:.1f} ms a frame"),
        ("GIF of 500 frames at 1280x720 (MB)", size_mb, "<= 10", ""),
        ("MP4 (H.264) of 500 frames at 1280x720 (s)", mp4_s, "<= 30", f"{mp4_mb:.2f} MB"),
        ("GIF of a race of four, 500 frames at 1280x720 (s)", race_s, "<= 30", f"{race_mb:.1f} MB"),
        (
            "GIF time a frame / one PNG frame (x)",
            per_frame / png_s,
            None,
            f"one 1280x720 PNG frame drawn and saved: {png_s * 1e3:.1f} ms",
        ),
    ]


if __name__ == "__main__":
    from bench.core import print_rows

    print_rows(measure())
