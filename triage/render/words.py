"""The words of the screens for people: answers, warnings and findings without IDs.

Plain strings only (no rich): `results.py` and `check.py` lay them out.  IDs
stay in the JSON; a screen names a question by its text and an answer by its
label.  Without a content (a result shown on its own) the IDs are all there is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar, cast

from triage.model import Content, Question
from triage.selfcheck.typed import choices
from triage.text import printable

T = TypeVar("T")
LEVEL_LOOK = {  # symbol and style of each level: the word is always printed too
    "emergency": ("!!!", "bold red"),
    "urgent": ("!!", "bold red"),
    "soon": ("!", "bold yellow"),
    "routine": ("✓", "bold green"),
}
LEVEL_WORDS = {"emergency": "Emergency", "urgent": "Urgent", "soon": "Soon", "routine": "Routine"}
HEADACHES = {1: "Your main headache", 2: "Your other headache", None: "Both headaches together"}
NOT_AN_EXPLANATION = "not an explanation of the warning signs; have a doctor check those first"
RECOMMENDATION_WORDS = {
    "refer_first": "see a doctor first",
    "not_recommended": "not recommended",
    "suitable_with_precautions": "may suit you, with precautions",
    "suitable": "may suit you",
}
_UNSURE = re.compile(
    r"'(\w+)' was answered unsure, so it cannot count as a warning sign: (.*)", re.S
)
_IGNORED = re.compile(r"answer to '(\w+)' ignored: .*", re.S)
_QUOTED = re.compile(r"'(\w+)'")


def sentence(text: str) -> str:
    """`text` with a capital first letter and a full stop (unless it ends a sentence)."""
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!", ":")) else ".")


def shown(q: Question, value: Any) -> str:
    """An answer in everyday words: labels for codes, units for durations."""
    if value is None:
        return "no answer"
    if q.type in ("yes_no", "yes_no_unsure", "choice"):
        return dict(choices(q)).get(value, str(value))
    if q.type == "multi":
        labels = dict(choices(q))
        return ", ".join(labels.get(code, code) for code in value)
    if q.unit == "hours" and isinstance(value, int | float):
        if value < 1:
            return f"{round(value * 60)} minutes"
        return f"{value:g} hour{'' if value == 1 else 's'}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def said(q: Question, value: Any) -> str:
    """A question and its answer on one line: "How old are you? 58"."""
    text = q.text.rstrip()
    return f"{text}{'' if text.endswith(('?', ':')) else ':'} {shown(q, value)}"


def because(answers: Mapping[str, Any], content: Content | None) -> str:
    """The answers behind a finding, in words ("" when there are none)."""
    questions = content.questions.questions if content else {}
    parts = [
        said(questions[qid], value) if qid in questions else f"{qid} = {raw(value)}"
        for qid, value in answers.items()
    ]
    return f"Because you said: {'; '.join(parts)}" if parts else ""


def raw(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def warning(text: str, content: Content | None) -> str:
    """A warning of the engine with each question it names by ID said in words."""
    if content is None:
        return text
    questions = content.questions.questions
    found = _UNSURE.fullmatch(text)
    if found and found[1] in questions:
        return (
            f"You answered unsure to: {sentence(questions[found[1]].text)} "
            f"So it cannot count as a warning sign. {sentence(found[2])}"
        )
    found = _IGNORED.fullmatch(text)
    if found and found[1] in questions:
        return (
            f"Your answer to “{questions[found[1]].text}” was not used: "
            "with your other answers, that question does not apply."
        )
    if text.startswith("unknown answer ID"):  # the file's own key: the only name it has
        return text

    def word(match: re.Match[str]) -> str:
        q = questions.get(match[1])
        return f"“{q.text}”" if q else match[0]

    return _QUOTED.sub(word, text)


def undone(qids: Iterable[str], content: Content | None) -> list[str]:
    """What to say about each emergency answer the person undid."""
    advice = content.rules.levels["emergency"].advice if content else "Call emergency services now."
    advice = advice[:1].lower() + advice[1:]
    lines = []
    for qid in qids:
        q = content.questions.questions.get(qid) if content else None
        lines.append(
            f"You first gave an emergency answer to: {sentence(q.text) if q else qid + '.'} "
            f"Then you changed it. If your first answer was right, {advice}"
        )
    return lines


def stopped(after: str, content: Content | None) -> list[str]:
    """What to say of a self-check that stopped early, after question `after`."""
    asked = content.questions.questions.get(after) if content else None
    return [
        f"The questions stopped after: {asked.text if asked else after}",
        "The headache pattern was not assessed.",
    ]


def problems(missing: list[str], invalid: Mapping[str, str]) -> list[str]:
    """The lines of an error object's missing and invalid answers (for files: by ID)."""
    lines: list[str] = []
    if missing:
        count, listed = len(missing), ", ".join(missing)
        lines.append(f"{count} {'answer' if count == 1 else 'answers'} missing: {listed}")
    lines.extend(f"{qid}: {why}" for qid, why in invalid.items())
    return lines


def title(data: Mapping[str, Any], separator: str = " · ") -> str:
    """The title of a result: where it came from and its ID, or "Your result"."""
    source, rid = data.get("source"), data.get("id")
    parts = [str(p) for p in (source, rid) if p is not None and p != ""]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    return separator.join(parts) or "Your result"


def clean(value: T) -> T:
    """A result object with control characters in its text made visible."""
    if isinstance(value, str):
        return cast(T, printable(value))
    if isinstance(value, dict):
        return cast(T, {clean(k): clean(v) for k, v in value.items()})
    if isinstance(value, list):
        return cast(T, [clean(v) for v in value])
    return value
