"""Racers: other optimisers run beside the main run from its start, written as the page writes
them ("sgd learning_rate=0.002 clip=10"), read back, checked and named."""

from typing import NamedTuple

from rnnviz.specs import CLIP_OFF, HYPERPARAMETERS, SPECS, check_value, quote, run_settings, shown
from rnnviz.train import RunSettings

RACERS_KEY = "racers"  # a multiselect: repeated in the URL, ?racers=sgd learning_rate=0.002
MAX_RACERS = 3  # beside the main run: four paths on one surface at most


def racer_text(optimizer, hyperparameters, clip=CLIP_OFF):
    """A racer as the page writes it: 'sgd learning_rate=0.002 clip=10' (every argument)."""
    words = [optimizer]
    words += [f"{arg}={shown(hyperparameters[arg])}" for arg in HYPERPARAMETERS[optimizer]]
    if optimizer != "rprop" and clip != CLIP_OFF:
        words.append(f"clip={shown(clip)}")
    return " ".join(words)


def racer_label(text):
    """A short name for a racer in legends and readouts: 'sgd 0.002 clip 10', 'rprop 1.2/0.5'."""
    _, optimizer, hyper, clip = parse_racer(text)
    if optimizer == "rprop":
        words = [optimizer, f"{shown(hyper['eta_p'])}/{shown(hyper['eta_n'])}"]
        if hyper["variant"] != "tutorial":
            words.append(hyper["variant"])
    else:
        words = [optimizer, shown(hyper["learning_rate"])]
        if clip != CLIP_OFF:
            words.append(f"clip {shown(clip)}")
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
        checked = check_value(key, SPECS[key], value)
        if checked.problem:  # a bad racer is left out, not mended
            raise ValueError(f"in racer {quote(text)}: {checked.problem}")
        checked = checked.value
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


def check_racers(texts):
    """The racers a link or the box names: each written the page's way; one that cannot be
    read, one already racing, and any beyond MAX_RACERS left out: (the racers kept, a clause
    for each problem)."""
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
    return known, problems


def main_run_label(settings):
    """The main run's name beside its racers, as a racer of the same settings is named."""
    clip = settings.clip_norm or CLIP_OFF
    return racer_label(racer_text(settings.optimizer, dict(settings.hyperparameters), clip))


class Entrant(NamedTuple):
    """One run of a race: its settings, its name in legends and readouts, and its text as the
    page writes a racer (None for the main run)."""

    settings: RunSettings
    label: str
    text: str | None = None


def entrants(values, racers=()):
    """The race the controls' values and racers' texts describe: the main run first, then each
    racer from the same start and for as long; one tuple of Entrants that the page, the CLI,
    the exports and the animations all read (labels made once, here)."""
    main = run_settings(values)
    return (
        Entrant(main, main_run_label(main)),
        *(Entrant(racer_settings(text, values), racer_label(text), text) for text in racers),
    )
