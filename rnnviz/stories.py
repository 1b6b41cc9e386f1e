"""Stories for a lecture: each sets every control at once and says what to look at.

A story is data: the control values that differ from the tutorial's, and a caption whose
numbers are filled from the run on screen (facts), never typed in. tests/test_stories.py runs
each story and checks its caption's claims against the run.
"""

from typing import NamedTuple

import numpy as np

from rnnviz import probe_points, racer_grammar, specs
from rnnviz.data import make_dataset
from rnnviz.model import cost, forward_states


class Story(NamedTuple):
    name: str  # in the URL: ?story=clipping
    title: str
    changes: dict  # controls that differ from the tutorial's settings (specs.defaults())
    caption: str  # a template over facts(): {end_wx:.4f}, {diverged_at}, ...


STORIES = (
    Story(
        "rprop",
        "Rprop walks down the wall",
        {},
        "Rprop moves each weight by its own step, in the gradient's sign only, so the wall's "
        "gradient of {start_gradient:.2g} cannot throw it: {iterations} iterations take it "
        "from a cost of {start_cost:.3g} to ({end_wx:.4f}, {end_wrec:.4f}), next to the "
        "optimum (1, 1). Watch the step sizes grow while the sign holds and halve at each flip.",
    ),
    Story(
        "thrown",
        "Gradient descent is thrown off the wall",
        {"optimizer": "sgd", "learning_rate": 1e-6},
        "Plain gradient descent steps by the learning rate times the gradient. At the start "
        "the gradient is {start_gradient:.2g}, so even a rate of 1e-6 makes a first step "
        "{first_step:.3g} long: it lands on a steeper wall and diverges at iteration "
        "{diverged_at}, beyond float64.",
    ),
    Story(
        # Pascanu, Mikolov and Bengio (2013). The settings are the best of a sweep over
        # learning rates and clipping norms (tests/test_stories.py keeps it so).
        "clipping",
        "Clipping saves it",
        {"optimizer": "sgd", "learning_rate": 2e-3, "clip": 10.0},
        "The same plain gradient descent, with its gradient clipped to a norm of {clip:g} "
        "(Pascanu, Mikolov and Bengio 2013): {clipped} of its {iterations} steps are clipped, "
        "the wall no longer throws it, and it reaches the valley: cost {end_cost:.3g} at "
        "({end_wx:.3f}, {end_wrec:.3f}).",
    ),
    Story(
        # Pascanu, Mikolov and Bengio (2013), Fig. 6; Goodfellow et al., Deep Learning, Fig.
        # 10.17: the same step on the same wall, with and without clipping.
        "twin",
        "The twin: clipped and not",
        {
            "optimizer": "sgd",
            "learning_rate": 2e-3,
            "clip": 10.0,
            "racers": ["sgd learning_rate=0.002"],
        },
        "The same gradient descent twice from the same start on the wall: white with its "
        "gradient clipped to a norm of {clip:g}, magenta squares without. The wall's gradient "
        "of {start_gradient:.2g} throws the unclipped twin off the surface within a few "
        "steps (its readout says where it overflowed); the clipped one takes {clipped} "
        "clipped steps and reaches the valley, cost {end_cost:.3g}.",
    ),
    Story(
        "exploding",
        "Exploding or vanishing",
        {"wx0": 1.0, "wrec0": 2.0, "probes": ["(1, 2)", "(1, 0.5)"]},
        "Backpropagation multiplies dE/dS_k by w_rec at every step back. At the start, "
        "w_rec = {start_wrec:g}: over the {T} steps from output to input the gradient grows "
        "{start_span:.3g} times (exploding); at the dotted probe w_rec = 0.5 it shrinks "
        "{vanish_span:.3g} times (vanishing). Play: as w_rec nears 1 the curve flattens.",
    ),
    Story(
        "long",
        "Longer sequences, steeper walls",
        {"seq_len": 50},
        "With sequences of {T} steps instead of {tutorial_T}, the cost at the same start is "
        "{start_cost:.3g}, {wall_ratio:.2g} times higher: each extra step multiplies the wall "
        "by w_rec = 2 again. Rprop, blind to the gradient's size, still walks down: "
        "({end_wx:.4f}, {end_wrec:.4f}) after {iterations} iterations.",
    ),
    Story(
        "eta",
        "Rprop's eta values matter",
        {"eta_p": 2.0, "eta_n": 0.99},
        "eta_p = 2 doubles a step while the gradient's sign holds and eta_n = 0.99 barely "
        "shrinks it when the sign flips, so the steps keep growing, to {max_step:.3g}, and the "
        "run diverges at iteration {diverged_at}. The tutorial's 1.2 and 0.5 shrink them "
        "fast enough to settle.",
    ),
)
BY_NAME = {story.name: story for story in STORIES}


def values(story):
    """Every control's value in this story (how the page is shown is not the story's)."""
    everything = {
        **specs.defaults(),
        probe_points.PROBES_KEY: list(probe_points.PROBES),
        racer_grammar.RACERS_KEY: [],
        **story.changes,
    }
    return {key: value for key, value in everything.items() if key not in specs.DISPLAY_KEYS}


def holds(story, current):
    """Whether the controls (current: {key: value}) still show this story."""
    return all(current.get(key) == value for key, value in values(story).items())


def facts(run, settings):
    """Every number a caption may quote, from the run on screen and its settings ({key: value}).

    run: Trajectory. settings: the controls' values (the data set is rebuilt from them).
    """
    weights = run.weights
    T = int(settings["seq_len"])
    norms = np.hypot(run.gradients[:, 0], run.gradients[:, 1])  # no overflow in the squares
    moves = np.diff(weights, axis=0)
    steps = np.hypot(moves[:, 0], moves[:, 1])
    clip = float(settings["clip"])
    # the same start on the tutorial's sequence length: how much higher the wall stands here
    tutorial_T = specs.SPECS["seq_len"].default
    X_tutorial, t_tutorial = make_dataset(
        int(settings["n_samples"]), tutorial_T, int(settings["seed"])
    )
    start = (float(settings["wx0"]), float(settings["wrec0"]))
    tutorial_cost = cost(forward_states(X_tutorial, *start)[:, -1], t_tutorial)
    return {
        "iterations": len(weights) - 1,
        "T": T,
        "tutorial_T": tutorial_T,
        "start_cost": float(run.costs[0]),
        "start_gradient": float(norms[0]),
        "start_wrec": float(weights[0, 1]),
        "start_span": float(abs(weights[0, 1]) ** T),
        "vanish_span": float(1.0 / abs(probe_points.PROBES["(1, 0.5)"][1]) ** T),
        "first_step": float(steps[0]) if steps.size else 0.0,
        "max_step": float(steps.max()) if steps.size else 0.0,
        "end_wx": float(weights[-1, 0]),
        "end_wrec": float(weights[-1, 1]),
        "end_cost": float(run.costs[-1]),
        "diverged_at": "never" if run.diverged_at is None else run.diverged_at,
        "clip": clip,
        "clipped": int(np.sum(norms[:-1] > clip)) if clip > 0 else 0,
        "wall_ratio": float(run.costs[0] / tutorial_cost),
    }


def caption(story, run, settings):
    """The story's caption with the numbers of the run on screen ('' for a run with none)."""
    return story.caption.format(**facts(run, settings)) if len(run.weights) else ""
