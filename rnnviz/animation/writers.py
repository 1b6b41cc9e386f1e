"""Frames (drawing.Frames) written as a looping GIF or an H.264 MP4, with the settings kept
inside the file."""

import itertools

import numpy as np
from PIL import Image

from rnnviz.animation.drawing import CURRENT_LINE, INK


def gif_durations(count, fps):
    """Each frame's time in ms for count frames at fps. A GIF counts in hundredths of a
    second: 1000 / fps rounded for every frame would drift (41 frames meant for 4 s last 3.7 s
    at 90 ms each), so each frame ends at its own rounded time and the whole lasts count / fps
    to the hundredth. Never under 20 ms: browsers slow faster frames to 100 ms."""
    ends = [round(k * 100 / fps) for k in range(count + 1)]
    return [max(10 * (b - a), 20) for a, b in itertools.pairwise(ends)]


def write_gif(frames, indices, path, fps=25, progress=None, note=""):
    """The frames at indices as a looping GIF at fps; progress(done, total) after each frame;
    note (the settings) kept in the file as its comment.

    One palette for every frame, made from the first (the surface, the path and the marks),
    so the colours do not flicker; Pillow stores each frame as its difference from the last.
    Returns the size written.
    """
    first = frames.frame(indices[0])
    palette = _palette(first, [r.colour for r in frames.runners] + [CURRENT_LINE, INK])
    pictures = []
    for done, i in enumerate(indices, start=1):
        image = first if done == 1 else frames.frame(i)
        pictures.append(image.quantize(palette=palette, dither=Image.Dither.NONE))
        if progress is not None:
            progress(done, len(indices))
    pictures[0].save(
        path,
        format="GIF",
        save_all=True,
        append_images=pictures[1:],
        duration=gif_durations(len(pictures), fps),
        loop=0,
        comment=note.encode("utf-8"),
    )
    return frames.size


def _palette(picture, exact):
    """A palette image: picture's colours by median cut, and the colours in exact as they
    are (the runners' marks must keep their colours, however few pixels they have)."""
    quantized = picture.quantize(colors=256 - len(exact), method=Image.Quantize.MEDIANCUT)
    colours = quantized.getpalette()[: 3 * (256 - len(exact))]
    colours += [value for colour in exact for value in colour]
    palette = Image.new("P", (1, 1))
    palette.putpalette(colours)
    return palette


def write_mp4(frames, indices, path, fps=25, progress=None, note=""):
    """The frames at indices as an H.264 MP4 (yuv420p: PowerPoint and Keynote play it), note
    (the settings) kept in the file's comment; returns the size written (even sides: H.264
    in yuv420p needs them, so an odd side loses its last pixel).

    Needs the imageio-ffmpeg package (requirements.txt), which brings its own ffmpeg; if it is
    missing, an ImportError says how to get it.
    """
    imageio_ffmpeg = mp4_writer()
    width, height = frames.size
    even = (width - width % 2, height - height % 2)  # H.264 in yuv420p wants even sides
    writer = imageio_ffmpeg.write_frames(
        str(path),
        even,
        fps=fps,
        codec="libx264",
        pix_fmt_out="yuv420p",
        quality=None,
        output_params=[
            *("-crf", "18", "-preset", "veryfast", "-movflags", "+faststart"),
            *("-metadata", f"comment={note}"),
        ],
        macro_block_size=1,
    )
    writer.send(None)  # start ffmpeg
    try:
        for done, i in enumerate(indices, start=1):
            image = frames.frame(i).crop((0, 0, *even))
            writer.send(np.ascontiguousarray(np.asarray(image, dtype=np.uint8)))
            if progress is not None:
                progress(done, len(indices))
    finally:
        writer.close()
    return even


MP4_MISSING = "MP4 needs the imageio-ffmpeg package: .venv/bin/pip install imageio-ffmpeg"


def mp4_writer():
    """The imageio_ffmpeg module (it brings its own ffmpeg), or ImportError saying how to get
    it."""
    try:
        import imageio_ffmpeg

        imageio_ffmpeg.get_ffmpeg_exe()  # the package may be there without its binary
    except (ImportError, RuntimeError):
        raise ImportError(MP4_MISSING) from None
    return imageio_ffmpeg
