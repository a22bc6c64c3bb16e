"""Where one record's time goes, stage by stage, in this process.

    python benchmarks/bench.py --stages [--records 20000]

Each record of a batch goes through the stages `triage assess --format jsonl`
runs, each timed on its own with `time.perf_counter_ns`:

- read: the JSONL line parsed (`triage.intake.documents.parsed`: msgspec or
  the strict reader, duplicate-key and nesting checks);
- validate: every answer checked and normalised (`engine.validate.validate_into`);
- red flags: the record's views and memos made, and the red flags read
  (all three readings of `unsure` answers);
- patterns: which patterns hold (their tests, on memos the red flags filled;
  the compiled program tests every rule in one sweep when the red flags are
  read, so this stage then only reads what the sweep found);
- explanations: the rest of `Findings.patterns`: each pattern's `because`
  (the answers that made it hold) and criteria in plain words, and the
  exclusions between patterns;
- dry needling and screens (`Findings.dry_needling`, `Findings.screens`);
- result object (`results.contract.result_object`);
- write: the result as a JSONL line (`results.writers.encode`).

The sum is compared with the whole of `finish` (what a batch does per
record, timed over the same records), the difference being bookkeeping:
the `Result`, the warnings, the tally's `Brief`.  Records that cannot be
assessed are left out of the stages (they stop after validation).
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path
from types import MappingProxyType

from triage.engine.flags import fired, new_memos, triage_level
from triage.engine.findings import Findings
from triage.engine.program import program_of
from triage.engine.validate import validate_into
from triage.intake.documents import jsonl_records, parsed
from triage.intake.lines import Lines
from triage.intake.record import Record
from triage.model import Content, Result
from triage.results.batch import finish
from triage.results.contract import result_object
from triage.results.writers import encode

STAGES = (
    "read",
    "validate",
    "red flags",
    "patterns",
    "explanations",
    "dry needling and screens",
    "result object",
    "write",
)


def stages(content: Content, path: Path) -> dict[str, float]:
    """Microseconds a record for each stage of the assessable records of `path`."""
    with open(path, "rb") as stream:
        records = list(jsonl_records(str(path), Lines(stream)))
    for record in records[:2000]:  # as a batch runs: warm, the program compiled
        finish(content, record, "jsonl", ",")
    program = program_of(content)  # the compiled program, once a batch has begun
    spent: dict[str, int] = defaultdict(int)
    clock = time.perf_counter_ns
    assessable = []
    for record in records:
        t0 = clock()
        read = parsed(record)
        t1 = clock()
        if read.answers is None:
            continue
        checked, values = validate_into(content, read.answers, program)
        t2 = clock()
        if not checked.complete:
            continue
        assessable.append(record)
        spent["read"] += t1 - t0
        spent["validate"] += t2 - t1

        t0 = clock()  # the red flags, then which patterns hold, on the memos they filled
        views = program.views.of(values)
        memos = new_memos(program, views)
        flags = fired(content, program, values, views, memos)
        t1 = clock()
        for view, memo in zip(views, memos, strict=True):
            program.fit(view.answers, memo)
        t2 = clock()
        spent["red flags"] += t1 - t0
        spent["patterns"] += t2 - t1
        tests = t2 - t1

        views = program.views.of(values)  # again: the whole of the patterns' work
        memos = new_memos(program, views)
        fired(content, program, values, views, memos)
        found = Findings(content, program, values, views, memos)
        t0 = clock()
        patterns = found.patterns()
        t1 = clock()
        needling = found.dry_needling(flags, patterns)
        screens = found.screens()
        t2 = clock()
        spent["explanations"] += max(0, t1 - t0 - tests)
        spent["dry needling and screens"] += t2 - t1

        result = Result(
            triage_level=triage_level(flags),
            red_flags=flags,
            headache_types=patterns,
            dry_needling=needling,
            screens=screens,
            answers=MappingProxyType(values),
            warnings=checked.warnings,
        )
        t0 = clock()
        obj = result_object(content, result, read.answers.get("id"), read.source)
        t1 = clock()
        encode("jsonl", obj)
        t2 = clock()
        spent["result object"] += t1 - t0
        spent["write"] += t2 - t1
    count = len(assessable)
    per = {name: spent[name] / count / 1000 for name in STAGES}
    whole = _whole(content, assessable)
    print(f"\n## one record, stage by stage ({count:,} records assessed, in-process)")
    print("| stage | µs a record |")
    print("|---|---|")
    for name in STAGES:
        print(f"| {name} | {per[name]:.1f} |")
    print(f"| sum of the stages | {sum(per.values()):.1f} |")
    print(f"| the whole of `finish` (the stages and their bookkeeping) | {whole:.1f} |")
    return per


def _whole(content: Content, records: list[Record]) -> float:
    """µs a record for `finish` (what a batch does for each record)."""
    started = time.perf_counter_ns()
    for record in records:
        finish(content, record, "jsonl", ",")
    return (time.perf_counter_ns() - started) / len(records) / 1000
