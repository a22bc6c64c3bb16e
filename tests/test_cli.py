"""`triage assess`, `validate` and `questions` against the scripting contract.

Each test checks the exit status and the exact message a user sees.  Most run
in-process through typer's runner; a few run `python -m triage` for real.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml
from typer.testing import CliRunner, Result

import triage
from triage.cli import app
from triage.model import Content

from .test_record import ADULT, AGE_130, adult

runner = CliRunner()
NOTICE = (
    "This is not a diagnosis and not a substitute for a doctor or other clinician. In an "
    "emergency, call your local emergency number (such as 999, 112 or 911) now."
)


def run(
    *args: str, input: str | bytes | None = None, env: dict[str, str | None] | None = None
) -> Result:
    return runner.invoke(
        app, list(args), input=input, env=env, prog_name="triage", catch_exceptions=False
    )


def run_process(
    *args: str, input: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "triage", *args],
        input=input,
        capture_output=True,
        timeout=60,
        env=env,
    )
    result = subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )
    assert "Traceback" not in result.stderr
    return result


def cached(factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The content cache of the commands run by a test goes into the session's
    temporary folder (shared by its tests), never into the real home: what
    tests/conftest.py sets up for the whole session already, kept for callers."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(factory.getbasetemp() / "cache"))
    monkeypatch.delenv("TRIAGE_NO_CACHE", raising=False)


# Each test works in its own directory and names files as a user types them.
pytestmark = pytest.mark.usefixtures("here")


def write(name: str, data: str | bytes | dict[str, Any]) -> str:
    if isinstance(data, dict):
        data = yaml.safe_dump(data) if name.endswith((".yaml", ".yml")) else json.dumps(data)
    if isinstance(data, bytes):
        Path(name).write_bytes(data)
    else:
        Path(name).write_text(data, encoding="utf-8")
    return name


def jsonl(*records: dict[str, Any] | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def stderr_lines(result: Result | subprocess.CompletedProcess[str]) -> list[str]:
    return result.stderr.splitlines()


# --- the shape of the output ----------------------------------------------------------


@pytest.mark.parametrize("name", ["one.yaml", "one.yml", "one.json"])
def test_a_single_yaml_or_json_file_gives_one_json_object(name: str) -> None:
    result = run("assess", write(name, {**ADULT, "id": "intake-0042"}))
    assert (result.exit_code, result.stderr) == (0, "")
    out = json.loads(result.stdout)
    assert isinstance(out, dict)
    assert (out["schema"], out["id"], out["triage_level"]) == (
        "triage.result/1",
        "intake-0042",
        "routine",
    )
    assert out["notice"] == NOTICE


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("one.jsonl", jsonl({**ADULT, "id": "only"})),
        (
            "one.csv",
            ",".join(ADULT)
            + ",id\n"
            + ",".join(";".join(v) if isinstance(v, list) else str(v) for v in ADULT.values())
            + ",only\n",
        ),
    ],
)
def test_jsonl_or_csv_give_an_array_even_for_one_record(name: str, text: str) -> None:
    result = run("assess", write(name, text), "--format", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    out = json.loads(result.stdout)
    assert [(o["id"], o["triage_level"]) for o in out] == [("only", "routine")]


def test_several_files_give_an_array_in_order() -> None:
    a = write("a.yaml", {**ADULT, "id": "a"})
    b = write("b.json", {**ADULT, "id": 2})
    result = run("assess", a, b)
    assert result.exit_code == 0
    assert [o["id"] for o in json.loads(result.stdout)] == ["a", 2]


def test_jsonl_output_is_one_object_per_line_in_input_order() -> None:
    a = write("a.yaml", {**ADULT, "id": "a"})
    batch = write("batch.jsonl", jsonl({**ADULT, "id": "b1"}, "{oops", {**ADULT, "id": "b3"}))
    result = run("assess", a, batch, "--format", "jsonl")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "b1", "batch.jsonl:2", "b3"]


def test_an_empty_batch_is_an_empty_array_with_a_warning() -> None:
    result = run("assess", write("none.jsonl", ""))
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "[]\n",
        "none.jsonl: warning: no records\n",
    )


def test_text_format_is_for_people() -> None:
    result = run("assess", write("a.yaml", ADULT), "--format", "text")
    assert result.exit_code == 0
    assert "✓ ROUTINE" in result.stdout
    assert "\x1b" not in result.stdout
    assert " ".join(result.stdout.split("\n\n")[-1].split()) == NOTICE


# --- standard input -------------------------------------------------------------------


def test_stdin_with_a_yaml_mapping_gives_one_object() -> None:
    result = run("assess", "-", input=yaml.safe_dump({**ADULT, "id": 5}))
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert (out["id"], out["source"]) == (5, "<stdin>")


def test_stdin_with_json_lines_gives_an_array() -> None:
    result = run("assess", "-", input=jsonl({**ADULT, "id": 1}, {**ADULT, "id": 2}))
    assert result.exit_code == 0
    assert [o["source"] for o in json.loads(result.stdout)] == ["<stdin>:1", "<stdin>:2"]


def test_input_format_says_what_stdin_holds() -> None:
    result = run("assess", "-", "--input-format", "jsonl", input=jsonl({**ADULT, "id": 1}))
    assert [o["id"] for o in json.loads(result.stdout)] == [1]
    result = run("assess", "-", "--input-format", "csv", input="id,age\np1,40\n")
    assert [o["id"] for o in json.loads(result.stdout)] == ["p1"]
    assert result.exit_code == 1


def test_stdin_can_be_named_only_once() -> None:
    result = run("assess", "-", "-", input="")
    assert result.exit_code == 2
    assert stderr_lines(result)[-1] == (
        "Error: Invalid value for FILE: '-' (standard input) can be given only once"
    )


# --- the record ID and unknown answers -------------------------------------------------


@pytest.mark.parametrize("rid", [[1, 2], True])
def test_an_id_that_is_not_a_string_or_number_is_a_record_error(rid: Any) -> None:
    what = "a list" if isinstance(rid, list) else "true or false"
    result = run("assess", write("a.json", {**ADULT, "id": rid}))
    assert result.exit_code == 1
    assert result.stderr == f"a.json: 'id' must be a string or a number, not {what}\n"
    out = json.loads(result.stdout)
    assert (out["id"], out["error"]["invalid"]) == (
        None,
        {"id": f"must be a string or a number, not {what}"},
    )


def test_unknown_answer_ids_are_ignored_with_a_warning_and_a_did_you_mean() -> None:
    result = run("assess", write("a.yaml", {**ADULT, "agee": 40, "favourite_colour": "red"}))
    assert result.exit_code == 0
    assert stderr_lines(result) == [
        "a.yaml: warning: unknown answer ID 'agee' ignored; did you mean 'age'?",
        "a.yaml: warning: unknown answer ID 'favourite_colour' ignored",
    ]
    assert json.loads(result.stdout)["warnings"] == [
        "unknown answer ID 'agee' ignored; did you mean 'age'?",
        "unknown answer ID 'favourite_colour' ignored",
    ]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "dup.yaml",
            "age: 38\nfever: no\nage: 39\n",
            "dup.yaml:3:1: duplicate key 'age' (first given on line 1)",
        ),
        (
            "dup.json",
            '{"age": 38,\n "age": 39}',
            "dup.json:2:2: duplicate key 'age' (first given at line 1)",
        ),
    ],
)
def test_a_duplicate_key_is_an_error(name: str, text: str, message: str) -> None:
    result = run("assess", write(name, text))
    assert (result.exit_code, result.stderr) == (1, message + "\n")
    out = json.loads(result.stdout)
    assert (out["id"], out["error"]["message"]) == (name, message)


# --- bad answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "invalid"),
    [
        ({"age": 130}, {"age": AGE_130}),
        ({"age": "forty"}, {"age": "must be a whole number from 12 to 120, not 'forty'"}),
        (
            {"nausea": "sever"},
            {"nausea": "unknown code 'sever'; expected one of none, mild, moderate_or_severe"},
        ),
        ({"fever": ["yes"]}, {"fever": "must be yes, no or unsure, not ['yes']"}),
        (
            {"location": ["neck", "knee"]},
            {
                "location": "unknown code 'knee'; expected codes from "
                "forehead, temples, around_eye, top_of_head, back_of_head, neck, whole_head"
            },
        ),
    ],
)
def test_an_invalid_answer_names_the_answer_and_what_is_valid(
    change: dict[str, Any], invalid: dict[str, str]
) -> None:
    result = run("assess", write("a.yaml", {**ADULT, "id": "p", **change}))
    assert result.exit_code == 1
    ((qid, why),) = invalid.items()
    said = f"'{qid}' {why}" if why.startswith("must") else f"'{qid}': {why}"
    assert stderr_lines(result)[0] == f"a.yaml: {said}"
    out = json.loads(result.stdout)
    assert out["error"] == {"message": said, "missing": [], "invalid": invalid}
    assert (out["id"], out["red_flags"], out["triage_level_at_least"]) == ("p", [], "routine")
    assert out["notice"] == NOTICE


def test_missing_answers_are_named_and_a_red_flag_is_never_hidden() -> None:
    result = run(
        "assess", write("a.yaml", {"id": "p", "age": 70, "sex": "male", "neuro_symptoms": "yes"})
    )
    assert result.exit_code == 1
    assert stderr_lines(result) == [
        "a.yaml: 44 answers missing: headache_history, sudden_onset, confusion_or_seizure, "
        "fever, neck_stiffness, non_blanching_rash, head_injury, red_painful_eye and 36 more",
        "a.yaml: even so, the answers given show a warning sign, so at least emergency: "
        "neuro_deficit (emergency)",
    ]
    out = json.loads(result.stdout)
    assert out["error"]["missing"][:2] == ["headache_history", "sudden_onset"]
    assert len(out["error"]["missing"]) == 44
    assert "needle_fear" not in out["error"]["missing"]  # optional once a red flag fires
    assert "blood_thinners" in out["error"]["missing"]
    assert [f["id"] for f in out["red_flags"]] == ["neuro_deficit"]
    assert out["triage_level_at_least"] == "emergency"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "bad.yaml",
            "age: 38\nfever: [no\n",
            "bad.yaml:3:1: not valid YAML: did not find expected ',' or ']'",
        ),
        ("bad.json", '{"age": 38, "fever": no}', "bad.json:1:22: not valid JSON: Expecting value"),
        (
            "list.yaml",
            "- age: 38\n- fever: no\n",
            "list.yaml: expected a mapping of answer ID to value, not a list",
        ),
        ("empty.yaml", "", "empty.yaml: is empty; expected a mapping of answer ID to value"),
        ("empty.json", "", "empty.json: is empty; expected a mapping of answer ID to value"),
        (
            "latin1.yaml",
            "age: 38\nsex: f\xe9male\n".encode("latin-1"),
            "latin1.yaml:2:7: not UTF-8 text (byte 0xe9); save the file as UTF-8",
        ),
        (
            "bomb.yaml",
            'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: [*b,*b]\n',
            "bomb.yaml:1:4: this value is used again through an alias (*name); aliases are not "
            "supported, write the value out",
        ),
        ("missing.yaml", None, "missing.yaml: no such file"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_error_object_named_after_it(
    name: str, data: str | bytes | None, message: str
) -> None:
    if data is not None:
        write(name, data)
    result = run("assess", name)
    assert (result.exit_code, result.stderr) == (1, message + "\n")
    out = json.loads(result.stdout)
    assert (out["id"], out["error"], out["notice"]) == (
        name,
        {"message": message, "missing": [], "invalid": {}},
        NOTICE,
    )


def test_a_directory_among_files_does_not_stop_the_others(here: Path) -> None:
    (here / "answers.yaml").mkdir()
    good = write("good.yaml", {**ADULT, "id": "good"})
    result = run("assess", "answers.yaml", good, "nope.json")
    assert result.exit_code == 1
    assert stderr_lines(result) == [
        "answers.yaml: is a directory, not an answers file",
        "nope.json: no such file",
        "2 of 3 records could not be assessed",
    ]
    out = json.loads(result.stdout)
    assert [o["id"] for o in out] == ["answers.yaml", "good", "nope.json"]
    assert out[1]["triage_level"] == "routine"


def test_scattered_bad_lines_in_a_batch_leave_every_other_record_assessed() -> None:
    batch = write(
        "batch.jsonl",
        jsonl(
            {**ADULT, "id": 1},
            '{"id": 2, "age": 38',
            {**ADULT, "id": 3, "age": 130},
            '["not", "a", "mapping"]',
            {**ADULT, "id": 5, "fever": "maybe"},
            "",
            {**ADULT, "id": 7, "id": 7},  # noqa: F601 - a dict cannot repeat a key; see below
            '{"id": 8, "id": 9}',
            {**ADULT, "id": 9},
        ),
    )
    result = run("assess", batch, "--format", "jsonl")
    assert result.exit_code == 1
    assert stderr_lines(result) == [
        "batch.jsonl:2:20: not valid JSON: Expecting ',' delimiter",
        f"batch.jsonl:3: 'age' {AGE_130}",
        "batch.jsonl:4: expected a mapping of answer ID to value, not a list",
        "batch.jsonl:5: 'fever' must be yes, no or unsure, not 'maybe'",
        "batch.jsonl:8:11: duplicate key 'id' (first given at column 2)",
        "5 of 8 records could not be assessed",
    ]
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["id"], "error" in o) for o in out] == [
        (1, False),
        ("batch.jsonl:2", True),
        (3, True),
        ("batch.jsonl:4", True),
        (5, True),
        (7, False),
        ("batch.jsonl:8", True),
        (9, False),
    ]
    assert all(o["notice"] == NOTICE for o in out)


def test_csv_with_a_bom_multi_values_empty_cells_and_a_row_too_wide() -> None:
    columns = [*ADULT, "aura_types", "id"]
    row = [";".join(v) if isinstance(v, list) else str(v) for v in ADULT.values()]
    text = "\ufeff" + ",".join(columns) + "\n"
    text += ",".join([*row, "", "p1"]) + "\n"
    text += ",".join([*row, "", "p2", "extra"]) + "\n"
    text += ",".join([*row, "", "p3"]) + "\n"
    result = run("assess", write("batch.csv", text))
    assert result.exit_code == 1
    assert stderr_lines(result) == [
        f"batch.csv:3: {len(columns) + 1} cells, but the header names {len(columns)} columns; "
        "quote a cell that holds a comma",
        "1 of 3 records could not be assessed",
    ]
    out = json.loads(result.stdout)
    assert [o["id"] for o in out] == ["p1", "batch.csv:3", "p3"]
    assert out[0]["headache_types"][0]["because"]["location"] == ["forehead", "back_of_head"]
    assert out[0]["warnings"] == []


def test_control_characters_in_answers_never_reach_the_terminal() -> None:
    name = write(
        "esc.json", json.dumps({**ADULT, "sex": "\x1b[2J\x1b[31mred", "\x1b]0;title\x07": 1})
    )
    result = run("assess", name)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    assert stderr_lines(result)[:2] == [
        "esc.json: 'sex': unknown code '\\x1b[2J\\x1b[31mred'; expected one of female, male, other",
        "esc.json: warning: unknown answer ID '\\x1b]0;title\\x07' ignored",
    ]
    assert "\\u001b[2J" in result.stdout  # JSON escapes it; the data itself is kept
    assert json.loads(result.stdout)["error"]["invalid"]["sex"].startswith("unknown code '\x1b")
    text = run("assess", name, "--format", "text").stdout
    assert "\x1b" not in text and "\x07" not in text
    assert "unknown code '\\x1b[2J\\x1b[31mred'" in text


# --- exit status 2: usage and content errors ------------------------------------------


def test_a_bad_option_is_a_usage_error() -> None:
    result = run("assess", write("a.yaml", ADULT), "--format", "xml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert stderr_lines(result)[-1] == (
        "Error: Invalid value for '--format': 'xml' is not one of json, jsonl, csv, text."
    )


def test_no_file_is_a_usage_error() -> None:
    result = run("assess")
    assert result.exit_code == 2
    assert stderr_lines(result)[-1] == "Error: Missing argument 'FILE'."


def test_a_missing_questionnaire_is_a_usage_error() -> None:
    result = run("assess", write("a.yaml", ADULT), "--questions", "nope.yaml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert stderr_lines(result) == [
        "nope.yaml: no such file",
        "1 problem found in the questionnaire or rules",
    ]


def test_a_directory_as_the_rules_is_a_usage_error(here: Path) -> None:
    (here / "rules").mkdir()
    result = run("assess", write("a.yaml", ADULT), "--rules", "rules")
    assert result.exit_code == 2
    assert stderr_lines(result)[-1] == (
        "Error: Invalid value for '--rules': file 'rules' is a directory."
    )


def test_invalid_rules_are_a_usage_error_and_nothing_is_assessed() -> None:
    rules = write("rules.yaml", "version: 1\nnotice: [unclosed\n")
    result = run("assess", write("a.yaml", ADULT), "--rules", rules)
    assert (result.exit_code, result.stdout) == (2, "")
    assert stderr_lines(result) == [
        "rules.yaml:3:1: not valid YAML: did not find expected ',' or ']'",
        "1 problem found in the questionnaire or rules",
    ]


# --- end to end, as a process ----------------------------------------------------------


def test_hostile_yaml_is_refused_nothing_runs_and_the_rest_is_assessed(here: Path) -> None:
    marker = here / "pwned"
    evil = write("evil.yaml", f"age: !!python/object/apply:os.system ['touch {marker}']\n")
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    bomb = write("bomb.yaml", "\n".join(lines) + "\n")
    good = write("good.yaml", {**ADULT, "id": "good"})
    start = time.monotonic()
    done = run_process("assess", evil, bomb, good)
    assert time.monotonic() - start < 30
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "evil.yaml:1:6: the tag '!!python/object/apply:os.system' is not allowed on a list",
        "bomb.yaml:1:4: this value is used again through an alias (*name); aliases are not "
        "supported, write the value out",
        "2 of 3 records could not be assessed",
    ]
    assert [o["id"] for o in json.loads(done.stdout)] == ["evil.yaml", "bomb.yaml", "good"]
    assert not marker.exists()


def test_non_utf8_on_stdin_as_a_process() -> None:
    done = run_process("assess", "-", input=b"age: 38\nsex: \xff\n")
    assert done.returncode == 1
    assert done.stderr == "<stdin>:2:6: not UTF-8 text (byte 0xff); save the file as UTF-8\n"
    assert json.loads(done.stdout)["id"] == "<stdin>"


def test_a_complete_record_as_a_process() -> None:
    done = run_process("assess", write("a.yaml", ADULT))
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["triage_level"] == "routine"


def _blocked_reading(pid: int) -> None:
    """Wait until a process waits on its stdin pipe (or a moment, where /proc is absent)."""
    wchan = Path(f"/proc/{pid}/wchan")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not wchan.exists():
            time.sleep(2)
            return
        if "pipe" in wchan.read_text():
            return
        time.sleep(0.05)


def test_interrupted_is_130() -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "triage", "assess", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _blocked_reading(child.pid)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130
    assert err == "interrupted\n"


def _terminal(args: list[str], env: dict[str, str]) -> str:
    """The bytes a command writes to a real 80-column terminal."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "triage", *args],
        env=env,
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=60,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    return str(child.before)


def test_on_a_terminal_the_default_is_text_and_no_color_is_honoured() -> None:
    path = write("a.yaml", adult(sudden_onset="yes"))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")
    }
    env["TERM"] = "xterm-256color"
    coloured = _terminal(["assess", path], env)
    assert "!!! EMERGENCY" in coloured and "\x1b[" in coloured
    plain = _terminal(["assess", path], {**env, "NO_COLOR": "1"})
    assert "!!! EMERGENCY" in plain and "\x1b" not in plain
    assert max(len(line) for line in plain.splitlines()) <= 80
    piped = run_process("assess", path, env=env)
    assert json.loads(piped.stdout)["triage_level"] == "emergency"


# --- validate ---------------------------------------------------------------------------

MINIMAL_RULES = """\
version: "test"
notice: Not a diagnosis.
levels:
  - {id: emergency, title: Emergency, advice: Call now.}
  - {id: urgent, title: Urgent, advice: Today.}
  - {id: soon, title: Soon, advice: Within two weeks.}
  - {id: routine, title: Routine, advice: No warning signs found.}
facts:
  older: {when: {age: {ge: 50}}, means: aged 50 or over}
red_flags:
  - id: thunderclap
    level: emergancy
    when: sudden_onsett
    summary: Sudden severe headache.
    source: test
  - id: sick
    level: urgent
    when: {nausea: sever}
    summary: Nausea.
    source: test
  - id: older_and_feverish
    level: soon
    when: {all: [older, {fever: {gt: 3}}]}
    summary: Older, with a fever.
    source: test
patterns:
  - {id: unclassified, certainty: null, summary: No pattern., source: test}
dry_needling:
  contraindications: []
  precautions: []
  targets: []
  pericranial_tenderness: tender_muscles
  reasons:
    refer_first: See a doctor first.
    contraindicated: Not advised.
    no_target: No target.
    with_precautions: With precautions.
"""


def test_validate_reports_each_problem_with_file_line_and_column() -> None:
    rules = write("broken.yaml", MINIMAL_RULES)
    result = run("validate", "--rules", rules)
    assert (result.exit_code, result.stdout) == (2, "")
    problems = stderr_lines(result)
    assert problems[:3] == [
        "broken.yaml:12:12: unknown level 'emergancy' for red flag 'thunderclap'; expected one "
        "of emergency, urgent, soon",
        "broken.yaml:13:11: unknown question 'sudden_onsett'; did you mean 'sudden_onset'?",
        "broken.yaml:18:20: unknown answer code 'sever' for 'nausea'; expected one of none, "
        "mild, moderate_or_severe",
    ]
    assert re.fullmatch(r"broken\.yaml:23:\d+: .*'fever'.*", problems[3])
    assert problems[4:] == ["4 problems found in the questionnaire or rules"]


def test_validate_accepts_the_fixed_file() -> None:
    fixed = (
        MINIMAL_RULES.replace("emergancy", "emergency")
        .replace("sudden_onsett", "sudden_onset")
        .replace("sever}", "moderate_or_severe}")
        .replace("{gt: 3}", "'yes'")
    )
    result = run("validate", "--rules", write("fixed.yaml", fixed))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[1:] == [
        "fixed.yaml: version test: 3 red flags, 1 pattern, 1 fact, 0 screens",
        "no problems found",
    ]


def test_validate_the_shipped_content(content: Content) -> None:
    result = run("validate")
    assert (result.exit_code, result.stderr) == (0, "")
    rules = content.rules
    assert result.stdout.splitlines() == [
        f"questions.yaml (shipped): {len(content.questions.questions)} questions in "
        f"{len(content.questions.sections)} sections",
        f"rules.yaml (shipped): version {rules.version}: {len(rules.red_flags)} red flags, "
        f"{len(rules.patterns)} patterns, {len(rules.facts)} facts, 1 screen",
        "no problems found",
    ]


# --- questions ---------------------------------------------------------------------------


def test_questions_table_names_every_question(content: Content) -> None:
    result = run("questions")
    assert result.exit_code == 0
    for qid in content.questions.questions:
        assert re.search(rf"^ {qid} ", result.stdout, re.MULTILINE), qid
    assert "\x1b" not in result.stdout


def test_questions_as_json_lists_every_question(content: Content) -> None:
    result = run("questions", "--format", "json")
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert [q["id"] for q in listed] == list(content.questions.questions)
    age = listed[0]
    assert (age["type"], age["min"], age["max"], age["allowed"]) == (
        "integer",
        12,
        120,
        "a whole number from 12 to 120",
    )
    lines = run("questions", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == listed


def test_the_template_is_yaml_listing_every_question(content: Content) -> None:
    result = run("questions", "--template")
    assert result.exit_code == 0
    blank = yaml.safe_load(result.stdout)
    assert list(blank) == ["id", *content.questions.questions]
    assert set(blank.values()) == {None}


def test_the_template_filled_in_assesses() -> None:
    template = run("questions", "--template").stdout
    filled = re.sub(
        r"^(\w+):$",
        lambda m: (
            f"{m[1]}: {json.dumps(ADULT.get(m[1], 'me'))}"
            if m[1] in ADULT or m[1] == "id"
            else m[0]
        ),
        template,
        flags=re.MULTILINE,
    )
    result = run("assess", write("mine.yaml", filled))
    assert (result.exit_code, result.stderr) == (0, "")
    out = json.loads(result.stdout)
    assert (out["id"], out["triage_level"], out["warnings"]) == ("me", "routine", [])


def test_validate_refuses_a_twin_of_another_type_with_its_place() -> None:
    shipped = (Path(triage.__file__).parent / "questions.yaml").read_text()
    changed = shipped.replace("    side: other_side\n", "    side: other_location\n")
    line = changed.splitlines().index("    side: other_location") + 1
    result = run("validate", "--questions", write("questions.yaml", changed))
    assert result.exit_code == 2
    assert stderr_lines(result) == [
        f"questions.yaml:{line}:11: twin 'other_location' differs from 'side' in type, codes, "
        "min_items; a twin has the same type, codes and range as its pair",
        "1 problem found in the questionnaire or rules",
    ]


# --- issue 10: emergency_undone in answers files, -h, --version --------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.yaml", {**ADULT, "emergency_undone": ["sudden_onset"]}),
        ("a.json", {**ADULT, "emergency_undone": ["sudden_onset"]}),
        ("a.csv", ",".join([*ADULT, "emergency_undone"]) + "\n"),
    ],
)
def test_assess_reads_emergency_undone_back_and_never_as_an_answer(
    name: str, data: dict[str, Any] | str
) -> None:
    if isinstance(data, str):
        cells = [";".join(v) if isinstance(v, list) else str(v) for v in ADULT.values()]
        data += ",".join([*cells, "sudden_onset"]) + "\n"
    result = run("assess", write(name, data), "--format", "jsonl")
    assert (result.exit_code, result.stderr) == (0, "")
    (out,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert out["emergency_undone"] == ["sudden_onset"]
    assert out["warnings"] == []
    assert "emergency_undone" not in out.get("answers", {})


def test_a_bad_emergency_undone_is_an_invalid_answer_of_the_record() -> None:
    result = run("assess", write("a.yaml", {**ADULT, "id": "p", "emergency_undone": ["age_"]}))
    assert result.exit_code == 1
    why = "unknown question ID 'age_'; did you mean 'age'?"
    assert stderr_lines(result) == [f"a.yaml: 'emergency_undone': {why}"]
    out = json.loads(result.stdout)
    assert out["error"]["invalid"] == {"emergency_undone": why}


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (["-h"], "Usage: triage [OPTIONS] COMMAND [ARGS]..."),
        (["assess", "-h"], "Usage: triage assess [OPTIONS] {FILE}..."),
        (["check", "-h"], "Usage: triage check [OPTIONS]"),
        (["validate", "-h"], "Usage: triage validate [OPTIONS]"),
        (["questions", "-h"], "Usage: triage questions [OPTIONS]"),
    ],
)
def test_h_is_help_everywhere(args: list[str], usage: str) -> None:
    result = run(*args)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == usage
    assert "-h, --help" in result.stdout
    assert result.stdout == run(*args[:-1], "--help").stdout


def test_assess_h_is_help_on_the_quick_way_in_too() -> None:
    done = run_process("assess", "-h")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == "Usage: triage assess [OPTIONS] {FILE}..."


def test_version_names_the_program_and_the_content() -> None:
    result = run("--version")
    version = triage.load().rules.version
    assert (result.exit_code, result.stdout) == (
        0,
        f"triage {triage.__version__} (content {version})\n",
    )
    assert run_process("--version").stdout == result.stdout


def test_validate_shows_a_version_from_the_rules_escaped() -> None:
    shipped = (Path(triage.__file__).parent / "rules.yaml").read_text()
    changed = shipped.replace('version: "2026.12.0"', 'version: "2026\\e[31m.12.0"')
    result = run("validate", "--rules", write("rules.yaml", changed))
    assert result.exit_code == 0
    assert "version 2026\\x1b[31m.12.0:" in result.stdout
    assert "\x1b" not in result.stdout


# --- a hostile id in check, exit statuses, help, unexpected errors ---------------------------


def test_check_with_a_huge_number_id_gives_its_result_and_echoes_the_id(here: Path) -> None:
    from .scenarios import vignettes

    huge = "1" + "0" * 400
    text = json.dumps({"id": 0, **vignettes()[0].answers}).replace('"id": 0', f'"id": {huge}')
    write("answers.json", text)
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm-256color"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "triage", "check", "--answers", "answers.json", "--output", "out.json"],
        env=env,
        encoding="utf-8",
        dimensions=(40, 100),
        timeout=60,
    )
    child.expect("Review your answers")  # every answer read: the id was not refused
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert "Traceback" not in (child.before or "")
    assert child.exitstatus == 0
    assert json.loads(Path("out.json").read_text())["id"] == int(huge)


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        # assess: an answers file is one more input of the batch (the scripting contract)
        (["assess", "nonexist.csv"], 1, "nonexist.csv: no such file"),
        (["assess", "."], 1, ".: is a directory, not an answers file"),
        # the others: a file that cannot be used stops the command before it starts
        (["check", "--answers", "nonexist.yaml"], 2, None),
        (["report", "nonexist.json"], 2, "error: nonexist.json: no such file"),
        (["validate", "--rules", "nonexist.yaml"], 2, None),
    ],
)
def test_a_named_file_that_cannot_be_read_exits_as_the_readme_says(
    args: list[str], status: int, message: str | None
) -> None:
    done = run_process(*args)
    assert done.returncode == status
    if message is not None:
        assert done.stderr.splitlines()[0] == message


def test_assess_help_names_its_files_plainly() -> None:
    shown = run("assess", "--help").stdout
    assert "<list[str]>" not in shown
    row = next(line for line in shown.splitlines() if line.strip().startswith("FILE"))
    assert row.split()[0] == "FILE..."
    for command, name in (("report", "RESULT.json"), ("export", "FORMAT")):
        rows = run(command, "--help").stdout.splitlines()
        assert not next(r for r in rows if r.strip().startswith(name)).split()[1].startswith("<")


def test_an_unexpected_exception_is_one_line_a_pointer_to_report_it_and_70() -> None:
    # `main` given an argument that is not text: nothing in the program expects that
    code = "from triage.cli import main; main(['assess', None])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (70, "")
    assert done.stderr == (
        "triage: internal error: AttributeError: 'NoneType' object has no attribute "
        "'startswith'; please report this at the project's issue tracker with the command "
        "you ran\n"
    )


def test_the_readme_lists_every_exit_status() -> None:
    from triage.errors import ExitStatus

    readme = (Path(triage.__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Exit statuses\n", 1)[1].split("\n## ", 1)[0]
    listed = {int(m) for m in re.findall(r"^\| `(\d+)` \|", section, re.MULTILINE)}
    assert listed == {int(status) for status in ExitStatus}


# --- issue 12, item 17: validate reports both files' problems in one run ---------------------

BROKEN_QUESTIONS_LINE = "    side: other_location"


def _broken_questions() -> tuple[str, int]:
    """The shipped questionnaire with one problem (a twin of another type), and its line."""
    shipped = (Path(triage.__file__).parent / "questions.yaml").read_text()
    changed = shipped.replace("    side: other_side\n", BROKEN_QUESTIONS_LINE + "\n")
    return write("bad-q.yaml", changed), changed.splitlines().index(BROKEN_QUESTIONS_LINE) + 1


def test_validate_reports_the_problems_of_both_files_in_one_run() -> None:
    questions, line = _broken_questions()
    rules = write("bad-r.yaml", MINIMAL_RULES)
    result = run("validate", "--questions", questions, "--rules", rules)
    assert (result.exit_code, result.stdout) == (2, "")
    problems = stderr_lines(result)
    assert problems[:4] == [
        f"bad-q.yaml:{line}:11: twin 'other_location' differs from 'side' in type, codes, "
        "min_items; a twin has the same type, codes and range as its pair",
        "bad-r.yaml:12:12: unknown level 'emergancy' for red flag 'thunderclap'; expected one "
        "of emergency, urgent, soon",
        "bad-r.yaml:13:11: unknown question 'sudden_onsett'; did you mean 'sudden_onset'?",
        "bad-r.yaml:18:20: unknown answer code 'sever' for 'nausea'; expected one of none, "
        "mild, moderate_or_severe",
    ]
    assert re.fullmatch(r"bad-r\.yaml:23:\d+: .*'fever'.*", problems[4])
    assert problems[5:] == ["5 problems found in the questionnaire or rules"]


QUESTIONS_WITH_A_LOST_QUESTION = """\
sections:
  - id: s
    title: S
    questions:
      - {id: age, type: integr, text: Age?, min: 12, max: 120}
      - {id: nausea, type: choice, text: Nausea?, options: {none: None, mild: Mild}}
"""
RULES_READING_IT = """\
version: "1"
notice: Not a diagnosis.
levels:
  - {id: emergency, title: E, advice: Now.}
  - {id: urgent, title: U, advice: Today.}
  - {id: soon, title: S, advice: Soon.}
  - {id: routine, title: R, advice: Fine.}
facts:
  old: {when: {age: {ge: 50}}}
red_flags:
  - {id: hot, level: urgnt, when: {all: [old, {nausea: sever}]}, summary: s, source: s}
  - {id: cold, level: soon, when: {agee: {ge: 50}}, summary: s, source: s}
patterns:
  - {id: unclassified, certainty: null, summary: s, source: s}
dry_needling:
  contraindications: []
  precautions: []
  targets: []
  pericranial_tenderness: {nausea: mild}
  reasons: {refer_first: a, contraindicated: b, no_target: c, with_precautions: d}
"""


def test_a_question_the_questionnaire_could_not_read_is_no_problem_of_the_rules() -> None:
    """`age` has an unknown type, so the questionnaire holds no `age`: the rules that
    read it are not blamed for it; every other problem of the rules is reported,
    a near miss of a question (`agee`) and a code the questionnaire does not have."""
    questions = write("q.yaml", QUESTIONS_WITH_A_LOST_QUESTION)
    rules = write("r.yaml", RULES_READING_IT)
    result = run("validate", "--questions", questions, "--rules", rules)
    assert (result.exit_code, result.stdout) == (2, "")
    assert stderr_lines(result) == [
        "q.yaml:5:25: unknown type 'integr' for 'age'; expected one of yes_no, "
        "yes_no_unsure, integer, number, choice, multi",
        "r.yaml:11:22: unknown level 'urgnt' for red flag 'hot'; expected one of emergency, "
        "urgent, soon",
        "r.yaml:11:56: unknown answer code 'sever' for 'nausea'; expected one of none, mild",
        "r.yaml:12:36: unknown question 'agee'; expected a question ID or fact or one of all, "
        "any, not, pattern, fact, at_least, at_most, exactly",
        "4 problems found in the questionnaire or rules",
    ]


@pytest.mark.parametrize(
    ("questions", "problem"),
    [
        ("sections: [", "q.yaml:2:1: "),
        ("version: 1\n", "q.yaml:1:1: the questionnaire q.yaml "),
    ],
)
def test_a_questionnaire_that_cannot_be_read_still_has_its_rules_checked(
    questions: str, problem: str
) -> None:
    """With no questionnaire, no question the rules name can be checked; the rest is."""
    rules = write("r.yaml", RULES_READING_IT)
    result = run("validate", "--questions", write("q.yaml", questions), "--rules", rules)
    assert (result.exit_code, result.stdout) == (2, "")
    lines = stderr_lines(result)
    assert lines[0].startswith(problem)
    assert lines[1:] == [
        "r.yaml:11:22: unknown level 'urgnt' for red flag 'hot'; expected one of emergency, "
        "urgent, soon",
        "2 problems found in the questionnaire or rules",
    ]


def test_a_missing_rules_file_is_reported_with_a_broken_questionnaire() -> None:
    questions, _ = _broken_questions()
    result = run("validate", "--questions", questions, "--rules", "nonexist.yaml")
    assert result.exit_code == 2
    assert stderr_lines(result)[1:] == [
        "nonexist.yaml: no such file",
        "2 problems found in the questionnaire or rules",
    ]
