"""The self-check's screens: a question, the emergency stop, the early notice,
the review, the welcome.

Each screen comes in two looks: the normal one (rules and a box around a
warning) and `plain`, for screen readers: linear text, words instead of
symbols, every choice announced as "1 of 3: …".  The notice that this is not
a diagnosis is on the welcome, on each warning and on the result, not under
every question.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from triage.model import Content, FiredFlag, Section
from triage.selfcheck.screens import Ask, EarlyNotice, Emergency, Review
from triage.selfcheck.typed import choices, typing_hint
from triage.text import printable

from .words import LEVEL_LOOK, LEVEL_WORDS, sentence, shown

__all__ = ["early_notice", "emergency", "question", "review", "shown", "welcome"]
KEYS = "? for help, b to go back, Ctrl-C to stop"
COMPACT_KEYS = "? help · b back · Ctrl-C stop"
PROMPT = "> "
PLAIN_PROMPT = "Answer: "


def _text(value: str, style: str = "") -> Text:
    """Text from content or from the person, shown as itself on one line: control,
    bidi and line-break characters as visible escapes (`printable`).  A screen's
    own line breaks go around it, never through it."""
    return Text(printable(value), style=style)


def _problem(entered: str, problem: str, plain: bool) -> Text:
    """A refused entry, quoted back with what would be valid: a cross (or words), not
    only colour."""
    line = Text("Not accepted: " if plain else "✗ ", style="bold red")
    if entered and f"'{entered}'" not in problem and not problem.startswith("from the answers"):
        line.append(printable(f"'{entered}': "))
    return line.append(printable(sentence(problem)))


def _skipped(sections: tuple[Section, ...], here: set[str]) -> list[RenderableType]:
    """Why the questions of `sections` were passed over ("the other …" when the
    screen shows a question of that section): one line, said once."""
    lines: list[RenderableType] = []
    for section in sections:
        title = section.title[:1].lower() + section.title[1:]
        other = " other" if section.id in here else ""
        lines.append(
            _text(f"The{other} {title} questions are skipped: a doctor should see you first.")
        )
    return lines


def _footer(hint: str, plain: bool) -> Text:
    keys = f"{sentence(hint)} {sentence(KEYS)}" if plain else f"{hint} · {COMPACT_KEYS}"
    return Text(f"{keys[:1].upper()}{keys[1:]}", style="dim")


def question(screen: Ask, plain: bool = False) -> RenderableType:
    """One question: where it is, the question, its choices, then any problem."""
    q = screen.question
    where = f"{screen.section.title} · {screen.number} of {screen.of}"
    parts: list[RenderableType] = [
        Text(f"\n{printable(screen.section.title)}, question {screen.number} of {screen.of}.")
        if plain
        else Rule(_text(where), style="dim", align="left")
    ]
    if screen.number == 1 and screen.section.intro and not (screen.problem or screen.help):
        parts.append(_text(screen.section.intro, "italic"))
    parts.extend(_skipped(screen.skipped, {screen.section.id}))
    parts.append(_text(screen.text or q.text, "bold"))
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


def _choices(lines: list[str], plain: bool) -> RenderableType:
    """Numbered ways on: "1 of 2: …" when `plain`, else a number and the words."""
    if plain:
        return Group(*(Text(f"{n} of {len(lines)}: {line}") for n, line in enumerate(lines, 1)))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(justify="right", style="bold")
    grid.add_column()
    for n, line in enumerate(lines, 1):
        grid.add_row(str(n), Text(line))
    return Padding(grid, (0, 0, 0, 2), expand=False)


def _warning(
    level: str,
    head: str,
    flags: tuple[FiredFlag, ...],
    ways: list[str],
    keys: str,
    screen: Emergency | EarlyNotice,
    content: Content,
    plain: bool,
) -> RenderableType:
    """A warning: the level and what to do, each warning sign, the ways on, the notice.
    The level is said in words; `plain` has no box and no symbols."""
    symbol, style = LEVEL_LOOK[level]
    lines: list[RenderableType] = [
        _text(head if plain else f"{symbol} {head}", style),
        _text(content.rules.levels[level].advice, "bold"),
        Text("Because of your answers:"),
    ]
    for flag in flags:
        unsure = (
            " (You answered unsure; to be safe, it counts.)" if flag.certainty == "possible" else ""
        )
        mark = f"{LEVEL_WORDS[flag.level]}:" if plain else LEVEL_LOOK[flag.level][0]
        lines.append(_text(f"{mark} {flag.rule.summary}{unsure}"))
    body = Group(*lines)
    parts: list[RenderableType] = [
        Text(""),
        body if plain else Panel(body, box=box.HEAVY, border_style=style, padding=(0, 1)),
        Text("What now?"),
        _choices(ways, plain),
    ]
    if screen.problem:
        parts.append(_problem(screen.entered, screen.problem, plain))
    parts.append(Text(f"{keys}\n{printable(content.rules.notice)}", style="dim"))
    return Group(*parts)


def emergency(screen: Emergency, content: Content, plain: bool = False) -> RenderableType:
    """The emergency advice, each warning sign, then: end now (1) or undo (2)."""
    title = content.rules.levels["emergency"].title.upper()
    ways = [
        "End now and see the summary (recommended)",
        "Undo my last answer and go on (if it was a mistake)",
    ]
    keys = "Type 1 or 2; Enter ends now."
    return _warning(
        "emergency", f"{title}: STOP HERE", screen.flags, ways, keys, screen, content, plain
    )


def early_notice(screen: EarlyNotice, content: Content, plain: bool = False) -> RenderableType:
    """The first urgent warning signs, as soon as they show: the level, what to do
    and why, then stop (1: after the questions that can still show an emergency)
    or go on (2) to learn about the headache pattern."""
    title = content.rules.levels[screen.level].title.upper()

    needed, left = screen.needed, screen.left
    ways = [
        "Answer only the questions that look for an emergency (about "
        f"{needed} {'question' if needed == 1 else 'questions'} left), then see the summary"
        if needed
        else "Stop now and see the summary",
        "Go on to learn about your headache pattern"
        + (f" (about {left} more {'question' if left == 1 else 'questions'})" if left else ""),
    ]
    keys = "Type 1 or 2, or b to go back to your last answer; Enter picks 1."
    head = f"{title}: A DOCTOR SHOULD CHECK THIS"
    return _warning(screen.level, head, screen.flags, ways, keys, screen, content, plain)


REVIEW_KEYS = (
    "Type a number to change that answer, or b to go back to the last question.\n"
    "When all is right, press Enter to see your result."
)


def review(screen: Review, plain: bool = False) -> RenderableType:
    """Every answer by section, one line each, numbered so that any one can be
    changed; after a wrong entry, only what was wrong and what to type."""
    keys = Text(REVIEW_KEYS, style="dim")
    if screen.problem:
        return Group(_problem(screen.entered, screen.problem, plain), keys)
    parts: list[RenderableType] = [
        Text("\nReview your answers.") if plain else Rule(Text("Review your answers"), style="dim")
    ]
    parts.extend(_skipped(screen.skipped, {entry.section.id for entry in screen.lines}))
    section = None
    table: Table | None = None
    for entry in screen.lines:
        if entry.section is not section:
            section = entry.section
            parts.append(Text(("" if plain else "\n") + printable(section.title), style="bold"))
            if not plain:
                table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
                table.add_column(justify="right", no_wrap=True, width=3)
                table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
                table.add_column(no_wrap=True, overflow="ellipsis", max_width=34, style="bold")
                parts.append(table)
        answer = shown(entry.question, entry.value)
        if plain:
            parts.append(_text(f"{entry.number}. {entry.question.text} You said: {answer}."))
        elif table is not None:
            table.add_row(str(entry.number), _text(entry.question.text), _text(answer))
    parts.append(keys)
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
