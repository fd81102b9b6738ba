"""Every shipped route can be walked to a complete record that `verify` accepts, along many paths."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from answers import answer_for, answers_for
from journey.records.atomicfile import write_atomic
from journey.records.checklist import render
from journey.records.verify import verify
from journey.routes.catalogue import builtin_dir, route_files
from journey.routes.loader import load_route
from journey.walk.answers import parse
from journey.walk.conditions import holds
from journey.walk.drive import apply_given
from journey.walk.engine import Walk, new_record

ROUTES = route_files(builtin_dir())
SEEDS = range(6)


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
                raw = answer_for(cp, rng)
                effective[cp.id] = parse(
                    cp, raw["value"] if isinstance(raw, dict) and "value" in raw else raw
                )
    unreachable = [cp.id for cp in loaded.route.checkpoints() if cp.id not in reachable]
    assert unreachable == []
