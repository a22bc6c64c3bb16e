"""Frozen records of the content files and of a result.

The docstrings below document every YAML key of `questions.yaml` and
`rules.yaml` (tests check that docs/content.md names each of them).  After
loading, no code sees raw YAML: only these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from triage.logic.tree import Condition

RECORD_ID = "id"  # the key of a record's ID in an answers file: not an answer
# the key of the questions whose emergency answer was undone (a list of IDs): not an answer
UNDONE = "emergency_undone"
ANSWER_TYPES = ("yes_no", "yes_no_unsure", "integer", "number", "choice", "multi")
UNSURE_POLICIES = ("escalate", "cap", "ignore")
LEVELS = ("emergency", "urgent", "soon", "routine")
PATTERN_CERTAINTIES = ("definite", "probable", "possible")
RECOMMENDATIONS = ("refer_first", "not_recommended", "suitable_with_precautions", "suitable")


@dataclass(frozen=True)
class Question:
    """One question of `questions.yaml`.

    Keys: `id` (the stable answer ID), `type` (yes_no, yes_no_unsure, integer, number, choice,
    multi), `text` (the question as asked), `help` (a line shown on request), `options`
    (choice/multi: an ordered mapping of code to label), `min`/`max` (numbers, inclusive),
    `greater_than` (an exclusive lower bound instead of `min`), `below_min` (the message for a
    number under `min`, e.g. an age out of scope), `unit` (`hours`: durations may be written
    `45m`, `6h`, `3d`), `min_items` (multi: the fewest codes a valid answer holds), `ask_if` (a
    condition over earlier answers; absent means always asked), `unsure` (yes_no_unsure: how
    red-flag rules read `unsure` — escalate, cap or ignore), `unsure_advice` (with `ignore`:
    what to do to find out), `optional_after_red_flag` (true: not required, and not asked by
    the self-check, once a red flag fires on the other answers), `text_when` (a list of `when`
    and `text`: the first whose condition holds on the earlier answers gives the text to ask
    instead of `text`), `clinician` (a short label for the clinician's report; else `text`).
    """

    id: str
    type: str
    text: str
    section: str
    help: str = ""
    options: tuple[tuple[str, str], ...] = ()
    min: float | None = None
    max: float | None = None
    greater_than: float | None = None
    below_min: str = ""
    unit: str = ""
    min_items: int = 0
    ask_if: Condition | None = None
    unsure: str = "escalate"
    unsure_advice: str = ""
    optional_after_red_flag: bool = False
    text_when: tuple[tuple[Condition, str], ...] = ()
    clinician: str = ""
    line: int = 0

    @cached_property
    def codes(self) -> tuple[str, ...]:
        if self.type in ("yes_no", "yes_no_unsure"):
            return ("yes", "no", "unsure") if self.type == "yes_no_unsure" else ("yes", "no")
        return tuple(code for code, _ in self.options)

    def label(self, code: str) -> str:
        return dict(self.options).get(code, code)

    @cached_property
    def exact(self) -> dict[str, str]:
        """Answers written exactly as their code (yes, no, a choice's code): most files'."""
        return {code: code for code in self.codes} if self.type != "multi" else {}


@dataclass(frozen=True)
class Section:
    """A section of `questions.yaml`: `id`, `title`, `intro` and `questions`."""

    id: str
    title: str
    intro: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class SecondHeadache:
    """`second_headache` in `questions.yaml`: `when` (a condition: the record
    describes a second headache), `twins` (each question that describes one
    headache, mapped to the question that asks the same of the other headache:
    same type, codes and range) and `totals` (a number rules can read by name:
    a question's answer plus its twin's, at most the question's `max`).

    Rules are written once, over the first question of each pair, and read on
    each headache's view of the record (`triage.engine.views`)."""

    when: Condition
    twins: MappingProxyType[str, str]
    totals: MappingProxyType[str, str]


@dataclass(frozen=True)
class Questionnaire:
    """The whole of `questions.yaml`: `sections`, each with its questions, in
    order, and `second_headache` (optional)."""

    sections: tuple[Section, ...]
    questions: MappingProxyType[str, Question]
    sha256: str
    second: SecondHeadache | None = None
    totals: MappingProxyType[str, Question] = field(
        default_factory=lambda: MappingProxyType({})
    )  # the totals as number questions, for the rules to compare

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.questions.values())


@dataclass(frozen=True)
class Level:
    """An entry of `levels` in `rules.yaml`: `id`, `title` and `advice` (what to do, how soon)."""

    id: str
    title: str
    advice: str


@dataclass(frozen=True)
class Fact:
    """An entry of `facts`: a named condition (`when`) with `means`, its plain meaning."""

    id: str
    when: Condition
    means: str


@dataclass(frozen=True)
class RedFlag:
    """An entry of `red_flags`: `id`, `level`, `when`, `summary` (plain words),
    `source`, `clinician` (optional: a short label for the clinician's report)."""

    id: str
    level: str
    when: Condition
    summary: str
    source: str
    clinician: str = ""


@dataclass(frozen=True)
class Pattern:
    """An entry of `patterns`: `id`, `certainty` (definite, probable, possible or `null` for
    unclassified), `when` (absent only for the catch-all pattern reported when no other is),
    `summary`, `source`, `tension_type` (true for patterns that report pericranial tenderness),
    `advice` (optional), `person` (true: found once for the person, on the main headache's
    view, not for one headache, and not counted by the catch-all), `excluded_by` (patterns
    above it: when one is found on either headache, this one is not reported on any)."""

    id: str
    certainty: str | None
    when: Condition | None
    summary: str
    source: str
    tension_type: bool = False
    advice: str = ""
    person: bool = False
    excluded_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """A contraindication, precaution or needling target under `dry_needling`:
    `id`, `when`, `reason` (plain words), `source`, `clinician` (optional)."""

    id: str
    when: Condition
    reason: str
    source: str
    clinician: str = ""


@dataclass(frozen=True)
class DryNeedlingRules:
    """`dry_needling` in `rules.yaml`: `contraindications`, `precautions`,
    `targets`, `pericranial_tenderness` (the condition tension-type patterns
    report) and `reasons` (the text for `refer_first`, `contraindicated`,
    `no_target`, `with_precautions`)."""

    contraindications: tuple[Item, ...]
    precautions: tuple[Item, ...]
    targets: tuple[Item, ...]
    pericranial_tenderness: Condition
    reasons: MappingProxyType[str, str]


@dataclass(frozen=True)
class Screening:
    """An entry of `screens`, a score reported alongside: `id`, `items` (conditions),
    `positive_at` (how many items make it positive), `summary`, `source`."""

    id: str
    items: tuple[Condition, ...]
    positive_at: int
    summary: str
    source: str


@dataclass(frozen=True)
class HandoffNotes:
    """`handoff` in `rules.yaml`, for the clinician's report: `unseen` (what a
    questionnaire cannot see), `diary` (what to record) and `source`."""

    unseen: tuple[str, ...] = ()
    diary: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Rules:
    """The whole of `rules.yaml`: `version`, `notice`, `levels`, `facts`,
    `red_flags`, `patterns`, `dry_needling`, `screens`, `handoff` (optional)."""

    version: str
    notice: str
    levels: MappingProxyType[str, Level]
    facts: MappingProxyType[str, Fact]
    red_flags: tuple[RedFlag, ...]
    patterns: tuple[Pattern, ...]
    dry_needling: DryNeedlingRules
    screens: tuple[Screening, ...]
    sha256: str
    table: MappingProxyType[tuple[str, str], Condition] = field(repr=False)
    handoff: HandoffNotes = HandoffNotes()


@dataclass(frozen=True, eq=False)
class Content:
    """A questionnaire and the rules checked against it: what `load` returns.

    Compared and hashed by identity, so that the engine can keep what it
    compiles from a content beside it (`triage.engine.program.program_of`).
    """

    questions: Questionnaire
    rules: Rules


# --- results -----------------------------------------------------------------


@dataclass(frozen=True)
class FiredFlag:
    """A red flag that fired: its rule, effective level, certainty and why."""

    rule: RedFlag
    level: str
    certainty: str  # "reported" or "possible"
    because: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class FoundPattern:
    """A headache pattern the answers fit, with the answers that made it fit and
    its `criteria`: the same reasons in everyday words (see `triage.engine.criteria`)."""

    rule: Pattern
    because: tuple[tuple[str, Any], ...]
    pericranial_tenderness: bool | None = None
    criteria: tuple[str, ...] = ()
    headache: int | None = 1  # 1 the main headache, 2 the other, None the person


@dataclass(frozen=True)
class DryNeedling:
    """The dry-needling decision with its reasons and what applies to the person."""

    recommendation: str
    reasons: tuple[str, ...]
    contraindications: tuple[str, ...]
    precautions: tuple[str, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True)
class ScreeningScore:
    """A screening score reported alongside (not used for the decision)."""

    id: str
    positive: bool
    score: int
    of: int


@dataclass(frozen=True)
class Result:
    """The outcome for one set of answers."""

    triage_level: str
    red_flags: tuple[FiredFlag, ...]
    headache_types: tuple[FoundPattern, ...]
    dry_needling: DryNeedling
    screens: tuple[ScreeningScore, ...]
    answers: MappingProxyType[str, Any]
    warnings: tuple[str, ...]
    stopped_early: str | None = None
    emergency_undone: tuple[str, ...] = ()
