"""rnnviz: see why recurrent networks are hard to train.

The page, top to bottom: controls (each one also a URL parameter), cached computation on
plain scalar keys, then the layout. The maths lives in rnnviz/; what the plot draws in
rnnviz/live.py, drawn in the browser by the persistent plot (live_plot.py, static/live_plot.js).
"""

import gc
import math
import time

import numpy as np
import streamlit as st

import links
import renders
import rnnviz
from live_plot import assets as live_plot_assets
from live_plot import live_plot, map_plot, map_script
from live_plot import preload as live_plot_preload
from rnnviz import (
    animation,
    batch,
    export,
    live,
    map_panels,
    naming,
    probe_points,
    race,
    racer_grammar,
    specs,
    stories,
    surface_image,
    url_codec,
)
from rnnviz.specs import SPECS

RERUN_START = time.perf_counter()
# Presenter mode folds the sidebar away, which only the page's first configuration can do.
PRESENTING = st.query_params.get("present", "").lower() in ("1", "true")
st.set_page_config(
    page_title="rnnviz · why RNNs are hard to train",
    page_icon="🌀",
    layout="wide",
    initial_sidebar_state="collapsed" if PRESENTING else "auto",
)


@st.cache_resource
def freeze_startup_objects():
    """Once per process: what is alive after the first run (Streamlit, numpy, plotly) stays so.

    A full garbage collection walks every object in the process, 55-170 ms here, and landed
    inside reruns (measured from the websocket, issue 7); frozen objects are not walked again.
    """
    gc.freeze()


freeze_startup_objects()

# --------------------------------------------------------------------------- controls


def reset_to_tutorial():
    """Every control back to the tutorial's settings (the URL follows the widgets)."""
    show_story(None)
    st.session_state[STORY_KEY] = NO_STORY


def show_story(name):
    """Every control set as the story says (None: the tutorial's settings), the URL cleared."""
    story = stories.BY_NAME.get(name)
    for key, value in (stories.values(story) if story else stories.values(NO_CHANGES)).items():
        st.session_state[key] = value
    st.session_state["sequence"] = DEFAULT_SEQUENCE
    st.session_state.url_notices = {}
    st.session_state.typed_notices = {}
    st.session_state.story_shown = name
    links.clear_page_url(keep=specs.DISPLAY_KEYS)
    links.set_param(STORY_KEY, name if story else None)


def story_chosen():
    """The story box changed."""
    show_story(st.session_state[STORY_KEY] or None)


def story_by_number(number):
    """Keys 1 to 9 over the page: the story of that number."""
    if 1 <= number <= len(stories.STORIES):
        st.session_state[STORY_KEY] = stories.STORIES[number - 1].name
        story_chosen()


def story_step(step):
    """The previous (-1) or next (+1) story, round the list."""
    names = [story.name for story in stories.STORIES]
    now = st.session_state.get(STORY_KEY) or None
    at = names.index(now) if now in names else (-1 if step > 0 else 0)
    story_by_number((at + step) % len(names) + 1)


STORY_KEY, NO_STORY = "story", ""
NO_CHANGES = stories.Story("", "", {}, "")


DEFAULT_SEQUENCE = "011000010011"

# Every run checks the URL before any widget reads it: impossible values move to the nearest
# valid one and malformed ones fall back to the default, each with a notice that stays until
# that control is changed (or Reset).
st.session_state.setdefault("url_notices", {})
st.session_state.setdefault("typed_notices", {})
st.session_state.url_notices.update(links.check_page_url())
# A link's ?story= sets every control the link itself does not; its ?frame= opens the plot
# on that iteration.
story_in_link, story_notice = links.page_choice(STORY_KEY, (NO_STORY, *stories.BY_NAME))
if story_in_link and st.session_state.get("story_shown") != story_in_link:
    for key, value in stories.values(stories.BY_NAME[story_in_link]).items():
        if key not in st.query_params:
            st.session_state[key] = value
    st.session_state.story_shown = story_in_link
    st.session_state[STORY_KEY] = story_in_link
start_frame, frame_notice = links.page_frame()
# (notice, the value it leaves): no story; no frame (not a control, so never in session state)
for key, notice, left in ((STORY_KEY, story_notice, NO_STORY), ("frame", frame_notice, None)):
    if notice:
        st.session_state.url_notices[key] = (notice, left)


def spec_slider(key, **kwargs):
    """A slider drawn from its spec, bound to the URL parameter of the same name."""
    spec = SPECS[key]
    return st.slider(
        spec.label or key,
        spec.lo,
        spec.hi,
        spec.default,
        spec.step,
        key=key,
        bind="query-params",
        **kwargs,
    )


def spec_options(key, fmt="{:g}", **kwargs):
    """A select slider over a spec's log-spaced options."""
    spec = SPECS[key]
    return st.select_slider(
        spec.label or key,
        options=spec.options,
        value=spec.default,
        key=key,
        format_func=fmt.format,
        bind="query-params",
        **kwargs,
    )


def spec_choice(key, **kwargs):
    spec = SPECS[key]
    return st.selectbox(
        spec.label or key,
        spec.options,
        index=spec.options.index(spec.default),
        key=key,
        bind="query-params",
        **kwargs,
    )


def spec_checkbox(key, **kwargs):
    spec = SPECS[key]
    return st.checkbox(
        spec.label or key, spec.default, key=key, help=spec.help, bind="query-params", **kwargs
    )


def presenter_switched():
    """Presenter mode draws the path as it plays; leaving it shows the whole path again."""
    st.session_state.trail = st.session_state.present


def spec_widget(key, **kwargs):
    """The control a spec describes, with its help: slider, log-spaced slider or choice."""
    spec = SPECS[key]
    kwargs.setdefault("help", spec.help or None)
    draw = {"float": spec_slider, "int": spec_slider, "log": spec_options, "choice": spec_choice}
    return draw[spec.kind](key, **kwargs)


def spec_number(key, **kwargs):
    """A number box that takes any number and moves an impossible one to the nearest valid.

    With min and max set, Streamlit silently ignores an out-of-range number while the box
    goes on showing it; here the box and the run always agree, and a notice says what changed.
    """
    spec = SPECS[key]
    return st.number_input(
        spec.label or key,
        value=spec.default,
        key=key,
        bind="query-params",
        on_change=typed_number,
        args=(key,),
        **kwargs,
    )


def typed_number(key):
    """A typed number, corrected like a link's (same rules, same words)."""
    typed = st.session_state[key]
    checked = url_codec.check_query({key: repr(typed)})[key]
    if checked.value != typed:
        st.session_state[key] = checked.value
        # the box already wrote what was typed into the URL: replace it, so the link check
        # finds nothing to correct (one notice, not two)
        links.set_param(key, checked.text)
        notice = checked.notice.replace(f"{key}=", f"{SPECS[key].label or key} ", 1)
        st.session_state.typed_notices[key] = (notice, checked.value)


def start_render(kind, surface_key, run_keys, racers, name, note, caption):
    """Draw the run and its racers as an animation in the background (show_render polls it),
    at the size, length and with the side views the page's controls ask for."""
    layer, floor = surface(*surface_key)
    labels = [racer_grammar.main_run_label(run_keys[0][1]), *map(racer_grammar.racer_label, racers)]
    runs = [(*trajectory(*key), label) for key, label in zip(run_keys, labels, strict=True)]
    frames = animation.Frames(
        layer,
        animation.runners(runs),
        renders.SIZES[st.session_state.get("render_size") or "720p"],
        caption,
        side_views=st.session_state.get("render_side_views", True),
        T=surface_key[1],
        valley=floor if st.session_state.get("valley", True) else None,
    )
    try:
        st.session_state.render = renders.start(
            kind,
            frames,
            renders.LENGTHS[st.session_state.get("render_length") or "20 s"],
            name,
            previous=st.session_state.get("render"),
            note=note,
        )
    except renders.BusyError as busy:
        st.session_state.render_busy = f"Not now: {busy}."


def running_render():
    render = st.session_state.get("render")
    return render is not None and not render.finished


@st.fragment(run_every=0.5)
def render_progress():
    """The progress of the render in the background; the whole page once it has finished."""
    render = st.session_state.get("render")
    if render is None or render.finished:
        st.rerun()  # the page shows the file (or the error) and stops polling
    label = renders.KINDS[render.kind][0]
    if render.waiting:
        text = f"The {label} waits for another visitor's animation to finish drawing."
    else:
        text = f"Drawing the {label}: frame {render.done} of {render.total}."
    st.progress(render.done / max(render.total, 1), text=text + " The page stays usable.")


def show_render(note):
    """The render's progress, its file, or why it failed; note: the settings on screen now
    (a file made from others is said to be so)."""
    busy = st.session_state.pop("render_busy", None)
    if busy:
        st.warning(busy, icon=":material/hourglass:")
    render = st.session_state.get("render")
    if render is None:
        return
    if not render.finished:
        render_progress()
    elif render.error:
        st.error(f"The animation could not be made: {links.plain(render.error)}")
    else:
        label, mime = renders.KINDS[render.kind]
        if render.note != note:
            st.caption(
                f"This {label} shows the settings before your last change; make it again "
                "for the run on screen."
            )
        st.download_button(
            f"Save the {label}: {render.total} frames",
            lambda: render.path.read_bytes(),
            file_name=render.path.name,
            mime=mime,
            on_click="ignore",
            icon=":material/download:",
        )


def load_run_file():
    """A saved run: its controls set (checked like a link's), the run recomputed and compared."""
    upload = st.session_state.get("run_file")
    st.session_state.loaded_notices = []
    if upload is None:
        return
    try:
        saved = export.read_run_json(upload.getvalue().decode("utf-8", errors="replace"))
    except ValueError as error:
        st.session_state.loaded_notices = [(f"Can't load {upload.name}: {error}.", False)]
        return
    link = {k: url_codec.file_text(k, v) for k, v in saved.controls.items() if k in SPECS}
    link[racer_grammar.RACERS_KEY] = [racer.text for racer in saved.racers]
    checked = url_codec.check_query({k: v for k, v in link.items() if v is not None})
    notices = [(c.notice, False) for c in checked.values() if c.notice]
    show_story(None)  # every control to its default, then the file's
    for key, value in checked.items():
        st.session_state[key] = value.value
        links.set_param(key, value.text)
    values = {key: st.session_state.get(key, spec.default) for key, spec in SPECS.items()}
    X, t = dataset(values["n_samples"], values["seq_len"], values["seed"])
    same_data = saved.X.shape == X.shape and (saved.X == X).all() and (saved.t == t).all()
    racers = st.session_state[racer_grammar.RACERS_KEY]
    reruns = [rnnviz.run(X, t, specs.run_settings(values))]
    reruns += [rnnviz.run(X, t, racer_grammar.racer_settings(text, values)) for text in racers]
    saved_runs = [saved.run, *(racer.run for racer in saved.racers)]
    iterates = sum(len(run.weights) for run in reruns)
    subject = "the run"
    if racers:
        subject += f" and its {len(racers)} racer{'s' if len(racers) > 1 else ''}"
    plural = bool(racers)
    if (
        same_data
        and len(saved_runs) == len(reruns)
        and all(map(export.same_run, saved_runs, reruns))
    ):
        verdict = (
            f"Loaded {upload.name} (rnnviz {saved.version}): recomputed here, {subject} "
            f"{'are' if plural else 'is'} "
            f"the file's to the last bit, all {iterates} iterates.",
            True,
        )
    else:
        if not same_data:
            subject, plural = "the data set", False
        verdict = (
            f"Loaded {upload.name} (rnnviz {saved.version}): its settings are back, but "
            f"{subject} recomputed here {'differ' if plural else 'differs'} from the file's.",
            False,
        )
    if specs.run_settings(values) != saved.settings:  # a hand-edited file, say
        notices.append(
            (
                f"{upload.name}'s own record of the run's settings disagrees with its controls; "
                "the controls were used.",
                False,
            )
        )
    # shown while the controls still hold the file's settings
    st.session_state.loaded_notices = [verdict, *notices]
    st.session_state.loaded_values = values


def add_racer():
    """A racer typed into the box joins the race (written the page's way) and the box empties;
    one that cannot join is explained and stays in the box, to be mended."""
    text = st.session_state.new_racer.strip()
    if not text:
        return
    try:
        racer_grammar.parse_racer(text)
    except ValueError as error:
        st.session_state.typed_notices[racer_grammar.RACERS_KEY] = (
            f"racer {error}: not added.",
            st.session_state.get(racer_grammar.RACERS_KEY, []),
        )
        return
    st.session_state.new_racer = ""
    st.session_state[racer_grammar.RACERS_KEY] = [
        *st.session_state.get(racer_grammar.RACERS_KEY, []),
        text,
    ]
    typed_racers()


def typed_racers():
    """Racers as typed: each written the page's way, or left out with a notice saying why."""
    checked = url_codec.check_query(
        {racer_grammar.RACERS_KEY: st.session_state[racer_grammar.RACERS_KEY]}
    )
    racers = checked[racer_grammar.RACERS_KEY]
    st.session_state[racer_grammar.RACERS_KEY] = racers.value
    links.set_param(racer_grammar.RACERS_KEY, racers.text)
    # a notice from an earlier entry goes; this one's (if any) takes its place
    st.session_state.typed_notices.pop(racer_grammar.RACERS_KEY, None)
    if racers.notice:
        st.session_state.typed_notices[racer_grammar.RACERS_KEY] = (racers.notice, racers.value)


with st.sidebar:
    live_plot_preload()  # plotly.js parses while the widgets below are drawn
    st.button("↺ Reset to the tutorial", on_click=reset_to_tutorial, width="stretch")
    present = spec_checkbox("present", on_change=presenter_switched)
    # Not in the URL: it follows presenter mode (on there) unless changed here.
    st.session_state.setdefault("trail", present)
    trail = st.checkbox(
        "draw the path as it plays",
        key="trail",
        help="Hide the path ahead of the current iterate, so it draws itself as it plays; "
        "the end star appears when the run gets there.",
    )
    st.subheader("Optimiser")
    optimizer = spec_choice(
        "optimizer",
        help="Rprop uses only the sign of the gradient; the "
        "others use its size, which explodes on the walls.",
    )
    is_rprop = optimizer == "rprop"
    # Only the chosen optimiser's own settings are shown, each with its own defaults.
    for key in specs.HYPERPARAMETERS[optimizer].values():
        spec_widget(key)
    spec_widget("clip", disabled=is_rprop)
    spec_slider("iterations")
    st.subheader("Race")
    racers = st.multiselect(
        "racers beside this run",
        # the same options on every run (new ones would make a new widget, emptied): typed
        # racers are the box's own new options
        racer_grammar.racer_presets(),
        default=[],
        key=racer_grammar.RACERS_KEY,
        bind="query-params",
        max_selections=racer_grammar.MAX_RACERS,
        accept_new_options=True,
        on_change=typed_racers,
        placeholder="pick one, or type one below",
        help="Up to three other optimisers from the same start, in step with this run, each "
        "in a colour and shape of its own.",
    )
    st.text_input(
        "add a racer",
        key="new_racer",
        on_change=add_racer,
        placeholder="adam learning_rate=0.05",
        help="The optimiser, then any of its settings and clip, as name=value; what is left "
        "out takes its default. For example: sgd learning_rate=0.002 clip=10.",
    )
    st.button("Twin: gradient descent, clipped and not", on_click=show_story, args=("twin",))
    st.subheader("Start point")
    wx0 = spec_slider("wx0")
    wrec0 = spec_slider("wrec0")
    st.subheader("Data")
    n_samples = spec_number("n_samples")
    seq_len = spec_number("seq_len", help="Longer sequences: steeper walls.")
    seed = spec_number("seed")
    st.subheader("Surface")
    view = st.radio("view", specs.VIEWS, key="view", horizontal=True, bind="query-params")
    custom = view == "custom"
    range_columns = st.columns(2)
    with range_columns[0]:
        wx_min = spec_number("wx_min", step=0.1, disabled=not custom)
        wrec_min = spec_number("wrec_min", step=0.1, disabled=not custom)
    with range_columns[1]:
        wx_max = spec_number("wx_max", step=0.1, disabled=not custom)
        wrec_max = spec_number("wrec_max", step=0.1, disabled=not custom)
    resolution = spec_slider("resolution")
    contours = st.checkbox(
        "iso-cost lines every half decade", True, key="contours", bind="query-params"
    )
    valley = st.checkbox(
        "valley floor (least cost for each w_rec)", True, key="valley", bind="query-params"
    )
    probes = st.multiselect(
        "probe points in the gradient view",
        list(probe_points.PROBES),  # the same options every run; pinned points are new options
        default=list(probe_points.PROBES),
        key="probes",
        bind="query-params",
        accept_new_options=True,
        max_selections=probe_points.MAX_PROBES,
        help="The tutorial's six, and any point pinned by a Shift-click on the surface.",
    )

# --------------------------------------------------------------------------- computation


@st.cache_data(max_entries=32, show_spinner=False)
def dataset(n_samples, seq_len, seed):
    return rnnviz.make_dataset(n_samples, seq_len, seed)


@st.cache_data(max_entries=16, show_spinner=False)
def surface(n_samples, seq_len, seed, ranges, resolution, contours):
    """The surface layer and the valley floor for one data set and view."""
    X, t = dataset(n_samples, seq_len, seed)
    layer = surface_image.layer_of(X, t, ranges, resolution, contours)
    wrec = surface_image.pixel_centres(ranges[2], ranges[3], resolution)
    return layer, (rnnviz.valley_floor(X, t, wrec), wrec)


@st.cache_data(max_entries=64, show_spinner=False)
def trajectory(data_key, settings):
    """One training run (settings: rnnviz.RunSettings) and dE/dS_T at each of its iterates.

    dE/dS_T, not the (k+1, T+1) matrix dE/dS_k it spans: 1/(T+1) of the bytes cached (3.2 MB
    at the largest settings otherwise).
    """
    X, t = dataset(*data_key)
    run = rnnviz.run(X, t, settings)
    return run, rnnviz.final_state_gradient(X, t, run.weights[:, 0], run.weights[:, 1])


@st.cache_data(max_entries=32, show_spinner=False)
def probe_gradients(data_key, labels):
    X, t = dataset(*data_key)
    return {
        label: rnnviz.gradient_through_time(X, t, *probe_points.probe_point(label)).signed
        for label in labels
    }


@st.cache_resource(max_entries=16, show_spinner=False)
def view_part(data_key, surface_key, labels, show_valley, present=False):
    """(id, value): what the plot draws for one data set and view; shared, never mutated."""
    layer, floor = surface(*surface_key)
    _, T, _ = data_key  # (n_samples, seq_len, seed)
    probes = probe_gradients(data_key, labels)
    X, t = dataset(*data_key)
    pointer = rnnviz.final_state_gradient_polynomial(X, t)
    value = live.view_part(layer, probes, floor if show_valley else None, T, present, pointer)
    return live.part_id([surface_key, labels, show_valley, present]), value


@st.cache_resource(max_entries=16, show_spinner=False)
def run_part(data_key, surface_key, run_key, labels, trail=False, present=False):
    """(id, value): one run as the plot's series; shared, never mutated."""
    run, final = trajectory(*run_key)
    through_time = rnnviz.backpropagate(final, run.weights[:, 1], data_key[1]).signed
    layer, _ = surface(*surface_key)
    probes = probe_gradients(data_key, labels).values()  # a cache hit: the view drew them
    value = live.run_part(run, through_time, probes, layer.ranges, trail, present)
    return live.part_id([surface_key, run_key, labels, trail, present]), value


@st.cache_resource(max_entries=16, show_spinner=False)
def race_part(data_key, surface_key, run_keys, names, labels, trail=False, present=False):
    """(id, value): the main run and its racers as one run part; the main run alone as is.

    Each racer's run and part come from their own caches, so a change to one racer recomputes
    only that one."""
    parts = [run_part(data_key, surface_key, key, labels, trail, present) for key in run_keys]
    if len(parts) == 1:
        return parts[0]
    main_label = racer_grammar.main_run_label(run_keys[0][1])
    names = [racer_grammar.racer_label(name) for name in names]
    runs = [(value, label) for (_, value), label in zip(parts, (main_label, *names), strict=True)]
    return live.part_id([part_id for part_id, _ in parts] + list(names)), race.race_part(runs)


# The tutorial's grid (64x64 runs of 500 iterations, T = 10) in Horner steps: about 0.2 s here.
MAP_WORK = 64 * 64 * 500 * (2 * 10 - 1)


def map_side(iterations, T):
    """Cells per side: 64 at the tutorial's settings, fewer (at least 8) for long runs and long
    sequences, whose every run costs more, so a map takes about as long whatever the settings."""
    return int(min(64, max(8, math.sqrt(MAP_WORK / (max(iterations, 1) * (2 * T - 1))))))


@st.cache_data(max_entries=8, show_spinner=False)
def eta_outcome(data_key, w0, variant, delta0, iterations, tolerance, side):
    """Rprop from w0 for every cell of an (eta_p, eta_n) grid: a rnnviz.batch.OutcomeMap."""
    X, t = dataset(*data_key)
    eta_p = surface_image.pixel_centres(1.0, 2.0, side)  # eta_p > 1, eta_n in (0, 1)
    eta_n = surface_image.pixel_centres(0.0, 1.0, side)
    return batch.eta_map(X, t, eta_p, eta_n, w0, iterations, tolerance, variant, delta0)


@st.cache_data(max_entries=8, show_spinner=False)
def basin_outcome(data_key, settings, ranges, tolerance, side):
    """settings (w0 aside) from every start on a grid over the view: an OutcomeMap."""
    X, t = dataset(*data_key)
    w_x = surface_image.pixel_centres(ranges[0], ranges[1], side)
    w_rec = surface_image.pixel_centres(ranges[2], ranges[3], side)
    optimizer = settings.make_optimizer()
    return batch.basin_map(
        X, t, optimizer, w_x, w_rec, settings.iterations, tolerance, settings.clip_norm
    )


@st.cache_resource(max_entries=16, show_spinner=False)
def map_part(name, key, colour):
    """(id, value): one map as a panel; shared, never mutated."""
    outcome = eta_outcome(*key) if name == "eta" else basin_outcome(*key)
    return map_panels.panel_part(map_panels.map_panel(name, outcome, colour))


ranges, range_notice = specs.surface_ranges(
    dict(view=view, wx_min=wx_min, wx_max=wx_max, wrec_min=wrec_min, wrec_max=wrec_max)
)
data_key = (int(n_samples), int(seq_len), int(seed))
surface_key = (*data_key, ranges, int(resolution), bool(contours))
values = {key: st.session_state.get(key, spec.default) for key, spec in SPECS.items()}
run_key = (data_key, specs.run_settings(values))
labels = tuple(probes)
racer_keys = tuple((data_key, racer_grammar.racer_settings(text, values)) for text in racers)
plot_parts = {
    "view": view_part(data_key, surface_key, labels, bool(valley), bool(present)),
    "run": race_part(
        data_key,
        surface_key,
        (run_key, *racer_keys),
        tuple(racers),
        labels,
        bool(trail),
        bool(present),
    ),
}
run, _ = trajectory(*run_key)


def pin_probe(panel, x, y):
    """A Shift-click on the surface pins its point as a probe (kept in the URL)."""
    if panel != "surface":
        return
    label = probe_points.probe_label(x, y)
    chosen = list(st.session_state.get("probes", list(probe_points.PROBES)))
    if label not in chosen and len(chosen) < probe_points.MAX_PROBES:
        st.session_state["probes"] = [*chosen, label]


def start_here(panel, x, y):
    """A click on the surface moves the start point there (to the sliders' 0.01 steps)."""
    if panel != "surface":
        return
    for key, value in (("wx0", x), ("wrec0", y)):
        spec = SPECS[key]
        st.session_state[key] = round(min(max(float(value), spec.lo), spec.hi), 2)


# --------------------------------------------------------------------------- layout


def readable(x, decimals):
    """x with a fixed number of decimals, or in scientific form once it has 7 digits or more."""
    x = float(x) + 0.0  # + 0.0 turns -0.0 into 0.0: no "-0" in a readout
    return f"{x:.{decimals}f}" if abs(x) < 1e6 else f"{x:.4g}"


if present:
    # For a projector: no title or introduction; the story bar's words as large as the plot's.
    st.html(
        "<style>[data-testid=stMainBlockContainer] { padding-top: 0.6rem; }"
        ".st-key-story_bar { padding: 0.3rem 0.8rem; }"
        ".st-key-story_bar [data-testid=stMarkdownContainer] p,"
        ".st-key-story_bar [data-testid=stCaptionContainer] { font-size: 19px; }</style>"
    )
else:
    st.title("Why recurrent networks are hard to train")
    st.markdown(
        # Plain code font, not LaTeX: KaTeX is one more script to load before the page shows.
        "A one-unit linear RNN, `S_k = x_k w_x + S_(k-1) w_rec`, learns to count the ones in "
        "binary sequences. Backpropagation multiplies the gradient by `w_rec` at every step "
        "back in time, so the cost surface has walls many decades high. **Press play** (or "
        "Space) to watch the optimiser walk it; click the surface to start from there."
    )
with st.container(border=True, key="story_bar"):
    # The box and its arrows on one row that wraps, each at its own width (columns squeezed
    # the arrows to nothing at 1024 px); the caption below, as wide as the page.
    with st.container(horizontal=True, vertical_alignment="bottom"):
        story_name = st.selectbox(
            f"Story (keys 1 to {len(stories.STORIES)})",
            (NO_STORY, *stories.BY_NAME),
            label_visibility="collapsed" if present else "visible",
            format_func=lambda name: stories.BY_NAME[name].title if name else "— none: explore —",
            key=STORY_KEY,  # not bound: the URL holds the story's name, not its title
            on_change=story_chosen,
            help="Each story sets every control at once and says what to look at.",
            width=320,
        )
        st.button("◀", on_click=story_step, args=(-1,), help="previous story")
        st.button("▶", on_click=story_step, args=(1,), help="next story")
    story = stories.BY_NAME.get(story_name)
    if story is None:
        st.caption(
            f"Pick a story, or press 1 to {len(stories.STORIES)} over the plot: "
            "each sets up one lesson."
        )
    elif stories.holds(story, {**values, "probes": list(probes), "racers": list(racers)}):
        st.markdown(f"**{story.title}.** " + links.plain(stories.caption(story, run, values)))
    else:
        st.caption(
            f"{story.title}: you have changed its settings, so its caption no longer describes "
            "the run. Choose the story again to return to it."
        )

# A notice stays while its control still holds the value it was corrected to.
for kind, prefix, icon in (
    ("url_notices", "Link corrected: ", ":material/link:"),
    ("typed_notices", "Corrected: ", ":material/edit:"),
):
    st.session_state[kind] = {
        key: (notice, used)
        for key, (notice, used) in st.session_state[kind].items()
        if st.session_state.get(key) == used
    }
    for notice, _ in st.session_state[kind].values():
        st.warning(prefix + links.plain(notice), icon=icon)
if range_notice:
    st.warning(range_notice, icon=":material/crop:")
# A link's frame counts once, when the page opens (the plot applies it once too).
opening = "frame_checked" not in st.session_state
st.session_state.frame_checked = True
if opening and start_frame is not None and start_frame > len(run.weights) - 1 >= 0:
    # the plot shows the last iteration; the link says so, and now asks for it
    st.warning(
        f"Link corrected: frame={start_frame} is beyond this run's last iteration, "
        f"{len(run.weights) - 1}; the plot starts there.",
        icon=":material/link:",
    )
    links.set_param("frame", str(len(run.weights) - 1))
if run.diverged_at is not None:
    st.error(
        f"**The run diverged.** {run.divergence_reason} {naming.divergence_advice(optimizer)}",
        icon=":material/warning:",
    )

live_plot(
    "dashboard",
    plot_parts,
    on_click=start_here,
    on_pin=pin_probe,
    on_key=story_by_number,
    export_name=naming.export_name(values),
    start_frame=start_frame,
    present=bool(present),
)

captions = st.columns(3)
captions[0].caption(
    "**Surface.** Colour is log₁₀ of the mean squared error (see the colour bar); pale lines "
    "are iso-cost lines every half decade (wider apart on deep surfaces); grey means the "
    "cost overflows float64. The dotted white curve is the valley floor, the best w_x for "
    "each w_rec. The path's dots are coloured by the length of each step; red crosses mark "
    "gradient sign flips; the white ring is the optimum (1, 1), the star the end point."
)
captions[1].caption(
    "**Gradient through time.** |dE/dS_k| for the current iterate, output (k = T) on the left. "
    "Each step back multiplies it by w_rec: above 1 it explodes, below 1 it vanishes, negative "
    "w_rec flips its sign (dot colour). The dashed line is |w_rec|^(T-k), the shape alone. "
    "Dotted lines: the tutorial's probe points. These are the true values; the tutorial's "
    "own figure plots them 400 times too large."
)
captions[2].caption(
    "**The run.** Cost and the step each weight takes, per iteration, on a log scale (Rprop's "
    "step sizes δ; for the others |Δw|); the red line is the current iteration, whose "
    "numbers are printed above the chart."
)

st.subheader("Where each choice leads")
with st.container(horizontal=True, vertical_alignment="bottom"):
    show_maps = spec_checkbox("maps")
    map_colour = st.segmented_control(
        SPECS["map_colour"].label,
        specs.MAP_COLOURS,
        default=SPECS["map_colour"].default,
        key="map_colour",
        bind="query-params",
        disabled=not show_maps,
        required=True,
    )
    tolerance = spec_options("tolerance", disabled=not show_maps, width=260)


def use_map_cell(panel, x, y):
    """A click on a map: its (eta_p, eta_n) for Rprop, or its start point."""
    keys = {"eta": ("eta_p", "eta_n"), "basin": ("wx0", "wrec0")}.get(panel)
    if keys is None:
        return
    if panel == "eta":
        st.session_state["optimizer"] = "rprop"  # the eta map is Rprop's
    for key, value in zip(keys, (x, y), strict=True):
        spec = SPECS[key]
        st.session_state[key] = round(min(max(float(value), spec.lo), spec.hi), 2)


map_values = None
if show_maps:
    T = data_key[1]
    side = map_side(int(values["iterations"]), T)
    settings = run_key[1]
    eta_key = (
        data_key,
        settings.w0,
        values["variant"],
        float(values["delta0"]),
        settings.iterations,
        float(tolerance),
        side,
    )
    basin_key = (data_key, settings._replace(w0=(0.0, 0.0)), ranges, float(tolerance), side)
    colour = map_colour or specs.MAP_COLOURS[0]
    with st.spinner(f"Running {2 * side * side} configurations in step..."):
        parts = {
            name: map_part(name, key, colour)
            for name, key in (("eta", eta_key), ("basin", basin_key))
        }
    parts["marks"] = map_panels.marks_part(
        {"eta": (values["eta_p"], values["eta_n"]), "basin": settings.w0}
    )
    map_plot("outcome_maps", parts, on_click=use_map_cell)
    map_values = {name: value for name, (_, value) in parts.items()}  # for the HTML export
    st.caption(
        f"**Left:** Rprop ({values['variant']}) from the start point for each (eta_p, eta_n), "
        f"{settings.iterations} iterations on this data. **Right:** the chosen optimiser "
        "from each start point of the view. Colour: the final cost (log scale) or the "
        "iterations needed to reach the tolerance; grey cells diverged (their runs "
        "overflowed float64), never coloured as a cost. The cyan ring marks the current "
        "settings; a click on a cell uses it. Each map is one batch of runs advanced in step "
        f"({side}x{side} here: fewer cells for long runs and sequences)."
    )

st.subheader("The run in numbers")
if len(run.weights) == 0:
    st.info("No iterate to report: the cost already overflows float64 at the start point.")
else:
    # each number as wide as it needs (five equal columns cut "1.8e-06" at 1024 pixels),
    # wrapping to a second row on a narrow screen
    with st.container(horizontal=True, gap="large"):
        for label, value in (
            ("iterations run", f"{len(run.weights) - 1}"),
            ("final cost", f"{run.costs[-1]:.3g}"),
            ("final w_x", readable(run.weights[-1, 0], 4)),
            ("final w_rec", readable(run.weights[-1, 1], 4)),
            ("start cost", f"{run.costs[0]:.3g}"),
        ):
            st.metric(label, value, width="content")
    keep = st.container(horizontal=True, vertical_alignment="center")
    keep.markdown("Keep this run:")
    settings = values
    export_name = naming.export_name(settings)
    # The exports are made only when asked for (a callable), so reruns don't pay for them.
    keep.download_button(
        "CSV",
        lambda: export.trajectory_csv(run, {"rnnviz": rnnviz.__version__, **settings}),
        file_name=f"{export_name}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/table:",
    )
    keep.download_button(
        "HTML page (plays offline)",
        lambda: export.live_html(
            {name: value for name, (_, value) in plot_parts.items()},
            *live_plot_assets(),
            title=f"rnnviz: {run.optimizer}",
            caption="Settings: "
            + ", ".join(f"{k}={v}" for k, v in settings.items())
            + "".join(f"; racer: {text}" for text in racers),
            maps=map_values,
            map_js=map_script() if map_values else "",
        ),
        file_name=f"{naming.race_name(export_name, racers)}.html",
        mime="text/html",
        on_click="ignore",
        icon=":material/movie:",
    )
    keep.download_button(
        "JSON (loads back)",
        lambda: export.run_json(
            run,
            run_key[1],
            {key: values[key] for key in SPECS},
            *dataset(*data_key),
            rnnviz.__version__,
            [
                export.Racer(text, each, trajectory(data_key, each)[0])
                for text, (_, each) in zip(racers, racer_keys, strict=True)
            ],
        ),
        file_name=f"{naming.race_name(export_name, racers)}.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/data_object:",
    )
    render_note = f"rnnviz {rnnviz.__version__} {url_codec.settings_query(values, racers)}"
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.segmented_control(
            "animation for slides", list(renders.SIZES), default="720p", key="render_size"
        )
        st.segmented_control(
            "lasting",
            list(renders.LENGTHS),
            default="20 s",
            key="render_length",
            help="The whole run in this time: its speed. A short run plays each iteration "
            "once, more slowly.",
        )
        st.checkbox(
            "with the side views",
            True,
            key="render_side_views",
            help="The readout, the cost per iteration and the gradient through time beside "
            "the surface, as the page shows them.",
        )
        for kind, (label, _) in renders.KINDS.items():
            missing = renders.missing(kind)
            st.button(
                f"Make {renders.ARTICLES[kind]} {label}",
                key=f"make_{kind}",
                on_click=start_render,
                args=(
                    kind,
                    surface_key,
                    (run_key, *racer_keys),
                    tuple(racers),
                    naming.race_name(export_name, racers),
                    render_note,
                    naming.settings_caption(values, racers),
                ),
                disabled=running_render() or bool(missing),
                help=missing or None,
                icon=":material/animation:",
            )
    for kind in renders.KINDS:
        if renders.missing(kind):
            st.caption(renders.missing(kind))
    show_render(render_note)
st.file_uploader(
    "Load a saved run (JSON): its settings return, and the run is checked against the file",
    type=["json"],
    key="run_file",
    on_change=load_run_file,
)
if st.session_state.get("loaded_values", values) == values:
    for text, good in st.session_state.get("loaded_notices", []):
        (st.success if good else st.warning)(links.plain(text), icon=":material/upload_file:")

st.subheader("Test the trained network")
sequence = st.text_input(
    "A sequence of 0s and 1s (up to 1000 digits)",
    DEFAULT_SEQUENCE,
    key="sequence",
    bind="query-params",
)
try:
    bits = rnnviz.parse_sequence(sequence)
except ValueError as error:
    st.error(f"Can't read that sequence: {links.plain(error)}.", icon=":material/edit:")
else:
    w_x, w_rec = run.weights[-1] if len(run.weights) else (float(wx0), float(wrec0))
    with np.errstate(over="ignore", invalid="ignore"):
        output = rnnviz.forward_states(bits, w_x, w_rec)[0, -1]
    shown = readable(output, 2) if np.isfinite(output) else "beyond float64"
    st.success(
        f"Model output **{shown}** vs true count **{int(bits.sum())}** "
        f"(with w_x = {readable(w_x, 4)}, w_rec = {readable(w_rec, 4)}).",
        icon=":material/calculate:",
    )

# How long this rerun took on the server, for bench/app.py (not shown in the page).
st.session_state["rerun_seconds"] = time.perf_counter() - RERUN_START
