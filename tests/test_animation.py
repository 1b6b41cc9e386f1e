"""GIF animations (rnnviz/animation.py and `python -m rnnviz gif`), opened back with Pillow."""

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import rnnviz
from rnnviz import animation, params, surface_image


@pytest.fixture(scope="module")
def tutorial_frames():
    X, t = rnnviz.make_dataset()
    layer = surface_image.layer_of(X, t, (-3.0, 3.0, -3.0, 3.0), 200)
    run = rnnviz.run(X, t, params.run_settings(params.defaults()))
    return animation.Frames(layer, run, (640, 360), caption="the tutorial"), run


def cli(*args):
    return subprocess.run([sys.executable, "-m", "rnnviz", *args], capture_output=True, text=True)


def near(colour, target, tolerance=40):
    return all(abs(int(a) - int(b)) <= tolerance for a, b in zip(colour, target, strict=True))


def test_a_gif_has_the_frames_asked_for_and_the_current_iterate_where_the_run_is(
    tutorial_frames, tmp_path
):
    frames, run = tutorial_frames
    indices = animation.frame_indices(len(frames), 60)
    assert len(indices) == 60 and indices[0] == 0 and indices[-1] == 500
    path = tmp_path / "run.gif"
    seen = []
    animation.write_gif(frames, indices, path, fps=20, progress=lambda d, n: seen.append(d))
    assert seen == list(range(1, 61))
    with Image.open(path) as gif:
        assert gif.n_frames == 60 and gif.size == (640, 360)
        assert gif.info["duration"] == 50 and gif.info["loop"] == 0
        for k in (0, 10, 59):  # the cyan current iterate at iterate indices[k]'s weights
            gif.seek(k)
            x, y = frames.pixel_of(indices[k])
            assert 0 <= x < frames.side and 0 <= y < frames.side
            pixel = gif.convert("RGB").getpixel((round(x), round(y)))
            assert near(pixel, animation.CURRENT), (k, pixel)
    # the iterates' pixels are the weights mapped onto the surface's square
    w = run.weights[indices[10]]
    assert frames.pixel_of(indices[10]) == pytest.approx(
        ((w[0] + 3) / 6 * frames.side, (3 - w[1]) / 6 * frames.side)
    )


def test_a_run_thrown_off_the_surface_is_drawn_leaving_it(tmp_path):
    X, t = rnnviz.make_dataset()
    run = rnnviz.train(X, t, rnnviz.sgd(2e-3), iterations=20)  # diverges at iteration 2
    layer = surface_image.layer_of(X, t, (-3.0, 3.0, -3.0, 3.0), 50)
    frames = animation.Frames(layer, run, (320, 180))
    assert len(frames) == 2
    last = np.asarray(frames.frame(1))
    assert last.shape == (180, 320, 3)  # drawn, not an error, with its mark off the square


def test_the_cli_writes_a_gif_with_a_progress_bar_and_refuses_bad_sizes(tmp_path):
    out = tmp_path / "twin.gif"
    done = cli("gif", "--story", "twin", "--frames", "25", "--size", "480x270", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "25/25" in done.stderr and f"{out}: 25 frames at 480x270" in done.stderr
    with Image.open(out) as gif:
        assert gif.n_frames == 25 and gif.size == (480, 270)
        # the settings are inside the file: the twin's gradient descent, clipped at 10
        comment = gif.info["comment"].decode()
        assert comment.startswith(f"rnnviz {rnnviz.__version__} ?optimizer=sgd")
        assert "clip=10" in comment
    bad = subprocess.run(
        [sys.executable, "-m", "rnnviz", "gif", "-o", str(out), "--size", "big"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "WIDTHxHEIGHT" in bad.stderr


def ffmpeg_decode(path, width, height):
    """(what ffmpeg says of the video stream, its frames as RGB arrays), by ffmpeg itself."""
    import imageio_ffmpeg

    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    probe = subprocess.run(
        [ffmpeg, "-hide_banner", "-i", str(path)], capture_output=True, text=True
    )
    stream = next(line for line in probe.stderr.splitlines() if "Video:" in line)
    raw = subprocess.run(
        [ffmpeg, "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)
    return stream, frames


def test_an_mp4_is_h264_with_the_frames_asked_for_and_the_iterate_where_the_run_is(
    tutorial_frames, tmp_path
):
    frames, _ = tutorial_frames
    indices = animation.frame_indices(len(frames), 40)
    path = tmp_path / "run.mp4"
    animation.write_mp4(frames, indices, path, fps=20)
    stream, pictures = ffmpeg_decode(path, 640, 360)
    assert "h264" in stream and "yuv420p" in stream and "640x360" in stream
    assert "20 fps" in stream
    assert len(pictures) == 40
    for k in (0, 20, 39):  # lossy, but the cyan iterate is still cyan where the run is
        x, y = frames.pixel_of(indices[k])
        assert near(tuple(pictures[k][round(y), round(x)]), animation.CURRENT, 60)


def test_the_cli_writes_an_mp4(tmp_path):
    out = tmp_path / "clip.mp4"
    done = cli("mp4", "--story", "clipping", "--frames", "30", "--size", "320x180", "-o", str(out))
    assert done.returncode == 0, done.stderr
    stream, pictures = ffmpeg_decode(out, 320, 180)
    assert len(pictures) == 30 and "h264" in stream
    import imageio_ffmpeg

    probe = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(out)],
        capture_output=True,
        text=True,
    )
    assert "comment" in probe.stderr and "clip=10" in probe.stderr  # the settings, inside


def test_the_cli_draws_one_frame_as_a_png_with_its_settings_inside(tmp_path):
    out = tmp_path / "run.png"
    done = cli("png", "?eta_p=1.5&eta_n=0.3", "--frame", "40", "--size", "800x450", "-o", str(out))
    assert done.returncode == 0, done.stderr
    with Image.open(out) as picture:
        assert picture.size == (800, 450)
        assert picture.text["rnnviz"] == f"{rnnviz.__version__} ?eta_p=1.5&eta_n=0.3 frame=40"
        X, t = rnnviz.make_dataset()
        values = params.defaults() | {"eta_p": 1.5, "eta_n": 0.3}
        w = rnnviz.run(X, t, params.run_settings(values)).weights[40]
        side = 450 - max(int(450 * animation.CAPTION_FRACTION), 14)
        x, y = (w[0] + 3) / 6 * side, (3 - w[1]) / 6 * side
        assert near(picture.convert("RGB").getpixel((round(x), round(y))), animation.CURRENT)
    bad = subprocess.run(
        [sys.executable, "-m", "rnnviz", "png", "--frame", "9999", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "is not an iterate of this run (0 to 500)" in bad.stderr
