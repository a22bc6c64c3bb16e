"""Does benchmarks/reference.py decide as triage does?

    python benchmarks/agree.py BATCH.jsonl TRIAGE_OUT.jsonl

Runs the reference on BATCH (in this process) and compares its results, record
by record, with triage's own output for the same batch
(`triage assess BATCH.jsonl --format jsonl > TRIAGE_OUT.jsonl`): whether the
record is an error; the triage level (`triage_level_at_least` for an error);
the set of red flags as (id, level, certainty); the headache patterns as a list
of (id, headache); the dry-needling recommendation, contraindications,
precautions and targets; the screens; and for an error the missing and
invalid answer IDs.  Texts (summaries, reasons, messages) are not compared.

Prints how many records were compared and how many agree, and the first
disagreements with the fields that differ.  Exit status 0 only if all agree.
"""

from __future__ import annotations

import json
import sys
from itertools import zip_longest
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reference  # noqa: E402  (found beside this file)

SHOWN = 10  # disagreements printed


def decisions(result: dict[str, Any]) -> dict[str, Any]:
    """What is compared of one result object."""
    error = "error" in result
    out: dict[str, Any] = {
        "error": error,
        "level": result.get("triage_level_at_least" if error else "triage_level"),
        "red_flags": sorted((f["id"], f["level"], f["certainty"]) for f in result["red_flags"]),
    }
    if error:
        out["missing"] = result["error"]["missing"]
        out["invalid"] = sorted(result["error"]["invalid"])
        return out
    needling = result["dry_needling"]
    out["headache_types"] = [(p["id"], p.get("headache")) for p in result["headache_types"]]
    out["dry_needling"] = needling["recommendation"]
    out["contraindications"] = needling["contraindications"]
    out["precautions"] = needling["precautions"]
    out["targets"] = needling["targets"]
    out["screens"] = result["screens"]
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python benchmarks/agree.py BATCH.jsonl TRIAGE_OUT.jsonl", file=sys.stderr)
        return 2
    batch, theirs = argv
    compared = agreed = 0
    shown = 0
    with open(theirs, encoding="utf-8") as triage_out:
        for ours, line in zip_longest(reference.results(batch), triage_out):
            compared += 1
            if ours is None or line is None:
                which = "the reference" if ours is None else "triage"
                print(f"record {compared}: only {which} has a result here")
                break
            mine, its = decisions(ours), decisions(json.loads(line))
            if mine == its:
                agreed += 1
                continue
            if shown < SHOWN:
                shown += 1
                where = ours.get("source", compared)
                print(f"{where} (id {ours.get('id')!r}):")
                for key in sorted(mine.keys() | its.keys()):
                    if mine.get(key) != its.get(key):
                        print(f"  {key}: reference {mine.get(key)!r}")
                        print(f"  {' ' * len(key)}  triage    {its.get(key)!r}")
    print(f"{compared} records compared, {agreed} agree, {compared - agreed} disagree")
    return 0 if compared == agreed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
