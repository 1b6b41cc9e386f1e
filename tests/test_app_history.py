"""The page through AppTest when the browser's Back or Forward replays an entry's URL (issue
17). Streamlit (1.67) then seeds every bound widget from that URL, a missing parameter as its
default; AppTest cannot go Back, so the run is told it replays one (links.history_navigation).
tests/e2e/test_history.py goes Back in Chromium."""

import pytest
from app_page import run_app, story_caption

from dashboard import links


@pytest.fixture
def navigating(monkeypatch):
    monkeypatch.setattr(links, "history_navigation", lambda: True)


def replay(at, **query):
    """The run Back or Forward makes: the entry's URL, nothing else."""
    for key in list(at.query_params):
        del at.query_params[key]
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_back_to_a_story_puts_the_controls_its_url_leaves_out_in_the_url(navigating):
    at = run_app(eta_p="1.3")
    # the clipping story's entry, as the page wrote it: its learning rate left out
    replay(at, story="clipping", optimizer="sgd", clip="10")
    assert not at.exception
    assert at.session_state["learning_rate"] == pytest.approx(2e-3)
    assert at.query_params["learning_rate"] in ("0.002", ["0.002"])  # what Streamlit seeds
    assert at.session_state["story"] == "clipping"
    # (the widgets the URL does name are seeded by Streamlit's own history navigation, which
    # AppTest does not make: the caption is checked in Chromium)


def test_back_to_a_view_before_any_story_shows_none(navigating):
    at = run_app(story="clipping")
    replay(at, eta_p="1.3")
    assert not at.exception
    assert at.session_state["story"] == "" and story_caption(at) == ""
    assert "story" not in at.query_params


def test_without_back_a_story_stays_chosen_when_a_run_brings_no_story():
    """Only a replayed entry says "no story": an ordinary run keeps the story chosen."""
    at = run_app(story="clipping")
    replay(at, optimizer="sgd", clip="10")
    assert at.session_state["story"] == "clipping"
