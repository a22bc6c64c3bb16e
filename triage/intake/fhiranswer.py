"""One item of a FHIR QuestionnaireResponse as an answers file holds it.

`answer_value` reads an item's answers against the Questionnaire item it
answers (see `triage.intake.fhir`): a `valueCoding` of the item's own code
system gives its code, a number its number, a `valueQuantity` in one of the
item's units text such as `90 min` (which the engine reads in hours), and a
repeating item the list of its codes.  A `valueString` or `valueBoolean` is
passed on as it is, with a warning; anything else is left out with one.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from triage.engine.answers import quote

NOTHING = object()  # no answer read
_EXPECTED = {
    "choice": "valueCoding",
    "integer": "valueInteger",
    "decimal": "valueDecimal",
    "quantity": "valueQuantity",
}


def answer_value(link: str, known: Mapping[str, Any], answers: Any, warnings: list[str]) -> Any:
    """The answers of one item as an answers file holds them, or `NOTHING` (with a
    warning in `warnings` when something was left out)."""
    if answers is None or answers == []:
        return NOTHING
    if not isinstance(answers, list):
        warnings.append(f"item '{link}': 'answer' is not a list; left out")
        return NOTHING
    repeats = bool(known.get("repeats"))
    if len(answers) > 1 and not repeats:
        warnings.append(f"item '{link}' has {len(answers)} answers, but takes one; left out")
        return NOTHING
    values = []
    for answer in answers:
        value = _one(link, known, answer, warnings)
        if value is NOTHING:
            return NOTHING
        values.append(value)
    return values if repeats else values[0]


def _one(link: str, known: Mapping[str, Any], answer: Any, warnings: list[str]) -> Any:
    keys = [key for key in answer if key.startswith("value")] if isinstance(answer, dict) else []
    if len(keys) != 1:
        warnings.append(f"item '{link}': an answer holds one value[x]; left out")
        return NOTHING
    key, kind = keys[0], known.get("type", "")
    value = answer[key]
    expected = _EXPECTED.get(kind, "value of another type")
    if key == "valueCoding" and kind == "choice":
        return _code(link, known, value, warnings)
    if key == "valueQuantity" and kind == "quantity":
        return _duration(link, known, value, warnings)
    if key in ("valueInteger", "valueDecimal") and kind in ("integer", "decimal"):
        return value
    if key in ("valueString", "valueBoolean"):
        warnings.append(
            f"item '{link}': {key} {quote(value)} where a {expected} is expected; "
            "read as an answers file holds it"
        )
        return value
    unit = " (a duration needs its unit: h, min or d)" if kind == "quantity" else ""
    warnings.append(f"item '{link}': {key} where a {expected} is expected{unit}; left out")
    return NOTHING


def _code(link: str, known: Mapping[str, Any], coding: Any, warnings: list[str]) -> Any:
    code = coding.get("code") if isinstance(coding, dict) else None
    if not isinstance(code, str):
        warnings.append(f"item '{link}': valueCoding has no code; left out")
        return NOTHING
    systems = list(dict.fromkeys(_options(known, "answerOption")))
    if coding.get("system") not in systems:
        system = coding.get("system")
        of = f"system {quote(system)}" if system is not None else "no system"
        warnings.append(
            f"item '{link}': code {quote(code)} of {of} is not one this question "
            f"offers; expected a code of '{' or '.join(systems)}'; left out"
        )
        return NOTHING
    return code


def _duration(link: str, known: Mapping[str, Any], quantity: Any, warnings: list[str]) -> Any:
    if not isinstance(quantity, dict):
        quantity = {}
    number, code = quantity.get("value"), quantity.get("code")
    units = _options(known, "extension", unit=True)
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        problem = "has no number"
    elif "comparator" in quantity:
        problem = f"has the comparator {quote(quantity['comparator'])}, so no exact duration"
    elif (quantity.get("system"), code) not in units:
        system = quantity.get("system")
        of = f"of system {quote(system)}" if system is not None else "with no system"
        problem = f"has unit {quote(code)} {of}" if code is not None else "has no unit code"
        codes = ", ".join(unit_code for _, unit_code in units)
        problem += f"; expected one of {codes} of system '{units[0][0]}'"
    else:
        return f"{_plain(number)} {code}"
    warnings.append(f"item '{link}': valueQuantity {problem}; left out")
    return NOTHING


def _options(known: Mapping[str, Any], key: str, unit: bool = False) -> list[Any]:
    """The systems of an item's answer options, or (with `unit`) its units as (system, code)."""
    found: list[Any] = []
    for entry in known.get(key, []):
        coding = entry.get("valueCoding")
        if coding is None or (unit and not entry.get("url", "").endswith("unitOption")):
            continue
        found.append((coding["system"], coding["code"]) if unit else coding["system"])
    return found


def _plain(number: float) -> str:
    """A number in plain digits, as the engine reads a duration (never an exponent)."""
    return str(number) if isinstance(number, int) else format(Decimal(repr(number)), "f")
