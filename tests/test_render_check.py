"""The self-check's screens: readable at 80 columns, plain for screen readers."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from rich.console import RenderableType

from triage import render
from triage.engine.evaluate import red_flags
from triage.model import Content, Section
from triage.render import check as screens
from triage.selfcheck.screens import Ask, EarlyNotice, Emergency, Review, ReviewLine

BOX = re.compile("[─│╭╮╰╯━┃┏┓┗┛]")


@pytest.fixture(autouse=True)
def _colour_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def text(renderable: RenderableType, terminal: bool = False) -> str:
    stream = io.StringIO()
    render.console(stream, terminal=terminal).print(renderable)
    return stream.getvalue()


def section(content: Content, sid: str) -> Section:
    return next(s for s in content.questions.sections if s.id == sid)


def ask(content: Content, qid: str, **changes: object) -> Ask:
    q = content.questions.questions[qid]
    return replace(Ask(q, section(content, q.section), 2, 17), **changes)  # type: ignore[arg-type]


def test_a_question_shows_its_place_its_choices_and_how_to_answer(content: Content) -> None:
    shown = text(screens.question(ask(content, "neuro_symptoms")))
    lines = [line.rstrip() for line in shown.splitlines()]
    assert lines[0].startswith("Warning signs · 2 of 17 ─")
    assert lines[3:6] == ["  1  Yes", "  2  No", "  3  Unsure"]
    assert lines[-1] == "Type y, n or u, or a number from 1 to 3 · ? help · b back · Ctrl-C stop"
    assert "diagnosis" not in shown  # the notice is on the welcome, warnings and result
    assert max(len(line) for line in lines) <= 80


def test_plain_questions_announce_each_choice_and_draw_nothing(content: Content) -> None:
    shown = text(screens.question(ask(content, "sex", number=1, of=4), plain=True))
    assert "About you, question 1 of 4." in shown
    assert "1 of 3: Female\n2 of 3: Male\n3 of 3: Another answer, or prefer not to say" in shown
    assert "? for help, b to go back, Ctrl-C to stop." in " ".join(shown.split())
    assert not BOX.search(shown)


def test_the_section_intro_comes_with_its_first_question(content: Content) -> None:
    intro = section(content, "warning_signs").intro
    first = " ".join(text(screens.question(ask(content, "sudden_onset", number=1))).split())
    later = " ".join(text(screens.question(ask(content, "neuro_symptoms"))).split())
    assert intro in first
    assert intro not in later


def test_a_refused_entry_is_quoted_with_a_cross_and_words(content: Content) -> None:
    refused = ask(content, "age", entered="forty", problem="must be a whole number, not 'forty'")
    assert "✗ Must be a whole number, not 'forty'." in text(screens.question(refused))
    assert "Not accepted: Must be a whole number" in text(screens.question(refused, plain=True))
    empty = ask(content, "age", entered="x y", problem="please type an answer")
    assert "✗ 'x y': Please type an answer." in text(screens.question(empty))


def test_help_and_the_current_answer_are_shown_when_asked(content: Content) -> None:
    screen = ask(content, "location", help=True, current=("forehead", "neck"))
    shown = text(screens.question(screen))
    assert "Help: there is no more help for this question." in shown
    assert "Your answer now: Forehead, Neck. Press Enter to keep it." in shown
    assert "You can choose more than one." in shown


@pytest.mark.parametrize(
    ("qid", "value", "words"),
    [
        ("attack_duration_hours", 0.75, "45 minutes"),
        ("attack_duration_hours", 1, "1 hour"),
        ("attack_duration_hours", 6.5, "6.5 hours"),
        ("sudden_onset", "unsure", "Unsure"),
        ("headache_history", "weeks", "From 1 week to less than 3 months"),
        ("headache_days_per_month", 2.5, "2.5"),
        ("age", 40, "40"),
    ],
)
def test_answers_are_shown_in_everyday_words(
    content: Content, qid: str, value: object, words: str
) -> None:
    assert screens.shown(content.questions.questions[qid], value) == words


def test_text_from_the_content_is_never_read_as_markup(content: Content) -> None:
    screen = ask(content, "age")
    odd = replace(screen.question, text="[bold]Age?[/bold] \x1b[31m")
    shown = text(screens.question(replace(screen, question=odd)), terminal=True)
    assert "[bold]Age?[/bold] \\x1b[31m" in shown


def test_the_emergency_screen_shows_the_advice_each_sign_and_the_two_ways_on(
    content: Content,
) -> None:
    flags = red_flags(content, {"sudden_onset": "yes"})
    q = content.questions.questions["sudden_onset"]
    for plain in (False, True):
        shown = text(screens.emergency(Emergency(q, flags), content, plain))
        assert ("EMERGENCY: STOP HERE" if plain else "!!! EMERGENCY: STOP HERE") in shown
        assert ("Emergency: A headache that" if plain else "!!! A headache that") in shown
        assert ("!!!" in shown) is not plain
        assert content.rules.levels["emergency"].advice in shown
        assert flags[0].rule.summary[:40] in shown.replace("\n", " ")
        assert "End now and see the summary (recommended)" in shown
        assert "Undo my last answer and go on (if it was a mistake)" in shown
        assert content.rules.notice[:30] in shown
        assert bool(BOX.search(shown)) is not plain


def test_the_review_lists_answers_by_section_with_numbers(content: Content) -> None:
    q = content.questions.questions
    entries = (
        ReviewLine(1, section(content, "about"), q["age"], 38),
        ReviewLine(2, section(content, "warning_signs"), q["sudden_onset"], "no"),
    )
    shown = text(screens.review(Review(entries)))
    assert re.search(r"About you\n +1 +How old are you\? +38 *\n", shown)
    assert re.search(r"Warning signs\n +2 +Did this headache .* of starting\? +No *\n", shown)
    assert shown.rstrip().endswith("\nWhen all is right, press Enter to see your result.")
    plain = text(screens.review(Review(entries), plain=True))
    assert "1. How old are you? You said: 38." in plain and not BOX.search(plain)


def test_a_wrong_entry_at_the_review_reprints_only_the_problem_and_the_keys(
    content: Content,
) -> None:
    q = content.questions.questions
    entries = (ReviewLine(1, section(content, "about"), q["age"], 38),)
    refused = Review(entries, entered="9", problem="type a number from 1 to 1")
    for plain in (False, True):
        lines = text(screens.review(refused, plain)).splitlines()
        mark = "Not accepted: " if plain else "✗ "
        assert lines[0] == f"{mark}'9': Type a number from 1 to 1."
        assert "\n".join(lines[1:]) == screens.REVIEW_KEYS


def test_the_welcome_carries_the_notice_and_where_answers_are_saved(content: Content) -> None:
    shown = text(screens.welcome(content, "my answers.yaml", plain=True)).replace("\n", " ")
    assert content.rules.notice in shown
    assert "Your answers are saved as you go in my answers.yaml." in shown


def test_no_color_gives_no_escape_codes(content: Content, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    shown = text(screens.question(ask(content, "sex", problem="nope")), terminal=True)
    assert "\x1b" not in shown and "✗" in shown


def test_an_emergency_from_an_unsure_answer_says_so(content: Content) -> None:
    q = content.questions.questions["sudden_onset"]
    flags = red_flags(content, {"sudden_onset": "unsure"})
    shown = " ".join(text(screens.emergency(Emergency(q, flags), content)).split())
    assert "(You answered unsure; to be safe, it counts.)" in shown
    sure = red_flags(content, {"sudden_onset": "yes"})
    assert "unsure" not in text(screens.emergency(Emergency(q, sure), content))


SKIPPED_LINE = "The other dry-needling safety questions are skipped: a doctor should see you first."


def test_the_skipped_safety_questions_are_explained_in_one_line(content: Content) -> None:
    safety = section(content, "needling_safety")
    told = ask(content, "blood_thinners", number=1, of=1, skipped=(safety,))
    for plain in (False, True):
        shown = " ".join(text(screens.question(told, plain)).split())
        assert shown.count(SKIPPED_LINE) == 1
        assert shown.index(safety.intro) < shown.index(SKIPPED_LINE)
        assert shown.index(SKIPPED_LINE) < shown.index("Do you take blood thinners")
    untold = " ".join(text(screens.question(ask(content, "blood_thinners"))).split())
    assert "skipped" not in untold


def test_the_review_explains_the_skipped_safety_questions_when_it_comes_first(
    content: Content,
) -> None:
    q = content.questions.questions
    safety = section(content, "needling_safety")
    entries = (
        ReviewLine(1, section(content, "about"), q["age"], 38),
        ReviewLine(2, safety, q["blood_thinners"], "no"),
    )
    for plain in (False, True):
        shown = " ".join(text(screens.review(Review(entries, skipped=(safety,)), plain)).split())
        assert shown.count(SKIPPED_LINE) == 1
        assert "skipped" not in text(screens.review(Review(entries), plain))
    alone = text(screens.review(Review(entries[:1], skipped=(safety,))))
    assert (
        "The dry-needling safety questions are skipped: a doctor should see you first."
        in " ".join(alone.split())
    )


def test_each_review_answer_takes_one_line_at_80_columns(content: Content) -> None:
    q = content.questions.questions
    about = section(content, "pattern")
    entries = tuple(ReviewLine(n, about, q[qid], None) for n, qid in enumerate(about.questions, 1))
    lines = text(screens.review(Review(entries))).splitlines()
    assert len(lines) == 1 + 2 + len(entries) + 2  # rule; blank, title; answers; keys
    assert max(len(line) for line in lines) <= 80


def notice(content: Content, needed: int = 12, left: int = 40) -> EarlyNotice:
    flags = red_flags(content, {"age": 58, "headache_history": "weeks"})
    urgent = tuple(f for f in flags if f.level == "urgent")
    return EarlyNotice("urgent", urgent, left, needed)


def test_the_early_notice_shows_the_level_the_advice_why_and_the_two_ways_on(
    content: Content,
) -> None:
    summary = "A headache that began within the last year, at 50 or over, needs a doctor"
    for plain in (False, True):
        shown = " ".join(text(screens.early_notice(notice(content), content, plain)).split())
        head = "URGENT: A DOCTOR SHOULD CHECK THIS"
        assert (head if plain else f"!! {head}") in shown
        assert content.rules.levels["urgent"].advice in shown
        assert ("Urgent: " if plain else "!! ") + summary in shown
        assert (
            "Answer only the questions that look for an emergency (about 12 questions left), "
            "then see the summary"
        ) in shown
        assert "Go on to learn about your headache pattern (about 40 more questions)" in shown
        assert "Enter picks 1." in shown
        assert content.rules.notice in shown
        assert ("!!" in shown) is not plain
        assert bool(BOX.search(shown)) is not plain
    shown = " ".join(text(screens.early_notice(notice(content, 0, 1), content)).split())
    assert "1 Stop now and see the summary" in shown
    assert "(about 1 more question)" in shown


def test_plain_screens_use_words_never_symbols(content: Content) -> None:
    flags = red_flags(content, {"sudden_onset": "yes"})
    q = content.questions.questions
    drawn = [
        screens.question(ask(content, "age", entered="x", problem="no"), plain=True),
        screens.emergency(Emergency(q["sudden_onset"], flags, "x", "no"), content, plain=True),
        screens.early_notice(notice(content), content, plain=True),
        screens.review(Review((ReviewLine(1, section(content, "about"), q["age"], 38),)), True),
        screens.welcome(content, None, plain=True),
    ]
    for shown in map(text, drawn):
        assert not [mark for mark in ("!!", "✓", "•", "✗", "·") if mark in shown], shown


def test_a_warning_screens_title_and_notice_from_the_content_reach_the_terminal_escaped(
    content: Content,
) -> None:
    """The emergency title and the notice come from rules.yaml: escaped like all content."""
    rules = content.rules
    odd_level = replace(rules.levels["emergency"], title="Emer\x1b[31mgency")
    odd = replace(
        content,
        rules=replace(
            rules,
            notice="Not a diagnosis.\x1b]0;owned\x07",
            levels={**rules.levels, "emergency": odd_level},
        ),
    )
    flags = red_flags(content, {"sudden_onset": "yes"})
    q = content.questions.questions["sudden_onset"]
    for plain in (False, True):
        shown = text(screens.emergency(Emergency(q, flags), odd, plain), terminal=True)
        assert "EMER\\x1b[31MGENCY" in shown
        assert "Not a diagnosis.\\x1b]0;owned\\x07" in shown
        assert "\x1b]0;owned" not in shown and "\x1b[31mgency" not in shown.lower()
