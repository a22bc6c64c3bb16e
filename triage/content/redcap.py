"""The questionnaire as a REDCap data dictionary (`triage export redcap`).

One row per question after `record_id`, in questionnaire order, each with
REDCap's 18 columns.  Form names are the section IDs.  A yes/no, yes/no/unsure
or choice question is a `radio` field and a `multi` one a `checkbox`, with the
answer codes themselves as REDCap's raw codes, so that a raw export holds what
`triage assess --input-format redcap` reads.  Numbers are `text` fields with
`integer` or `number` validation and their range.

Each ask-if becomes branching logic.  REDCap has no `not`: a negation is
pushed down to the comparisons (De Morgan; `=` and `<>`, `>` and `<=`, ...),
and a numeric test is guarded against a blank answer, which the engine reads
as absent (`[age] <> "" and [age] >= 50`).  A blank answer makes a
comparison false and its negation true, as in the engine.
"""

from __future__ import annotations

import csv
import io
import re
from itertools import combinations

from triage.logic.tree import Compare, Condition, Count, Not, Ref
from triage.model import Content, Question

RECORD_ID_FIELD = "record_id"
HEADER = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
VARIABLE = re.compile(r"[a-z][a-z0-9_]{0,99}")
_YES_NO_LABELS = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
_MOST_TERMS = 200  # an at-least-n-of-m written out as combinations stays this short
_NEGATED = {"=": "<>", "<>": "=", ">": "<=", "<=": ">", ">=": "<", "<": ">="}


def rows(content: Content) -> list[list[str]]:
    """The data dictionary: the header, `record_id`, then one row per question.

    `ValueError` names a question whose ID is not a valid REDCap variable name
    or whose ask-if cannot be written as branching logic.
    """
    first = content.questions.sections[0].id
    out = [list(HEADER), _row(RECORD_ID_FIELD, first, "", "text", "Record ID")]
    questions = content.questions.questions
    for section in content.questions.sections:
        for n, qid in enumerate(section.questions):
            out.append(_question_row(questions[qid], section.title if n == 0 else ""))
    names = [row[0] for row in out[1:]]
    for name in names:
        if not VARIABLE.fullmatch(name) or names.count(name) > 1:
            raise ValueError(
                f"{name}: not a unique REDCap variable name (lower-case letters, digits "
                "and _, starting with a letter, at most 100 characters)"
            )
    return out


def csv_text(content: Content) -> str:
    """The data dictionary as CSV text, as REDCap's Data Dictionary upload reads it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows(content))
    return buffer.getvalue()


def _row(name: str, form: str, header: str, kind: str, label: str, **cells: str) -> list[str]:
    row = dict.fromkeys(HEADER, "")
    row.update(
        {
            HEADER[0]: name,
            HEADER[1]: form,
            HEADER[2]: header,
            HEADER[3]: kind,
            HEADER[4]: label,
        }
    )
    for key, value in cells.items():
        row[HEADER[int(key[1:])]] = value
    return list(row.values())


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _question_row(q: Question, section_header: str) -> list[str]:
    cells: dict[str, str] = {}
    notes = [q.help] if q.help else []
    if q.type in ("yes_no", "yes_no_unsure", "choice", "multi"):
        kind = "checkbox" if q.type == "multi" else "radio"
        labels = dict(q.options) or _YES_NO_LABELS
        cells["c5"] = " | ".join(f"{code}, {labels.get(code, code)}" for code in q.codes)
    else:
        kind = "text"
        cells["c7"] = "integer" if q.type == "integer" else "number"
        low = q.min
        if q.greater_than is not None:
            if q.type == "integer":
                low = int(q.greater_than) + 1
            else:
                notes.append(f"More than {_number(q.greater_than)}.")
        if low is not None:
            cells["c8"] = _number(low)
        if q.max is not None:
            cells["c9"] = _number(q.max)
        if q.unit == "hours":
            notes.append("In hours: 30 minutes is 0.5, 3 days is 72.")
    if notes:
        cells["c6"] = " ".join(notes)
    if q.ask_if is not None:
        cells["c11"] = branching(q.ask_if, q.id)
    if not q.optional_after_red_flag:
        cells["c12"] = "y"
    return _row(q.id, q.section, section_header, kind, q.text, **cells)


def branching(condition: Condition, qid: str = "") -> str:
    """REDCap branching logic that holds exactly when `condition` does."""
    return _logic(condition, False, qid, top=True)


def _join(parts: list[str], word: str, top: bool) -> str:
    if len(parts) == 1:
        return parts[0]
    text = f" {word} ".join(parts)
    return text if top else f"({text})"


def _logic(node: Condition, negated: bool, qid: str, top: bool = False) -> str:
    if isinstance(node, Not):
        return _logic(node.child, not negated, qid, top)
    if isinstance(node, Compare):
        return _compare(node, negated, qid, top)
    if isinstance(node, Count):
        n = len(node.items)
        if node.word == "at_most":
            return _at_least(node.items, node.high + 1, not negated, qid, top)
        if node.word == "exactly":
            parts = [
                _at_least(node.items, node.low, negated, qid),
                _at_least(node.items, node.low + 1, not negated, qid),
            ]
            return _join(parts, "or" if negated else "and", top)
        return _at_least(node.items, min(node.low, n), negated, qid, top)
    what = f"the {node.kind} '{node.name}'" if isinstance(node, Ref) else repr(node)
    raise ValueError(f"{qid}: its ask-if reads {what}; REDCap branching logic compares answers")


def _at_least(
    items: tuple[Condition, ...], k: int, negated: bool, qid: str, top: bool = False
) -> str:
    """At least `k` of `items` hold (or, negated, fewer than `k`: at least n-k+1 fail)."""
    size = len(items) - k + 1 if negated else k
    if size < 1 or size > len(items):
        raise ValueError(f"{qid}: its ask-if always or never holds; leave it out")
    groups = list(combinations(items, size))
    if len(groups) > _MOST_TERMS:
        raise ValueError(f"{qid}: its ask-if is too long to write as REDCap branching logic")
    parts = [
        _join([_logic(c, negated, qid) for c in group], "and", len(groups) == 1 and top)
        for group in groups
    ]
    return _join(parts, "or", top)


def _compare(node: Compare, negated: bool, qid: str, top: bool) -> str:
    q, op, value = node.question, node.op.name, node.value
    field = f"[{q}]"

    def test(sign: str, literal: str) -> str:
        return f"{field} {_NEGATED[sign] if negated else sign} {literal}"

    if op == "includes":
        return test("=", '"1"').replace(field, f"[{q}({value})]")
    if op == "includes_any":
        parts = [test("=", '"1"').replace(field, f"[{q}({code})]") for code in value]
        return _join(parts, "and" if negated else "or", top)
    if op == "eq" and isinstance(value, (tuple, list)):  # a multi answer: exactly these codes
        raise ValueError(f"{qid}: its ask-if compares a whole multi answer; use includes")
    if op == "in":
        return _join([test("=", f'"{code}"') for code in value], "and" if negated else "or", top)
    if op in ("eq", "ne") and isinstance(value, str):
        if op == "eq":
            return test("=", f'"{value}"')
        # given and different; negated: blank or the same
        return _join([test("<>", '""'), test("<>", f'"{value}"')], "or" if negated else "and", top)
    if op == "count_ge":
        raise ValueError(f"{qid}: its ask-if counts the codes of a multi answer")
    bounds = {
        "eq": [("=", value)],
        "ne": [("<>", value)],
        "gt": [(">", value)],
        "ge": [(">=", value)],
        "lt": [("<", value)],
        "le": [("<=", value)],
        "between": [(">=", value[0]), ("<=", value[1])] if op == "between" else [],
    }[op]
    parts = [test("<>", '""')] + [test(sign, _number(v)) for sign, v in bounds]
    return _join(parts, "or" if negated else "and", top)
