"""Driving the page through Streamlit's AppTest: open it with a link, read what it shows."""

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import links
from rnnviz import live

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60  # the first run builds the surface and 500 frames; CI machines are slow


def run_app(**query):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def plot_data(at):
    """{part name: value} that the persistent plot holds after the last run.

    The page sends a part only when it changed since the last send in this session; forgetting
    what was sent and rerunning (all cache hits) makes it send every part again.
    """
    at.session_state["dashboard:sent"] = {}
    at.run()
    (element,) = [e for e in at.main if getattr(e, "type", "") == "bidi_component"]
    return {name: part["value"] for name, part in json.loads(element.proto.json)["parts"].items()}


def divergence_said(at):
    """What the page says of a divergence, and where: (the figure's notes, the page's own
    alerts). A failure is said once, in the figure (issue 17), so the alerts stay empty."""
    notes = plot_data(at)["run"]["notes"]
    return " ".join(n for n in notes if "iverged" in n), [e.value for e in at.error]


def path_start(data):
    return tuple(live.decode(data["run"]["series"][name])[0] for name in ("w_x", "w_rec"))


def unescaped(markdown):
    """Text as a reader sees it: markdown's backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(links.WORD_JOINER, "")


def notices(at):
    """The link notices as a reader sees them."""
    return " ".join(unescaped(w.value) for w in at.warning)


def assert_clean(at):
    assert not at.exception
    assert [e.value for e in at.error] == []


def button(at, label):
    (found,) = [b for b in at.button if b.label == label]
    return found


def story_caption(at):
    """The story bar's caption as a reader sees it, or '' when it shows none."""
    said = [unescaped(m.value) for m in at.markdown if m.value.startswith("**")]
    return said[0] if said else ""


def map_data(at):
    """{part name: value} the outcome maps hold after the last run (every part, resent)."""
    at.session_state["outcome_maps:sent"] = {}
    at.run()
    (element,) = [
        e for e in at.main if getattr(e, "type", "") == "bidi_component" and "marks" in e.proto.json
    ]
    return {name: part["value"] for name, part in json.loads(element.proto.json)["parts"].items()}
