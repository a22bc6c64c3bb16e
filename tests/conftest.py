from __future__ import annotations

import pytest

import triage
from triage.model import Content


@pytest.fixture(scope="session")
def content() -> Content:
    """The shipped questionnaire and rules."""
    return triage.load()
