"""Speed and memory of `triage assess`, side by side with a hand-written reference.

    python benchmarks/bench.py [--records 20000] [--repeat 3]   # triage vs reference
    python benchmarks/bench.py --jobs 2 [--records 100000]      # --jobs 2 vs --jobs 1
    python benchmarks/bench.py --memory                        # peak RSS: 10k vs 1M records
    python benchmarks/bench.py --startup [--runs 15]           # one record: start-up
    python benchmarks/bench.py --stages [--records 20000]       # where a record's time goes
    python benchmarks/bench.py --profile [--records 20000]     # cProfile, through the CLI
    python benchmarks/bench.py --all                           # all of it, and the README table
    python benchmarks/bench.py --keep FILE [--records N]       # only write a batch to FILE

Every mode runs the installed command as a user does, in a child process
(`python -m triage assess FILE --format jsonl`, standard output to /dev/null),
and reads the child's CPU time and peak memory from `wait4`.  The machine's
speed drifts from hour to hour, so each figure that is compared is measured in
the same run as what it is compared with, the runs interleaved, and reported
as a ratio.  See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from records import OTHER_HEADACHE, _record, generate, mix

import triage
from triage.model import Content

HERE = Path(__file__).resolve().parent
COMMAND = [sys.executable, "-m", "triage", "assess"]
REFERENCE = [sys.executable, str(HERE / "reference.py")]
Run = dict[str, float]


def run(argv: list[str]) -> Run:
    """Run `argv` as a child, standard output to /dev/null: wall and CPU seconds,
    peak RSS (MiB), exit status and lines on standard error."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        # wait4 gives this child's own resource use, and the processes it waited
        # for (--jobs workers): CPU summed, ru_maxrss (KiB) the largest of them
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr_lines = err.read().decode("utf-8", "replace").splitlines()
    if code not in (0, 1, 3):  # 1: some record failed; 3: --fail-on
        sys.exit(f"{' '.join(argv)} exited {code}:\n" + "\n".join(stderr_lines[-20:]))
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "status": code,
        "stderr": len(stderr_lines),
    }


def triage_argv(path: Path, *extra: str) -> list[str]:
    return [*COMMAND, str(path), "--format", "jsonl", *extra]


def medians(argvs: dict[str, list[str]], repeat: int, count: int) -> dict[str, Run]:
    """Each command run `repeat` times, interleaved; the median of each figure,
    with records per wall and per CPU second."""
    runs: dict[str, list[Run]] = {name: [] for name in argvs}
    for _ in range(repeat):
        for name, argv in argvs.items():
            runs[name].append(run(argv))
    out = {}
    for name, got in runs.items():
        wall = statistics.median(r["wall"] for r in got)
        cpu = statistics.median(r["cpu"] for r in got)
        rss = max(r["rss"] for r in got)
        out[name] = {"wall": wall, "cpu": cpu, "rss": rss, "per_wall": count / wall}
        out[name]["per_cpu"] = count / cpu
    return out


def batch(folder: Path, name: str, records: int, seed: int, other: float) -> Path:
    path = folder / f"{name}.jsonl"
    workers = min(os.cpu_count() or 1, max(1, records // 20_000))
    started = time.perf_counter()
    generate(path, records, seed, workers, other)
    took = time.perf_counter() - started
    print(
        f"# {name}: {records:,} records, {path.stat().st_size / 1e6:.1f} MB, made in {took:.1f} s"
    )
    return path


# --- the modes ----------------------------------------------------------------------


def side_by_side(folder: Path, records: int, repeat: int, seed: int) -> dict[str, float]:
    """triage and the reference on a one-headache and a two-headache batch."""
    figures = {}
    print(f"\n## triage assess vs the hand-written reference (1 core, {repeat} runs each)")
    print("| batch | reference rec/s (CPU / wall) | triage rec/s (CPU / wall) | ratio CPU / wall |")
    print("|---|---|---|---|")
    for name, other in (("one-headache", 0.0), ("two-headache", 1.0)):
        path = batch(folder, name, records, seed, other)
        got = medians(
            {"ref": [*REFERENCE, str(path)], "triage": triage_argv(path)}, repeat, records
        )
        ref, tri = got["ref"], got["triage"]
        cpu, wall = tri["per_cpu"] / ref["per_cpu"], tri["per_wall"] / ref["per_wall"]
        figures[f"{name} cpu"], figures[f"{name} wall"] = cpu, wall
        print(
            f"| {name} | {ref['per_cpu']:,.0f} / {ref['per_wall']:,.0f} "
            f"| {tri['per_cpu']:,.0f} / {tri['per_wall']:,.0f} | {cpu:.2f}× / {wall:.2f}× |"
        )
    print("target: triage at least 0.5× the reference in CPU time (stretch 0.67×)")
    return figures


def jobs(folder: Path, records: int, repeat: int, seed: int, workers: int) -> float:
    """`--jobs N` against `--jobs 1` on the usual mix, in wall time."""
    path = batch(folder, "mixed", records, seed, OTHER_HEADACHE)
    argvs = {"1": triage_argv(path, "--jobs", "1"), "N": triage_argv(path, "--jobs", str(workers))}
    got = medians(argvs, repeat, records)
    ratio = got["N"]["per_wall"] / got["1"]["per_wall"]
    print(f"\n## --jobs {workers} vs --jobs 1 ({records:,} records, {repeat} runs each)")
    for name, label in (("1", "--jobs 1"), ("N", f"--jobs {workers}")):
        r = got[name]
        print(
            f"{label:>9}: {r['per_wall']:,.0f} records/s wall, {r['wall']:.2f} s, "
            f"{r['cpu']:.2f} s CPU, peak RSS {r['rss']:.0f} MiB"
        )
    print(f"ratio {ratio:.2f}× (target at least 1.6× with 2 on 2 cores; {os.cpu_count()} here)")
    return ratio


def memory(folder: Path, small: int, large: int, seed: int) -> float:
    """Peak RSS of one run on `small` and on `large` records."""
    print(f"\n## peak memory: {small:,} vs {large:,} records (--jobs 1)")
    peaks = {}
    for count in (small, large):
        path = batch(folder, f"memory-{count}", count, seed, OTHER_HEADACHE)
        got = run(triage_argv(path))
        peaks[count] = got["rss"]
        print(
            f"{count:>10,} records: peak RSS {got['rss']:.1f} MiB, {got['wall']:.1f} s wall, "
            f"{count / got['wall']:,.0f} records/s"
        )
        path.unlink()
    ratio = peaks[large] / peaks[small]
    print(f"ratio {ratio:.3f} (target at most 1.10)")
    return ratio


def one_yaml(content: Content, folder: Path, seed: int) -> Path:
    """A single answers file in YAML (one complete record with no red flag)."""
    rng = random.Random(seed)
    while True:
        record = _record(content, rng, 1)
        try:
            result = triage.evaluate(content, record)
        except triage.AnswerError:
            continue
        if not result.red_flags:
            break
    path = folder / "one.yaml"
    path.write_text(
        "".join(
            f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in record.items()
        )
    )
    return path


def _timed(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def startup(content: Content, folder: Path, runs: int, seed: int) -> float:
    """One-record `triage assess` against the bare import of typer, rich and PyYAML."""
    # as an install does: with PYTHONDONTWRITEBYTECODE set, every run would
    # otherwise compile the package's sources again
    compileall.compile_dir(Path(triage.__file__).parent, quiet=1)
    one = one_yaml(content, folder, seed)
    # the installed `triage` script, as a user types it (else `python -m triage`)
    script = Path(sys.executable).with_name("triage")
    command = [str(script), "assess"] if script.exists() else COMMAND
    assess = [*command, str(one), "--format", "json"]
    imports = [sys.executable, "-c", "import typer, rich.console, yaml"]
    for argv in (assess, imports, assess):  # warm the file cache, bytecode, content cache
        _timed(argv)
    a_times: list[float] = []
    i_times: list[float] = []
    for _ in range(runs):  # interleaved, so that drift in machine load hits both
        a_times.append(_timed(assess))
        i_times.append(_timed(imports))
    a, i = statistics.median(a_times), statistics.median(i_times)
    print(f"\n## start-up: one record ({runs} runs each, interleaved)")
    print(f"triage assess one.yaml --format json          median {a * 1000:6.1f} ms")
    print(f'python -c "import typer, rich.console, yaml"  median {i * 1000:6.1f} ms')
    print(f"ratio {a / i:.2f} (target at most 1.0, stretch 0.5)")
    return a / i


def profile(path: Path, top: int) -> None:
    """One batch in this process under cProfile, through the CLI's entry point."""
    from triage import cli

    profiler = cProfile.Profile()
    with (
        open(os.devnull, "w") as null,
        contextlib.redirect_stdout(null),
        contextlib.redirect_stderr(null),
    ):
        started = time.perf_counter()
        profiler.enable()
        try:
            cli.main(["assess", str(path), "--format", "jsonl"])
        except SystemExit:
            pass
        finally:
            profiler.disable()
        wall = time.perf_counter() - started
    print(f"profiled wall time {wall:.2f} s (cProfile slows it down)")
    for order in ("tottime", "cumulative"):
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(order)
        stats.print_stats(top)
        print(f"\n--- by {order} ---")
        print(text.getvalue().split("\n\n", 2)[-1].rstrip())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, help="records a batch holds (default per mode)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, metavar="N", help="compare --jobs N with --jobs 1")
    parser.add_argument("--memory", action="store_true", help="peak RSS, small vs large batch")
    parser.add_argument("--startup", action="store_true", help="compare start-up times")
    parser.add_argument("--runs", type=int, default=15, help="runs for --startup")
    parser.add_argument("--stages", action="store_true", help="time each stage of a record")
    parser.add_argument("--profile", action="store_true", help="cProfile one batch in-process")
    parser.add_argument("--top", type=int, default=30, help="lines of the profile shown")
    parser.add_argument("--all", action="store_true", help="every figure, for the README")
    parser.add_argument("--keep", type=Path, metavar="FILE", help="write a batch to FILE, stop")
    parser.add_argument(
        "--other-headache",
        type=float,
        default=OTHER_HEADACHE,
        metavar="SHARE",
        help="for --keep, --stages and --profile: share of records with a second headache",
    )
    opts = parser.parse_args(argv)
    content = triage.load()
    with tempfile.TemporaryDirectory(prefix="triage-bench-") as tmp:
        folder = Path(tmp)
        if opts.keep is not None:
            generate(opts.keep, opts.records or 20_000, opts.seed, 2, opts.other_headache)
            print(mix(content, opts.keep))
        elif opts.startup:
            startup(content, folder, opts.runs, opts.seed)
        elif opts.memory:
            memory(folder, 10_000, opts.records or 1_000_000, opts.seed)
        elif opts.jobs:
            jobs(folder, opts.records or 100_000, opts.repeat, opts.seed, opts.jobs)
        elif opts.stages or opts.profile:
            path = batch(folder, "mixed", opts.records or 20_000, opts.seed, opts.other_headache)
            if opts.stages:
                from stages import stages

                stages(content, path)
            else:
                profile(path, opts.top)
        elif opts.all:
            everything(content, folder, opts)
        else:
            side_by_side(folder, opts.records or 20_000, opts.repeat, opts.seed)


def everything(content: Content, folder: Path, opts: argparse.Namespace) -> None:
    """Every figure the README's table shows, in one run."""
    from stages import stages

    figures = side_by_side(folder, opts.records or 20_000, opts.repeat, opts.seed)
    ratio = jobs(folder, 100_000, opts.repeat, opts.seed, 2)
    rss = memory(folder, 10_000, 1_000_000, opts.seed)
    start = startup(content, folder, opts.runs, opts.seed)
    stages(content, batch(folder, "stages", 20_000, opts.seed, OTHER_HEADACHE))
    print("\n## summary")
    print("| figure | measured | target |")
    print("|---|---|---|")
    for name in ("one-headache", "two-headache"):
        print(
            f"| triage / reference, {name} records (CPU; wall) "
            f"| {figures[f'{name} cpu']:.2f}×; {figures[f'{name} wall']:.2f}× | ≥ 0.5× |"
        )
    print(f"| `--jobs 2` / `--jobs 1` (wall) | {ratio:.2f}× | ≥ 1.6× |")
    print(f"| peak memory, 1,000,000 / 10,000 records | {rss:.3f} | ≤ 1.10 |")
    print(f"| one-record `assess` / import of typer, rich, PyYAML | {start:.2f}× | ≤ 1.0× |")


if __name__ == "__main__":
    main()
