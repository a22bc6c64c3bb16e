"""What the engine runs for each record, compiled once per content.

`program_of(content)` builds a `Program` the first time a content is used
and keeps it beside that content (a content is compared by identity), so a
batch of a million records compiles its rules once.  A program holds:

- each red flag, pattern, dry-needling item and screening item as a closure
  (`triage.engine.closures`), with the closure saying which answers decided it;
- each pattern's plain-words criteria (`triage.engine.criteria`);
- a plan for validating a record: per question, its compiled ask-if and the
  answers `parse_answer` gives for the usual spellings of its codes.

Nothing here is keyed on answers: a program depends on the content alone.

The closures are the reference.  Once a program has evaluated `COMPILE_AFTER`
records, `triage.engine.evaluate` swaps in a copy whose rules, explanations and
validation run as generated functions (`triage.engine.fast`), tested to give
the same results; a single record never pays for compiling them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import Any
from weakref import WeakKeyDictionary

from triage.engine.answers import parse_answer
from triage.engine.closures import Answers, Linker, Memo, Test
from triage.engine.criteria import Said, compile_criteria
from triage.engine.views import View, Views, because
from triage.logic.tree import Ref
from triage.model import (
    LEVELS,
    RECORD_ID,
    UNDONE,
    Content,
    DryNeedling,
    Item,
    Pattern,
    Question,
    RedFlag,
    Screening,
    ScreeningScore,
)

_PROGRAMS: WeakKeyDictionary[Content, Program] = WeakKeyDictionary()
COMPILE_AFTER = 24  # records evaluated with the closures before the rules are compiled


def program_of(content: Content) -> Program:
    """The program of a content, compiled the first time it is asked for."""
    found = _PROGRAMS.get(content)
    if found is None:
        found = _PROGRAMS[content] = Program(content)
    return found


def replace_program(content: Content, program: Program) -> None:
    """Use `program` for `content` from now on (the compiled copy of its program)."""
    _PROGRAMS[content] = program


class AnswerCheck:
    """How one question's answer is validated (see `triage.engine.validate`): what
    `parse_answer` gives, with the usual forms of an answer read at once.

    `spelled` maps the usual spellings of its codes (`yes`, `Yes`, `YES`,
    `true`, ...) and `truth` the values true and false to what `parse_answer`
    gives for them, worked out here once; `whole` is (min, max) of an integer
    question; `codes` maps each code of a multi question to itself.
    """

    __slots__ = ("question", "reads", "spelled", "truth", "whole", "codes", "rank")

    def __init__(self, q: Question) -> None:
        self.question = q
        self.reads = q.ask_if.reads if q.ask_if is not None else frozenset()
        self.spelled: dict[str, Any] = dict(q.exact)
        self.truth: dict[bool, Any] = {}
        self.whole: tuple[float, float] | None = None
        self.codes: dict[str, str] | None = None
        words = q.codes + (("true", "false") if q.type in ("yes_no", "yes_no_unsure") else ())
        if q.type != "multi":
            for spelling in {f(word) for word in words for f in _SPELLINGS}:
                _keep(self.spelled, q, spelling)
            for value in (True, False):
                _keep(self.truth, q, value)
        else:
            try:
                self.codes = {code: parse_answer(q, [code])[0] for code in q.codes}
            except ValueError:  # one code alone is not a valid answer (min_items)
                self.codes = None
        if q.type == "integer" and q.min is not None and q.max is not None:
            self.whole = (q.min, q.max)
        self.rank = {code: n for n, code in enumerate(q.codes)}

    def listed(self, given: list[Any]) -> tuple[str, ...] | None:
        """What `parse` gives for a list of codes, read at once: None when the list
        holds anything else (or too few codes), for `parse` to say what is wrong."""
        codes = self.codes
        if codes is None:
            return None
        chosen = set()
        for item in given:
            code = codes.get(item) if item.__class__ is str else None
            if code is None:
                return None
            chosen.add(code)
        if len(chosen) < self.question.min_items:
            return None
        if len(chosen) == 1:
            return tuple(chosen)
        return tuple(sorted(chosen, key=self.rank.__getitem__))  # in the questionnaire's order

    def parse(self, given: Any) -> Any:
        """`parse_answer(question, given)`, quicker for whole numbers in range,
        true and false, and a list of codes."""
        kind = given.__class__
        if kind is int and self.whole is not None:
            if self.whole[0] <= given <= self.whole[1]:
                return given
        elif kind is bool and given in self.truth:
            return self.truth[given]
        elif kind is list or kind is tuple:
            codes = self.listed(given)  # as `parse_answer` orders them
            if codes is not None:
                return codes
        return parse_answer(self.question, given)


_SPELLINGS = (str.lower, str.upper, str.capitalize)


def _keep(known: dict[Any, Any], q: Question, given: Any) -> None:
    with suppress(ValueError):
        known[given] = parse_answer(q, given)


# how `validate` reads one question: ID, ask-if, usual spellings, check, and the
# number and IDs of the questions that share its ask-if (itself first)
Check = tuple[str, Test | None, dict[str, Any], AnswerCheck, int, frozenset[str]]
# the answers that decided a condition: a set of IDs (closures) or a mask (compiled)
Decided = set[str] | int
Decides = Callable[[Answers, Memo, bool], Decided]
Held = Callable[[Answers, Memo], list[int]]  # the positions of a group's tests that hold
Scores = Callable[[Answers, Memo], list[int]]  # how many of each group's tests hold
Explain = Callable[[View, Decided, Mapping[str, Any]], tuple[tuple[str, Any], ...]]


class Program:
    """Everything the engine runs for each record, compiled for one content."""

    def __init__(self, content: Content) -> None:
        questions, rules = content.questions, content.rules
        second = questions.second
        link = Linker(rules.table, dict(second.totals) if second is not None else None)
        self.link = link
        self.memo_size = link.size
        self.left = COMPILE_AFTER  # records until the rules are compiled (0: done or never)
        self.compiled = False
        self.compile_error: Exception | None = None
        # the compiled validation of a record (see `validate.validate_into`)
        self.validates: Callable[..., None] | None = None
        self.order = {q.id: n for n, q in enumerate(questions)}
        self.known = frozenset((*questions.questions, RECORD_ID, UNDONE))
        # ask-ifs read only earlier answers, never a named condition
        asks = self.ask_link = Linker({})
        self.plan: tuple[tuple[str, Test | None, dict[str, Any], AnswerCheck], ...] = tuple(
            (q.id, asks.test(q.ask_if) if q.ask_if is not None else None, check.spelled, check)
            for q in questions
            for check in [AnswerCheck(q)]
        )
        self.asks = {qid: ask for qid, ask, _, _ in self.plan}
        # the texts that fit earlier answers (`engine.wording`)
        self.texts: dict[str, tuple[tuple[Test, str], ...]] = {
            q.id: tuple((asks.test(when), text) for when, text in q.text_when)
            for q in questions
            if q.text_when
        }
        # the plan again, each question with the questions after it that share its
        # ask-if: when that does not hold and the record answers none of them,
        # `validate` passes over them at once (the other headache's 22 questions)
        listed = list(questions)
        rests: list[tuple[str, ...]] = []
        for n, q in enumerate(listed):
            same = 0
            while n + same + 1 < len(listed) and listed[n + same + 1].ask_if == q.ask_if:
                same += 1
            rests.append(tuple(x.id for x in listed[n + 1 : n + 1 + same]))
        self.checks: tuple[Check, ...] = tuple(
            (qid, ask, spelled, check, len(rest), frozenset((qid, *rest)))
            for (qid, ask, spelled, check), rest in zip(self.plan, rests, strict=True)
        )
        self.views = Views(content, asks.test(second.when) if second is not None else None)
        self.optional = frozenset(q.id for q in questions if q.optional_after_red_flag)
        self.ignore_unsure = tuple(q for q in questions if q.unsure == "ignore")
        self.explain: Explain = _explained(self.order)
        self.flags: tuple[tuple[RedFlag, Test, Decides], ...] = tuple(
            (flag, link.test(flag.when), link.why(flag.when)) for flag in rules.red_flags
        )
        # fired flags are listed most urgent first, then in the order written
        self.position = {flag.id: n for n, flag in enumerate(rules.red_flags)}
        self.rank = [(LEVELS.index(flag.level), n) for n, flag in enumerate(rules.red_flags)]
        named = {p.id: p for p in rules.patterns}
        self.patterns: tuple[tuple[Pattern, Test, Decides, Said], ...] = tuple(
            (
                p,
                link.named(Ref("pattern", p.id)),
                link.why(p.when),
                compile_criteria(p.when, rules.facts, named, questions.questions, link.test),
            )
            for p in rules.patterns
            if p.when is not None
        )
        self.person = tuple(entry for entry in self.patterns if entry[0].person)
        self.catch_all = tuple(p for p in rules.patterns if p.when is None)
        # a pattern's memo slot: where a view's memo holds whether it is reported
        self.slot = {p.id: link.slots[("pattern", p.id)] for p in rules.patterns if p.when}
        self.excluded_by = {p.id: p.excluded_by for p in rules.patterns if p.excluded_by}
        self.excluding = frozenset(x for by in self.excluded_by.values() for x in by)
        needling = rules.dry_needling
        self.tender = link.test(needling.pericranial_tenderness)
        self.contraindications = _items(link, needling.contraindications)
        self.precautions = _items(link, needling.precautions)
        self.targets = _items(link, needling.targets)
        self.screens: tuple[tuple[Screening, tuple[Test, ...]], ...] = tuple(
            (s, tuple(link.test(item) for item in s.items)) for s in rules.screens
        )
        # each group at once: the positions of those that hold (all are tested)
        self.fire = _holding(tuple(test for _, test, _ in self.flags))
        self.fit = _holding(tuple(test for _, test, _, _ in self.patterns))
        self.contraindicated = _holding(tuple(test for _, test in self.contraindications))
        self.cautioned = _holding(tuple(test for _, test in self.precautions))
        self.aimed = _holding(tuple(test for _, test in self.targets))
        self.scored = _scoring(tuple(tests for _, tests in self.screens))
        # what `findings` builds once for each distinct reason (content's words only)
        self.decisions: dict[tuple[Any, ...], DryNeedling] = {}
        self.scores: dict[tuple[int, ...], tuple[ScreeningScore, ...]] = {}


def _holding(tests: tuple[Test, ...]) -> Held:
    def held(a: Answers, m: Memo) -> list[int]:
        return [n for n, test in enumerate(tests) if test(a, m)]

    return held


def _scoring(groups: tuple[tuple[Test, ...], ...]) -> Scores:
    def scores(a: Answers, m: Memo) -> list[int]:
        return [sum(1 for test in tests if test(a, m)) for tests in groups]

    return scores


def _explained(order: Mapping[str, int]) -> Explain:
    """`because` for the closures' sets of answer IDs."""

    def explain(
        view: View, why: Decided, answers: Mapping[str, Any]
    ) -> tuple[tuple[str, Any], ...]:
        assert isinstance(why, set)
        return because(view, why, answers, order)

    return explain


def _items(link: Linker, items: tuple[Item, ...]) -> tuple[tuple[Item, Test], ...]:
    return tuple((item, link.test(item.when)) for item in items)
