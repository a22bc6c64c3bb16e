"""The only module that reads content files: `questions.yaml` and `rules.yaml`.

Each file is parsed once with the safe YAML loader (the C one when present),
normalised into frozen records (`content.questions`, `content.rules`) and checked
against the other: every problem is collected and raised together as one
`ContentError`.  A file over `MAX_DOCUMENT_BYTES` (10 MiB) is not read.
"""

from __future__ import annotations

from pathlib import Path

try:  # the built-in module: loading hashlib (and OpenSSL) costs more than a small run
    from _sha256 import sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - other Python versions name it differently
    from hashlib import sha256
from typing import Any

from triage.content.nodes import Reader
from triage.content.questions import questionnaire as _questionnaire
from triage.content.rules import rules as _rules
from triage.errors import ContentError, Problem
from triage.model import Content
from triage.safeyaml import MAX_DOCUMENT_BYTES, YamlProblem, compose

TOO_LARGE = "is larger than 10 MiB (the limit for a questionnaire or rules file)"


def shipped(name: str) -> Path:
    """The path of a content file shipped inside the package (at its top)."""
    return Path(__file__).parent.parent / name


def load(questions: str | Path | None = None, rules: str | Path | None = None) -> Content:
    """Load and cross-check a questionnaire and its rules (the shipped ones by default)."""
    q_path = Path(questions) if questions else shipped("questions.yaml")
    r_path = Path(rules) if rules else shipped("rules.yaml")
    problems: list[Problem] = []
    questionnaire = _parse(q_path, problems, _questionnaire)
    if questionnaire is None or problems:
        if not r_path.is_file():
            problems.append(Problem(str(r_path), 0, 0, "no such file"))
        raise ContentError(problems)
    rules_ = _parse(
        r_path, problems, lambda reader, root, digest: _rules(reader, root, digest, questionnaire)
    )
    if rules_ is None or problems:
        raise ContentError(problems)
    return Content(questionnaire, rules_)


def _parse(path: Path, problems: list[Problem], build: Any) -> Any:
    name = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        problems.append(Problem(name, 0, 0, "no such file"))
        return None
    except OSError as exc:
        problems.append(Problem(name, 0, 0, f"cannot be read: {exc.strerror or exc}"))
        return None
    if len(data) > MAX_DOCUMENT_BYTES:
        problems.append(Problem(name, 0, 0, TOO_LARGE))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, 0, 0, f"is not UTF-8 text (byte {exc.start})"))
        return None
    try:
        root = compose(text)
    except YamlProblem as exc:
        problems.append(Problem(name, exc.line, exc.column, exc.message))
        return None
    if root is None:
        problems.append(Problem(name, 0, 0, "is empty; expected a mapping of settings"))
        return None
    reader = Reader(name)
    built = build(reader, root, sha256(data).hexdigest())
    problems.extend(reader.problems)
    return built
