"""Forgiving input at a real terminal (issue 10, point 7; docs/answers.md), and
input that is not text (issue 12, items 9 and 13).

`triage check` runs in a pseudo-terminal, as in tests/test_check_terminal.py,
whose helpers these tests use: each types what a person would, checks the
next screen, and reads back what `--save` kept.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pexpect
import pytest

from tests.test_check_terminal import (
    ABOUT_YOU,
    PLAIN_PROMPT,
    PROMPT,
    VIGNETTES,
    answer,
    end,
    environment,
    flat,
    read_yaml,
    screen,
    spawn,
    write_yaml,
)

MIGRAINE = next(path for path in VIGNETTES if path.stem.startswith("v04-"))
NUMBERS = ("headache_days_per_month", "attack_duration_hours", "intensity")


def stop(child: pexpect.spawn) -> None:
    """Ctrl-C at the next prompt: the run ends with status 130, no traceback."""
    screen(child)
    child.sendintr()
    status, _ = end(child)
    assert status == 130


def test_n_answers_the_pregnancy_question_and_letters_and_0_work_everywhere(
    tmp_path: Path,
) -> None:
    saved = tmp_path / "answers.yaml"
    child = spawn("--save", saved.name, cwd=tmp_path)
    shown = answer(child, "38", "f", "n", "m", "4", "0")
    pregnancy, history, ambiguous, warning = shown[2], shown[3], shown[4], shown[5]
    assert "Are you pregnant, or have you given birth in the last 6 weeks?" in pregnancy
    assert "How long have you had this kind of headache?" in history and "✗" not in history
    # "m": months by its code, years by its label ("More than 1 year")
    assert "How long have you had this kind of headache?" in ambiguous
    assert (
        "✗ 'm' could mean choice 3 (From 3 months to 1 year) or choice 4 (More than 1 year); "
        "type the number or the words of the one you mean." in flat(ambiguous)
    )
    assert "Did this headache reach its worst within about 5 minutes" in warning
    assert "✗" not in warning
    assert "Did this headache build up to its worst within an hour" in screen(child)
    child.sendintr()
    status, _ = end(child)
    assert status == 130
    assert read_yaml(saved) == {**ABOUT_YOU, "sudden_onset": "no"}


def test_a_decimal_comma_a_score_out_of_10_and_weeks_are_taken(tmp_path: Path) -> None:
    answers = read_yaml(MIGRAINE)["answers"]
    prefill = write_yaml(
        tmp_path / "answers.yaml", {k: v for k, v in answers.items() if k not in NUMBERS}
    )
    child = spawn("--answers", prefill.name, "--save", prefill.name, cwd=tmp_path)
    days, duration, intensity = answer(child, "0,5", "3w", "8/10")
    assert "on about how many days a month have you had a headache?" in flat(days)
    assert "How long does a typical headache last" in flat(duration) and "✗" not in duration
    assert "At its worst, how bad is a typical headache" in flat(intensity)
    assert "✗" not in intensity
    stop(child)
    saved = read_yaml(prefill)
    assert {k: saved[k] for k in NUMBERS} == {
        "headache_days_per_month": 0.5,
        "attack_duration_hours": 504,
        "intensity": 8,
    }


def test_a_number_with_an_exponent_is_refused_then_a_plain_one_is_taken(tmp_path: Path) -> None:
    saved = tmp_path / "answers.yaml"
    child = spawn("--save", saved.name, cwd=tmp_path)
    first, refused = answer(child, "1e1", "38")
    assert "How old are you?" in first and "✗" not in first
    assert "How old are you?" in refused
    assert (
        "✗ Must be a whole number from 12 to 120, not '1e1': write the number in plain "
        "digits, without an exponent." in flat(refused)
    )
    after = screen(child)
    assert "Which of these describes you?" in after and "✗" not in after
    child.sendintr()
    status, _ = end(child)
    assert status == 130
    assert read_yaml(saved) == {"age": 38}


def test_a_refused_score_and_an_ambiguous_thousands_comma_say_what_was_typed(
    tmp_path: Path,
) -> None:
    answers = read_yaml(MIGRAINE)["answers"]
    prefill = write_yaml(
        tmp_path / "answers.yaml", {k: v for k, v in answers.items() if k not in NUMBERS}
    )
    child = spawn("--answers", prefill.name, "--save", prefill.name, cwd=tmp_path)
    shown = answer(child, "1,500", "2", "1,500h", "12h", "11/10", "8")
    days, duration, score = flat(shown[1]), flat(shown[3]), flat(shown[5])
    assert "✗ Must be a number from 0 to 31, not '1,500': a comma before three digits" in days
    assert "may separate thousands; write 1500, or 1.500 for a decimal." in days
    assert "not '1,500h': a comma before three digits may separate thousands;" in duration
    assert "✗ Must be a whole number from 1 to 10, not '11/10'." in score
    stop(child)
    saved = read_yaml(prefill)
    assert {k: saved[k] for k in NUMBERS} == {
        "headache_days_per_month": 2,
        "attack_duration_hours": 12,
        "intensity": 8,
    }


# --- bytes that are not text, a NUL (issue 12, items 9 and 13) ----------------------------

UNREADABLE = "That was not readable text; type the answer again."


def spawn_bytes(*args: str, cwd: Path, errors: str = "strict") -> pexpect.spawn:
    """`spawn`, with standard input decoded as UTF-8 with `errors` (a strict UTF-8
    terminal, or Python's default `surrogateescape`); what the terminal echoes of
    bytes that are not UTF-8 is shown as U+FFFD."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "triage", "check", *args],
        cwd=str(cwd),
        env={**environment(), "PYTHONIOENCODING": f"utf-8:{errors}"},
        encoding="utf-8",
        codec_errors="replace",
        dimensions=(40, 80),
        timeout=30,
    )
    child.logfile_read = io.StringIO()
    return child


@pytest.mark.parametrize("errors", ["strict", "surrogateescape"])
@pytest.mark.parametrize("plain", [False, True], ids=["boxes", "plain"])
def test_a_keystroke_that_is_not_utf8_is_refused_calmly_and_asked_again(
    tmp_path: Path, errors: str, plain: bool
) -> None:
    saved = tmp_path / "answers.yaml"
    prompt = PLAIN_PROMPT if plain else PROMPT
    child = spawn_bytes(*(["--plain"] if plain else []), "--save", saved.name, cwd=tmp_path)
    assert "How old are you?" in screen(child, prompt)
    os.write(child.child_fd, b"\xff\xfe\r")  # send(b"...") of a child that reads text
    again = flat(screen(child, prompt))
    assert "How old are you?" in again
    assert f"{'Not accepted: ' if plain else '✗ '}{UNREADABLE}" in again
    assert "\\udc" not in again and "Must be" not in again
    child.sendline("38")
    assert "Which of these describes you?" in screen(child, prompt)
    child.sendintr()
    status, _ = end(child)
    assert status == 130
    assert read_yaml(saved) == {"age": 38}


def test_a_nul_typed_in_plain_keeps_the_whole_entry_and_refuses_it(tmp_path: Path) -> None:
    """`--plain` read its entry as a C string: `38<NUL>abc` was taken as 38, or
    joined to the next line (`381`)."""
    saved = tmp_path / "answers.yaml"
    child = spawn("--plain", "--save", saved.name, cwd=tmp_path)
    assert "How old are you?" in screen(child, PLAIN_PROMPT)
    child.send("38\x00abc\r")
    refused = flat(screen(child, PLAIN_PROMPT))
    assert "How old are you?" in refused
    assert "Not accepted: Must be a whole number from 12 to 120, not '38\\x00abc'." in refused
    child.sendline("39")
    assert "Which of these describes you?" in screen(child, PLAIN_PROMPT)
    child.sendintr()
    status, _ = end(child)
    assert status == 130
    assert read_yaml(saved) == {"age": 39}
