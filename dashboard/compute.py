"""The page's cached computation: each function keyed on plain values (DataKey, SurfaceKey,
RunSettings, labels), bounded by max_entries, never drawing a widget.

cache_data hands each caller a copy (arrays the page may index freely); cache_resource shares
one value between sessions, so what it returns (the plot's parts) is never mutated.
"""

import streamlit as st

import rnnviz
from rnnviz import live, naming, race, surface_image
from rnnviz.parts import MAIN, Runner
from rnnviz.probe_points import probe_point


@st.cache_data(max_entries=32, show_spinner=False)
def dataset(data):
    """(X, t) of a DataKey."""
    return rnnviz.make_dataset(data.n_samples, data.seq_len, data.seed)


@st.cache_data(max_entries=16, show_spinner=False)
def surface(key):
    """The surface layer and the valley floor for one SurfaceKey."""
    X, t = dataset(key.data)
    layer = surface_image.layer_of(X, t, key.ranges, key.resolution, key.contours)
    wrec = surface_image.pixel_centres(key.ranges[2], key.ranges[3], key.resolution)
    return layer, (rnnviz.valley_floor(X, t, wrec), wrec)


@st.cache_data(max_entries=64, show_spinner=False)
def trajectory(data, settings):
    """One training run (settings: rnnviz.RunSettings) and dE/dS_T at each of its iterates.

    dE/dS_T, not the (k+1, T+1) matrix dE/dS_k it spans: 1/(T+1) of the bytes cached (3.2 MB
    at the largest settings otherwise).
    """
    X, t = dataset(data)
    run = rnnviz.run(X, t, settings)
    return run, rnnviz.final_state_gradient(X, t, run.weights[:, 0], run.weights[:, 1])


@st.cache_data(max_entries=32, show_spinner=False)
def probe_gradients(data, labels):
    """{label: signed dE/dS_k} of each probe point."""
    X, t = dataset(data)
    return {
        label: rnnviz.gradient_through_time(X, t, *probe_point(label)).signed for label in labels
    }


@st.cache_resource(max_entries=16, show_spinner=False)
def view_part(key, labels, show_valley, present=False):
    """(id, value): what the plot draws for one SurfaceKey; shared, never mutated."""
    layer, floor = surface(key)
    probes = probe_gradients(key.data, labels)
    X, t = dataset(key.data)
    pointer = rnnviz.final_state_gradient_polynomial(X, t)
    objective = rnnviz.model.browser_objective(X, t)
    value = live.view_part(
        layer, probes, floor if show_valley else None, key.data.seq_len, present, pointer, objective
    )
    return live.part_id([key, labels, show_valley, present]), value


@st.cache_resource(max_entries=16, show_spinner=False)
def run_part(key, settings, labels, trail=False, present=False, runner=MAIN):
    """(id, value): one run on the SurfaceKey's view as the plot's series, drawn as runner's;
    shared, never mutated."""
    run, final = trajectory(key.data, settings)
    through_time = rnnviz.backpropagate(final, run.weights[:, 1], key.data.seq_len).signed
    layer, _ = surface(key)
    probes = probe_gradients(key.data, labels).values()  # a cache hit: the view drew them
    advice = naming.divergence_advice(settings.optimizer) if runner.main else ""
    value = live.run_part(run, through_time, probes, layer.ranges, trail, present, runner, advice)
    return live.part_id([key, settings, labels, trail, present, runner]), value


@st.cache_resource(max_entries=16, show_spinner=False)
def race_part(key, entrants, labels, trail=False, present=False):
    """(id, value): the main run and its racers (racer_grammar.Entrants) as one run part; the
    main run alone as is.

    Each runner's run and part come from their own caches, so a change to one racer
    recomputes only that one."""
    parts = [
        run_part(key, e.settings, labels, trail, present, Runner(number, e.label))
        for number, e in enumerate(entrants, 1)
    ]
    if len(parts) == 1:
        return parts[0]
    runs = [(value, e.label) for (_, value), e in zip(parts, entrants, strict=True)]
    return live.part_id([part_id for part_id, _ in parts]), race.race_part(runs)
