"""The interactive self-check as a pure loop over (content, answers so far).

`SelfCheck(content, prefill).run(prompt)` asks each question whose ask-if
holds, in the questionnaire's order, and returns the `Result`.  The prompting
is injected: `prompt` is shown a screen (`triage.selfcheck.screens`) and
returns the text the person typed, so tests drive the whole flow with a list
of strings.  `prompt` may raise `KeyboardInterrupt` or `EOFError`; they pass
through, and `snapshot()` still holds every answer given or supplied so far.

What the person can type, besides an answer:
- `?` (or `help`) shows the question's help line;
- `b` (or `back`) returns to the previous question to change its answer
  (also from the review and the early notice);
- Enter keeps the answer a question already has (when changing it).

Emergency stop (clinical-logic, "Early stop"): as soon as the answers so far
fire an `emergency` red flag, the person sees the emergency advice and either
ends now (`stopped_early`) or undoes that answer and goes on
(`emergency_undone`).

Early notice: once the answers fire a reported `urgent` red flag (and no
emergency one), the next question to type waits for the level and why: stop
(also Enter: a hurried Enter leads to the advice), which still asks the
questions that can show an emergency (`selfcheck.emergency`), or go on.

Once a red flag fires, `next_question` passes over the questions optional
after one (the dry-needling safety questions but `blood_thinners`), and the
first screen after says why, once (`skipped`); prefilled answers still count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from triage.engine.answers import parse_answer
from triage.engine.evaluate import conclude, evaluate, next_question, red_flags
from triage.engine.validate import Validated, asked
from triage.engine.wording import question_text
from triage.model import Content, FiredFlag, Question, Result, Section
from triage.selfcheck.emergency import emergency_reads
from triage.selfcheck.screens import (
    Ask,
    EarlyNotice,
    Emergency,
    Prompt,
    Review,
    ReviewLine,
    Screen,
    choose,
)
from triage.selfcheck.typed import parse_typed, typing_hint

__all__ = ["Ask", "EarlyNotice", "Emergency", "Review", "ReviewLine", "Screen", "SelfCheck"]

BACK = ("b", "back")
HELP = ("?", "help")
END = ("", "1", "e", "end")  # Enter too
UNDO = ("2", "u", "undo", *BACK)
STOP = ("", "1", "s", "stop")
GO_ON = ("2", "g", "go on")


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
        self._noticed = False  # the person chose at the early notice
        self._short = False  # ...to stop: only questions that can show an emergency are left
        self._needs = emergency_reads(content)

    # --- the loop -----------------------------------------------------------------

    def run(self, prompt: Prompt) -> Result:
        """Ask until every asked question has an answer and the review is done,
        or the person ends at an emergency stop; return the result."""
        target: Question | None = None  # a question to ask out of order
        while self.stopped_after is None:
            question = target or self._next()
            target = None
            if question is None and self._short:  # stopped at the early notice
                self.stopped_after = self.trail[-1]
            elif question is None:
                target = self._review(prompt)
            elif self._ask(prompt, question) == "back":
                target = self._before(question)
            if question is None and target is None:
                break
        return self.result()

    def _next(self) -> Question | None:
        """`next_question`, or first a question passed over that the prefill answers;
        after a stop at the early notice, the next that can show an emergency."""
        if self._short and red_flags(self.content, self.answers):
            return next((q for q in self._open_questions() if q.id in self._needs), None)
        self._short = False  # no warning sign now: ask everything
        question = next_question(self.content, self.answers)
        end = self._order[question.id] if question else len(self._order)
        held = (q for q in self._waiting(end) if _supplied(self.pending.get(q.id)))
        return next(held, question)

    def _waiting(self, end: float = float("inf")) -> list[Question]:
        """The questions (before position `end`) passed over as a red flag fires."""
        waiting = [
            q
            for q in self._open_questions()
            if q.optional_after_red_flag and self._order[q.id] < end
        ]
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
        if q.id not in self.answers and not self._noticed and self._notice(prompt):
            return "back" if not self._noticed else "again"
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
                problem = "this is the first question; there is nothing to go back to"
                screen = replace(screen, entered=text, problem=problem)
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
            if qid in self._needs or qid == q.id or not self._short
        ]
        number = shown.index(q.id) + 1
        current = self.answers.get(q.id, self.dropped.get(q.id))
        text = question_text(self.content, q, self.answers)
        return Ask(
            q, section, number, len(shown), current, first=self._before(q) is None, text=text
        )

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
        ways = {"end": END, "undo": UNDO}
        if choose(prompt, Emergency(q, flags), ways, "type 1 to end now, or 2 to undo") == "end":
            self.stopped_after = q.id
            return
        del self.answers[q.id]
        self.trail.remove(q.id)
        self._prune()
        if q.id not in self.undone:
            self.undone.append(q.id)

    def _notice(self, prompt: Prompt) -> bool:
        """The early notice when urgent red flags fire (as reported, without an
        emergency), until the person chooses: whether the question waits."""
        flags = red_flags(self.content, self.answers)
        urgent = tuple(f for f in flags if f.level == "urgent" and f.certainty == "reported")
        to_type = [q for q in self._open_questions() if not _supplied(self.pending.get(q.id))]
        left = len([q for q in to_type if not q.optional_after_red_flag])
        if not (urgent and left and self.trail) or any(f.level == "emergency" for f in flags):
            return False  # (with no question left, the result comes next anyway)
        screen = EarlyNotice(
            "urgent", urgent, left, len([q for q in to_type if q.id in self._needs])
        )
        ways = {"stop": STOP, "on": GO_ON, "back": BACK}
        way = choose(prompt, screen, ways, "type 1 to stop, 2 to go on, or b to go back")
        self._noticed = way != "back"
        self._short = way == "stop"
        return way != "on"

    def _open_questions(self) -> list[Question]:
        return [q for q in asked(self.content, self.answers) if q.id not in self.answers]

    def _review(self, prompt: Prompt) -> Question | None:
        """Show every answer; return the question the person wants to change, if any."""
        questions = self.content.questions.questions
        lines = tuple(
            ReviewLine(number, self._sections[qid], questions[qid], value)
            for number, (qid, value) in enumerate(self.answers.items(), start=1)
        )
        screen = Review(lines, skipped=self._skipped())
        self._noticed = True  # past the questions: no early notice any more
        while True:
            text = prompt(screen).strip()
            word = text.lower()
            if not text:
                return None
            if word in BACK and self.trail:
                return questions[self.trail[-1]]
            if word.isdigit() and 1 <= int(word) <= len(lines):
                return lines[int(word) - 1].question
            if word in questions and word in self.answers:
                return questions[word]
            problem = f"type a number from 1 to {len(lines)}, b to go back, or Enter to finish"
            screen = replace(screen, entered=text, problem=problem)

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
