"""The only module that parses content files: `questions.yaml` and `rules.yaml`
into `Content` (`load` calls `build`, unless its cache holds the content).

Each file is parsed once with the safe YAML loader (the C one when present),
normalised into frozen records (`content.questions`, `content.rules`) and checked
against the other: every problem is collected and raised together as one
`ContentError`.  A file over `MAX_DOCUMENT_BYTES` (10 MiB) is not read.

A condition may nest at most `MAX_DEPTH` levels, counting those of the facts
and patterns it names: the engine compiles and evaluates conditions by
recursion, and a longer chain of facts (`x2: {all: [x1]}`, `x3: {all: [x2]}`,
...) would exhaust the stack while assessing a record.  It is refused at the
fact or pattern where the chain crosses the limit (the shipped rules nest 19).
"""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

from triage.content.cache import digest as sha256_of
from triage.content.nodes import Reader, entry
from triage.content.questions import questionnaire as _questionnaire
from triage.content.rules import rules as _rules
from triage.errors import ContentError, Problem
from triage.logic.tree import depths, refs
from triage.model import Content, Questionnaire, Rules
from triage.safeyaml import MAX_DOCUMENT_BYTES, YamlProblem, compose

_UNKNOWN_QUESTION = re.compile(r"unknown question '(\w+)'")  # content.conditions says so
TOO_LARGE = "is larger than 10 MiB (the limit for a questionnaire or rules file)"
MAX_DEPTH = 100  # levels of conditions, through the facts and patterns named
NAMES_TOO_DEEP = (
    "the facts and patterns name one another too deeply to be read; a condition may "
    f"nest at most {MAX_DEPTH} levels, counting those of the facts it names"
)


def build(q_path: Path, r_path: Path) -> Content:
    """Read and cross-check a questionnaire and its rules; `ContentError` with every
    problem found in either."""
    problems: list[Problem] = []
    declared: set[str] = set()  # the question IDs the questionnaire names, read or not

    def read_questions(reader: Reader, root: Any, digest: str) -> Questionnaire | None:
        declared.update(_declared(root))
        return _questionnaire(reader, root, digest)

    questionnaire = _parse(q_path, problems, read_questions)
    broken = questionnaire is None or bool(problems)
    against = questionnaire or Questionnaire((), MappingProxyType({}), "")
    found: list[Problem] = []  # the rules are checked even against a broken questionnaire
    rules_ = _parse(
        r_path,
        found,
        lambda reader, root, digest: _shallow(reader, root, _rules(reader, root, digest, against)),
    )
    lost = None if questionnaire is None else declared - questionnaire.questions.keys()
    problems += [p for p in found if not (broken and _names_lost(p, lost))]
    if rules_ is None or problems or questionnaire is None:
        raise ContentError(problems)
    return Content(questionnaire, rules_)


def _declared(root: Any) -> set[str]:
    """The question (and total) IDs a questionnaire file names, whether read or not."""
    ids = {str(key.value) for key, _ in _pairs(_value(_value(root, "second_headache"), "totals"))}
    for section in _of(root, "sections"):
        ids.update(str(getattr(_value(q, "id"), "value", "")) for q in _of(section, "questions"))
    return ids


def _pairs(node: Any) -> list[tuple[Any, Any]]:
    """The (key, value) nodes of a mapping node, else none (nodes tell their kind by `id`)."""
    return list(node.value) if getattr(node, "id", None) == "mapping" else []


def _value(node: Any, key: str) -> Any:
    return next((v for k, v in _pairs(node) if getattr(k, "value", None) == key), None)


def _of(node: Any, key: str) -> list[Any]:
    """The items of the list under `key` of a mapping node."""
    found = _value(node, key)
    return list(found.value) if getattr(found, "id", None) == "sequence" else []


def _names_lost(problem: Problem, lost: set[str] | None) -> bool:
    """Whether a problem of the rules names a question that the questionnaire's own
    problems lost (any question, when it could not be read at all): no problem of
    the rules, and reported again, if still there, once the questionnaire is fixed."""
    named = _UNKNOWN_QUESTION.match(problem.message)
    return named is not None and (lost is None or named[1] in lost)


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
    if not reader.finite(root):  # no number is read from the file before this holds
        problems.extend(reader.problems)
        return None
    try:
        built = build(reader, root, sha256_of(data))
    except RecursionError:  # a chain of facts too long even to check for cycles
        reader.problems = []
        reader.problem(entry(root, "facts") or root, NAMES_TOO_DEEP)
        built = None
    problems.extend(reader.problems)
    return built


def _shallow(reader: Reader, root: Any, rules: Rules | None) -> Rules | None:
    """`rules`, with each fact or pattern where a chain crosses `MAX_DEPTH` a problem."""
    if rules is None or reader.problems:
        return rules  # a cycle among facts has no depth; its problem is reported
    deep = depths(rules.table)
    for key, depth in deep.items():
        if depth > MAX_DEPTH and all(deep.get(d, 0) <= MAX_DEPTH for d in refs(rules.table[key])):
            kind, name = key
            reader.problem(
                entry(root, kind + "s", name) or root,
                f"{kind} '{name}' nests {depth} levels of conditions, counting those of the "
                f"facts and patterns it names; at most {MAX_DEPTH}: build it from fewer facts "
                "inside one another",
            )
    return rules
