"""Two source trees of journey compared on the same records, in the same minutes.

The machine's speed moves by a third within an hour, so a figure taken after a
change cannot be compared with one taken before it. This runs both trees,
alternated (A B B A ...), in fresh processes, over records generated once:

    git worktree add /tmp/base HEAD~3           # the tree to compare against
    python benchmarks/ab.py /tmp/base/src --records 10000

- per record: the CPU time of what one worker of `report` (`rows._entries_of`) and of
  `verify` (`rows._verdicts`) does, over the first 3,000 records, best of three
  passes in each fresh process;
- whole command: `journey report --format json` and `journey verify` over all the
  records, an empty cache folder each run.

Each line gives both medians and the ratio new/base (below 1: the new tree is faster).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # run.py and generate.py

# One worker's share, timed inside a fresh process of the tree on PYTHONPATH.
PER_RECORD = """
import os, sys, time
from pathlib import Path
from journey.records import rows
top = Path(sys.argv[1]); paths = rows.find_records(top)[:3000]; rows.route_for("")
if sys.argv[2] == "report":
    work = lambda ps: rows._entries_of(top, ps)
else:
    work = lambda ps: rows._verdicts([(str(top / p), False) for p in ps])
work(paths[:300])
best = float("inf")
for _ in range(3):
    started = time.process_time()
    work(paths)
    best = min(best, time.process_time() - started)
print(best / len(paths) * 1000)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path, help="the other tree's src folder")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7, help="processes per tree and figure")
    args = parser.parse_args()
    trees = {"base": args.base.resolve(), "new": (HERE.parent / "src").resolve()}
    with tempfile.TemporaryDirectory(prefix="journey-ab-") as tmp:
        folder, routes = _records(Path(tmp), args.records)
        env = {**os.environ, "JOURNEY_PATH": str(routes)}
        for what in ("report", "verify"):
            argv = ["-c", PER_RECORD, str(folder), what]
            _compare(f"per record, {what} (ms)", trees, args.rounds,
                     partial(_per_record, env=env, argv=argv))  # fmt: skip
        commands = {"report": ["report", str(folder), "--format", "json"],
                    "verify": ["verify", str(folder)]}  # fmt: skip
        for what, command in commands.items():
            _compare(f"{what}, {args.records:,} records, cold (s)", trees, max(3, args.rounds // 2),
                     partial(_cold, env=env, command=command, tmp=Path(tmp)))  # fmt: skip


def _records(tmp: Path, count: int) -> tuple[Path, Path]:
    from generate import write_route
    from run import _builtin_routes, _generate

    routes = tmp / "routes"
    sources = [*sorted(_builtin_routes()), write_route(routes, "generated-100", 100)]
    print(f"generating {count:,} records over {len(sources)} routes", file=sys.stderr)
    _generate(tmp / "records", sources, count)
    return tmp / "records", routes


def _run(src: Path, env: dict[str, str], argv: list[str]) -> subprocess.CompletedProcess[str]:
    here = env | {"PYTHONPATH": str(src)}
    done = subprocess.run([sys.executable, *argv], env=here, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: damaged records found, which is a result
        sys.exit(f"{src}: {done.stderr}")
    return done


def _per_record(src: Path, env: dict[str, str], argv: list[str]) -> float:
    return float(_run(src, env, argv).stdout)


def _cold(src: Path, env: dict[str, str], command: list[str], tmp: Path) -> float:
    with tempfile.TemporaryDirectory(dir=tmp) as cache:
        started = time.perf_counter()
        _run(src, env | {"XDG_CACHE_HOME": cache}, ["-m", "journey", *command])
        return time.perf_counter() - started


def _compare(
    name: str, trees: dict[str, Path], rounds: int, measure: Callable[[Path], float]
) -> None:
    got: dict[str, list[float]] = {k: [] for k in trees}
    for r in range(rounds):
        for key in list(trees) if r % 2 == 0 else list(trees)[::-1]:
            got[key].append(measure(trees[key]))
    base, new = (statistics.median(got[k]) for k in ("base", "new"))
    print(f"{name:38} base {base:8.3f}  new {new:8.3f}  new/base {new / base:.3f}")


if __name__ == "__main__":
    main()
