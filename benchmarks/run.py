"""Measure journey against its speed budgets; exit 1 when any budget is missed.

    python benchmarks/run.py            # the full run (generates 10,000 records)
    python benchmarks/run.py --runs 31  # more runs per start-up figure

Start-up figures are medians over fresh processes of the installed `journey`
command (the one beside this Python), measured in the same run as
`python -c pass`, the interpreter's own floor, and shown as a ratio to it.
Everything generated (routes, records) goes to a temporary folder, never into
the repository. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from answers import answer_for  # noqa: E402  (on sys.path through generate)
from generate import write_records, write_route  # noqa: E402

MS = 1e-3
MIB = 1024 * 1024


@dataclass
class Figure:
    """One line of the table: what was measured, its value, and its budget."""

    name: str
    shown: str
    ratio: str
    budget: str
    ok: bool | None  # None: measured for information, no budget
    note: str = ""


@dataclass
class Timed:
    """One run of a command: wall time, peak memory of the process, exit status."""

    seconds: float
    max_rss: int  # bytes
    status: int


def journey_command() -> Path:
    """The installed `journey` script beside the running interpreter."""
    folder = Path(sys.executable).parent
    for name in ("journey", "journey.exe"):
        if (folder / name).exists():
            return folder / name
    sys.exit(f"no journey command beside {sys.executable}; install the package first")


def timed(
    cmd: Sequence[str | Path], *, cwd: Path, env: dict[str, str], out: Path | None = None
) -> Timed:
    """Run a command as a fresh process; its peak memory comes from wait4's rusage of it alone.

    With `out`, its standard output goes to that file and its errors to `out`.err.
    """
    with contextlib.ExitStack() as files:
        sink: Any = subprocess.DEVNULL
        errors: Any = subprocess.DEVNULL
        if out is not None:
            sink = files.enter_context(out.open("wb"))
            errors = files.enter_context(out.with_suffix(".err").open("wb"))
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env=env, stdout=sink, stderr=errors)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        else:  # pragma: no cover - Windows: no peak memory
            proc.wait()
            seconds = time.perf_counter() - start
            rss = 0
    return Timed(seconds, rss, proc.returncode)


def medians(
    commands: dict[str, list[str | Path]], runs: int, cwd: Path, env: dict[str, str]
) -> dict[str, tuple[float, int]]:
    """Median wall time of each command (runs interleaved, so drift hits all alike), and its status."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    status: dict[str, int] = {}
    for cmd in commands.values():  # one warm-up run each: the page cache, .pyc files
        timed(cmd, cwd=cwd, env=env)
    for _ in range(runs):
        for name, cmd in commands.items():
            t = timed(cmd, cwd=cwd, env=env)
            times[name].append(t.seconds)
            status[name] = status.get(name) or t.status
    return {name: (statistics.median(ts), status[name]) for name, ts in times.items()}


def walk_answer_times(route: Path, record: Path) -> list[float]:
    """Seconds per answer over a whole walk: `Walk.answer` plus the atomic rewrite it triggers."""
    from journey.records.atomicfile import write_atomic
    from journey.records.checklist import render
    from journey.routes.loader import load_route
    from journey.walk.engine import Walk, new_record

    loaded = load_route(route)
    rec = new_record(
        loaded, title="Benchmark walk", owner="Ann Lee", reference="", now="2026-01-05T09:00:00Z"
    )
    walk = Walk(
        loaded,
        rec,
        user="Ann Lee",
        on_change=lambda w: write_atomic(record, render(w)),  # what the walk's saver does
    )
    rng = random.Random(7)
    out = []
    while (cp := walk.next_open()) is not None:
        raw = answer_for(cp, rng)
        value, reason = raw, None
        if isinstance(raw, dict) and "reason" in raw:
            value, reason = raw["value"], raw["reason"]
        if walk.needs_reason(cp.id, value) and not reason:
            reason = "Generated reason"
        start = time.perf_counter()
        walk.answer(cp.id, value, reason)
        out.append(time.perf_counter() - start)
    return out


def ms(seconds: float) -> str:
    return f"{seconds / MS:,.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=21, help="runs per start-up figure (at least 15)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder and say where"
    )
    opts = parser.parse_args(argv)
    runs = max(opts.runs, 15)

    journey = journey_command()
    tmp = Path(tempfile.mkdtemp(prefix="journey-bench-"))
    try:
        return _run(journey, tmp, runs)
    finally:
        if opts.keep:
            print(f"\ngenerated files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _run(journey: Path, tmp: Path, runs: int) -> int:
    empty = tmp / "cwd"  # no ./journeys here: `journey routes` lists the built-in routes only
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOURNEY_")}
    env["NO_COLOR"] = "1"
    # An installed package has its bytecode compiled; let the warm-up runs write any
    # that is missing rather than compile the modules afresh in every measured run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    figures: list[Figure] = []
    say = _progress

    # -- start-up ---------------------------------------------------------------
    say(f"start-up: {runs} runs each of python -c pass, journey --version, --help, routes")
    py = sys.executable
    found = medians(
        {
            "floor": [py, "-c", "pass"],
            "version": [journey, "--version"],
            "help": [journey, "--help"],
            "routes": [journey, "routes"],
        },
        runs,
        empty,
        env,
    )
    floor = found["floor"][0]
    figures.append(Figure("python -c pass (the floor)", ms(floor), "1.0×", "", None))
    for key, label, budget in (
        ("version", "journey --version", 0.070),
        ("help", "journey --help", 0.120),
        ("routes", "journey routes (built-in routes)", 0.150),
    ):
        seconds, status = found[key]
        figures.append(
            Figure(
                label,
                ms(seconds),
                f"{seconds / floor:.1f}×",
                f"≤ {budget / MS:.0f} ms",
                seconds <= budget and status == 0,
                "" if status == 0 else f"exit status {status}",
            )
        )

    # -- validate a big route ---------------------------------------------------------
    say("validate: generating a route of 5,000 checkpoints")
    big = write_route(tmp / "big", "generated-5000", 5000)
    times = [timed([journey, "validate", big], cwd=empty, env=env) for _ in range(5)]
    seconds = statistics.median(t.seconds for t in times)
    status = max(t.status for t in times)
    figures.append(
        Figure(
            "journey validate, 5,000 checkpoints",
            ms(seconds),
            "",
            "≤ 1,000 ms",
            seconds <= 1.0 and status == 0,
            f"median of 5; {big.stat().st_size / MIB:.1f} MiB of YAML"
            + ("" if status == 0 else f"; exit status {status}"),
        )
    )

    # -- one answer in a walk ------------------------------------------------------
    say("walk: answering every checkpoint of a 1,000-checkpoint route, saving after each")
    route_1k = write_route(tmp / "walk", "generated-1000", 1000)
    per_answer = walk_answer_times(route_1k, tmp / "walk" / "record.md")
    seconds = statistics.median(per_answer)
    p95 = sorted(per_answer)[int(len(per_answer) * 0.95)]
    figures.append(
        Figure(
            "one answer + record rewrite, 1,000 checkpoints",
            ms(seconds),
            "",
            "≤ 30 ms",
            seconds <= 0.030,
            f"median of {len(per_answer)} answers; p95 {ms(p95)}, max {ms(max(per_answer))}",
        )
    )

    # -- report and verify over many records ------------------------------------------
    routes_dir = tmp / "routes"  # on JOURNEY_PATH, so the records find their route
    extra = write_route(routes_dir, "generated-100", 100)
    builtin = sorted(p for p in _builtin_dir().glob("*.yaml") if p.name != "thresholds.yaml")
    sources = [*builtin, extra]
    say(f"records: generating 10,000 records over {len(sources)} routes (this takes a while)")
    started = time.perf_counter()
    all_records = _generate(tmp / "records-10k", sources, 10_000)
    say(f"records: generated in {time.perf_counter() - started:.0f} s")
    small = tmp / "records-1k"
    small.mkdir()
    for path in all_records[:1000]:
        shutil.copy2(path, small / path.name)
    env_records = env | {"JOURNEY_PATH": str(routes_dir)}

    say("report: 1,000 and 10,000 records")
    reports: dict[int, Timed] = {}
    for count, folder in ((1000, small), (10_000, tmp / "records-10k")):
        reports[count] = timed(
            [journey, "report", folder, "--format", "json"],
            cwd=empty,
            env=env_records,
            out=tmp / f"report-{count}.json",
        )
    r1, r10 = reports[1000], reports[10_000]
    missing = r10.status != 0 or r1.status != 0
    note = _report_note(tmp / "report-10000.json", r10.status)
    figures.append(
        Figure(
            "journey report --format json, 1,000 records",
            f"{r1.seconds:,.2f} s",
            "",
            "",
            None,
            f"peak {r1.max_rss / MIB:,.0f} MiB"
            + (f"; exit status {r1.status}" if r1.status else ""),
        )
    )
    figures.append(
        Figure(
            "journey report --format json, 10,000 records",
            f"{r10.seconds:,.2f} s",
            "",
            "≤ 8 s",
            r10.seconds <= 8.0 and not missing,
            note,
        )
    )
    per_record = (r10.seconds - r1.seconds) / 9000
    figures.append(
        Figure(
            "report growth: 10,000-record time / 1,000",
            f"{r10.seconds / r1.seconds:.1f}×",
            "",
            "",
            None,
            "10× would be linear in the records; less, the fixed start-up cost; "
            f"{per_record / MS:.2f} ms per further record",
        )
    )
    figures.append(
        Figure(
            "peak memory, report of 10,000 records",
            f"{r10.max_rss / MIB:,.0f} MiB",
            "",
            "≤ 250 MiB",
            r10.max_rss <= 250 * MIB and not missing,
        )
    )

    say("verify: 1,000 records")
    v = timed([journey, "verify", *sorted(small.iterdir())], cwd=empty, env=env_records)
    figures.append(
        Figure(
            "journey verify, 1,000 records",
            f"{v.seconds:,.2f} s",
            "",
            "≤ 3 s",
            v.seconds <= 3.0 and v.status == 0,
            f"peak {v.max_rss / MIB:,.0f} MiB" + (f"; exit status {v.status}" if v.status else ""),
        )
    )

    _print(figures, journey)
    return 0 if all(f.ok is not False for f in figures) else 1


def _generate(folder: Path, routes: list[Path], count: int) -> list[Path]:
    """Write `count` records using both cores (each worker writes its own share)."""
    workers = max(1, min(os.cpu_count() or 1, 4))
    share = -(-count // workers)
    jobs = [(folder, routes, min(share, count - i * share), i * share) for i in range(workers)]
    if workers == 1:
        return write_records(*jobs[0])
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        parts = pool.starmap(write_records, jobs)
    return [p for part in parts for p in part]


def _builtin_dir() -> Path:
    from journey.routes.catalogue import builtin_dir

    return builtin_dir()


def _report_note(out: Path, status: int) -> str:
    if status == 0:
        return ""
    said = out.with_suffix(".err").read_text(encoding="utf-8", errors="replace").strip()
    last = said.splitlines()[-1] if said else "no message"
    return f"exit status {status}: `journey report` is not available or failed ({last[:200]})"


def _progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def _print(figures: list[Figure], journey: Path) -> None:
    cpu = _cpu_model()
    print()
    print(f"journey at {journey}")
    print(
        f"Python {platform.python_version()} on {platform.system()}, {os.cpu_count()} cores, {cpu}"
    )
    print()
    rows = [("figure", "measured", "× floor", "budget", "result")]
    for f in figures:
        result = "—" if f.ok is None else ("pass" if f.ok else "FAIL")
        rows.append((f.name, f.shown, f.ratio, f.budget, result))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for n, r in enumerate(rows):
        print(
            "  ".join(
                c.ljust(w) if i in (0, 3, 4) else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
        if n == 0:
            print("  ".join("-" * w for w in widths))
    notes = [(f.name, f.note) for f in figures if f.note]
    if notes:
        print()
        for name, note in notes:
            print(f"{name}: {note}")
    missed = [f.name for f in figures if f.ok is False]
    print()
    print(
        "all budgets met" if not missed else f"{len(missed)} budget(s) missed: " + "; ".join(missed)
    )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
