"""Where each choice leads: the outcome maps section (Rprop over its (eta_p, eta_n) ranges,
and the chosen optimiser from every start point of the view), each map one batch of runs."""

import math
from typing import NamedTuple

import streamlit as st

from dashboard.compute import dataset
from dashboard.controls import DataKey
from dashboard.live_plot import map_plot
from dashboard.stage import run_settings_json, set_from_point
from dashboard.widgets import spec_checkbox, spec_options
from rnnviz import batch, map_panels, specs, surface_image
from rnnviz.parts import part_id
from rnnviz.specs import SPECS
from rnnviz.train import RunSettings

# The tutorial's grid (64x64 runs of 500 iterations, T = 10) in Horner steps: about 0.2 s here.
MAP_WORK = 64 * 64 * 500 * (2 * 10 - 1)
MAP_KEYS = {"eta": ("eta_p", "eta_n"), "basin": ("wx0", "wrec0")}  # what a click on each sets


class EtaMapKey(NamedTuple):
    """Rprop from one start over a side x side grid of (eta_p, eta_n)."""

    data: DataKey
    w0: tuple
    variant: str
    delta0: float
    iterations: int
    tolerance: float
    side: int


class BasinMapKey(NamedTuple):
    """One optimiser's settings (its start aside) from a side x side grid of starts over the
    view's ranges."""

    data: DataKey
    settings: RunSettings
    ranges: tuple
    tolerance: float
    side: int


def map_side(iterations, T):
    """Cells per side: 64 at the tutorial's settings, fewer (at least 8) for long runs and long
    sequences, whose every run costs more, so a map takes about as long whatever the settings."""
    return int(min(64, max(8, math.sqrt(MAP_WORK / (max(iterations, 1) * (2 * T - 1))))))


def control_grid(key, side):
    """side cell centres spanning the control's whole range: a click on any cell sets a value
    the slider holds, never one it must clamp."""
    spec = SPECS[key]
    return surface_image.pixel_centres(spec.lo, spec.hi, side)


@st.cache_data(max_entries=8, show_spinner=False)
def eta_outcome(key):
    """Rprop from key.w0 for every cell of an (eta_p, eta_n) grid: a rnnviz.batch.OutcomeMap."""
    X, t = dataset(key.data)
    eta_p, eta_n = (control_grid(name, key.side) for name in MAP_KEYS["eta"])
    return batch.eta_map(
        X, t, eta_p, eta_n, key.w0, key.iterations, key.tolerance, key.variant, key.delta0
    )


@st.cache_data(max_entries=8, show_spinner=False)
def basin_outcome(key):
    """key.settings (w0 aside) from every start on a grid over the view: an OutcomeMap."""
    X, t = dataset(key.data)
    w_x = surface_image.pixel_centres(key.ranges[0], key.ranges[1], key.side)
    w_rec = surface_image.pixel_centres(key.ranges[2], key.ranges[3], key.side)
    s = key.settings
    return batch.basin_map(
        X, t, s.make_optimizer(), w_x, w_rec, s.iterations, key.tolerance, s.clip_norm
    )


@st.cache_resource(max_entries=16, show_spinner=False)
def map_part(name, key, colour):
    """(id, value): one map as a panel; shared, never mutated."""
    outcome = eta_outcome(key) if name == "eta" else basin_outcome(key)
    return map_panels.panel_part(map_panels.map_panel(name, outcome, colour))


def use_map_cell(panel, x, y):
    """A click on a map: its (eta_p, eta_n) for Rprop, or its start point."""
    if panel not in MAP_KEYS:
        return
    if panel == "eta":
        st.session_state["optimizer"] = "rprop"  # the eta map is Rprop's
    set_from_point(MAP_KEYS[panel], (x, y))


def hover_part(values):
    """(id, value): what the pointer over each map previews (static/map_hover.js): the run a
    click there sets, as RunSettings JSON with the pair the map's axes change, and their
    controls' ranges (a click is kept inside them, to two decimals)."""
    value = {
        name: {
            # the eta map is Rprop's (a click there chooses it); the start map, the main run's
            "settings": run_settings_json(
                {**values, "optimizer": "rprop"} if name == "eta" else values
            ),
            "sets": "eta" if name == "eta" else "w0",
            "ranges": [[SPECS[key].lo, SPECS[key].hi] for key in keys],
        }
        for name, keys in MAP_KEYS.items()
    }
    return part_id(value), value


def maps_section(controls):
    """The maps' controls and, when shown, the two maps.
    Returns {name: value} of the parts shown, for the HTML export, or None."""
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
        tolerance = float(spec_options("tolerance", disabled=not show_maps, width=260))
    if not show_maps:
        return None
    values = controls.values
    settings = controls.race[0].settings
    side = map_side(settings.iterations, controls.data.seq_len)
    keys = {
        "eta": EtaMapKey(
            controls.data,
            settings.w0,
            values["variant"],
            float(values["delta0"]),
            settings.iterations,
            tolerance,
            side,
        ),
        "basin": BasinMapKey(
            controls.data, settings._replace(w0=(0.0, 0.0)), controls.ranges, tolerance, side
        ),
    }
    colour = map_colour or specs.MAP_COLOURS[0]
    with st.spinner(f"Running {2 * side * side} configurations in step..."):
        parts = {name: map_part(name, key, colour) for name, key in keys.items()}
    parts["marks"] = map_panels.marks_part(
        {"eta": (values["eta_p"], values["eta_n"]), "basin": settings.w0}
    )
    parts["hover"] = hover_part(values)
    map_plot("outcome_maps", parts, on_click=use_map_cell)
    st.caption(
        f"**Left:** Rprop ({values['variant']}) from the start point for each (eta_p, eta_n), "
        f"{settings.iterations} iterations on this data. **Right:** the chosen optimiser "
        "from each start point of the view. Colour: the final cost (log scale) or the "
        "iterations needed to reach the tolerance; grey cells diverged (their runs "
        "overflowed float64), never coloured as a cost. The cyan ring marks the current "
        "settings; the pointer over a cell draws its run on the surface, a click keeps it. "
        "Each map is one batch of runs advanced in step "
        f"({side}x{side} here: fewer cells for long runs and sequences)."
    )
    return {name: value for name, (_, value) in parts.items()}
