"""Generated answers for any route: plausible values of the right kind, varied by a seed so
that different seeds take different branches. Used by the tests, the benchmarks and the
picture script (one generator, so that they all walk routes the same way)."""

from __future__ import annotations

import random
from typing import Any

from journey.routes.loader import LoadedRoute
from journey.routes.model import Checkpoint


def answer_for(cp: Checkpoint, rng: random.Random) -> Any:
    """A plausible answer to one checkpoint, in the form an answers file takes."""
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
    if kind == "date":  # a random date may break a statutory date: the reason covers it
        day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return {"value": day, "reason": f"Generated reason for {cp.id}"}
    if kind == "sign-off":
        return {"name": f"Signer of {cp.id}", "role": cp.role or "Officer"}
    if kind == "evidence":
        return rng.choice(["files/report.pdf", "https://example.org/doc/1"])
    return f"Notes for {cp.id}"


def answers_for(
    loaded: LoadedRoute, seed: int | random.Random, share: float = 1.0
) -> dict[str, Any]:
    """Answers for the first `share` of a route's checkpoints; optional ones sometimes skipped."""
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    cps = loaded.route.checkpoints()
    given: dict[str, Any] = {}
    for cp in cps[: round(len(cps) * share)]:
        if not cp.required and rng.random() < 0.3:
            given[cp.id] = {"skip": "Generated: not needed here"}
        else:
            given[cp.id] = answer_for(cp, rng)
    return given
