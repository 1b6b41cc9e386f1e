"""What several test modules share: the page opened once at its defaults."""

import pytest
from app_page import run_app


@pytest.fixture(scope="module")
def default_app():
    """The page at the tutorial's settings, opened once per module."""
    return run_app()
