"""The clinician's handoff printed by a real browser: one A4 page, warning signs first.

Headless Debian chromium (driven by playwright, `tests/chromium.py`) prints each
report to PDF, and poppler counts its pages, reads page 1's text and draws it as
a PNG.  When any of them is missing the tests fail, saying what to run
(`tests/browser/install`): a print test that skipped would pass on a machine
where nothing was printed.
"""

from __future__ import annotations

import re
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from triage.model import Content

from .chromium import chromium, need
from .test_handoff import EMERGENCY, ROUTINE, TWO, page, result, worst

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture(scope="module")
def browser() -> Iterator[Page]:
    """One headless chromium tab for the whole module."""
    with chromium() as launched:
        yield launched.new_page()


def printed(browser: Page, html: str, where: Path) -> Path:
    """`html` printed on A4 by chromium, as a PDF beside it."""
    source = where / "report.html"
    source.write_text(html, encoding="utf-8")
    browser.goto(source.as_uri())
    pdf = where / "report.pdf"
    browser.pdf(path=str(pdf), format="A4", print_background=True)
    return pdf


def pages(pdf: Path) -> int:
    info = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )


def first_page_text(pdf: Path) -> str:
    done = subprocess.run(
        [need("pdftotext"), "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(done.stdout.split())


def first_page_png(pdf: Path) -> tuple[int, int]:
    """Page 1 drawn at 50 dpi; its width and height in pixels."""
    stem = pdf.with_suffix("")
    subprocess.run(
        [need("pdftoppm"), "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(stem)],
        check=True,
    )
    png = next(pdf.parent.glob(f"{stem.name}*.png")).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.mark.parametrize(
    ("name", "answers"),
    [("routine", ROUTINE), ("emergency", EMERGENCY), ("two headaches", TWO)],
)
def test_a_result_fits_on_one_a4_page(
    browser: Page, content: Content, tmp_path: Path, name: str, answers: dict[str, Any]
) -> None:
    data = result(content, answers)
    pdf = printed(browser, page(content, data), tmp_path)
    assert pages(pdf) == 1, name
    assert first_page_png(pdf) == (414, 586)  # A4 (210 x 297 mm) at 50 dpi
    words = first_page_text(pdf)
    assert content.rules.levels[data["triage_level"]].title.upper() in words
    assert data["advice"] in words
    assert "Asked and denied" in words and "HISTORY AND MEDICINES" in words
    assert " ".join(content.rules.notice.split()) in words


def test_the_worst_case_keeps_the_level_and_every_urgent_flag_on_page_1(
    browser: Page, content: Content, tmp_path: Path
) -> None:
    data = result(content, worst(content))
    flags = [f for f in data["red_flags"] if f["level"] in ("emergency", "urgent")]
    assert len(flags) >= 25  # the case is as bad as it gets
    words = first_page_text(printed(browser, page(content, data), tmp_path))
    assert words.startswith("Headache triage: clinician handoff")
    assert "EMERGENCY" in words and data["advice"] in words
    # every row of the table, one per flag, by its level word and the start of its label
    # (a label that wraps is read with the next column in between)
    for level in ("Emergency", "Urgent"):
        count = sum(1 for f in flags if f["level"] == level.lower())
        assert len(re.findall(rf"\b{level}\b", words)) == count, level
    labels = {f.id: f.clinician for f in content.rules.red_flags}
    missing = [f["id"] for f in flags if " ".join(labels[f["id"]].split()[:3]) not in words]
    assert missing == []


def test_several_results_print_one_page_each(
    browser: Page, content: Content, tmp_path: Path
) -> None:
    from triage.render.handoff import document
    from triage.results.handoff import handoff

    handoffs = [handoff(content, result(content, a)) for a in (ROUTINE, EMERGENCY, TWO)]  # type: ignore[arg-type]
    assert pages(printed(browser, document(handoffs), tmp_path)) == 3
