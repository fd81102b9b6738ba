"""Measure journey against its speed budgets, each beside its reference in the same run.

    python benchmarks/run.py                      # the full run (100,000 records: long)
    python benchmarks/run.py --records 10000      # fewer records
    python benchmarks/run.py --refs /tmp/refs     # where copier and cookiecutter are installed
    python benchmarks/run.py --quick              # a few runs of everything, budgets not judged

Every figure is a median over fresh processes of the installed `journey` (the one
beside this Python), run interleaved with its reference (A B A B …, the order
reversed every round, so the machine's drift hits both alike), and shown with
the median of the per-round ratios beside the budget. References: `python -c
pass`, `copier --help` and `cookiecutter --help` (install them into a separate
environment and pass --refs; when missing, the figures that need them say so),
and a bare questionary loop (benchmarks/qloop.py). Everything generated goes to
a temporary folder. Exit status 1 when a budget is missed. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # generate.py, which puts tests/ on the path for answers.py

MIB = 1024 * 1024
PUBLISH_AT = 10_000  # records for the export and HTML page budgets (issue 17)
SETTINGS = """[organisation]
name = "Benchmark Council"
scheme = "GB-LAS"
id = "BENCH"

[ocds]
prefix = "ocds-bench1"
currency = "GBP"

[journey]
records = "records"
"""


@dataclass
class Figure:
    """One line of the table: the figure, its reference, the ratio and the budget."""

    name: str
    shown: str
    reference: str = ""
    ratio: str = ""
    budget: str = ""
    ok: bool | None = None  # None: for information, or not judged
    note: str = ""


@dataclass
class Runs:
    """The runs of one command: seconds, peak memory (bytes), and the worst exit status."""

    seconds: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    status: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def run_once(cmd: Sequence[str | Path], cwd: Path, env: dict[str, str]) -> tuple[float, int, int]:
    """Seconds, peak RSS of the process tree's largest process (wait4), and exit status."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(c) for c in cmd], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)


def interleaved(
    commands: dict[str, Callable[[], tuple[float, int, int]]], rounds: int, warm: int = 1
) -> dict[str, Runs]:
    """Each command `rounds` times, round-robin, the order reversed every other round."""
    for _ in range(warm):
        for fn in commands.values():
            fn()
    out = {name: Runs() for name in commands}
    names = list(commands)
    for n in range(rounds):
        for name in names if n % 2 == 0 else names[::-1]:
            seconds, rss, status = commands[name]()
            out[name].seconds.append(seconds)
            out[name].rss.append(rss)
            out[name].status = out[name].status or status
    return out


def ratio(a: Runs, b: Runs) -> float:
    """Median of the per-round ratios a/b (both measured in the same rounds)."""
    return statistics.median(x / y for x, y in zip(a.seconds, b.seconds, strict=True))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def find_reference(name: str, refs: Path | None) -> Path | None:
    """A reference command: in --refs/bin, beside this Python, or on PATH."""
    places = [refs / "bin"] if refs else []
    places.append(Path(sys.executable).parent)
    for place in places:
        if (place / name).exists():
            return place / name
    found = shutil.which(name)
    return Path(found) if found else None


MISSING = "missing: pip install copier cookiecutter into a separate venv, then --refs VENV"


class Bench:
    """One run of the benchmark: its settings, its temporary folder and its figures."""

    def __init__(self, opts: argparse.Namespace, tmp: Path) -> None:
        self.quick: bool = opts.quick
        self.rounds: int = 3 if opts.quick else max(opts.runs, 11)
        self.records: int = opts.records
        self.tmp = tmp
        self.journey = journey_command()
        self.cwd = tmp / "cwd"  # no ./journeys here: only the built-in routes
        self.cwd.mkdir()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("JOURNEY_")}
        self.env |= {"NO_COLOR": "1", "JOURNEY_USER": "Ann Lee"}
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.copier = find_reference("copier", opts.refs)
        self.cookiecutter = find_reference("cookiecutter", opts.refs)
        self.figures: list[Figure] = []
        self.records_folder = tmp / "records"  # written by records_figures
        self.routes_dir = tmp / "routes"  # the generated route the records follow

    def cmd(
        self, *args: str | Path, env: dict[str, str] | None = None
    ) -> Callable[[], tuple[float, int, int]]:
        """A run of `journey ARGS`."""
        return self.ref(self.journey, *args, env=env)

    def ref(
        self, *argv: str | Path, env: dict[str, str] | None = None
    ) -> Callable[[], tuple[float, int, int]]:
        """A run of any command line (a reference)."""
        return lambda: run_once(argv, self.cwd, env or self.env)

    def judge(self, within: bool) -> bool | None:
        return None if self.quick else within

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        _progress(f"{figure.name}: {figure.shown} {figure.ratio}")

    # -- start-up -------------------------------------------------------------------
    def startup(self) -> None:
        _progress(f"start-up: {self.rounds} interleaved rounds")
        py = sys.executable
        commands = {
            "floor": self.ref(py, "-c", "pass"),
            "--version": self.cmd("--version"),
            "--help": self.cmd("--help"),
            "routes": self.cmd("routes"),
            "show scotland-route-3": self.cmd("show", "scotland-route-3"),
            "choose --help": self.cmd("choose", "--help"),
            "validate": self.cmd("validate"),
        }
        if self.cookiecutter:
            commands["cookiecutter --help"] = self.ref(self.cookiecutter, "--help")
        runs = interleaved(commands, self.rounds)
        floor = runs["floor"]
        self.add(Figure("python -c pass (the floor)", ms(floor.median)))
        cc = runs.get("cookiecutter --help")
        if cc:
            self.add(
                Figure("cookiecutter --help", ms(cc.median), "floor", f"{ratio(cc, floor):.1f}×")
            )
        for name in ("--version", "--help", "routes"):
            r = runs[name]
            shown = f"{ratio(r, cc):.2f}× cookiecutter" if cc else f"{ratio(r, floor):.1f}× floor"
            self.add(Figure(f"journey {name}", ms(r.median), "", shown, "", None, _status(r)))
        for name in ("show scotland-route-3", "choose --help", "validate"):
            r = runs[name]
            if cc is None:
                self.add(
                    Figure(
                        f"journey {name}",
                        ms(r.median),
                        "",
                        "",
                        "≤ 0.5× cookiecutter --help",
                        None,
                        MISSING,
                    )
                )
                continue
            x = ratio(r, cc)
            self.add(Figure(f"journey {name}", ms(r.median), "cookiecutter --help", f"{x:.2f}×",
                            "≤ 0.5×", self.judge(x <= 0.5 and r.status == 0), _status(r)))  # fmt: skip

    # -- the terminal -----------------------------------------------------------------
    def first_prompt(self) -> None:
        pexpect = _pexpect()
        if pexpect is None:
            self.add(
                Figure(
                    "first prompt of start scotland-route-3",
                    "not measured",
                    note="pip install pexpect",
                )
            )
            return
        _progress("first prompt of `journey start scotland-route-3` in a pseudo-terminal")

        def journey() -> tuple[float, int, int]:
            folder = Path(tempfile.mkdtemp(dir=self.tmp))
            return _pty_until(
                pexpect, [str(self.journey), "start", "scotland-route-3"], folder, self.env, "Title"
            )

        commands: dict[str, Callable[[], tuple[float, int, int]]] = {"journey": journey}
        if self.copier:
            copier = [str(self.copier), "--help"]
            commands["copier"] = lambda: _pty_until(pexpect, copier, self.cwd, self.env, None)
        runs = interleaved(commands, self.rounds)
        r = runs["journey"]
        if "copier" not in runs:
            self.add(Figure("first prompt of start scotland-route-3", ms(r.median), "", "", "≤ 150 ms",
                            self.judge(r.median <= 0.150), MISSING))  # fmt: skip
            return
        x = ratio(r, runs["copier"])
        self.add(Figure("first prompt of start scotland-route-3", ms(r.median),
                        f"copier --help {ms(runs['copier'].median)}", f"{x:.2f}×",
                        "≤ 150 ms or ≤ 0.25×", self.judge(r.median <= 0.150 or x <= 0.25)))  # fmt: skip

    def one_answer(self) -> None:
        pexpect = _pexpect()
        if pexpect is None:
            return
        from generate import text_route_yaml

        count = 10 if self.quick else 60
        _progress(
            f"one answer through the terminal: {count} text questions, interleaved with questionary"
        )
        route = self.tmp / "text" / "bench-text.yaml"
        route.parent.mkdir()
        route.write_text(text_route_yaml("bench-text", count), encoding="utf-8")
        ours, ref = _answer_times(pexpect, self, route, count)
        pairs = [a / b for a, b in zip(ours, ref, strict=False)]
        x = statistics.median(pairs)
        self.add(Figure("one answer through the terminal", ms(statistics.median(ours)),
                        f"bare questionary loop {ms(statistics.median(ref))}", f"{x:.2f}×",
                        "≤ 1.2×", self.judge(x <= 1.2), f"median of {len(pairs)} pairs of answers"))  # fmt: skip

    # -- many records -----------------------------------------------------------------
    def records_figures(self) -> None:
        from generate import write_route

        routes_dir = self.tmp / "routes"  # on JOURNEY_PATH, so the records find their route
        extra = write_route(routes_dir, "generated-100", 100)
        sources = [*sorted(_builtin_routes()), extra]
        count = self.records
        _progress(f"records: generating {count:,} over {len(sources)} routes")
        started = time.perf_counter()
        folder = self.tmp / "records"
        _generate(folder, sources, count)
        _progress(f"records: generated in {time.perf_counter() - started:.0f} s")
        env = self.env | {"JOURNEY_PATH": str(routes_dir)}
        rounds = 1 if self.quick else 3
        for what, args in (("report --format json", ("report", folder, "--format", "json")),
                           ("verify", ("verify", folder))):  # fmt: skip
            cold, warm = self._cold_and_warm(args, env, rounds)
            cold_budget = 15.0 if count >= 100_000 else 2.0 if count >= 10_000 else None
            name = f"journey {what}, {count:,} records"
            peak = max(cold.rss + warm.rss)
            self.add(Figure(f"{name}, cold", f"{cold.median:,.2f} s", "", "",
                            f"≤ {cold_budget:g} s" if cold_budget else "",
                            self.judge(cold.median <= cold_budget) if cold_budget else None,
                            f"peak {peak / MIB:,.0f} MiB" + _status(cold)))  # fmt: skip
            warm_ok = warm.median <= 3.0 if count >= 100_000 else None
            self.add(Figure(f"{name}, warm (cache)", f"{warm.median:,.2f} s", "", "",
                            "≤ 3 s" if count >= 100_000 else "",
                            self.judge(warm_ok) if warm_ok is not None else None, _status(warm)))  # fmt: skip
            self.add(Figure(f"{name}, peak memory", f"{peak / MIB:,.0f} MiB", "", "", "≤ 150 MiB",
                            self.judge(peak <= 150 * MIB)))  # fmt: skip

    def publishing_figures(self) -> None:
        """`export` and `report --format html` over 10,000 of the generated records, each
        interleaved with `report --format json` over the same records: cold (an empty cache
        every run; export keeps none), then the page and the JSON over a warm cache."""
        count = min(self.records, PUBLISH_AT)
        top = self.tmp / "publish"
        folder = top / "records"
        folder.mkdir(parents=True)
        for path in sorted(self.records_folder.iterdir())[:count]:
            try:
                os.link(path, folder / path.name)  # the same files, not copies
            except OSError:
                shutil.copyfile(path, folder / path.name)
        settings = top / "journey.toml"
        settings.write_text(SETTINGS, encoding="utf-8")
        env = self.env | {"JOURNEY_PATH": str(self.routes_dir)}
        json_args = ("report", folder, "--format", "json")
        html_args = ("report", folder, "--format", "html")
        export_args = ("export", folder, "--settings", settings)
        fresh = iter(range(1_000_000))

        def cold(*args: str | Path) -> Callable[[], tuple[float, int, int]]:
            def once() -> tuple[float, int, int]:
                here = env | {"XDG_CACHE_HOME": str(self.tmp / f"cold-{next(fresh)}")}
                return self.cmd(*args, env=here)()

            return once

        rounds = 1 if self.quick else 3
        _progress(f"publishing: {count:,} records, {rounds} interleaved rounds, cold")
        runs = interleaved({"json": cold(*json_args), "html": cold(*html_args),
                            "export": cold(*export_args)}, rounds, warm=0)  # fmt: skip
        name = f"{count:,} records"
        json_cold = runs["json"]
        self.add(Figure(f"journey report --format json, {name}, cold (reference)",
                        f"{json_cold.median:,.2f} s", note=_status(json_cold)))  # fmt: skip
        for what, key in (("journey report --format html", "html"), ("journey export", "export")):
            x = ratio(runs[key], json_cold)
            self.add(Figure(f"{what}, {name}, cold", f"{runs[key].median:,.2f} s",
                            "report --format json, cold", f"{x:.2f}×", "≤ 1.5×",
                            self.judge(x <= 1.5), _status(runs[key])))  # fmt: skip
        warm_env = env | {"XDG_CACHE_HOME": str(self.tmp / "warm-publish")}
        _progress(f"publishing: {count:,} records, {self.rounds} interleaved rounds, warm")
        runs = interleaved({"json": self.cmd(*json_args, env=warm_env),
                            "html": self.cmd(*html_args, env=warm_env)}, self.rounds)  # fmt: skip
        x = ratio(runs["html"], runs["json"])
        self.add(Figure(f"journey report --format html, {name}, warm (cache)",
                        f"{runs['html'].median:,.2f} s", "report --format json, warm",
                        f"{x:.2f}×", "≤ 1.5×", self.judge(x <= 1.5), _status(runs["html"])))  # fmt: skip

    def _cold_and_warm(
        self, args: Sequence[str | Path], env: dict[str, str], rounds: int
    ) -> tuple[Runs, Runs]:
        """Each round: a cold run (an empty cache folder), then a warm one over its cache."""
        cold, warm = Runs(), Runs()
        for n in range(rounds):
            cache = self.tmp / f"cache-{args[0]}-{n}"
            cache.mkdir()
            here = env | {"XDG_CACHE_HOME": str(cache)}
            for runs in (cold, warm):
                seconds, rss, status = self.cmd(*args, env=here)()
                runs.seconds.append(seconds)
                runs.rss.append(rss)
                runs.status = runs.status or status
        return cold, warm


def _status(r: Runs) -> str:
    return "" if r.status == 0 else f"; exit status {r.status}"


def _pexpect() -> Any:
    """pexpect, or None when it is not installed (it ships no types)."""
    try:
        import pexpect
    except ImportError:
        return None
    return pexpect


def _pty_until(
    pexpect: object, argv: list[str], cwd: Path, env: dict[str, str], text: str | None
) -> tuple[float, int, int]:
    """Seconds from spawn until `text` is drawn (or until EOF when None), in an 80x24 pty.

    A cursor-position request is answered as a terminal would.
    """
    px: object = pexpect
    start = time.perf_counter()
    child = px.spawn(argv[0], argv[1:], cwd=str(cwd), env=env | {"TERM": "xterm"},  # type: ignore[attr-defined]
                     dimensions=(24, 80), encoding="utf-8", timeout=60)  # fmt: skip
    child.delaybeforesend = None
    want = [px.EOF if text is None else text, "\x1b\\[6n"]  # type: ignore[attr-defined]
    while child.expect(want) == 1:
        child.send("\x1b[1;1R")
    seconds = time.perf_counter() - start
    child.close(force=True)
    return seconds, 0, 0


def _answer_times(
    pexpect: object, bench: Bench, route: Path, count: int
) -> tuple[list[float], list[float]]:
    """Seconds from Enter to the next question drawn, journey and the bare loop answered in turn."""
    px: object = pexpect
    env = bench.env | {"TERM": "xterm"}
    folder = Path(tempfile.mkdtemp(dir=bench.tmp))
    spawn = px.spawn  # type: ignore[attr-defined]
    ours = spawn(str(bench.journey), ["start", str(route), "--title", "Bench", "--record", "r.md"],
                 cwd=str(folder), env=env, dimensions=(24, 80), encoding="utf-8", timeout=60)  # fmt: skip
    ref = spawn(sys.executable, [str(HERE / "qloop.py"), str(count)], cwd=str(folder), env=env,
                dimensions=(24, 80), encoding="utf-8", timeout=60)  # fmt: skip
    times: tuple[list[float], list[float]] = ([], [])
    for child in (ours, ref):
        child.delaybeforesend = None
        _wait(child, "Question 1")
    for n in range(1, count):
        for child in (ours, ref) if n % 2 else (ref, ours):
            start = time.perf_counter()
            child.send("x\r")
            _wait(child, f"Question {n + 1}\\b")
            times[0 if child is ours else 1].append(time.perf_counter() - start)
    for child in (ours, ref):
        child.close(force=True)
    return times


def _wait(child: object, text: str) -> None:
    c: object = child
    while c.expect([text, "\x1b\\[6n"]) == 1:  # type: ignore[attr-defined]
        c.send("\x1b[1;1R")  # type: ignore[attr-defined]


def _generate(folder: Path, routes: list[Path], count: int) -> None:
    """Write `count` records on every core (each worker writes its share)."""
    from generate import write_records

    workers = max(1, min(os.cpu_count() or 1, 4))
    share = -(-count // workers)
    jobs = [
        (folder, routes, max(0, min(share, count - i * share)), i * share) for i in range(workers)
    ]
    if workers == 1:
        write_records(*jobs[0])
        return
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.starmap(write_records, jobs)


def _builtin_routes() -> list[Path]:
    from journey.routes.catalogue import builtin_dir, route_files

    return list(route_files(builtin_dir()))


def journey_command() -> Path:
    """The installed `journey` script beside the running interpreter."""
    for name in ("journey", "journey.exe"):
        if (Path(sys.executable).parent / name).exists():
            return Path(sys.executable).parent / name
    sys.exit(f"no journey command beside {sys.executable}; install the package first")


def _progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def _print(bench: Bench) -> None:
    print(f"\njourney at {bench.journey}")
    print(
        f"Python {platform.python_version()} on {platform.system()}, {os.cpu_count()} cores, {_cpu()}"
    )
    print(
        f"{bench.rounds} interleaved rounds per figure; medians"
        + ("; QUICK: budgets not judged" if bench.quick else "")
    )
    print()
    rows = [("figure", "measured", "reference (same run)", "ratio", "budget", "result")]
    for f in bench.figures:
        result = "—" if f.ok is None else ("pass" if f.ok else "FAIL")
        rows.append((f.name, f.shown, f.reference, f.ratio, f.budget, result))
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    for n, r in enumerate(rows):
        print(
            "  ".join(
                c.rjust(w) if i in (1, 3) else c.ljust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
        if n == 0:
            print("  ".join("-" * w for w in widths))
    notes = [(f.name, f.note.removeprefix("; ")) for f in bench.figures if f.note]
    if notes:
        print()
        for name, note in notes:
            print(f"{name}: {note}")
    missed = [f.name for f in bench.figures if f.ok is False]
    print(
        "\n"
        + (
            "all budgets judged are met"
            if not missed
            else f"{len(missed)} budget(s) missed: " + "; ".join(missed)
        )
    )


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=15, help="interleaved rounds per figure (11 or more)"
    )
    parser.add_argument(
        "--records", type=int, default=100_000, help="records for report and verify"
    )
    parser.add_argument("--refs", type=Path, help="a venv with copier and cookiecutter installed")
    parser.add_argument(
        "--quick", action="store_true", help="3 rounds, 60 records, budgets not judged"
    )
    parser.add_argument(
        "--only", choices=["startup", "terminal", "records"], help="one group of figures"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder and say where"
    )
    opts = parser.parse_args(argv)
    if opts.quick:
        opts.records = min(opts.records, 60)
    tmp = Path(tempfile.mkdtemp(prefix="journey-bench-"))
    try:
        bench = Bench(opts, tmp)
        groups = {"startup": [bench.startup], "terminal": [bench.first_prompt, bench.one_answer],
                  "records": [bench.records_figures, bench.publishing_figures]}  # fmt: skip
        for name, steps in groups.items():
            if opts.only in (None, name):
                for step in steps:
                    step()
        _print(bench)
        return 1 if any(f.ok is False for f in bench.figures) else 0
    finally:
        if opts.keep:
            print(f"\ngenerated files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
