"""The shipped rules against clinical scenarios: shared vignettes and our own cases."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

import triage
from triage.model import Content
from triage.results import contract

from .scenarios import Scenario, cases, disagreements, vignettes

VIGNETTES = vignettes()
CASES = cases()
ALL = VIGNETTES + CASES


def run(content: Content, scenario: Scenario) -> dict:
    result = triage.evaluate(content, scenario.answers)
    return contract.result_object(content, result)


@pytest.mark.parametrize("scenario", ALL, ids=str)
def test_scenario_through_the_engine(content: Content, scenario: Scenario) -> None:
    out = run(content, scenario)
    assert disagreements(scenario.expect, out) == []
    ignored = [w for w in out["warnings"] if "ignored" in w]
    assert ignored == [], "a scenario must answer only the questions that are asked"


@pytest.mark.parametrize("scenario", VIGNETTES, ids=str)
def test_vignette_through_the_command(tmp_path, scenario: Scenario) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(scenario.answers))
    done = subprocess.run(
        [sys.executable, "-m", "triage", "assess", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert disagreements(scenario.expect, json.loads(done.stdout)) == []


def test_every_rule_outcome_is_exercised_by_a_scenario(content: Content) -> None:
    """Each red flag, pattern, recommendation, contraindication and precaution
    defined in rules.yaml is produced by at least one scenario."""
    seen: dict[str, set[str]] = {
        k: set() for k in ("red_flag", "pattern", "recommendation", "contra", "prec")
    }
    for scenario in ALL:
        out = run(content, scenario)
        seen["red_flag"].update(f["id"] for f in out["red_flags"])
        seen["pattern"].update(p["id"] for p in out["headache_types"])
        seen["recommendation"].add(out["dry_needling"]["recommendation"])
        seen["contra"].update(out["dry_needling"]["contraindications"])
        seen["prec"].update(out["dry_needling"]["precautions"])
    rules = content.rules
    defined = {
        "red_flag": {f.id for f in rules.red_flags},
        "pattern": {p.id for p in rules.patterns},
        "recommendation": set(triage.model.RECOMMENDATIONS),
        "contra": {i.id for i in rules.dry_needling.contraindications},
        "prec": {i.id for i in rules.dry_needling.precautions},
    }
    never = {kind: sorted(defined[kind] - seen[kind]) for kind in defined}
    assert never == {kind: [] for kind in defined}


def test_every_unsure_policy_is_exercised(content: Content) -> None:
    """Some scenario answers `unsure` to a question of each policy."""
    policies = set()
    for scenario in ALL:
        for qid, value in scenario.answers.items():
            question = content.questions.questions.get(qid)
            if value == "unsure" and question is not None:
                policies.add(question.unsure)
    assert policies == {"escalate", "cap", "ignore"}
