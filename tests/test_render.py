"""The screen a person reads: level first in words and a symbol, calm at 80 columns."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage import render
from triage.intake.record import Record
from triage.model import Content
from triage.results.record import assess_record

from .test_record import ADULT, adult

ESC = "\x1b"


def screen(
    content: Content,
    answers: dict[str, Any],
    *,
    terminal: bool = False,
    source: str = "answers.yaml",
) -> str:
    out = assess_record(content, Record(source, answers=answers)).result
    return show(out, content, terminal=terminal)


def show(data: dict[str, Any], content: Content | None, *, terminal: bool = False) -> str:
    stream = io.StringIO()
    render.console(stream, terminal=terminal).print(render.result(data, content))
    return stream.getvalue()


@pytest.fixture(autouse=True)
def _colour_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def trimmed(text: str) -> str:
    """The screen without the spaces that pad its lines on the right."""
    return "\n".join(lines(text)) + "\n"


def test_routine_result_reads_level_then_pattern_then_dry_needling(content: Content) -> None:
    text = screen(content, {**ADULT, "id": "p1"})
    shown = [line for line in lines(text) if line]
    assert shown[0].startswith("─") and " answers.yaml · p1 " in shown[0]
    assert shown[1:3] == ["✓ ROUTINE", "  No warning signs found."]
    assert "Warning signs: none found" in text
    assert "Headache pattern" in text and "Chronic tension-type headache" in text
    assert "Tender head or neck muscles: yes" in text
    assert "Dry needling: may suit you" in text
    assert shown[-2:] == [
        "This is not a diagnosis and not a substitute for a doctor or other clinician. In",
        "an emergency, call your local emergency number (such as 999, 112 or 911) now.",
    ]


def test_red_flags_come_first_with_a_word_a_symbol_and_what_to_do(content: Content) -> None:
    text = screen(content, adult(sudden_onset="unsure", head_injury="yes"))
    shown = [line for line in lines(text) if line]
    assert shown[1:3] == [
        "!!! EMERGENCY",
        "    Call emergency services or go to an emergency department now.",
    ]
    assert "  !!! Emergency: A headache that reaches its worst within about 5 minutes can" in text
    assert "Possible: you were unsure, so it counts, to be safe." in text
    flat = " ".join(text.split())
    assert (
        "Because you said: Did this headache reach its worst within about 5 minutes of "
        "starting? Unsure"
    ) in flat
    assert "thunderclap" not in text and "sudden_onset" not in text  # words, not IDs
    assert "Dry needling: see a doctor first" in text


@pytest.mark.parametrize(
    ("answers", "first"),
    [
        ({"head_injury": "yes"}, "!! URGENT"),
        ({"eye_nose_symptoms": "yes", "side": "one_side_same"}, None),
    ],
)
def test_each_level_has_its_word_and_symbol(
    content: Content, answers: dict[str, Any], first: str | None
) -> None:
    out = assess_record(content, Record("a.yaml", answers={**ADULT, **answers})).result
    text = show(out, content)
    level = out["triage_level"]
    symbol = render.LEVEL_LOOK[level][0]
    assert f"{symbol} {content.rules.levels[level].title.upper()}" in text
    if first:
        assert first in text


def test_precautions_and_contraindications_are_said_in_plain_words(content: Content) -> None:
    text = screen(content, {**ADULT, "blood_thinners": "yes", "diabetes": "unsure"})
    assert "Dry needling: may suit you, with precautions" in text
    assert "  Precautions" in text
    assert "    - Blood thinners or a bleeding disorder raise the risk of bruising and" in text
    shown, consult = trimmed(text).split("To bring up at a consultation")
    assert shown.count("Diabetes can slow healing") == 1  # not again among the reasons
    assert "    - Diabetes can slow healing and raise infection risk\n" in consult
    text = screen(content, {**ADULT, "needle_fear": "yes"})
    assert "Dry needling: not recommended" in text
    assert "  Not advised because of" in text
    assert "You have a strong fear of needles" in text


def test_each_pattern_lists_the_criteria_that_made_it_fit(content: Content) -> None:
    text = screen(content, ADULT)
    shown = lines(text)
    start = shown.index("    Fits because:")
    assert shown[start + 1 : start + 4] == [
        "      - 15 or more headache days a month",
        "      - The headache has been there for 3 months or more",
        "      - Attacks last 30 minutes or longer",
    ]
    assert "Tender head or neck muscles: yes" in shown[start - 1]
    assert "cluster" not in text.lower()  # an exclusion is not a reason


def test_two_patterns_each_with_their_own_criteria(content: Content) -> None:
    answers = {**ADULT, "headache_days_per_month": 8, "neck_movement_triggers": "yes"}
    text = trimmed(screen(content, {**answers, "side": "one_side_same"}))
    assert "\nHeadache patterns\n" in text
    assert text.count("Fits because:") == 2
    assert (
        "      - Which side of your head does the pain usually affect? One side, always\n" in text
    )


def test_the_screen_reads_level_flags_patterns_dry_needling_then_notice(
    content: Content,
) -> None:
    text = screen(content, {**ADULT, "pattern_change": "yes", "blood_thinners": "yes"})
    order = [
        "! SOON",
        "Warning signs\n",
        "Headache pattern (not an explanation of the warning signs; have a doctor check",
        "Fits because:",
        "Dry needling: see a doctor first",
        "  Precautions\n",
        "  To bring up at a consultation\n",
        "This is not a diagnosis",
    ]
    where = [text.index(part) for part in order]
    assert where == sorted(where)


def test_the_consultation_list_is_short_and_in_plain_words(content: Content) -> None:
    text = screen(content, {**ADULT, "pattern_change": "yes", "needle_fear": "yes"})
    consult = lines(text.split("To bring up at a consultation\n")[1].split("\n\n")[0])
    assert consult == [
        "    - The warning signs listed above",
        "    - Headache pattern: Chronic tension-type headache (ICHD-3 2.3)",
        "    - Any medicines you take for headache, and on how many days a month",
        "    - You have a strong fear of needles or would not accept them",
    ]


def test_the_consultation_list_names_the_medicines_the_result_shows(content: Content) -> None:
    answers = {**ADULT, "painkiller_days": 20, "painkiller_types": ["triptan", "simple"]}
    text = trimmed(screen(content, answers))
    assert "Medication-overuse headache" in text
    assert (
        "    - Medicines for headache on 20 days a month: Simple painkillers, such as\n"
        "      paracetamol (acetaminophen), ibuprofen, aspirin or naproxen; Triptans,\n"
        "      such as sumatriptan, rizatriptan or zolmitriptan\n"
    ) in text


def test_a_record_with_problems_shows_its_red_flags_first(content: Content) -> None:
    text = screen(content, {"age": 70, "sex": "male", "sudden_onset": "yes", "fever": [1]})
    shown = [line for line in lines(text) if line]
    assert shown[1:4] == [
        "!!! AT LEAST EMERGENCY",
        "    Call emergency services or go to an emergency department now.",
        "    Incomplete, but the answers given already show a warning sign.",
    ]
    assert "Could not complete the assessment" in text
    assert "  • 43 answers missing: headache_history, neuro_symptoms," in text
    assert "blood_thinners" in text and "needle_fear" not in text  # optional after a red flag
    assert "  • fever: must be yes, no or unsure, not [1]" in text
    assert "reaches its worst within about 5 minutes" in text and "thunderclap" not in text
    assert content.rules.notice[:40] in " ".join(text.split())


def test_a_record_with_problems_and_no_red_flags_is_not_called_routine(content: Content) -> None:
    text = screen(content, {**ADULT, "age": 130})
    assert "ROUTINE" not in text
    assert (
        "? NOT ASSESSED — no warning sign among the answers given, but the assessment is "
        "incomplete."
    ) in " ".join(text.split())
    assert "  • age: must be a whole number from 12 to 120, not 130" in text


def test_a_self_check_that_stopped_early_says_so(content: Content) -> None:
    data = assess_record(content, Record("a.yaml", answers=adult(sudden_onset="yes"))).result
    data.update(headache_types=[], stopped_early={"after": "sudden_onset"})
    text = show(data, content)
    assert (
        "Stopped early\n"
        "  • The questions stopped after: Did this headache reach its worst within about\n"
        "    5 minutes of starting?\n"
        "  • The headache pattern was not assessed."
    ) in "\n".join(line.rstrip() for line in text.splitlines())
    without_content = show(data, None)
    assert "The questions stopped after: sudden_onset" in without_content
    assert text.index("!!! EMERGENCY") < text.index("Stopped early")


def test_a_self_check_that_stopped_early_shows_no_pattern_or_consultation_list(
    content: Content,
) -> None:
    data = assess_record(content, Record("a.yaml", answers=adult(sudden_onset="yes"))).result
    assert "Headache pattern" in show(data, content)
    data["stopped_early"] = {"after": "sudden_onset"}  # even if patterns were left in the data
    text = show(data, content)
    for part in ("Headache pattern", "Fits because", "Chronic tension-type", "To bring up"):
        assert part not in text
    assert "Dry needling: see a doctor first" in text


def test_an_unreadable_file(content: Content) -> None:
    out = assess_record(
        content, Record("x.json", error="x.json:1:2: not valid JSON: oops", fallback_id="x.json")
    ).result
    text = show(out, content)
    assert "Could not read the answers\n  • x.json:1:2: not valid JSON: oops" in text
    assert "This is not a diagnosis" in text


def test_every_line_fits_in_80_columns(content: Content) -> None:
    for answers in (
        ADULT,
        adult(sudden_onset="unsure", blood_thinners="yes"),
        {"age": 70},
        {**ADULT, "agee": 1},
        {**ADULT, "neck_movement_triggers": "yes", "side": "one_side_same", "diabetes": "yes"},
        {**ADULT, "painkiller_days": 20, "painkiller_types": ["triptan", "combination"]},
        {**ADULT, "pattern_change": "yes", "needle_fear": "yes", "skin_problem_at_site": "yes"},
    ):
        text = re.sub(r"\x1b\[[0-9;]*m", "", screen(content, answers, terminal=True))
        assert max(len(line) for line in text.splitlines()) <= 80


def test_markup_in_answers_and_content_prints_literally(content: Content) -> None:
    answers = {**ADULT, "id": "[bold]p1[/bold]", "sex": "[red]f", "[i]x": 1}
    text = screen(content, answers, terminal=True, source="[b]answers.yaml")
    assert "[b]answers.yaml · [bold]p1[/bold]" in text
    assert "sex: unknown code '[red]f'; expected one of female, male, other" in text
    assert "unknown answer ID '[i]x' ignored" in text
    data = assess_record(content, Record("a.yaml", answers={**ADULT, "head_injury": "yes"})).result
    data["red_flags"][0]["summary"] = "Look [bold red]here[/] :warning: now"
    data["notice"] = "[link=http://example.org]Not a diagnosis[/link]"
    data["headache_types"][0]["criteria"] = ["[b]bold[/b] \x1b[31mred"]
    text = show(data, content, terminal=True)
    assert "      - [b]bold[/b] \\x1b[31mred" in text
    assert "Look [bold red]here[/] :warning: now" in text
    assert "[link=http://example.org]Not a diagnosis[/link]" in text
    assert "⚠" not in text


def test_no_escape_codes_when_not_a_terminal(content: Content) -> None:
    assert ESC not in screen(content, adult(sudden_onset="yes"), terminal=False)


def test_no_escape_codes_with_no_color_even_on_a_terminal(
    content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = adult(sudden_onset="yes")
    assert ESC in screen(content, answers, terminal=True)  # the styles exist...
    monkeypatch.setenv("NO_COLOR", "1")
    text = screen(content, answers, terminal=True)  # ...and NO_COLOR drops every one
    assert ESC not in text
    assert "!!! EMERGENCY" in text
    assert "Fits because:" in text and "To bring up at a consultation" in text


def test_a_wide_terminal_still_gets_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert render.console(io.StringIO(), terminal=True).width == 80
    monkeypatch.setenv("COLUMNS", "60")
    assert render.console(io.StringIO(), terminal=True).width == 60


def test_questions_table_lists_every_question_and_the_notice(content: Content) -> None:
    stream = io.StringIO()
    render.console(stream).print(render.questions_table(content))
    text = stream.getvalue()
    for qid in content.questions.questions:
        assert f" {qid} " in text
    assert "a whole number from 12" in text  # the age row (the long other_ IDs narrow it)
    assert "This is not a diagnosis" in text
    assert max(len(line) for line in text.splitlines()) <= 80


# --- two headaches (spec v3) -----------------------------------------------------------


def two_headaches(content: Content, swap: bool = False, **changes: Any) -> dict[str, Any]:
    """The shared vignette of migraine and, on other days, tension-type headache;
    `swap` makes the tension-type headache the main one."""
    path = Path(__file__).parent / "vignettes"
    found = path / "v29-migraine-and-on-other-days-tension-type-headache.yaml"
    answers: dict[str, Any] = yaml.safe_load(found.read_text(encoding="utf-8"))["answers"]
    second = content.questions.second
    assert second is not None
    if swap:
        for main, other in second.twins.items():
            answers[main], answers[other] = answers.get(other), answers.get(main)
        answers = {k: v for k, v in answers.items() if v is not None}
    return {**answers, **changes}


def headings(text: str) -> list[str]:
    """The lines that start at the left edge: the title rule, headings, the notice."""
    return [line for line in lines(text) if line and not line.startswith(" ")]


def test_two_headaches_show_the_main_and_the_other_headache_apart(content: Content) -> None:
    text = screen(content, two_headaches(content))
    shown = headings(text)
    assert not [line for line in shown if line.startswith("Headache pattern")]
    assert shown[shown.index("Your main headache") + 1] == "Your other headache"
    main, other = text.index("\nYour main headache\n"), text.index("\nYour other headache\n")
    assert main < text.index("  • Migraine without aura") < other
    assert other < text.index("  • Frequent tension-type headache") < text.index("Dry needling")
    assert "Both headaches together" not in text
    assert max(len(line) for line in lines(text)) <= 80


def test_medication_overuse_with_two_headaches_is_listed_for_both_together(
    content: Content,
) -> None:
    answers = two_headaches(
        content,
        swap=True,
        headache_days_per_month=10,
        other_headache_days_per_month=6,
        painkiller_days=20,
    )
    data = assess_record(content, Record("a.yaml", answers=answers)).result
    assert [(p["id"], p["headache"]) for p in data["headache_types"]] == [
        ("tension_type_frequent", 1),
        ("medication_overuse", None),
        ("migraine_without_aura", 2),
    ]
    text = show(data, content)
    shown = headings(text)
    at = shown.index("Your main headache")
    assert shown[at : at + 3] == [
        "Your main headache",
        "Your other headache",
        "Both headaches together",
    ]
    together = text.index("\nBoth headaches together\n")
    assert text.index("  • Migraine without aura") < together
    assert together < text.index("  • Medication-overuse headache") < text.index("Dry needling")


def _without_headache(data: dict[str, Any]) -> dict[str, Any]:
    """The result as it was before spec v3: patterns without `headache`."""
    types = [{k: v for k, v in p.items() if k != "headache"} for p in data["headache_types"]]
    return {**data, "headache_types": types}


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(ADULT, id="one headache"),
        pytest.param(
            {**ADULT, "painkiller_days": 20, "painkiller_types": ["triptan"]},
            id="one headache and medication overuse",
        ),
    ],
)
def test_one_headache_keeps_the_one_list_of_patterns(
    content: Content, answers: dict[str, Any]
) -> None:
    data = assess_record(content, Record("a.yaml", answers=answers)).result
    text = show(data, content)
    assert "\nHeadache pattern" in text and "Your main headache" not in text
    assert text == show(_without_headache(data), content)


def test_another_headache_without_patterns_of_its_own_keeps_the_one_list(
    content: Content,
) -> None:
    answers = two_headaches(content, headache_days_per_month=8, other_headache_days_per_month=10)
    data = assess_record(content, Record("a.yaml", answers=answers)).result
    assert [(p["id"], p["headache"]) for p in data["headache_types"]] == [
        ("chronic_migraine", 1)
    ]  # the other headache's tension-type days count in the chronic migraine
    text = show(data, content)
    assert "\nHeadache pattern\n" in text and "Your other headache" not in text


# --- issue 10: undone emergencies, patterns after warnings, words, plain ----------------

SYMBOLS = ("!!!", "!!", "✓", "•", "✗")


def test_an_undone_emergency_answer_is_said_right_after_the_level(content: Content) -> None:
    data = assess_record(content, Record("a.yaml", answers=ADULT)).result
    data["emergency_undone"] = ["sudden_onset"]
    said = (
        "You first gave an emergency answer to: Did this headache reach its worst within "
        "about 5 minutes of starting? Then you changed it. If your first answer was right, "
        "call emergency services or go to an emergency department now."
    )
    for plain in (False, True):
        stream = io.StringIO()
        render.console(stream).print(render.result(data, content, plain))
        text = " ".join(stream.getvalue().split())
        assert said in text
        assert text.index("ROUTINE") < text.index(said) < text.index("Warning signs")
    assert "emergency answer to: sudden_onset" in " ".join(show(data, None).split())


def test_a_pattern_next_to_a_warning_sign_is_not_an_explanation_of_it(content: Content) -> None:
    text = trimmed(screen(content, {**ADULT, "head_injury": "yes"}))
    heading = (
        "\nHeadache pattern (not an explanation of the warning signs; have a doctor check\n"
        "those first)\n"
    )
    assert heading in text
    assert text.index("Warning signs\n") < text.index(heading) < text.index("Dry needling")
    calm = trimmed(screen(content, ADULT))
    assert "\nHeadache pattern\n" in calm and "not an explanation" not in calm


def test_two_headaches_with_a_warning_sign_say_it_above_both_lists(content: Content) -> None:
    text = trimmed(screen(content, two_headaches(content, head_injury="yes")))
    heading = text.index("\nHeadache patterns (not an explanation of the warning signs;")
    assert text.index("Warning signs\n") < heading < text.index("\nYour main headache\n")


def test_warnings_name_questions_in_words(content: Content) -> None:
    answers = {**adult(very_high_blood_pressure="unsure"), "sex": "male", "pregnancy": "no"}
    data = assess_record(content, Record("a.yaml", answers=answers)).result
    assert any("'very_high_blood_pressure'" in w for w in data["warnings"])  # IDs in JSON
    text = " ".join(show(data, content).split())
    assert "very_high_blood_pressure" not in text and "'pregnancy'" not in text
    assert "You answered unsure to: Was a recent blood pressure reading 180/120" in text
    assert "So it cannot count as a warning sign. Get your blood pressure measured" in text
    assert (
        "Your answer to “Are you pregnant, or have you given birth in the last 6 weeks?” "
        "was not used"
    ) in text


def test_a_flag_names_the_answers_behind_it_in_words(content: Content) -> None:
    answers = {**ADULT, "age": 58, "headache_history": "weeks"}
    text = " ".join(screen(content, answers).split())
    assert (
        "Because you said: How old are you? 58; How long have you had this kind of "
        "headache? From 1 week to less than 3 months"
    ) in text
    assert "new_headache_over_50" not in text and "headache_history" not in text


def test_the_plain_result_uses_words_and_no_symbols(content: Content) -> None:
    for answers in (ADULT, adult(sudden_onset="unsure", head_injury="yes")):
        data = assess_record(content, Record("a.yaml", answers=answers)).result
        stream = io.StringIO()
        render.console(stream).print(render.result(data, content, plain=True))
        text = stream.getvalue()
        assert not [symbol for symbol in SYMBOLS if symbol in text]
        assert text.splitlines()[1] in ("ROUTINE", "EMERGENCY")
    assert "  - Emergency: A headache that reaches its worst" in text


def test_the_consultation_list_says_which_headache_each_pattern_belongs_to(
    content: Content,
) -> None:
    text = screen(content, two_headaches(content))
    consult = lines(text.split("To bring up at a consultation\n")[1].split("\n\n")[0])
    assert consult[:3] == [
        "    - Headache pattern (your main headache): Migraine without aura (ICHD-3 1.1)",
        "    - Headache pattern (your other headache): Frequent tension-type headache",
        "      (ICHD-3 2.2)",
    ]


# --- a record that could not be assessed never reads as routine (issue 12, item 14) ---


def test_an_error_record_says_not_assessed_or_at_least_its_level_never_routine(
    content: Content,
) -> None:
    urgent = trimmed(screen(content, {"age": 70, "sex": "male", "headache_history": "weeks"}))
    shown = [line for line in urgent.splitlines() if line]
    assert shown[1:4] == [
        "!! AT LEAST URGENT",
        "   See a doctor today (within 24 hours).",
        "   Incomplete, but the answers given already show a warning sign.",
    ]
    assert "Could not complete the assessment" in urgent
    partial = " ".join(screen(content, {"age": 40, "sex": "male"}).split())
    assert "? NOT ASSESSED — no warning sign among the answers given, but the assessment" in (
        partial
    )
    unread = Record("nonexist.csv", error="nonexist.csv: no such file", fallback_id="nonexist.csv")
    text = trimmed(show(assess_record(content, unread).result, content))
    assert [line for line in text.splitlines() if line][1:4] == [
        "? NOT ASSESSED — nothing could be read, so there is no triage level.",
        "Could not read the answers",
        "  • nonexist.csv: no such file",
    ]
    for each in (urgent, partial, text):
        assert "routine" not in each.lower()
