"""Widgets drawn from their specs (rnnviz.specs.SPECS), each bound to the URL parameter of its
own name, so a control has one label, one default, one range and one help text."""

import streamlit as st

from dashboard import links
from rnnviz import url_codec
from rnnviz.specs import SPECS, check_value, quote


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
    spec = SPECS[key]
    checked = check_value(key, spec, repr(typed), subject=f"{spec.label or key} {quote(typed)}")
    if checked.value != typed:
        st.session_state[key] = checked.value
        # the box already wrote what was typed into the URL: replace it, so the link check
        # finds nothing to correct (one notice, not two)
        links.set_param(key, url_codec.url_text(key, checked.value))
        st.session_state.typed_notices[key] = (checked.notice, checked.value)
