"""Which questions are asked, and the one validation every answer goes through.

Pure: no printing, prompting or files.  Whatever way a record arrives (an
answers file, a batch row, a typed answer, the self-check's prefill), its
answers are checked here against the questionnaire, in order, through
`parse_answer`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import islice
from types import MappingProxyType
from typing import Any

from triage.engine.answers import parse_answer, quote
from triage.engine.closures import NO_MEMO
from triage.engine.program import Check, Program, program_of
from triage.model import Content, Question
from triage.text import did_you_mean

# per record: a wide record (a 1 MiB line holds some 31,000 keys) gets a few
# warnings and a few look-ups, not one each
WARNED_UNKNOWN = 20  # unknown answer IDs named one by one, then how many more
SUGGESTED = 5  # of those, how many get a "did you mean" (difflib against every question)


@dataclass(frozen=True)
class Validated:
    """Answers after validation: the valid values of asked questions, in order,
    the asked questions with no answer, the invalid ones, and warnings.

    `undecided` holds valid answers to questions whose ask-if reads a missing
    or invalid answer: an incomplete record's red flags read them too.
    """

    answers: Mapping[str, Any]
    missing: tuple[str, ...] = ()
    invalid: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    undecided: Mapping[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.invalid


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_asked(content: Content, question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether a question is asked, given the valid answers to earlier questions."""
    ask = program_of(content).asks[question.id]
    return ask is None or ask(answers, NO_MEMO)


def asked(content: Content, answers: Mapping[str, Any]) -> Iterator[Question]:
    """The questions asked, in order, given (already valid) answers."""
    seen: dict[str, Any] = {}
    for qid, ask, _, check in program_of(content).plan:
        if ask is None or ask(seen, NO_MEMO):
            yield check.question
            if qid in answers:
                seen[qid] = answers[qid]


def validate(content: Content, raw: Mapping[str, Any]) -> Validated:
    """Check every answer of a record against the questionnaire, in order.

    Answers to questions that are not asked are dropped with a warning; an
    unknown answer ID is dropped with a warning ("did you mean" for a near
    miss), the first `WARNED_UNKNOWN` by name and then how many more (a near
    miss is looked for among the first `SUGGESTED`); the record ID key and
    `emergency_undone` are not answers.
    """
    return validate_into(content, raw)[0]


def validate_into(
    content: Content, raw: Mapping[str, Any], program: Program | None = None
) -> tuple[Validated, dict[str, Any]]:
    """`validate`, and the dict its answers are a view of (for `evaluate` alone).

    The questions are read in order: an asked one through `Checking.asked`, one
    that is not asked (and given) through `Checking.unasked`.  A compiled
    program (`triage.engine.fast`) does the same in straight-line code, with
    the usual answers read at once.  `program`: the content's, when at hand."""
    if program is None:
        program = program_of(content)
    state = Checking(program.checks, raw)
    if not program.known.issuperset(raw):
        state.warnings = _unknown(raw, program.known, content.questions.questions)
    if program.validates is not None:
        program.validates(raw, state.values, NO_MEMO, state)
        return state.result(), state.values
    values = state.values
    get = raw.get
    checks = iter(enumerate(program.checks))
    for n, (qid, ask, spelled, _, same, ids) in checks:
        given: Any = get(qid)
        if ask is not None and not ask(values, NO_MEMO):
            if same and raw.keys().isdisjoint(ids):  # none asked, none answered: pass over all
                next(islice(checks, same, same), None)
            elif given is not None:
                state.unasked(n, given)
            continue
        if given.__class__ is str:
            value = spelled.get(given)  # a usual spelling, read once per content
            if value is not None:
                values[qid] = value
                continue
        state.asked(n, given)
    return state.result(), values


class Checking:
    """One record being validated: what is found so far, and what to do with an
    answer that is not a usual spelling (`asked`) or not asked (`unasked`)."""

    __slots__ = ("checks", "values", "missing", "invalid", "undecided", "warnings")

    def __init__(self, checks: tuple[Check, ...], raw: Mapping[str, Any]) -> None:
        self.checks = checks
        self.values: dict[str, Any] = {}
        self.missing: list[str] = []
        self.invalid: dict[str, str] = {}
        self.undecided: dict[str, Any] = {}
        self.warnings: list[str] = []

    def asked(self, n: int, given: Any) -> None:
        """The answer to the `n`th question, which is asked."""
        qid, _, spelled, entry, _, _ = self.checks[n]
        if given.__class__ is str:
            value = spelled.get(given)
            if value is not None:
                self.values[qid] = value
                return
        if given is None or (given.__class__ is str and not given.strip()):
            self.missing.append(qid)
            return
        try:
            self.values[qid] = entry.parse(given)
        except ValueError as exc:
            self.invalid[qid] = str(exc)

    def unasked(self, n: int, given: Any) -> None:
        """The answer to the `n`th question, which is not asked (ask-ifs read only
        the answers before them)."""
        _, _, _, entry, _, _ = self.checks[n]
        missing, invalid, undecided = self.missing, self.invalid, self.undecided
        unknown = (missing or invalid or undecided) and {*missing, *invalid, *undecided}
        if unknown and entry.reads & unknown:
            # whether it is asked depends on an answer that is missing or
            # invalid: kept aside so that a partial record's red flags can
            # still read it (a partial record never hides a warning sign)
            if not _empty(given):
                with suppress(ValueError):
                    undecided[entry.question.id] = parse_answer(entry.question, given)
        elif not _empty(given):
            self.warnings.append(_ignored(entry.question, self.values))

    def result(self) -> Validated:
        return Validated(
            MappingProxyType(self.values),
            tuple(self.missing),
            self.invalid,
            tuple(self.warnings),
            MappingProxyType(self.undecided),
        )


def _unknown(raw: Mapping[str, Any], known: frozenset[str], questions: Any) -> list[str]:
    """The warnings for a record's unknown answer IDs, capped (see `validate`)."""
    unknown = [key for key in raw if key not in known]
    warnings = [
        f"unknown answer ID {quote(key)} ignored"
        + (did_you_mean(key, questions) if n < SUGGESTED else "")
        for n, key in enumerate(unknown[:WARNED_UNKNOWN])
    ]
    more = len(unknown) - WARNED_UNKNOWN
    if more > 0:
        warnings.append(f"and {more} more unknown answer ID{'' if more == 1 else 's'} ignored")
    return warnings


def _ignored(question: Question, values: Mapping[str, Any]) -> str:
    assert question.ask_if is not None
    read = list(question.ask_if.reads)
    shown = [
        f"'{qid}' is {_show(values[qid])}" if qid in values else f"'{qid}' has no valid answer"
        for qid in sorted(read)
    ]
    head = f"answer to '{question.id}' ignored: "
    if len(read) == 1:
        return head + shown[0]
    return head + f"it is asked only when {question.ask_if.describe()}; here {', '.join(shown)}"


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return f"'{value}'" if isinstance(value, str) else str(value)
