"""Issue 10 at a real terminal (pexpect): what the self-check's screens say.

1. an emergency answer that was undone is said on the result screen;
2. an urgent warning sign brings an early notice, with stop or go on;
3. a headache pattern next to a warning sign says it does not explain it;
4. words, not IDs, on every screen;
6. quiet screens: the notice only where it matters, `--plain` without
   symbols, a review of one line per answer that takes `b` and answers a wrong
   entry with one line.

The helpers are those of `test_check_terminal`: each run has `NO_COLOR=1` on
a 40-row, 80-column terminal, and no traceback may be shown.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pexpect

from triage.model import Content

from .test_check_terminal import (
    ASSESSED,
    PLAIN_PROMPT,
    VIGNETTES,
    answer,
    end,
    flat,
    read_json,
    read_yaml,
    screen,
    spawn,
    write_yaml,
)

UNDONE = (
    "You first gave an emergency answer to: Did this headache reach its worst within "
    "about 5 minutes of starting? Then you changed it. If your first answer was right, "
    "call emergency services or go to an emergency department now."
)
NOT_AN_EXPLANATION = (
    "Headache pattern (not an explanation of the warning signs; have a doctor check those first)"
)
NOTICE = "This is not a diagnosis and not a substitute for a doctor or other clinician."
SYMBOLS = ("!!!", "!!", "✓", "•", "✗")
AT_60 = next(path for path in VIGNETTES if path.stem.startswith("v30-"))  # new headache at 60


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]


def without(answers: dict[str, Any], *qids: str) -> dict[str, Any]:
    return {k: v for k, v in answers.items() if k not in qids}


# --- 1. an undone emergency answer is on the result screen ------------------------------


def test_an_undone_emergency_answer_is_said_right_after_the_level(tmp_path: Path) -> None:
    """The bug: y to the 5-minute question, 2 (undo), n, finish: the result said
    only "ROUTINE — No warning signs found", with no trace of the first answer."""
    answers = without(read_yaml(ASSESSED[0])["answers"], "sudden_onset")
    for plain, prompt in ((False, "> "), (True, PLAIN_PROMPT)):
        prefill = write_yaml(tmp_path / "a.yaml", answers)
        args = ("--plain",) if plain else ()
        child = spawn(*args, "--answers", prefill.name, "--output", "out.json", cwd=tmp_path)
        asked, stop, again, review = answer(child, "y", "2", "n", "", prompt=prompt)
        assert "EMERGENCY" in stop and "Did this headache reach its worst" in again
        status, shown = end(child)
        assert status == 0
        result = flat(shown.split("see your result.")[-1])
        assert UNDONE in result
        assert result.index("ROUTINE") < result.index(UNDONE) < result.index("Warning signs")
        assert read_json(tmp_path / "out.json")["emergency_undone"] == ["sudden_onset"]


# --- 2. the early notice ----------------------------------------------------------------


def test_an_urgent_sign_is_told_at_once_and_stopping_still_asks_the_warning_signs(
    tmp_path: Path,
) -> None:
    """The bug: a new headache at 58 is urgent after question 3, but the person
    answered some 50 more before seeing "see a doctor today"."""
    child = spawn(cwd=tmp_path)
    _, _, history = answer(child, "58", "2", "2")
    assert "How long have you had this kind of headache?" in history
    notice = flat(screen(child))
    assert "!! URGENT: A DOCTOR SHOULD CHECK THIS" in notice
    assert "See a doctor today (within 24 hours)." in notice
    assert "A headache that began within the last year, at 50 or over" in notice
    assert re.search(r"1 Answer only the questions that look for an emergency \(about \d+", notice)
    assert re.search(r"2 Go on to learn about your headache pattern \(about \d+ more", notice)
    assert "Enter picks 1." in notice and NOTICE in notice
    child.sendline("x")  # refused: the notice again, with what to type
    assert "Type 1 to stop, 2 to go on, or b to go back." in flat(screen(child))
    child.sendline("")  # Enter: stop, after the questions that can show an emergency
    assert "Did this headache reach its worst within about 5 minutes" in screen(child)
    child.sendintr()
    status, _ = end(child)
    assert status == 130


def test_stop_at_the_notice_gives_a_stopped_result_at_the_level_reached(
    tmp_path: Path,
) -> None:
    prefill = write_yaml(tmp_path / "a.yaml", without(read_yaml(AT_60)["answers"], "side"))
    child = spawn("--answers", prefill.name, "--output", "out.json", cwd=tmp_path)
    notice = flat(screen(child))
    assert "1 Stop now and see the summary" in notice  # nothing left can show an emergency
    child.sendline("1")
    status, shown = end(child)
    assert status == 0
    result = flat(shown.split("Enter picks 1.")[-1])
    assert "!! URGENT See a doctor today" in result
    assert "Stopped early" in result and "The headache pattern was not assessed." in result
    data = read_json(tmp_path / "out.json")
    assert data["triage_level"] == "urgent" and data["headache_types"] == []
    assert set(data["stopped_early"]) == {"after"}


def test_go_on_at_the_notice_asks_the_rest_and_shows_the_pattern(tmp_path: Path) -> None:
    prefill = write_yaml(tmp_path / "a.yaml", without(read_yaml(AT_60)["answers"], "side"))
    child = spawn("--answers", prefill.name, "--output", "out.json", cwd=tmp_path)
    notice, side, review = answer(child, "2", "3", "")
    assert "URGENT" in notice
    assert "Which side of your head does the pain usually affect?" in side
    assert "Review your answers" in review
    status, shown = end(child)
    assert status == 0
    assert flat(shown).count("A DOCTOR SHOULD CHECK THIS") == 1  # once
    data = read_json(tmp_path / "out.json")
    assert "stopped_early" not in data and data["headache_types"]


# --- 3. patterns after warning signs ----------------------------------------------------


def test_a_pattern_next_to_a_warning_sign_says_it_does_not_explain_it(tmp_path: Path) -> None:
    write_yaml(tmp_path / "a.yaml", read_yaml(AT_60)["answers"])
    child = spawn("--answers", "a.yaml", cwd=tmp_path)
    assert "Review your answers" in screen(child)  # all given: no notice
    child.sendline("")
    status, shown = end(child)
    assert status == 0
    result = flat(shown.split("see your result.")[-1])
    assert "URGENT" in result
    where = result.index(NOT_AN_EXPLANATION)
    assert result.index("Warning signs") < where < result.index("Chronic tension-type")

    write_yaml(tmp_path / "b.yaml", read_yaml(ASSESSED[0])["answers"])  # no warning sign
    child = spawn("--answers", "b.yaml", cwd=tmp_path)
    screen(child)
    child.sendline("")
    status, shown = end(child)
    assert status == 0
    result = "\n".join(lines(shown.split("see your result.")[-1]))
    assert "\nHeadache pattern\n  • Chronic tension-type headache" in result
    assert "not an explanation" not in result


# --- 4. words, not IDs ------------------------------------------------------------------


def test_no_screen_shows_an_id(tmp_path: Path, content: Content) -> None:
    answers = {**read_yaml(AT_60)["answers"], "very_high_blood_pressure": "unsure"}
    prefill = write_yaml(tmp_path / "a.yaml", without(answers, "side"))
    child = spawn("--answers", prefill.name, "--output", "out.json", cwd=tmp_path)
    answer(child, "2", "3", "")
    status, shown = end(child)
    assert status == 0
    rules = content.rules
    ids = [*content.questions.questions, *(f.id for f in rules.red_flags)]
    ids += [p.id for p in rules.patterns]
    assert [i for i in ids if "_" in i and i in shown] == []
    result = flat(shown.split("see your result.")[-1])
    assert "Because you said: How old are you? 60; How long have you had this kind" in result
    assert "You answered unsure to: Was a recent blood pressure reading 180/120" in result
    data = read_json(tmp_path / "out.json")  # the IDs stay in the JSON
    assert data["red_flags"][0]["id"] == "new_headache_over_50"
    assert any("'very_high_blood_pressure'" in w for w in data["warnings"])


# --- 6. quiet screens -------------------------------------------------------------------


def test_the_notice_is_on_the_welcome_the_warnings_and_the_result_only(tmp_path: Path) -> None:
    child = spawn(cwd=tmp_path)
    shown = answer(child, "58", "2", "2", "", "y", "1")
    status, everything = end(child)
    assert status == 0
    assert NOTICE in flat(shown[0].replace("│", " "))  # the welcome
    assert [NOTICE in flat(s) for s in shown[1:]] == [False, False, True, False, True]
    assert flat(everything.replace("│", " ")).count(NOTICE) == 4  # welcome, 2 warnings, result
    assert "Not a diagnosis. In an emergency" not in everything


def test_plain_says_everything_in_words(tmp_path: Path) -> None:
    child = spawn("--plain", cwd=tmp_path)
    answer(child, "abc", "58", "2", "2", "", "y", "1", prompt=PLAIN_PROMPT)
    status, shown = end(child)
    assert status == 0
    assert [symbol for symbol in SYMBOLS if symbol in shown] == []
    text = flat(shown)
    assert "Not accepted: " in text and "'abc'" in text
    assert "URGENT: A DOCTOR SHOULD CHECK THIS" in text and "EMERGENCY: STOP HERE" in text
    assert "Urgent: A headache that began within the last year" in text
    assert "Emergency: A headache that reaches its worst" in text
    result = lines(shown.split("Enter ends now.")[-1])
    assert "EMERGENCY" in result and "  - The headache pattern was not assessed." in result


def review_sections(review: str) -> list[list[str]]:
    """The review's sections: each its title and answer lines."""
    body = lines(review)[2:]  # the echo of the last entry, the rule
    sections: list[list[str]] = []
    for line in body:
        if not line:
            sections.append([])
        elif sections and not line.startswith("Type a number"):
            sections[-1].append(line)
        elif line.startswith("Type a number"):
            break
    return [s for s in sections if s]


def test_the_review_fits_40_rows_a_section_with_one_line_an_answer(tmp_path: Path) -> None:
    answers = read_yaml(ASSESSED[0])["answers"]
    write_yaml(tmp_path / "a.yaml", answers)
    child = spawn("--answers", "a.yaml", cwd=tmp_path)
    review = screen(child)
    sections = review_sections(review)
    assert len(sections) >= 4
    numbers = [int(line.split()[0]) for section in sections for line in section[1:]]
    assert numbers == list(range(1, len(numbers) + 1))  # one line per answer
    assert all(len(section) + 1 <= 40 for section in sections)
    assert max(len(line) for line in lines(review)) <= 80
    child.sendline("")
    assert end(child)[0] == 0


def test_the_review_takes_b_and_a_wrong_entry_reprints_one_line(
    tmp_path: Path, content: Content
) -> None:
    answers = read_yaml(ASSESSED[0])["answers"]
    write_yaml(tmp_path / "a.yaml", answers)
    child = spawn("--answers", "a.yaml", "--output", "out.json", cwd=tmp_path)
    review, wrong, back = answer(child, "99", "b", "")
    assert "Review your answers" in review
    shown = [line for line in lines(wrong)[1:] if line]
    assert shown[0].startswith("✗ '99': Type a number from 1 to ")
    assert len(shown) <= 3 and "Review your answers" not in wrong
    last = [q for qid, q in content.questions.questions.items() if qid in answers][-1]
    assert last.text in flat(back) and "Press Enter to keep it." in back
    assert "Review your answers" in screen(child)
    child.sendline("")
    status, _ = end(child)
    assert status == 0
    assert read_json(tmp_path / "out.json")["triage_level"] == "routine"


# --- 5. questions that fit the answers so far ----------------------------------------


def test_question_words_fit_the_answers_so_far(tmp_path: Path, content: Content) -> None:
    """After "just this one" headache: "this headache", not "usually" or "typical";
    after "both sides": no "painful side"."""
    base = read_yaml(Path(__file__).parent / "cases" / "bases.yaml")
    record = {**base["adult_chronic_tension_type"], "attacks_count": "one"}
    order = list(content.questions.questions)
    before_side = {k: v for k, v in record.items() if order.index(k) < order.index("side")}
    prefill = write_yaml(tmp_path / "a.yaml", before_side)
    child = spawn("--answers", prefill.name, cwd=tmp_path)
    side, location, quality, intensity = answer(child, "3", "1", "2", "5")
    assert "Which side of your head does the pain affect?" in side
    assert "usually" not in side
    assert "What does the pain feel like?" in quality
    assert "At its worst, how bad is this headache, from 1 to 10?" in intensity
    shown = screen(child)
    while "On the painful side" not in shown and "red or watering eye" not in shown:
        child.sendline("n")
        shown = screen(child)
    assert "During a headache, do you get a red or watering eye" in shown
    assert "painful side" not in shown
    child.sendcontrol("c")
    child.expect(pexpect.EOF)


# --- a resized terminal (issue 12, item 13) -------------------------------------------------


def _next_screen(child: pexpect.spawn, first: str) -> list[str]:
    """The lines of the next screen, from the line starting with `first` to the prompt
    (a resize may make line editing draw the prompt again before it)."""
    child.expect_exact(first)
    return lines(first + screen(child))[:-1]


def test_a_resized_terminal_gets_the_next_screen_at_its_new_width(tmp_path: Path) -> None:
    """The width was measured once: started on a wide terminal, the self-check kept
    drawing 80 columns after the terminal shrank to 60."""
    child = spawn(cwd=tmp_path, columns=120)
    first = lines(screen(child))
    assert max(map(len, first)) == 80  # never wider than 80, however wide the terminal
    child.setwinsize(24, 60)
    child.sendline("38")
    narrow = _next_screen(child, "About you · 2 of 4")
    assert len(narrow[0]) == 60 and narrow[0].endswith("─")  # the rule fits the new width
    assert max(map(len, narrow)) <= 60
    assert "Which of these describes you?" in narrow
    child.setwinsize(24, 100)
    child.sendline("1")
    wide = _next_screen(child, "About you · 3 of 4")
    assert len(wide[0]) == 80 and max(map(len, wide)) == 80
    child.sendintr()
    status, _ = end(child)
    assert status == 130
