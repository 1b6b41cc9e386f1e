"""Keeping a run: CSV, the offline HTML page, JSON that loads back (checked against the file
to the last bit), made only when asked for."""

import streamlit as st

import rnnviz
from dashboard import lecture, links, live_plot
from dashboard.compute import dataset, trajectory
from dashboard.controls import read_controls
from dashboard.story_bar import show_story
from rnnviz import export, naming, racer_grammar, url_codec
from rnnviz.specs import SPECS


def keep_row(controls, run, plot_parts, map_values, shown_story):
    """The download buttons for the run on screen. plot_parts: {name: (id, value)} of the
    plot's parts; map_values: {name: value} of the maps' (None: no maps shown); shown_story:
    (story, caption) from story_bar.shown_story. Returns the files' name."""
    values, racers = controls.values, controls.racers
    story, caption = shown_story
    shown = caption is not None  # the story's caption describes this run
    export_name = naming.export_name(values)
    name = naming.race_name(export_name, racers)
    keep = st.container(horizontal=True, vertical_alignment="center")
    keep.markdown("Keep this run:")
    # The exports are made only when asked for (a callable), so reruns don't pay for them.
    keep.download_button(
        "CSV",
        lambda: export.trajectory_csv(run, {"rnnviz": rnnviz.__version__, **values}),
        file_name=f"{export_name}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/table:",
    )
    keep.download_button(
        "HTML page (works offline)",
        lambda: export.live_html(
            {name: value for name, (_, value) in plot_parts.items()},
            *live_plot.assets(),
            title=f"rnnviz: {story.title if shown else run.optimizer}",
            caption=caption if shown else "",
            # the run's own settings (its optimiser's, not every control's), its racers
            settings="Settings: " + naming.settings_caption(values, racers),
            maps=map_values,
            map_js=live_plot.map_script() if map_values else "",
            # the stories too, each as the page draws it: a lecture with no server
            lecture=lecture.lecture(controls, plot_parts, shown_story),
        ),
        file_name=f"{name}.html",
        mime="text/html",
        on_click="ignore",
        icon=":material/movie:",
    )
    keep.download_button(
        "JSON (loads back)",
        lambda: run_file(controls, run),
        file_name=f"{name}.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/data_object:",
    )
    return name


def run_file(controls, run):
    """The run and its racers as JSON that loads back."""
    main, *racers = controls.race
    return export.run_json(
        run,
        main.settings,
        {key: controls.values[key] for key in SPECS},
        *dataset(controls.data),
        rnnviz.__version__,
        [
            export.Racer(e.text, e.settings, trajectory(controls.data, e.settings)[0])
            for e in racers
        ],
    )


def load_section(controls):
    """The uploader of a saved run, and what loading it found (while its settings hold)."""
    st.file_uploader(
        "Load a saved run (JSON): its settings return, and the run is checked against the file",
        type=["json"],
        key="run_file",
        on_change=load_run_file,
    )
    if st.session_state.get("loaded_values", controls.values) == controls.values:
        for text, good in st.session_state.get("loaded_notices", []):
            (st.success if good else st.warning)(links.plain(text), icon=":material/upload_file:")


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
    controls = read_controls()
    values = controls.values
    X, t = dataset(controls.data)
    same_data = saved.X.shape == X.shape and (saved.X == X).all() and (saved.t == t).all()
    racers = controls.racers
    reruns = [rnnviz.run(X, t, entrant.settings) for entrant in controls.race]
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
    if controls.race[0].settings != saved.settings:  # a hand-edited file, say
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
