"""`triage check` through the command line, with the keyboard simulated.

The real-terminal runs are in test_check_terminal.py; here standard input is
a string, and `_keyboard` is told it is a terminal where a test needs one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage.cli import check

from .scenarios import vignettes
from .test_cli import run, run_process, stderr_lines, write

TENSION = vignettes()[0].answers
NOT_A_TERMINAL = [
    "error: triage check asks questions, but standard input is not a terminal.",
    "To assess answers without questions, use: triage assess FILE "
    "(triage questions --template prints a blank answers file).",
]


pytestmark = pytest.mark.usefixtures("here")  # each test in its own directory


@pytest.fixture
def keyboard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "_keyboard", lambda: True)


def test_without_a_terminal_check_refuses_to_start() -> None:
    result = run_process("check", input=b"38\n")
    assert result.returncode == 2
    assert (result.stdout, stderr_lines(result)) == ("", NOT_A_TERMINAL)


def test_no_input_refuses_to_start_even_at_a_terminal(keyboard: None) -> None:
    result = run("check", "--no-input")
    assert result.exit_code == 2
    assert (
        stderr_lines(result)[0] == "error: triage check asks questions, but --no-input was given."
    )


@pytest.mark.usefixtures("keyboard")
def test_a_prefilled_run_writes_the_result_assess_gives() -> None:
    write("answers.yaml", TENSION)
    result = run("check", "--answers", "answers.yaml", "--output", "out.json", input="\n")
    assert result.exit_code == 0
    assert "Review your answers" in result.stdout
    assert stderr_lines(result) == [
        f"Loaded {len(TENSION)} answers from answers.yaml; no questions left.",
        "result written to out.json",
    ]
    assessed = run("assess", "answers.yaml", "--format", "json")
    assert json.loads(Path("out.json").read_text()) == json.loads(assessed.stdout)


@pytest.mark.usefixtures("keyboard")
def test_end_of_input_stops_like_ctrl_c_and_keeps_the_answers(here: Path) -> None:
    result = run("check", "--save", "saved.yaml", "--output", "out.json", input="38\n2\n")
    assert result.exit_code == 130
    assert stderr_lines(result) == [
        "stopped: your answers so far are in saved.yaml; to go on: "
        "triage check --answers saved.yaml --save saved.yaml"
    ]
    assert yaml.safe_load(Path("saved.yaml").read_text()) == {"age": 38, "sex": "male"}
    assert not Path("out.json").exists()
    assert sorted(p.name for p in here.iterdir()) == ["saved.yaml"]


@pytest.mark.usefixtures("keyboard")
def test_without_save_the_stop_line_says_nothing_was_kept() -> None:
    result = run("check", input="38\n")
    assert result.exit_code == 130
    assert stderr_lines(result) == ["stopped: no answers were saved (--save FILE keeps them)"]


@pytest.mark.usefixtures("keyboard")
def test_saved_answers_resume_where_they_stopped() -> None:
    run("check", "--save", "saved.yaml", input="38\n2\n")
    result = run("check", "--answers", "saved.yaml", "--save", "saved.yaml", input="4\n")
    assert result.exit_code == 130
    assert "How old are you?" not in result.stdout
    assert "How long have you had this kind of headache?" in result.stdout
    saved = yaml.safe_load(Path("saved.yaml").read_text())
    assert saved == {"age": 38, "sex": "male", "headache_history": "years"}


@pytest.mark.usefixtures("keyboard")
def test_an_emergency_stop_is_a_result_with_exit_0() -> None:
    write("answers.yaml", {"age": 40, "sex": "male", "headache_history": "days"})
    result = run("check", "--answers", "answers.yaml", "--output", "out.json", input="y\n1\n")
    assert result.exit_code == 0
    out = json.loads(Path("out.json").read_text())
    assert out["triage_level"] == "emergency"
    assert out["stopped_early"] == {"after": "sudden_onset"}
    assert out["headache_types"] == []
    assert out["dry_needling"]["recommendation"] == "refer_first"
    assert out["source"] == "answers.yaml"


@pytest.mark.usefixtures("keyboard")
@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({}, ["--answers", "nope.yaml"], "error: nope.yaml: no such file"),
        (
            {"two.jsonl": '{"age": 40}\n{"age": 41}\n'},
            ["--answers", "two.jsonl"],
            "error: two.jsonl: --answers takes one record, and this file holds more than one "
            "record",
        ),
        (
            {"bad.yaml": "id: [1]\nage: 40\n"},
            ["--answers", "bad.yaml"],
            "error: bad.yaml: id must be a string or a number, not a list",
        ),
        (
            {},
            ["--save", "missing/saved.yaml"],
            "error: missing/saved.yaml: cannot write here: No such file or directory",
        ),
        (
            {},
            ["--output", "missing/out.json"],
            "error: missing/out.json: cannot write here: No such file or directory",
        ),
        (
            {"undone.yaml": "age: 40\nemergency_undone: sudden\n"},
            ["--answers", "undone.yaml"],
            "error: undone.yaml: emergency_undone: unknown question ID 'sudden'; "
            "triage questions lists the IDs",
        ),
        (
            {"undone.yaml": "age: 40\nemergency_undone: 5\n"},
            ["--answers", "undone.yaml"],
            "error: undone.yaml: emergency_undone must be a list of question IDs, not 5",
        ),
    ],
)
def test_bad_files_are_refused_before_the_first_question(
    files: dict[str, str], args: list[str], message: str
) -> None:
    for name, text in files.items():
        write(name, text)
    result = run("check", *args, input="38\n")
    assert result.exit_code == 2
    assert stderr_lines(result) == [message]
    assert "How old are you?" not in result.stdout


# --- issue 10: undone emergencies kept, files checked first, resuming -----------------------


@pytest.mark.usefixtures("keyboard")
def test_an_undone_emergency_is_saved_and_read_back(here: Path) -> None:
    about = {"age": 40, "sex": "male", "headache_history": "days"}
    write("saved.yaml", about)
    result = run("check", "--answers", "saved.yaml", "--save", "saved.yaml", input="y\n2\nn\n")
    assert result.exit_code == 130
    text = Path("saved.yaml").read_text()
    assert text.startswith(
        "# Answers to the triage headache self-check, saved as they were given.\n"
        "# To go on where you stopped: triage check --answers saved.yaml --save saved.yaml\n"
        "# emergency_undone is not an answer: it lists the questions whose answer first\n"
        "# showed an emergency warning sign and was then changed. Results made from this\n"
        "# file report it.\n"
    )
    saved = yaml.safe_load(text)
    assert saved == {**about, "sudden_onset": "no", "emergency_undone": ["sudden_onset"]}

    # going on: the undo is kept, and the result carries it even after an emergency stop
    result = run(
        "check",
        "--answers",
        "saved.yaml",
        "--save",
        "saved.yaml",
        "--output",
        "out.json",
        input="b\ny\n1\n",
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(Path("out.json").read_text())
    assert out["emergency_undone"] == ["sudden_onset"]
    assert out["stopped_early"] == {"after": "sudden_onset"}
    assert yaml.safe_load(Path("saved.yaml").read_text())["emergency_undone"] == ["sudden_onset"]


@pytest.mark.usefixtures("keyboard")
def test_a_json_save_file_keeps_the_undone_emergency_too() -> None:
    write("saved.json", {"age": 40, "sex": "male", "headache_history": "days"})
    result = run("check", "--answers", "saved.json", "--save", "saved.json", input="y\n2\n")
    assert result.exit_code == 130
    saved = json.loads(Path("saved.json").read_text())
    assert saved["emergency_undone"] == ["sudden_onset"] and "sudden_onset" not in saved


@pytest.mark.usefixtures("keyboard")
def test_a_result_that_cannot_be_written_is_shown_then_the_error(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from triage.render.terminal import Terminal

    shown = Terminal.result

    def result_then_the_folder_goes(self: Terminal, data: Any) -> None:
        shown(self, data)
        shutil.rmtree(here / "gone")

    monkeypatch.setattr(Terminal, "result", result_then_the_folder_goes)
    write("answers.yaml", {"age": 40, "sex": "male", "headache_history": "days"})
    (here / "gone").mkdir()
    args = ["--answers", "answers.yaml", "--save", "gone/saved.yaml", "--output", "gone/out.json"]
    result = run("check", *args, input="y\n1\n")
    assert result.exit_code == 2
    assert "The questions stopped after" in result.stdout
    assert stderr_lines(result)[-2:] == [
        "error: gone/saved.yaml: cannot write here: No such file or directory",
        "error: gone/out.json: cannot write here: No such file or directory",
    ]


@pytest.mark.usefixtures("keyboard")
def test_answers_and_save_of_a_new_file_start_fresh() -> None:
    result = run("check", "--answers", "new.yaml", "--save", "new.yaml", input="38\n")
    assert result.exit_code == 130
    assert "How old are you?" in result.stdout
    assert stderr_lines(result) == [
        "new.yaml does not exist yet: starting from the first question.",
        "stopped: your answers so far are in new.yaml; to go on: "
        "triage check --answers new.yaml --save new.yaml",
    ]
    assert yaml.safe_load(Path("new.yaml").read_text()) == {"age": 38}


@pytest.mark.usefixtures("keyboard")
def test_resuming_names_what_is_not_used_and_what_was_loaded() -> None:
    write("a.yaml", {"id": 7, "age": 40, "sex": "male", "sudden_onsett": "no", "x": 1, "pain": ""})
    result = run("check", "--answers", "a.yaml", input="")
    assert result.exit_code == 130
    lines = stderr_lines(result)
    assert lines[0] == (
        "Not used from a.yaml (not questions of this questionnaire): "
        "pain, sudden_onsett (did you mean 'sudden_onset'?), x"
    )
    assert lines[1].startswith("Loaded 2 answers from a.yaml; about ")
    assert lines[1].endswith(" questions left.")


@pytest.mark.usefixtures("keyboard")
def test_the_count_left_is_exact_when_no_answer_changes_what_is_asked() -> None:
    left = ["neuro_symptoms", "confusion_or_seizure"]
    write("a.yaml", {k: v for k, v in TENSION.items() if k not in left})
    result = run("check", "--answers", "a.yaml", input="n\nn\n\n")
    assert result.exit_code == 0
    assert stderr_lines(result) == [
        f"Loaded {len(TENSION) - 2} answers from a.yaml; about 2 questions left."
    ]
    assert "Review your answers" in result.stdout


@pytest.mark.usefixtures("keyboard")
def test_a_fhir_response_prefills_like_the_answers_it_holds() -> None:
    from triage import load
    from triage.content.fhirresponse import response

    write("answers.yaml", TENSION)
    write("response.json", json.dumps({**response(load(), TENSION), "status": "in-progress"}))
    result = run("check", "--answers", "response.json", "--output", "out.json", input="\n")
    assert result.exit_code == 0
    assert stderr_lines(result) == [
        "response.json: warning: status is 'in-progress', not completed: assessed on the "
        "answers it holds",
        f"Loaded {len(TENSION)} answers from response.json; no questions left.",
        "result written to out.json",
    ]
    assessed = json.loads(run("assess", "answers.yaml", "--format", "json").stdout)
    written = json.loads(Path("out.json").read_text())
    assert {**written, "source": None} == {**assessed, "source": None}


@pytest.mark.usefixtures("keyboard")
def test_many_keys_that_are_not_questions_are_named_up_to_a_cap() -> None:
    extra = {f"note_{n:02}": "x" for n in range(30)}
    write("answers.yaml", {**TENSION, "agee": 40, **extra})
    result = run("check", "--answers", "answers.yaml", "--output", "out.json", input="\n")
    assert result.exit_code == 0
    named = ["agee (did you mean 'age'?)", *[f"note_{n:02}" for n in range(19)], "11 more"]
    assert stderr_lines(result)[0] == (
        "Not used from answers.yaml (not questions of this questionnaire): " + ", ".join(named)
    )


@pytest.mark.usefixtures("keyboard")
def test_a_csv_column_that_is_no_question_is_said_once_before_the_questions() -> None:
    header = ",".join([*TENSION, "Notes"])
    cells = [";".join(v) if isinstance(v, list) else str(v) for v in TENSION.values()]
    write("answers.csv", header + "\n" + ",".join([*cells, "call back"]) + "\n")
    result = run("check", "--answers", "answers.csv", "--output", "out.json", input="\n")
    assert result.exit_code == 0
    assert stderr_lines(result)[:2] == [
        "answers.csv:1: warning: column 'Notes' is not an answer ID; ignored",
        f"Loaded {len(TENSION)} answers from answers.csv; no questions left.",
    ]
