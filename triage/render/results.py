"""Results and the questionnaire as screens: the level first, in words and a symbol."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import IO, Any, TypeVar, cast

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from triage.engine.answers import expectation
from triage.model import Content, Item, Question
from triage.render.consultation import needling_items, to_bring_up
from triage.results.contract import (
    DryNeedlingObject,
    ErrorObject,
    FlagObject,
    Outcome,
    PatternObject,
    ResultObject,
)
from triage.results.writers import Show
from triage.text import printable

T = TypeVar("T")
WIDTH = 80  # wider lines are harder to read; a terminal narrower than this is honoured
LEVEL_LOOK = {  # symbol and style of each level: the word is always printed too
    "emergency": ("!!!", "bold red"),
    "urgent": ("!!", "bold red"),
    "soon": ("!", "bold yellow"),
    "routine": ("✓", "bold green"),
}
LEVEL_WORDS = {"emergency": "Emergency", "urgent": "Urgent", "soon": "Soon", "routine": "Routine"}
NOT_ASSESSED = ("?", "bold")
HEADACHES = {1: "Your main headache", 2: "Your other headache", None: "Both headaches together"}
RECOMMENDATION_WORDS = {
    "refer_first": "see a doctor first",
    "not_recommended": "not recommended",
    "suitable_with_precautions": "may suit you, with precautions",
    "suitable": "may suit you",
}


def console(stream: IO[str], terminal: bool | None = None) -> Console:
    """A console for `stream`: no markup; no colour or style when NO_COLOR is set or
    `stream` is not a terminal (`terminal` overrides the detection)."""
    plain = bool(os.environ.get("NO_COLOR"))
    out = Console(
        file=stream,
        markup=False,
        emoji=False,
        highlight=False,
        force_terminal=terminal,
        no_color=plain,
        color_system=None if plain else "auto",
    )
    if out.width > WIDTH:
        out.width = WIDTH
    return out


def _heading(text: str) -> Text:
    return Text("\n" + text, style="bold")


def _bullets(items: Iterable[RenderableType], mark: str = "•") -> Padding:
    """An indented list whose wrapped lines hang under their first word."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row(mark, Text(item) if isinstance(item, str) else item)
    return Padding(grid, (0, 0, 0, 2), expand=False)


def _sublist(title: str, items: Iterable[RenderableType]) -> list[RenderableType]:
    """A titled list one level in, under the dry-needling recommendation."""
    return [
        Padding(Text(title, style="bold"), (0, 0, 0, 2), expand=False),
        Padding(_bullets(items, mark="-"), (0, 0, 0, 2), expand=False),
    ]


def _level(level: str, advice: str, content: Content | None, at_least: bool = False) -> Group:
    """The level in words and a symbol, then what to do."""
    symbol, style = LEVEL_LOOK[level]
    word = printable(content.rules.levels[level].title) if content else LEVEL_WORDS[level]
    head = Text(f"{symbol} {'AT LEAST ' if at_least else ''}{word.upper()}", style=style)
    if not advice:
        return Group(head)
    return Group(head, Padding(Text(advice), (0, 0, 0, len(symbol) + 1), expand=False))


def _title(data: Outcome) -> Text:
    source, rid = data.get("source"), data.get("id")
    parts = [str(p) for p in (source, rid) if p is not None and p != ""]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    return Text(" · ".join(parts) or "Your result")


def _clean(value: T) -> T:
    """A result object with control characters in its text made visible."""
    if isinstance(value, str):
        return cast(T, printable(value))
    if isinstance(value, dict):
        return cast(T, {_clean(k): _clean(v) for k, v in value.items()})
    if isinstance(value, list):
        return cast(T, [_clean(v) for v in value])
    return value


def result(data: Outcome, content: Content | None = None, plain: bool = False) -> RenderableType:
    """One result object (or error object) of the contract as a screen: level first.

    `plain` (the self-check's screen-reader mode) puts the title on a line of
    its own instead of in a rule."""
    data = _clean(data)
    title = _title(data)
    parts: list[RenderableType] = [title if plain else Rule(title, style="dim")]
    if "error" in data:
        parts.extend(_error(data, content))
        if data["red_flags"]:
            parts += [_heading("Warning signs"), _flags(data["red_flags"])]
    else:
        parts.extend(_assessed(data, content))
    if data["warnings"]:
        parts.append(_heading("Please note"))
        parts.append(_bullets(data["warnings"]))
    notice = data["notice"] or (content.rules.notice if content else "")
    parts.append(Text("\n" + notice, style="italic"))
    return Group(*parts)


def _assessed(data: ResultObject, content: Content | None) -> list[RenderableType]:
    """The level, the warning signs, the patterns and dry needling of an assessed record."""
    parts: list[RenderableType] = [_level(data["triage_level"], data["advice"], content)]
    if data["red_flags"]:
        parts += [_heading("Warning signs"), _flags(data["red_flags"])]
    else:
        parts.append(_heading("Warning signs: none found"))
    stopped = data.get("stopped_early")
    if stopped:
        after = stopped["after"]
        asked = content.questions.questions.get(after) if content else None
        parts.append(_heading("Stopped early"))
        parts.append(
            _bullets(
                [
                    f"The questions stopped after: {asked.text if asked else after}",
                    "The headache pattern was not assessed.",
                ]
            )
        )
    types = [] if stopped else data["headache_types"]
    one_list = "Headache pattern" + ("s" if len(types) > 1 else "")
    two = any(p.get("headache") == 2 for p in types)  # each headache's patterns, then the person's
    for which, title in HEADACHES.items() if two else [(0, one_list)]:
        found = [p for p in types if not two or p.get("headache", 1) == which]
        if found:
            parts += [_heading(title), _bullets(_pattern(p) for p in found)]
    parts.extend(_dry_needling(data["dry_needling"], content))
    if not stopped:
        items = [printable(item) for item in to_bring_up(data, content)]
        parts.extend(_sublist("To bring up at a consultation", items))
    return parts


def _error(data: ErrorObject, content: Content | None) -> list[RenderableType]:
    error = data["error"]
    level = data["triage_level_at_least"]
    parts: list[RenderableType] = []
    if data["red_flags"]:
        parts.append(_level(level, data.get("advice", ""), content, at_least=True))
        parts.append(
            Padding(
                Text("Incomplete, but the answers given already show a warning sign."),
                (0, 0, 0, len(LEVEL_LOOK[level][0]) + 1),
                expand=False,
            )
        )
    else:
        symbol, style = NOT_ASSESSED
        line = Text(f"{symbol} NOT ASSESSED", style=style)
        parts.append(
            line.append(
                " — no warning sign among the answers given, but the assessment is incomplete.",
                style="",
            )
        )
    if not error["missing"] and not error["invalid"]:
        parts.append(_heading("Could not read the answers"))
        parts.append(_bullets([error["message"]]))
        return parts
    parts.append(_heading("Could not complete the assessment"))
    lines: list[str] = []
    if error["missing"]:
        count, listed = len(error["missing"]), ", ".join(error["missing"])
        lines.append(f"{count} {'answer' if count == 1 else 'answers'} missing: {listed}")
    lines.extend(f"{qid}: {why}" for qid, why in error["invalid"].items())
    parts.append(_bullets(lines))
    return parts


def _flags(flags: list[FlagObject]) -> Padding:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for flag in flags:
        symbol, style = LEVEL_LOOK[flag["level"]]
        text = Text()
        text.append(LEVEL_WORDS[flag["level"]] + ": ", style=style)
        text.append(flag["summary"])
        if flag["certainty"] == "possible":
            text.append("\nPossible: you were unsure, so it counts, to be safe.")
        because = "; ".join(f"{qid} = {_plain(value)}" for qid, value in flag["because"].items())
        text.append(f"\n({flag['id']}; because {because or 'of the answers'})", style="dim")
        grid.add_row(Text(symbol, style=style), text)
    return Padding(grid, (0, 0, 0, 2), expand=False)


def _pattern(pattern: PatternObject) -> RenderableType:
    """The pattern, then the criteria that made it fit, one to a line."""
    text = Text(pattern["summary"])
    details = [d for d in (pattern.get("certainty"), pattern.get("source")) if d]
    if details:
        text.append(f" ({', '.join(details)})", style="dim")
    if pattern.get("pericranial_tenderness") is not None:
        word = "yes" if pattern["pericranial_tenderness"] else "no"
        text.append(f"\nTender head or neck muscles: {word}")
    if pattern.get("advice"):
        text.append("\n" + pattern["advice"])
    criteria = [c[:1].upper() + c[1:] for c in pattern.get("criteria", [])]
    if not criteria:
        return text
    return Group(text, Text("Fits because:"), _bullets(criteria, mark="-"))


def _dry_needling(dn: DryNeedlingObject, content: Content | None) -> list[RenderableType]:
    """The recommendation with its reasons, then what stands against it and what to mind."""
    blocks = []
    titles = ("Not advised because of", "Precautions")
    for title, (ids, items) in zip(titles, needling_items(dn, content), strict=True):
        if ids:
            blocks.append((title, [_item(ident, items) for ident in ids]))
    listed = {line for _, lines in blocks for line in lines}
    reasons = [reason for reason in dn["reasons"] if reason not in listed]
    word = RECOMMENDATION_WORDS.get(dn["recommendation"], dn["recommendation"])
    parts: list[RenderableType] = [_heading("Dry needling: " + word), _bullets(reasons)]
    for title, lines in blocks:
        parts.extend(_sublist(title, lines))
    return parts


def _item(ident: str, items: Iterable[Item]) -> str:
    return next((printable(item.reason) for item in items if item.id == ident), ident)


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def writer(stream: IO[str], content: Content) -> Show:
    """What draws each result of a batch as text on `stream` (`--format text`),
    a blank line between two."""
    shown = console(stream)

    def show(data: Outcome, more: bool) -> None:
        if more:
            shown.print()
        shown.print(result(data, content))

    return show


# --- the questionnaire ------------------------------------------------------------


def questions_table(content: Content) -> RenderableType:
    """The questionnaire, section by section: ID, allowed values, when it is asked."""
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
    table.add_column("ID", no_wrap=True)
    table.add_column("Allowed values", ratio=3)
    table.add_column("Asked if", ratio=2)
    questions = content.questions.questions
    for number, section in enumerate(content.questions.sections):
        if number:
            table.add_row()
        table.add_row(Text(printable(section.title), style="bold"))
        for qid in section.questions:
            q = questions[qid]
            table.add_row(
                Text(q.id),
                Text(printable(allowed(q))),
                Text(printable(q.ask_if.describe()) if q.ask_if else "always"),
            )
    return Group(table, Text(printable(content.rules.notice), style="italic"))


def allowed(q: Question) -> str:
    """A question's allowed values in a few words."""
    return expectation(q).removeprefix("must be ")
