"""Generated inputs for the benchmarks: big routes and many records, written to a temp folder.

Routes are YAML text shaped like the built-in ones (stages of steps of
checkpoints of every kind, conditions on earlier answers, sign-offs that must
be different people, deadlines). Records are made by the engine itself, as a
walk would make them: `new_record`, `Walk`, `apply_given`, `render`,
`write_atomic`.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterable
from pathlib import Path

from journey.records.checklist import render
from journey.routes.loader import LoadedRoute, load_route
from journey.walk.drive import apply_given
from journey.walk.engine import Walk, new_record

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from answers import answers_for  # noqa: E402  (one generator for tests and benchmarks)

OWNERS = ["Ann Lee", "Bo Chen", "Cara Dunn", "Dev Patel", "Eve Shaw", "Finn Ross", "Gail Hart"]
PER_STEP = 10
STEPS_PER_STAGE = 10


def route_yaml(route_id: str, checkpoints: int) -> str:
    """A valid route with `checkpoints` checkpoints (rounded up to a whole step)."""
    out = [
        f"id: {route_id}",
        f'title: "Generated route with {checkpoints} checkpoints"',
        'version: "1.0.0"',
        "jurisdiction: Benchmark",
        "summary: >-",
        "  A generated route for the benchmarks: every kind of checkpoint, conditions",
        "  on earlier answers, sign-offs and deadlines.",
        "sources:",
        "  - id: B1",
        "    title: Benchmark source one",
        "    url: https://example.org/b1",
        "  - id: B2",
        "    title: Benchmark source two",
        "    url: https://example.org/b2",
        "stages:",
    ]
    steps = -(-checkpoints // PER_STEP)
    dates: list[str] = []
    for t in range(steps):
        if t % STEPS_PER_STAGE == 0:
            s = t // STEPS_PER_STAGE
            out += [
                f"  - id: stage-{s}",
                f"    title: Stage {s} of the generated route",
                f"    summary: What happens in stage {s}.",
                "    steps:",
            ]
        out += [
            f"      - id: step-{t}",
            f"        title: Step {t}",
            "        guidance: >-",
            f"          Read the guidance for step {t} before you confirm its checkpoints; it",
            "          says what the rule asks, who does it, and where the evidence is kept.",
            "        links:",
            f"          - title: Guidance page {t}",
            f"            url: https://example.org/guidance/{t}",
            "        checkpoints:",
        ]
        count = min(PER_STEP, checkpoints - t * PER_STEP)
        out += ["          " + line for line in _step_checkpoints(t, count)]
        if count >= 5:
            dates.append(f"c{t}-date")
    out.append("deadlines:")
    for i, date in enumerate(dates[:: max(1, len(dates) // 8)]):
        out += [
            f"  - id: deadline-{i}",
            f"    label: Deadline {i}",
            f"    after: {date}",
            f"    days: {10 + i}",
            f"    working-day: {'next' if i % 2 else 'none'}",
            "    basis: [{ref: Benchmark rule, source: B2}]",
        ]
    return "\n".join(out) + "\n"


def _step_checkpoints(t: int, count: int) -> Iterable[str]:
    """Ten checkpoints of a step: a gate question, conditional ones, every kind, a sign-off."""
    p = f"c{t}"
    basis = "basis: [{ref: Benchmark rule " + str(t) + ", source: B1}]"
    items = [
        [
            f"- id: {p}-applies",
            "  prompt: Does this step apply?",
            "  kind: confirm",
            "  expect: either",
            f"  {basis}",
        ],
        [
            f"- id: {p}-value",
            "  prompt: Value of this part, excluding VAT",
            "  kind: money",
            f"  {basis}",
        ],
        [
            f"- id: {p}-what",
            "  prompt: What is bought?",
            "  kind: choice",
            "  choices: [Goods, Services, Works]",
            f"  when: {{answer: {p}-applies, equals: true}}",
            f"  {basis}",
        ],
        [
            f"- id: {p}-checked",
            "  prompt: Has the rule been followed?",
            "  kind: confirm",
            f"  when: {{all: [{{answer: {p}-applies, equals: true}}, "
            f"{{answer: {p}-value, at-least: 50000}}]}}",
            f"  {basis}",
        ],
        [f"- id: {p}-date", "  prompt: Date of the notice", "  kind: date", f"  {basis}"],
        [
            f"- id: {p}-lots",
            "  prompt: Which lots?",
            "  kind: multi-choice",
            "  choices: [Lot 1, Lot 2, Lot 3]",
            f"  when: {{not: {{answer: {p}-what, equals: Works}}}}",
            f"  {basis}",
        ],
        [
            f"- id: {p}-bids",
            "  prompt: How many bids?",
            "  kind: number",
            f"  when: {{any: [{{answer: {p}-what, one-of: [Goods, Services]}}, "
            f"{{answer: {p}-value, below: 50000}}]}}",
            f"  {basis}",
        ],
        [f"- id: {p}-notes", "  prompt: Any notes?", "  kind: text", "  required: false"],
        [
            f"- id: {p}-evidence",
            "  prompt: Where is the evidence?",
            "  kind: evidence",
            "  required: false",
            f"  {basis}",
        ],
        [
            f"- id: {p}-sign",
            "  prompt: Sign-off for this step",
            "  kind: sign-off",
            "  role: Procurement officer",
        ]
        + ([f"  distinct-from: [c{t - 1}-sign]"] if t else [])
        + [f"  {basis}"],
    ]
    for item in items[:count]:
        yield from item


def text_route_yaml(route_id: str, questions: int) -> str:
    """A valid route of `questions` text checkpoints, `Question 1` … (for the terminal figure)."""
    head = route_yaml(route_id, 1).split("stages:")[0]
    out = [head + "stages:", "  - id: stage-0", "    title: Questions", "    steps:"]
    out += ["      - id: step-0", "        title: Questions", "        checkpoints:"]
    for n in range(1, questions + 1):
        out += [
            f"          - id: q{n}",
            f"            prompt: Question {n}",
            "            kind: text",
        ]
        out.append("            basis: [{ref: Benchmark rule, source: B1}]")
    return "\n".join(out) + "\n"


def write_route(folder: Path, route_id: str, checkpoints: int) -> Path:
    """Write a generated route file into `folder` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{route_id}.yaml"
    path.write_text(route_yaml(route_id, checkpoints), encoding="utf-8")
    return path


# -- answers and records ------------------------------------------------------


def write_record(loaded: LoadedRoute, path: Path, n: int) -> None:
    """Record number `n`: about a third complete, the rest stopped part of the way."""
    rng = random.Random(n)
    day = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"
    rec = new_record(
        loaded,
        title=f"Procurement {n}",
        owner=OWNERS[n % len(OWNERS)],
        reference=f"REF-{n:05d}",
        now=f"{day}T09:00:00Z",
    )
    walk = Walk(loaded, rec, user=rec.owner, clock=lambda: f"{day}T10:{n % 60:02d}:00Z")
    complete = n % 3 == 0
    apply_given(walk, answers_for(loaded, rng, 1.0 if complete else rng.random()))
    if complete and not walk.missing():
        walk.finish()
    path.write_bytes(render(walk).encode("utf-8"))  # the bytes write_atomic writes, no fsync


def write_records(folder: Path, routes: list[Path], count: int, start: int = 0) -> list[Path]:
    """Write records `start`..`start+count-1` into `folder`, cycling over `routes`."""
    loaded = [load_route(p) for p in routes]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"{n:05d}-procurement-{n}.md"
        write_record(loaded[n % len(loaded)], path, n)
        paths.append(path)
    return paths
