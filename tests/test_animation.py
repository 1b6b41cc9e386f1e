"""GIF animations (rnnviz/animation/ and `python -m rnnviz gif`), opened back with Pillow."""

import subprocess
import sys
from urllib.parse import parse_qs

import numpy as np
import pytest
from PIL import Image

import rnnviz
from rnnviz import animation, racer_grammar, specs, surface_image
from rnnviz.palette import RACER_STYLES

RANGES = (-3.0, 3.0, -3.0, 3.0)


@pytest.fixture(scope="module")
def tutorial_frames():
    X, t = rnnviz.make_dataset()
    layer = surface_image.layer_of(X, t, RANGES, 200)
    run = rnnviz.run(X, t, specs.run_settings(specs.defaults()))
    alone = animation.runners([(run, None, run.optimizer)])
    return animation.Frames(layer, alone, (640, 360), caption="the tutorial"), run


def cli(*args):
    return subprocess.run([sys.executable, "-m", "rnnviz", *args], capture_output=True, text=True)


def gif_length_ms(gif):
    """The whole GIF's time, frame by frame."""
    total = 0
    for k in range(gif.n_frames):
        gif.seek(k)
        total += gif.info["duration"]
    return total


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
            assert frames.left <= x < frames.left + frames.side
            assert frames.top <= y < frames.top + frames.side
            pixel = gif.convert("RGB").getpixel((round(x), round(y)))
            assert near(pixel, animation.CURRENT), (k, pixel)
    # the iterates' pixels are the weights mapped onto the surface's square
    w = run.weights[indices[10]]
    assert frames.pixel_of(indices[10]) == pytest.approx(
        (frames.left + (w[0] + 3) / 6 * frames.side, frames.top + (3 - w[1]) / 6 * frames.side)
    )


def test_a_run_thrown_off_the_surface_is_drawn_leaving_it(tmp_path):
    X, t = rnnviz.make_dataset()
    run = rnnviz.train(X, t, rnnviz.sgd(2e-3), iterations=20)  # diverges at iteration 2
    layer = surface_image.layer_of(X, t, (-3.0, 3.0, -3.0, 3.0), 50)
    frames = animation.Frames(layer, animation.runners([(run, None, run.optimizer)]), (320, 180))
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
        said = f"rnnviz {rnnviz.__version__} ?eta_p=1.5&eta_n=0.3 frame=40"
        assert picture.text["rnnviz"] == said
        X, t = rnnviz.make_dataset()
        values = specs.defaults() | {"eta_p": 1.5, "eta_n": 0.3}
        run = rnnviz.run(X, t, specs.run_settings(values))
        w = run.weights[40]
        # where the surface's square sits in a frame of this size (the layout's), then the
        # weights mapped onto it by hand
        layout = animation.Frames(
            surface_image.layer_of(X, t, RANGES, 20),
            animation.runners([(run, None, run.optimizer)]),
            (800, 450),
        )
        x = layout.left + (w[0] + 3) / 6 * layout.side
        y = layout.top + (3 - w[1]) / 6 * layout.side
        assert near(picture.convert("RGB").getpixel((round(x), round(y))), animation.CURRENT)
    bad = subprocess.run(
        [sys.executable, "-m", "rnnviz", "png", "--frame", "9999", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "is not an iterate of this run (0 to 500)" in bad.stderr


# ------------------------------------------------------------------------------ the race


def test_an_animations_length_sets_its_pace():
    # 2000 iterations in 20 s: 500 frames at 25 a second
    indices, fps = animation.pace(2001, 20)
    assert len(indices) == 500 and fps == 25 and indices[-1] == 2000
    # 100 iterations in 10 s: each iteration once, 10 a second
    indices, fps = animation.pace(101, 10)
    assert indices == list(range(101)) and fps == pytest.approx(10.1)
    # a run of one iterate: one frame, one a second
    assert animation.pace(1, 5) == ([0], 1.0)


def test_the_cli_draws_a_race_and_keeps_its_racers_inside(tmp_path):
    out = tmp_path / "race.gif"
    query = "?racers=adam%20learning_rate=0.05"
    done = cli("gif", query, "--frames", "10", "--size", "640x360", "-o", str(out))
    assert done.returncode == 0, done.stderr
    with Image.open(out) as gif:
        comment = gif.info["comment"].decode()
        # the racer as the page writes it: every argument, the defaults too
        assert comment.startswith(f"rnnviz {rnnviz.__version__} ?racers=adam%20learning_rate=0.05")
        racers = parse_qs(comment.split(" ", 2)[2].lstrip("?"))["racers"]
        typed = racer_grammar.parse_racer("adam learning_rate=0.05")
        assert racer_grammar.parse_racer(racers[0])[1:] == typed[1:]
        assert gif.n_frames == 10
        gif.seek(1)
        picture = gif.convert("RGB")
    X, t = rnnviz.make_dataset()
    values = specs.defaults()
    adam = rnnviz.run(X, t, racer_grammar.racer_settings("adam learning_rate=0.05", values))
    main = rnnviz.run(X, t, specs.run_settings(values))
    layout = animation.Frames(
        surface_image.layer_of(X, t, RANGES, 20),
        animation.runners([(main, None, "a"), (adam, None, "b")]),
        (640, 360),
    )
    i = animation.frame_indices(501, 10)[1]  # the second frame's iterate (56)
    x, y = layout.pixel_of(i, runner=1)
    assert np.hypot(*np.subtract((x, y), layout.pixel_of(i, runner=0))) > 20  # apart
    assert near(picture.getpixel((round(x), round(y))), animation.rgb(RACER_STYLES[0][0]))
    bad = cli("gif", "?racers=nesterov", "-o", str(out))
    assert bad.returncode == 2 and "does not start with an optimiser" in bad.stderr


def test_the_main_run_has_the_pages_sign_flips_and_the_valley_floor_is_dotted_white():
    X, t = rnnviz.make_dataset()
    run = rnnviz.run(X, t, specs.run_settings(specs.defaults()))
    wrec = surface_image.pixel_centres(-3.0, 3.0, 200)
    floor = rnnviz.valley_floor(X, t, wrec)
    alone = animation.runners([(run, None, run.optimizer)])
    frames = animation.Frames(
        surface_image.layer_of(X, t, RANGES, 200), alone, (1280, 720), valley=(floor, wrec)
    )
    picture = frames.frame(0)
    # a sign flip away from the start and the end stars: a red cross at its iterate
    flips = np.nonzero(run.sign_flips.any(axis=1))[0]
    start, end = np.array(frames.pixel_of(0)), np.array(frames.pixel_of(500))
    away = [
        i
        for i in flips
        if min(
            np.hypot(*(np.array(frames.pixel_of(i)) - start)),
            np.hypot(*(np.array(frames.pixel_of(i)) - end)),
        )
        > 30
    ]
    assert away, "the tutorial's run flips signs on its way"
    x, y = frames.pixel_of(away[0])
    assert near(picture.getpixel((round(x), round(y))), animation.FLIP, 10)
    # the valley floor at w_rec near -2 (nowhere near the path): a white dot, drawn at every
    # other of the floor's points, placed by hand
    k = int(np.argmin(np.abs(wrec + 2.0)))
    k -= k % 2
    px = frames.left + (floor[k] + 3) / 6 * frames.side
    py = frames.top + (3 - wrec[k]) / 6 * frames.side
    assert picture.getpixel((round(px), round(py))) == (255, 255, 255)
    # no valley asked for: the same place shows the surface
    bare = animation.Frames(surface_image.layer_of(X, t, RANGES, 200), alone, (1280, 720))
    assert bare.frame(0).getpixel((round(px), round(py))) != (255, 255, 255)


def test_the_cli_paces_an_animation_by_its_length_as_the_page_does(tmp_path):
    out = tmp_path / "short.gif"
    done = cli("gif", "?iterations=40", "--seconds", "4", "--size", "320x180", "-o", str(out))
    assert done.returncode == 0, done.stderr
    with Image.open(out) as gif:  # 41 iterates in 4 s: each once, about 10 a second
        assert gif.n_frames == 41 and gif_length_ms(gif) == 4000
    both = cli("gif", "--seconds", "4", "--frames", "9", "-o", str(out))
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


@pytest.mark.parametrize(("count", "fps"), [(41, 10.25), (500, 25), (101, 20.2), (7, 3)])
def test_a_gifs_frames_add_up_to_its_length_in_hundredths(count, fps):
    durations = animation.gif_durations(count, fps)
    assert len(durations) == count and all(d % 10 == 0 and d >= 20 for d in durations)
    assert sum(durations) == round(100 * count / fps) * 10  # to the hundredth of a second
    assert max(durations) - min(durations) <= 10  # an even pace


def test_the_cli_says_the_size_it_wrote_and_wants_a_name_that_fits(tmp_path):
    odd = tmp_path / "odd.mp4"
    done = cli("mp4", "--frames", "5", "--size", "321x181", "-o", str(odd))
    assert done.returncode == 0, done.stderr
    assert f"{odd}: 5 frames at 320x180 (H.264 needs even sides)" in done.stderr
    stream, pictures = ffmpeg_decode(odd, 320, 180)
    assert "320x180" in stream and len(pictures) == 5
    for command, name, says in (
        ("mp4", "x.gif", "an MP4 needs a .mp4 name"),
        ("gif", "x.mp4", "a GIF needs a .gif name"),
        ("png", "x.jpg", "a PNG needs a .png name"),
    ):
        bad = cli(command, "-o", str(tmp_path / name))
        assert bad.returncode == 2 and says in bad.stderr and bad.stderr.count("\n") == 1
        assert not (tmp_path / name).exists()
