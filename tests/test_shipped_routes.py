"""Every shipped route can be walked to a complete record that `verify` accepts, along many paths."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from journey.catalog import builtin_dir, route_files
from journey.checklist import render
from journey.conditions import holds
from journey.loader import LoadedRoute, load_route
from journey.model import Checkpoint
from journey.session import apply_given
from journey.store import write_atomic
from journey.values import parse
from journey.verify import verify
from journey.walk import Walk, new_record

ROUTES = route_files(builtin_dir())
SEEDS = range(6)


def generated(cp: Checkpoint, rng: random.Random) -> Any:
    """A plausible answer of the right kind, varied by the seed to take different branches."""
    kind = cp.kind
    if kind == "confirm":
        value = rng.random() < 0.75 if cp.expect != "no" else rng.random() < 0.25
        return {"value": value, "reason": f"Generated reason for {cp.id}"}
    if kind == "choice":
        return rng.choice(cp.choices)
    if kind == "multi-choice":
        return rng.sample(list(cp.choices), rng.randint(1, len(cp.choices)))
    if kind == "money":
        return rng.choice(["9500", "£60,000", "250000.50", "4500000"])
    if kind == "number":
        return rng.randint(1, 12)
    if kind == "date":
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind == "sign-off":
        return {"name": f"Signer of {cp.id}", "role": cp.role or "Officer"}
    if kind == "evidence":
        return rng.choice(["files/report.pdf", "https://example.org/doc/1"])
    return f"Notes for {cp.id}"


def answers_for(loaded: LoadedRoute, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    given: dict[str, Any] = {}
    for cp in loaded.route.checkpoints():
        if not cp.required and rng.random() < 0.3:
            given[cp.id] = {"skip": "Generated: not needed here"}
        else:
            given[cp.id] = generated(cp, rng)
    return given


@pytest.mark.parametrize("path", ROUTES, ids=lambda p: p.stem)
def test_each_route_walks_to_a_verified_record_along_several_paths(
    path: Path, tmp_path: Path
) -> None:
    loaded = load_route(path)
    paths = set()
    for seed in SEEDS:
        rec = new_record(
            loaded, title=f"Seed {seed}", owner="Tester", reference="", now="2026-11-23T09:00:00Z"
        )
        walk = Walk(loaded, rec, user="Tester", clock=lambda: "2026-11-23T10:00:00Z")
        apply_given(walk, answers_for(loaded, seed))
        assert walk.missing() == [], f"seed {seed}: {[c.id for c in walk.missing()]}"
        walk.finish()
        target = tmp_path / f"{seed}.md"
        write_atomic(target, render(walk))
        assert verify(target) == [], target.read_text(encoding="utf-8")
        paths.add(tuple(walk.applicable()))
    has_conditions = any(cp.when is not None for cp in loaded.route.checkpoints())
    assert len(paths) > 1 or not has_conditions, "the seeds did not take different branches"


@pytest.mark.parametrize("path", ROUTES, ids=lambda p: p.stem)
def test_every_conditional_checkpoint_can_apply(path: Path) -> None:
    """No dead checkpoint: for each condition, some generated answers make it hold."""
    loaded = load_route(path)
    reachable: set[str] = set()
    for seed in range(60):
        rng = random.Random(seed)
        effective: dict[str, Any] = {}
        for cp in loaded.route.checkpoints():
            if holds(cp.when, effective):
                reachable.add(cp.id)
                raw = generated(cp, rng)
                effective[cp.id] = parse(
                    cp, raw["value"] if isinstance(raw, dict) and "value" in raw else raw
                )
    unreachable = [cp.id for cp in loaded.route.checkpoints() if cp.id not in reachable]
    assert unreachable == []
