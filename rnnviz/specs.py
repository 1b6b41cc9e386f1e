"""Every dashboard control as data: its URL key, kind, default and allowed values.

The page draws its widgets from SPECS (like the playground's State.PROPS); one value of a
control is checked here (check_value: the nearest valid value, or the default, and plain
words for what changed), for links, typed numbers, files and racers alike.
"""

import math
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from rnnviz.batch import OUTCOMES
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
CLIP_OFF = 0.0
MAP_COLOURS = OUTCOMES  # what the outcome maps can be coloured by

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
    # help text promises is checked by tests/test_specs.py, running the defaults.
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


QUOTE_CHARS = 40  # a notice quotes at most this much of a link's text


def quote(text):
    """A link's text as a notice may show it: printable, at most QUOTE_CHARS characters.

    The notice is plain text; whoever renders it must still escape it for its medium.
    """
    shown = "".join(ch if ch.isprintable() else "\ufffd" for ch in str(text))
    if len(shown) > QUOTE_CHARS:
        shown = shown[: QUOTE_CHARS - 1] + "\u2026"
    return f"\u201c{shown}\u201d"


def shown(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


class Checked(NamedTuple):
    """One value checked: the value the control uses, what was wrong with the text ('' if
    nothing: the text was that value), and what was used instead."""

    value: object
    problem: str = ""
    remedy: str = ""

    @property
    def notice(self):
        """The problem and the remedy as one sentence, '' for a text that was fine."""
        return f"{self.problem}; {self.remedy}." if self.problem else ""


def check_value(key, spec, text, subject=None):
    """Checked for one control's text; the value is always one the control allows. subject:
    how the problem names the text (a link's "key=“text”" by default)."""
    subject = subject or f"{key}={quote(text)}"
    default = Checked(spec.default, remedy=f"using the default, {shown(spec.default)}")
    if spec.kind == "bool":
        if text.strip().lower() in ("true", "false", "1", "0"):  # ?present=1 reads naturally
            return Checked(text.strip().lower() in ("true", "1"))
        return default._replace(problem=f"{subject} is neither true nor false")
    if spec.kind == "choice":
        if text in spec.options:
            return Checked(text)
        allowed = ", ".join(spec.options)
        return default._replace(problem=f"{subject} is not one of {allowed}")
    try:  # Decimal, not float: a 400-digit integer or 1e309 is a large number, not infinity
        number = Decimal(text.strip())
    except InvalidOperation:
        return default._replace(problem=f"{subject} is not a number")
    if not number.is_finite():
        return default._replace(problem=f"{subject} is not a finite number")
    number = float(number)  # what the widget would read: the nearest double, or +-inf if huge
    if number < spec.meaningless_below:
        return default._replace(problem=f"{subject} makes no sense here")
    inside = spec.lo <= number <= spec.hi
    value = min(max(number, spec.lo), spec.hi)
    if spec.kind == "log":
        value = nearest_option(spec.options, value)
    else:  # the nearest step; rounded again so 1.23 reads 1.23, not 1.2300000000000002
        value = min(max(round(round(value / spec.step) * spec.step, 10), spec.lo), spec.hi)
        value = int(value) if spec.kind == "int" else value
    if value == number:
        return Checked(value)
    if not inside:
        why = f"outside [{spec.lo:g}, {spec.hi:g}]"
    elif spec.kind == "log":
        why = "not one of the allowed steps"
    elif spec.kind == "int" and spec.step == 1:
        why = "not a whole number"
    else:
        why = f"between the control's steps of {spec.step:g}"
    return Checked(value, f"{subject} is {why}", f"using the nearest valid value, {shown(value)}")


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
