"""Why a rule holds, in everyday words: the criteria behind a headache pattern.

Pure: a condition that holds, the answers it was evaluated against and the
content's plain words in, sentences out.  A named fact is said with its
`means`; a fact that is only "all of these facts" is said as its parts, so a
person reads the criteria themselves rather than "all four criteria hold".
`not` is never followed: an exclusion is not a reason something fits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from triage.engine.closures import Answers, Memo, Test
from triage.engine.kept import kept
from triage.logic.tree import Compare, Condition, Count, Ref
from triage.model import Fact, Pattern, Question

# the criteria of a condition for a set of answers: `said(answers, memo)`
Said = Callable[[Answers, Memo], tuple[str, ...]]
# appends what a node says to `out`, given the answers and the memo; `said` holds the
# facts already said for these answers (each is said once, however often it is named)
_Emit = Callable[[Answers, Memo, list[str], set[str]], None]


def compile_criteria(
    condition: Condition,
    facts: Mapping[str, Fact],
    patterns: Mapping[str, Pattern],
    questions: Mapping[str, Question],
    test: Callable[[Condition], Test],
) -> Said:
    """The plain-words criteria that made `condition` hold, in order, each once,
    as a closure built once: `said(answers, memo)`.

    - a fact that held: its `means` (an `all`-of-facts fact: its parts instead);
    - `all`: every member; `any`, `at_least`, `exactly`: the members that held;
      `at_most` and `not`: nothing (what is absent is not a reason it fits);
    - a reported pattern (`{pattern: x}`): the pattern's name, the first clause
      of its summary;
    - a comparison written in the rule itself: the question and the answer
      given.

    A condition that does not hold has no criteria.  `test` gives a node's
    compiled test (`triage.engine.closures`); like it, the closure is a fixed
    function of this module with the node's values bound in.  Each named fact
    is compiled once and said at most once per set of answers, so the work is
    linear in the size of the content however often a fact is named (a fact
    naming the one before twice, forty deep, is forty steps, not 2**40).
    """
    emit = _Compiler(facts, patterns, questions, test).emit(condition)

    def said(a: Answers, m: Memo) -> tuple[str, ...]:
        out: list[str] = []
        emit(a, m, out, set())
        return tuple(dict.fromkeys(out))

    return said


def pattern_name(summary: str) -> str:
    """A pattern's name: its summary up to the dash (or semicolon) that explains it."""
    return summary.partition(" — ")[0].partition("; ")[0].strip().rstrip(".")


def _nothing(a: Answers, m: Memo, out: list[str], said: set[str]) -> None:
    return None


class _Compiler:
    def __init__(
        self,
        facts: Mapping[str, Fact],
        patterns: Mapping[str, Pattern],
        questions: Mapping[str, Question],
        test: Callable[[Condition], Test],
    ) -> None:
        self.facts, self.patterns, self.questions = facts, patterns, questions
        self.test = test
        self._facts: dict[str, _Emit] = {}  # each named fact compiled once

    def emit(self, condition: Condition) -> _Emit:
        """What a node says when it holds (nothing when it does not)."""
        if isinstance(condition, Count):
            if condition.word == "at_most":
                return _nothing
            return self._when(condition, tuple(self.emit(item) for item in condition.items))
        if isinstance(condition, Ref) and condition.kind == "fact":
            found = self._facts.get(condition.name)
            if found is None:
                found = self._facts[condition.name] = self._fact(condition)
            return found
        if isinstance(condition, Ref):
            pattern = self.patterns.get(condition.name)
            if pattern is None:
                return _nothing
            return self._saying(condition, pattern_name(pattern.summary))
        if isinstance(condition, Compare):
            question = self.questions.get(condition.question)
            if question is None:
                return _nothing
            return self._answered(condition, question)
        return _nothing  # `not`: an exclusion is not a reason something fits

    def _fact(self, ref: Ref) -> _Emit:
        """A named fact: its `means`, or (all of facts) its parts, said once."""
        fact = self.facts.get(ref.name)
        if fact is None:
            return _nothing
        parts = _parts(fact.when)
        if parts is None:
            whole = self._saying(ref, fact.means)
        else:  # the content reader refuses cycles among facts: this ends
            whole = self._when(ref, tuple(self.emit(part) for part in parts))
        name = ref.name

        def emit(a: Answers, m: Memo, out: list[str], said: set[str]) -> None:
            if name not in said:
                said.add(name)
                whole(a, m, out, said)

        return emit

    def _when(self, condition: Condition, parts: tuple[_Emit, ...]) -> _Emit:
        holds = self.test(condition)

        def emit(a: Answers, m: Memo, out: list[str], said: set[str]) -> None:
            if holds(a, m):
                for part in parts:
                    part(a, m, out, said)

        return emit

    def _saying(self, condition: Condition, text: str) -> _Emit:
        holds = self.test(condition)

        def emit(a: Answers, m: Memo, out: list[str], said: set[str]) -> None:
            if holds(a, m):
                out.append(text)

        return emit

    def _answered(self, compare: Compare, question: Question) -> _Emit:
        """The question as asked (its first sentence) and the answer given."""
        holds, qid = self.test(compare), compare.question
        asked, mark, _ = question.text.partition("?")
        head = f"{asked}{mark} "
        labels = dict(question.options)

        def emit(a: Answers, m: Memo, out: list[str], said: set[str]) -> None:
            if holds(a, m):
                out.append(head + _answer(question, compare, a[qid], labels))

        return emit


def _parts(when: Condition) -> tuple[Condition, ...] | None:
    """The facts a fact is made of, when it is nothing but all of them."""
    items = when.items if isinstance(when, Count) and when.word == "all" else (when,)
    if all(isinstance(item, Ref) and item.kind == "fact" for item in items):
        return items
    return None


def _answer(question: Question, compare: Compare, answer: Any, labels: dict[str, str]) -> str:
    if question.type == "multi":
        codes = answer
        if compare.op.name in ("includes", "includes_any"):
            wanted = compare.value if isinstance(compare.value, tuple) else (compare.value,)
            codes = [code for code in answer if code in wanted]
        return "; ".join(labels.get(code, code) for code in codes)
    if question.type in ("integer", "number"):
        number = str(int(answer)) if float(answer).is_integer() else f"{answer:g}"
        unit = question.unit.removesuffix("s") if number == "1" else question.unit
        return f"{number} {unit}" if unit else number
    label = labels.get(str(answer), str(answer))
    return label[:1].upper() + label[1:]


def remembered(said: Said, slots: tuple[int, ...], asked: tuple[str, ...]) -> Said:
    """`said`, worked out once for each distinct set of what it reads, in a cache of
    bounded size: the values in the memo of the named facts and patterns it can
    reach (`slots`), and the answers to the comparisons written in the rule
    itself (`asked`, as `a.get` gives them: a comparison that holds has one).

    Facts are said by their meaning, so nothing else about the answers
    changes the sentences.  A memo with any of those names not worked out yet
    (None: not a byte) is said afresh; the compiled program's sweep works
    every name out."""
    cache: dict[tuple[Any, ...], tuple[str, ...]] = {}

    def cached(a: Answers, m: Memo) -> tuple[str, ...]:
        try:  # True and False as bytes; a name not worked out (None) is a TypeError
            known = bytes(map(m.__getitem__, slots))
        except (TypeError, ValueError):
            return said(a, m)
        values = tuple(map(a.get, asked))  # 1 and 1.0 are equal keys: the types tell them apart
        return kept(cache, (known, values, tuple(map(type, values))), lambda: said(a, m))

    return cached


def reads(
    condition: Condition, table: Mapping[tuple[str, str], Condition]
) -> tuple[frozenset[tuple[str, str]], tuple[str, ...]]:
    """What a condition's criteria read: every named fact and pattern it can reach,
    and the questions of the comparisons written in it (not through a name)."""
    named: set[tuple[str, str]] = set()
    stack = [condition]
    while stack:
        for node in stack.pop().walk():
            if isinstance(node, Ref) and (node.kind, node.name) not in named:
                named.add((node.kind, node.name))
                if (node.kind, node.name) in table:
                    stack.append(table[(node.kind, node.name)])
    # every comparison in the rule itself, under `not` too: whether a count
    # holds, and so what it says, can turn on one
    own = dict.fromkeys(node.question for node in condition.walk() if isinstance(node, Compare))
    return frozenset(named), tuple(own)
