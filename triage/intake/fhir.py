"""FHIR R4 QuestionnaireResponses as records (`triage assess`, `--input-format fhir`).

A JSON document or JSONL line whose `resourceType` is `QuestionnaireResponse`
is one record; a `Bundle` is one record per entry, located as `FILE:entry N`.
A response is read against the Questionnaire `triage export fhir` writes for
the content in use, passed in as its JSON (built only when a FHIR resource is
met), and each answer becomes what an answers file holds, so that it goes
through the one validation like any other:

- a `valueCoding` of the item's own code system: its code;
- a `valueInteger` or `valueDecimal`: the number;
- a `valueQuantity` in `h`, `min` or `d` (UCUM): text such as `90 min`, which
  the engine reads in hours;
- the answers of a repeating (multi) item: the list of their codes;
- a `valueString` or `valueBoolean`: the value as it is, with a warning.

Questions are found by `linkId`, at the top or in a group; display items
echoed back are passed over.  The record's `id` is the response's `id`, else
its `identifier.value`.  Whatever cannot be read this way is left out with a
warning naming the item, so that a question asked is then missing, never
guessed.  A response to another questionnaire, or one entered in error, is
an error of its own.  The warnings (listed in docs/fhir.md) are the
record's: `Record.warnings`, which join the result's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from triage.engine.answers import quote
from triage.intake.fhiranswer import NOTHING, answer_value
from triage.intake.record import Record
from triage.model import RECORD_ID
from triage.text import did_you_mean

Questionnaire = Callable[[], Mapping[str, Any]]  # the exported Questionnaire, when first needed
RESPONSE = "QuestionnaireResponse"
FINISHED = ("completed", "amended")
UNFINISHED = ("in-progress", "stopped")
ANY_RESOURCE = f"expected a FHIR {RESPONSE} or a Bundle of them"
NO_READER = "is a FHIR {kind}; only triage assess reads FHIR resources"


@dataclass(frozen=True)
class Response(Record):
    """A record read from FHIR; `batch` is true for an entry of a Bundle.  Its
    `warnings` say what was left out or read with care, each naming the item."""

    batch: bool = False


@dataclass(frozen=True)
class _Form:
    """What reading needs of a Questionnaire: its url and version, its items by linkId."""

    url: str
    version: str
    items: dict[str, Mapping[str, Any]]


_FORM: list[tuple[Mapping[str, Any], _Form]] = []  # the last one indexed


def _form(questionnaire: Mapping[str, Any]) -> _Form:
    if _FORM and _FORM[0][0] is questionnaire:
        return _FORM[0][1]
    items: dict[str, Mapping[str, Any]] = {}
    stack = list(questionnaire.get("item", []))
    while stack:
        item = stack.pop()
        items[item["linkId"]] = item
        stack += item.get("item", [])
    form = _Form(questionnaire["url"], questionnaire["version"], items)
    _FORM[:] = [(questionnaire, form)]
    return form


def responses(where: str, value: Any, questionnaire: Questionnaire | None) -> Iterator[Record]:
    """The records of a parsed FHIR resource found at `where` (a file, or `file:line`)."""
    kind = value.get("resourceType") if isinstance(value, dict) else None
    if questionnaire is None:
        yield _failed(where, NO_READER.format(kind=kind or "resource"))
        return
    form = _form(questionnaire())
    if kind != "Bundle":
        yield _response(where, value, form, False)
        return
    entries = value.get("entry", [])
    if not isinstance(entries, list):
        yield _failed(where, "its 'entry' must be a list of entries, each with a resource")
        return
    for n, entry in enumerate(entries, start=1):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        yield _response(f"{where}:entry {n}", resource, form, True)


def _failed(where: str, message: str, batch: bool = False, rid: Any = None) -> Response:
    """A response that cannot be read, reported under its own id when it has one."""
    usable = isinstance(rid, (str, int, float)) and not isinstance(rid, bool)
    return Response(
        where, error=f"{where}: {message}", fallback_id=rid if usable else where, batch=batch
    )


def _id(resource: Mapping[str, Any]) -> Any:
    """The record's `id`: the response's `id`, else its `identifier.value` (None: neither)."""
    identifier = resource.get("identifier")
    if resource.get("id") is None and isinstance(identifier, dict):
        return identifier.get("value")
    return resource.get("id")


def _what(value: Any) -> str:
    if isinstance(value, dict):
        kind = value.get("resourceType")
        return f"a FHIR {kind}" if isinstance(kind, str) else "an object with no resourceType"
    return {type(None): "nothing", list: "a list"}.get(type(value)) or quote(value)


def _response(where: str, resource: Any, form: _Form, batch: bool) -> Response:
    if not isinstance(resource, dict) or resource.get("resourceType") != RESPONSE:
        expected = f"expected a {RESPONSE}" if batch else ANY_RESOURCE
        return _failed(where, f"{expected}, not {_what(resource)}", batch)
    rid, status = _id(resource), resource.get("status")
    if status == "entered-in-error":
        return _failed(where, "status is 'entered-in-error': not assessed", batch, rid)
    if status is None:
        problem = "has no status; expected completed or amended (in-progress and stopped are read)"
        return _failed(where, problem, batch, rid)
    if status not in FINISHED + UNFINISHED:
        listed = ", ".join(FINISHED + UNFINISHED)
        return _failed(where, f"status {quote(status)} is not one of {listed}", batch, rid)
    warnings: list[str] = []
    if status in UNFINISHED:
        warnings.append(f"status is '{status}', not completed: assessed on the answers it holds")
    expected = f"{form.url}|{form.version}"
    named = resource.get("questionnaire")
    url, _, version = named.partition("|") if isinstance(named, str) else (named, "", "")
    if named is None:
        warnings.append(f"names no questionnaire; read as '{expected}'")
    elif url != form.url:
        problem = f"answers the questionnaire {quote(named)}; expected '{expected}'"
        return _failed(where, problem + ", which triage export fhir writes", batch, rid)
    elif not version:
        warnings.append(f"names no version of the questionnaire; read as '{expected}'")
    elif version != form.version:
        warnings.append(
            f"answers version {quote(version)} of the questionnaire; read as version "
            f"'{form.version}', whose questions may differ"
        )
    reading = _Reading(form, warnings)
    reading.walk(resource.get("item", []), None)
    answers: dict[str, Any] = {} if rid is None else {RECORD_ID: rid}
    answers.update(reading.answers())
    return Response(where, answers=answers, warnings=tuple(warnings), batch=batch)


class _Reading:
    """The items of one response, found by linkId, and what was said about them."""

    def __init__(self, form: _Form, warnings: list[str]) -> None:
        self.form = form
        self.warnings = warnings
        self.found: dict[str, list[Mapping[str, Any]]] = {}

    def walk(self, items: Any, parent: str | None) -> None:
        """Note each question item; `parent` is the question they are nested under."""
        if not isinstance(items, list):
            self.warnings.append(f"{_inside(parent)}'item' is not a list; left out")
            return
        for item in items:
            link = item.get("linkId") if isinstance(item, dict) else None
            if not isinstance(link, str):
                self.warnings.append(f"{_inside(parent)}an item with no linkId is left out")
                continue
            assert isinstance(item, dict)
            known = self.form.items.get(link)
            kind = known.get("type") if known is not None else None
            if parent is not None and kind != "display":
                self.warnings.append(
                    f"item {quote(link)} is nested under '{parent}', where this questionnaire "
                    "has no question; left out"
                )
            elif known is None:
                hint = did_you_mean(link, self.form.items)
                self.warnings.append(
                    f"item {quote(link)} is not in this questionnaire; left out{hint}"
                )
            elif kind in ("display", "group"):
                if item.get("answer"):
                    self.warnings.append(f"item '{link}' is a {kind} and takes no answer; left out")
                if kind == "group":
                    self.walk(item.get("item", []), None)
            else:
                self.found.setdefault(link, []).append(item)
                answers = item.get("answer")
                children = item.get("item")
                nested = list(children) if isinstance(children, list) else [None] * bool(children)
                for answer in answers if isinstance(answers, list) else ():
                    if isinstance(answer, dict) and answer.get("item"):
                        nested += answer["item"] if isinstance(answer["item"], list) else [None]
                if nested:
                    self.walk(nested, link)

    def answers(self) -> dict[str, Any]:
        """The answers read, as an answers file holds them."""
        out: dict[str, Any] = {}
        for link, items in self.found.items():
            if len(items) > 1:
                self.warnings.append(f"item '{link}' is given {len(items)} times; left out")
                continue
            value = answer_value(link, self.form.items[link], items[0].get("answer"), self.warnings)
            if value is not NOTHING:
                out[link] = value
        return out


def _inside(parent: str | None) -> str:
    return f"under '{parent}': " if parent is not None else ""
