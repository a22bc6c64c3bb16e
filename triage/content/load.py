"""Where content comes from: `load` gives the `Content` of a questionnaire and its
rules (the shipped ones by default), built from the files by `content.build`
or, with `cache`, taken from the content already built from the same bytes
(`content.cache`).  Either way a content error is said the same, with every
problem's file, line and column: errors are never cached.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from triage.model import Content


def shipped(name: str) -> Path:
    """The path of a content file shipped inside the package (at its top)."""
    return Path(__file__).parent.parent / name


def load(
    questions: str | Path | None = None, rules: str | Path | None = None, *, cache: bool = False
) -> Content:
    """Load and cross-check a questionnaire and its rules (the shipped ones by default).

    With `cache` (the command line's way), content built before from the same
    bytes, by the same code, is taken from the user's cache folder, and content
    built now is kept there (see `triage.content.cache`)."""
    q_path = Path(questions) if questions else shipped("questions.yaml")
    r_path = Path(rules) if rules else shipped("rules.yaml")
    if cache:
        from triage.content.cache import cached

        return cached(q_path, r_path, _build)
    return _build(q_path, r_path)


def _build(q_path: Path, r_path: Path) -> Content:
    from triage.content.build import build  # parsing YAML: not needed for a cached content

    return build(q_path, r_path)
