"""A batch on a terminal: the progress bar while it runs, and the summary after.

Both go to standard error, so the results on standard output stay clean.
The summary's bars are drawn only on a terminal; elsewhere it is plain
`name  count` lines that scripts can read.

A record that could not be assessed is counted under the level its valid
answers already reach, marked: `!! urgent      3  (1 not fully assessed)`
is two records assessed urgent and one whose answers, incomplete or partly
invalid, already reach urgent (`routine` when they show no red flag).  A
file or record of which no answer could be read has no level: it is counted
apart, as `? not read`, a row shown only when there is one (and named in the
first line: `… 2 could not be assessed (1 not read)`).

Patterns are counted per headache (spec v3): the main headache's, the other
headache's (a section shown only when some record has a pattern on a second
headache), and the person's (`medication_overuse`, which belongs to neither
headache), each under its own heading.
"""

from __future__ import annotations

from collections import Counter
from typing import IO

from rich.console import Group, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from triage.model import LEVELS
from triage.results.tally import Tally
from triage.text import printable

from .results import LEVEL_LOOK, NOT_ASSESSED, console

BAR_WIDTH = 30


class _Rate(ProgressColumn):
    """Records a second, from rich's running estimate."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} records/s", style="dim")


class BatchProgress:
    """A progress bar on `stream` (a terminal): records done, records/s, time left.

    `total` is the number of records when known (else no bar and no ETA).
    The bar is removed when the batch ends.
    """

    def __init__(self, stream: IO[str], total: int | None) -> None:
        columns: list[ProgressColumn | str] = [TextColumn("Assessing")]
        if total is not None:
            columns += [BarColumn(), MofNCompleteColumn(), _Rate(), TimeRemainingColumn()]
        else:
            columns += [TextColumn("{task.completed:,} records"), _Rate(), TimeElapsedColumn()]
        self.progress = Progress(*columns, console=console(stream, terminal=True), transient=True)
        self.task = self.progress.add_task("assess", total=total)

    def __enter__(self) -> BatchProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def advance(self, count: int = 1) -> None:
        self.progress.advance(self.task, count)


LEVEL_TITLE = "Triage level"
NOT_FULLY = "({:,} not fully assessed)"  # beside a level's count
NOT_READ = "not read"  # the row of the records (files) of which nothing could be read
MAIN_PATTERNS = "Headache patterns, main headache"
OTHER_PATTERNS = "Headache patterns, other headache"
PERSON_PATTERNS = "Headache patterns, the person as a whole"


def tally_table(tally: Tally, terminal: bool) -> RenderableType:
    """Counts per triage level, red flag, pattern (per headache) and recommendation."""
    assessed = tally.records - tally.failed
    head = f"{tally.records:,} records: {assessed:,} assessed"
    if tally.failed:
        head += f", {tally.failed:,} could not be assessed"
    if tally.unread:
        head += f" ({tally.unread:,} {NOT_READ})"
    parts: list[RenderableType] = [Text(head, style="bold")]
    levels = Counter({level: tally.levels[level] + tally.at_least[level] for level in LEVELS})
    marks = {level: f"{LEVEL_LOOK[level][0]} " for level in LEVELS}
    notes = {level: NOT_FULLY.format(n) for level, n in tally.at_least.items() if n}
    if tally.unread:
        levels[NOT_READ] = tally.unread
        marks[NOT_READ] = f"{NOT_ASSESSED[0]} "
    sections: list[tuple[str, Counter[str], dict[str, str]]] = [
        (LEVEL_TITLE, levels, marks),
        ("Red flags", tally.red_flags, {}),
        (MAIN_PATTERNS, tally.main_patterns, {}),
    ]
    if tally.other_patterns:
        sections.append((OTHER_PATTERNS, tally.other_patterns, {}))
    sections += [
        (PERSON_PATTERNS, tally.person_patterns, {}),
        ("Dry needling", tally.recommendations, {}),
    ]
    for title, counts, mark in sections:
        parts.append(_counts(title, counts, mark, terminal, notes if title == LEVEL_TITLE else {}))
    return Group(*parts)


def _counts(
    title: str,
    counts: Counter[str],
    marks: dict[str, str],
    terminal: bool,
    notes: dict[str, str],
) -> RenderableType:
    """A section's rows: mark and name, count, any note beside it, and a bar on a terminal."""
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(no_wrap=True)
    table.add_column(justify="right")
    if notes:
        table.add_column(no_wrap=True)
    if terminal:
        table.add_column()
    rows = counts if marks else dict(counts.most_common())
    largest = max(counts.values(), default=0)
    if not rows:
        table.add_row(Text("none", style="dim"), "")
    for name, count in rows.items():
        cells: list[Text | str] = [Text(printable(marks.get(name, "") + name)), f"{count:,}"]
        if notes:
            cells.append(notes.get(name, ""))
        if terminal:
            width = round(BAR_WIDTH * count / largest) if largest else 0
            cells.append(Text("█" * width or ("▏" if count else ""), style="cyan"))
        table.add_row(*cells)
    return Group(Text(title, style="bold"), table)
