"""The content reference in docs/content.md documents every YAML key."""

from __future__ import annotations

import re
from pathlib import Path

from triage import model

DOC = (Path(__file__).parent.parent / "docs" / "content.md").read_text()


def documented_keys() -> set[str]:
    """Every `key` named in the docstrings of the content records."""
    keys: set[str] = set()
    for record in (
        model.Question,
        model.Section,
        model.Questionnaire,
        model.SecondHeadache,
        model.Level,
        model.Fact,
        model.RedFlag,
        model.Pattern,
        model.Item,
        model.DryNeedlingRules,
        model.Screening,
        model.Rules,
    ):
        keys.update(re.findall(r"`([a-z_]+)`", record.__doc__ or ""))
    return keys


def test_every_key_of_the_records_is_in_the_content_reference() -> None:
    keys = documented_keys()
    assert len(keys) > 40
    assert sorted(k for k in keys if f"`{k}`" not in DOC) == []
