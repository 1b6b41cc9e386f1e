"""rnnviz: see why recurrent networks are hard to train.

The page, top to bottom: the link checked, the controls (each one also a URL parameter), read
once into a Controls value; the cached computation on its named keys; then the layout. Each
step is a call into dashboard/ (the Streamlit side); the maths lives in rnnviz/.
"""

import gc
import time

import streamlit as st

from dashboard import animations, compute, exports, maps, numbers, stage, story_bar
from dashboard.controls import read_controls
from dashboard.sidebar import sidebar

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

# ------------------------------------------------------------------------------ controls
# The URL is checked before any widget reads it: a bad value is corrected and said.
start_frame = story_bar.check_link()
sidebar()
controls = read_controls()

# ------------------------------------------------------------------------------ computation
labels = controls.probes
plot_parts = {
    "view": compute.view_part(controls.surface, labels, controls.valley, controls.present),
    "run": compute.race_part(
        controls.surface, controls.race, labels, controls.trail, controls.present
    ),
}
run, _ = compute.trajectory(controls.data, controls.race[0].settings)
# the story chosen and its caption for this run (None once the controls have left it): its
# numbers come from the run, worked out once for the story bar, the stage and the exports
story = story_bar.shown_story(controls, run)

# ------------------------------------------------------------------------------ layout
stage.heading(controls.present)
if not controls.present:  # in presenter mode the figure's stage shows the story
    story_bar.story_bar(controls, story)
story_bar.notices(controls.range_notice)
story_bar.frame_notice(start_frame, run)
stage.figure(plot_parts, controls, story, start_frame)

map_values = maps.maps_section(controls)

if numbers.run_numbers(run):
    file_name = exports.keep_row(
        controls,
        run,
        plot_parts,
        map_values,
        story,
    )
    animations.animation_row(controls, file_name)
exports.load_section(controls)
numbers.tester(run, controls.race[0].settings.w0)

# How long this rerun took on the server, for bench/app.py (not shown in the page).
st.session_state["rerun_seconds"] = time.perf_counter() - RERUN_START
