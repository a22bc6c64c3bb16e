"""Varied answers records for the benchmarks, as a clinic's intake batch holds them.

`generate(path, records, seed, workers, other)` writes a JSONL batch; `lines`
yields its lines; `mix` says what a batch holds.  See benchmarks/README.md
("The records") for what the records are like.  Every record is generated,
none is a copy of another.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import triage
from triage.engine.validate import asked
from triage.model import Content, Question

#
# Each record is one person.  A "persona" says which kind of headache they
# describe (so that every pattern and the catch-all occur), a "style" how the
# file writes its answers (codes, spreadsheet booleans, hand-typed text), and
# each warning sign is drawn with its own small chance of `yes` (about a third
# of records fire at least one red flag, mostly the `soon` ones, as a headache
# clinic's intake does).  Every value lies within its question's valid range
# and the questionnaire is walked with `engine.validate.asked`, so ask-ifs are honoured.

PERSONAS = (("migraine", 38), ("tension", 40), ("aura", 6), ("cluster", 2), ("mixed", 14))
STYLES = (("codes", 80), ("spreadsheet", 10), ("typed", 10))

# about one person in four with a primary headache has a second kind (spec v3)
OTHER_HEADACHE = 0.25
# chance of `yes` for yes/no(/unsure) questions; anything else: 0.15
YES = {
    "sudden_onset": 0.01,
    "peak_within_hour": 0.03,
    "neck_injury": 0.01,
    "brain_shunt": 0.003,
    "neuro_symptoms": 0.01,
    "confusion_or_seizure": 0.003,
    "fever": 0.03,
    "neck_stiffness": 0.02,
    "non_blanching_rash": 0.003,
    "head_injury": 0.03,
    "red_painful_eye": 0.005,
    "co_exposure": 0.003,
    "very_high_blood_pressure": 0.005,
    "jaw_or_scalp_pain": 0.05,
    "positional": 0.03,
    "cough_exertion_trigger": 0.03,
    "progressive": 0.05,
    "pattern_change": 0.05,
    "new_medicine": 0.03,
    "cancer_history": 0.04,
    "immunosuppressed": 0.03,
    "needle_fear": 0.08,
    "blood_thinners": 0.06,
    "epilepsy": 0.015,
    "metal_allergy": 0.03,
    "skin_problem_at_site": 0.02,
    "lymphedema": 0.01,
    "implanted_device": 0.02,
    "diabetes": 0.08,
    "aura": 0.05,
    "eye_nose_symptoms": 0.08,
    "restless_during_attack": 0.1,
    "neck_pain": 0.45,
    "starts_in_neck": 0.2,
    "neck_movement_triggers": 0.2,
    "neck_pressure_reproduces": 0.25,
    "reduced_neck_motion": 0.2,
    "tender_muscles": 0.45,
    "vomiting": 0.1,
    "painkiller_over_3_months": 0.6,
    "aura_spreads_gradually": 0.6,
    "aura_one_sided": 0.6,
    "aura_positive": 0.7,
    "aura_headache_within_60_min": 0.7,
}
# per persona, overrides of YES and of the choice weights below
LEANS: dict[str, dict[str, Any]] = {
    "migraine": {
        "worse_with_activity": 0.75,
        "light_sensitivity": 0.8,
        "sound_sensitivity": 0.7,
        "activity_limited": 0.7,
        "vomiting": 0.25,
        "quality": {"pulsating": 6, "pressing": 2, "stabbing": 1, "other": 1},
        "side": {"one_side_same": 3, "one_side_alternating": 4, "both_sides": 3},
        "nausea": {"none": 2, "mild": 4, "moderate_or_severe": 4},
    },
    "tension": {
        "worse_with_activity": 0.15,
        "light_sensitivity": 0.2,
        "sound_sensitivity": 0.2,
        "activity_limited": 0.2,
        "vomiting": 0.01,
        "quality": {"pulsating": 1, "pressing": 8, "stabbing": 1, "other": 1},
        "side": {"one_side_same": 1, "one_side_alternating": 1, "both_sides": 8},
        "nausea": {"none": 8, "mild": 2, "moderate_or_severe": 0.3},
    },
    "aura": {"aura": 0.95, "light_sensitivity": 0.7, "worse_with_activity": 0.6},
    "cluster": {
        "eye_nose_symptoms": 0.8,
        "restless_during_attack": 0.7,
        "side": {"one_side_same": 9, "one_side_alternating": 1, "both_sides": 0.2},
        "quality": {"pulsating": 2, "pressing": 1, "stabbing": 6, "other": 1},
    },
    "mixed": {},
}
CHOICES: dict[str, dict[str, float]] = {
    "sex": {"female": 62, "male": 35, "other": 3},
    "pregnancy": {"no": 95, "pregnant": 3.5, "postpartum": 1.5},
    "headache_history": {"days": 4, "weeks": 7, "months": 17, "years": 72},
    "attacks_count": {"one": 3, "two_to_four": 7, "five_to_nine": 15, "ten_or_more": 75},
}
# weights of the codes of multi questions (each code drawn at most once)
MULTI: dict[str, dict[str, float]] = {
    "aura_types": {"visual": 10, "sensory": 4, "speech": 1.5, "weakness": 0.4},
    "painkiller_types": {"simple": 10, "triptan": 3, "opioid": 0.7, "combination": 3, "ergot": 0.2},
}
MULTI_SIZE = (1, 1, 1, 2, 2, 3)


def _weighted(rng: random.Random, table: Any) -> Any:
    items = table.items() if isinstance(table, dict) else table
    keys, weights = zip(*items, strict=True)
    return rng.choices(keys, weights)[0]


def _number(q: Question, rng: random.Random, persona: str) -> float:
    """A value of a number question, within its range, shaped by the persona."""
    qid = q.id
    if qid == "age":
        if rng.random() < 0.04:
            return rng.randint(12, 17)
        return max(18, min(120, round(rng.gauss(44, 15))))
    if qid == "intensity":
        centre = {"migraine": 7, "cluster": 9, "tension": 4}.get(persona, 5)
        return max(1, min(10, round(rng.gauss(centre, 1.6))))
    if qid == "headache_days_per_month":
        if rng.random() < 0.08:
            return rng.choice((0.25, 0.5, 0.75))
        centre = {"tension": 12, "migraine": 8, "cluster": 10}.get(persona, 10)
        return max(0, min(31, round(rng.gauss(centre, 7))))
    if qid == "attack_duration_hours":
        low, high = {
            "migraine": (3, 72),
            "aura": (2, 48),
            "tension": (0.5, 168),
            "cluster": (0.25, 3),
        }.get(persona, (0.25, 240))
        value = low * (high / low) ** rng.random()  # log-uniform
        return round(value * 4) / 4 if value < 4 else round(value)
    if qid == "painkiller_days":
        return 0 if rng.random() < 0.15 else max(1, min(31, round(rng.gauss(8, 6))))
    if qid == "aura_duration_minutes":
        return max(1, min(1440, round(rng.lognormvariate(3.2, 0.8))))
    low = q.min if q.min is not None else (q.greater_than or 0) + 1
    high = q.max if q.max is not None else low + 100
    value = rng.uniform(low, high)
    return round(value) if q.type == "integer" else round(value, 1)


def _draw(q: Question, rng: random.Random, persona: str, unsure_rate: float) -> Any:
    """One valid answer, as a code, number or tuple of codes (an `other_` question,
    about a second headache, is drawn as its pair is)."""
    lean = LEANS[persona]
    if q.id.startswith("other_"):
        q = replace(q, id=q.id.removeprefix("other_"))
    if q.type in ("yes_no", "yes_no_unsure"):
        if q.type == "yes_no_unsure" and rng.random() < unsure_rate:
            return "unsure"
        return "yes" if rng.random() < lean.get(q.id, YES.get(q.id, 0.15)) else "no"
    if q.type == "choice":
        table = lean.get(q.id) or CHOICES.get(q.id) or {code: 1 for code in q.codes}
        return _weighted(rng, table)
    if q.type == "multi":
        size = max(q.min_items, min(len(q.codes), rng.choice(MULTI_SIZE)))
        weights = dict(MULTI.get(q.id) or {code: 1 for code in q.codes})
        chosen = set()
        while len(chosen) < size:
            code = _weighted(rng, weights)
            chosen.add(code)
            del weights[code]
        return tuple(code for code in q.codes if code in chosen)
    return _number(q, rng, persona)


def _written(q: Question, value: Any, style: str, rng: random.Random) -> Any:
    """An answer as an answers file writes it, in the record's style."""
    if style == "codes":
        return list(value) if isinstance(value, tuple) else value
    if q.type in ("yes_no", "yes_no_unsure") and value != "unsure":
        if style == "spreadsheet":
            return value == "yes"
        return rng.choice((value.capitalize(), value.upper(), value, f" {value}"))
    if isinstance(value, tuple):
        return ";".join(value) if style == "spreadsheet" else list(value)
    if q.type in ("integer", "number") and style == "typed":
        if q.unit == "hours" and rng.random() < 0.6:
            if value < 1:
                return f"{round(value * 60)}m"
            return f"{value:g}h" if value < 48 or value % 24 else f"{value // 24:g}d"
        return str(value)
    if q.type == "choice" and style == "typed":
        return rng.choice((value, value.upper(), value.capitalize()))
    return value


def _record(
    content: Content, rng: random.Random, number: int, other: float = OTHER_HEADACHE
) -> dict[str, Any]:
    """One person's answers, every asked question answered, in questionnaire order;
    `other` is the chance of a second kind of headache (its `other_` answers too)."""
    persona = _weighted(rng, PERSONAS)
    style = _weighted(rng, STYLES)
    unsure_rate = 0.0 if rng.random() < 0.88 else rng.uniform(0.01, 0.05)
    values: dict[str, Any] = {}
    for q in asked(content, values):  # reads `values` as it grows
        if q.id == "other_headache":
            values[q.id] = "yes" if rng.random() < other else "no"
        else:
            values[q.id] = _draw(q, rng, persona, unsure_rate)
    questions = content.questions.questions
    record: dict[str, Any] = {"id": f"rec-{number:07d}"}
    for qid, value in values.items():
        record[qid] = _written(questions[qid], value, style, rng)
    if rng.random() < 0.03:  # a form that also exports an answer not asked
        skipped = [q for q in content.questions if q.id not in values and q.type != "multi"]
        if skipped:
            extra = rng.choice(skipped)
            record[extra.id] = _written(extra, _draw(extra, rng, persona, 0.0), style, rng)
    return record


BROKEN = (
    "truncated",
    "missing",
    "out_of_range",
    "unknown_code",
    "typo_key",
    "not_a_mapping",
    "bad_id",
    "empty",
    "duplicate_key",
)


def _broken(content: Content, record: dict[str, Any], rng: random.Random) -> str:
    """A malformed or incomplete line made from a good record."""
    kind = rng.choice(BROKEN)
    answers = [k for k in record if k != "id"]
    if kind == "missing":
        for key in rng.sample(answers, rng.randint(1, 3)):
            del record[key]
    elif kind == "out_of_range":
        record[rng.choice(("age", "intensity", "headache_days_per_month"))] = rng.choice(
            (150, -3, 11, 32.5, "lots")
        )
    elif kind == "unknown_code":
        key = rng.choice(answers)
        record[key] = rng.choice(("maybe", "sometimes", "n/a", ["???"]))
    elif kind == "typo_key":
        key = rng.choice(answers)
        record[key[:-1] + rng.choice("xyz") if len(key) > 4 else key + "x"] = record.pop(key)
    elif kind == "not_a_mapping":
        return json.dumps(rng.choice(([record["id"]], "answers", 42)))
    elif kind == "bad_id":
        record["id"] = rng.choice((True, ["a"], {"n": 1}))
    elif kind == "empty":
        return json.dumps({"id": record["id"]})
    elif kind == "duplicate_key":
        line = json.dumps(record, ensure_ascii=False)
        return line[:-1] + f', "{rng.choice(answers)}": "no"}}'
    line = json.dumps(record, ensure_ascii=False)
    if kind == "truncated":
        return line[: rng.randint(10, len(line) - 2)]
    return line


def lines(
    content: Content, count: int, seed: int, start: int = 0, other: float = OTHER_HEADACHE
) -> Iterator[str]:
    """`count` JSONL lines, about 1% of them malformed or incomplete.

    Each record has its own random stream, seeded by `seed` and its number, so
    a batch is the same however many processes make it.
    """
    for number in range(start, start + count):
        rng = random.Random(seed * 1_000_000_007 + number)
        record = _record(content, rng, number + 1, other)
        if rng.random() < 0.01:
            yield _broken(content, record, rng)
        else:
            yield json.dumps(record, ensure_ascii=False)


def _write_piece(args: tuple[str, int, int, int, float]) -> str:
    path, count, seed, start, other = args
    content = triage.load()
    with open(path, "w", encoding="utf-8") as out:
        for line in lines(content, count, seed, start, other):
            out.write(line + "\n")
    return path


def generate(
    path: Path, records: int, seed: int, workers: int, other: float = OTHER_HEADACHE
) -> None:
    """Write `records` records to `path`, in pieces made by `workers` processes."""
    pieces = max(1, workers)
    jobs, start = [], 0
    for piece in range(pieces):
        count = records // pieces + (piece < records % pieces)
        jobs.append((f"{path}.{piece:03d}", count, seed, start, other))
        start += count
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_write_piece, jobs))
    else:
        for job in jobs:
            _write_piece(job)
    with open(path, "wb") as out:
        for part, *_ in jobs:
            with open(part, "rb") as src:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
            os.unlink(part)


def mix(content: Content, path: Path, sample: int = 3000) -> str:
    """What the first `sample` records of a file hold, assessed in this process."""
    from triage.intake import read as records
    from triage.results.record import assess_record

    seen: Counter[str] = Counter()
    _, recs = records.read(str(path), "jsonl")
    for n, record in enumerate(recs):
        if n >= sample:
            break
        outcome = assess_record(content, record).result
        seen["records"] += 1
        if "error" in outcome:
            seen["error"] += 1
            level = outcome["triage_level_at_least"]
        else:
            level = outcome["triage_level"]
        seen[level] += bool(outcome["red_flags"])
        seen["unsure"] += any(v == "unsure" for v in (record.answers or {}).values())
    total = seen["records"] or 1
    share = ", ".join(
        f"{name} {100 * seen[name] / total:.1f}%"
        for name in ("emergency", "urgent", "soon", "unsure", "error")
    )
    flagged = sum(seen[level] for level in ("emergency", "urgent", "soon"))
    return f"red flags {100 * flagged / total:.1f}% ({share}) of the first {total} records"
