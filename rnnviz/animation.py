"""Animations for slides: the surface with the run playing on it, drawn with Pillow, as a GIF.

The frames are drawn from the same pieces the page shows (the surface picture of
rnnviz/surface_image.py, the run's iterates), not screenshots of a browser: no browser is
needed, and a frame costs a few milliseconds. Each frame: the surface with the whole path,
the optimum's ring, the start and end, and the current iterate in the page's cyan; beside it
the cost per iteration with the current one marked and the readout; below, the settings.
"""

import base64
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont

CURRENT = (0, 229, 255)  # the page's current-iterate cyan
INK = (34, 34, 34)
CURRENT_LINE = (255, 45, 85)
CAPTION_FRACTION = 0.07  # of the height: the settings strip at the bottom


def _font(size):
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:  # no DejaVu here: Pillow's own font, at any size
        return ImageFont.load_default(size)


def _surface_picture(layer):
    """The page's surface picture (a PNG data URI) as a Pillow image."""
    data = layer.image.split(",", 1)[1]
    return Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")


class Frames:
    """The frames of one run on one surface, at size (width, height); iterate i by frame(i)."""

    def __init__(self, layer, run, size=(1280, 720), caption=""):
        if len(run.weights) == 0:
            raise ValueError("the run has no iterate to draw")
        self.run, self.size = run, size
        width, height = size
        strip = max(int(height * CAPTION_FRACTION), 14)
        self.side = side = height - strip
        self.font = _font(max(strip // 2, 10))
        wx_lo, wx_hi, wrec_lo, wrec_hi = layer.ranges
        w = np.asarray(run.weights, dtype=float)
        self.x = (w[:, 0] - wx_lo) / (wx_hi - wx_lo) * side
        self.y = (wrec_hi - w[:, 1]) / (wrec_hi - wrec_lo) * side
        base = Image.new("RGB", size, "white")
        base.paste(_surface_picture(layer).resize((side, side), Image.Resampling.BILINEAR))
        draw = ImageDraw.Draw(base)
        far = 4 * side  # a point thrown off the surface is drawn toward where it went
        path = list(zip(np.clip(self.x, -far, far), np.clip(self.y, -far, far), strict=True))
        if len(path) > 1:
            draw.line(path, fill=(255, 255, 255), width=max(side // 300, 2))
        one = ((1 - wx_lo) / (wx_hi - wx_lo) * side, (wrec_hi - 1) / (wrec_hi - wrec_lo) * side)
        r = side / 45
        draw.ellipse([one[0] - r, one[1] - r, one[0] + r, one[1] + r], outline="white", width=3)
        self._mark(draw, 0, (255, 255, 255), side / 90)  # the start
        self._mark(draw, -1, (255, 215, 0), side / 70)  # the end
        draw.rectangle([0, side, width, height], fill="white")
        draw.text((8, side + strip / 2), caption, fill=INK, font=self.font, anchor="lm")
        self._chart = (side + 40, 60, width - 20, side - 50)  # cost per iteration, log scale
        self._draw_costs(draw)
        self.base = base

    def _mark(self, draw, i, colour, r):
        x, y = self.x[i], self.y[i]
        if -r <= x <= self.side + r and -r <= y <= self.side + r:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline=(11, 37, 69), width=2)

    def _chart_x(self, i):
        left, _, right, _ = self._chart
        return left + (right - left) * i / max(len(self.run.costs) - 1, 1)

    def _draw_costs(self, draw):
        left, top, right, bottom = self._chart
        if right - left < 40:  # too narrow a frame for a chart beside the surface
            return
        logs = np.log10(np.maximum(np.asarray(self.run.costs, dtype=float), 1e-300))
        lo, hi = float(logs.min()), float(logs.max())
        hi = max(hi, lo + 1)
        ys = bottom - (logs - lo) / (hi - lo) * (bottom - top)
        xs = [self._chart_x(i) for i in range(len(logs))]
        draw.rectangle([left, top, right, bottom], outline=(200, 200, 200))
        if len(xs) > 1:
            draw.line(list(zip(xs, ys, strict=True)), fill=INK, width=2)
        draw.text(
            (left, top - 8), "cost (log scale) per iteration", fill=INK, font=self.font, anchor="ld"
        )
        draw.text((left, bottom + 6), f"10^{lo:.0f}", fill=INK, font=self.font, anchor="la")
        draw.text((right, top - 8), f"10^{hi:.0f}", fill=INK, font=self.font, anchor="rd")

    def __len__(self):
        return len(self.run.weights)

    def frame(self, i):
        """The picture at iterate i: the current iterate and the current iteration marked."""
        image = self.base.copy()
        draw = ImageDraw.Draw(image)
        left, top, right, bottom = self._chart
        if right - left >= 40:
            x = self._chart_x(i)
            draw.line([(x, top), (x, bottom)], fill=CURRENT_LINE, width=2)
            w, cost = self.run.weights[i], self.run.costs[i]
            text = f"iteration {i} of {len(self) - 1}   cost {cost:.4g}"
            draw.text((left, bottom + 40), text, fill=INK, font=self.font, anchor="la")
            draw.text(
                (left, bottom + 70),
                f"w = ({w[0]:.4f}, {w[1]:.4f})",
                fill=INK,
                font=self.font,
                anchor="la",
            )
        self._mark(draw, i, CURRENT, self.side / 55)
        return image

    def pixel_of(self, i):
        """Where iterate i is drawn: (x, y) in the frame's pixels (for tests)."""
        return float(self.x[i]), float(self.y[i])


def frame_indices(count, frames):
    """frames iterates spread evenly from the first to the last (all of them if fewer)."""
    if frames is None or frames >= count:
        return list(range(count))
    return sorted(set(np.linspace(0, count - 1, frames).round().astype(int).tolist()))


def write_gif(frames, indices, path, fps=25, progress=None, note=""):
    """The frames at indices as a looping GIF at fps; progress(done, total) after each frame;
    note (the settings) kept in the file as its comment.

    One palette for every frame, made from the first (the surface, the path and the marks),
    so the colours do not flicker; Pillow stores each frame as its difference from the last.
    """
    first = frames.frame(indices[0])
    marked = first.copy()
    ImageDraw.Draw(marked).rectangle([0, 0, 8, 8], fill=CURRENT)  # the cyan is in the palette
    palette = marked.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
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
        duration=max(round(1000 / fps), 20),
        loop=0,
        comment=note.encode("utf-8"),
    )


def write_mp4(frames, indices, path, fps=25, progress=None, note=""):
    """The frames at indices as an H.264 MP4 (yuv420p: PowerPoint and Keynote play it), note
    (the settings) kept in the file's comment.

    Needs the imageio-ffmpeg package (requirements.txt), which brings its own ffmpeg; if it is
    missing, an ImportError says how to get it.
    """
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ImportError(
            "MP4 needs the imageio-ffmpeg package: .venv/bin/pip install imageio-ffmpeg"
        ) from None
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
