"""The clinician's one-page handoff: its data, its HTML and the two commands that write it.

`triage report RESULT.json` reads saved results; `triage check --report FILE`
writes the page of a self-check.  The results here are real: answers through
`assess_record`, JSON and back, as a file would hold them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import triage
from triage.cli import check
from triage.engine.evaluate import conclude
from triage.engine.validate import validate
from triage.intake.record import Record
from triage.model import Content
from triage.render.handoff import document
from triage.results.contract import result_object
from triage.results.handoff import Handoff, flag_questions, handoff
from triage.results.record import assess_record

from .scenarios import vignettes
from .test_cli import run, stderr_lines, write
from .test_record import ADULT

VIGNETTES = {v.name[:3]: v.answers for v in vignettes()}
ROUTINE = {"id": "patient-0042", **ADULT}  # chronic tension-type, no warning sign
EMERGENCY = VIGNETTES["v07"]  # thunderclap
TWO = VIGNETTES["v29"]  # migraine and, on other days, tension-type headache
SECTIONS = (
    "Warning signs present",
    "Red-flag questions",
    "Headache pattern (ICHD-3)",
    "Dry needling",
    "What a questionnaire cannot see",
    "Suggested headache diary",
    "History and medicines",
)


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test works in its own directory and names files as a user types them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def worst(content: Content) -> dict[str, Any]:
    """Every red-flag question answered yes, with answers that let most flags fire."""
    answers = {**ADULT, **{q.id: "yes" for q in flag_questions(content)}}
    answers.update(
        age=52,
        pregnancy="pregnant",
        headache_history="weeks",
        intensity=8,
        vomiting="yes",
        aura="yes",
        aura_types=["visual", "weakness"],
        aura_duration_minutes=90,
        aura_spreads_gradually="yes",
        aura_one_sided="yes",
        aura_positive="yes",
        aura_headache_within_60_min="yes",
        eye_nose_symptoms="yes",
        location=["around_eye", "temples"],
    )
    answers.pop("pattern_change")  # not asked of a new headache
    return answers


def result(
    content: Content, answers: dict[str, Any], source: str = "a.yaml", with_answers: bool = True
) -> dict[str, Any]:
    """The result object of `answers`, as a saved file holds it."""
    out = assess_record(content, Record(source, answers=answers), with_answers=with_answers)
    data: dict[str, Any] = json.loads(json.dumps(out.result))
    return data


def page(content: Content, data: dict[str, Any]) -> str:
    return document([handoff(content, data)])  # type: ignore[arg-type]


def text_of(html: str) -> str:
    """The words of a page, tags out and spaces joined, entities left as written."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- the answers in the result object ---------------------------------------------------


def test_answers_come_only_when_asked_for_in_questionnaire_order(content: Content) -> None:
    plain = result(content, ROUTINE, with_answers=False)
    full = result(content, ROUTINE)
    assert "answers" not in plain
    assert list(full) == [*plain, "answers"]
    order = [q.id for q in content.questions if q.id in full["answers"]]
    assert list(full["answers"]) == order
    assert full["answers"]["location"] == ["forehead", "back_of_head"]  # a JSON list
    assert "jaw_or_scalp_pain" not in full["answers"]  # not asked under 50
    assert "id" not in full["answers"]


def test_an_error_object_never_carries_answers(content: Content) -> None:
    data = result(content, {"age": 70, "sudden_onset": "yes"})
    assert "error" in data and "answers" not in data


# --- the page's data --------------------------------------------------------------------


def test_every_red_flag_question_is_listed_with_what_became_of_it(content: Content) -> None:
    h = handoff(content, result(content, {**ROUTINE, "fever": "unsure"}))  # type: ignore[arg-type]
    by_id = {s.id: s for s in h.signs}
    assert list(by_id) == [q.id for q in flag_questions(content)]
    assert "blood_thinners" in by_id  # a red-flag input outside the warning-sign section
    assert by_id["fever"].answer == "unsure" and by_id["fever"].policy == "escalate"
    assert by_id["sudden_onset"].answer == "no"
    assert by_id["sudden_onset"].label == content.questions.questions["sudden_onset"].clinician
    jaw = by_id["jaw_or_scalp_pain"]
    assert (jaw.answer, jaw.why) == (None, "asked only if age is at least 50")
    assert [f.id for f in h.flags] == ["fever"] and h.flags[0].certainty == "possible"


def test_a_result_without_answers_keeps_its_flags_and_says_what_it_lacks(
    content: Content,
) -> None:
    data = result(content, EMERGENCY, with_answers=False)
    h = handoff(content, data)  # type: ignore[arg-type]
    assert (h.answers_given, h.signs, h.history) == (False, (), ())
    assert [f.id for f in h.flags] == ["thunderclap"]
    words = text_of(page(content, data))
    assert "The questions asked and denied need them" in words
    assert "The headache history and medicine days need them" in words
    assert words.count("triage assess --with-answers") == 2


def test_two_headaches_each_with_their_patterns_and_answers(content: Content) -> None:
    h = handoff(content, result(content, TWO))  # type: ignore[arg-type]
    assert h.two_headaches
    assert [(p.name, p.headache) for p in h.patterns] == [
        ("Migraine without aura", 1),
        ("Frequent tension-type headache", 2),
    ]
    table = h.history[0]
    assert table.headache and table.title == "Each headache"
    days = next(line for line in table.lines if line.label == "Headache days a month")
    assert [a.value if a else None for a in days.values] == [4, 6]
    html = page(content, result(content, TWO))
    assert "<h3>Main headache</h3>" in html and "<h3>Other headache</h3>" in html
    assert "<th>Main</th><th>Other</th>" in html


def test_a_flag_found_on_the_other_headache_names_its_answers_so(content: Content) -> None:
    answers = {**TWO, "other_headache_history": "weeks", "age": 57}
    h = handoff(content, result(content, answers))  # type: ignore[arg-type]
    flag = next(f for f in h.flags if f.id == "recent_onset")
    assert [(a.id, a.headache, a.label) for a in flag.because] == [
        ("other_headache_history", 2, "Present for")
    ]
    assert "Other headache, Present for: From 1 week to less than 3 months" in page(
        content, result(content, answers)
    )


# --- the page ---------------------------------------------------------------------------


def test_a_routine_page_has_every_section_and_the_notice(content: Content) -> None:
    html = page(content, result(content, ROUTINE))
    words = text_of(html)
    assert html.startswith("<!DOCTYPE html>") and "@page { size: A4;" in html
    assert "@media print" in html
    for heading in SECTIONS:
        assert f"<h2>{heading}" in html, heading
    assert "ROUTINE No warning signs found." in words
    assert "Warning signs present: none" in words
    assert content.rules.notice in words
    assert f"content {content.rules.version}" in words
    assert content.questions.sha256 in words and content.rules.sha256 in words
    assert "Chronic tension-type headache ICHD-3 2.3 · definite · pericranial tenderness: yes" in (
        words
    )
    assert "Criteria met: 15 or more headache days a month" in words
    assert "Headache days a month 18" in words  # the history
    assert "Acute medication days a month: 6" in words  # medicine days
    assert "Made with other content" not in words


def test_asked_and_denied_lists_each_red_flag_question_answered_no(content: Content) -> None:
    words = text_of(page(content, result(content, ROUTINE)))
    denied = [q for q in flag_questions(content) if ROUTINE.get(q.id) == "no"]
    assert f"Asked and denied ({len(denied)})" in words
    for q in denied:
        assert f"no {q.clinician}" in words, q.id
    assert (
        "Not asked (1): Jaw claudication or scalp tenderness (asked only if age is at least 50)."
    ) in words


def test_unsure_answers_say_how_the_rules_counted_them(content: Content) -> None:
    answers = {**ROUTINE, "fever": "unsure", "very_high_blood_pressure": "unsure"}
    words = text_of(page(content, result(content, answers)))
    assert "Answered unsure (2)" in words
    assert "Fever or unwell (counted as a possible warning sign, at its full level)" in words
    assert "(not counted as a warning sign: check it)" in words
    assert "Fever or systemically unwell possible: unsure" in words  # the flag it fired


def test_an_emergency_page_puts_the_level_and_its_flag_first(content: Content) -> None:
    html = page(content, result(content, EMERGENCY))
    words = text_of(html)
    assert "EMERGENCY Call emergency services or go to an emergency department now." in words
    assert words.index("EMERGENCY") < words.index("Warning signs present (1)")
    assert words.index("Warning signs present (1)") < words.index("Red-flag questions")
    assert "Thunderclap onset (possible subarachnoid haemorrhage)" in words
    assert "Thunderclap onset (peak within 5 minutes): Yes" in words  # why, by its label
    assert "Refer first" in words
    assert 'class="lv lv-emergency"' in html


def test_an_error_object_shows_the_error_the_flags_and_the_level_at_least(
    content: Content,
) -> None:
    answers = {"id": "walk-in-7", "age": 70, "sudden_onset": "yes", "headache_history": "days"}
    words = text_of(page(content, result(content, answers)))
    assert "AT LEAST EMERGENCY" in words
    assert "Warning signs present in the answers given (3)" in words
    assert "Thunderclap onset (possible subarachnoid haemorrhage)" in words
    assert "Onset within the last year at age 50 or over" in words
    assert "Could not be assessed" in words
    assert re.search(r"\d+ missing: Sex; New focal neurological deficit; ", words)
    assert "Red-flag questions" not in words and "Dry needling" not in words
    assert content.rules.notice in words


def test_an_error_object_without_flags_is_not_assessed(content: Content) -> None:
    data = result(content, {"age": 5})
    words = text_of(page(content, data))
    assert "NOT ASSESSED No warning sign among the answers given, but incomplete." in words
    assert "Could not be assessed Age (years): This self-check is for people aged 12" in words


def test_an_early_stop_and_an_undone_answer_are_on_the_page(content: Content) -> None:
    answers = {"age": 58, "sex": "male", "headache_history": "days", "sudden_onset": "yes"}
    stopped = conclude(content, validate(content, answers), "sudden_onset", ("neuro_symptoms",))
    data = json.loads(json.dumps(result_object(content, stopped, with_answers=True)))
    h = handoff(content, data)
    assert h.patterns == () and h.needling is not None
    assert {s.id: s.why for s in h.signs}["fever"] == "not reached: the questions stopped early"
    words = text_of(page(content, data))
    assert "stopped early, at an emergency answer to: Thunderclap onset" in words
    assert "Emergency answer changed: New focal neurological deficit." in words
    assert "Headache pattern (ICHD-3) Not assessed." in words


def test_a_result_of_other_content_gets_a_visible_note(content: Content) -> None:
    data = result(content, ROUTINE)
    data["content"] = {**data["content"], "version": "2025.1.0", "rules_sha256": "0" * 64}
    h: Handoff = handoff(content, data)  # type: ignore[arg-type]
    assert h.other_content == content.rules.version
    words = text_of(page(content, data))
    assert (
        "Made with other content: this result came from content 2025.1.0; the labels on "
        f"this page are from content {content.rules.version} and may not match it."
    ) in words


def test_answers_of_other_content_are_shown_as_they_are(content: Content) -> None:
    data = result(content, ROUTINE)
    data["answers"].update(fever="maybe", location="forehead")  # not this content's values
    fever = next(s for s in handoff(content, data).signs if s.id == "fever")  # type: ignore[arg-type]
    assert (fever.answer, fever.why) == (None, "answered 'maybe', not one of yes, no, unsure")
    words = text_of(page(content, data))
    assert "Fever or unwell (answered &#x27;maybe&#x27;, not one of yes, no, unsure)" in words
    assert "Site forehead" in words


HOSTILE = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"


def test_content_and_result_text_is_escaped(tmp_path: Path) -> None:
    shipped = Path(triage.__file__).parent
    rules = (shipped / "rules.yaml").read_text(encoding="utf-8")
    rules = rules.replace(
        "clinician: Thunderclap onset (possible subarachnoid haemorrhage)",
        f'clinician: "{HOSTILE}"',
    ).replace("- Every medicine taken", f"- {json.dumps(HOSTILE)} Every medicine taken")
    questions = (shipped / "questions.yaml").read_text(encoding="utf-8")
    questions = questions.replace(
        "clinician: Thunderclap onset (peak within 5 minutes)", f'clinician: "{HOSTILE} x"'
    )
    (tmp_path / "rules.yaml").write_text(rules, encoding="utf-8")
    (tmp_path / "questions.yaml").write_text(questions, encoding="utf-8")
    hostile = triage.load(tmp_path / "questions.yaml", tmp_path / "rules.yaml")
    data = result(hostile, {**EMERGENCY, "id": HOSTILE}, source="<i>a.yaml</i>")
    data["red_flags"][0]["source"] = HOSTILE
    data["warnings"] = [HOSTILE + "\x1b[31m"]
    html = page(hostile, data)
    assert "<script" not in html and "<img" not in html and "<i>" not in html
    assert "\x1b" not in html and "\\x1b[31m" in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;"
    assert html.count(escaped) >= 6  # id, flag label, its why, its source, warning, diary


# --- triage report ----------------------------------------------------------------------


def test_report_writes_one_page_a_result_to_standard_output(content: Content) -> None:
    write("r.json", json.dumps(result(content, ROUTINE)))
    done = run("report", "r.json")
    assert done.exit_code == 0 and done.stderr == ""
    assert done.stdout.count('<article class="page">') == 1
    assert "patient-0042" in done.stdout


def test_report_reads_an_array_and_jsonl_and_writes_a_file(content: Content) -> None:
    objects = [result(content, a) for a in (ROUTINE, EMERGENCY, TWO)]
    write("all.jsonl", "".join(json.dumps(o) + "\n" for o in objects))
    write("all.json", json.dumps(objects, indent=2))
    Path("out.html").write_text("the old report")
    for name in ("all.jsonl", "all.json"):
        done = run("report", name, "-o", "out.html")
        assert done.exit_code == 0
        assert stderr_lines(done) == ["report written to out.html (3 pages)"]
        html = Path("out.html").read_text(encoding="utf-8")
        assert html.count('<article class="page">') == 3
        assert "break-before: page" in html


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("r.json", "hello\n", "r.json:1:1: not valid JSON: Expecting value"),
        ("r.json", "", "r.json: empty; expected triage.result/1 results as JSON or JSONL"),
        ("r.json", "[]", "r.json: an empty list; expected triage.result/1 results"),
        ("r.json", "[1, 2]", "r.json: item 1: not a triage.result/1 object: it is a whole number"),
        (
            "r.json",
            '{"schema": "triage.result/2"}',
            'r.json: not a triage.result/1 object: its schema is "triage.result/2"',
        ),
        ("a.json", '{"age": 38}', "a.json: not a triage.result/1 object: it has no schema"),
        ("a.yaml", "age: 38\nsex: male\n", "a.yaml:1:1: not valid JSON: Expecting value"),
    ],
)
def test_report_refuses_what_is_not_a_result(name: str, text: str, message: str) -> None:
    write(name, text)
    done = run("report", name)
    assert (done.exit_code, done.stdout, stderr_lines(done)) == (2, "", [f"error: {message}"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("notice"), "notice is missing"),
        (
            lambda d: d.update(triage_level="severe"),
            'triage_level is "severe", not one of emergency, urgent, soon, routine',
        ),
        (lambda d: d.update(red_flags={}), "red_flags must be a list, not an object"),
        (lambda d: d["headache_types"][0].pop("criteria"), "headache_types[0].criteria is missing"),
        (lambda d: d.update(answers=[]), "answers must be an object, not a list"),
    ],
)
def test_report_names_the_member_that_does_not_fit(
    content: Content, change: Any, message: str
) -> None:
    data = result(content, ROUTINE)
    change(data)
    write("r.json", json.dumps(data))
    done = run("report", "r.json")
    expected = f"error: r.json: not a valid triage.result/1 object: {message}"
    assert (done.exit_code, stderr_lines(done)) == (2, [expected])


def test_report_names_the_line_of_jsonl_that_is_not_json(content: Content) -> None:
    write("r.jsonl", json.dumps(result(content, ROUTINE)) + "\n\n{oops}\n")
    done = run("report", "r.jsonl")
    assert (done.exit_code, stderr_lines(done)) == (
        2,
        ["error: r.jsonl:3:2: not valid JSON: Expecting property name enclosed in double quotes"],
    )


def test_report_of_a_missing_file_and_a_file_it_cannot_write(content: Content) -> None:
    done = run("report", "nope.json")
    assert (done.exit_code, stderr_lines(done)) == (2, ["error: nope.json: no such file"])
    write("r.json", json.dumps(result(content, ROUTINE)))
    done = run("report", "r.json", "-o", "no/such/folder/r.html")
    assert done.exit_code == 2
    assert stderr_lines(done)[0].startswith("error: no/such/folder/r.html: cannot write here:")


def test_report_reads_standard_input(content: Content) -> None:
    done = run("report", "-", input=json.dumps(result(content, EMERGENCY)))
    assert done.exit_code == 0 and "EMERGENCY" in done.stdout
    done = run("report", "-", input='{"age": 38}')
    assert stderr_lines(done) == ["error: <stdin>: not a triage.result/1 object: it has no schema"]


# --- triage check --report --------------------------------------------------------------


@pytest.fixture
def keyboard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "_keyboard", lambda: True)


@pytest.mark.usefixtures("keyboard")
def test_check_writes_the_report_with_the_answers_it_has(content: Content) -> None:
    write("answers.yaml", ROUTINE)
    done = run("check", "--answers", "answers.yaml", "--report", "handoff.html", input="\n")
    assert done.exit_code == 0
    assert stderr_lines(done)[-1] == "clinician report written to handoff.html"
    words = text_of(Path("handoff.html").read_text(encoding="utf-8"))
    denied = sum(1 for q in flag_questions(content) if ROUTINE.get(q.id) == "no")
    assert f"Asked and denied ({denied})" in words and "Headache days a month 18" in words
    assert "patient-0042" in words and "answers.yaml" in words


@pytest.mark.usefixtures("keyboard")
def test_check_refuses_a_report_it_cannot_write_before_the_first_question() -> None:
    done = run("check", "--report", "no/such/folder/r.html", input="38\n")
    assert done.exit_code == 2
    assert stderr_lines(done)[0].startswith("error: no/such/folder/r.html: cannot write here:")
    assert "How old are you?" not in done.stdout
