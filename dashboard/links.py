"""The page's URL, checked on every run before any widget reads it (Streamlit glue, no maths).

A shared link can say anything: `?seed=inf`, a 400-digit number, a key given twice, markdown
meant to pass for the page's own words. rnnviz.url_codec decides what each value means; this
module makes the URL say exactly that before Streamlit's own URL binding parses it (which
would raise on `int(float("inf"))`), so what a notice says, the widget shows and the URL holds
are one value. It runs on every script run because the browser's Back button replays old URLs.
"""

import re

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.runtime.state.session_state_proxy import get_session_state

from rnnviz import specs, url_codec

# Every ASCII punctuation character can be backslash-escaped in CommonMark; escaping them all
# leaves no markdown, HTML, link, image, directive (:red[...]) or math ($) syntax in the text.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub-flavoured markdown turns bare URLs and addresses into links *after* escapes are read
# (its autolinks work on the text), so an invisible word joiner breaks "http://", "www." and
# "a@b" apart, along with ":name:" shortcodes. Seen in Chromium: `https\:\/\/x` still linked.
_AUTOLINK_TRIGGER = re.compile(r"(?<=[:@])|(?i:(?<=www)(?=\\\.))")
WORD_JOINER = "\u2060"


def plain(text):
    """text escaped so that Streamlit's markdown shows it exactly as written, links inert."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines()))
    return _AUTOLINK_TRIGGER.sub(WORD_JOINER, escaped)


def check_page_url():
    """Correct the page URL in place; {key: (notice, value used)} for what had to change.

    Streamlit seeds bound widgets from a snapshot of the URL taken when the run starts, so the
    snapshot is corrected too (QueryParams.set_initial_query_params_from_current, the call
    Streamlit itself makes after filtering a URL on a page change; pinned by the tests).
    """
    link = {key: st.query_params.get_all(key) for key in st.query_params}
    checked = url_codec.check_query(link)
    fixes = {key: c for key, c in checked.items() if _as_list(c.text) != link[key]}
    if fixes:
        with get_session_state().query_params() as query:
            for key, c in fixes.items():
                if c.text is None:
                    query.remove_param(key)
                else:
                    kind = "string_array_value" if isinstance(c.text, list) else "string_value"
                    query.set_corrected_value(key, c.text, kind)
            query.set_initial_query_params_from_current()
        for key, c in fixes.items():
            st.session_state[key] = c.value
    return {key: (c.notice, c.value) for key, c in checked.items() if c.notice}


def _as_list(text):
    return [] if text is None else (text if isinstance(text, list) else [text])


def clear_page_url(keep=()):
    """Every parameter but those in keep out of the URL, and out of the seeding snapshot.

    For Reset and stories: a control drawn for the first time after it (another optimiser's,
    say) would otherwise take its value from a parameter the old view left in the URL.
    """
    with get_session_state().query_params() as query:
        for key in list(query):
            if key not in keep:
                query.remove_param(key)
        query.set_initial_query_params_from_current()


def seed_from_link(texts):
    """{key: text} put in the URL and in the snapshot Streamlit seeds widgets from (a None
    text: left out), as if the link had said them."""
    with get_session_state().query_params() as query:
        for key, text in texts.items():
            if text is not None:
                kind = "string_array_value" if isinstance(text, list) else "string_value"
                query.set_corrected_value(key, text, kind)
        query.set_initial_query_params_from_current()


def set_param(key, text):
    """One URL parameter set to text (None: removed; a list: the key repeated)."""
    with get_session_state().query_params() as query:
        if text is None:
            query.remove_param(key)
        else:
            kind = "string_array_value" if isinstance(text, list) else "string_value"
            query.set_corrected_value(key, text, kind)


def history_navigation():
    """Whether this run replays a URL the browser's Back or Forward went to (Streamlit then
    seeds every bound widget from that URL, a missing parameter meaning its default)."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.is_history_navigation)


def page_choice(key, options):
    """(the URL's value for key if it is one of options, else None; a notice if it was not)."""
    texts = st.query_params.get_all(key)
    if not texts:
        return None, ""
    if texts[-1] in options:
        return texts[-1] or None, ""
    with get_session_state().query_params() as query:
        query.remove_param(key)
    known = ", ".join(option for option in options if option)
    return None, f"{key}={specs.quote(texts[-1])} is not one of {known}; left out."


def page_frame():
    """(the iteration a link's ?frame= asks for, or None; a notice if it was malformed)."""
    texts = st.query_params.get_all("frame")
    if not texts:
        return None, ""
    text = texts[-1].strip()
    if text.isdecimal() and len(text) <= 6:
        return int(text), ""
    with get_session_state().query_params() as query:
        query.remove_param("frame")
    return None, f"frame={specs.quote(texts[-1])} is not an iteration number; starting at 0."
