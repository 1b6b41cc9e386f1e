"""What a run is called: file names, caption lines and the advice after a divergence."""

from rnnviz.racer_grammar import racer_label, racer_text
from rnnviz.specs import CLIP_OFF, HYPERPARAMETERS, run_settings, shown


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


def settings_caption(values, racers=()):
    """The settings as a line of plain words, for a picture's caption strip: the run as the
    page writes a racer, its start, length and data, then the racers."""
    run = run_settings(values)
    clip = run.clip_norm or CLIP_OFF
    words = [
        racer_text(run.optimizer, dict(run.hyperparameters), clip),
        f"start ({shown(float(values['wx0']))}, {shown(float(values['wrec0']))})",
        f"{values['iterations']} iterations",
        f"T = {values['seq_len']}, {values['n_samples']} sequences, seed {values['seed']}",
    ]
    if racers:
        words.append("racing " + ", ".join(map(racer_label, racers)))
    return " · ".join(words)


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
