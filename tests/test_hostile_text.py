"""Text from a content file never drives the terminal (issue 12, item 5).

Copies of the shipped `questions.yaml` and `rules.yaml` carry, in every text
field (titles, intros, question texts and their `text_when` variants, help,
labels, summaries, advice, means, reasons, sources, the notice, the version),
double-quoted YAML escapes: an OSC title sequence ended by BEL, CSI colour
sequences (7-bit and C1), a line break followed by a forged `age: 99` line, a
bare carriage return, a right-to-left override, a line separator and a
zero-width no-break space.  Every command that shows content text shows them
as visible escapes: `validate`, `questions`, `questions --template` (still a
YAML file whose keys are exactly the question IDs), `assess --format text`,
and `check` at a real terminal (pexpect) through the question screens, help,
the early notice, the emergency box, a refused entry, the review, "Stopped
early", the result and `--plain`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage.model import Content

from .test_check_terminal import (
    ABOUT_YOU_TYPED,
    PLAIN_PROMPT,
    PROMPT,
    VIGNETTES,
    answer,
    end,
    environment,
    read_yaml,
    spawn,
    write_yaml,
)

ROOT = Path(__file__).parent.parent
HOSTILE = " \x1b]0;owned\x07 \x1b[31mred \x9b1m \nage: 99 \rX \u202eY \u2028Z \ufeff."
SHOWN = r" \x1b]0;owned\x07 \x1b[31mred \x9b1m \nage: 99 \rX \u202eY \u2028Z \ufeff."
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2028", "\ufeff")
TEXT_KEYS = {  # every key whose value is text a person may see
    "title", "intro", "text", "help", "below_min", "unsure_advice", "notice", "version",
    "summary", "advice", "means", "reason", "source",
}  # fmt: skip
TEXT_MAPPINGS = {"options", "reasons"}  # code -> label, reason name -> text
TEXT_LISTS = {"unseen", "diary"}
AT_60 = next(path for path in VIGNETTES if path.stem.startswith("v30-"))  # urgent, at 60
TYPED_AT_60 = {"nausea": "none", "vomiting": "n"}  # left out of the prefill, typed


def _spoiled(value: Any, key: str | None = None) -> Any:
    """`value` with HOSTILE after every text a person may see."""
    if isinstance(value, dict):
        if key in TEXT_MAPPINGS:
            return {k: v + HOSTILE for k, v in value.items()}
        return {k: _spoiled(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if key in TEXT_LISTS:
            return [v + HOSTILE for v in value]
        return [_spoiled(v, key if key == "text_when" else None) for v in value]
    if isinstance(value, str) and key in TEXT_KEYS:
        return value + HOSTILE
    return value


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the hostile `q.yaml` and `r.yaml`, written with escapes."""
    where = tmp_path_factory.mktemp("hostile")
    for name, to in (("questions.yaml", "q.yaml"), ("rules.yaml", "r.yaml")):
        data = yaml.safe_load((ROOT / "triage" / name).read_text(encoding="utf-8"))
        text = yaml.safe_dump(_spoiled(data), sort_keys=False, allow_unicode=False, width=10**6)
        assert "\\e]0;owned\\a" in text or "\\x1B]0;owned\\a" in text  # escapes, not raw bytes
        (where / to).write_text(text, encoding="utf-8")
    return where


def run(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", *args, "--questions", "q.yaml", "--rules", "r.yaml"],
        cwd=where,
        env=environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def inert(shown: str, content_shown: bool = True) -> None:
    """No character from the content reaches the terminal raw: no escape, bell, bidi
    control, separator or stray carriage return, and no forged `age: 99` line.
    `content_shown`: the hostile text is there to be seen."""
    for char in RAW:
        assert char not in shown, f"{char!r} reached the terminal"
    assert "\r" not in shown.replace("\r\n", "\n")
    assert ("age: 99" in shown) == content_shown  # the hostile text was shown...
    forged = [line for line in shown.splitlines() if line.strip(" │┃").startswith("age: 99")]
    assert forged == []  # ...never on a line of its own
    # the program's own line breaks stay line breaks: only the content's are escapes
    escaped = re.finditer(r"\\n(?!age:|AGE:)", shown)
    assert [shown[m.start() - 30 : m.end() + 30] for m in escaped] == []


def test_validate_shows_the_version_escaped_on_its_line(hostile: Path) -> None:
    done = run(hostile, "validate")
    version = yaml.safe_load((hostile / "r.yaml").read_text(encoding="utf-8"))["version"]
    plain = version.removesuffix(HOSTILE)
    assert done.stdout.splitlines() == [
        "q.yaml: 87 questions in 6 sections",
        f"r.yaml: version {plain}{SHOWN}: 36 red flags, 12 patterns, 32 facts, 1 screen",
        "no problems found",
    ]
    assert done.stderr == ""
    inert(done.stdout)


def test_the_questions_table_shows_every_text_escaped(hostile: Path) -> None:
    done = run(hostile, "questions")
    assert done.returncode == 0, done.stderr
    assert "About you" + SHOWN in " ".join(done.stdout.split())
    inert(done.stdout)


def test_the_template_keeps_each_text_on_one_comment_line(hostile: Path, content: Content) -> None:
    done = run(hostile, "questions", "--template")
    assert done.returncode == 0, done.stderr
    inert(done.stdout)
    read = yaml.safe_load(done.stdout)
    assert list(read) == ["id", *content.questions.questions]  # no `age: 99` injected
    assert set(read.values()) == {None}
    lines = done.stdout.splitlines()
    assert f"# How old are you?{SHOWN}" in lines
    assert f"#     female  Female{SHOWN}" in lines
    assert f"# --- About you{SHOWN} ---" in lines


def test_assess_as_text_shows_every_text_escaped(hostile: Path) -> None:
    records = hostile / "records.jsonl"
    chosen = [VIGNETTES[0], AT_60, next(p for p in VIGNETTES if p.stem.startswith("v07-"))]
    lines = [json.dumps(read_yaml(path)["answers"]) + "\n" for path in chosen]
    records.write_text("".join(lines), encoding="utf-8")
    done = run(hostile, "assess", "records.jsonl", "--format", "text")
    assert done.returncode == 0, done.stderr
    assert "Dry needling" in done.stdout and "EMERGENCY" in done.stdout
    inert(done.stdout)
    inert(done.stderr, content_shown=False)


# --- `triage check` at a real terminal ------------------------------------------------------


def spawn_hostile(where: Path, *args: str) -> Any:
    return spawn(*args, "--questions", "q.yaml", "--rules", "r.yaml", cwd=where)


@pytest.mark.parametrize("plain", [False, True], ids=["boxes", "plain"])
def test_check_to_the_emergency_box_and_stopped_early(hostile: Path, plain: bool) -> None:
    prompt = PLAIN_PROMPT if plain else PROMPT
    child = spawn_hostile(hostile, *(["--plain"] if plain else []))
    shown = answer(child, *ABOUT_YOU_TYPED, "?", "y", "x", "1", prompt=prompt)
    assert "Help: " in shown[5]
    assert "EMERGENCY" in shown[6] and "STOP HERE" in shown[6]
    refused = "Not accepted: " if plain else "✗ "
    assert f"{refused}'x': Type 1 to end now, or 2 to undo." in " ".join(shown[7].split())
    status, everything = end(child)
    assert status == 0
    assert "Stopped early" in everything
    assert ("About you" + SHOWN.split("\\r")[0]) in " ".join(everything.split())
    inert(everything)


@pytest.mark.parametrize("plain", [False, True], ids=["boxes", "plain"])
def test_check_through_the_early_notice_and_the_review(hostile: Path, plain: bool) -> None:
    answers = {k: v for k, v in read_yaml(AT_60)["answers"].items() if k not in TYPED_AT_60}
    write_yaml(hostile / "at-60.yaml", answers)
    child = spawn_hostile(hostile, "--answers", "at-60.yaml", *(["--plain"] if plain else []))
    typed = ("2", "?", *TYPED_AT_60.values(), "zz", "")
    notice, *asked, review, refused = answer(
        child, *typed, prompt=PLAIN_PROMPT if plain else PROMPT
    )
    assert "A DOCTOR SHOULD CHECK THIS" in notice
    assert "Help: " in asked[1]
    assert "Review your answers" in review
    assert "Your headaches" + SHOWN.split("\\r")[0] in " ".join(review.split())
    assert "Type a number from 1 to" in " ".join(refused.split())
    status, everything = end(child)
    assert status == 0
    assert "URGENT" in everything and "Headache pattern" in everything
    inert(everything)


def test_the_hostile_marks_are_what_printable_shows() -> None:
    """SHOWN is HOSTILE as `printable` writes it: the tests above match it."""
    from triage.text import printable

    assert printable(HOSTILE) == SHOWN
    assert re.search(r"[\x00-\x1f]", SHOWN) is None
