"""The self-check's screens: a question, the emergency stop, the review, the welcome.

Each screen comes in two looks: the normal one (rules and a box around the
emergency advice) and `plain`, for screen readers: linear text, no boxes,
every choice announced as "1 of 3: …".  Both end with the short notice.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from triage.model import Content, Question, Section
from triage.selfcheck.flow import Ask, Emergency, Review
from triage.selfcheck.typed import choices, typing_hint
from triage.text import printable

from .results import LEVEL_LOOK

SHORT_NOTICE = "Not a diagnosis. In an emergency, call emergency services."
KEYS = "? for help, b to go back, Ctrl-C to stop"
COMPACT_KEYS = "? help · b back · Ctrl-C stop"
PROMPT = "> "
PLAIN_PROMPT = "Answer: "


def _text(value: str, style: str = "") -> Text:
    """Text from content or from the person, shown as itself (no control characters)."""
    return Text(printable(value), style=style)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def shown(q: Question, value: Any) -> str:
    """An answer in everyday words: labels for codes, units for durations."""
    if value is None:
        return "no answer"
    if q.type in ("yes_no", "yes_no_unsure", "choice"):
        return dict(choices(q)).get(value, str(value))
    if q.type == "multi":
        labels = dict(choices(q))
        return ", ".join(labels.get(code, code) for code in value)
    if q.unit == "hours":
        if value < 1:
            return f"{round(value * 60)} minutes"
        return f"{value:g} hour{'' if value == 1 else 's'}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _problem(entered: str, problem: str, plain: bool) -> Text:
    """A refused entry, quoted back with what would be valid: a cross (or words), not
    only colour."""
    line = Text("Not accepted: " if plain else "✗ ", style="bold red")
    if entered and f"'{entered}'" not in problem and not problem.startswith("from the answers"):
        line.append(printable(f"'{entered}': "))
    return line.append(printable(_sentence(problem)))


def _skipped(sections: tuple[Section, ...], shown: set[str]) -> list[RenderableType]:
    """Why the questions of `sections` were passed over ("the other …" when the
    screen shows a question of that section): one line, said once."""
    lines: list[RenderableType] = []
    for section in sections:
        title = section.title[:1].lower() + section.title[1:]
        other = " other" if section.id in shown else ""
        lines.append(
            _text(f"The{other} {title} questions are skipped: a doctor should see you first.")
        )
    return lines


def _footer(hint: str, plain: bool) -> Text:
    keys = f"{_sentence(hint)} {_sentence(KEYS)}" if plain else f"{hint} · {COMPACT_KEYS}"
    return Text(f"{keys[:1].upper()}{keys[1:]}\n{SHORT_NOTICE}", style="dim")


def question(screen: Ask, plain: bool = False) -> RenderableType:
    """One question: where it is, the question, its choices, then any problem."""
    q = screen.question
    where = f"{screen.section.title} · {screen.number} of {screen.of}"
    parts: list[RenderableType] = [
        Text(f"\n{screen.section.title}, question {screen.number} of {screen.of}.")
        if plain
        else Rule(_text(where), style="dim", align="left")
    ]
    if screen.number == 1 and screen.section.intro and not (screen.problem or screen.help):
        parts.append(_text(screen.section.intro, "italic"))
    parts.extend(_skipped(screen.skipped, {screen.section.id}))
    parts.append(_text(q.text, "bold"))
    options = choices(q)
    if options and plain:
        parts.extend(
            _text(f"{n} of {len(options)}: {label}") for n, (_, label) in enumerate(options, 1)
        )
    elif options:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(justify="right", style="bold")
        grid.add_column()
        for n, (_, label) in enumerate(options, 1):
            grid.add_row(str(n), _text(label))
        parts.append(Padding(grid, (0, 0, 0, 2), expand=False))
    if q.type == "multi":
        parts.append(Text("You can choose more than one."))
    if screen.help:
        parts.append(_text("Help: " + (q.help or "there is no more help for this question.")))
    if screen.current is not None:
        parts.append(_text(f"Your answer now: {shown(q, screen.current)}. Press Enter to keep it."))
    if screen.problem:
        parts.append(_problem(screen.entered, screen.problem, plain))
    parts.append(_footer(typing_hint(q), plain))
    return Group(*parts)


def emergency(screen: Emergency, content: Content, plain: bool = False) -> RenderableType:
    """The emergency advice, each warning sign, then: end now (1) or undo (2)."""
    symbol, style = LEVEL_LOOK["emergency"]
    level = content.rules.levels["emergency"]
    lines: list[RenderableType] = [
        Text(f"{symbol} {level.title.upper()}: STOP HERE", style=style),
        _text(level.advice, "bold"),
        Text("Because of your answers:"),
    ]
    for flag in screen.flags:
        unsure = (
            " (You answered unsure; to be safe, it counts.)" if flag.certainty == "possible" else ""
        )
        lines.append(_text(f"{symbol} {flag.rule.summary}{unsure}"))
    body = Group(*lines)
    parts: list[RenderableType] = [
        Text(""),
        body if plain else Panel(body, box=box.HEAVY, border_style=style, padding=(0, 1)),
        Text("What now?"),
    ]
    ends = [
        "End now and see the summary (recommended)",
        "Undo my last answer and go on (if it was a mistake)",
    ]
    if plain:
        parts.extend(Text(f"{n} of 2: {line}") for n, line in enumerate(ends, 1))
    else:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(justify="right", style="bold")
        grid.add_column()
        for n, line in enumerate(ends, 1):
            grid.add_row(str(n), Text(line))
        parts.append(Padding(grid, (0, 0, 0, 2), expand=False))
    if screen.problem:
        parts.append(_problem(screen.entered, screen.problem, plain))
    parts.append(Text(f"Type 1 or 2; Enter ends now.\n{content.rules.notice}", style="dim"))
    return Group(*parts)


def review(screen: Review, plain: bool = False) -> RenderableType:
    """Every answer by section, numbered so that any one can be changed."""
    parts: list[RenderableType] = [
        Text("\nReview your answers.") if plain else Rule(Text("Review your answers"), style="dim")
    ]
    parts.extend(_skipped(screen.skipped, {entry.section.id for entry in screen.lines}))
    section = None
    table: Table | None = None
    for entry in screen.lines:
        if entry.section is not section:
            section = entry.section
            parts.append(_text(("" if plain else "\n") + section.title, "bold"))
            if not plain:
                table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
                table.add_column(justify="right", no_wrap=True, width=3)
                table.add_column(ratio=2)
                table.add_column(ratio=1, style="bold")
                parts.append(table)
        answer = shown(entry.question, entry.value)
        if plain:
            parts.append(_text(f"{entry.number}. {entry.question.text} You said: {answer}."))
        elif table is not None:
            table.add_row(str(entry.number), _text(entry.question.text), _text(answer))
    if screen.problem:
        parts.append(_problem(screen.entered, screen.problem, plain))
    parts.append(
        Text(
            "Type a number to change that answer, or press Enter to see your result.\n"
            + SHORT_NOTICE,
            style="dim",
        )
    )
    return Group(*parts)


def welcome(content: Content, saving_to: str | None, plain: bool = False) -> RenderableType:
    """What the self-check is, what it is not, and how to move around in it."""
    total = len(content.questions.questions)
    lines = [
        Text("Headache self-check", style="bold"),
        _text(content.rules.notice, "bold"),
        Text(
            "Warning signs come first. Questions that do not apply to you are skipped "
            f"(at most {total}). Answer one at a time; type ? for help, b to go back, "
            "and press Ctrl-C to stop at any time."
        ),
    ]
    if saving_to:
        lines.append(_text(f"Your answers are saved as you go in {saving_to}."))
    body = Group(*lines)
    return body if plain else Panel(body, box=box.ROUNDED, padding=(0, 1))
