"""What to bring up at a consultation, in everyday words, from a result object.

Plain strings only (no rich): the result screen lays them out.  Every line
is presentation text around words that come from the result or from
`rules.yaml`; nothing here adds a clinical claim of its own.
"""

from __future__ import annotations

from typing import Any

from triage.engine.criteria import pattern_name
from triage.model import Content, Item
from triage.results.contract import DryNeedlingObject, PatternObject, ResultObject

MEDICINE_DAYS = "painkiller_days"
MEDICINE_TYPES = "painkiller_types"


def to_bring_up(data: ResultObject, content: Content | None) -> list[str]:
    """The short list for a result object: the warning signs, the patterns found
    (not for a self-check that stopped early: they were not assessed), the
    medicines taken for headache, and what stands against or needs care in dry
    needling, each said in its first clause."""
    items: list[str] = []
    if data["red_flags"]:
        items.append("The warning signs listed above")
    if not data.get("stopped_early"):
        two = any(p.get("headache") == 2 for p in data["headache_types"])
        items.extend(_pattern(p, two) for p in data["headache_types"])
        items.append(_medicines(data, content))
    for ids, rules in needling_items(data["dry_needling"], content):
        reasons = {item.id: item.reason for item in rules}
        items.extend(first_clause(reasons[i]) for i in ids if i in reasons)
    return list(dict.fromkeys(items))


def needling_items(
    dn: DryNeedlingObject, content: Content | None
) -> tuple[tuple[list[str], tuple[Item, ...]], tuple[list[str], tuple[Item, ...]]]:
    """The contraindications, then the precautions, that apply: their IDs in the
    result and the entries of `rules.yaml` that say them."""
    rules = content.rules.dry_needling if content else None
    return (
        (dn["contraindications"], rules.contraindications if rules else ()),
        (dn["precautions"], rules.precautions if rules else ()),
    )


def first_clause(text: str) -> str:
    """A sentence up to its first semicolon, without the full stop."""
    return text.partition("; ")[0].strip().rstrip(".")


WHOSE = {1: "your main headache", 2: "your other headache", None: "both headaches together"}


def _pattern(pattern: PatternObject, two: bool = False) -> str:
    """A pattern in a few words; with two headaches, saying which it belongs to."""
    name = pattern_name(pattern["summary"])
    whose = f" ({WHOSE[pattern.get('headache')]})" if two else ""
    if pattern.get("certainty") is None:  # the catch-all: its name says it all
        return name + whose
    source = f" ({pattern['source']})" if pattern.get("source") else ""
    return f"Headache pattern{whose}: {name}{source}"


def _medicines(data: ResultObject, content: Content | None) -> str:
    """The medicines taken for headache, as far as the result shows them."""
    given: dict[str, Any] = {}
    for found in (*data["red_flags"], *data["headache_types"]):
        given.update(found["because"])
    days, kinds = given.get(MEDICINE_DAYS), given.get(MEDICINE_TYPES)
    if days is None:
        return "Any medicines you take for headache, and on how many days a month"
    text = f"Medicines for headache on {days} {'day' if days == 1 else 'days'} a month"
    question = content.questions.questions.get(MEDICINE_TYPES) if content else None
    if kinds and question is not None:
        text += ": " + "; ".join(question.label(code) for code in kinds)
    return text
