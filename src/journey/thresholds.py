"""Procurement thresholds as dated data: which figure applies on a given day, and why.

Thresholds change (the GPA-derived ones every two years), so they live in
journeys/thresholds.yaml with effective dates and sources, never in code.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

Contract = Literal[
    "goods-services", "works", "light-touch", "community-benefits", "procurement-strategy"
]
Body = Literal["any", "central-government", "sub-central"]


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
    note: str = ""


class Thresholds(msgspec.Struct, frozen=True, forbid_unknown_fields=True, rename="kebab"):
    """The thresholds file: when it was last checked, and its rows."""

    reviewed: dt.date
    thresholds: tuple[Threshold, ...]
