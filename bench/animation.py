"""Animations for slides (issue 11): a 500-frame GIF and MP4 at 1280x720, against one PNG frame."""

import io
import os
import tempfile
import time

import rnnviz
from bench.core import best_time
from rnnviz import animation, params, surface_image


def measure():
    X, t = rnnviz.make_dataset()
    layer = surface_image.layer_of(X, t, (-3.0, 3.0, -3.0, 3.0), 400)
    run = rnnviz.run(X, t, params.run_settings(params.defaults()))
    frames = animation.Frames(layer, run, (1280, 720), caption="rprop tutorial")
    indices = animation.frame_indices(len(frames), 500)
    png_s = best_time(lambda: frames.frame(250).save(io.BytesIO(), format="PNG"), 5)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "run.gif")
        start = time.perf_counter()
        animation.write_gif(frames, indices, path)
        gif_s = time.perf_counter() - start
        size_mb = os.path.getsize(path) / 1e6
        mp4 = os.path.join(folder, "run.mp4")
        start = time.perf_counter()
        animation.write_mp4(frames, indices, mp4)
        mp4_s = time.perf_counter() - start
        mp4_mb = os.path.getsize(mp4) / 1e6
    per_frame = gif_s / len(indices)
    return [
        ("GIF of 500 frames at 1280x720 (s)", gif_s, "<= 30", f"{per_frame * 1e3:.1f} ms a frame"),
        ("GIF of 500 frames at 1280x720 (MB)", size_mb, "<= 10", ""),
        ("MP4 (H.264) of 500 frames at 1280x720 (s)", mp4_s, "<= 30", f"{mp4_mb:.2f} MB"),
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
