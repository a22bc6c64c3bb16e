"""The only module that imports rich: results and the questionnaire for people.

Functions return renderables; the CLI prints them.  Text that comes from the
content files or from answers is escaped, so `[` never becomes markup.  Meaning
is never carried by colour alone: each level has a word and a symbol.
"""

from __future__ import annotations

from typing import IO, Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .answers import expectation
from .model import Question, Questionnaire

LEVEL_STYLE = {
    "emergency": ("!!!", "bold white on red"),
    "urgent": ("!!", "bold red"),
    "soon": ("!", "bold yellow"),
    "routine": ("OK", "bold green"),
}
RECOMMENDATION_WORDS = {
    "refer_first": "See a doctor first",
    "not_recommended": "Not recommended",
    "suitable_with_precautions": "May suit you, with precautions",
    "suitable": "May suit you",
}


def console(stream: IO[str]) -> Console:
    """A console for `stream`; colour follows the terminal and NO_COLOR."""
    return Console(file=stream, highlight=False)


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _because(because: dict[str, Any]) -> str:
    return "; ".join(f"{qid}: {_plain(v)}" for qid, v in because.items())


def result(data: dict[str, Any]) -> RenderableType:
    """One result object (or error object) of `report` as a terminal screen."""
    parts: list[RenderableType] = []
    title = escape(str(data.get("source") or data.get("id") or "result"))
    if "error" in data:
        parts.append(Text("Could not assess: " + data["error"]["message"], style="bold red"))
        for qid in data["error"]["missing"]:
            parts.append(Text(f"  missing: {qid}"))
        for qid, why in data["error"]["invalid"].items():
            parts.append(Text(f"  invalid: {qid} {why}"))
        level = data["triage_level_at_least"]
        parts.append(_level_line(level, data.get("advice", ""), "at least "))
    else:
        parts.append(_level_line(data["triage_level"], data["advice"]))
    if data.get("red_flags"):
        parts.append(_flags(data["red_flags"]))
    if data.get("headache_types"):
        parts.append(Text("\nHeadache pattern", style="bold"))
        for p in data["headache_types"]:
            certainty = f" ({p['certainty']})" if p["certainty"] else ""
            parts.append(Text(f"  • {p['summary']}{certainty}"))
            if p.get("advice"):
                parts.append(Text(f"    {p['advice']}"))
            if p.get("pericranial_tenderness") is not None:
                word = "yes" if p["pericranial_tenderness"] else "no"
                parts.append(Text(f"    Tender head or neck muscles: {word}"))
    if "dry_needling" in data:
        dn = data["dry_needling"]
        parts.append(Text("\nDry needling: " + RECOMMENDATION_WORDS[dn["recommendation"]],
                          style="bold"))
        parts.extend(Text(f"  • {reason}") for reason in dn["reasons"])
        if dn["contraindications"]:
            parts.append(Text("  Not advised because of: " + ", ".join(dn["contraindications"])))
        if dn["precautions"]:
            parts.append(Text("  Precautions: " + ", ".join(dn["precautions"])))
    for warning in data.get("warnings", []):
        parts.append(Text(f"Note: {warning}", style="italic"))
    if data.get("notice"):
        parts.append(Text("\n" + data["notice"], style="dim"))
    return Panel(Group(*parts), title=title, box=box.ROUNDED, expand=False)


def _level_line(level: str, advice: str, prefix: str = "") -> Text:
    symbol, style = LEVEL_STYLE[level]
    line = Text()
    line.append(f" {symbol} {prefix}{level.upper()} ", style=style)
    line.append(f"  {advice}")
    return line


def _flags(flags: list[dict[str, Any]]) -> Table:
    table = Table(title="Warning signs", box=box.SIMPLE, title_justify="left", expand=False)
    table.add_column("Level")
    table.add_column("Why")
    for flag in flags:
        symbol, style = LEVEL_STYLE[flag["level"]]
        certainty = "" if flag["certainty"] == "reported" else " (possible: you were unsure)"
        table.add_row(Text(f"{symbol} {flag['level']}", style=style),
                      Text(f"{flag['summary']}{certainty}\n[{flag['id']}] because "
                           f"{_because(flag['because'])}"))
    return table


def questions_table(questionnaire: Questionnaire) -> Table:
    """The questionnaire as a table: ID, type, allowed values, ask-if."""
    table = Table(box=box.SIMPLE_HEAD, title="Questionnaire")
    table.add_column("ID", no_wrap=True)
    table.add_column("Type")
    table.add_column("Allowed values")
    table.add_column("Asked if")
    for q in questionnaire:
        table.add_row(q.id, q.type, escape(allowed(q)),
                      escape(q.ask_if.describe()) if q.ask_if else "always")
    return table


def allowed(q: Question) -> str:
    """A question's allowed values in a few words."""
    return expectation(q).removeprefix("must be ")
