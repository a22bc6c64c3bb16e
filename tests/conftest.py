from __future__ import annotations

from collections.abc import Iterator

import pytest

import triage
from triage.model import Content


@pytest.fixture(scope="session")
def content() -> Content:
    """The shipped questionnaire and rules."""
    return triage.load()


@pytest.fixture(scope="session", autouse=True)
def _content_cache_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every command the tests run keeps its content cache in a folder of the test
    session's, never in the home folder of whoever runs them."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    yield
    patch.undo()
