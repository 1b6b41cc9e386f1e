"""Every dashboard control as data: its URL key, kind, default and allowed values.

The page (app.py) draws widgets from these specs; this module also checks a URL's query
parameters, so a shared link that asks for something impossible is corrected to the nearest
valid value, and a malformed one falls back to the default, each with a sentence saying so.
"""

import math
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple
from urllib.parse import quote as url_quote
from urllib.parse import urlencode

from rnnviz import map_panels
from rnnviz.optim import OPTIMIZERS, RPROP_VARIANTS
from rnnviz.train import RunSettings


class Spec(NamedTuple):
    """One control: a float or int range (optionally log-spaced options) or a set of choices."""

    kind: str  # "float", "int", "choice", "log" (a value from `options`, nearest wins)
    default: object
    lo: float = -math.inf
    hi: float = math.inf
    options: tuple = ()
    label: str = ""
    meaningless_below: float = -math.inf  # a value below this is malformed (a negative length)
    step: float = 1  # valid values are whole multiples of this ("float" and "int" kinds)
    help: str = ""  # what the control does, shown beside it


def learning_rate_spec(default, help):  # noqa: A002 (the Spec field's name)
    """A learning rate: 1, 2, 5 per decade from 1e-10 to 1."""
    return Spec(
        "log", default, 1e-10, 1.0, options=log_options(-10, 0), label="learning rate", help=help
    )


def log_options(lo_exp, hi_exp):
    """1, 2, 5 steps per decade from 10^lo_exp to 10^hi_exp."""
    values = [m * 10.0**e for e in range(lo_exp, hi_exp + 1) for m in (1, 2, 5)]
    return tuple(float(f"{v:.0e}") for v in values if v <= 10.0**hi_exp)


VIEWS = ("overview", "zoom", "custom")
VIEW_RANGES = {"overview": (-3.0, 3.0, -3.0, 3.0), "zoom": (-0.1, 2.1, -0.1, 2.1)}
OPTIMIZER_NAMES = tuple(OPTIMIZERS)
PROBES = {
    "(2, 1)": (2.0, 1.0),
    "(1, 2)": (1.0, 2.0),
    "(1, -2)": (1.0, -2.0),
    "(1, 0)": (1.0, 0.0),
    "(1, 0.5)": (1.0, 0.5),
    "(1, -0.5)": (1.0, -0.5),
}
CLIP_OFF = 0.0
MAP_COLOURS = map_panels.COLOURS

SPECS = {
    "optimizer": Spec("choice", "rprop", options=OPTIMIZER_NAMES, label="optimiser"),
    "eta_p": Spec(
        "float",
        1.2,
        1.01,
        2.0,
        label="eta_p (grow the step)",
        step=0.01,
        help="Rprop grows a step by eta_p while the gradient keeps its sign.",
    ),
    "eta_n": Spec(
        "float",
        0.5,
        0.01,
        0.99,
        label="eta_n (shrink the step)",
        step=0.01,
        help="Rprop shrinks a step by eta_n when the gradient flips sign.",
    ),
    "delta0": Spec(
        "log",
        1e-3,
        1e-5,
        1.0,
        options=log_options(-5, 0),
        label="delta0",
        help="Rprop's initial step size Δ₀. Under the tutorial's rule the first update already "
        "multiplies it by eta_p or eta_n, so the first step is Δ₀·eta_p or Δ₀·eta_n.",
    ),
    "variant": Spec(
        "choice",
        "tutorial",
        options=RPROP_VARIANTS,
        help="tutorial: the notebook's rule; the others are textbook Rprop.",
    ),
    # Each optimiser's own settings. The defaults are what a careful user would pick for this
    # surface from the tutorial's start (-1.5, 2), where the gradient is about 10⁶; what each
    # help text promises is checked by tests/test_params.py, running the defaults.
    "learning_rate": learning_rate_spec(
        1e-7,
        "Plain gradient descent steps by the rate times the gradient, which is about 10⁶ "
        "on the wall. At 1e-7 it survives but crawls: 500 iterations leave it on the wall. "
        "From 1e-6 up it is thrown off within a few steps, unless the gradient is clipped.",
    ),
    "momentum_lr": learning_rate_spec(
        1e-8,
        "Momentum gathers the gradient into a velocity, so it needs a rate ten times "
        "smaller than plain descent: at 1e-8 it survives and slides off the wall towards "
        "w_rec < 1, but does not reach the valley floor in 500 iterations. Clip the gradient "
        "to take larger steps safely.",
    ),
    "momentum_beta": Spec(
        "float",
        0.9,
        0.0,
        0.99,
        label="momentum beta",
        step=0.01,
        help="How much velocity each step keeps (0: plain gradient descent).",
    ),
    "rmsprop_lr": learning_rate_spec(
        1e-2,
        "RMSprop divides the gradient by its running size, so a step is about the rate "
        "whatever the wall: at 0.01 it walks down the wall into the valley (cost below 0.1).",
    ),
    "rmsprop_decay": Spec(
        "float",
        0.9,
        0.5,
        0.99,
        label="decay",
        step=0.01,
        help="How slowly the running size of the gradient forgets (0.99: slower to react).",
    ),
    "adam_lr": learning_rate_spec(
        2e-2,
        "Adam's step is about the rate whatever the gradient's size: with these betas it "
        "reaches the optimum (1, 1) to within 0.01 in 500 iterations.",
    ),
    "adam_b1": Spec(
        "float",
        0.5,
        0.0,
        0.99,
        label="beta 1 (momentum)",
        step=0.01,
        help="How much of the past gradient each step keeps. The usual 0.9 carries it far "
        "past the valley on this surface; 0.5 turns into it.",
    ),
    "adam_b2": Spec(
        "float",
        0.9,
        0.5,
        0.999,
        label="beta 2 (size)",
        step=0.001,
        help="How slowly the gradient's running size forgets. The usual 0.999 remembers the "
        "wall's 10⁶ for hundreds of steps and crawls; 0.9 forgets it in tens.",
    ),
    "clip": Spec(
        "log",
        CLIP_OFF,
        0.0,
        100.0,
        options=(CLIP_OFF, *log_options(-2, 2)),
        help="Clip the gradient norm to this (0 = off), as Pascanu et al. (2013) propose "
        "against exploding gradients. Rprop ignores the gradient's size, so not for Rprop.",
    ),
    "iterations": Spec("int", 500, 10, 2000, meaningless_below=0, step=10),
    "wx0": Spec("float", -1.5, -3.0, 3.0, label="w_x start", step=0.01),
    "wrec0": Spec("float", 2.0, -3.0, 3.0, label="w_rec start", step=0.01),
    "n_samples": Spec("int", 20, 1, 200, label="sequences", meaningless_below=1),
    "seq_len": Spec("int", 10, 1, 200, label="sequence length", meaningless_below=1),
    "seed": Spec("int", 1, 0, 100_000, meaningless_below=0),
    "view": Spec("choice", "overview", options=VIEWS),
    "wx_min": Spec("float", -3.0, -100.0, 100.0, step=0.01),
    "wx_max": Spec("float", 3.0, -100.0, 100.0, step=0.01),
    "wrec_min": Spec("float", -3.0, -100.0, 100.0, step=0.01),
    "wrec_max": Spec("float", 3.0, -100.0, 100.0, step=0.01),
    "resolution": Spec("int", 300, 50, 1000, step=50),
    "contours": Spec("bool", True),
    "valley": Spec("bool", True),
    "present": Spec(
        "bool",
        False,
        label="presenter mode",
        help="For a projector: the figure fills the screen under the story bar, with large "
        "text and thick lines; the path draws itself as it plays. In a link: ?present=1.",
    ),
    "maps": Spec(
        "bool",
        False,
        label="show the outcome maps",
        help="A run from every cell of a grid at once: Rprop for each (eta_p, eta_n), and the "
        "chosen optimiser from each start point. About a second to compute; click a cell to "
        "use it. In a link: ?maps=1.",
    ),
    "map_colour": Spec("choice", "final cost", options=MAP_COLOURS, label="colour the maps by"),
    "tolerance": Spec(
        "log",
        1e-4,
        1e-8,
        1e-1,
        options=log_options(-8, -1),
        label="tolerance",
        help="The cost at which a run counts as arrived, for the maps' iterations.",
    ),
}
PROBES_KEY = "probes"  # a multiselect: repeated in the URL, ?probes=(1, 2)&probes=(2, 1)
# How the page is shown, not what it shows: stories leave them be.
DISPLAY_KEYS = ("present", "maps", "map_colour", "tolerance")

# Each optimiser's hyper-parameters: {its argument: the control (and URL key) that sets it}.
HYPERPARAMETERS = {
    "rprop": {"eta_p": "eta_p", "eta_n": "eta_n", "delta0": "delta0", "variant": "variant"},
    "sgd": {"learning_rate": "learning_rate"},
    "momentum": {"learning_rate": "momentum_lr", "beta": "momentum_beta"},
    "rmsprop": {"learning_rate": "rmsprop_lr", "decay": "rmsprop_decay"},
    "adam": {"learning_rate": "adam_lr", "b1": "adam_b1", "b2": "adam_b2"},
}


def run_settings(values):
    """The RunSettings that the controls' values describe."""
    optimizer = values["optimizer"]
    hyper = {name: values[key] for name, key in HYPERPARAMETERS[optimizer].items()}
    clip = None if optimizer == "rprop" or values["clip"] == CLIP_OFF else float(values["clip"])
    return RunSettings.of(
        optimizer, hyper, clip, (values["wx0"], values["wrec0"]), values["iterations"]
    )


def defaults():
    """Every control at its default value."""
    return {key: spec.default for key, spec in SPECS.items()}


class LinkValue(NamedTuple):
    """What the page makes of one URL parameter.

    value: what the control uses; text: what the URL must hold for it, exactly as the bound
    widget writes it (None: no parameter, the control is at its default); notice: plain
    words for what was changed, '' when the link already held exactly this.
    """

    value: object
    text: str | list | None
    notice: str


QUOTE_CHARS = 40  # a notice quotes at most this much of a link's text


def quote(text):
    """A link's text as a notice may show it: printable, at most QUOTE_CHARS characters.

    The notice is plain text; whoever renders it must still escape it for its medium.
    """
    shown = "".join(ch if ch.isprintable() else "\ufffd" for ch in str(text))
    if len(shown) > QUOTE_CHARS:
        shown = shown[: QUOTE_CHARS - 1] + "\u2026"
    return f"\u201c{shown}\u201d"


def url_text(key, value):
    """The URL text a control bound to key writes for value; None for the default."""
    if key == PROBES_KEY:
        return None if list(value) == list(PROBES) else list(value)
    spec = SPECS[key]
    if value == spec.default:
        return None
    if spec.kind == "bool":
        return "true" if value else "false"
    if spec.kind == "choice":
        return str(value)
    if spec.kind == "log":
        return f"{value:g}"  # the select slider's label, which is what its URL holds
    if float(value) == int(value):
        return str(int(value))  # Streamlit writes 5.0 as 5
    return repr(float(value))


def file_text(key, value):
    """The URL text for a control's value read from a file (anything JSON holds): url_text's
    for a value of the control's own kind, else the value as text, which check_query then
    explains like a link's ("eta_p='abc' is not a number")."""
    kind = SPECS[key].kind
    if kind == "bool":
        fits = isinstance(value, bool)
    elif kind == "choice":
        fits = isinstance(value, str)
    else:  # a number, and a bool is not one here
        fits = isinstance(value, int | float) and not isinstance(value, bool)
    try:
        return url_text(key, value) if fits else str(value)
    except (ValueError, OverflowError):  # nan, inf: int() of them
        return str(value)


def check_query(query):
    """{key: LinkValue} for every control a URL sets; other parameters are left alone.

    query maps a key to a string or a list of strings (for one key the last one wins, as a
    browser does; the probe points are a list). Impossible values are moved to the nearest
    valid one, malformed ones fall back to the default, each with a notice.
    """
    checked = {}
    for key, raw in query.items():
        texts = raw if isinstance(raw, list) else [str(raw)]
        if key == PROBES_KEY:
            checked[key] = _check_probes(texts)
        elif key == RACERS_KEY:
            checked[key] = _check_racers(texts)
        elif key in SPECS and texts:
            value, notice = _check_one(key, SPECS[key], texts[-1])
            if len(texts) > 1 and not notice:
                notice = f"{key} is given {len(texts)} times; using the last, {_shown(value)}."
            checked[key] = LinkValue(value, url_text(key, value), notice)
    return checked


RACERS_KEY = "racers"  # a multiselect: repeated in the URL, ?racers=sgd learning_rate=0.002
MAX_RACERS = 3  # beside the main run: four paths on one surface at most


def racer_text(optimizer, hyperparameters, clip=CLIP_OFF):
    """A racer as the page writes it: 'sgd learning_rate=0.002 clip=10' (every argument)."""
    words = [optimizer]
    words += [f"{arg}={_shown(hyperparameters[arg])}" for arg in HYPERPARAMETERS[optimizer]]
    if optimizer != "rprop" and clip != CLIP_OFF:
        words.append(f"clip={_shown(clip)}")
    return " ".join(words)


def racer_label(text):
    """A short name for a racer in legends and readouts: 'sgd 0.002 clip 10', 'rprop 1.2/0.5'."""
    _, optimizer, hyper, clip = parse_racer(text)
    if optimizer == "rprop":
        words = [optimizer, f"{_shown(hyper['eta_p'])}/{_shown(hyper['eta_n'])}"]
        if hyper["variant"] != "tutorial":
            words.append(hyper["variant"])
    else:
        words = [optimizer, _shown(hyper["learning_rate"])]
        if clip != CLIP_OFF:
            words.append(f"clip {_shown(clip)}")
    return " ".join(words)


def parse_racer(text):
    """(canonical text, optimizer, {argument: value}, clip) for a racer's text, or ValueError.

    "adam learning_rate=0.05" or "sgd clip=10": the optimiser, then any of its arguments and
    clip; what is left out takes the control's default. Values are checked as a link's are.
    """
    words = str(text).split()
    if not words or words[0] not in HYPERPARAMETERS:
        raise ValueError(
            f"{quote(text)} does not start with an optimiser ({', '.join(HYPERPARAMETERS)})"
        )
    optimizer, arguments = words[0], HYPERPARAMETERS[words[0]]
    hyper = {arg: SPECS[key].default for arg, key in arguments.items()}
    clip = CLIP_OFF
    named = set()
    for word in words[1:]:
        name, equals, value = word.partition("=")
        if not equals or (name not in arguments and name != "clip"):
            allowed = ", ".join([*arguments, "clip"])
            raise ValueError(f"{quote(word)} is not one of {optimizer}'s settings ({allowed})")
        if name in named:  # which one was meant is not ours to guess
            raise ValueError(f"in racer {quote(text)}: {name} is given twice")
        named.add(name)
        key = "clip" if name == "clip" else arguments[name]
        checked, notice = _check_one(key, SPECS[key], value)
        if notice:  # a link's notice without its "using ..." (a bad racer is left out)
            raise ValueError(f"in racer {quote(text)}: {notice.split('; ')[0]}")
        if name == "clip":
            clip = checked
        else:
            hyper[name] = checked
    return racer_text(optimizer, hyper, clip), optimizer, hyper, clip


def racer_settings(text, values):
    """The RunSettings of a racer, from the main run's start point and length."""
    _, optimizer, hyper, clip = parse_racer(text)
    clip_norm = None if optimizer == "rprop" or clip == CLIP_OFF else float(clip)
    w0 = (values["wx0"], values["wrec0"])
    return RunSettings.of(optimizer, hyper, clip_norm, w0, values["iterations"])


def racer_presets():
    """Racers to pick from: each optimiser at its defaults, and gradient descent's twin."""
    defaults = {
        name: {arg: SPECS[key].default for arg, key in args.items()}
        for name, args in HYPERPARAMETERS.items()
    }
    return (
        racer_text("sgd", {"learning_rate": 2e-3}),
        racer_text("sgd", {"learning_rate": 2e-3}, 10.0),
        racer_text("rprop", defaults["rprop"]),
        racer_text("rprop", dict(defaults["rprop"], variant="irprop+")),
        racer_text("momentum", defaults["momentum"]),
        racer_text("rmsprop", defaults["rmsprop"]),
        racer_text("adam", defaults["adam"]),
    )


def _check_racers(texts):
    """The racers a link or the box names: each written the page's way; one that cannot be
    read, one already racing, and any beyond MAX_RACERS left out, each said in the notice."""
    known, problems = [], []
    for text in texts:
        try:
            canonical = parse_racer(text)[0]
        except ValueError as error:
            problems.append(f"{error}: left out")
            continue
        if canonical in known:
            problems.append(f"{quote(text)} is already racing: named once")
        else:
            known.append(canonical)
    if len(known) > MAX_RACERS:
        problems.append(f"at most {MAX_RACERS} racers: the first {MAX_RACERS} are kept")
        known = known[:MAX_RACERS]
    notice = f"racers: {'; '.join(problems[:3])}." if problems else ""
    return LinkValue(known, known or None, notice)


MAX_PROBES = 12
PROBE_BOUND = 100.0  # a pinned probe lies within the widest view a link can ask for
_PROBE_PATTERN = re.compile(r"\(\s*([-+]?[0-9.]+)\s*,\s*([-+]?[0-9.]+)\s*\)")


def probe_label(w_x, w_rec):
    """A pinned probe's label, as the page writes it: (0.57, -1.23), to 0.01."""
    return f"({round(float(w_x), 2):g}, {round(float(w_rec), 2):g})"


def probe_point(label):
    """(w_x, w_rec) of a probe: one of the tutorial's, or a pinned '(x, y)'; else ValueError."""
    if label in PROBES:
        return PROBES[label]
    match = _PROBE_PATTERN.fullmatch(str(label).strip())
    try:
        point = tuple(float(v) for v in match.groups()) if match else ()
    except ValueError:
        point = ()
    if len(point) != 2 or not all(math.isfinite(v) and abs(v) <= PROBE_BOUND for v in point):
        raise ValueError(f"{quote(label)} is not a point (w_x, w_rec) within ±{PROBE_BOUND:g}")
    return point


def _check_probes(texts):
    known, unknown = [], []
    for text in texts:
        try:
            point = probe_point(text)
        except ValueError:
            unknown.append(text)
            continue
        label = text if text in PROBES else probe_label(*point)
        if label not in known:
            known.append(label)
    notice = ""
    if unknown:
        shown = ", ".join(quote(text) for text in unknown[:3]) + (", ..." if unknown[3:] else "")
        notice = (
            f"probes: {shown} neither among the probe points {', '.join(PROBES)} nor a point "
            f"(w_x, w_rec) within ±{PROBE_BOUND:g}; left out."
        )
    if len(known) > MAX_PROBES:
        notice = (notice + " " if notice else "probes: ") + f"at most {MAX_PROBES} are kept."
        known = known[:MAX_PROBES]
    return LinkValue(known, url_text(PROBES_KEY, known), notice)


def _shown(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def _check_one(key, spec, text):
    """(value, notice) for one URL parameter; the value is always one the control allows."""
    default = spec.default
    fallback = f"using the default, {_shown(default)}."
    if spec.kind == "bool":
        if text.strip().lower() in ("true", "false", "1", "0"):  # ?present=1 reads naturally
            return text.strip().lower() in ("true", "1"), ""
        return default, f"{key}={quote(text)} is neither true nor false; {fallback}"
    if spec.kind == "choice":
        if text in spec.options:
            return text, ""
        allowed = ", ".join(spec.options)
        return default, f"{key}={quote(text)} is not one of {allowed}; {fallback}"
    try:  # Decimal, not float: a 400-digit integer or 1e309 is a large number, not infinity
        number = Decimal(text.strip())
    except InvalidOperation:
        return default, f"{key}={quote(text)} is not a number; {fallback}"
    if not number.is_finite():
        return default, f"{key}={quote(text)} is not a finite number; {fallback}"
    number = float(number)  # what the widget would read: the nearest double, or +-inf if huge
    if number < spec.meaningless_below:
        return default, f"{key}={quote(text)} makes no sense here; {fallback}"
    inside = spec.lo <= number <= spec.hi
    value = min(max(number, spec.lo), spec.hi)
    if spec.kind == "log":
        value = nearest_option(spec.options, value)
    else:  # the nearest step; rounded again so 1.23 reads 1.23, not 1.2300000000000002
        value = min(max(round(round(value / spec.step) * spec.step, 10), spec.lo), spec.hi)
        value = int(value) if spec.kind == "int" else value
    if value == number:
        return value, ""
    if not inside:
        why = f"outside [{spec.lo:g}, {spec.hi:g}]"
    elif spec.kind == "log":
        why = "not one of the allowed steps"
    elif spec.kind == "int" and spec.step == 1:
        why = "not a whole number"
    else:
        why = f"between the control's steps of {spec.step:g}"
    return value, f"{key}={quote(text)} is {why}; using the nearest valid value, {_shown(value)}."


def nearest_option(options, value):
    """The option nearest to value on a log scale; zero or less picks the smallest option."""
    if value <= 0:
        return min(options)
    return min((o for o in options if o > 0), key=lambda o: abs(math.log(o / value)))


def surface_ranges(values):
    """(wx_min, wx_max, wrec_min, wrec_max) for the chosen view, and a notice if custom is bad."""
    if values["view"] != "custom":
        return VIEW_RANGES[values["view"]], ""
    ranges = (values["wx_min"], values["wx_max"], values["wrec_min"], values["wrec_max"])
    if ranges[0] < ranges[1] and ranges[2] < ranges[3]:
        return ranges, ""
    return VIEW_RANGES["overview"], (
        "The custom ranges need min < max on both axes; showing the overview instead."
    )


def divergence_advice(optimizer):
    """What to try after a run diverged, for the optimiser that ran."""
    if optimizer == "rprop":
        return (
            "Rprop's steps grow by eta_p while the gradient keeps its sign and shrink by eta_n "
            "when it flips; here they grew past the wall: try a smaller eta_p or a larger eta_n."
        )
    return (
        "Plain gradients on these walls reach 10⁶ and more: try a smaller learning rate, "
        "gradient clipping, or Rprop, which uses only the gradient's sign."
    )


def settings_query(values, racers=()):
    """The page's URL query for values (every control off its default) and racers: what a
    file keeps inside to say how it was made, and how to make it again."""
    pairs = [(k, url_text(k, v)) for k, v in values.items() if k in SPECS or k == PROBES_KEY]
    pairs = [(k, text) for k, text in pairs if text is not None]
    pairs = [(k, v) for k, text in pairs for v in (text if isinstance(text, list) else [text])]
    pairs += [(RACERS_KEY, racer) for racer in racers]
    return "?" + urlencode(pairs, quote_via=url_quote, safe=",()=")


def settings_caption(values, racers=()):
    """The settings as a line of plain words, for a picture's caption strip: the run as the
    page writes a racer, its start, length and data, then the racers."""
    run = run_settings(values)
    clip = run.clip_norm or CLIP_OFF
    words = [
        racer_text(run.optimizer, dict(run.hyperparameters), clip),
        f"start ({_shown(float(values['wx0']))}, {_shown(float(values['wrec0']))})",
        f"{values['iterations']} iterations",
        f"T = {values['seq_len']}, {values['n_samples']} sequences, seed {values['seed']}",
    ]
    if racers:
        words.append("racing " + ", ".join(map(racer_label, racers)))
    return " · ".join(words)


def main_run_label(settings):
    """The main run's name beside its racers, as a racer of the same settings is named."""
    clip = settings.clip_norm or CLIP_OFF
    return racer_label(racer_text(settings.optimizer, dict(settings.hyperparameters), clip))


def race_name(name, racers):
    """export_name's name with the racers' short names: rnnviz-...-with-sgd0.002clip10."""
    if not racers:
        return name
    short = ["".join(racer_label(text).replace("/", "_").split()) for text in racers]
    return f"{name}-with-{'-'.join(short)}"


def export_name(settings):
    """A file name that says what ran: optimiser, its key hyper-parameters, start, data."""
    if settings["optimizer"] == "rprop":
        parts = [f"rprop-{settings['variant']}", f"eta_p{settings['eta_p']:g}"]
        parts.append(f"eta_n{settings['eta_n']:g}")
    else:
        hyper = HYPERPARAMETERS[settings["optimizer"]]
        parts = [settings["optimizer"]]
        short = {"learning_rate": "lr"}
        parts += [f"{short.get(name, name)}{settings[key]:g}" for name, key in hyper.items()]
        if settings["clip"] != CLIP_OFF:
            parts.append(f"clip{settings['clip']:g}")
    parts.append(f"start={settings['wx0']:g},{settings['wrec0']:g}")  # "=": the sign reads
    parts.append(f"T{settings['seq_len']}")
    return "rnnviz-" + "-".join(parts)
