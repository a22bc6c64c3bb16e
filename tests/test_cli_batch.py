"""`triage assess` on batches: streaming, CSV, --output, --jobs, --fail-on, --summary."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from triage.results.batch import CHUNK, IN_FLIGHT

from .conftest import Feed, until_written
from .scenarios import vignettes
from .test_cli import run, run_process, stderr_lines, write

VIGNETTES = vignettes()
GOOD = [v.answers for v in VIGNETTES if v.expect["triage_level"] != "emergency"][:5]
BY_NAME = {v.name: v.answers for v in VIGNETTES}
TWO_HEADACHES = BY_NAME["v29-migraine-and-on-other-days-tension-type-headache"]
OVERUSE = BY_NAME["v12-chronic-migraine-with-triptan-overuse"]
BAD_LINES = [
    '{"id": "broken", "age": ',  # not JSON
    '["not", "a", "mapping"]',
    '{"id": "old", "age": "old"}',
]


pytestmark = pytest.mark.usefixtures("here")


def jsonl(path: str, count: int, bad_every: int = 0) -> list[str]:
    """Write `count` records (a bad one every `bad_every`); return each line's kind."""
    kinds = []
    with open(path, "w", encoding="utf-8") as out:
        for n in range(count):
            if bad_every and n % bad_every == bad_every - 1:
                kinds.append("bad")
                out.write(BAD_LINES[n % len(BAD_LINES)] + "\n")
            else:
                kinds.append("good")
                out.write(json.dumps({"id": f"r{n}", **GOOD[n % len(GOOD)]}) + "\n")
    return kinds


def results(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


# --- a large batch ----------------------------------------------------------------------


# two chunks of `results.batch.CHUNK` more than two workers hold at once, so that each
# worker is handed a chunk after the first ones came back
RECORDS = (2 * IN_FLIGHT + 2) * CHUNK


def test_a_large_batch_with_bad_records_keeps_order_and_is_the_same_over_two_jobs() -> None:
    """Load figures are measured by benchmarks/bench.py; this proves order and identity."""
    assert RECORDS > 2 * CHUNK * IN_FLIGHT
    kinds = jsonl("big.jsonl", RECORDS, bad_every=97)
    command = [sys.executable, "-m", "triage", "assess", "big.jsonl", "--format", "jsonl"]
    running = [  # both at once, to keep the suite quick
        subprocess.Popen([*command, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for extra in ([], ["--jobs", "2"])
    ]
    (out_one, err_one), (out_two, _) = (child.communicate(timeout=600) for child in running)
    assert [child.returncode for child in running] == [1, 1]
    assert out_one == out_two
    assert b"Traceback" not in err_one
    out = results(out_one.decode())
    assert len(out) == len(kinds) == RECORDS
    for n, (kind, obj) in enumerate(zip(kinds, out, strict=True)):
        assert ("error" in obj) is (kind == "bad"), n
        assert obj["source"] == f"big.jsonl:{n + 1}"
        if kind == "good":
            assert obj["id"] == f"r{n}"
    bad = kinds.count("bad")
    assert err_one.decode().splitlines()[-1] == (
        f"{bad} of {RECORDS} records could not be assessed"
    )


def test_jobs_gives_the_same_output_on_a_small_batch_too() -> None:
    jsonl("small.jsonl", 30, bad_every=7)
    one = run("assess", "small.jsonl", "--format", "jsonl")
    three = run_process("assess", "small.jsonl", "--format", "jsonl", "-j", "3")
    assert (one.exit_code, one.stdout) == (three.returncode, three.stdout)


# --- CSV ---------------------------------------------------------------------------------


def csv_text(
    delimiter: str, joiner: str, bom: bool, records: list[dict[str, Any]] | None = None
) -> str:
    rows = []
    for n, answers in enumerate(GOOD[:3] if records is None else records):
        row = {"id": f"c{n}"}
        for key, value in answers.items():
            row[key] = joiner.join(value) if isinstance(value, list) else str(value)
        rows.append(row)
    if records is None:
        rows[1]["aura_types"] = ""  # an empty cell: no answer (aura_types is not asked here)
    header = sorted({key for row in rows for key in row})
    lines = [delimiter.join(header)]
    lines += [delimiter.join(row.get(key, "") for key in header) for row in rows]
    return ("\ufeff" if bom else "") + "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("delimiter", "joiner", "bom"), [(",", ";", False), (",", ";", True), (";", "|", True)]
)
def test_a_csv_intake_gives_the_results_of_the_same_records_as_jsonl(
    delimiter: str, joiner: str, bom: bool
) -> None:
    write("intake.csv", csv_text(delimiter, joiner, bom))
    with open("intake.jsonl", "w", encoding="utf-8") as out:
        for n, answers in enumerate(GOOD[:3]):
            out.write(json.dumps({"id": f"c{n}", **answers}) + "\n")
    args = ["--format", "jsonl", "--csv-delimiter", delimiter]
    from_csv = run("assess", "intake.csv", *args)
    from_jsonl = run("assess", "intake.jsonl", "--format", "jsonl")
    assert from_csv.exit_code == 0, from_csv.stderr
    strip = [{k: v for k, v in r.items() if k != "source"} for r in results(from_csv.stdout)]
    assert strip == [
        {k: v for k, v in r.items() if k != "source"} for r in results(from_jsonl.stdout)
    ]
    assert any(
        isinstance(v, list) and len(v) > 1
        for r in results(from_csv.stdout)
        for p in r["headache_types"]
        for v in p["because"].values()
    ), "a multi answer with several codes came through the CSV"


@pytest.mark.parametrize(("delimiter", "joiner"), [(",", ";"), (";", "|")])
def test_a_csv_intake_with_a_second_headache_gives_the_results_of_the_jsonl(
    delimiter: str, joiner: str
) -> None:
    records = [TWO_HEADACHES, GOOD[0], OVERUSE]
    write("intake.csv", csv_text(delimiter, joiner, False, records))
    write(
        "intake.jsonl",
        "".join(json.dumps({"id": f"c{n}", **r}) + "\n" for n, r in enumerate(records)),
    )
    from_csv = run("assess", "intake.csv", "--format", "jsonl", "--csv-delimiter", delimiter)
    from_jsonl = run("assess", "intake.jsonl", "--format", "jsonl")
    assert (from_csv.exit_code, from_csv.stderr) == (0, "")
    assert (from_jsonl.exit_code, from_jsonl.stderr) == (0, "")
    strip = [{k: v for k, v in r.items() if k != "source"} for r in results(from_csv.stdout)]
    assert strip == [
        {k: v for k, v in r.items() if k != "source"} for r in results(from_jsonl.stdout)
    ]
    first = results(from_csv.stdout)[0]
    assert [(p["id"], p["headache"]) for p in first["headache_types"]] == [
        ("migraine_without_aura", 1),
        ("tension_type_frequent", 2),
    ]
    other = first["headache_types"][1]["because"]
    assert other["other_location"] == ["forehead", "back_of_head"], "a multi other_ answer"


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_output_is_a_flat_row_per_record(delimiter: str) -> None:
    jsonl("in.jsonl", 6, bad_every=3)
    result = run("assess", "in.jsonl", "--format", "csv", "--csv-delimiter", delimiter)
    assert result.exit_code == 1
    rows = list(csv.DictReader(result.stdout.splitlines(), delimiter=delimiter))
    assert [r["source"] for r in rows] == [f"in.jsonl:{n}" for n in range(1, 7)]
    assert [bool(r["error"]) for r in rows] == [False, False, True] * 2
    assert all(r["triage_level"] for r in rows)


def test_csv_output_with_a_semicolon_says_which_headache_each_pattern_belongs_to() -> None:
    with open("in.jsonl", "w", encoding="utf-8") as out:
        for n, answers in enumerate([TWO_HEADACHES, GOOD[0], OVERUSE]):
            out.write(json.dumps({"id": f"r{n}", **answers}) + "\n")
        out.write(BAD_LINES[2] + "\n")
    result = run("assess", "in.jsonl", "--format", "csv", "--csv-delimiter", ";")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "id;source;triage_level;red_flags;headache_types;recommendation;"
        "contraindications;precautions;error;main_headache;other_headache;"
        "triage_level_at_least"
    )
    rows = list(csv.DictReader(lines, delimiter=";"))
    got = [(r["id"], r["headache_types"], r["main_headache"], r["other_headache"]) for r in rows]
    assert got == [
        (
            "r0",
            "migraine_without_aura|tension_type_frequent",
            "migraine_without_aura",
            "tension_type_frequent",
        ),
        ("r1", "tension_type_chronic", "tension_type_chronic", ""),
        ("r2", "chronic_migraine|medication_overuse", "chronic_migraine", ""),
        ("old", "", "", ""),
    ]
    assert rows[-1]["error"] and not rows[0]["error"]


# --- --output --------------------------------------------------------------------------


def test_output_replaces_the_file_only_when_every_result_is_written(here: Path) -> None:
    jsonl("in.jsonl", 4)
    write("out.jsonl", "old\n")
    result = run("assess", "in.jsonl", "--format", "jsonl", "--output", "out.jsonl")
    assert (result.exit_code, result.stdout) == (0, "")
    assert len(results(Path("out.jsonl").read_text())) == 4
    assert sorted(p.name for p in here.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_ctrl_c_during_a_batch_leaves_the_old_output_file(here: Path, endless_jsonl: Feed) -> None:
    endless_jsonl(here / "big.jsonl", GOOD)  # a batch that ends only when it is interrupted
    write("out.jsonl", "the old results\n")
    child = subprocess.Popen(
        [sys.executable, "-m", "triage", "assess", "big.jsonl", "--output", "out.jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:  # well into the batch: some results are written (to the temporary file)
        until_written(child, lambda: any(p.stat().st_size for p in here.glob(".out.jsonl.*.tmp")))
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=60)
    finally:
        child.kill()
    assert child.returncode == 130
    assert stderr.decode().splitlines()[-1] == "interrupted"
    assert "Traceback" not in stderr.decode() and stdout == b""
    assert Path("out.jsonl").read_text() == "the old results\n"
    assert sorted(p.name for p in here.iterdir()) == ["big.jsonl", "out.jsonl"]


def test_output_into_a_missing_folder_is_a_usage_error() -> None:
    jsonl("in.jsonl", 1)
    result = run("assess", "in.jsonl", "--output", "nowhere/out.json")
    assert result.exit_code == 2
    assert stderr_lines(result) == [
        "error: nowhere/out.json: cannot write here: No such file or directory"
    ]


# --- scripting hooks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "level", "status"),
    [
        ({}, "soon", 0),
        ({"new_medicine": "yes"}, "soon", 3),
        ({"new_medicine": "yes"}, "urgent", 0),
        ({"sudden_onset": "yes"}, "urgent", 3),
    ],
)
def test_fail_on_exits_3_when_a_record_reaches_the_level(
    extra: dict[str, str], level: str, status: int
) -> None:
    with open("in.jsonl", "w") as out:
        changed = {**GOOD[0], **extra}
        if changed["sudden_onset"] != "no":
            changed.pop("peak_within_hour", None)  # asked only when sudden_onset is no
        out.write(json.dumps(GOOD[0]) + "\n" + json.dumps(changed) + "\n")
    result = run("assess", "in.jsonl", "--format", "jsonl", "--fail-on", level)
    assert result.exit_code == status


def test_fail_on_wins_over_a_record_error_and_counts_its_least_level() -> None:
    write("in.jsonl", json.dumps({"age": 70, "sudden_onset": "yes"}) + "\n")
    result = run("assess", "in.jsonl", "--format", "jsonl", "--fail-on", "emergency")
    assert result.exit_code == 3
    assert run("assess", "in.jsonl", "--format", "jsonl").exit_code == 1


def test_fail_on_takes_only_a_level_that_can_fail() -> None:
    jsonl("in.jsonl", 1)
    result = run("assess", "in.jsonl", "--fail-on", "routine")
    assert result.exit_code == 2
    assert "'routine' is not one of emergency, urgent, soon." in result.stderr


def test_summary_counts_on_stderr_and_leaves_stdout_alone() -> None:
    jsonl("in.jsonl", 6, bad_every=3)
    plain = run("assess", "in.jsonl", "--format", "jsonl")
    result = run("assess", "in.jsonl", "--format", "jsonl", "--summary")
    assert result.stdout == plain.stdout
    lines = [line.rstrip() for line in stderr_lines(result)]
    assert "6 records: 4 assessed, 2 could not be assessed" in lines
    assert "Triage level" in lines and "Red flags" in lines and "Dry needling" in lines


def _pattern_sections(stderr: str) -> list[str]:
    lines = [line.rstrip() for line in stderr.splitlines()]
    return lines[lines.index("Headache patterns, main headache") : lines.index("Dry needling")]


def test_summary_counts_a_second_headache_apart_only_when_there_is_one() -> None:
    write("one.jsonl", json.dumps(GOOD[0]) + "\n" + json.dumps(OVERUSE) + "\n")
    one = run("assess", "one.jsonl", "--format", "jsonl", "--summary")
    assert _pattern_sections(one.stderr) == [
        "Headache patterns, main headache",
        "tension_type_chronic  1",
        "chronic_migraine      1",
        "Headache patterns, the person as a whole",
        "medication_overuse  1",
    ]
    write("two.jsonl", json.dumps(GOOD[0]) + "\n" + json.dumps(TWO_HEADACHES) + "\n")
    two = run("assess", "two.jsonl", "--format", "jsonl", "--summary")
    assert _pattern_sections(two.stderr) == [
        "Headache patterns, main headache",
        "tension_type_chronic   1",
        "migraine_without_aura  1",
        "Headache patterns, other headache",
        "tension_type_frequent  1",
        "Headache patterns, the person as a whole",
        "none",
    ]
    assert (one.exit_code, two.exit_code) == (0, 0)


def test_summary_per_headache_is_the_same_over_two_jobs() -> None:
    with open("in.jsonl", "w", encoding="utf-8") as out:
        for answers in [TWO_HEADACHES, OVERUSE, *GOOD] * 3:
            out.write(json.dumps(answers) + "\n")
    args = ["assess", "in.jsonl", "--format", "csv", "--summary", "--fail-on", "soon"]
    one = run_process(*args)
    two = run_process(*args, "--jobs", "2")
    assert (one.returncode, one.stdout, one.stderr) == (two.returncode, two.stdout, two.stderr)
    assert one.returncode == 3
    assert "Headache patterns, other headache" in one.stderr.splitlines()


def test_quiet_drops_warnings_but_keeps_errors() -> None:
    write("in.jsonl", json.dumps({**GOOD[0], "sleepy": "yes"}) + "\n" + BAD_LINES[2] + "\n")
    loud = run("assess", "in.jsonl", "--format", "jsonl")
    quiet = run("assess", "in.jsonl", "--format", "jsonl", "--quiet")
    assert any("unknown answer ID 'sleepy'" in line for line in stderr_lines(loud))
    assert not any("sleepy" in line for line in stderr_lines(quiet))
    assert any(line.startswith("in.jsonl:2") for line in stderr_lines(quiet))


@pytest.mark.parametrize("command", [["validate"], ["questions", "--format", "json"]])
def test_no_input_is_accepted_everywhere(command: list[str]) -> None:
    assert run(*command, "--no-input").exit_code == 0


@pytest.mark.parametrize("value", ["0", "x"])
def test_jobs_must_be_a_positive_number(value: str) -> None:
    jsonl("in.jsonl", 1)
    result = run_process("assess", "in.jsonl", "--jobs", value)
    assert result.returncode == 2
    assert "Invalid value for '--jobs'" in result.stderr


# --- progress ------------------------------------------------------------------------------


def _stderr_on_a_terminal(args: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    child = pexpect.spawn(
        "bash",
        ["-c", f"{sys.executable} -m triage {args} > out.jsonl"],
        env={**env, "TERM": "xterm-256color"},
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=120,
    )
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus or 0), str(child.before)


def test_a_long_batch_shows_progress_on_a_terminal_unless_quiet() -> None:
    jsonl("big.jsonl", 3_000)
    status, shown = _stderr_on_a_terminal("assess big.jsonl --format jsonl")
    assert status == 0 and "Assessing" in shown and "records/s" in shown
    status, shown = _stderr_on_a_terminal("assess big.jsonl --format jsonl --quiet")
    assert status == 0 and "Assessing" not in shown
    assert len(Path("out.jsonl").read_text().splitlines()) == 3_000


# --- --with-answers ---------------------------------------------------------------------


def test_with_answers_adds_the_answers_asked_in_questionnaire_order_whatever_the_jobs() -> None:
    jsonl("in.jsonl", 12)
    one = run("assess", "in.jsonl", "--format", "jsonl", "--with-answers")
    two = run_process("assess", "in.jsonl", "--format", "jsonl", "--with-answers", "-j", "2")
    assert one.exit_code == 0 and two.returncode == 0
    assert one.stdout == two.stdout
    first = results(one.stdout)[0]
    assert first["answers"] == {
        key: value for key, value in GOOD[0].items() if key in first["answers"]
    }
    assert set(first["answers"]) <= set(GOOD[0]) and "age" in first["answers"]
    assert "answers" not in results(run("assess", "in.jsonl", "--format", "jsonl").stdout)[0]


def test_with_answers_is_refused_for_a_format_without_them() -> None:
    jsonl("in.jsonl", 1)
    done = run("assess", "in.jsonl", "--format", "csv", "--with-answers")
    assert done.exit_code == 2
    assert done.stderr.splitlines()[-1] == (
        "Error: Invalid value for --with-answers: the answers go into JSON results; "
        "give --format json or --format jsonl"
    )
    assert done.stdout == ""


# --- one hostile record never takes the batch down ------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_huge_number_id_is_echoed_and_the_emergency_after_it_is_assessed(jobs: str) -> None:
    huge = "1" + "0" * 400
    emergency = {**GOOD[0], "id": "after", "sudden_onset": "yes"}
    emergency.pop("peak_within_hour", None)  # asked only when sudden_onset is no
    lines = [json.dumps({**GOOD[1], "id": 0}).replace('"id": 0', f'"id": {huge}')]
    write("hostile.jsonl", "\n".join([*lines, json.dumps(emergency)]) + "\n")
    done = run_process(
        "assess", "hostile.jsonl", "--format", "jsonl", "--fail-on", "emergency", "--jobs", jobs
    )
    assert (done.returncode, done.stderr) == (3, "")
    first, after = results(done.stdout)
    assert first["id"] == int(huge) and f'"id": {huge},' in done.stdout
    assert (after["id"], after["triage_level"]) == ("after", "emergency")


def test_no_csv_row_of_a_record_not_assessed_reads_as_routine() -> None:
    write("t.csv", "id,age,sex\nX-1,40,male\n")
    write("urgent.csv", "id,age,sex,headache_history\nX-2,70,male,weeks\n")
    write("export.csv", "id;age;sex;sudden_onset\nX-3;70;male;yes\n")
    result = run("assess", "t.csv", "urgent.csv", "nonexist.csv", "export.csv", "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [(r["id"], r["triage_level"], r["triage_level_at_least"]) for r in rows] == [
        ("X-1", "not_assessed", "routine"),
        ("X-2", "not_assessed", "urgent"),
        ("nonexist.csv", "not_assessed", ""),
        ("export.csv", "not_assessed", ""),
    ]


def test_the_summary_counts_a_partial_record_under_its_level_and_a_missing_file_apart() -> None:
    write("urgent.csv", "id,age,sex,headache_history\nX-2,70,male,weeks\n")
    result = run("assess", "urgent.csv", "nonexist.csv", "--format", "csv", "--summary")
    lines = [line.rstrip() for line in stderr_lines(result)]
    assert "2 records: 0 assessed, 2 could not be assessed (1 not read)" in lines
    assert "!! urgent      1  (1 not fully assessed)" in lines and "? not read     1" in lines
    assert run("assess", "urgent.csv", "nonexist.csv", "--fail-on", "urgent").exit_code == 3
