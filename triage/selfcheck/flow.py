"""The interactive self-check as a pure loop over (content, answers so far).

`SelfCheck(content, prefill).run(prompt)` asks each question whose ask-if
holds, in the questionnaire's order, and returns the `Result`.  The prompting
is injected: `prompt` is shown a screen (`Ask`, `Emergency` or `Review`) and
returns the text the person typed, so tests drive the whole flow with a list
of strings.  `prompt` may raise `KeyboardInterrupt` or `EOFError`; they pass
through, and `snapshot()` still holds every answer given or supplied so far.

What the person can type, besides an answer:
- `?` (or `help`) shows the question's help line;
- `b` (or `back`) returns to the previous question to change its answer;
- Enter keeps the answer a question already has (when changing it).

Emergency stop (clinical-logic, "Early stop"): as soon as the answers so far
fire an `emergency` red flag, the person sees the emergency advice and either
ends now (`stopped_early`) or undoes that answer and goes on
(`emergency_undone`).

Once a red flag fires, `next_question` passes over the questions optional
after one (the dry-needling safety questions but `blood_thinners`), and the
first screen after says why, once (`skipped`); prefilled answers still count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from triage.engine.answers import parse_answer
from triage.engine.evaluate import conclude, evaluate, next_question, red_flags
from triage.engine.validate import Validated, asked
from triage.model import Content, FiredFlag, Question, Result, Section
from triage.selfcheck.typed import parse_typed, typing_hint

BACK = ("b", "back")
HELP = ("?", "help")
END = ("1", "e", "end")
UNDO = ("2", "u", "undo")


@dataclass(frozen=True)
class Ask:
    """Ask one question.  `number` of `of` counts the questions asked in its section.

    `current` is the answer it has now (Enter keeps it), `entered` and
    `problem` the entry just refused and why, `help` whether to show the help
    line, `first` whether there is no earlier question to go back to, `skipped`
    the sections just passed over as a red flag fired (on the screen saying so).
    """

    question: Question
    section: Section
    number: int
    of: int
    current: Any = None
    entered: str = ""
    problem: str = ""
    help: bool = False
    first: bool = False
    skipped: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Emergency:
    """The answers so far fire emergency red flags: end now (1) or undo `question` (2)."""

    question: Question
    flags: tuple[FiredFlag, ...]
    entered: str = ""
    problem: str = ""


@dataclass(frozen=True)
class ReviewLine:
    """One line of the review screen: its number, the question and its answer."""

    number: int
    section: Section
    question: Question
    value: Any


@dataclass(frozen=True)
class Review:
    """Every answer, by section: Enter to finish, or a number to change one (`skipped`: see Ask)."""

    lines: tuple[ReviewLine, ...]
    entered: str = ""
    problem: str = ""
    skipped: tuple[Section, ...] = ()


Screen = Ask | Emergency | Review
Prompt = Callable[[Screen], str]


def _supplied(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


class SelfCheck:
    """One person's self-check: the answers so far and where the flow is.

    `prefill` is a record as read from an answers file: its valid answers are
    taken without asking (an invalid one is asked again, showing its
    problem), and its other keys (`id`, answers to questions not asked) are
    kept for the result and `snapshot()`.
    """

    def __init__(self, content: Content, prefill: Mapping[str, Any] | None = None) -> None:
        self.content = content
        self.answers: dict[str, Any] = {}
        self.pending: dict[str, Any] = dict(prefill or {})
        self.trail: list[str] = []  # answered questions, in the order answered
        self.dropped: dict[str, Any] = {}  # answers whose question is no longer asked
        self.undone: list[str] = []
        self.stopped_after: str | None = None
        self._sections = {
            qid: section for section in content.questions.sections for qid in section.questions
        }
        self._order = {qid: n for n, qid in enumerate(content.questions.questions)}
        self._told = False  # the person was told why questions are passed over

    # --- the loop -----------------------------------------------------------------

    def run(self, prompt: Prompt) -> Result:
        """Ask until every asked question has an answer and the review is done,
        or the person ends at an emergency stop; return the result."""
        target: Question | None = None  # a question to ask out of order
        while self.stopped_after is None:
            question = target or self._next()
            target = None
            if question is None:
                target = self._review(prompt)
                if target is None:
                    break
                continue
            if self._ask(prompt, question) == "back":
                target = self._before(question)
        return self.result()

    def _next(self) -> Question | None:
        """`next_question`, or first a question passed over that the prefill answers."""
        question = next_question(self.content, self.answers)
        end = self._order[question.id] if question else len(self._order)
        held = (q for q in self._waiting(end) if _supplied(self.pending.get(q.id)))
        return next(held, question)

    def _waiting(self, end: float = float("inf")) -> list[Question]:
        """The questions (before position `end`) passed over as a red flag fires."""
        open_ = [q for q in asked(self.content, self.answers) if q.id not in self.answers]
        waiting = [q for q in open_ if q.optional_after_red_flag and self._order[q.id] < end]
        return waiting if waiting and red_flags(self.content, self.answers) else []

    def _skipped(self, end: float = float("inf")) -> tuple[Section, ...]:
        """The sections of the questions passed over before `end`, if not yet told."""
        passed = [] if self._told else self._waiting(end)
        self._told = self._told or bool(passed)
        return tuple({self._sections[q.id].id: self._sections[q.id] for q in passed}.values())

    def _ask(self, prompt: Prompt, q: Question) -> str:
        """Get a valid answer to `q` (from the prefill, or typed); "back" if asked to."""
        screen = self._screen(q)
        if _supplied(self.pending.get(q.id)) and q.id not in self.answers:
            try:
                value = parse_answer(q, self.pending[q.id])
            except ValueError as exc:
                shown = str(self.pending[q.id])
                screen = replace(screen, entered=shown, problem=f"from the answers file: {exc}")
            else:
                self._take(prompt, q, value)
                return "taken"
        self._told &= not q.optional_after_red_flag  # asked after all: say so again if need be
        screen = replace(screen, skipped=self._skipped(self._order[q.id]))
        while True:
            text = prompt(screen).strip()
            word = text.lower()
            if word in HELP:
                screen = replace(screen, help=True, entered="", problem="")
            elif word in BACK:
                if not screen.first:
                    return "back"
                screen = replace(
                    screen,
                    entered=text,
                    problem="this is the first question; there is nothing to go back to",
                )
            elif not text and screen.current is not None:
                self._take(prompt, q, screen.current)
                return "taken"
            elif not text:
                screen = replace(screen, entered="", problem=f"please {typing_hint(q)}")
            else:
                try:
                    value = parse_typed(q, text)
                except ValueError as exc:
                    screen = replace(screen, entered=text, problem=str(exc))
                else:
                    self._take(prompt, q, value)
                    return "taken"

    def _screen(self, q: Question) -> Ask:
        section = self._sections[q.id]
        now = {x.id for x in asked(self.content, self.answers)} - {x.id for x in self._waiting()}
        shown = [  # asked, or still possible: its ask-if reads a question with no answer yet
            qid
            for qid in section.questions
            if qid in now or qid == q.id or self._open(self.content.questions.questions[qid])
        ]
        number = shown.index(q.id) + 1
        current = self.answers.get(q.id, self.dropped.get(q.id))
        return Ask(q, section, number, len(shown), current, first=self._before(q) is None)

    def _open(self, q: Question) -> bool:
        return q.ask_if is not None and bool(q.ask_if.reads - self.answers.keys())

    def _before(self, q: Question) -> Question | None:
        """The question answered just before `q`, to go back to."""
        trail = self.trail[: self.trail.index(q.id)] if q.id in self.trail else self.trail
        return self.content.questions.questions[trail[-1]] if trail else None

    def _emergencies(self) -> set[str]:
        return {f.rule.id for f in red_flags(self.content, self.answers) if f.level == "emergency"}

    def _take(self, prompt: Prompt, q: Question, value: Any) -> None:
        """Record a valid answer, drop what is no longer asked, then stop if the
        answer makes an emergency red flag fire."""
        before = self._emergencies()
        self.answers[q.id] = value
        self.pending.pop(q.id, None)
        self.dropped.pop(q.id, None)
        if q.id not in self.trail:
            self.trail.append(q.id)
        self._prune()
        if self._emergencies() - before:
            flags = red_flags(self.content, self.answers)
            self._emergency(prompt, q, tuple(f for f in flags if f.level == "emergency"))

    def _prune(self) -> None:
        """Keep only the answers of questions still asked, in questionnaire order."""
        still = asked(self.content, self.answers)
        kept = {q.id: self.answers[q.id] for q in still if q.id in self.answers}
        for qid in self.answers.keys() - kept.keys():
            self.dropped[qid] = self.answers[qid]
        self.answers = kept
        self.trail = [qid for qid in self.trail if qid in kept]

    def _emergency(self, prompt: Prompt, q: Question, flags: tuple[FiredFlag, ...]) -> None:
        screen = Emergency(q, flags)
        while True:
            text = prompt(screen).strip()
            word = text.lower()
            if not text or word in END:
                self.stopped_after = q.id
                return
            if word in UNDO or word in BACK:
                del self.answers[q.id]
                self.trail.remove(q.id)
                self._prune()
                if q.id not in self.undone:
                    self.undone.append(q.id)
                return
            screen = replace(screen, entered=text, problem="type 1 to end now, or 2 to undo")

    def _review(self, prompt: Prompt) -> Question | None:
        """Show every answer; return the question the person wants to change, if any."""
        questions = self.content.questions.questions
        lines = tuple(
            ReviewLine(number, self._sections[qid], questions[qid], value)
            for number, (qid, value) in enumerate(self.answers.items(), start=1)
        )
        screen = Review(lines, skipped=self._skipped())
        while True:
            text = prompt(screen).strip()
            word = text.lower()
            if not text:
                return None
            if word.isdigit() and 1 <= int(word) <= len(lines):
                return lines[int(word) - 1].question
            if word in questions and word in self.answers:
                return questions[word]
            screen = replace(
                screen,
                entered=text,
                problem=f"type a number from 1 to {len(lines)}, or press Enter to finish",
            )

    # --- what the flow gives back -------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Every answer given or supplied so far, as an answers file holds them:
        what `--answers` reads to resume."""
        merged = {**self.pending, **self.answers}
        return {key: list(v) if isinstance(v, tuple) else v for key, v in merged.items()}

    def result(self) -> Result:
        """The result: a confirmed early stop, or the assessment of every answer.

        A complete run is assessed by `evaluate` from the same answers an
        answers file would hold, so it gives what `triage assess` gives.
        """
        undone = tuple(self.undone)
        if self.stopped_after is not None:
            checked = Validated(MappingProxyType(dict(self.answers)))
            return conclude(self.content, checked, self.stopped_after, undone)
        return replace(evaluate(self.content, self.snapshot()), emergency_undone=undone)
