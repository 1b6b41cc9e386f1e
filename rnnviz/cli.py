"""`python -m rnnviz`: the page's runs from the command line, with the page's settings.

    python -m rnnviz run "?eta_p=1.5&eta_n=0.3" --json run.json
    python -m rnnviz run --story clipping --json -        # JSON to standard output
    python -m rnnviz gif --story twin --size 1280x720 -o twin.gif
    python -m rnnviz mp4 --story clipping -o clipping.mp4   # H.264, for PowerPoint and Keynote
    python -m rnnviz png "?eta_p=1.5&eta_n=0.3" -o run.png  # the last iterate (or --frame N)

Settings are the page's URL parameters (the same keys, the same checks), or a story's. A value
the page would correct is an error here: a script should get what it asked for or nothing.
Errors are one line on standard error, with exit code 2.
"""

import argparse
import sys
from pathlib import Path
from urllib.parse import parse_qs

import rnnviz
from rnnviz import (
    animation,
    export,
    naming,
    probe_points,
    racer_grammar,
    specs,
    stories,
    surface_image,
    url_codec,
)


class UsageError(Exception):
    """A bad argument: one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse prints its usage too; one line is the contract here
        raise UsageError(message)


def build_parser():
    parser = Parser(
        prog="python -m rnnviz",
        description="Why recurrent networks are hard to train: the dashboard's runs, headless.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    run = commands.add_parser(
        "run",
        help="train as the page would and save the run as JSON",
        description="Train the one-unit RNN with the page's settings and write the run as "
        "JSON: every setting, the data set, every iterate, the rnnviz version.",
    )
    _settings_arguments(run)
    run.add_argument(
        "--json",
        metavar="PATH",
        default="-",
        help="where to write the run ('-', the default: standard output)",
    )
    for name, what in (("gif", "a looping GIF"), ("mp4", "an H.264 MP4 (slides play it)")):
        animated = commands.add_parser(
            name,
            help=f"the surface with the run playing on it, as {what}",
            description=f"Draw the run (and its racers) on its cost surface, frame by frame, "
            f"as {what}, as the page's button does: each path and current iterate, the "
            "readout, the cost per iteration, the gradient through time and the settings.",
        )
        _settings_arguments(animated)
        animated.add_argument(
            "-o", "--output", required=True, metavar="PATH", help=f"the {name.upper()} to write"
        )
        animated.add_argument(
            "--size",
            default="1280x720",
            type=_size,
            help="WIDTHxHEIGHT in pixels (default 1280x720; 1920x1080 for 1080p)",
        )
        length = animated.add_mutually_exclusive_group()
        length.add_argument(
            "--frames",
            type=_positive,
            default=None,
            help="at most this many frames, spread over the run (default: one per iteration)",
        )
        length.add_argument(
            "--seconds",
            type=_positive,
            default=None,
            help="the whole run in this many seconds, as the page's 'lasting' (at most --fps "
            "frames a second; a short run shows each iteration once, more slowly)",
        )
        animated.add_argument(
            "--fps", type=_positive, default=25, help="frames a second (default 25)"
        )
        _side_views_flag(animated)
    picture = commands.add_parser(
        "png",
        help="one frame of the animation as a PNG",
        description="Draw the run on its cost surface at one iterate (the last by default) "
        "as a PNG, the settings kept inside the file.",
    )
    _settings_arguments(picture)
    picture.add_argument("-o", "--output", required=True, metavar="PATH", help="the PNG to write")
    picture.add_argument(
        "--size", default="2560x1440", type=_size, help="WIDTHxHEIGHT (default 2560x1440)"
    )
    picture.add_argument(
        "--frame", type=int, default=None, help="the iterate to show (default: the last)"
    )
    _side_views_flag(picture)
    return parser


def _side_views_flag(parser):
    parser.add_argument(
        "--side-views",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the readout, the cost per iteration and the gradient through time beside the "
        "surface, as the page shows them (default: with them; --no-side-views for the "
        "surface alone)",
    )


def _settings_arguments(parser):
    """The arguments every command takes for its settings: the page's query, or a story."""
    parser.add_argument(
        "query",
        nargs="?",
        default="",
        help='the page\'s URL parameters, e.g. "?optimizer=sgd&learning_rate=0.002&clip=10" '
        "(keys as in the page's URL; anything left out takes the page's default; racers as the "
        'page writes them: "?racers=adam%%20learning_rate=0.05")',
    )
    parser.add_argument(
        "--story",
        choices=list(stories.BY_NAME),
        help="start from a story's settings (the query's parameters then apply on top)",
    )


def _size(text):
    width, x, height = text.lower().partition("x")
    if not (x and width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 1280x720")
    size = int(width), int(height)
    if not (160 <= size[0] <= 3840 and 90 <= size[1] <= 2160):
        raise argparse.ArgumentTypeError(f"{text!r}: from 160x90 to 3840x2160")
    return size


def _positive(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return int(text)


def settings_from(query, story=None):
    """Every control's value: the defaults, a story's, then the query's; UsageError if the
    page would have to correct any of the query's values. A link's story= and frame= (the
    page's view: which story, which iteration) are taken as the page takes them: the story's
    settings under the query's, the frame as "frame" (png draws it)."""
    link = parse_qs(query.lstrip("?"), keep_blank_values=True)
    named = link.pop("story", [None])[-1]
    if named is not None:
        if named not in stories.BY_NAME:
            raise UsageError(f"story={named!r} is not a story ({', '.join(stories.BY_NAME)})")
        if story is not None and story != named:
            raise UsageError(f"--story {story} and the link's story={named} disagree")
        story = named
    frame = link.pop("frame", [None])[-1]
    values = stories.values(stories.BY_NAME[story]) if story else specs.defaults()
    known = (racer_grammar.RACERS_KEY, probe_points.PROBES_KEY)
    unknown = [key for key in link if key not in specs.SPECS and key not in known]
    if unknown:
        raise UsageError(f"unknown setting {unknown[0]!r} (the page's URL keys: eta_p, seed, ...)")
    for key, checked in url_codec.check_query(link).items():
        if checked.problem:  # what the page would correct, without what it would use instead
            raise UsageError(checked.problem)
        values[key] = checked.value
    if frame is not None:
        if not frame.isdigit():
            raise UsageError(f"frame={frame!r} is not an iteration (0, 1, 2, ...)")
        values["frame"] = int(frame)
    return values


def _race(values):
    """(X, t, the race: racer_grammar.Entrants, their runs): every run the values ask for."""
    X, t = rnnviz.make_dataset(values["n_samples"], values["seq_len"], values["seed"])
    race = racer_grammar.entrants(values, values.get(racer_grammar.RACERS_KEY, []))
    return X, t, race, [rnnviz.run(X, t, entrant.settings) for entrant in race]


def _racers(race, runs):
    """The racers of a race as a run file keeps them (export.Racer)."""
    return [
        export.Racer(entrant.text, entrant.settings, run)
        for entrant, run in zip(race[1:], runs[1:], strict=True)
    ]


def command_run(arguments):
    values = settings_from(arguments.query, arguments.story)
    X, t, race, runs = _race(values)
    run = runs[0]
    controls = {key: value for key, value in values.items() if key in specs.SPECS}
    text = export.run_json(
        run, race[0].settings, controls, X, t, rnnviz.__version__, _racers(race, runs)
    )
    if arguments.json == "-":
        sys.stdout.write(text + "\n")
    else:
        Path(arguments.json).write_text(text + "\n", encoding="utf-8")
    end = run.weights[-1] if len(run.weights) else (float("nan"), float("nan"))
    diverged = "" if run.diverged_at is None else f", diverged at iteration {run.diverged_at}"
    print(
        f"{run.optimizer}: {len(run.weights) - 1} iteration{'' if len(run.weights) == 2 else 's'}"
        f", end ({end[0]:.6g}, {end[1]:.6g})"
        f"{diverged}",
        file=sys.stderr,
    )


def _frames(arguments, values):
    """The run of values and its racers drawn on their surface at the arguments' size
    (animation.Frames)."""
    X, t, race, runs = _race(values)
    racers = [entrant.text for entrant in race[1:]]
    runners = [
        (run, rnnviz.final_state_gradient(X, t, run.weights[:, 0], run.weights[:, 1]), e.label)
        for e, run in zip(race, runs, strict=True)
    ]
    if not len(runs[0].weights):
        raise UsageError("the cost overflows float64 at the start point: nothing to draw")
    ranges, _ = specs.surface_ranges(values)
    # 400 cells a side: finer than the frame's square at 720p needs
    layer = surface_image.layer_of(X, t, ranges, 400, values["contours"])
    wrec = surface_image.pixel_centres(ranges[2], ranges[3], 400)
    valley = (rnnviz.valley_floor(X, t, wrec), wrec) if values["valley"] else None
    caption = naming.settings_caption(values, racers)
    return animation.Frames(
        layer,
        animation.runners(runners),
        arguments.size,
        caption,
        side_views=arguments.side_views,
        T=X.shape[1],
        valley=valley,
    )


def command_png(arguments):
    from PIL.PngImagePlugin import PngInfo

    _check_output(arguments)
    values = settings_from(arguments.query, arguments.story)
    frames = _frames(arguments, values)
    last = len(frames) - 1
    i = arguments.frame if arguments.frame is not None else values.get("frame", last)
    if not 0 <= i <= last:
        raise UsageError(f"--frame {i} is not an iterate of this run (0 to {last})")
    info = PngInfo()
    info.add_text("rnnviz", _note(values, i))
    frames.frame(i).save(arguments.output, format="PNG", pnginfo=info)
    print(f"{arguments.output}: iterate {i} of {last}", file=sys.stderr)


SUFFIXES = {"gif": (".gif",), "mp4": (".mp4", ".m4v", ".mov"), "png": (".png",)}


def _check_output(arguments):
    """The output's name fits what is written: ffmpeg picks its container by the name (a .gif
    name for an MP4 broke its pipe), and a GIF named .mp4 would not play."""
    path = str(arguments.output)
    allowed = SUFFIXES[arguments.command]
    if not path.lower().endswith(allowed):
        kind = {"gif": "a GIF", "mp4": "an MP4", "png": "a PNG"}[arguments.command]
        raise UsageError(f"-o {path}: {kind} needs a {allowed[0]} name")


def command_animation(arguments):
    _check_output(arguments)
    values = settings_from(arguments.query, arguments.story)
    frames = _frames(arguments, values)
    fps = arguments.fps
    if arguments.seconds is None:
        indices = animation.frame_indices(len(frames), arguments.frames)
    else:
        indices, fps = animation.pace(len(frames), arguments.seconds, fps)
    write = animation.write_gif if arguments.command == "gif" else animation.write_mp4
    try:
        size = write(frames, indices, arguments.output, fps, progress=_bar(), note=_note(values))
    except ImportError as error:  # a missing imageio-ffmpeg: say how to get it
        raise UsageError(str(error)) from None
    why = "" if size == arguments.size else " (H.264 needs even sides)"
    print(f"{arguments.output}: {len(indices)} frames at {size[0]}x{size[1]}{why}", file=sys.stderr)


def _note(values, frame=None):
    """What a file keeps inside, as every export writes it: 'rnnviz <version> <the page's URL
    query> [frame=N]' (every control off its default, and the racers)."""
    query = url_codec.settings_query(values, values.get(racer_grammar.RACERS_KEY, []))
    return f"rnnviz {rnnviz.__version__} {query}" + ("" if frame is None else f" frame={frame}")


def _bar(width=30):
    """A progress bar on standard error, for anything that takes more than a moment."""

    def show(done, total):
        filled = width * done // total
        end = "\n" if done == total else ""
        print(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            end=end,
            file=sys.stderr,
            flush=True,
        )

    return show


def main(argv=None):
    try:
        arguments = build_parser().parse_args(argv)
        commands = {
            "run": command_run,
            "gif": command_animation,
            "mp4": command_animation,
            "png": command_png,
        }
        commands[arguments.command](arguments)
    except UsageError as error:
        print(f"rnnviz: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"rnnviz: {error.strerror or error}: {error.filename}", file=sys.stderr)
        return 1
    return 0
