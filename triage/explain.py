"""Why a rule holds, in everyday words: the criteria behind a headache pattern.

Pure: a condition that holds, the answers it was evaluated against and the
content's plain words in, sentences out.  A named fact is said with its
`means`; a fact that is only "all of these facts" is said as its parts, so a
person reads the criteria themselves rather than "all four criteria hold".
`not` is never followed: an exclusion is not a reason something fits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .conditions import Compare, Condition, Count, Ref, Scope
from .model import Fact, Pattern, Question

_NONE: Mapping[str, Any] = {}


def criteria(
    condition: Condition,
    scope: Scope,
    facts: Mapping[str, Fact],
    *,
    patterns: Mapping[str, Pattern] = _NONE,
    questions: Mapping[str, Question] = _NONE,
) -> tuple[str, ...]:
    """The plain-words criteria that made `condition` hold, in order, each once.

    - a fact that held: its `means` (an `all`-of-facts fact: its parts instead);
    - `all`: every member; `any`, `at_least`, `exactly`: the members that held;
      `at_most` and `not`: nothing (what is absent is not a reason it fits);
    - a reported pattern (`{pattern: x}`): the pattern's name, the first clause
      of its summary (given `patterns`);
    - a comparison written in the rule itself: the question and the answer
      given (given `questions`).

    A condition that does not hold has no criteria.
    """
    said = dict.fromkeys(_said(condition, scope, facts, patterns, questions))
    return tuple(said)


def pattern_name(summary: str) -> str:
    """A pattern's name: its summary up to the dash (or semicolon) that explains it."""
    return summary.partition(" — ")[0].partition("; ")[0].strip().rstrip(".")


def _said(
    condition: Condition,
    scope: Scope,
    facts: Mapping[str, Fact],
    patterns: Mapping[str, Pattern],
    questions: Mapping[str, Question],
) -> Iterator[str]:
    if not condition.holds(scope):
        return
    if isinstance(condition, Count):
        if condition.word != "at_most":
            for item in condition.items:
                yield from _said(item, scope, facts, patterns, questions)
    elif isinstance(condition, Ref) and condition.kind == "fact":
        fact = facts.get(condition.name)
        if fact is None:
            return
        parts = _parts(fact.when)
        if parts is None:
            yield fact.means
        else:
            for part in parts:
                yield from _said(part, scope, facts, patterns, questions)
    elif isinstance(condition, Ref):
        pattern = patterns.get(condition.name)
        if pattern is not None:
            yield pattern_name(pattern.summary)
    elif isinstance(condition, Compare):
        question = questions.get(condition.question)
        if question is not None:
            yield _answered(question, condition, scope.answers[condition.question])


def _parts(when: Condition) -> tuple[Condition, ...] | None:
    """The facts a fact is made of, when it is nothing but all of them."""
    items = when.items if isinstance(when, Count) and when.word == "all" else (when,)
    if all(isinstance(item, Ref) and item.kind == "fact" for item in items):
        return items
    return None


def _answered(question: Question, compare: Compare, answer: Any) -> str:
    """The question as asked (its first sentence) and the answer given."""
    asked, mark, _ = question.text.partition("?")
    return f"{asked}{mark} {_answer(question, compare, answer)}"


def _answer(question: Question, compare: Compare, answer: Any) -> str:
    if question.type == "multi":
        codes = answer
        if compare.op.name in ("includes", "includes_any"):
            wanted = compare.value if isinstance(compare.value, tuple) else (compare.value,)
            codes = [code for code in answer if code in wanted]
        return "; ".join(question.label(code) for code in codes)
    if question.type in ("integer", "number"):
        number = str(int(answer)) if float(answer).is_integer() else f"{answer:g}"
        unit = question.unit.removesuffix("s") if number == "1" else question.unit
        return f"{number} {unit}" if unit else number
    label = question.label(str(answer))
    return label[:1].upper() + label[1:]
