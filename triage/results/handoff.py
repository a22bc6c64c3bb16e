"""The clinician's one-page handoff as data, from a result object and the content.

Pure: no HTML and no files (`triage.render.handoff` lays it out).  Every
clinical word comes from the result or from the content: a question, red flag
or dry-needling item is named by its `clinician` label, else by the words the
person read.  The answers (the result's optional `answers`) give what was
asked and denied and the headache history; without them those parts are empty
and `answers_given` is false, so the page can say what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.engine.criteria import pattern_name
from triage.logic.tree import Condition, refs
from triage.model import Content, DryNeedling, HandoffNotes, Question
from triage.results.contract import Outcome, PatternObject

OTHER = "other_"  # the prefix of the other headache's answers (intake dictionary 3b)


@dataclass(frozen=True)
class Answer:
    """One answer as the page names it: a label, and the value as the result holds it
    (`question` gives its words; None when the content does not know the ID)."""

    id: str
    label: str
    value: Any
    question: Question | None = field(repr=False)
    headache: int = 1  # 2: an answer about the other headache


@dataclass(frozen=True)
class Flag:
    """A red flag that fired, with the answers that fired it."""

    id: str
    level: str
    certainty: str
    label: str
    source: str
    because: tuple[Answer, ...]


@dataclass(frozen=True)
class Sign:
    """A red-flag question and what became of it: `answer` is yes, no or unsure, or
    None when it was not asked (`why`: its ask-if, or the early stop)."""

    id: str
    label: str
    answer: str | None
    policy: str  # how the rules read `unsure`: escalate, cap or ignore
    why: str = ""


@dataclass(frozen=True)
class Found:
    """A headache pattern with the criteria it met."""

    name: str
    certainty: str | None
    source: str
    criteria: tuple[str, ...]
    tenderness: bool | None
    advice: str
    headache: int | None


@dataclass(frozen=True)
class Line:
    """A row of the history: a label and the answer for each headache shown
    (one column, or two with a second headache; None: not asked)."""

    label: str
    values: tuple[Answer | None, ...]


@dataclass(frozen=True)
class Group:
    """Answers under a title: a headache's (`headache`), or a section's."""

    title: str
    lines: tuple[Line, ...]
    headache: bool = False


@dataclass(frozen=True)
class Handoff:
    """Everything one page shows, in the order a clinician reads it."""

    title: str
    level: str
    level_title: str
    advice: str
    at_least: bool  # an error object: the level its answers already imply
    error: tuple[str, ...]  # what could not be assessed (empty for a result)
    flags: tuple[Flag, ...]
    signs: tuple[Sign, ...]
    answers_given: bool
    two_headaches: bool
    patterns: tuple[Found, ...]
    screens: tuple[str, ...]
    history: tuple[Group, ...]
    needling: DryNeedling | None  # labels, not IDs
    notes: HandoffNotes
    stopped_after: str
    undone: tuple[str, ...]
    warnings: tuple[str, ...]
    version: str
    hashes: tuple[str, str]
    other_content: str  # the version the page's labels come from, when it is not the result's
    notice: str


def handoff(content: Content, data: Outcome) -> Handoff:
    """The page for one result object (or error object), read with `content`."""
    obj: Mapping[str, Any] = data
    answers: Mapping[str, Any] | None = obj.get("answers")
    given = answers if isinstance(answers, Mapping) else {}
    name = _Names(content)
    error = "error" in obj
    level = obj["triage_level_at_least" if error else "triage_level"]
    stop = obj.get("stopped_early") or {}
    made_with = obj["content"]
    hashes = (str(made_with.get("questions_sha256")), str(made_with.get("rules_sha256")))
    same = hashes == (content.questions.sha256, content.rules.sha256)
    found = () if error or stop else tuple(_found(p) for p in obj["headache_types"])
    return Handoff(
        title=" · ".join(dict.fromkeys(str(p) for p in (obj.get("source"), obj["id"]) if p)),
        level=level,
        level_title=content.rules.levels[level].title if level in content.rules.levels else level,
        advice=str(obj.get("advice") or ""),
        at_least=error,
        error=_problems(name, obj["error"]) if error else (),
        flags=tuple(
            Flag(
                str(f["id"]),
                str(f["level"]),
                str(f["certainty"]),
                name.flags.get(str(f["id"])) or str(f["summary"]),
                str(f["source"]),
                tuple(name.answer(qid, value) for qid, value in f["because"].items()),
            )
            for f in obj["red_flags"]
        ),
        signs=tuple(_signs(content, given, str(stop.get("after", "")))) if answers else (),
        answers_given=answers is not None,
        two_headaches=_second(content, given) or any(p.headache == 2 for p in found),
        patterns=found,
        screens=tuple(_screens(content, obj.get("screens") or {})),
        history=tuple(_history(content, name, given)) if answers else (),
        needling=None if error else _needling(name, obj["dry_needling"]),
        notes=content.rules.handoff,
        stopped_after=name.question(stop["after"]) if stop.get("after") else "",
        undone=tuple(name.question(q) for q in obj.get("emergency_undone", [])),
        warnings=tuple(str(w) for w in obj["warnings"]),
        version=str(made_with.get("version", "")),
        hashes=hashes,
        other_content="" if same else content.rules.version,
        notice=str(obj.get("notice") or content.rules.notice),
    )


class _Names:
    """The labels of the content's questions, red flags and dry-needling items."""

    def __init__(self, content: Content) -> None:
        self.questions = content.questions.questions
        self.flags = {f.id: f.clinician for f in content.rules.red_flags}
        dn = content.rules.dry_needling
        self.lists = (dn.contraindications, dn.precautions, dn.targets)
        second = content.questions.second
        self.twin_of = {o: q for q, o in second.twins.items()} if second else {}

    def question(self, qid: str) -> str:
        q = self.questions.get(self.twin_of.get(qid, qid)) or self.questions.get(qid)
        return (q.clinician or q.text) if q else qid

    def answer(self, qid: str, value: Any) -> Answer:
        headache = 2 if qid in self.twin_of else 1
        return Answer(qid, self.question(qid), value, self.questions.get(qid), headache)

    def item(self, iid: str, kind: int) -> str:
        """A contraindication (`kind` 0), precaution (1) or needling target (2)."""
        found = next((i for i in self.lists[kind] if i.id == iid), None)
        return (found.clinician or found.reason) if found else iid


def _problems(name: _Names, error: Mapping[str, Any]) -> tuple[str, ...]:
    lines = [str(error["message"])] if not error["missing"] and not error["invalid"] else []
    lines += [f"{name.question(str(q))}: {why}" for q, why in error["invalid"].items()]
    missing = [name.question(str(q)) for q in error["missing"]]
    if missing:
        lines.append(f"{len(missing)} missing: " + "; ".join(missing))
    return tuple(lines)


def flag_questions(content: Content) -> tuple[Question, ...]:
    """The red-flag questions: the yes/no/unsure questions the red-flag rules read
    (directly or through facts), in questionnaire order."""
    facts = content.rules.facts
    read: set[str] = set()
    todo: list[Condition] = [f.when for f in content.rules.red_flags]
    seen: set[str] = set()
    while todo:
        condition = todo.pop()
        read |= condition.reads
        for kind, fact in refs(condition):
            if kind == "fact" and fact in facts and fact not in seen:
                seen.add(fact)
                todo.append(facts[fact].when)
    return tuple(q for q in content.questions if q.id in read and q.type == "yes_no_unsure")


def _signs(content: Content, given: Mapping[str, Any], after: str) -> Iterable[Sign]:
    order = list(content.questions.questions)
    stop = order.index(after) if after in order else len(order)
    for q in flag_questions(content):
        answer, why = given.get(q.id), ""
        if answer is None:
            late = order.index(q.id) > stop
            why = "not reached: the questions stopped early" if late else "not answered"
            if q.ask_if and not late:
                why = f"asked only if {q.ask_if.describe()}"
        elif answer not in q.codes:  # a result of other content: shown, never dropped
            answer, why = None, f"answered {answer!r}, not one of {', '.join(q.codes)}"
        yield Sign(q.id, q.clinician or q.text, answer, q.unsure, why)


def _second(content: Content, given: Mapping[str, Any]) -> bool:
    """Whether the answers describe a second headache: any of its twins answered."""
    second = content.questions.second
    return second is not None and any(o in given for o in second.twins.values())


def _found(p: PatternObject) -> Found:
    return Found(
        pattern_name(str(p["summary"])),
        p.get("certainty"),
        str(p.get("source") or ""),
        tuple(str(c) for c in p.get("criteria", [])),
        p.get("pericranial_tenderness"),
        str(p.get("advice") or ""),
        p.get("headache", 1),
    )


def _screens(content: Content, screens: Mapping[str, Any]) -> Iterable[str]:
    named = {s.id: s.summary.partition(" (")[0] for s in content.rules.screens}
    for sid, score in screens.items():
        word = "positive" if score.get("positive") else "negative"
        yield f"{named.get(sid, sid)}: {score.get('score')} of {score.get('of')} ({word})"


def _history(content: Content, name: _Names, given: Mapping[str, Any]) -> Iterable[Group]:
    """The answers that are not red-flag questions: each headache's (side by side
    with a second headache), then the others by section, asked ones only."""
    second = content.questions.second
    twins = dict(second.twins) if second else {}
    two = _second(content, given)
    skip = {q.id for q in flag_questions(content)} | set(twins.values())

    def value(qid: str) -> Answer | None:
        return name.answer(qid, given[qid]) if qid in given else None

    rows = [
        Line(name.question(q), (value(q), value(o)) if two else (value(q),))
        for q, o in twins.items()
    ]
    headaches = tuple(r for r in rows if any(v is not None for v in r.values))
    if headaches:
        yield Group("Each headache" if two else "The headache", headaches, True)
    for section in content.questions.sections:
        lines = tuple(
            Line(name.question(qid), (value(qid),))
            for qid in section.questions
            if qid not in skip and qid not in twins and qid in given
        )
        if lines:
            yield Group(section.title, lines)


def _needling(name: _Names, dn: Mapping[str, Any]) -> DryNeedling:
    """The decision; its reasons leave out those of the items listed apart."""

    def labels(key: str, kind: int) -> tuple[str, ...]:
        return tuple(name.item(str(i), kind) for i in dn.get(key, []))

    items = {item.reason for kind in name.lists[:2] for item in kind}
    return DryNeedling(
        str(dn["recommendation"]),
        tuple(str(r) for r in dn["reasons"] if r not in items),
        labels("contraindications", 0),
        labels("precautions", 1),
        labels("targets", 2),
    )
