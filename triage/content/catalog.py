"""The questionnaire as data for people and scripts: a listing, a blank answers
file, and a summary of what a content pair holds.

The listing is data (JSON escapes what it must); the template and the summary
are text for a terminal or an editor, so every text of the content files in
them, and every path, passes `printable`: a line break or an escape sequence
in a title or a label is shown as an escape, and cannot start a line of its own
(in the template, a live answer line) or drive the terminal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from triage.engine.answers import expectation
from triage.model import Content
from triage.text import printable


def as_list(content: Content) -> list[dict[str, Any]]:
    """Every question, in order, with what a valid answer is and when it is asked."""
    return [
        {
            "id": q.id,
            "section": q.section,
            "type": q.type,
            "text": q.text,
            "help": q.help,
            "codes": list(q.codes),
            "labels": dict(q.options),
            "min": q.min,
            "max": q.max,
            "greater_than": q.greater_than,
            "unit": q.unit or None,
            "min_items": q.min_items,
            "unsure": q.unsure if q.type == "yes_no_unsure" else None,
            "allowed": expectation(q).removeprefix("must be "),
            "ask_if": q.ask_if.describe() if q.ask_if else None,
        }
        for q in content.questions
    ]


def _comment(text: str, indent: str = "") -> str:
    """A YAML comment line: `text` on one line, whatever it holds."""
    return f"# {indent}{printable(text)}".rstrip()


def template(content: Content) -> str:
    """A blank YAML answers file: every question, with what it takes, then its ID."""
    lines = [
        "# triage answers file: answer every question that is asked, then run",
        "#   triage assess this-file.yaml",
        "# Leave a question blank when its 'asked only if' does not hold.",
        "# yes/no questions take yes or no (and unsure where it says so).",
        "",
        "# A name or number for this record (optional), echoed in the result.",
        "id:",
    ]
    for section in content.questions.sections:
        lines += ["", _comment(f"--- {section.title} ---")]
        for qid in section.questions:
            q = content.questions.questions[qid]
            lines += ["", _comment(q.text)]
            if q.options:
                width = max(len(code) for code, _ in q.options)
                lines.append(
                    _comment(
                        "one of:"
                        if q.type == "choice"
                        else f"a list of{' at least one of' if q.min_items else ''}:",
                        "  ",
                    )
                )
                lines += [
                    _comment(f"{code.ljust(width)}  {label}", "    ") for code, label in q.options
                ]
            else:
                lines.append(_comment(expectation(q), "  "))
            if q.ask_if is not None:
                lines.append(_comment(f"asked only if {q.ask_if.describe()}", "  "))
            lines.append(f"{q.id}:")
    return "\n".join(lines) + "\n"


def validation_report(
    content: Content, questions: Path | None = None, rules: Path | None = None
) -> str:
    """What `triage validate` says about a content pair that has no problems: its
    lines are the program's own, the paths and the version in them escaped."""
    qs, r = content.questions, content.rules

    def count(items: Any, noun: str) -> str:
        return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"

    return "\n".join(
        [
            printable(f"{questions or 'questions.yaml (shipped)'}")
            + f": {count(qs.questions, 'question')} in {count(qs.sections, 'section')}",
            printable(f"{rules or 'rules.yaml (shipped)'}: version {r.version}")
            + f": {count(r.red_flags, 'red flag')}, {count(r.patterns, 'pattern')}, "
            f"{count(r.facts, 'fact')}, {count(r.screens, 'screen')}",
            "no problems found",
        ]
    )
