"""The clinician's handoff as HTML: one A4 page a result, standard library only.

Every value that reaches the page passes through `_e` (control characters made
visible, then `html.escape`): text from the content files and from a result
is data, never markup.  The level is the first thing on the page, in a word;
the warning signs come next, so that they stay on the first page however
many there are.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from triage.model import LEVELS, DryNeedling
from triage.render.consultation import first_clause
from triage.render.handoff_style import STYLE
from triage.render.words import shown
from triage.results.handoff import Answer, Flag, Found, Group, Handoff, Line, Sign
from triage.text import printable

TITLE = "Headache triage: clinician handoff"
WITH_ANSWERS = "triage assess --with-answers"
NO_ANSWERS = (
    "Not in this result: it carries no answers. {what} need them: make the result with "
    f"{WITH_ANSWERS}, or use triage check --report."
)
RECOMMENDATIONS = {
    "refer_first": "refer first: not until a doctor has assessed the warning signs",
    "not_recommended": "not recommended",
    "suitable_with_precautions": "may suit, with precautions",
    "suitable": "may suit",
}
UNSURE = {
    "escalate": "counted as a possible warning sign, at its full level",
    "cap": "counted as a possible warning sign, at most urgent",
    "ignore": "not counted as a warning sign: check it",
}
SIGN_GROUPS = {"yes": "Answered yes", "unsure": "Answered unsure", "no": "Asked and denied"}
HEADACHES = {1: "Main headache", 2: "Other headache", None: "Both headaches together"}
DENSE = 12  # more warning signs than this: a tighter table, so they stay on page 1


def _e(value: object) -> str:
    """Any value as safe HTML text."""
    return html.escape(printable(str(value)), quote=True)


def document(pages: Sequence[Handoff]) -> str:
    """The whole HTML document: one page a result, each starting on a new sheet."""
    title = TITLE if len(pages) != 1 or not pages[0].title else f"{TITLE} · {pages[0].title}"
    body = "\n".join(page(p) for p in pages)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def page(h: Handoff) -> str:
    """One result (or error object) as an `<article>` of one A4 page."""
    level = h.level if h.level in LEVELS else "unknown"
    parts = [
        f'<header class="top"><h1>{_e(TITLE)}</h1>'
        f'<p class="who">{_e(h.title or "(no id)")}</p></header>',
        _level(h, level),
    ]
    if h.other_content:
        parts.append(
            f'<p class="note">Made with other content: this result came from content '
            f"{_e(h.version or '(unknown)')}; the labels on this page are from content "
            f"{_e(h.other_content)} and may not match it. Hashes are at the foot of the page.</p>"
        )
    parts += _story(h)
    parts.append(_flags(h))
    if h.error:
        parts.append(_section("Could not be assessed", _list(h.error)))
    else:
        parts.append(_signs(h))
        band = _patterns(h) + _needling(h.needling) + _unseen(h)
        parts += [f'<div class="band">{band}</div>', _history(h)]
    if h.warnings:
        parts.append(_section("Notes", _list(h.warnings, "plain why")))
    parts.append(f'<p class="notice">{_e(h.notice)}</p>')
    questions, rules = h.hashes
    parts.append(
        f'<p class="made">Made by triage; content {_e(h.version)} · questions sha256 '
        f"<code>{_e(questions)}</code> · rules sha256 <code>{_e(rules)}</code></p>"
    )
    return '<article class="page">\n' + "\n".join(parts) + "\n</article>"


def _level(h: Handoff, level: str) -> str:
    if h.at_least and not h.flags:
        word, advice = "NOT ASSESSED", "No warning sign among the answers given, but incomplete."
    else:
        word = ("AT LEAST " if h.at_least else "") + h.level_title.upper()
        advice = h.advice
    return (
        f'<section class="level lv-{level}"><p class="word">{_e(word)}</p>'
        f'<p class="advice">{_e(advice)}</p></section>'
    )


def _story(h: Handoff) -> list[str]:
    """What the self-check itself records: an early stop and undone emergency answers."""
    stop = f"The self-check stopped early, at an emergency answer to: {h.stopped_after}. "
    out = [stop + "The headache pattern was not assessed."] if h.stopped_after else []
    out += [
        f"Emergency answer changed: {label}. The person first gave an emergency answer "
        "here, then changed it; ask about it."
        for label in h.undone
    ]
    return [f'<p class="note">{_e(line)}</p>' for line in out]


def _section(title: str, body: str) -> str:
    return f"<section><h2>{_e(title)}</h2>{body}</section>"


def _list(items: Iterable[str], cls: str = "") -> str:
    rows = "".join(f"<li>{_e(item)}</li>" for item in items)
    return f'<ul class="{cls}">{rows}</ul>' if rows else ""


def _answer(a: Answer | None) -> str:
    if a is None:
        return "not asked"
    if a.question is None or (a.question.type == "multi") != isinstance(a.value, list):
        # an ID this content does not know, or a value of another type: as it is
        return ", ".join(map(str, a.value)) if isinstance(a.value, list) else str(a.value)
    return shown(a.question, a.value)


def _said(a: Answer) -> str:
    whose = "Other headache, " if a.headache == 2 else ""
    return f"{whose}{a.label}: {_answer(a)}"


def _flags(h: Handoff) -> str:
    title = "Warning signs present" + (" in the answers given" if h.at_least else "")
    if not h.flags:
        return f"<section><h2>{_e(title)}: none</h2></section>"
    rows = "".join(_flag(f) for f in h.flags)
    dense = " dense" if len(h.flags) > DENSE else ""
    table = (
        f'<table class="flags{dense}"><thead><tr><th>Level</th><th>Warning sign</th>'
        f"<th>Because the person answered (source)</th></tr></thead><tbody>{rows}"
        "</tbody></table>"
    )
    return _section(f"{title} ({len(h.flags)})", table)


def _flag(f: Flag) -> str:
    level = f.level if f.level in LEVELS else "unknown"
    tag = '<span class="tag">possible: unsure</span>' if f.certainty == "possible" else ""
    why = "; ".join(_said(a) for a in f.because)
    return (
        f'<tr><td class="lv lv-{level}">{_e(f.level.capitalize())}</td>'
        f'<td class="sign">{_e(f.label)}{tag}</td>'
        f'<td>{_e(why)} <span class="src">· {_e(f.source)}</span></td></tr>'
    )


def _signs(h: Handoff) -> str:
    """Every red-flag question: answered yes, unsure, asked and denied, not asked."""
    title = "Red-flag questions"
    if not h.answers_given:
        text = NO_ANSWERS.format(what="The questions asked and denied")
        return _section(title, f'<p class="note">{_e(text)}</p>')
    parts = []
    for answer, heading in SIGN_GROUPS.items():
        signs = [s for s in h.signs if s.answer == answer]
        if signs:
            items = "".join(_sign(s) for s in signs)
            parts.append(f'<h3>{_e(heading)} ({len(signs)})</h3><ul class="checks">{items}</ul>')
    unasked = [f"{s.label} ({s.why})" for s in h.signs if s.answer is None]
    if unasked:
        listed = _e("; ".join(unasked))
        parts.append(f'<p class="unasked"><b>Not asked ({len(unasked)}):</b> {listed}.</p>')
    return _section(title, "".join(parts))


def _sign(s: Sign) -> str:
    word = s.answer or ""
    note = UNSURE.get(s.policy, "") if s.answer == "unsure" else ""
    extra = f' <span class="why">({_e(note)})</span>' if note else ""
    return f'<li><span class="ans {_e(word)}">{_e(word)}</span>{_e(s.label)}{extra}</li>'


def _patterns(h: Handoff) -> str:
    title = "Headache pattern (ICHD-3)"
    if not h.patterns:
        return _section(title, '<p class="missing">Not assessed.</p>')
    blocks = []
    for which in (1, 2, None) if h.two_headaches else (0,):
        found = [p for p in h.patterns if not h.two_headaches or p.headache == which]
        if found:
            head = f"<h3>{_e(HEADACHES[which])}</h3>" if h.two_headaches else ""
            blocks.append(head + "".join(_pattern(p) for p in found))
    if h.flags:
        blocks.insert(0, '<p class="why">Not an explanation of the warning signs above.</p>')
    blocks += [f'<p class="why">{_e(s)}</p>' for s in h.screens]
    return _section(title, "".join(blocks))


def _pattern(p: Found) -> str:
    details = [d for d in (p.source, p.certainty) if d]
    if p.tenderness is not None:
        details.append(f"pericranial tenderness: {'yes' if p.tenderness else 'no'}")
    about = _e(" · ".join(details))
    head = f'<p><span class="name">{_e(p.name)}</span> <span class="src">{about}</span></p>'
    met = " · ".join(p.criteria)
    criteria = f'<p class="crit"><span class="yn">Criteria met:</span> {_e(met)}</p>' if met else ""
    advice = f'<p class="why">{_e(p.advice)}</p>' if p.advice else ""
    return f'<div class="pattern">{head}{criteria}{advice}</div>'


def _history(h: Handoff) -> str:
    """The headache's answers as a table (a column each for two headaches), then
    every other section's answers as a paragraph."""
    title = "History and medicines"
    if not h.answers_given:
        text = NO_ANSWERS.format(what="The headache history and medicine days")
        return _section(title, f'<p class="note">{_e(text)}</p>')
    tables = [_table(g) for g in h.history if g.headache]
    wide = "".join(tables) if h.two_headaches else ""
    rest = ("" if wide else "".join(tables)) + "".join(
        _paragraph(g) for g in h.history if not g.headache
    )
    return _section(title, f'{wide}<div class="groups">{rest}</div>')


def _table(group: Group) -> str:
    """A headache's answers; its yes/no answers gathered into Yes and No rows."""
    columns = max(len(line.values) for line in group.lines)  # 2: a column each headache
    rows = [_cells(line.label, [_answer(v) for v in line.values]) for line in group.lines]
    rows = [row for row, line in zip(rows, group.lines, strict=True) if not _yes_no(line)]
    for word in ("Yes", "Unsure", "No"):
        cells = [
            "; ".join(
                line.label
                for line in group.lines
                if _yes_no(line) and _answer(line.values[n]) == word
            )
            for n in range(columns)
        ]
        if any(cells):
            rows.append(_cells(word, [cell or "–" for cell in cells]))
    other = "<th>Main</th><th>Other</th>" if columns == 2 else "<th></th>"
    head = f"<thead><tr><th>{_e(group.title)}</th>{other}</tr></thead>"
    return f'<table class="facts c{columns}">{head}<tbody>{"".join(rows)}</tbody></table>'


def _paragraph(group: Group) -> str:
    """A section's answers in one paragraph: `label: value`, then Yes: and No: lists."""
    said = [
        f"{_e(line.label)}: <b>{_e(_answer(line.values[0]))}</b>"
        for line in group.lines
        if not _yes_no(line)
    ]
    for word in ("Yes", "Unsure", "No"):
        labels = [
            line.label for line in group.lines if _yes_no(line) and _answer(line.values[0]) == word
        ]
        if labels:
            said.append(f'<span class="yn">{word}:</span> {_e("; ".join(labels))}')
    return f'<p class="run"><span class="name">{_e(group.title)}.</span> {"; ".join(said)}.</p>'


def _yes_no(line: Line) -> bool:
    return all(
        v is None or (v.question is not None and v.question.type.startswith("yes_no"))
        for v in line.values
    )


def _cells(label: str, values: Sequence[str]) -> str:
    return f"<tr><td>{_e(label)}</td>" + "".join(f"<td>{_e(v)}</td>" for v in values) + "</tr>"


def _needling(n: DryNeedling | None) -> str:
    """The recommendation and its reasons, then what stands against it and what to mind."""
    title = "Dry needling"
    if n is None:
        return _section(title, '<p class="missing">Not assessed.</p>')
    word = RECOMMENDATIONS.get(n.recommendation, n.recommendation)
    reasons = " ".join(first_clause(r) + "." for r in n.reasons)
    parts = [f"<p><b>{_e(word[:1].upper() + word[1:])}.</b> {_e(reasons)}</p>"]
    for heading, items in (
        ("Contraindications", n.contraindications),
        ("Precautions", n.precautions),
        ("Needling targets", n.targets),
    ):
        parts.append(f'<p><span class="yn">{heading}:</span> {_e("; ".join(items) or "none")}</p>')
    return _section(title, "".join(parts))


def _unseen(h: Handoff) -> str:
    """What the content says no answer can show, and the diary to suggest."""
    notes = h.notes
    if not notes.unseen and not notes.diary:
        return _section("For the examination", '<p class="missing">The rules file gives none.</p>')
    source = f'<p class="src">Source: {_e(notes.source)}</p>' if notes.source else ""
    return _section("What a questionnaire cannot see", _list(notes.unseen)) + _section(
        "Suggested headache diary", _list(notes.diary) + source
    )
