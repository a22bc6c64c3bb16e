"""REDCap: the data dictionary `triage export redcap` writes, its branching
logic against the engine's ask-ifs, and raw exports read by `--input-format redcap`."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from triage.cli import app
from triage.content import redcap
from triage.engine.answers import parse_answer
from triage.engine.validate import asked, is_asked
from triage.intake import read as records
from triage.logic.operators import OPERATORS
from triage.logic.tree import Compare, Condition, Not, all_of, any_of, count_of
from triage.model import Content, Question

from .strategies import answer_sets, boundary_numbers, parsed, thresholds

VIGNETTES = Path(__file__).parent / "vignettes"
runner = CliRunner()
HEADER = [
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
]


def run(*args: str) -> Any:
    return runner.invoke(app, list(args), prog_name="triage", catch_exceptions=False)


def dictionary(content: Content) -> list[list[str]]:
    return list(csv.reader(io.StringIO(redcap.csv_text(content))))


# --- a small evaluator of REDCap branching logic ------------------------------

_TOKEN = re.compile(
    r'\s*(\[[a-z0-9_]+(?:\([a-z0-9_]+\))?\]|"[^"]*"|-?\d+(?:\.\d+)?|<>|>=|<=|=|>|<|\(|\)|and\b|or\b)'
)
Values = Mapping[str, str]


def _tokens(logic: str) -> list[str]:
    out, at = [], 0
    while at < len(logic.rstrip()):
        found = _TOKEN.match(logic, at)
        assert found, f"cannot read {logic[at:]!r}"
        out.append(found.group(1))
        at = found.end()
    return out


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _compare(left: str, sign: str, right: str) -> bool:
    a, b = _number(left), _number(right)
    if a is not None and b is not None:
        pair: tuple[Any, Any] = (a, b)
    elif sign in ("=", "<>"):
        pair = (left, right)
    else:
        return False  # REDCap: an ordering needs two numbers
    return bool(
        {
            "=": pair[0] == pair[1],
            "<>": pair[0] != pair[1],
            ">": pair[0] > pair[1],
            ">=": pair[0] >= pair[1],
            "<": pair[0] < pair[1],
            "<=": pair[0] <= pair[1],
        }[sign]
    )


def evaluate(logic: str, values: Values) -> bool:
    """Whether branching logic holds; blank fields are empty strings."""
    tokens = _tokens(logic)
    at = 0

    def operand() -> str:
        nonlocal at
        token = tokens[at]
        at += 1
        if token.startswith("["):
            return values.get(token[1:-1], "")
        return token[1:-1] if token.startswith('"') else token

    def primary() -> bool:
        nonlocal at
        if tokens[at] == "(":
            at += 1
            value = disjunction()
            assert tokens[at] == ")"
            at += 1
            return value
        left = operand()
        sign = tokens[at]
        at += 1
        return _compare(left, sign, operand())

    def conjunction() -> bool:
        nonlocal at
        value = primary()
        while at < len(tokens) and tokens[at] == "and":
            at += 1
            value = primary() and value
        return value

    def disjunction() -> bool:
        nonlocal at
        value = conjunction()
        while at < len(tokens) and tokens[at] == "or":
            at += 1
            value = conjunction() or value
        return value

    result = disjunction()
    assert at == len(tokens), f"left over in {logic!r}: {tokens[at:]}"
    return result


def redcap_values(content: Content, answers: Mapping[str, Any]) -> dict[str, str]:
    """What a REDCap project holds for parsed answers (checkboxes as `field(code)`)."""
    values: dict[str, str] = {}
    for q in content.questions:
        value = answers.get(q.id)
        if q.type == "multi":
            for code in q.codes:
                values[f"{q.id}({code})"] = "1" if value and code in value else "0"
        elif value is not None:
            values[q.id] = str(value)
    return values


def shown(content: Content, values: Values) -> list[str]:
    return [row[0] for row in dictionary(content)[2:] if not row[11] or evaluate(row[11], values)]


# --- the dictionary -----------------------------------------------------------


def test_the_header_is_redcaps_and_every_row_has_18_cells(content: Content) -> None:
    rows = dictionary(content)
    assert rows[0] == HEADER == list(redcap.HEADER)
    assert all(len(row) == 18 for row in rows)
    assert rows[1][:5] == ["record_id", "about", "", "text", "Record ID"]
    assert [row[0] for row in rows[2:]] == [q.id for q in content.questions]


def test_variable_names_are_unique_and_valid(content: Content) -> None:
    names = [row[0] for row in dictionary(content)[1:]]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) and len(name) <= 100 for name in names)


def test_fields_follow_the_question_types(content: Content) -> None:
    by_name = {row[0]: row for row in dictionary(content)[1:]}
    section_of = {q.id: q.section for q in content.questions}
    for q in content.questions:
        row = by_name[q.id]
        assert row[1] == section_of[q.id]
        if q.type == "multi":
            assert row[3] == "checkbox"
        elif q.type in ("integer", "number"):
            assert (row[3], row[7]) == ("text", q.type)
        else:
            assert row[3] == "radio"
            codes = [choice.split(", ", 1)[0] for choice in row[5].split(" | ")]
            assert codes == list(q.codes)
    assert by_name["age"][7:10] == ["integer", "12", "120"]
    assert by_name["sex"][5].startswith("female, Female | male, Male | ")
    assert "In hours" in by_name["attack_duration_hours"][6]
    assert by_name["jaw_or_scalp_pain"][11] == '[age] <> "" and [age] >= 50'


def test_branching_logic_shows_exactly_the_questions_triage_asks(content: Content) -> None:
    """Whole records: the fields REDCap shows are the questions triage asks, in order.
    Each field's logic at its edges is checked one by one below; this checks them
    together, on records that follow the questionnaire's paths."""
    rows = dictionary(content)[2:]
    logic = [(row[0], row[11]) for row in rows]

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(raw=answer_sets(content))
    def check(raw: dict[str, Any]) -> None:
        answers = parsed(content, raw)
        values = redcap_values(content, answers)
        redcap_shows = [qid for qid, when in logic if not when or evaluate(when, values)]
        assert redcap_shows == [q.id for q in asked(content, answers)]

    check()


def _edges(question: Question, compared: set[float]) -> list[Any]:
    """No answer, and parsed answers at the edges: every choice, no box / each box /
    every box ticked, numbers at and either side of each one compared and each end."""
    if question.type in ("integer", "number"):
        given: list[Any] = list(boundary_numbers(question, compared))
    elif question.type == "multi":
        given = [[], *([code] for code in question.codes), list(question.codes)]
    else:
        given = list(question.codes)
    edges: list[Any] = [None]
    for value in given:
        try:
            edges.append(parse_answer(question, value))
        except ValueError:  # fewer boxes than the question needs ticked
            continue
    return edges


def test_each_fields_branching_logic_is_its_ask_if_at_every_edge(content: Content) -> None:
    """Every field with branching logic, on every combination of no answer and the
    edge answers of the questions its ask-if reads: REDCap shows it exactly when
    triage asks it (an ordering on a blank field does not hold, in both)."""
    questions = content.questions.questions
    compared = thresholds(content)
    logic = {row[0]: row[11] for row in dictionary(content)[2:]}
    checked = 0
    for question in content.questions:
        if question.ask_if is None:
            assert not logic[question.id]
            continue
        reads = sorted(question.ask_if.reads)
        edges = [_edges(questions[qid], compared.get(qid, set())) for qid in reads]
        for combination in itertools.product(*edges):
            answers = {qid: v for qid, v in zip(reads, combination, strict=True) if v is not None}
            shows = evaluate(logic[question.id], redcap_values(content, answers))
            assert shows == is_asked(content, question, answers), (question.id, answers)
            checked += 1
    assert checked > 200  # the numbers at the edges of age and painkiller days, among others


def _negations(content: Content) -> list[Condition]:
    age = Compare("age", OPERATORS["ge"], 50)
    female = Compare("sex", OPERATORS["eq"], "female")
    other = Compare("sex", OPERATORS["ne"], "male")
    history = Compare("headache_history", OPERATORS["in"], ("months", "years"))
    between = Compare("age", OPERATORS["between"], (40, 60))
    temples = Compare("location", OPERATORS["includes"], "temples")
    neck = Compare("location", OPERATORS["includes_any"], ("neck", "forehead"))
    items = (age, female, temples, Not(history))
    return [
        Not(age),
        Not(all_of((female, Not(age)))),
        Not(any_of((other, between, temples))),
        Not(Not(neck)),
        count_of("at_least", 2, items),
        Not(count_of("at_least", 2, items)),
        count_of("at_most", 1, items),
        Not(count_of("exactly", 2, items)),
        Not(Compare("age", OPERATORS["ne"], 50)),
        Compare("age", OPERATORS["lt"], 30),
    ]


@pytest.mark.parametrize("index", range(10))
def test_negation_is_pushed_down_to_comparisons(content: Content, index: int) -> None:
    from triage.engine.closures import Linker

    condition = _negations(content)[index]
    logic = redcap.branching(condition)
    assert "not" not in logic
    test = Linker({}).test(condition)
    questions = content.questions.questions
    ages: list[int | None] = [None, 29, 30, 40, 49, 50, 51, 60, 61]
    for age in ages:
        for sex in (None, "female", "male", "other"):
            for history in (None, "days", "months"):
                for location in (None, ("temples",), ("neck", "temples"), ("forehead",)):
                    raw = {"age": age, "sex": sex, "headache_history": history}
                    answers = {k: v for k, v in raw.items() if v is not None}
                    if location:
                        answers["location"] = parse_answer(questions["location"], list(location))
                    values = redcap_values(content, answers)
                    assert evaluate(logic, values) == test(answers, []), (logic, answers)


def test_an_ask_if_naming_a_fact_is_refused() -> None:
    from triage.logic.tree import Ref

    with pytest.raises(ValueError, match="q: its ask-if reads the fact 'thunderclap'"):
        redcap.branching(Not(Ref("fact", "thunderclap")), "q")


def test_export_redcap_writes_stdout_and_a_file(content: Content, tmp_path: Path) -> None:
    result = run("export", "redcap")
    assert result.exit_code == 0
    assert result.stdout == redcap.csv_text(content)
    target = tmp_path / "dictionary.csv"
    assert run("export", "redcap", "--output", str(target)).exit_code == 0
    assert target.read_text() == redcap.csv_text(content)


# --- raw exports --------------------------------------------------------------

EXPORTED = ("v01", "v06", "v08", "v16", "v29")


def _vignette(prefix: str) -> dict[str, Any]:
    path = next(VIGNETTES.glob(f"{prefix}-*.yaml"))
    answers: dict[str, Any] = yaml.safe_load(path.read_text())["answers"]
    return answers


def raw_export(content: Content, people: list[tuple[str, str, str, str, dict[str, Any]]]) -> str:
    """A raw REDCap export of (record_id, event, repeat instrument, instance, answers)."""
    header = [
        "record_id",
        "redcap_event_name",
        "redcap_repeat_instrument",
        "redcap_repeat_instance",
    ]
    for section in content.questions.sections:
        for qid in section.questions:
            q = content.questions.questions[qid]
            header += [f"{qid}___{c}" for c in q.codes] if q.type == "multi" else [qid]
        header.append(f"{section.id}_complete")
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(header)
    for record_id, event, instrument, instance, raw in people:
        answers = parsed(content, raw)
        row = [record_id, event, instrument, instance]
        for section in content.questions.sections:
            for qid in section.questions:
                q = content.questions.questions[qid]
                value = answers.get(qid)
                if q.type == "multi":
                    row += ["1" if value and c in value else "0" for c in q.codes]
                else:
                    row.append("" if value is None else str(value))
            row.append("2" if raw else "0")
        out.writerow(row)
    return buffer.getvalue()


def test_a_raw_export_gives_the_results_of_the_same_answers_as_jsonl(
    content: Content, tmp_path: Path
) -> None:
    people = [
        (str(n), "baseline_arm_1", "", "", _vignette(prefix))
        for n, prefix in enumerate(EXPORTED, start=1)
    ]
    # a second visit of record 5, as a repeat instance, and an event with no form filled
    people += [
        ("5", "follow_up_arm_1", "headache_forms", "2", _vignette("v04")),
        ("5", "follow_up_arm_1", "", "", {}),
    ]
    export = tmp_path / "export.csv"
    export.write_text(raw_export(content, people), encoding="utf-8")
    jsonl = tmp_path / "same.jsonl"
    jsonl.write_text(
        "".join(json.dumps({"id": rid, **raw}) + "\n" for rid, *_, raw in people if raw)
    )
    by_redcap = run("assess", str(export), "--input-format", "redcap", "--format", "json")
    by_jsonl = run("assess", str(jsonl), "--format", "json")
    assert by_redcap.exit_code == by_jsonl.exit_code == 0, by_redcap.stderr
    got, want = json.loads(by_redcap.stdout), json.loads(by_jsonl.stdout)
    assert [r["source"] for r in got] == [f"{export}:{n}" for n in range(2, 8)]
    for left, right in zip(got, want, strict=True):
        del left["source"], right["source"]
    assert got == want
    assert got[4]["id"] == got[5]["id"] == "5"
    two = {(t["id"], t["headache"]) for t in want[4]["headache_types"] if t.get("headache")}
    assert len({headache for _, headache in two}) == 2  # v29 has a second headache


LABELS = "Record ID,Event Name,How old are you?,Complete?\n1,Baseline (Arm 1: Arm 1),40,Complete\n"


def test_a_label_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(LABELS)
    _, found = records.read(str(path), "redcap")
    assert [r.error for r in found] == [
        f"{path}:1: is a REDCap export with labels in the header ('Record ID'), not variable "
        "names; export the data from REDCap as 'CSV / Microsoft Excel (raw data)'"
    ]


def test_label_cells_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("record_id,age,location___neck,about_complete\n1,40,Checked,Complete\n")
    _, found = records.read(str(path), "redcap")
    assert [r.error for r in found] == [
        f"{path}:2: is a REDCap export with labels in its cells ('Checked' in column "
        "'location___neck'), not raw codes; export the data from REDCap as "
        "'CSV / Microsoft Excel (raw data)'"
    ]


def test_checkboxes_fold_into_one_multi_answer(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "record_id,redcap_event_name,age,location___neck,location___temples,about_complete\n"
        "7,baseline_arm_1,40,1,1,2\n"
        "8,baseline_arm_1,,0,0,0\n"
        "9,baseline_arm_1,33,0,0,1\n"
    )
    _, found = records.read(str(path), "redcap")
    assert [(r.source, r.answers) for r in found] == [
        (f"{path}:2", {"id": "7", "age": "40", "location": ["neck", "temples"]}),
        (f"{path}:4", {"id": "9", "age": "33"}),
    ]


def test_assess_takes_redcap_as_an_input_format() -> None:
    result = run("assess", "-", "--input-format", "xml")
    assert "yaml, json, jsonl, csv, redcap" in result.output
