"""Every control's value on this run, read once after the widgets are drawn, and the keys the
cached computation takes, each field by name (no positional tuples)."""

from typing import NamedTuple

import streamlit as st

from rnnviz import racer_grammar, specs
from rnnviz.probe_points import PROBES, PROBES_KEY
from rnnviz.specs import SPECS


class DataKey(NamedTuple):
    """The data set: n_samples sequences of seq_len bits from seed."""

    n_samples: int
    seq_len: int
    seed: int


class SurfaceKey(NamedTuple):
    """The surface's picture: its data set, the view's ranges (wx_min, wx_max, wrec_min,
    wrec_max), pixels a side, and whether iso-cost lines are drawn."""

    data: DataKey
    ranges: tuple
    resolution: int
    contours: bool


class Controls(NamedTuple):
    """What the controls say on this run: the one source every part of the page reads.

    values: {SPECS key: value}; racers: their texts as the page writes them; probes: the
    probe points' labels; trail: the path draws itself as it plays; ranges: the surface's
    view, with range_notice when a custom view was impossible.
    """

    values: dict
    racers: tuple
    probes: tuple
    trail: bool
    ranges: tuple
    range_notice: str

    @property
    def data(self):
        v = self.values
        return DataKey(int(v["n_samples"]), int(v["seq_len"]), int(v["seed"]))

    @property
    def surface(self):
        v = self.values
        return SurfaceKey(self.data, self.ranges, int(v["resolution"]), bool(v["contours"]))

    @property
    def race(self):
        """The main run and its racers (racer_grammar.Entrants)."""
        return racer_grammar.entrants(self.values, self.racers)

    @property
    def present(self):
        return bool(self.values["present"])

    @property
    def valley(self):
        return bool(self.values["valley"])

    @property
    def link_values(self):
        """The values as a link holds them: every control, the probes and the racers."""
        return {
            **self.values,
            PROBES_KEY: list(self.probes),
            racer_grammar.RACERS_KEY: list(self.racers),
        }


def read_controls():
    """The Controls of this run, from the widgets' state (a control not drawn on this run,
    another optimiser's say, holds its default)."""
    state = st.session_state
    values = {key: state.get(key, spec.default) for key, spec in SPECS.items()}
    ranges, notice = specs.surface_ranges(values)
    return Controls(
        values=values,
        racers=tuple(state.get(racer_grammar.RACERS_KEY, ())),
        probes=tuple(state.get(PROBES_KEY, tuple(PROBES))),
        trail=bool(state.get("trail", values["present"])),
        ranges=ranges,
        range_notice=notice,
    )
