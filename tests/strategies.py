"""Hypothesis strategies that draw answers from a loaded questionnaire.

Nothing here names a question: every strategy walks `content.questions` in
order, asks the engine whether each question is asked, and draws a value that
fits the question's type. Numbers lean on the thresholds that the rules and
ask-ifs actually compare them with, so that boundaries are exercised.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from hypothesis import strategies as st

from triage.engine.answers import parse_answer
from triage.engine.evaluate import red_flags
from triage.engine.validate import is_asked
from triage.logic.tree import Compare, Condition
from triage.model import Content, Question

# How often (in percent) a yes/no/unsure question is answered other than
# `no`. Most records have few warning signs, so that the headache patterns and
# the dry-needling decision behind them are reached; some have many.
WARNING_RATES = (0, 0, 5, 20, 60)


def conditions(content: Content) -> Iterable[Condition]:
    """Every condition in the content: ask-ifs, facts, patterns, flags, items, screens."""
    for question in content.questions:
        if question.ask_if is not None:
            yield question.ask_if
    yield from content.rules.table.values()
    yield from (flag.when for flag in content.rules.red_flags)
    needling = content.rules.dry_needling
    for items in (needling.contraindications, needling.precautions, needling.targets):
        yield from (item.when for item in items)
    yield needling.pericranial_tenderness
    for screen in content.rules.screens:
        yield from screen.items


def thresholds(content: Content) -> dict[str, set[float]]:
    """For each numeric question, the numbers the content compares it with."""
    numeric = {q.id for q in content.questions if q.type in ("integer", "number")}
    found: dict[str, set[float]] = {qid: set() for qid in numeric}
    for condition in conditions(content):
        for node in condition.walk():
            if isinstance(node, Compare) and node.question in numeric:
                value = node.value
                found[node.question].update(value if isinstance(value, (list, tuple)) else [value])
    return found


def in_range(question: Question, value: float) -> bool:
    if question.greater_than is not None and value <= question.greater_than:
        return False
    if question.min is not None and value < question.min:
        return False
    return question.max is None or value <= question.max


def boundary_numbers(question: Question, compared: Iterable[float]) -> list[int | float]:
    """Valid numbers at and just either side of each threshold and range end."""
    points = set(compared)
    points.update(v for v in (question.min, question.max) if v is not None)
    if question.greater_than is not None:
        points.add(question.greater_than)
    out: set[int | float] = set()
    for point in points:
        if question.type == "integer":
            near: list[float] = [point - 1, point, point + 1]
        else:
            near = [
                point - 0.25,
                math.nextafter(point, -math.inf),
                point,
                math.nextafter(point, math.inf),
                point + 0.25,
            ]
        for value in near:
            if question.type == "integer" and not float(value).is_integer():
                continue
            if in_range(question, value):
                out.add(int(value) if float(value).is_integer() else value)
    return sorted(out)


def _yes_no_unsure(rate: int) -> st.SearchStrategy[str]:
    # Shrinks towards `no`: a failing example keeps only the warning signs it needs.
    return st.integers(0, 99).map(lambda v: "no" if v < 100 - rate else ("yes", "unsure")[v % 2])


def values(
    question: Question, compared: Iterable[float] = (), warning_rate: int = 20
) -> st.SearchStrategy[Any]:
    """A valid answer to one question, as an answer file would give it."""
    if question.type == "yes_no":
        return st.sampled_from(("no", "yes"))
    if question.type == "yes_no_unsure":
        return _yes_no_unsure(warning_rate)
    if question.type == "choice":
        return st.sampled_from(question.codes)
    if question.type == "multi":
        return st.lists(
            st.sampled_from(question.codes), unique=True, min_size=question.min_items
        ).map(lambda chosen: [c for c in question.codes if c in chosen])
    edges = st.sampled_from(boundary_numbers(question, compared))
    low = question.greater_than if question.greater_than is not None else question.min
    if question.type == "integer":
        anywhere: st.SearchStrategy[Any] = st.integers(
            None if low is None else math.ceil(low),
            None if question.max is None else math.floor(question.max),
        )
    else:
        anywhere = st.floats(
            low,
            question.max,
            exclude_min=question.greater_than is not None,
            allow_nan=False,
            allow_infinity=False,
        )
    return st.one_of(edges, edges, anywhere).filter(lambda v: in_range(question, v))


def answer_sets(
    content: Content, calm: bool | None = None, fixed: Mapping[str, Any] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """A complete, valid record: every asked question answered, nothing else.

    The questionnaire is walked in order; whether a question is asked is
    decided by the engine on the (parsed) answers drawn so far. In a *calm*
    record an answer that would make a red flag fire as `reported` on the
    answers so far is swapped, where the question allows it, for one that does
    not, so that headache patterns, the dry-needling decision and flags that
    are only `possible` (from `unsure`) are reached too.

    `fixed` answers some questions in advance: when such a question is asked it
    takes that answer (never swapped), so that a property about records with a
    second headache need not draw three records to keep one.
    """
    compared = thresholds(content)
    # Built once, not once per question per example: hypothesis validates a new
    # strategy object on its first draw, and that cost most of an example.
    table: dict[tuple[str, int], st.SearchStrategy[Any]] = {}
    for question in content.questions:
        strategy = values(question, compared.get(question.id, ()))
        for rate in set(WARNING_RATES):  # which only yes/no/unsure answers lean on
            table[question.id, rate] = (
                values(question, warning_rate=rate)
                if question.type == "yes_no_unsure"
                else strategy
            )
    return _records(content, table, calm, dict(fixed or {}))


@st.composite
def _records(
    draw: st.DrawFn,
    content: Content,
    table: Mapping[tuple[str, int], st.SearchStrategy[Any]],
    calm: bool | None,
    fixed: Mapping[str, Any],
) -> dict[str, Any]:
    if calm is None:
        calm = draw(st.booleans())
    rate = draw(st.sampled_from(WARNING_RATES))
    raw: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    reported = frozenset[str]()
    for question in content.questions:
        if not is_asked(content, question, answers):
            continue
        strategy = table[question.id, rate]
        value = fixed[question.id] if question.id in fixed else draw(strategy)
        if calm:
            # the flags reported with this answer: kept as the record's so far
            now = _reported(content, answers, question, value)
            if not now <= reported and question.id not in fixed:
                if question.type in ("yes_no", "yes_no_unsure", "choice"):
                    candidates = list(question.codes)
                else:
                    candidates = [draw(strategy) for _ in range(3)]
                quiet = [
                    (candidate, flags)
                    for candidate in candidates
                    if (flags := _reported(content, answers, question, candidate)) <= reported
                ]
                if quiet:
                    value, now = draw(st.sampled_from(quiet))
            reported = now
        raw[question.id] = value
        answers[question.id] = parse_answer(question, value)
    return raw


def _reported(
    content: Content,
    answers: Mapping[str, Any],
    question: Question | None = None,
    value: Any = None,
) -> frozenset[str]:
    """The red flags that fire as `reported` on the answers (plus one more)."""
    if question is not None:
        answers = {**answers, question.id: parse_answer(question, value)}
    return frozenset(f.rule.id for f in red_flags(content, answers) if f.certainty == "reported")


def parsed(content: Content, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The answers of a record that count: those asked, given the ones before them,
    parsed; empty answers are left out (they are missing)."""
    out: dict[str, Any] = {}
    for question in content.questions:
        given = raw.get(question.id)
        if given is None or (isinstance(given, str) and not given.strip()):
            continue
        if is_asked(content, question, out):
            out[question.id] = parse_answer(question, given)
    return out


def unasked(content: Content, raw: Mapping[str, Any]) -> list[Question]:
    """The questions a complete record leaves unanswered because they are not asked."""
    return [q for q in content.questions if q.id not in raw]


def spellings(question: Question, value: Any) -> st.SearchStrategy[Any]:
    """Other ways an answer file may write the same answer (intake dictionary, answer types)."""
    forms: list[Any] = [value]
    if question.type in ("yes_no", "yes_no_unsure", "choice"):
        forms += [value.upper(), f" {value.title()} "]
        if value == "yes" and question.type != "choice":
            forms.append(True)
        if value == "no":
            forms.append(False)
    elif question.type == "multi":
        # any order and case; a code given twice is still one code (aura_types
        # counts kinds of aura)
        forms += [[c.upper() for c in reversed(value)], value + value[:1]]
        if value:
            forms.append(";".join(value))
    else:
        forms.append(float(value))
        # A duration written as text is read as hours with an optional unit, and
        # that reading has no exponent form ("1e-05"), so keep such text out.
        text = str(value)
        if question.unit != "hours" or "e" not in text:
            forms.append(text)
        if question.unit == "hours" and "e" not in text:
            forms.append(f"{text}h")
            minutes = round(value * 60)
            if minutes and minutes / 60 == value:
                forms += [f"{minutes}m", f"{minutes} minutes"]
            if (value / 24).is_integer():
                forms.append(f"{int(value // 24)}d")
    return st.sampled_from(forms)
