"""Animations for slides, drawn in the background while the page stays usable: the size,
length and side views asked for, the buttons, the progress and the file (dashboard/renders.py
draws them)."""

import streamlit as st

import rnnviz
from dashboard import links, renders
from dashboard.compute import surface, trajectory
from rnnviz import animation, naming, url_codec


def start_render(kind, controls, name, note, caption):
    """Draw the run and its racers as an animation in the background (show_render polls it),
    at the size, length and with the side views the page's controls ask for."""
    layer, floor = surface(controls.surface)
    runs = [
        (*trajectory(controls.data, entrant.settings), entrant.label) for entrant in controls.race
    ]
    frames = animation.Frames(
        layer,
        animation.runners(runs),
        renders.SIZES[st.session_state.get("render_size") or "720p"],
        caption,
        side_views=st.session_state.get("render_side_views", True),
        T=controls.data.seq_len,
        valley=floor if controls.valley else None,
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


def animation_row(controls, file_name):
    """The animation's size, length and side views, and a button for each kind of file."""
    values, racers = controls.values, controls.racers
    note = f"rnnviz {rnnviz.__version__} {url_codec.settings_query(values, racers)}"
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
        caption = naming.settings_caption(values, racers)
        for kind, (label, _) in renders.KINDS.items():
            missing = renders.missing(kind)
            st.button(
                f"Make {renders.ARTICLES[kind]} {label}",
                key=f"make_{kind}",
                on_click=start_render,
                args=(kind, controls, file_name, note, caption),
                disabled=running_render() or bool(missing),
                help=missing or None,
                icon=":material/animation:",
            )
    for kind in renders.KINDS:
        if renders.missing(kind):
            st.caption(renders.missing(kind))
    show_render(note)
