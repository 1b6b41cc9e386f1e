"""The figure and what frames it: the page's heading (none in presenter mode), the failure
said once above the plot, the plot itself with its clicks and keys, and the captions."""

import streamlit as st

from dashboard.live_plot import live_plot
from dashboard.story_bar import story_by_number, story_step
from rnnviz import naming, stories
from rnnviz.parts import Runner
from rnnviz.probe_points import MAX_PROBES, PROBES, PROBES_KEY, probe_label
from rnnviz.specs import CLIP_OFF, HYPERPARAMETERS, SPECS, check_value, run_settings


def heading(present):
    """The title and introduction; in presenter mode none, and the story bar's words large."""
    if present:
        # For a projector: no title, introduction or story bar (the figure's stage shows the
        # story), and no Streamlit header: it covered the story's arrows (issue 17) and took
        # 60 px of a 600 px screen; the stage's "controls" button opens the sidebar instead.
        st.html(
            "<style>[data-testid=stHeader] { display: none; }"
            "[data-testid=stMainBlockContainer] { padding: 0.5rem 1rem 1rem; }</style>"
        )
        return
    st.title("Why recurrent networks are hard to train")
    st.markdown(
        # Plain code font, not LaTeX: KaTeX is one more script to load before the page shows.
        "A one-unit linear RNN, `S_k = x_k w_x + S_(k-1) w_rec`, learns to count the ones in "
        "binary sequences. Backpropagation multiplies the gradient by `w_rec` at every step "
        "back in time, so the cost surface has walls many decades high. **Press play** (or "
        "Space) to watch the optimiser walk it; click the surface to start from there, or drag "
        "the start and watch the run follow."
    )


def pin_probe(panel, x, y):
    """A Shift-click on the surface pins its point as a probe (kept in the URL)."""
    if panel != "surface":
        return
    label = probe_label(x, y)
    chosen = list(st.session_state.get(PROBES_KEY, list(PROBES)))
    if label not in chosen and len(chosen) < MAX_PROBES:
        st.session_state[PROBES_KEY] = [*chosen, label]


def set_from_point(keys, point):
    """Two sliders (keys) set to a clicked point, clamped to their ranges, to 0.01 steps."""
    for key, value in zip(keys, point, strict=True):
        spec = SPECS[key]
        st.session_state[key] = round(min(max(float(value), spec.lo), spec.hi), 2)


def start_here(panel, x, y):
    """A click on the surface moves the start point there."""
    if panel == "surface":
        set_from_point(("wx0", "wrec0"), (x, y))


def figure(parts, controls, shown, start_frame):
    """The plot with its stage (the story, the knobs), its clicks and keys, and its captions."""
    live_plot(
        "dashboard",
        parts,
        on_click=start_here,
        on_pin=pin_probe,
        on_key=story_by_number,
        on_set=set_from_stage,
        on_story=story_step,
        export_name=naming.export_name(controls.values),
        start_frame=start_frame,
        present=controls.present,
        stage=stage_data(controls, shown),
    )
    captions = st.columns(3)
    captions[0].caption(
        "**Surface.** Colour is log₁₀ of the mean squared error (see the colour bar); pale "
        "lines are iso-cost lines every half decade (wider apart on deep surfaces); grey means "
        "the cost overflows float64. The dotted white curve is the valley floor, the best w_x "
        "for each w_rec. The path's dots are coloured by the length of each step; periwinkle "
        "crosses mark gradient sign flips; the white ring is the optimum (1, 1), the star the "
        "end point."
    )
    captions[1].caption(
        "**Gradient through time.** |dE/dS_k| for the current iterate, output (k = T) on the "
        "left. Each step back multiplies it by w_rec: above 1 it explodes, below 1 it vanishes, "
        "negative w_rec flips its sign (▲ blue positive, ▼ red negative). The dashed line is "
        "|w_rec|^(T-k), the shape alone. Dotted lines: the tutorial's probe points. These are "
        "the true values; the tutorial's own figure plots them 400 times too large."
    )
    captions[2].caption(
        "**The run.** Cost and the step each weight takes, per iteration, on a log scale "
        "(Rprop's step sizes δ; for the others |Δw|); the red line is the current iteration, "
        "whose numbers are printed above the chart."
    )


def knob_keys(controls, story):
    """The controls the stage offers as sliders: Rprop's eta_p and eta_n, or the chosen
    optimiser's learning rate and the clip norm; then whatever the story on screen varies."""
    optimizer = controls.values["optimizer"]
    hyper = HYPERPARAMETERS[optimizer]
    keys = (
        [hyper["eta_p"], hyper["eta_n"]]
        if optimizer == "rprop"
        else [hyper["learning_rate"], "clip"]
    )
    keys += story.changes if story is not None else ()
    on_a_slider = [k for k in keys if k in SPECS and SPECS[k].kind in ("float", "int", "log")]
    return list(dict.fromkeys(on_a_slider))  # each once, in order


def knob(key, value, optimizer):
    """One stage slider, as the browser draws it: a range over the control's steps, or over its
    log-spaced options by index; and what it sets in the run's settings (previewed in the
    browser while it moves), if anything: data and view controls need the server."""
    spec = SPECS[key]
    # the control's own name, short: "eta_p", "learning rate", "w_x start" (not its gloss)
    label = (spec.label or key).split(" (")[0]
    out = {"key": key, "label": label, "value": value, "help": spec.help}
    out["sets"] = sets(key, optimizer)
    if spec.kind == "log":
        return out | {"options": list(spec.options)}
    return out | {"min": spec.lo, "max": spec.hi, "step": spec.step}


def sets(key, optimizer):
    """What a control sets in RunSettings (as specs.run_settings reads it): {"hyper": name},
    {"clip_norm": True, "off": CLIP_OFF}, {"w0": 0 or 1}, {"iterations": True}, or None."""
    hyper = {control: name for name, control in HYPERPARAMETERS[optimizer].items()}
    if key in hyper:
        return {"hyper": hyper[key]}
    if key == "clip" and optimizer != "rprop":
        return {"clip_norm": True, "off": CLIP_OFF}
    if key in ("wx0", "wrec0"):
        return {"w0": ("wx0", "wrec0").index(key)}
    if key == "iterations":
        return {"iterations": True}
    return None


def run_settings_json(values):
    """The main run's RunSettings as plain JSON, for static/stepper.js."""
    return run_settings(values).as_json()


def stage_data(controls, shown):
    """What the figure shows of the lecture itself in presenter mode and fullscreen: the story
    (title, caption, its number) and the run's main knobs, bound to the same controls."""
    story, caption = shown  # story_bar.shown_story's
    keys = knob_keys(controls, story)
    return {
        "story": {
            "title": story.title if story else "",
            "caption": caption or "",
            "changed": story is not None and caption is None,
            "number": STORY_NUMBERS.get(story.name, 0) if story else 0,
            "count": len(stories.STORIES),
        },
        "knobs": [knob(key, controls.values[key], controls.values["optimizer"]) for key in keys],
        "settings": run_settings_json(controls.values),
        # the racers, trained beside the run while a knob moves (static/preview.js): each one's
        # settings, and its colour and dash and series' prefix as the page draws it
        "racers": [racer_data(number, e) for number, e in enumerate(controls.race[1:], 2)],
        # the start's controls' ranges: a start dragged on the surface is kept inside them, to
        # two decimals, as set_from_point keeps a clicked one (static/start_drag.js)
        "start": {"ranges": [[SPECS[key].lo, SPECS[key].hi] for key in ("wx0", "wrec0")]},
    }


def racer_data(number, entrant):
    """A racer as the browser's preview draws and checks it (racer_grammar.Entrant)."""
    runner = Runner(number, entrant.label)
    return {
        "settings": entrant.settings.as_json(),
        "colour": runner.colour,
        "dash": runner.dash,
        "prefix": runner.name(""),
    }


STORY_NUMBERS = {story.name: number for number, story in enumerate(stories.STORIES, 1)}


def set_from_stage(key, value):
    """A stage slider released: the control takes the value, checked as a typed one is (the
    sidebar's widget and the URL follow it)."""
    if key not in SPECS or SPECS[key].kind not in ("float", "int", "log"):
        return
    checked = check_value(key, SPECS[key], repr(value))
    st.session_state[key] = checked.value
