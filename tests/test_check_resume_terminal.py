"""`triage check` at a real terminal: what is kept, resumed and refused (issue 10).

Undone emergency answers are kept in the `--save` file under the reserved key
`emergency_undone` and read back by `triage assess` and `--answers`; `--output`
and `--save` are checked before the first question, and a result is shown even
when it cannot be written; resuming names the whole command and says what was
loaded; `-h` and `--version`.  The helpers are those of test_check_terminal.py.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pexpect
import yaml

import triage
from triage.model import Content

from .test_check_terminal import (
    ABOUT_YOU,
    ABOUT_YOU_TYPED,
    ASSESSED,
    answer,
    assess,
    end,
    environment,
    read_json,
    read_yaml,
    screen,
    spawn,
    write_yaml,
)

FIVE_MINUTES = "Did this headache reach its worst within about 5 minutes of starting?"
WITHIN_AN_HOUR = "Did this headache build up to its worst within an hour"
FIRST_QUESTION = "How old are you?"
UNDONE_HEADER = [
    "# emergency_undone is not an answer: it lists the questions whose answer first",
    "# showed an emergency warning sign and was then changed. Results made from this",
    "# file report it.",
]


def header(path: Path) -> list[str]:
    """The comment lines at the top of a saved answers file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.startswith("#")]


def complete_answers() -> dict[str, Any]:
    """A vignette's answers, complete and with no emergency sign."""
    return dict(read_yaml(ASSESSED[0])["answers"])


def triage_at_a_terminal(*args: str, cwd: Path) -> tuple[int, str]:
    """`triage ARGS` on an 80-column terminal, to its end: exit status and what it showed."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "triage", *args],
        cwd=str(cwd),
        env=environment(),
        encoding="utf-8",
        dimensions=(40, 80),
        timeout=30,
    )
    child.logfile_read = io.StringIO()
    return end(child)


def lines_of(shown: str) -> list[str]:
    return [line.rstrip() for line in shown.replace("\r\n", "\n").split("\n")]


# --- point 1: undone emergency answers are kept in the save file ---------------------------


def test_an_undone_emergency_answer_is_kept_in_the_save_file(tmp_path: Path) -> None:
    saved, errors = tmp_path / "answers.yaml", tmp_path / "stderr.txt"
    child = spawn("--save", saved.name, cwd=tmp_path, stderr=errors)
    shown = answer(child, *ABOUT_YOU_TYPED, "y", "2", "n")
    assert FIVE_MINUTES in shown[4]
    assert "EMERGENCY" in shown[5]
    assert FIVE_MINUTES in shown[6]
    assert WITHIN_AN_HOUR in screen(child)
    child.sendintr()
    status, _ = end(child)
    assert status == 130
    assert read_yaml(saved) == {
        **ABOUT_YOU,
        "sudden_onset": "no",
        "emergency_undone": ["sudden_onset"],
    }
    assert header(saved)[-3:] == UNDONE_HEADER


def test_assess_and_answers_read_the_undone_emergency_back(tmp_path: Path) -> None:
    answers = complete_answers()
    del answers["sudden_onset"]
    saved = write_yaml(tmp_path / "answers.yaml", answers)
    child = spawn("--answers", saved.name, "--save", saved.name, cwd=tmp_path)
    asked, stop, again, review = answer(child, "y", "2", "n", "")
    assert FIVE_MINUTES in asked and "EMERGENCY" in stop and FIVE_MINUTES in again
    assert "Review your answers" in review
    status, _ = end(child)
    assert status == 0
    assert read_yaml(saved)["emergency_undone"] == ["sudden_onset"]
    assessed = assess(saved.name, tmp_path)
    assert assessed["emergency_undone"] == ["sudden_onset"]
    assert "warnings" not in assessed or not any(
        "emergency_undone" in w for w in assessed["warnings"]
    )

    # going on from that file keeps the undo in the result and in the file
    child = spawn(
        "--answers", saved.name, "--save", saved.name, "--output", "out.json", cwd=tmp_path
    )
    assert "Review your answers" in screen(child)
    child.sendline("")
    status, _ = end(child)
    assert status == 0
    assert read_json(tmp_path / "out.json")["emergency_undone"] == ["sudden_onset"]
    assert read_yaml(saved)["emergency_undone"] == ["sudden_onset"]
    assert header(saved)[-3:] == UNDONE_HEADER


def test_a_bad_emergency_undone_in_answers_is_refused_before_the_first_question(
    tmp_path: Path,
) -> None:
    prefill = write_yaml(tmp_path / "a.yaml", {**ABOUT_YOU, "emergency_undone": ["sudden"]})
    errors = tmp_path / "stderr.txt"
    child = spawn("--answers", prefill.name, cwd=tmp_path, stderr=errors)
    status, shown = end(child)
    assert (status, shown) == (2, "")
    assert errors.read_text(encoding="utf-8").splitlines() == [
        "error: a.yaml: emergency_undone: unknown question ID 'sudden'; "
        "triage questions lists the IDs"
    ]


# --- point 1: files are checked first, and a result is shown even if it cannot be written ---


def test_an_output_in_a_missing_folder_is_refused_before_the_first_question(
    tmp_path: Path,
) -> None:
    errors = tmp_path / "stderr.txt"
    target = tmp_path / "nonexistent" / "dir" / "x.json"
    child = spawn("--output", str(target), cwd=tmp_path, stderr=errors)
    status, shown = end(child)
    assert (status, shown) == (2, "")
    assert errors.read_text(encoding="utf-8").splitlines() == [
        f"error: {target}: cannot write here: No such file or directory"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stderr.txt"]


def test_a_result_that_cannot_be_written_is_shown_first(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    child = spawn("--output", "out/x.json", cwd=tmp_path)
    answer(child, "40", "2", "4", "y")
    assert "EMERGENCY" in screen(child)
    shutil.rmtree(folder)  # the folder goes away while the questions are asked
    child.sendline("1")
    status, shown = end(child)
    assert status == 2
    result = shown.split("End now and see the summary")[-1]
    error = "error: out/x.json: cannot write here: No such file or directory"
    assert "EMERGENCY" in result and "The questions stopped after" in result
    assert result.index("The questions stopped after") < result.index(error)
    assert lines_of(result)[-2:] == [error, ""]


# --- point 8: resume ------------------------------------------------------------------------


def test_ctrl_c_and_the_saved_header_name_the_whole_command(tmp_path: Path) -> None:
    saved, errors = tmp_path / "answers.yaml", tmp_path / "stderr.txt"
    child = spawn("--save", saved.name, cwd=tmp_path, stderr=errors)
    answer(child, "38", "2")
    screen(child)
    child.sendintr()
    status, _ = end(child)
    assert status == 130
    assert errors.read_text(encoding="utf-8").splitlines() == [
        "stopped: your answers so far are in answers.yaml; "
        "to go on: triage check --answers answers.yaml --save answers.yaml"
    ]
    assert header(saved) == [
        "# Answers to the triage headache self-check, saved as they were given.",
        "# To go on where you stopped: triage check --answers answers.yaml --save answers.yaml",
    ]


def test_a_path_with_a_space_is_quoted_in_the_command(tmp_path: Path) -> None:
    saved, errors = tmp_path / "my answers.yaml", tmp_path / "stderr.txt"
    child = spawn("--save", saved.name, cwd=tmp_path, stderr=errors)
    answer(child, "38")
    screen(child)
    child.sendintr()
    status, _ = end(child)
    assert status == 130
    command = "triage check --answers 'my answers.yaml' --save 'my answers.yaml'"
    assert errors.read_text(encoding="utf-8").splitlines() == [
        f"stopped: your answers so far are in my answers.yaml; to go on: {command}"
    ]
    assert header(saved)[1] == f"# To go on where you stopped: {command}"


def test_answers_and_save_of_a_file_not_there_yet_start_fresh(tmp_path: Path) -> None:
    saved, errors = tmp_path / "answers.yaml", tmp_path / "stderr.txt"
    child = spawn("--answers", saved.name, "--save", saved.name, cwd=tmp_path, stderr=errors)
    first = screen(child)
    assert FIRST_QUESTION in first
    child.sendline("38")
    screen(child)
    child.sendintr()
    status, _ = end(child)
    assert status == 130
    assert errors.read_text(encoding="utf-8").splitlines() == [
        "answers.yaml does not exist yet: starting from the first question.",
        "stopped: your answers so far are in answers.yaml; "
        "to go on: triage check --answers answers.yaml --save answers.yaml",
    ]
    assert read_yaml(saved) == {"age": 38}


def test_answers_of_a_missing_file_without_save_is_still_an_error(tmp_path: Path) -> None:
    errors = tmp_path / "stderr.txt"
    child = spawn("--answers", "nope.yaml", "--save", "other.yaml", cwd=tmp_path, stderr=errors)
    status, shown = end(child)
    assert (status, shown) == (2, "")
    assert errors.read_text(encoding="utf-8").splitlines() == ["error: nope.yaml: no such file"]


def test_resuming_says_how_many_answers_were_loaded_and_how_many_are_left(
    tmp_path: Path,
) -> None:
    answers = complete_answers()
    left = ["neuro_symptoms", "confusion_or_seizure"]
    prefill = write_yaml(tmp_path / "a.yaml", {k: v for k, v in answers.items() if k not in left})
    child = spawn("--answers", prefill.name, "--output", "out.json", cwd=tmp_path)
    first, second, review = answer(child, "n", "n", "")
    loaded = f"Loaded {len(answers) - 2} answers from a.yaml; about 2 questions left."
    assert loaded in first
    assert first.index("Headache self-check") < first.index(loaded)
    assert first.index(loaded) < first.index("Have you had new weakness")
    assert "Review your answers" in review
    status, shown = end(child)
    assert status == 0
    assert shown.count("Loaded ") == 1


def test_resuming_from_a_few_answers_says_about_how_many_are_left(
    tmp_path: Path, content: Content
) -> None:
    prefill = write_yaml(tmp_path / "a.yaml", {"id": "me", **ABOUT_YOU})
    child = spawn("--answers", prefill.name, cwd=tmp_path)
    first = screen(child)
    found = re.search(r"Loaded 4 answers from a\.yaml; about (\d+) questions left\.", first)
    assert found is not None
    assert 20 < int(found[1]) < len(content.questions.questions) - 4
    child.sendintr()
    status, _ = end(child)
    assert status == 130


def test_unknown_keys_in_answers_are_listed_before_the_first_question(tmp_path: Path) -> None:
    prefill = write_yaml(tmp_path / "a.yaml", {**ABOUT_YOU, "sudden_onsett": "no", "colour": "red"})
    errors = tmp_path / "stderr.txt"
    child = spawn("--answers", prefill.name, "--save", prefill.name, cwd=tmp_path, stderr=errors)
    assert FIVE_MINUTES in screen(child)
    child.sendintr()
    status, _ = end(child)
    assert status == 130
    lines = errors.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == [
        "Not used from a.yaml (not questions of this questionnaire): "
        "sudden_onsett (did you mean 'sudden_onset'?), colour",
        lines[1],
    ]
    assert re.fullmatch(r"Loaded 4 answers from a\.yaml; about \d+ questions left\.", lines[1])
    assert yaml.safe_load(prefill.read_text())["colour"] == "red"  # kept, not lost


# --- point 9: -h and --version --------------------------------------------------------------


def test_h_shows_the_help_of_every_command(tmp_path: Path) -> None:
    for args, usage in [
        (["-h"], "Usage: triage [OPTIONS] COMMAND [ARGS]..."),
        (["check", "-h"], "Usage: triage check [OPTIONS]"),
        (["assess", "-h"], "Usage: triage assess [OPTIONS] {FILE}..."),
        (["assess", "a.yaml", "-h"], "Usage: triage assess [OPTIONS] {FILE}..."),
        (["validate", "-h"], "Usage: triage validate [OPTIONS]"),
        (["questions", "-h"], "Usage: triage questions [OPTIONS]"),
    ]:
        status, shown = triage_at_a_terminal(*args, cwd=tmp_path)
        assert status == 0, args
        assert lines_of(shown)[0] == usage, args
        assert "-h, --help" in shown, args


def test_version_names_the_program_and_its_content(tmp_path: Path) -> None:
    status, shown = triage_at_a_terminal("--version", cwd=tmp_path)
    assert status == 0
    version = triage.load().rules.version
    assert lines_of(shown) == [f"triage {triage.__version__} (content {version})", ""]
