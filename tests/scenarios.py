"""Clinical scenarios as data: the shared vignettes and the project's own cases.

A vignette is one file with full `answers`; a case in `cases/*.yaml` names a
base answer set from `cases/bases.yaml` and the answers it sets or unsets.
Both carry the same `expect` block, compared by `disagreements`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
VIGNETTES = HERE / "vignettes"
CASES = HERE / "cases"


@dataclass(frozen=True)
class Scenario:
    name: str
    answers: dict[str, Any]
    expect: dict[str, Any]

    def __str__(self) -> str:
        return self.name


def vignettes() -> list[Scenario]:
    out = []
    for path in sorted(VIGNETTES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        out.append(Scenario(path.stem, doc["answers"], doc["expect"]))
    return out


def cases() -> list[Scenario]:
    bases = yaml.safe_load((CASES / "bases.yaml").read_text())
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        if path.name == "bases.yaml":
            continue
        for case in yaml.safe_load(path.read_text())["cases"]:
            answers = dict(bases[case["base"]])
            answers.update(case.get("set", {}))
            for key in case.get("unset", []):
                answers.pop(key, None)
            out.append(Scenario(f"{path.stem}: {case['name']}", answers, case["expect"]))
    return out


def disagreements(expect: dict[str, Any], out: dict[str, Any]) -> list[str]:
    """What differs between an `expect` block and a result object."""
    if "error" in out:
        return [f"error object: {out['error']}"]
    errs = []
    if out["triage_level"] != expect["triage_level"]:
        errs.append(f"triage_level {out['triage_level']} (want {expect['triage_level']})")
    got = {f["id"]: f for f in out["red_flags"]}
    if set(got) != set(expect["red_flags"]):
        errs.append(f"red_flags {sorted(got)} (want {sorted(expect['red_flags'])})")
    else:
        for key, certainty in expect.get("red_flag_certainty", {}).items():
            if got[key]["certainty"] != certainty:
                errs.append(f"{key} certainty {got[key]['certainty']} (want {certainty})")
        for key, level in expect.get("red_flag_levels", {}).items():
            if got[key]["level"] != level:
                errs.append(f"{key} level {got[key]['level']} (want {level})")
    types = sorted(t["id"] for t in out["headache_types"])
    if types != sorted(expect["headache_types"]):
        errs.append(f"headache_types {types} (want {sorted(expect['headache_types'])})")
    if "headache_list" in expect:  # spec v3: each pattern with the headache it was found on

        def key(pair: list[Any]) -> tuple[str, int]:
            return pair[0], pair[1] or 0

        listed = sorted(([t["id"], t["headache"]] for t in out["headache_types"]), key=key)
        if listed != sorted(expect["headache_list"], key=key):
            errs.append(f"headache_list {listed} (want {expect['headache_list']})")
    dn = out["dry_needling"]
    if dn["recommendation"] != expect["dry_needling"]:
        errs.append(f"dry_needling {dn['recommendation']} (want {expect['dry_needling']})")
    for key in ("precautions", "contraindications"):
        if sorted(dn[key]) != sorted(expect.get(key, [])):
            errs.append(f"{key} {sorted(dn[key])} (want {sorted(expect.get(key, []))})")
    for word in expect.get("warnings_mention", []):
        if not any(word in w for w in out["warnings"]):
            errs.append(f"no warning mentions {word!r}: {out['warnings']}")
    return errs
