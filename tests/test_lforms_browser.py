"""The exported FHIR Questionnaire in a real form renderer: LHC-Forms in headless Chromium.

A person's answers are put in the way a person would: a choice is picked from
the list the form shows, a number typed, a unit chosen. The form then exports
the QuestionnaireResponse, and `triage assess` reads it to the same result as
the answers file. Questions appear only when the exported `enableWhen` and
`enableWhenExpression` say so, as LHC-Forms evaluates them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from tests.chromium import BROWSER_DIR, INSTALL, chromium, serving
from triage.engine.validate import asked
from triage.model import Content

if TYPE_CHECKING:
    from playwright.sync_api import Page

VIGNETTES = Path(__file__).parent / "vignettes"
ROUTINE = VIGNETTES / "v01-chronic-tension-type-headache-with-tender-neck-muscles.yaml"
EMERGENCY = VIGNETTES / "v07-thunderclap-headache.yaml"
HOURS = "h"


def triage(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def questionnaire() -> dict[str, Any]:
    done = triage("export", "fhir")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    if not (BROWSER_DIR / "lforms" / "VERSION").is_file():
        pytest.fail(f"LHC-Forms is not installed; run {INSTALL}", pytrace=False)
    with serving(BROWSER_DIR) as base, chromium() as browser:
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(f"{base}/lforms.html")
        tab.wait_for_function("() => !!(window.LForms && LForms.Util && LForms.Util.addFormToPage)")
        yield tab
        assert errors == []


def items_of(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every item of the questionnaire, in the order the form shows them."""
    for item in items:
        yield item
        yield from items_of(item.get("item", []))


def show(page: Page, questionnaire: dict[str, Any]) -> None:
    page.evaluate(
        """q => { const form = document.getElementById('form'); form.innerHTML = '';
                   return LForms.Util.addFormToPage(q, form, {prepopulate: false}); }""",
        questionnaire,
    )
    page.wait_for_selector("lhc-item")


def display_of(item: dict[str, Any], code: str) -> str:
    for option in item["answerOption"]:
        coding = option["valueCoding"]
        if coding["code"] == code:
            return str(coding["display"])
    raise AssertionError(f"{item['linkId']}: no option with the code {code!r}")


def pick(page: Page, link_id: str, text: str, *, unit: bool = False) -> None:
    """Pick `text` as a person does: its radio button or check box, else from the list."""
    if not unit:
        item = page.locator(f'lhc-item[id^="item-{link_id}/"]').first
        button = item.locator("label.ant-radio-wrapper, label.ant-checkbox-wrapper")
        choice = button.get_by_text(text, exact=True)
        if choice.count():
            choice.first.click()
            return
    page.locator(f'input[id^="{"unit_" if unit else ""}{link_id}/"]').first.click()
    page.locator("#completionOptions li").filter(has_text=text).first.click()


def fill(page: Page, questionnaire: dict[str, Any], answers: dict[str, Any]) -> None:
    """Answer the form's questions in order; every answer's question must be showing."""
    for item in items_of(questionnaire["item"]):
        link_id = item["linkId"]
        if link_id not in answers:
            continue
        field = page.locator(f'[id^="{link_id}/"]')
        assert field.count(), f"{link_id} is answered but the form does not show it"
        value = answers[link_id]
        kind = item["type"]
        if kind in ("choice", "open-choice", "coding"):
            for code in value if isinstance(value, list) else [value]:
                pick(page, link_id, display_of(item, str(code)))
        elif kind == "quantity":
            field.first.fill(str(value))
            units = [
                ext["valueCoding"]
                for ext in item.get("extension", [])
                if ext["url"].endswith("questionnaire-unitOption")
            ]
            hours = next(unit for unit in units if unit["code"] == HOURS)
            pick(page, link_id, hours["display"], unit=True)
        else:
            field.first.fill(str(value))
            field.first.press("Tab")


def shown(page: Page, questionnaire: dict[str, Any]) -> list[str]:
    """The questions the form shows now, in order (groups and help texts left out)."""
    ids = page.eval_on_selector_all("lhc-item.lhc-item-question", "items => items.map(i => i.id)")
    showing = {item_id.removeprefix("item-").split("/")[0] for item_id in ids}
    return [
        item["linkId"]
        for item in items_of(questionnaire["item"])
        if item["type"] not in ("group", "display") and item["linkId"] in showing
    ]


def response_of(page: Page) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4',
                                                   document.getElementById('form'))"""
        )
    )


def assessed(path: Path) -> dict[str, Any]:
    done = triage("assess", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    result = dict(json.loads(done.stdout))
    for volatile in ("id", "source"):
        result.pop(volatile, None)
    return result


@pytest.mark.parametrize("vignette", [ROUTINE, EMERGENCY], ids=["routine", "emergency"])
def test_a_case_filled_in_lhc_forms_is_assessed_as_its_answers(
    page: Page, questionnaire: dict[str, Any], vignette: Path, tmp_path: Path, content: Content
) -> None:
    case = yaml.safe_load(vignette.read_text())
    show(page, questionnaire)
    fill(page, questionnaire, case["answers"])
    assert shown(page, questionnaire) == [q.id for q in asked(content, case["answers"])]

    response = response_of(page)
    assert response["resourceType"] == "QuestionnaireResponse"
    assert response["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"
    (tmp_path / "response.json").write_text(json.dumps(response))
    (tmp_path / "answers.yaml").write_text(yaml.safe_dump(case["answers"]))

    from_form = assessed(tmp_path / "response.json")
    assert from_form == assessed(tmp_path / "answers.yaml")
    assert from_form["triage_level"] == case["expect"]["triage_level"]
    assert sorted(flag["id"] for flag in from_form["red_flags"]) == sorted(
        case["expect"]["red_flags"]
    )
