"""Counting a batch's results: per triage level, red flag, pattern and recommendation.

Pure: `Tally.add` takes each result object (or error object) of the contract.
A record that cannot be assessed is counted apart from the assessed ones
(`levels`), under the level its valid answers already reach (`at_least`:
`routine` when they show no warning sign), and the warning signs they show
are counted with the others: none is hidden.  A file or record of which no
answer could be read has no level at all: it is counted only as `unread`.

Patterns are counted per headache (spec v3): those of the main headache
(`headache` 1), those of the other headache (2), and those of the person
(`null`: `medication_overuse`), which belong to neither headache.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from triage.model import LEVELS
from triage.results.contract import Outcome
from triage.results.writers import level_at_least


class Brief(NamedTuple):
    """What the tally needs of one result: small enough to pass between processes."""

    failed: bool
    # the triage level, or the least level of a record not assessed; None: nothing read
    level: str | None
    red_flags: tuple[str, ...]
    main: tuple[str, ...]  # pattern IDs of the main headache
    other: tuple[str, ...]  # pattern IDs of the other headache
    person: tuple[str, ...]  # pattern IDs of the person (medication_overuse)
    recommendation: str | None


def brief(result: Outcome) -> Brief:
    """The tally's view of one result object (or error object)."""
    flags = tuple(flag["id"] for flag in result["red_flags"])
    if "error" in result:
        return Brief(True, level_at_least(result), flags, (), (), (), None)
    patterns = result["headache_types"]
    return Brief(
        False,
        result["triage_level"],
        flags,
        tuple(p["id"] for p in patterns if p["headache"] == 1),
        tuple(p["id"] for p in patterns if p["headache"] == 2),
        tuple(p["id"] for p in patterns if p["headache"] not in (1, 2)),
        result["dry_needling"]["recommendation"],
    )


@dataclass
class Tally:
    """What a batch held, counted as its results come."""

    records: int = 0
    failed: int = 0  # records not assessed: not fully assessed, or not read at all
    unread: int = 0  # of which no answer could be read (a file not found, say): no level
    levels: Counter[str] = field(default_factory=Counter)  # of the records assessed
    at_least: Counter[str] = field(default_factory=Counter)  # of those not fully assessed
    red_flags: Counter[str] = field(default_factory=Counter)
    main_patterns: Counter[str] = field(default_factory=Counter)  # of the main headache
    other_patterns: Counter[str] = field(default_factory=Counter)  # of the other headache
    person_patterns: Counter[str] = field(default_factory=Counter)  # medication_overuse
    recommendations: Counter[str] = field(default_factory=Counter)
    most_urgent: str | None = None  # the most urgent level seen, counting at-least levels

    def add(self, result: Outcome | Brief) -> None:
        """Count one result object, or its `Brief`."""
        seen = result if isinstance(result, Brief) else brief(result)
        self.records += 1
        self.red_flags.update(seen.red_flags)
        self.failed += seen.failed
        level = seen.level
        if level is None:  # no answer could be read: no level to count
            self.unread += 1
            return
        if seen.failed:
            self.at_least[level] += 1
        else:
            self.levels[level] += 1
            self.main_patterns.update(seen.main)
            self.other_patterns.update(seen.other)
            self.person_patterns.update(seen.person)
            if seen.recommendation is not None:
                self.recommendations[seen.recommendation] += 1
        if self.most_urgent is None or LEVELS.index(level) < LEVELS.index(self.most_urgent):
            self.most_urgent = level

    @property
    def patterns(self) -> Counter[str]:
        """Every pattern found, whichever headache it belongs to."""
        return self.main_patterns + self.other_patterns + self.person_patterns

    def reached(self, level: str) -> bool:
        """Whether any record reached `level` or a more urgent one."""
        return self.most_urgent is not None and (
            LEVELS.index(self.most_urgent) <= LEVELS.index(level)
        )
