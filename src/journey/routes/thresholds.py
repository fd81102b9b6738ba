"""Procurement thresholds as dated data: which figure applies on a given day, and why.

Thresholds change (the GPA-derived ones every two years), so they live in
journeys/thresholds.yaml with effective dates and sources, never in code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import msgspec

from journey.errors import InvalidFile, UsageError
from journey.routes.catalogue import shown_path
from journey.safeyaml import load_file
from journey.shapecheck import build

Contract = Literal[
    "goods-services", "works", "light-touch", "community-benefits", "procurement-strategy",
    # Procurement Act 2023, Schedule 1 rows and the Act's other money triggers
    "concession", "light-touch-concession", "utilities-works", "utilities-light-touch",
    "utilities-other", "defence-works", "defence-concession", "defence-other",
    "below-threshold-notice", "below-threshold-works-suitability", "pipeline-notice",
    "pipeline-contract", "kpis-and-contract-publication", "payment-information",
]  # fmt: skip
Body = Literal["any", "central-government", "sub-central"]
Nation = Literal["england", "wales", "northern-ireland", "scotland"]
NATIONS: tuple[Nation, ...] = ("england", "wales", "northern-ireland", "scotland")


class Threshold(msgspec.Struct, frozen=True, forbid_unknown_fields=True, rename="kebab"):
    """One row: an amount in force for one regime, kind of contract and kind of body."""

    id: str
    regime: str
    contract: Contract
    body: Body
    amount: float
    currency: Literal["GBP"]
    vat: Literal["included", "excluded"]
    effective_from: dt.date
    source: str
    url: str
    effective_to: dt.date | None = None
    note: str = ""  # for buyers, in plain words
    inferred: bool = False  # the figure is not yet confirmed from a source for this regime
    notes: str = ""  # for authors and reviewers only: never shown to buyers
    # The nations whose bodies the row binds (empty: not stated in the row).
    nations: tuple[Nation, ...] = ()
    # How a value meets the row: "at-least" (value >= amount) or "more-than" (value > amount).
    comparison: Literal["at-least", "more-than"] = "at-least"


class Thresholds(msgspec.Struct, frozen=True, forbid_unknown_fields=True, rename="kebab"):
    """The thresholds file: when it was last checked, and its rows."""

    reviewed: dt.date
    thresholds: tuple[Threshold, ...]


def thresholds_file() -> Path:
    """The thresholds data shipped beside the built-in routes."""
    from journey.routes.catalogue import builtin_dir

    return builtin_dir() / "thresholds.yaml"


def load_thresholds(path: Path | None = None) -> Thresholds:
    """Read and check the thresholds file: its shape, and no two rows in force at once."""
    path = path or thresholds_file()
    doc = load_file(path, shown_path(path))
    table = build(doc, Thresholds)
    problems = []
    for i, row in enumerate(table.thresholds):
        if row.effective_to is not None and row.effective_to < row.effective_from:
            problems.append(doc.problem(("thresholds", i, "effective-to"), "ends before it starts"))
        for earlier in table.thresholds[:i]:
            if _same_kind(row, earlier) and _overlap(row, earlier):
                msg = f"in force at the same time as '{earlier.id}' for the same regime, contract and body"
                problems.append(doc.problem(("thresholds", i, "effective-from"), msg))
    if problems:
        raise InvalidFile(problems)
    return table


def _same_kind(a: Threshold, b: Threshold) -> bool:
    return (a.regime, a.contract, a.body) == (b.regime, b.contract, b.body)


def _overlap(a: Threshold, b: Threshold) -> bool:
    far = dt.date.max
    return a.effective_from <= (b.effective_to or far) and b.effective_from <= (
        a.effective_to or far
    )


def in_force(
    table: Thresholds, contract: Contract, body: Body, regime_prefix: str, on: dt.date
) -> Threshold:
    """The row in force on a day for a kind of contract and body (a row for `any` body also fits)."""
    for row in table.thresholds:
        if (
            row.contract == contract
            and row.body in (body, "any")
            and row.regime.startswith(regime_prefix)
            and row.effective_from <= on <= (row.effective_to or dt.date.max)
        ):
            return row
    raise UsageError(
        f"no {regime_prefix} threshold for {contract} ({body}) is in force on {on.isoformat()} "
        f"in {shown_path(thresholds_file())}; it covers the dates of its rows only"
    )
