"""A plain, hand-written reference implementation of triage's clinical logic.

    python benchmarks/reference.py FILE.jsonl > out.jsonl

What it is for: a speed yardstick for `triage assess FILE.jsonl --format jsonl`.
It does the same work for each record, written the way one would write it by
hand for one fixed questionnaire and one fixed rule set: read a JSONL line,
`json.loads` it (refusing a duplicate key), normalise and validate every
answer, evaluate the red flags (three readings of `unsure` answers), the
headache patterns of the main and, when there is one, the other headache, the
medication-overuse pattern, dry needling and the ID Migraine screen, and write
one `triage.result/1` object per record with `json.dumps`.  A record that
cannot be assessed gets an error object (with the red flags its valid answers
already fire) and the batch goes on.

Only the standard library is used; neither the `triage` package nor its
questions.yaml / rules.yaml is read.  The logic is transcribed from
tests/spec/intake-dictionary.md, tests/spec/clinical-logic.md and
tests/spec/output-contract.md; the texts (summaries, sources, advice) are
copied from rules.yaml version 2026.12.0 into the tables below.  Nothing here
is a rules engine: each red flag and pattern is an `if` over the answers.
`benchmarks/agree.py` checks that it decides as triage does.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import math
import re
import sys
from collections.abc import Iterator
from typing import Any

SCHEMA = "triage.result/1"
CONTENT = {  # the content the tables below were transcribed from
    "questions_sha256": "4ae0fa80c146c92fe66d12319cacbfc5edf415dd3d3eb66beccb20d3a85a2535",
    "rules_sha256": "50a5f6138c0a39d3b97385a81a4d265f3b44352cc9cffd1623df38d610959239",
    "version": "2026.12.0",
}
NOTICE = (
    "This is not a diagnosis and not a substitute for a doctor or other clinician. "
    "In an emergency, call your local emergency number (such as 999, 112 or 911) now."
)
LEVELS = ("emergency", "urgent", "soon", "routine")
ADVICE = {
    "emergency": "Call emergency services or go to an emergency department now.",
    "urgent": "See a doctor today (within 24 hours).",
    "soon": "Book a doctor's appointment within 1–2 weeks, before starting dry needling.",
    "routine": "No warning signs found.",
}
MAX_LINE = 1 << 20  # bytes in one JSONL line

# --- the questionnaire ------------------------------------------------------------
#
# Answer types.  Numbers: (low, high, low_excluded, in_hours).

YES_NO, YES_NO_UNSURE, CHOICE, MULTI, INTEGER, NUMBER = (
    "yes_no",
    "yes_no_unsure",
    "choice",
    "multi",
    "integer",
    "number",
)
HISTORY = ("days", "weeks", "months", "years")
ATTACKS = ("one", "two_to_four", "five_to_nine", "ten_or_more")
SIDES = ("one_side_same", "one_side_alternating", "both_sides")
LOCATIONS = (
    "forehead",
    "temples",
    "around_eye",
    "top_of_head",
    "back_of_head",
    "neck",
    "whole_head",
)
QUALITIES = ("pulsating", "pressing", "stabbing", "other")
NAUSEA = ("none", "mild", "moderate_or_severe")
AURA_TYPES = ("visual", "sensory", "speech", "weakness")
PAINKILLERS = ("simple", "triptan", "opioid", "combination", "ergot", "other")

# How a red-flag rule reads an `unsure` answer (yes_no_unsure questions only).
UNSURE_POLICY = {
    "red_painful_eye": "cap",
    "co_exposure": "cap",
    "very_high_blood_pressure": "ignore",
}  # every other yes_no_unsure question: "escalate"
UNSURE_ADVICE = {
    "very_high_blood_pressure": (
        "Get your blood pressure measured today, at a pharmacy or your doctor's surgery."
    )
}
BELOW_MIN = {
    "age": (
        "This self-check is for people aged 12 and over. "
        "Please see a doctor or nurse about your headache."
    )
}

# The questions of the main headache that the other headache repeats as `other_` + ID.
TWINS = (
    ("headache_history", CHOICE, HISTORY),
    ("attacks_count", CHOICE, ATTACKS),
    ("headache_days_per_month", NUMBER, (0, 31, False, False)),
    ("attack_duration_hours", NUMBER, (0, 2160, True, True)),
    ("side", CHOICE, SIDES),
    ("location", MULTI, LOCATIONS),
    ("quality", CHOICE, QUALITIES),
    ("intensity", INTEGER, (1, 10, False, False)),
    ("worse_with_activity", YES_NO, None),
    ("nausea", CHOICE, NAUSEA),
    ("vomiting", YES_NO, None),
    ("light_sensitivity", YES_NO, None),
    ("sound_sensitivity", YES_NO, None),
    ("aura", YES_NO, None),
    ("aura_types", MULTI, AURA_TYPES),
    ("aura_duration_minutes", INTEGER, (1, 1440, False, False)),
    ("aura_spreads_gradually", YES_NO, None),
    ("aura_one_sided", YES_NO, None),
    ("aura_positive", YES_NO, None),
    ("aura_headache_within_60_min", YES_NO, None),
    ("eye_nose_symptoms", YES_NO, None),
    ("restless_during_attack", YES_NO, None),
)
TWIN = {qid: "other_" + qid for qid, _, _ in TWINS}
AURA_DETAILS = frozenset(
    (
        "aura_types",
        "aura_duration_minutes",
        "aura_spreads_gradually",
        "aura_one_sided",
        "aura_positive",
        "aura_headache_within_60_min",
    )
)


# Ask-ifs: (the answers it reads, the test on the valid answers so far, in words).
def _pregnancy_asked(v: dict[str, Any]) -> bool:
    age = v.get("age")
    return age is not None and age <= 55 and v.get("sex") in ("female", "other")


def _jaw_asked(v: dict[str, Any]) -> bool:
    age = v.get("age")
    return age is not None and age >= 50


def _painkiller_days_given(v: dict[str, Any]) -> bool:
    days = v.get("painkiller_days")
    return days is not None and days > 0


ASK_PREGNANCY = (
    ("sex", "age"),
    _pregnancy_asked,
    "(sex is female or other and age is at most 55)",
)
ASK_PEAK = (("sudden_onset",), lambda v: v.get("sudden_onset") == "no", "sudden_onset is no")
ASK_JAW = (("age",), _jaw_asked, "age is at least 50")
ASK_LONG = (
    ("headache_history",),
    lambda v: v.get("headache_history") in ("months", "years"),
    "headache_history is months or years",
)
ASK_AURA = (("aura",), lambda v: v.get("aura") == "yes", "aura is yes")
ASK_OTHER = (
    ("other_headache",),
    lambda v: v.get("other_headache") == "yes",
    "other_headache is yes",
)
ASK_OTHER_AURA = (
    ("other_headache", "other_aura"),
    lambda v: v.get("other_headache") == "yes" and v.get("other_aura") == "yes",
    "(other_headache is yes and other_aura is yes)",
)
ASK_PAINKILLER_TYPES = (
    ("painkiller_days",),
    _painkiller_days_given,
    "painkiller_days is more than 0",
)
ASK_OVER_3_MONTHS = (
    ("painkiller_days", "headache_history"),
    lambda v: _painkiller_days_given(v) and v.get("headache_history") in ("months", "years"),
    "(painkiller_days is more than 0 and headache_history is months or years)",
)

WARNING_SIGNS = (
    "sudden_onset",
    "peak_within_hour",
    "neuro_symptoms",
    "confusion_or_seizure",
    "fever",
    "neck_stiffness",
    "non_blanching_rash",
    "head_injury",
    "red_painful_eye",
    "co_exposure",
    "very_high_blood_pressure",
    "cough_exertion_trigger",
    "progressive",
    "neck_injury",
    "brain_shunt",
    "jaw_or_scalp_pain",
    "positional",
    "pattern_change",
    "new_medicine",
    "cancer_history",
    "immunosuppressed",
)
NECK_AND_PERSON = (
    "neck_pain",
    "starts_in_neck",
    "neck_movement_triggers",
    "neck_pressure_reproduces",
    "reduced_neck_motion",
    "tender_muscles",
)
SAFETY = (
    "needle_fear",
    "blood_thinners",
    "epilepsy",
    "metal_allergy",
    "skin_problem_at_site",
    "lymphedema",
    "implanted_device",
    "diabetes",
)
# optional once a red flag fires (every safety question but blood_thinners)
OPTIONAL = frozenset(SAFETY) - {"blood_thinners"}
ASKED_IF = {
    "pregnancy": ASK_PREGNANCY,
    "peak_within_hour": ASK_PEAK,
    "jaw_or_scalp_pain": ASK_JAW,
    "pattern_change": ASK_LONG,
    **dict.fromkeys(AURA_DETAILS, ASK_AURA),
    **{TWIN[qid]: ASK_OTHER_AURA if qid in AURA_DETAILS else ASK_OTHER for qid in TWIN},
    "painkiller_types": ASK_PAINKILLER_TYPES,
    "painkiller_over_3_months": ASK_OVER_3_MONTHS,
}


def _questions() -> list[tuple[str, str, Any]]:
    """Every question in questionnaire order: (ID, type, codes or number range)."""
    main = [(qid, kind, detail) for qid, kind, detail in TWINS if qid != "headache_history"]
    return [
        ("age", INTEGER, (12, 120, False, False)),
        ("sex", CHOICE, ("female", "male", "other")),
        ("pregnancy", CHOICE, ("no", "pregnant", "postpartum")),
        ("headache_history", CHOICE, HISTORY),
        *((qid, YES_NO_UNSURE, None) for qid in WARNING_SIGNS),
        *main[:12],  # attacks_count ... sound_sensitivity
        ("activity_limited", YES_NO, None),
        *main[12:],  # aura ... restless_during_attack
        *((qid, YES_NO, None) for qid in NECK_AND_PERSON),
        ("other_headache", YES_NO, None),
        *((TWIN[qid], kind, detail) for qid, kind, detail in TWINS),
        ("painkiller_days", INTEGER, (0, 31, False, False)),
        ("painkiller_types", MULTI, PAINKILLERS),
        ("painkiller_over_3_months", YES_NO, None),
        *((qid, YES_NO_UNSURE, None) for qid in SAFETY),
    ]


QUESTIONS = _questions()
ORDER = {qid: n for n, (qid, _, _) in enumerate(QUESTIONS)}
KNOWN = frozenset((*ORDER, "id", "emergency_undone"))

# --- reading one answer ---------------------------------------------------------------

_NUMBER_TEXT = re.compile(
    r"\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))([eE][+-]?\d+)?\s*(?:([a-zA-Z]+)|/\s*(\d+))?\s*"
)
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")  # "1,440": a decimal comma or thousands?
HOURS_PER = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1 / 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 1.0),
    **dict.fromkeys(("d", "day", "days"), 24.0),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 168.0),
}


def quote(value: Any) -> str:
    """A value as a message shows it: short."""
    try:
        text = f"'{value}'" if isinstance(value, str) else repr(value)
    except (ValueError, RecursionError):
        return "a value too large to show"
    return text if len(text) <= 200 else text[:200] + "…'"


def _plain(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


def expectation(kind: str, detail: Any) -> str:
    """What a valid answer looks like, in a few words."""
    if kind == YES_NO:
        return "must be yes or no"
    if kind == YES_NO_UNSURE:
        return "must be yes, no or unsure"
    if kind == CHOICE:
        return "must be one of " + ", ".join(detail)
    if kind == MULTI:
        return f"must be a list of codes from {', '.join(detail)} (at least one)"
    low, high, low_excluded, hours = detail
    noun = "a whole number" if kind == INTEGER else "a number"
    if low_excluded:
        text = f"must be {noun} greater than {_plain(low)} and at most {_plain(high)}"
    else:
        text = f"must be {noun} from {_plain(low)} to {_plain(high)}"
    return text + (" (hours, or with a unit: 45m, 6h, 3d, 2w)" if hours else "")


def parse(qid: str, kind: str, detail: Any, given: Any) -> Any:
    """The normalised answer, or ValueError saying what would be valid.

    yes/no answers give "yes", "no" or "unsure"; a choice gives its code; a multi
    answer a tuple of codes in questionnaire order; a number an int when whole."""
    if kind in (YES_NO, YES_NO_UNSURE):
        if given is True:
            return "yes"
        if given is False:
            return "no"
        if isinstance(given, str):
            word = given.strip().lower()
            if word in ("yes", "true"):
                return "yes"
            if word in ("no", "false"):
                return "no"
            if word == "unsure" and kind == YES_NO_UNSURE:
                return "unsure"
        raise ValueError(f"{expectation(kind, detail)}, not {quote(given)}")
    if kind == CHOICE:
        if given is False and "no" in detail:
            return "no"
        if isinstance(given, str):
            word = given.strip().lower()
            if word in detail:
                return word
        if isinstance(given, (list, dict)):
            raise ValueError(f"{expectation(kind, detail)}, not a list or mapping")
        raise ValueError(f"unknown code {quote(given)}; expected one of {', '.join(detail)}")
    if kind == MULTI:
        return _parse_codes(kind, detail, given)
    return _parse_number(qid, kind, detail, given)


def _parse_codes(kind: str, codes: tuple[str, ...], given: Any) -> tuple[str, ...]:
    if isinstance(given, str):
        items: list[Any] = [part for part in given.split(";") if part.strip()]
    elif isinstance(given, list):
        items = given
    else:
        raise ValueError(f"{expectation(kind, codes)}, not {quote(given)}")
    chosen = set()
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{expectation(kind, codes)}; {quote(item)} is not a code")
        word = item.strip().lower()
        if word not in codes:
            raise ValueError(f"unknown code {quote(item)}; expected codes from {', '.join(codes)}")
        chosen.add(word)
    if not chosen:
        raise ValueError(f"must name at least one of {', '.join(codes)}")
    return tuple(code for code in codes if code in chosen)


def _parse_number(qid: str, kind: str, detail: Any, given: Any) -> int | float:
    low, high, low_excluded, _ = detail
    if isinstance(given, bool) or not isinstance(given, (int, float, str)):
        raise ValueError(f"{expectation(kind, detail)}, not {quote(given)}")
    value = _number_from_text(kind, detail, given) if isinstance(given, str) else given
    if isinstance(value, float):
        if not math.isfinite(value) or (kind == INTEGER and not value.is_integer()):
            raise ValueError(f"{expectation(kind, detail)}, not {quote(given)}")
        if value.is_integer():
            value = int(value)
    too_low = value <= low if low_excluded else value < low
    if too_low and qid in BELOW_MIN:
        raise ValueError(BELOW_MIN[qid])
    if too_low or value > high:
        raise ValueError(f"{expectation(kind, detail)}, not {quote(given)}")
    return value


def _number_from_text(kind: str, detail: Any, text: str) -> float:
    """A number written as text: `42`, `0.5`, `0,5`, `7/10`, and for hours `45m`, `6h`, `2d`."""
    if text.isascii() and len(text) < 20:  # the usual forms at once: 12 and 0.5
        if text.isdigit():
            return int(text)
        if text.replace(".", "", 1).isdigit():
            return float(text)
    found = _NUMBER_TEXT.fullmatch(text)
    wrong = f"{expectation(kind, detail)}, not {quote(text)}"
    if found is None:
        raise ValueError(wrong)
    number, exponent, unit, scale = found.groups()
    hours = detail[3]
    if exponent and (unit or scale or hours):
        raise ValueError(f"{wrong}: write the number in plain digits, without an exponent")
    if _THOUSANDS.fullmatch(number):
        raise ValueError(f"{wrong}: a comma before three digits may separate thousands")
    per = 1.0
    if unit is not None:
        per = HOURS_PER.get(unit.lower(), 0.0) if hours else 0.0
    if not per or (scale is not None and (scale != "10" or kind != INTEGER or detail[1] != 10)):
        raise ValueError(wrong)
    written = number.replace(",", ".") + (exponent or "")
    try:
        value = float(written) if "." in written or exponent else int(written)
    except ValueError:  # more digits than Python converts
        value = math.inf
    return value * per if unit is not None else value


def _spellings() -> dict[str, dict[Any, Any]]:
    """For each coded question, its usual spellings (yes, Yes, YES, true ...) read once."""
    out: dict[str, dict[Any, Any]] = {qid: {} for qid, _, _ in QUESTIONS}
    for qid, kind, detail in QUESTIONS:
        if kind in (CHOICE, YES_NO, YES_NO_UNSURE):
            words = detail if kind == CHOICE else ("yes", "no", "unsure", "true", "false")
            known: dict[Any, Any] = {}
            for word in words:
                for spelled in (word, word.upper(), word.capitalize()):
                    with contextlib.suppress(ValueError):
                        known[spelled] = parse(qid, kind, detail, spelled)
            out[qid] = known
    return out


SPELLED = _spellings()
# what validation reads for each question, in order: the questions about the other
# headache apart, to be passed over at once when there is none
_ROWS = [(qid, kind, detail, ASKED_IF.get(qid), SPELLED[qid]) for qid, kind, detail in QUESTIONS]
OTHER_IDS = frozenset(TWIN.values())
_FIRST = ORDER["other_headache_history"]
OTHER_CHECKS = _ROWS[_FIRST : _FIRST + len(OTHER_IDS)]
CHECKS = (_ROWS[:_FIRST], OTHER_CHECKS, _ROWS[_FIRST + len(OTHER_IDS) :])

# --- validating a record ----------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return f"'{value}'" if isinstance(value, str) else str(value)


def _ignored(qid: str, ask: tuple[Any, ...], values: dict[str, Any]) -> str:
    reads, _, words = ask
    said = [
        f"'{r}' is {_shown(values[r])}" if r in values else f"'{r}' has no valid answer"
        for r in sorted(reads)
    ]
    if len(reads) == 1:
        return f"answer to '{qid}' ignored: {said[0]}"
    return f"answer to '{qid}' ignored: it is asked only when {words}; here {', '.join(said)}"


def _unknown_ids(raw: dict[str, Any]) -> list[str]:
    unknown = [key for key in raw if key not in KNOWN]
    warnings = []
    for n, key in enumerate(unknown[:20]):
        text = f"unknown answer ID {quote(key)} ignored"
        if n < 5 and len(key) <= 100:
            close = difflib.get_close_matches(key, list(ORDER), n=1, cutoff=0.75)
            if close:
                text += f"; did you mean '{close[0]}'?"
        warnings.append(text)
    if len(unknown) > 20:
        more = len(unknown) - 20
        warnings.append(f"and {more} more unknown answer ID{'' if more == 1 else 's'} ignored")
    return warnings


def validate(raw: dict[str, Any]) -> tuple[dict, list, dict, list, dict]:
    """Check every answer against the questionnaire, in questionnaire order.

    Returns (values, missing, invalid, warnings, undecided): the valid answers of
    the questions asked, the asked questions with no answer, the invalid answers
    (ID: what is wrong), warnings, and the valid answers to questions whose
    ask-if reads a missing or invalid answer (kept for the red flags alone).
    """
    values: dict[str, Any] = {}
    missing: list[str] = []
    invalid: dict[str, str] = {}
    undecided: dict[str, Any] = {}
    unsettled: set[str] = set()  # missing, invalid or undecided
    warnings = [] if KNOWN.issuperset(raw) else _unknown_ids(raw)
    get = raw.get
    for rows in CHECKS:
        other = rows is OTHER_CHECKS and values.get("other_headache") != "yes"
        if other and OTHER_IDS.isdisjoint(raw):  # no other headache, and nothing said of one
            continue
        for qid, kind, detail, ask, spelled in rows:
            given = get(qid)
            if ask is not None and not ask[1](values):
                if given is None:
                    continue
                if unsettled and not unsettled.isdisjoint(ask[0]):
                    # whether it is asked cannot be told: kept for the red flags
                    if not _empty(given):
                        try:
                            undecided[qid] = parse(qid, kind, detail, given)
                            unsettled.add(qid)
                        except ValueError:
                            pass
                elif not _empty(given):
                    warnings.append(_ignored(qid, ask, values))
                continue
            # the usual forms at once: a code as written, true/false, a whole number in range
            cls = given.__class__
            if cls is str:
                value = spelled.get(given)
                if value is not None:
                    values[qid] = value
                    continue
            elif cls is bool:
                if kind in (YES_NO, YES_NO_UNSURE):
                    values[qid] = "yes" if given else "no"
                    continue
            elif cls is list and kind == MULTI:
                chosen = tuple(code for code in detail if code in given)
                if chosen and len(chosen) == len(given):  # codes as written, none twice
                    values[qid] = chosen
                    continue
            elif cls is int and kind in (INTEGER, NUMBER):
                low, high, low_excluded, _ = detail
                if (low < given if low_excluded else low <= given) and given <= high:
                    values[qid] = given
                    continue
            if given is None or (cls is str and not given.strip()):
                missing.append(qid)
                unsettled.add(qid)
                continue
            try:
                values[qid] = parse(qid, kind, detail, given)
            except ValueError as exc:
                invalid[qid] = str(exc)
                unsettled.add(qid)
    return values, missing, invalid, warnings, undecided


def _undone(value: Any) -> list[str]:
    """A record's `emergency_undone` (question IDs whose emergency answer was undone)."""
    if value is None:
        return []
    if isinstance(value, str):
        items: list[Any] = [part.strip() for part in value.split(";") if part.strip()]
    elif isinstance(value, list):
        items = value
    else:
        raise ValueError(f"must be a list of question IDs, not {quote(value)}")
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"must be a list of question IDs; {quote(item)} is not one")
        if item not in ORDER:
            raise ValueError(f"unknown question ID {quote(item)}")
    return list(dict.fromkeys(items))


# --- each headache's view of the answers -------------------------------------------------
#
# A view is (number, answers, total headache days).  View 2 (the other headache) is
# the answers with each twin's `other_` answer in place of the main one's.


def views_of(answers: dict[str, Any]) -> list[tuple[int, dict[str, Any], Any]]:
    """View 1, and view 2 when there is another headache.  When `other_headache`
    has no valid answer (a partial record) but answers about it are given, they
    are read too: a partial record never hides a warning sign."""
    if "other_headache" in answers:
        two = answers["other_headache"] == "yes"
    else:
        two = any(twin in answers for twin in TWIN.values())
    days = answers.get("headache_days_per_month")
    if not two:
        return [(1, answers, days)]
    other_days = answers.get("other_headache_days_per_month")
    if days is None or other_days is None:
        total = other_days if days is None else days
    else:
        total = min(31, days + other_days)
    other = dict(answers)
    for qid, twin in TWIN.items():
        if twin in answers:
            other[qid] = answers[twin]
        else:
            other.pop(qid, None)
    return [(1, answers, total), (2, other, total)]


def because(number: int, two: bool, ids: tuple[str, ...], answers: dict[str, Any]) -> dict:
    """The answers that made a rule fire, as the record gave them, in questionnaire
    order: on the other headache's view its `other_` answers, for the total days
    the answers it adds."""
    named = set()
    for qid in ids:
        if qid == "total":
            named.add("headache_days_per_month")
            if two:
                named.add("other_headache_days_per_month")
        elif number == 2 and qid in TWIN:
            named.add(TWIN[qid])
        else:
            named.add(qid)
    shown = sorted((qid for qid in named if qid in answers), key=ORDER.__getitem__)
    return {qid: _json_value(answers[qid]) for qid in shown}


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# --- red flags -------------------------------------------------------------------------

FLAGS = {  # id: (level, summary, source), most urgent first, in the order they are listed
    "thunderclap": (
        "emergency",
        "A headache that reaches its worst within about 5 minutes can mean bleeding around "
        "the brain.",
        "SNNOOP10 (Do et al., Neurology 2019); NICE CG150; ACEP clinical policy 2019",
    ),
    "possible_bleed": (
        "emergency",
        "A new, severe headache that peaked within an hour, with neck pain, a stiff neck, age "
        "40 or over, confusion or a trigger such as straining, can mean bleeding around the "
        "brain and needs a scan today.",
        "Ottawa SAH rule (Perry et al., JAMA 2013); SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "possible_dissection": (
        "emergency",
        "Neck pain with a drooping eyelid, a small pupil or other one-sided eye signs can mean "
        "a tear in a neck artery.",
        "SNNOOP10 (Do et al., Neurology 2019); IFOMPT 2020 framework for the cervical region",
    ),
    "fever_worsening": (
        "emergency",
        "A worsening or new severe headache with fever can mean meningitis, encephalitis or an "
        "abscess, even without a stiff neck.",
        "NICE CG150 (worsening headache with fever); SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "progressive_with_vomiting": (
        "emergency",
        "A headache that keeps getting worse, with vomiting, can mean raised pressure inside "
        "the head.",
        "NICE CG150 (vomiting without other obvious cause); SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "shunt_problem": (
        "emergency",
        "A new, changed or worsening headache with a brain shunt can mean the shunt is blocked "
        "or broken.",
        "SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "neuro_deficit": (
        "emergency",
        "New weakness, numbness, trouble speaking, loss of vision or balance can mean a stroke "
        "or bleeding.",
        "SNNOOP10 (Do et al., Neurology 2019); NICE CG150",
    ),
    "altered_consciousness": (
        "emergency",
        "Confusion, unusual drowsiness, fainting or a seizure with a headache needs checking now.",
        "SNNOOP10 (Do et al., Neurology 2019); NICE CG150",
    ),
    "fever_with_stiff_neck": (
        "emergency",
        "Fever with a stiff neck can mean meningitis.",
        "NICE CG150; SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "meningococcal_rash": (
        "emergency",
        "A rash that does not fade under a glass can mean meningococcal infection.",
        "NICE CG150; NICE NG240 (meningitis)",
    ),
    "acute_glaucoma": (
        "emergency",
        "A painful red eye with blurred vision or haloes can mean acute glaucoma, which can "
        "damage sight within hours.",
        "NICE CG150; SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "carbon_monoxide": (
        "emergency",
        "Headaches shared with others at home or work, or easing away from home, can mean "
        "carbon monoxide poisoning.",
        "NICE CG150; SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "hypertensive_crisis": (
        "emergency",
        "A very high blood-pressure reading with a headache needs treatment now.",
        "ACEP clinical policy 2019; regional NHS headache pathways",
    ),
    "head_injury_high_risk": (
        "emergency",
        "A headache after a head injury in someone on blood thinners or aged 65 or over can "
        "mean bleeding inside the skull.",
        "NICE NG232 head injury (age 65+, anticoagulants); SNNOOP10",
    ),
    "pregnancy_severe": (
        "emergency",
        "A new severe headache in pregnancy or soon after giving birth can mean pre-eclampsia "
        "or a blood clot.",
        "SNNOOP10 (Do et al., Neurology 2019); regional NHS headache pathways",
    ),
    "fever": (
        "urgent",
        "A headache with fever or feeling very unwell can mean an infection.",
        "SNNOOP10 (Do et al., Neurology 2019); NICE CG150",
    ),
    "stiff_neck": (
        "urgent",
        "A neck too stiff to bend the chin to the chest needs a doctor to rule out meningitis "
        "or bleeding.",
        "NICE CG150; SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "head_injury": (
        "urgent",
        "A headache that began after a blow to the head needs a doctor to check for bleeding.",
        "NICE NG232 head injury; SNNOOP10",
    ),
    "giant_cell_arteritis": (
        "urgent",
        "Over 50, jaw pain on chewing or a tender scalp or temple can mean inflamed arteries "
        "(giant cell arteritis), which can harm sight.",
        "NICE CG150; SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "new_headache_over_50": (
        "urgent",
        "A headache that began within the last year, at 50 or over, needs a doctor to look for "
        "a cause.",
        "SNNOOP10 (Do et al., Neurology 2019, onset after 50); ACR 1990 giant cell arteritis "
        "criteria (new onset); ACEP clinical policy 2008",
    ),
    "pregnancy_new_headache": (
        "urgent",
        "A new, changed or worsening headache in pregnancy or soon after giving birth needs "
        "checking today.",
        "SNNOOP10 (Do et al., Neurology 2019); regional NHS headache pathways",
    ),
    "immune_compromise": (
        "urgent",
        "A new, changed or worsening headache with a weakened immune system can mean an infection.",
        "SNNOOP10 (Do et al., Neurology 2019); NICE CG150",
    ),
    "cancer_history": (
        "urgent",
        "A new, changed or worsening headache after cancer needs a doctor to rule out spread "
        "to the brain.",
        "SNNOOP10 (Do et al., Neurology 2019); NICE CG150",
    ),
    "positional": (
        "urgent",
        "A headache clearly worse on standing or on lying down can mean a change in the "
        "pressure of the fluid around the brain.",
        "SNNOOP10 (Do et al., Neurology 2019); NICE CG150",
    ),
    "neck_injury": (
        "urgent",
        "A headache that began after a neck injury or neck manipulation can come from a torn "
        "neck artery; no neck manipulation or needling until a doctor has checked it.",
        "IFOMPT 2020 framework for the cervical region; SNNOOP10 (Do et al., Neurology 2019, "
        "post-traumatic onset)",
    ),
    "vomiting_new_headache": (
        "urgent",
        "Vomiting with a new or changed headache needs a doctor to look for a cause.",
        "NICE CG150 (vomiting without other obvious cause)",
    ),
    "valsalva_trigger": (
        "urgent",
        "A headache brought on by coughing, straining, exercise or sex needs a doctor to look "
        "for a cause.",
        "SNNOOP10 (Do et al., Neurology 2019); NICE CG150",
    ),
    "atypical_aura": (
        "urgent",
        "Aura with weakness, aura lasting over an hour, or a first aura needs a doctor to rule "
        "out a mini-stroke.",
        "SNNOOP10 (Do et al., Neurology 2019); NICE CG150; ICHD-3 1.2",
    ),
    "progressive": (
        "soon",
        "A headache that keeps getting worse over days or weeks needs a doctor's review.",
        "SNNOOP10 (Do et al., Neurology 2019); NICE CG150",
    ),
    "pattern_change": (
        "soon",
        "A clear change from your usual headaches needs a doctor's review.",
        "SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "recent_onset": (
        "soon",
        "A headache that began less than 3 months ago should be seen by a doctor before dry "
        "needling.",
        "SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "pregnancy": (
        "soon",
        "Headaches in pregnancy or soon after giving birth should be reviewed by a doctor or "
        "midwife.",
        "SNNOOP10 (Do et al., Neurology 2019); regional NHS headache pathways",
    ),
    "shunt": (
        "soon",
        "Anyone with a brain shunt who has headaches should tell their shunt team.",
        "SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "new_medicine": (
        "soon",
        "A headache that began with a new medicine may be a side effect; ask the prescriber.",
        "SNNOOP10 (Do et al., Neurology 2019)",
    ),
    "medication_overuse": (
        "soon",
        "Taking headache medicine this often can itself keep headaches going; a doctor can "
        "help reduce it safely.",
        "ICHD-3 8.2; NICE CG150",
    ),
    "autonomic_features": (
        "soon",
        "Pain around the eye with a red or watering eye or a blocked nose needs a doctor's "
        "assessment.",
        "SNNOOP10 (Do et al., Neurology 2019); ICHD-3 3.1",
    ),
}
FLAG_POSITION = {fid: n for n, fid in enumerate(FLAGS)}

NEW = ("days", "weeks")
LONG = ("months", "years")
PREGNANT = ("pregnant", "postpartum")
OVERUSED = ("triptan", "opioid", "combination", "ergot")


CLUSTER_ALL = ("attacks_count", "side", "location", "intensity", "attack_duration_hours")
CLUSTER_ANY = ("eye_nose_symptoms", "restless_during_attack")


def is_cluster(a: dict[str, Any]) -> bool:
    """ICHD-3 3.1: 5 or more severe one-sided attacks around the eye or temple lasting
    15 minutes to 3 hours, with eye or nose symptoms or restlessness."""
    location = a.get("location") or ()
    intensity = a.get("intensity")
    duration = a.get("attack_duration_hours")
    return (
        a.get("attacks_count") in ("five_to_nine", "ten_or_more")
        and a.get("side") in ("one_side_same", "one_side_alternating")
        and ("around_eye" in location or "temples" in location)
        and intensity is not None
        and intensity >= 7
        and duration is not None
        and 0.25 <= duration <= 3
        and (a.get("eye_nose_symptoms") == "yes" or a.get("restless_during_attack") == "yes")
    )


def medication_overuse(a: dict[str, Any], total: Any) -> tuple[str, ...] | None:
    """ICHD-3 8.2 on the main headache's view: the criteria that held, or None."""
    if total is None or total < 15 or a.get("headache_history") not in LONG:
        return None
    if a.get("painkiller_over_3_months") != "yes":
        return None
    days = a.get("painkiller_days")
    if days is None or days < 10:
        return None
    kinds = a.get("painkiller_types") or ()
    held = []
    if days >= 15:
        held.append("any")
    if any(kind in OVERUSED for kind in kinds):
        held.append("classes")
    if len(kinds) >= 2:
        held.append("several")
    return tuple(held) or None


def _which(*pairs: tuple[str, bool]) -> tuple[str, ...]:
    """The names whose condition holds."""
    return tuple(name for name, held in pairs if held)


def cluster_why(a: dict[str, Any]) -> tuple[str, ...]:
    """The answers that make the cluster pattern hold."""
    return CLUSTER_ALL + _which(*((q, a.get(q) == "yes") for q in CLUSTER_ANY))


OVERUSE_READS = {
    "any": ("painkiller_days",),
    "classes": ("painkiller_days", "painkiller_types"),
    "several": ("painkiller_days", "painkiller_types"),
}


def flags_on(a: dict[str, Any], overuse: tuple[str, ...] | None) -> list[tuple[str, tuple]]:
    """The red flags that fire on one reading of one view, each with the IDs of the
    answers that made it fire; `overuse` is how the person's medication-overuse
    pattern holds (None: it does not)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    add = out.append
    get = a.get
    history = get("headache_history")
    new = history in NEW
    pattern_change = get("pattern_change") == "yes"
    progressive = get("progressive") == "yes"
    age = get("age")
    intensity = get("intensity")
    severe = intensity is not None and intensity >= 7
    fever = get("fever") == "yes"
    stiff = get("neck_stiffness") == "yes"
    neck_pain = get("neck_pain") == "yes"
    confused = get("confusion_or_seizure") == "yes"
    valsalva = get("cough_exertion_trigger") == "yes"
    vomiting = get("vomiting") == "yes"
    eye_nose = get("eye_nose_symptoms") == "yes"
    neck_injury = get("neck_injury") == "yes"
    shunt = get("brain_shunt") == "yes"
    head_injury = get("head_injury") == "yes"
    pregnant = get("pregnancy") in PREGNANT
    over_50 = age is not None and age >= 50
    # the answers behind "new or changed" and "new or changing", when they hold
    changed = _which(("headache_history", new), ("pattern_change", pattern_change))
    changing = changed + (("progressive",) if progressive else ())

    if get("sudden_onset") == "yes":
        add(("thunderclap", ("sudden_onset",)))
    if get("peak_within_hour") == "yes" and severe and changed:
        ottawa = _which(
            ("age", age is not None and age >= 40),
            ("neck_pain", neck_pain),
            ("neck_stiffness", stiff),
            ("confusion_or_seizure", confused),
            ("cough_exertion_trigger", valsalva),
        )
        if ottawa:
            add(("possible_bleed", ("peak_within_hour", "intensity", *changed, *ottawa)))
    if neck_pain and eye_nose and (new or neck_injury):
        why = _which(("headache_history", new), ("neck_injury", neck_injury))
        add(("possible_dissection", ("neck_pain", "eye_nose_symptoms", *why)))
    if fever and (progressive or (changing and (vomiting or severe))):
        worse = _which(("vomiting", vomiting), ("intensity", severe)) if changing else ()
        why = _which(("progressive", progressive)) + (changing + worse if worse else ())
        add(("fever_worsening", ("fever", *why)))
    if progressive and vomiting:
        add(("progressive_with_vomiting", ("progressive", "vomiting")))
    if shunt and changing:
        add(("shunt_problem", ("brain_shunt", *changing)))
    if get("neuro_symptoms") == "yes":
        add(("neuro_deficit", ("neuro_symptoms",)))
    if confused:
        add(("altered_consciousness", ("confusion_or_seizure",)))
    if fever and stiff:
        add(("fever_with_stiff_neck", ("fever", "neck_stiffness")))
    if get("non_blanching_rash") == "yes":
        add(("meningococcal_rash", ("non_blanching_rash",)))
    if get("red_painful_eye") == "yes":
        add(("acute_glaucoma", ("red_painful_eye",)))
    if get("co_exposure") == "yes":
        add(("carbon_monoxide", ("co_exposure",)))
    if get("very_high_blood_pressure") == "yes":
        add(("hypertensive_crisis", ("very_high_blood_pressure",)))
    if head_injury:
        why = _which(
            ("blood_thinners", get("blood_thinners") == "yes"),
            ("age", age is not None and age >= 65),
        )
        if why:
            add(("head_injury_high_risk", ("head_injury", *why)))
    if pregnant and new and severe:
        add(("pregnancy_severe", ("pregnancy", "headache_history", "intensity")))
    # urgent
    if fever:
        add(("fever", ("fever",)))
    if stiff:
        add(("stiff_neck", ("neck_stiffness",)))
    if head_injury:
        add(("head_injury", ("head_injury",)))
    if over_50 and get("jaw_or_scalp_pain") == "yes":
        add(("giant_cell_arteritis", ("age", "jaw_or_scalp_pain")))
    if over_50 and history in ("days", "weeks", "months"):
        add(("new_headache_over_50", ("age", "headache_history")))
    if pregnant and changing:
        add(("pregnancy_new_headache", ("pregnancy", *changing)))
    if get("immunosuppressed") == "yes" and changing:
        add(("immune_compromise", ("immunosuppressed", *changing)))
    if get("cancer_history") == "yes" and changing:
        add(("cancer_history", ("cancer_history", *changing)))
    if get("positional") == "yes":
        add(("positional", ("positional",)))
    if neck_injury:
        add(("neck_injury", ("neck_injury",)))
    if vomiting and changed:
        add(("vomiting_new_headache", ("vomiting", *changed)))
    if valsalva:
        add(("valsalva_trigger", ("cough_exertion_trigger",)))
    if get("aura") == "yes":
        minutes = get("aura_duration_minutes")
        why = _which(
            ("aura_types", "weakness" in (get("aura_types") or ())),
            ("aura_duration_minutes", minutes is not None and minutes > 60),
            ("headache_history", new),
        )
        if why:
            add(("atypical_aura", ("aura", *why)))
    # soon
    if progressive:
        add(("progressive", ("progressive",)))
    if pattern_change:
        add(("pattern_change", ("pattern_change",)))
    if new:
        add(("recent_onset", ("headache_history",)))
    if pregnant:
        add(("pregnancy", ("pregnancy",)))
    if shunt:
        add(("shunt", ("brain_shunt",)))
    if get("new_medicine") == "yes":
        add(("new_medicine", ("new_medicine",)))
    if overuse:
        why = tuple(qid for name in overuse for qid in OVERUSE_READS[name])
        add(("medication_overuse", ("total", "headache_history", "painkiller_over_3_months", *why)))
    around_eye = eye_nose and "around_eye" in (get("location") or ())
    cluster = is_cluster(a)
    if around_eye or cluster:
        why = cluster_why(a) if cluster else ()
        add(("autonomic_features", ("eye_nose_symptoms", "location", *why) if around_eye else why))
    return out


def _reading(a: dict[str, Any], policies: tuple[str, ...]) -> dict[str, Any]:
    """The answers with each `unsure` read as `yes` for these policies, else `no`."""
    reading = dict(a)
    for qid, value in a.items():
        if value == "unsure":
            policy = UNSURE_POLICY.get(qid, "escalate")
            reading[qid] = "yes" if policy in policies else "no"
    return reading


def red_flags(answers: dict[str, Any], views: list, overuse: tuple | None) -> list[dict[str, Any]]:
    """Every red flag that fires, most urgent first (clinical-logic section 2).

    Read three times when an answer is `unsure`: as `no` (`reported`); as `yes`
    for `escalate` questions (`possible`); as `yes` for `escalate` and `cap`
    questions (`possible`, emergency capped at urgent).  Every view is read in a
    pass before the next pass.  Absent answers behave like `no`, so this serves
    a partial record too.
    """
    two = len(views) > 1
    fired: dict[str, dict[str, Any]] = {}
    if "unsure" not in answers.values():
        passes: list[tuple[int, list]] = [(1, [(n, a) for n, a, _ in views])]
    else:
        policies = {UNSURE_POLICY.get(q, "escalate") for q, v in answers.items() if v == "unsure"}
        passes = [(1, [(n, _reading(a, ())) for n, a, _ in views])]
        if "escalate" in policies:
            passes.append((2, [(n, _reading(a, ("escalate",))) for n, a, _ in views]))
        if "cap" in policies:
            passes.append((3, [(n, _reading(a, ("escalate", "cap"))) for n, a, _ in views]))
    for number, readings in passes:
        for view, reading in readings:
            for fid, why in flags_on(reading, overuse):
                if fid in fired:
                    continue
                level, summary, source = FLAGS[fid]
                if number == 3 and level == "emergency":
                    level = "urgent"
                fired[fid] = {
                    "id": fid,
                    "level": level,
                    "certainty": "reported" if number == 1 else "possible",
                    "summary": summary,
                    "because": because(view, two, why, answers),
                    "source": source,
                }
    return sorted(fired.values(), key=lambda f: (LEVELS.index(f["level"]), FLAG_POSITION[f["id"]]))


def level_of(flags: list[dict[str, Any]]) -> str:
    """The most urgent level among the flags, or routine."""
    return flags[0]["level"] if flags else "routine"


# --- headache patterns (ICHD-3) ------------------------------------------------------------

PATTERNS = {  # id: (certainty, summary, source)
    "cluster": (
        "definite",
        "Cluster headache — short, severe one-sided attacks around the eye or temple with eye "
        "or nose symptoms or restlessness.",
        "ICHD-3 3.1",
    ),
    "migraine_with_aura": (
        "definite",
        "Migraine with aura — attacks with fully reversible warning symptoms such as zigzag "
        "lines or spreading tingling.",
        "ICHD-3 1.2",
    ),
    "chronic_migraine": (
        "definite",
        "Chronic migraine — headache on 15 or more days a month for over 3 months, with "
        "migraine features.",
        "ICHD-3 1.3",
    ),
    "migraine_without_aura": (
        "definite",
        "Migraine without aura — attacks of moderate or severe, often one-sided throbbing pain "
        "with nausea or sensitivity to light and noise.",
        "ICHD-3 1.1",
    ),
    "tension_type_infrequent": (
        "definite",
        "Infrequent tension-type headache — occasional pressing or tight headaches on both "
        "sides, fewer than one day a month.",
        "ICHD-3 2.1",
    ),
    "tension_type_frequent": (
        "definite",
        "Frequent tension-type headache — pressing or tight headaches on 1 to 14 days a month.",
        "ICHD-3 2.2",
    ),
    "tension_type_chronic": (
        "definite",
        "Chronic tension-type headache — pressing or tight headaches on 15 or more days a "
        "month for over 3 months.",
        "ICHD-3 2.3",
    ),
    "probable_migraine": (
        "probable",
        "Probable migraine — migraine-like attacks that meet all but one of the criteria.",
        "ICHD-3 1.5",
    ),
    "probable_tension_type": (
        "probable",
        "Probable tension-type headache — tension-type headaches that meet all but one of the "
        "criteria.",
        "ICHD-3 2.4",
    ),
    "medication_overuse": (
        "definite",
        "Medication-overuse headache — headache on 15 or more days a month while taking "
        "headache medicine very often for over 3 months.",
        "ICHD-3 8.2.1-8.2.6; NICE CG150",
    ),
    "cervicogenic": (
        "possible",
        "Possible cervicogenic headache — a headache that seems to come from the neck.",
        "ICHD-3 11.2.1",
    ),
    "unclassified": (
        None,
        "The answers do not fit one headache pattern clearly; a clinician can help sort it out.",
        "ICHD-3 (no criteria set met)",
    ),
}
CERVICOGENIC_ADVICE = "A clinician must examine your neck to confirm this; a questionnaire cannot."
TENSION_TYPE = frozenset(
    (
        "tension_type_infrequent",
        "tension_type_frequent",
        "tension_type_chronic",
        "probable_tension_type",
    )
)
MIGRAINE = frozenset(
    ("migraine_without_aura", "migraine_with_aura", "chronic_migraine", "probable_migraine")
)

# Each criterion a pattern is built of: (in plain words, the answers it reads).
AURA_READS = (
    "aura_spreads_gradually",
    "aura_types",
    "aura_duration_minutes",
    "aura_one_sided",
    "aura_positive",
    "aura_headache_within_60_min",
)
CRITERIA = {
    "cluster": (
        "5 or more severe one-sided attacks around the eye or temple lasting 15 minutes to 3 "
        "hours, with eye or nose symptoms or restlessness",
        CLUSTER_ALL + CLUSTER_ANY,
    ),
    "aura": ("warning symptoms (aura) that go away completely", ("aura",)),
    "more_than_one": ("more than one attack so far", ("attacks_count",)),
    "aura_C": ("at least 3 of the six typical aura features", AURA_READS),
    "cm_days": (
        "15 or more headache days a month in all, 8 or more of them with this kind",
        ("total", "headache_days_per_month"),
    ),
    "long": ("the headache has been there for 3 months or more", ("headache_history",)),
    "m_A": ("at least 5 attacks", ("attacks_count",)),
    "m_B": (
        "attacks last 4-72 hours untreated (2-72 hours under age 18)",
        ("age", "attack_duration_hours"),
    ),
    "m_C": (
        "at least 2 of one-sided, throbbing, moderate or severe, worse with routine activity",
        ("side", "quality", "intensity", "worse_with_activity"),
    ),
    "m_D": (
        "nausea or vomiting, or both light and noise bother you",
        ("nausea", "vomiting", "light_sensitivity", "sound_sensitivity"),
    ),
    "with_aura": ("migraine with aura", ("aura",)),
    "days_under_1": (
        "fewer than 1 headache day a month on average",
        ("headache_days_per_month",),
    ),
    "days_1_to_14": ("from 1 to under 15 headache days a month", ("headache_days_per_month",)),
    "days_15": ("15 or more headache days a month", ("headache_days_per_month",)),
    "ten": ("at least 10 headaches like this so far", ("attacks_count",)),
    "frequent_A": (
        "at least 10 attacks, over 3 months or more",
        ("attacks_count", "headache_history"),
    ),
    "t_B": ("attacks last 30 minutes to 7 days", ("attack_duration_hours",)),
    "t_C": (
        "at least 2 of both sides, pressing or tight, mild or moderate, not worse with activity",
        ("side", "quality", "intensity", "worse_with_activity"),
    ),
    "t_D_episodic": (
        "no nausea or vomiting, and not both light and noise sensitivity",
        ("nausea", "vomiting", "light_sensitivity", "sound_sensitivity"),
    ),
    "t_D_chronic": (
        "no moderate or severe nausea, no vomiting, at most one of light sensitivity, noise "
        "sensitivity, mild nausea",
        ("nausea", "vomiting", "light_sensitivity", "sound_sensitivity"),
    ),
    "t_30_min": ("attacks last 30 minutes or longer", ("attack_duration_hours",)),
    "total_15": ("15 or more headache days a month in all", ("total",)),
    "over_3_months": (
        "headache medicine taken this often for more than 3 months",
        ("painkiller_over_3_months",),
    ),
    "any": (
        "medicine for headache of any kind on 15 or more days a month",
        ("painkiller_days",),
    ),
    "classes": (
        "on 10 or more days a month, a triptan, opioid, combination painkiller or ergot",
        ("painkiller_days", "painkiller_types"),
    ),
    "several": (
        "two or more kinds of medicine for headache, together on 10 or more days a month",
        ("painkiller_days", "painkiller_types"),
    ),
    "neck_movement": (
        "moving the neck or an awkward posture brings on the usual headache",
        ("neck_movement_triggers",),
    ),
    "neck_pressure": (
        "pressing on the back of the neck brings on the usual headache",
        ("neck_pressure_reproduces",),
    ),
    "neck_motion": (
        "reduced neck movement, with neck pain",
        ("reduced_neck_motion", "neck_pain"),
    ),
    "same_side": ("the pain is always on the same side", ("side",)),
    "starts_in_neck": ("the pain starts in the neck", ("starts_in_neck",)),
}


def patterns_on(a: dict[str, Any], total: Any) -> list[tuple[str, tuple[str, ...]]]:
    """The pattern table on one view, in table order (medication overuse aside):
    each pattern reported with the names of the criteria that made it hold."""
    attacks = a["attacks_count"]
    days = a["headache_days_per_month"]
    duration = a["attack_duration_hours"]
    side = a["side"]
    quality = a["quality"]
    intensity = a["intensity"]
    active = a["worse_with_activity"] == "yes"
    nausea = a["nausea"]
    vomiting = a["vomiting"] == "yes"
    light = a["light_sensitivity"] == "yes"
    sound = a["sound_sensitivity"] == "yes"
    aura = a["aura"] == "yes"
    long_standing = a["headache_history"] in LONG
    unilateral = side in ("one_side_same", "one_side_alternating")
    # migraine criteria A-D (ICHD-3 1.1)
    m_A = attacks in ("five_to_nine", "ten_or_more")
    m_B = (4 if a["age"] >= 18 else 2) <= duration <= 72
    m_C = (unilateral + (quality == "pulsating") + (intensity >= 4) + active) >= 2
    m_D = nausea != "none" or vomiting or (light and sound)
    migraine_A_to_D = m_A and m_B and m_C and m_D
    # migraine with aura, criterion C (ICHD-3 1.2)
    more_than_one = attacks != "one"
    aura_C = False
    if aura:
        minutes = a.get("aura_duration_minutes")
        aura_C = (
            (a.get("aura_spreads_gradually") == "yes")
            + (len(a.get("aura_types") or ()) >= 2)
            + (minutes is not None and 5 <= minutes <= 60)
            + (a.get("aura_one_sided") == "yes")
            + (a.get("aura_positive") == "yes")
            + (a.get("aura_headache_within_60_min") == "yes")
        ) >= 3
    # tension-type criteria B-D (ICHD-3 2.1-2.3)
    t_B = 0.5 <= duration <= 168
    t_C = ((side == "both_sides") + (quality == "pressing") + (intensity <= 6) + (not active)) >= 2
    t_D_episodic = nausea == "none" and not vomiting and not (light and sound)
    t_D_chronic = (
        nausea != "moderate_or_severe"
        and not vomiting
        and (light + sound + (nausea == "mild")) <= 1
    )
    ten = attacks == "ten_or_more"
    t_30_min = duration >= 0.5

    found: list[tuple[str, tuple[str, ...]]] = []
    cluster = is_cluster(a)
    if cluster:
        found.append(("cluster", ("cluster",)))
    with_aura = aura and more_than_one and aura_C
    if with_aura:
        found.append(("migraine_with_aura", ("aura", "more_than_one", "aura_C")))
    chronic = (
        total >= 15 and days >= 8 and long_standing and (migraine_A_to_D or (with_aura and m_A))
    )
    if chronic:
        how = ("m_A", "m_B", "m_C", "m_D") if migraine_A_to_D else ("with_aura", "m_A")
        found.append(("chronic_migraine", ("cm_days", "long", *how)))
    without_aura = migraine_A_to_D and not with_aura and not chronic
    if without_aura:
        found.append(("migraine_without_aura", ("m_A", "m_B", "m_C", "m_D")))
    episodic = [("ten", ten), ("t_B", t_B), ("t_C", t_C), ("t_D_episodic", t_D_episodic)]
    infrequent = not cluster and days < 1 and ten and t_B and t_C and t_D_episodic
    if infrequent:
        found.append(
            ("tension_type_infrequent", ("days_under_1", "ten", "t_B", "t_C", "t_D_episodic"))
        )
    frequent = (
        not cluster and 1 <= days < 15 and long_standing and ten and t_B and t_C and t_D_episodic
    )
    if frequent:
        found.append(
            ("tension_type_frequent", ("days_1_to_14", "long", "ten", "t_B", "t_C", "t_D_episodic"))
        )
    chronic_tt = (
        not cluster
        and not chronic
        and days >= 15
        and long_standing
        and t_30_min
        and t_C
        and t_D_chronic
    )
    if chronic_tt:
        found.append(
            ("tension_type_chronic", ("days_15", "long", "t_30_min", "t_C", "t_D_chronic"))
        )
    definite = with_aura or chronic or without_aura or infrequent or frequent or chronic_tt
    probable_migraine = False
    if not cluster and not definite:
        criteria = _which(("m_A", m_A), ("m_B", m_B), ("m_C", m_C), ("m_D", m_D))
        if len(criteria) == 3:
            probable_migraine = True
        elif aura and more_than_one + aura_C == 1:
            probable_migraine = True
            criteria = _which(("aura", True), ("more_than_one", more_than_one), ("aura_C", aura_C))
        if probable_migraine:
            found.append(("probable_migraine", criteria))
    if not cluster and not definite and not probable_migraine:
        # the subtype is picked by headache days alone; all but one of its four criteria
        if days < 1:
            subtype = [("days_under_1", True), *episodic]
        elif days < 15:
            subtype = [("days_1_to_14", True), ("frequent_A", ten and long_standing)]
            subtype += episodic[1:]
        else:
            subtype = [
                ("days_15", True),
                ("long", long_standing),
                ("t_30_min", t_30_min),
                ("t_C", t_C),
                ("t_D_chronic", t_D_chronic),
            ]
        criteria = _which(*subtype)
        if len(criteria) == 4:  # the days, and 3 of the 4 criteria
            found.append(("probable_tension_type", criteria))
    neck = _which(
        ("neck_movement", a["neck_movement_triggers"] == "yes"),
        ("neck_pressure", a["neck_pressure_reproduces"] == "yes"),
        ("neck_motion", a["reduced_neck_motion"] == "yes" and a["neck_pain"] == "yes"),
    )
    if neck:
        starts_in_neck = a["starts_in_neck"] == "yes"
        where = _which(("same_side", side == "one_side_same"), ("starts_in_neck", starts_in_neck))
        if where:
            found.append(("cervicogenic", neck + where))
    return found


def _pattern(
    pid: str, names: tuple[str, ...], number: int | None, two: bool, answers: dict, tender: bool
) -> dict[str, Any]:
    """The result's object for one pattern found."""
    certainty, summary, source = PATTERNS[pid]
    out: dict[str, Any] = {"id": pid, "certainty": certainty, "source": source, "summary": summary}
    if pid == "cervicogenic":
        out["advice"] = CERVICOGENIC_ADVICE
    if pid in TENSION_TYPE:
        out["pericranial_tenderness"] = tender
    reads: list[str] = []
    for name in names:
        reads.extend(CRITERIA[name][1])
    out["because"] = because(number or 1, two, tuple(reads), answers)
    out["criteria"] = [CRITERIA[name][0] for name in names]
    out["headache"] = number
    return out


# --- dry needling -------------------------------------------------------------------------

CONTRAINDICATIONS = {
    "needle_fear": (
        "You have a strong fear of needles or would not accept them; other treatments can help."
    ),
    "skin_problem_at_site": "No needling over an infection, wound or rash until it has healed.",
}
PRECAUTIONS = {
    "blood_thinners": (
        "Blood thinners or a bleeding disorder raise the risk of bruising and bleeding; tell "
        "the practitioner."
    ),
    "epilepsy": "Epilepsy or a seizure disorder; tell the practitioner.",
    "metal_allergy": "A metal allergy; ask for needles that suit it.",
    "lymphedema": "Lymphoedema; no needling in the affected area.",
    "implanted_device": (
        "An implanted device; needles must stay away from it and electrical stimulation avoided."
    ),
    "diabetes": "Diabetes can slow healing and raise infection risk; tell the practitioner.",
    "immunosuppressed": "A weakened immune system raises infection risk; tell the practitioner.",
    "cancer_history": (
        "A history of cancer; tell the practitioner, who may check with your doctor."
    ),
    "skin_problem_at_site": (
        "You were unsure about a skin problem on the head, neck or shoulders; have it checked "
        "first."
    ),
    "needle_fear_unsure": (
        "You were unsure whether you would accept needles; talk it through before any needling."
    ),
    "pregnancy": (
        "Pregnancy or recent birth; needling needs extra care and some points are avoided."
    ),
    "minor_consent": "Under 18; a parent or guardian must give consent.",
}
TARGETS = {
    "tension_type": (
        "Dry needling has the strongest (still low-quality) evidence for tension-type headache."
    ),
    "cervicogenic": (
        "Dry needling has some evidence for headache that comes from the neck, once a "
        "clinician has examined it."
    ),
    "migraine_add_on": (
        "With tender neck or head muscles, dry needling may help as an add-on to migraine "
        "care; the evidence for migraine is weaker."
    ),
}
REFER_FIRST = (
    "A warning sign was found, so see a doctor first; dry needling is not advised until a "
    "doctor has assessed it."
)
CONTRAINDICATED = "Dry needling is not advised for you at present."
NO_TARGET = (
    "Your answers do not fit a headache pattern for which dry needling has evidence; "
    "self-care or other treatment usually suits better."
)
WITH_PRECAUTIONS = "Dry needling may suit you, with the precautions below."
HEADACHE_WORDS = {1: "your main headache", 2: "your other headache"}


def dry_needling(
    a: dict[str, Any],
    flagged: bool,
    per_view: list[tuple[int, dict[str, Any], set[str]]],
    muscles: bool,
) -> dict[str, Any]:
    """Clinical-logic section 4: contraindications and precautions of the person,
    targets of each headache (its patterns as reported), the recommendation."""
    contra = [qid for qid in CONTRAINDICATIONS if a.get(qid) == "yes"]
    prec = [
        qid
        for qid in (
            "blood_thinners",
            "epilepsy",
            "metal_allergy",
            "lymphedema",
            "implanted_device",
            "diabetes",
            "immunosuppressed",
            "cancer_history",
        )
        if a.get(qid) in ("yes", "unsure")
    ]
    if a.get("skin_problem_at_site") == "unsure":
        prec.append("skin_problem_at_site")
    if a.get("needle_fear") == "unsure":
        prec.append("needle_fear_unsure")
    if a.get("pregnancy") in PREGNANT:
        prec.append("pregnancy")
    if a["age"] < 18:
        prec.append("minor_consent")
    targets: list[str] = []
    target_reasons: list[str] = []
    two = len(per_view) > 1
    for number, view, found in per_view:
        held = []
        if (
            "tension_type_frequent" in found
            or "tension_type_chronic" in found
            or ("probable_tension_type" in found and view["headache_days_per_month"] >= 1)
        ):
            held.append("tension_type")
        if "cervicogenic" in found:
            held.append("cervicogenic")
        if muscles and not MIGRAINE.isdisjoint(found):
            held.append("migraine_add_on")
        for target in held:
            if target not in targets:
                targets.append(target)
            reason = TARGETS[target]
            target_reasons.append(f"For {HEADACHE_WORDS[number]}: {reason}" if two else reason)
    if flagged:
        recommendation, reasons = "refer_first", [REFER_FIRST]
    elif contra:
        recommendation = "not_recommended"
        reasons = [CONTRAINDICATED, *(CONTRAINDICATIONS[qid] for qid in contra)]
    elif targets:
        reasons = target_reasons
        if prec:
            recommendation = "suitable_with_precautions"
            reasons += [WITH_PRECAUTIONS, *(PRECAUTIONS[p] for p in prec)]
        else:
            recommendation = "suitable"
    else:
        recommendation, reasons = "not_recommended", [NO_TARGET]
    return {
        "recommendation": recommendation,
        "reasons": reasons,
        "contraindications": contra,
        "precautions": prec,
        "targets": targets,
    }


# --- one record -----------------------------------------------------------------------------


def _unsure_warnings(answers: dict[str, Any]) -> list[str]:
    return [
        f"'{qid}' was answered unsure, so it cannot count as a warning sign: {advice}"
        for qid, advice in UNSURE_ADVICE.items()
        if answers.get(qid) == "unsure"
    ]


def conclude(values: dict[str, Any], warnings: list[str]) -> tuple[list, dict[str, Any]]:
    """The result of complete answers: its red flags, and the rest of the result."""
    views = views_of(values)
    two = len(views) > 1
    overuse = medication_overuse(values, views[0][2])
    flags = red_flags(values, views, overuse)

    # patterns, per view; chronic migraine on either view excludes every tension type
    tables = [(number, a, patterns_on(a, total)) for number, a, total in views]
    excluded = any(pid == "chronic_migraine" for _, _, found in tables for pid, _ in found)
    tender = values["tender_muscles"] == "yes" or values["neck_pressure_reproduces"] == "yes"
    patterns: list[dict[str, Any]] = []
    per_view: list[tuple[int, dict[str, Any], set[str]]] = []
    for number, a, found in tables:
        reported = [(pid, names) for pid, names in found if not (excluded and pid in TENSION_TYPE)]
        if number == 1 and overuse is not None:  # the person's, in its table place
            place = next(
                (n for n, (pid, _) in enumerate(reported) if pid == "cervicogenic"), len(reported)
            )
            names = ("total_15", "long", "over_3_months", *overuse)
            reported.insert(place, ("medication_overuse", names))
        for pid, names in reported:
            headache = None if pid == "medication_overuse" else number
            patterns.append(_pattern(pid, names, headache, two, values, tender))
        if not found:  # nothing on this view (what the exclusion took counts as found)
            patterns.append(
                {
                    "id": "unclassified",
                    "certainty": None,
                    "source": PATTERNS["unclassified"][2],
                    "summary": PATTERNS["unclassified"][1],
                    "because": {},
                    "criteria": [],
                    "headache": number,
                }
            )
        per_view.append((number, a, {pid for pid, _ in reported}))

    screen = 0
    for _, a, _ in views:  # ID Migraine: the higher score of the two headaches
        score = (
            (a["activity_limited"] == "yes")
            + (a["nausea"] != "none")
            + (a["light_sensitivity"] == "yes")
        )
        screen = max(screen, score)
    level = level_of(flags)
    rest = {
        "triage_level": level,
        "advice": ADVICE[level],
        "red_flags": flags,
        "headache_types": patterns,
        "dry_needling": dry_needling(values, bool(flags), per_view, tender),
        "screens": {"id_migraine": {"positive": screen >= 2, "score": screen, "of": 3}},
        "content": CONTENT,
        "warnings": warnings + _unsure_warnings(values),
        "notice": NOTICE,
    }
    return flags, rest


def partial_flags(present: dict[str, Any]) -> list[dict[str, Any]]:
    """The red flags that fire on the valid answers of an incomplete record."""
    views = views_of(present)
    return red_flags(present, views, medication_overuse(present, views[0][2]))


def describe(missing: list[str], invalid: dict[str, str]) -> str:
    """One sentence naming every missing and invalid answer."""
    parts = []
    if missing:
        noun = "answer" if len(missing) == 1 else "answers"
        parts.append(f"{len(missing)} {noun} missing: {', '.join(missing)}")
    for qid, why in invalid.items():
        parts.append(f"'{qid}' {why}" if why.startswith("must") else f"'{qid}': {why}")
    return "; ".join(parts) if parts else "record cannot be assessed"


def error_object(
    rid: Any,
    source: str,
    message: str,
    missing: list[str] | None = None,
    invalid: dict[str, str] | None = None,
    flags: list[dict[str, Any]] | None = None,
    warnings: list[str] | None = None,
) -> dict[str, Any]:
    """The object of a record that cannot be assessed, with the red flags that
    its valid answers already fire (a partial record never hides a warning sign)."""
    flags = flags or []
    level = level_of(flags)
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "id": rid,
        "source": source,
        "error": {"message": message, "missing": missing or [], "invalid": invalid or {}},
        "red_flags": flags,
        "triage_level_at_least": level,
    }
    if flags:
        out["advice"] = ADVICE[level]
    out["content"] = CONTENT
    out["warnings"] = warnings or []
    out["notice"] = NOTICE
    return out


def record_id(raw: dict[str, Any]) -> tuple[Any, str | None]:
    """The record's `id` (a string or a number) and what is wrong with it, if anything."""
    rid = raw.get("id")
    if rid is None or isinstance(rid, str):
        return rid, None
    if isinstance(rid, int) and not isinstance(rid, bool):
        return rid, None
    if isinstance(rid, float) and math.isfinite(rid):
        return rid, None
    what = {list: "a list", dict: "a mapping", bool: "true or false"}.get(type(rid))
    return None, f"must be a string or a number, not {what or repr(rid)}"


def assess(raw: dict[str, Any], source: str) -> dict[str, Any]:
    """The result object of one record, or its error object."""
    rid, id_problem = record_id(raw)
    values, missing, invalid, warnings, undecided = validate(raw)
    undone: list[str] = []
    if "emergency_undone" in raw:
        try:
            undone = _undone(raw["emergency_undone"])
        except ValueError as exc:
            invalid["emergency_undone"] = str(exc)
    if missing or invalid:
        present = {**values, **undecided} if undecided else values
        flags = partial_flags(present)
        if flags:  # the dry-needling safety questions can wait for the doctor
            missing = [qid for qid in missing if qid not in OPTIONAL]
        if missing or invalid:
            if id_problem:
                invalid = {"id": id_problem, **invalid}
            return error_object(
                rid,
                source,
                describe(missing, invalid),
                missing,
                invalid,
                flags,
                warnings + _unsure_warnings(present),
            )
    flags, rest = conclude(values, warnings)
    if id_problem:
        invalid = {"id": id_problem}
        return error_object(
            rid, source, describe([], invalid), [], invalid, flags, rest["warnings"]
        )
    result = {"schema": SCHEMA, "id": rid, "source": source, **rest}
    if undone:
        result["emergency_undone"] = undone
    return result


# --- reading the file -----------------------------------------------------------------------


class DuplicateKey(ValueError):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return out


def _no_constant(word: str) -> Any:
    raise ValueError(f"{word} is not a number JSON allows")


decode = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_no_constant).decode
encode = json.JSONEncoder(ensure_ascii=False).encode


def lines(path: str) -> Iterator[tuple[int, bytes]]:
    """The numbered lines of a file; a line ends at \\n, \\r\\n or a lone \\r."""
    number = 0
    with open(path, "rb") as f:
        for raw in f:
            # bytes.splitlines ends lines at \n, \r\n and \r alone
            parts = raw.splitlines() if b"\r" in raw else [raw.removesuffix(b"\n")]
            for part in parts:
                number += 1
                if number == 1 and part.startswith(b"\xef\xbb\xbf"):
                    part = part[3:]
                yield number, part


def record_of(path: str, number: int, line: bytes) -> dict[str, Any] | None:
    """The result object of one JSONL line (None for a blank line)."""
    source = f"{path}:{number}"
    if len(line) > MAX_LINE:
        message = "record is larger than 1 MiB (the limit per record)"
        return error_object(source, source, f"{source}: {message}")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (byte 0x{line[exc.start]:02x}); save the file as UTF-8"
        return error_object(source, source, f"{source}:{exc.start + 1}: {message}")
    if not text.strip():
        return None
    try:
        value = decode(text)
    except DuplicateKey as exc:
        key = str(exc)
        places = [m.start() + 1 for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
        if len(places) < 2:  # written with escapes: not found as such
            return error_object(source, source, f"{source}: duplicate key '{key}'")
        where = f"{source}:{places[1]}: duplicate key '{key}' (first given at column {places[0]})"
        return error_object(source, source, where)
    except json.JSONDecodeError as exc:
        return error_object(source, source, f"{source}:{exc.colno}: not valid JSON: {exc.msg}")
    except (ValueError, RecursionError) as exc:
        return error_object(source, source, f"{source}: not valid JSON: {exc}")
    if not isinstance(value, dict):
        if value is None or value == "":
            what = "is empty; expected a mapping of answer ID to value"
        else:
            kind = "a list" if isinstance(value, list) else f"{type(value).__name__} {value!r}"
            what = f"expected a mapping of answer ID to value, not {kind[:80]}"
        return error_object(source, source, f"{source}: {what}")
    return assess(value, source)


def results(path: str) -> Iterator[dict[str, Any]]:
    """The result object of every record of a JSONL file, in order."""
    for number, line in lines(path):
        out = record_of(path, number, line)
        if out is not None:
            yield out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python benchmarks/reference.py FILE.jsonl > out.jsonl", file=sys.stderr)
        return 2
    failed = False
    write = sys.stdout.write
    for out in results(argv[0]):
        failed = failed or "error" in out
        write(encode(out) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
