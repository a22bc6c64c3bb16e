"""`triage check` at a real terminal: the program runs in a pseudo-terminal (pexpect).

The flow itself is tested without a terminal (`SelfCheck` with a list of
answers); these tests cover what only a real run shows: the screens, the
keys, Ctrl-C and end of input, the files written, exit statuses.  Each test
runs with `NO_COLOR=1` unless it is about colour, matches short pieces of a
screen (never whole screens) and checks that no traceback was printed.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml

from triage.model import Content

PROMPT = "> "
PLAIN_PROMPT = "Answer: "
BOX_DRAWING = "─│╭╮╰╯━┃┏┓┗┛"
ROOT = Path(__file__).parent.parent
VIGNETTES = sorted((Path(__file__).parent / "vignettes").glob("v*.yaml"))
ABOUT_YOU = {"age": 38, "sex": "female", "pregnancy": "no", "headache_history": "years"}
ABOUT_YOU_TYPED = ["38", "1", "1", "4"]  # the same answers, as typed


def read_yaml(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _stops(path: Path) -> bool:
    return bool(read_yaml(path)["expect"]["triage_level"] == "emergency")


ASSESSED = [path for path in VIGNETTES if not _stops(path)]
STOPPED = [path for path in VIGNETTES if _stops(path)]


# --- helpers ----------------------------------------------------------------------------


def environment(color: bool = False) -> dict[str, str]:
    """The environment of a colour terminal; `NO_COLOR=1` unless `color`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")
    }
    env["TERM"] = "xterm-256color"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if not color:
        env["NO_COLOR"] = "1"
    return env


def _stderr_to(path: Path) -> Callable[[], None]:
    """Run in the child before exec: send its stderr to `path`, not the terminal."""

    def redirect() -> None:
        os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)

    return redirect


def spawn(
    *args: str, cwd: Path, color: bool = False, stderr: Path | None = None, columns: int = 80
) -> pexpect.spawn:
    """`triage check ARGS` on a 40-row terminal of `columns` (80), run in `cwd`;
    everything it shows is kept in `child.logfile_read`.  `stderr` sends standard
    error to a file."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "triage", "check", *args],
        cwd=str(cwd),
        env=environment(color),
        encoding="utf-8",
        dimensions=(40, columns),
        timeout=30,
        preexec_fn=_stderr_to(stderr) if stderr else None,
    )
    child.logfile_read = io.StringIO()
    return child


def screen(child: pexpect.spawn, prompt: str = PROMPT) -> str:
    """Everything shown up to the next prompt (starting with the echo of the last entry)."""
    child.expect_exact(prompt)
    return str(child.before)


def answer(child: pexpect.spawn, *entries: str, prompt: str = PROMPT) -> list[str]:
    """Type each entry at the next prompt; the screen shown before each.

    Always wait for a prompt before typing, Ctrl-C and Ctrl-D included: a key sent
    while the program is still drawing a screen can be lost."""
    shown = []
    for entry in entries:
        shown.append(screen(child, prompt))
        child.sendline(entry)
    return shown


def end(child: pexpect.spawn) -> tuple[int, str]:
    """Wait for the program to end: its exit status and everything it showed.
    Fails if it showed a traceback."""
    child.expect(pexpect.EOF)
    child.close()
    shown = child.logfile_read.getvalue()
    assert "Traceback" not in shown
    return child.exitstatus, shown


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def assess(name: str, cwd: Path) -> dict[str, Any]:
    """What `triage assess NAME --format json` gives, run in `cwd`."""
    done = subprocess.run(
        [sys.executable, "-m", "triage", "assess", name, "--format", "json"],
        cwd=cwd,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


# --- typing answers ---------------------------------------------------------------------


def test_a_refused_entry_says_what_is_valid_and_asks_again(tmp_path: Path) -> None:
    child = spawn(cwd=tmp_path)
    first, refused = answer(child, "abc", "38")
    after = screen(child)
    assert "How old are you?" in first and "✗" not in first
    assert "How old are you?" in refused
    assert "✗" in refused and "a whole number from 12 to 120" in refused
    assert "Which of these describes you?" in after and "✗" not in after
    child.sendeof()
    status, _ = end(child)
    assert status == 130


def test_question_mark_shows_the_help_line(tmp_path: Path) -> None:
    child = spawn(cwd=tmp_path)
    first, helped = answer(child, "?", "38")
    after = screen(child)
    assert "Help:" not in first
    assert "How old are you?" in helped and "Help: Your age in whole years." in helped
    assert "Which of these describes you?" in after and "Help:" not in after
    child.sendeof()
    status, _ = end(child)
    assert status == 130


def test_b_goes_back_and_the_changed_answer_is_saved(tmp_path: Path) -> None:
    saved = tmp_path / "answers.yaml"
    child = spawn("--save", saved.name, cwd=tmp_path)
    shown = answer(child, *ABOUT_YOU_TYPED[:3], "b", "2")
    assert "How long have you had this kind of headache?" in shown[3]
    back = shown[4]
    assert "Are you pregnant, or have you given birth in the last 6 weeks?" in back
    assert "Your answer now: No. Press Enter to keep it." in back
    assert "How long have you had this kind of headache?" in screen(child)
    child.sendintr()
    status, _ = end(child)
    assert status == 130
    assert read_yaml(saved) == {"age": 38, "sex": "female", "pregnancy": "pregnant"}


# --- the emergency stop -----------------------------------------------------------------


def test_an_emergency_answer_shows_the_advice_and_ending_gives_the_result(
    tmp_path: Path, content: Content
) -> None:
    child = spawn("--output", "out.json", cwd=tmp_path)
    answer(child, *ABOUT_YOU_TYPED, "y")
    stop = screen(child)
    assert "EMERGENCY" in stop
    assert content.rules.levels["emergency"].advice in stop
    assert "1  End now and see the summary (recommended)" in stop
    assert "2  Undo my last answer and go on (if it was a mistake)" in stop
    child.sendline("1")
    status, shown = end(child)
    assert status == 0
    result = shown.split("End now and see the summary")[-1]
    assert "!!! EMERGENCY" in result and "The questions stopped after: Did this headache" in result
    data = read_json(tmp_path / "out.json")
    assert data["triage_level"] == "emergency"
    assert data["stopped_early"] == {"after": "sudden_onset"}
    assert data["headache_types"] == []


def test_undoing_an_emergency_answer_asks_the_question_again(tmp_path: Path) -> None:
    saved = tmp_path / "answers.yaml"
    child = spawn(
        "--answers", write_yaml(saved, ABOUT_YOU).name, "--save", saved.name, cwd=tmp_path
    )
    answer(child, "y", "2")
    again = screen(child)
    assert "EMERGENCY" not in again
    assert "Did this headache reach its worst within about 5 minutes of starting?" in again
    child.sendline("n")
    assert "Did this headache build up to its worst within an hour" in screen(child)
    child.sendline("n")
    assert "Have you had new weakness, numbness" in screen(child)
    child.sendintr()
    status, _ = end(child)
    assert status == 130
    assert read_yaml(saved) == {
        **ABOUT_YOU,
        "sudden_onset": "no",
        "peak_within_hour": "no",
        "emergency_undone": ["sudden_onset"],  # kept, never as an answer
    }


def test_an_undone_emergency_is_recorded_in_the_result(tmp_path: Path) -> None:
    answers = dict(read_yaml(ASSESSED[0])["answers"])
    del answers["sudden_onset"]
    child = spawn(
        "--answers",
        write_yaml(tmp_path / "a.yaml", answers).name,
        "--output",
        "out.json",
        cwd=tmp_path,
    )
    asked, stop, again, review = answer(child, "y", "2", "n", "")
    assert "Did this headache reach its worst" in asked
    assert "EMERGENCY" in stop
    assert "Did this headache reach its worst" in again
    assert "Review your answers" in review
    status, _ = end(child)
    assert status == 0
    data = read_json(tmp_path / "out.json")
    assert data["emergency_undone"] == ["sudden_onset"]
    assert "stopped_early" not in data
    assert data["triage_level"] != "emergency"


# --- stopping and going on --------------------------------------------------------------


def test_ctrl_c_keeps_the_answers_and_answers_goes_on_from_them(tmp_path: Path) -> None:
    saved, errors = tmp_path / "answers.yaml", tmp_path / "stderr.txt"
    child = spawn("--save", saved.name, cwd=tmp_path, stderr=errors)
    answer(child, "38", "2")
    assert "How long have you had this kind of headache?" in screen(child)
    child.sendintr()
    status, shown = end(child)
    assert status == 130
    assert errors.read_text(encoding="utf-8").splitlines() == [
        "stopped: your answers so far are in answers.yaml; "
        "to go on: triage check --answers answers.yaml --save answers.yaml"
    ]
    assert "stopped:" not in shown  # on stderr only
    assert read_yaml(saved) == {"age": 38, "sex": "male"}

    child = spawn("--answers", saved.name, cwd=tmp_path)
    first = screen(child)
    assert "How long have you had this kind of headache?" in first
    assert "How old are you?" not in first and "Which of these describes you?" not in first
    child.sendintr()
    status, _ = end(child)
    assert status == 130


def test_end_of_input_stops_like_ctrl_c(tmp_path: Path) -> None:
    saved, errors = tmp_path / "answers.yaml", tmp_path / "stderr.txt"
    child = spawn("--save", saved.name, cwd=tmp_path, stderr=errors)
    answer(child, "38")
    screen(child)
    child.sendeof()
    status, _ = end(child)
    assert status == 130
    lines = errors.read_text(encoding="utf-8").splitlines()
    assert lines == [
        "stopped: your answers so far are in answers.yaml; "
        "to go on: triage check --answers answers.yaml --save answers.yaml"
    ]
    assert read_yaml(saved) == {"age": 38}


# --- two headaches, and the safety questions after a warning sign (spec v3) ---------------

TWO_HEADACHES = next(path for path in VIGNETTES if path.stem.startswith("v29-migraine-and-"))
SAFETY_SKIPPED = (
    "The other dry-needling safety questions are skipped: a doctor should see you first."
)


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())


def test_a_second_headache_is_asked_about_and_the_result_lists_both(tmp_path: Path) -> None:
    answers = read_yaml(TWO_HEADACHES)["answers"]
    typed = ["other_headache", "other_headache_history", "other_quality", "other_intensity"]
    prefill = write_yaml(tmp_path / "a.yaml", {k: v for k, v in answers.items() if k not in typed})
    child = spawn("--answers", prefill.name, "--output", "out.json", cwd=tmp_path)
    second, history, quality, intensity, review = answer(child, "y", "4", "2", "4", "")
    assert "Do you also have a second, clearly different kind of headache?" in second
    assert "Your other headache · 1 of 22" in history
    assert "These questions are about your OTHER kind of headache" in history
    assert "Your other headache: how long have you had this" in history
    assert "Your other headache: what does this pain usually feel like?" in quality
    assert "Your other headache: at its worst, how bad is it" in intensity
    assert "Review your answers" in review
    assert "\nYour other headache\n" in review.replace("\r\n", "\n")
    status, shown = end(child)
    assert status == 0
    result = shown.split("press Enter to see your result.")[-1]
    main, other = result.index("\nYour main headache"), result.index("\nYour other headache")
    assert main < result.index("• Migraine without aura") < other
    assert other < result.index("• Frequent tension-type headache")
    assert "Headache pattern" not in result.split("Dry needling")[0]
    data = read_json(tmp_path / "out.json")
    assert [(p["id"], p["headache"]) for p in data["headache_types"]] == [
        ("migraine_without_aura", 1),
        ("tension_type_frequent", 2),
    ]
    write_yaml(tmp_path / "all.yaml", answers)
    assert data == {**assess("all.yaml", tmp_path), "source": "a.yaml"}


def test_after_a_warning_sign_only_blood_thinners_of_the_safety_questions_is_asked(
    tmp_path: Path, content: Content
) -> None:
    answers = dict(read_yaml(ASSESSED[0])["answers"])
    safety = next(s for s in content.questions.sections if s.id == "needling_safety")
    left = ["positional", *safety.questions]
    prefill = write_yaml(tmp_path / "a.yaml", {k: v for k, v in answers.items() if k not in left})
    child = spawn(
        "--answers", prefill.name, "--save", prefill.name, "--output", "out.json", cwd=tmp_path
    )
    warning, notice, thinners, review = answer(child, "y", "2", "n", "")
    assert "Is your headache clearly worse when you stand up" in warning
    assert "URGENT" in notice  # the early notice; 2 goes on to the other questions
    assert "EMERGENCY" not in thinners  # an urgent sign: the questions go on
    assert "Dry-needling safety · 1 of 1" in thinners
    assert "Do you take blood thinners, or do you have a bleeding disorder?" in thinners
    assert SAFETY_SKIPPED in flat(thinners)
    assert "Review your answers" in review and SAFETY_SKIPPED not in flat(review)
    status, shown = end(child)
    assert status == 0
    assert flat(shown).count(SAFETY_SKIPPED) == 1
    questions = content.questions.questions
    for qid in safety.questions:
        if qid != "blood_thinners":
            assert questions[qid].optional_after_red_flag
            assert questions[qid].text[:25] not in shown
    result = shown.split("press Enter to see your result.")[-1]
    assert "!! URGENT" in result and "Dry needling: see a doctor first" in result
    saved = read_yaml(prefill)
    assert (saved["positional"], saved["blood_thinners"]) == ("yes", "no")
    assert not set(left[1:]) - {"blood_thinners"} & saved.keys()
    assert read_json(tmp_path / "out.json") == assess(prefill.name, tmp_path)


# --- the same result as assess ----------------------------------------------------------


@pytest.mark.parametrize("path", ASSESSED, ids=lambda path: path.stem)
def test_a_complete_answers_file_gives_what_assess_gives(tmp_path: Path, path: Path) -> None:
    write_yaml(tmp_path / "answers.yaml", read_yaml(path)["answers"])
    child = spawn("--answers", "answers.yaml", "--output", "out.json", cwd=tmp_path)
    first = screen(child)
    assert "Review your answers" in first
    assert "1 of" not in first  # no question was asked before the review
    child.sendline("")
    status, _ = end(child)
    assert status == 0
    assert read_json(tmp_path / "out.json") == assess("answers.yaml", tmp_path)


def test_the_example_file_with_an_id_gives_what_assess_gives(tmp_path: Path) -> None:
    example = tmp_path / "tension-type.yaml"
    example.write_text((ROOT / "examples" / "tension-type.yaml").read_text(encoding="utf-8"))
    child = spawn("--answers", example.name, "--output", "out.json", cwd=tmp_path)
    assert "Review your answers" in screen(child)
    child.sendline("")
    status, _ = end(child)
    assert status == 0
    data = read_json(tmp_path / "out.json")
    assert data["id"] == "example-1"
    assert data == assess(example.name, tmp_path)


@pytest.mark.parametrize("path", STOPPED, ids=lambda path: path.stem)
def test_a_complete_answers_file_with_an_emergency_stops_at_once(
    tmp_path: Path, path: Path
) -> None:
    write_yaml(tmp_path / "answers.yaml", read_yaml(path)["answers"])
    child = spawn("--answers", "answers.yaml", "--output", "out.json", cwd=tmp_path)
    first = screen(child)
    assert "EMERGENCY: STOP HERE" in first and "Review your answers" not in first
    child.sendline("1")
    status, _ = end(child)
    assert status == 0
    data = read_json(tmp_path / "out.json")
    assert data["triage_level"] == "emergency"
    assert set(data["stopped_early"]) == {"after"}
    assert data["headache_types"] == []
    assert {flag["id"] for flag in data["red_flags"]} <= set(read_yaml(path)["expect"]["red_flags"])


# --- no terminal ------------------------------------------------------------------------

REFUSED = [
    "To assess answers without questions, use: triage assess FILE "
    "(triage questions --template prints a blank answers file).",
]


def test_without_a_terminal_check_refuses_to_start(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "triage", "check"],
        cwd=tmp_path,
        env=environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        "error: triage check asks questions, but standard input is not a terminal.",
        *REFUSED,
    ]


def test_no_input_refuses_to_start_on_a_terminal(tmp_path: Path) -> None:
    errors = tmp_path / "stderr.txt"
    child = spawn("--no-input", cwd=tmp_path, stderr=errors)
    status, shown = end(child)
    assert (status, shown) == (2, "")
    assert errors.read_text(encoding="utf-8").splitlines() == [
        "error: triage check asks questions, but --no-input was given.",
        *REFUSED,
    ]


# --- how the screens look ---------------------------------------------------------------


def test_plain_announces_choices_without_boxes(tmp_path: Path) -> None:
    child = spawn("--plain", cwd=tmp_path)
    shown = answer(child, *ABOUT_YOU_TYPED, "y", prompt=PLAIN_PROMPT)
    assert re.search(r"Warning signs, question 1 of \d+\.", shown[4])
    assert "1 of 3: Female" in shown[1] and "3 of 3: Another answer" in shown[1]
    stop = screen(child, PLAIN_PROMPT)
    assert "1 of 2: End now and see the summary" in stop
    assert "2 of 2: Undo my last answer" in stop
    child.sendintr()
    status, shown_all = end(child)
    assert status == 130
    assert not set(BOX_DRAWING) & set(shown_all)
    assert "\n> " not in shown_all


def test_plain_result_screen_has_no_rules(tmp_path: Path) -> None:
    example = write_yaml(tmp_path / "a.yaml", read_yaml(ASSESSED[0])["answers"])
    child = spawn("--plain", "--answers", example.name, cwd=tmp_path)
    child.expect_exact("press Enter to see your result.")
    screen(child, PLAIN_PROMPT)
    child.sendline("")
    status, shown = end(child)
    assert status == 0
    result = shown.split("press Enter to see your result.")[-1]
    assert "ROUTINE" in result
    assert not set(BOX_DRAWING) & set(result)


# Readline may switch bracketed paste on and off (ESC [ ? 2004 h / l) around each
# prompt: a terminal mode, not a colour, so those sequences are left out of the check.
CSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
MODE = re.compile(r"\x1b\[\?[0-9;]*[hl]")


def _styles(shown: str) -> list[str]:
    return [seq for seq in CSI.findall(shown) if not MODE.fullmatch(seq)]


def _short_run(tmp_path: Path, color: bool) -> str:
    """A refused entry, the help line, the emergency stop and the result."""
    prefill = write_yaml(tmp_path / "about.yaml", ABOUT_YOU)
    child = spawn("--answers", prefill.name, cwd=tmp_path, color=color)
    answer(child, "abc", "?", "y", "1")
    status, shown = end(child)
    assert status == 0
    assert "✗" in shown and "Help:" in shown and "EMERGENCY" in shown
    return shown


def test_no_color_is_honoured_and_lines_fit_80_columns(tmp_path: Path) -> None:
    assert _styles(_short_run(tmp_path, color=True))  # the check can see colour
    shown = _short_run(tmp_path, color=False)
    assert _styles(shown) == []
    lines = shown.replace("\r\n", "\n").split("\n")
    assert max(len(line) for line in lines) <= 80
