"""The sidebar: every control of the run, drawn from its spec, in the order a person tunes
them (optimiser, race, start, data, surface)."""

import streamlit as st

from dashboard import links
from dashboard.live_plot import preload
from dashboard.story_bar import reset_to_tutorial, show_story
from dashboard.widgets import spec_checkbox, spec_choice, spec_number, spec_slider, spec_widget
from rnnviz import racer_grammar, specs, url_codec
from rnnviz.probe_points import MAX_PROBES, PROBES, PROBES_KEY


def presenter_switched():
    """Presenter mode draws the path as it plays; leaving it shows the whole path again."""
    st.session_state.trail = st.session_state.present


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
    racers = st.session_state.get(racer_grammar.RACERS_KEY, [])
    st.session_state[racer_grammar.RACERS_KEY] = [*racers, text]
    typed_racers()


def typed_racers():
    """Racers as typed: each written the page's way, or left out with a notice saying why."""
    key = racer_grammar.RACERS_KEY
    racers = url_codec.check_query({key: st.session_state[key]})[key]
    st.session_state[key] = racers.value
    links.set_param(key, racers.text)
    # a notice from an earlier entry goes; this one's (if any) takes its place
    st.session_state.typed_notices.pop(key, None)
    if racers.notice:
        st.session_state.typed_notices[key] = (racers.notice, racers.value)


def sidebar():
    """Every control of the run, after a start on loading the plot's code."""
    with st.sidebar:
        preload()  # plotly.js parses while the widgets below are drawn
        st.button("↺ Reset to the tutorial", on_click=reset_to_tutorial, width="stretch")
        present = spec_checkbox("present", on_change=presenter_switched)
        # Not in the URL: it follows presenter mode (on there) unless changed here.
        st.session_state.setdefault("trail", present)
        st.checkbox(
            "draw the path as it plays",
            key="trail",
            help="Hide the path ahead of the current iterate, so it draws itself as it plays; "
            "the end star appears when the run gets there.",
        )
        optimiser()
        race()
        st.subheader("Start point")
        spec_slider("wx0")
        spec_slider("wrec0")
        st.subheader("Data")
        spec_number("n_samples")
        spec_number("seq_len", help="Longer sequences: steeper walls.")
        spec_number("seed")
        surface()


def optimiser():
    st.subheader("Optimiser")
    optimizer = spec_choice(
        "optimizer",
        help="Rprop uses only the sign of the gradient; the "
        "others use its size, which explodes on the walls.",
    )
    # Only the chosen optimiser's own settings are shown, each with its own defaults.
    for key in specs.HYPERPARAMETERS[optimizer].values():
        spec_widget(key)
    spec_widget("clip", disabled=optimizer == "rprop")
    spec_slider("iterations")


def race():
    st.subheader("Race")
    st.multiselect(
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


def surface():
    st.subheader("Surface")
    view = st.radio("view", specs.VIEWS, key="view", horizontal=True, bind="query-params")
    custom = view == "custom"
    range_columns = st.columns(2)
    with range_columns[0]:
        spec_number("wx_min", step=0.1, disabled=not custom)
        spec_number("wrec_min", step=0.1, disabled=not custom)
    with range_columns[1]:
        spec_number("wx_max", step=0.1, disabled=not custom)
        spec_number("wrec_max", step=0.1, disabled=not custom)
    spec_slider("resolution")
    st.checkbox("iso-cost lines every half decade", True, key="contours", bind="query-params")
    st.checkbox("valley floor (least cost for each w_rec)", True, key="valley", bind="query-params")
    st.multiselect(
        "probe points in the gradient view",
        list(PROBES),  # the same options every run; pinned points are new options
        default=list(PROBES),
        key=PROBES_KEY,
        bind="query-params",
        accept_new_options=True,
        max_selections=MAX_PROBES,
        help="The tutorial's six, and any point pinned by a Shift-click on the surface.",
    )
