"""Results and the questionnaire as screens: the level first, in words and a symbol."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import IO

from rich import box
from rich.console import Console, ConsoleDimensions, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from triage.engine.answers import expectation
from triage.model import Content, Item, Question
from triage.render.consultation import needling_items, to_bring_up
from triage.render.words import (
    HEADACHES,
    LEVEL_LOOK,
    LEVEL_WORDS,
    NOT_AN_EXPLANATION,
    RECOMMENDATION_WORDS,
    because,
    clean,
    problems,
    stopped,
    title,
    undone,
    warning,
)
from triage.results.contract import (
    DryNeedlingObject,
    ErrorObject,
    FlagObject,
    Outcome,
    PatternObject,
    ResultObject,
)
from triage.results.writers import Show, level_at_least
from triage.text import printable

WIDTH = 80  # wider lines are harder to read; a terminal narrower than this is honoured
NOT_ASSESSED = ("?", "bold")
INCOMPLETE = "Incomplete, but the answers given already show a warning sign."
NO_SIGN_YET = "no warning sign among the answers given, but the assessment is incomplete."
UNREAD = "nothing could be read, so there is no triage level."  # an error object's null level
__all__ = ["LEVEL_LOOK", "WIDTH", "allowed", "console", "questions_table", "result", "writer"]


class _Narrow(Console):
    """A console at most `WIDTH` columns wide, measured again at every print: a
    terminal resized between two screens gets the next one at its new width."""

    @property
    def size(self) -> ConsoleDimensions:
        width, height = super().size
        return ConsoleDimensions(min(width, WIDTH), height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self.width, self.height = new_size


def console(stream: IO[str], terminal: bool | None = None) -> Console:
    """A console for `stream`: no markup; no colour or style when NO_COLOR is set or
    `stream` is not a terminal (`terminal` overrides the detection); at most
    `WIDTH` columns, or the terminal's width at each print if narrower."""
    plain = bool(os.environ.get("NO_COLOR"))
    return _Narrow(
        file=stream,
        markup=False,
        emoji=False,
        highlight=False,
        force_terminal=terminal,
        no_color=plain,
        color_system=None if plain else "auto",
    )


def _heading(text: str) -> Text:
    return Text("\n" + text, style="bold")


def _marked(rows: Iterable[tuple[str | Text, RenderableType]]) -> Padding:
    """An indented list whose wrapped lines hang under their first word."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for mark, item in rows:
        grid.add_row(mark, Text(item) if isinstance(item, str) else item)
    return Padding(grid, (0, 0, 0, 2), expand=False)


def _bullets(items: Iterable[RenderableType], mark: str = "•") -> Padding:
    return _marked((mark, item) for item in items)


def _sublist(title: str, items: Iterable[RenderableType]) -> list[RenderableType]:
    """A titled list one level in, under the dry-needling recommendation."""
    return [
        Padding(Text(title, style="bold"), (0, 0, 0, 2), expand=False),
        Padding(_bullets(items, mark="-"), (0, 0, 0, 2), expand=False),
    ]


def _level(
    level: str,
    lines: Iterable[str | Text],
    content: Content | None,
    plain: bool,
    at_least: bool = False,
) -> Group:
    """The level in words (and a symbol unless `plain`), then what to do, each line
    under the level's word."""
    symbol, style = LEVEL_LOOK[level]
    word = content.rules.levels[level].title if content else LEVEL_WORDS[level]
    head = f"{'AT LEAST ' if at_least else ''}{printable(word.upper())}"
    indent = 0 if plain else len(symbol) + 1
    rows = [
        Padding(Text(line) if isinstance(line, str) else line, (0, 0, 0, indent), expand=False)
        for line in lines
        if line
    ]
    return Group(Text(head if plain else f"{symbol} {head}", style=style), *rows)


def result(data: Outcome, content: Content | None = None, plain: bool = False) -> RenderableType:
    """One result object (or error object) of the contract as a screen: level first.

    `plain` (the self-check's screen-reader mode) puts the title on a line of
    its own instead of in a rule, and uses words and dashes, never symbols."""
    data = clean(data)
    head = Text(title(data, ", " if plain else " · "))
    mark = "-" if plain else "•"
    parts: list[RenderableType] = [head if plain else Rule(head, style="dim")]
    if "error" in data:
        parts.extend(_error(data, content, plain))
        if data["red_flags"]:
            parts += [_heading("Warning signs"), _flags(data["red_flags"], content, plain)]
    else:
        parts.extend(_assessed(data, content, plain))
    if data["warnings"]:
        parts.append(_heading("Please note"))
        parts.append(_bullets((printable(warning(w, content)) for w in data["warnings"]), mark))
    notice = data["notice"] or printable(content.rules.notice if content else "")
    parts.append(Text("\n" + notice, style="italic"))
    return Group(*parts)


def _assessed(data: ResultObject, content: Content | None, plain: bool) -> list[RenderableType]:
    """The level (and any emergency answer undone), the warning signs, the patterns
    and dry needling of an assessed record."""
    mark = "-" if plain else "•"
    undid = undone(data.get("emergency_undone", []), content)
    changed = [Text(printable(line), style="bold") for line in undid]
    level = data["triage_level"]
    parts: list[RenderableType] = [_level(level, [data["advice"], *changed], content, plain)]
    flags = data["red_flags"]
    if flags:
        parts += [_heading("Warning signs"), _flags(flags, content, plain)]
    else:
        parts.append(_heading("Warning signs: none found"))
    stop = data.get("stopped_early")
    if stop:
        lines = [printable(line) for line in stopped(stop["after"], content)]
        parts += [_heading("Stopped early"), _bullets(lines, mark)]
    types = [] if stop else data["headache_types"]
    two = any(p.get("headache") == 2 for p in types)  # each headache's patterns, then the person's
    heading = "Headache pattern" + ("s" if len(types) > 1 else "")
    if flags and types:  # a pattern is no reason to set a warning sign aside
        heading += f" ({NOT_AN_EXPLANATION})"
        if two:
            parts.append(_heading(heading))
    for which, subtitle in HEADACHES.items() if two else [(0, heading)]:
        found = [p for p in types if not two or p.get("headache", 1) == which]
        if found:
            parts += [_heading(subtitle), _bullets((_pattern(p) for p in found), mark)]
    parts.extend(_dry_needling(data["dry_needling"], content, mark))
    if not stop:
        items = [printable(item) for item in to_bring_up(data, content)]
        parts.extend(_sublist("To bring up at a consultation", items))
    return parts


def _error(data: ErrorObject, content: Content | None, plain: bool) -> list[RenderableType]:
    error = data["error"]
    level = level_at_least(data)
    mark = "-" if plain else "•"
    parts: list[RenderableType] = []
    if data["red_flags"] and level is not None:
        shown = [data.get("advice", ""), INCOMPLETE]
        parts.append(_level(level, shown, content, plain, at_least=True))
    else:  # no level word: no warning sign yet is not routine, and nothing read has no level
        symbol, style = NOT_ASSESSED
        line = Text("NOT ASSESSED" if plain else f"{symbol} NOT ASSESSED", style=style)
        parts.append(line.append(f" — {NO_SIGN_YET if level else UNREAD}", style=""))
    if not error["missing"] and not error["invalid"]:
        parts.append(_heading("Could not read the answers"))
        parts.append(_bullets([error["message"]], mark))
        return parts
    parts.append(_heading("Could not complete the assessment"))
    parts.append(_bullets(problems(error["missing"], error["invalid"]), mark))
    return parts


def _flags(flags: list[FlagObject], content: Content | None, plain: bool) -> Padding:
    """Each warning sign: its level in words, what it means and the answers behind it."""
    rows: list[tuple[str | Text, RenderableType]] = []
    for flag in flags:
        symbol, style = LEVEL_LOOK[flag["level"]]
        text = Text()
        text.append(LEVEL_WORDS[flag["level"]] + ": ", style=style)
        text.append(flag["summary"])
        if flag["certainty"] == "possible":
            text.append("\nPossible: you were unsure, so it counts, to be safe.")
        why = because(flag["because"], content)
        if why:
            text.append("\n" + printable(why), style="dim")
        rows.append(("-" if plain else Text(symbol, style=style), text))
    return _marked(rows)


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


def _dry_needling(
    dn: DryNeedlingObject, content: Content | None, mark: str
) -> list[RenderableType]:
    """The recommendation with its reasons, then what stands against it and what to mind."""
    blocks = []
    titles = ("Not advised because of", "Precautions")
    for heading, (ids, items) in zip(titles, needling_items(dn, content), strict=True):
        if ids:
            blocks.append((heading, [_item(ident, items) for ident in ids]))
    listed = {line for _, lines in blocks for line in lines}
    reasons = [reason for reason in dn["reasons"] if reason not in listed]
    word = RECOMMENDATION_WORDS.get(dn["recommendation"], dn["recommendation"])
    parts: list[RenderableType] = [_heading("Dry needling: " + word), _bullets(reasons, mark)]
    for heading, lines in blocks:
        parts.extend(_sublist(heading, lines))
    return parts


def _item(ident: str, items: Iterable[Item]) -> str:
    return next((printable(item.reason) for item in items if item.id == ident), ident)


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
    """The questionnaire, section by section: ID, allowed values, when it is asked.
    A section title wraps in the ID column (as wide as the longest ID)."""
    questions = content.questions.questions
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
    table.add_column("ID", width=max(map(len, questions), default=2), overflow="fold")
    table.add_column("Allowed values", ratio=3)
    table.add_column("Asked if", ratio=2)
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
