"""The thresholds file is checked before the route finder trusts it.

Two rows in force at once for the same regime, contract and body would let the
finder cite either; a row that ends before it starts is a typing slip. Both are
refused with the row's place in the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journey.errors import InvalidFile
from journey.routes.thresholds import load_thresholds


def row(ident: str, start: str, end: str | None = None, body: str = "any") -> str:
    text = (
        f"  - id: {ident}\n    regime: Example Act\n    contract: goods-services\n"
        f"    body: {body}\n    amount: 50000\n    currency: GBP\n    vat: excluded\n"
        f"    effective-from: {start}\n    source: Example Act, s.1\n"
        "    url: https://example.org/act\n"
    )
    return text + (f"    effective-to: {end}\n" if end else "")


def refusal(tmp_path: Path, *rows: str) -> list[str]:
    path = tmp_path / "thresholds.yaml"
    path.write_text("reviewed: 2026-11-29\nthresholds:\n" + "".join(rows), encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        load_thresholds(path)
    return [f"{p.line}: {p.path}: {p.message}" for p in caught.value.problems]


def test_two_rows_in_force_at_once_are_refused_at_the_later_row(tmp_path: Path) -> None:
    got = refusal(tmp_path, row("old", "2024-01-01", "2026-01-01"), row("new", "2025-12-31"))
    assert got == [
        "21: thresholds[1].effective-from: in force at the same time as 'old' "
        "for the same regime, contract and body"
    ]


def test_a_row_that_ends_before_it_starts_is_refused(tmp_path: Path) -> None:
    assert refusal(tmp_path, row("slip", "2026-01-01", "2025-12-31")) == [
        "13: thresholds[0].effective-to: ends before it starts"
    ]


def test_rows_that_meet_without_overlapping_and_rows_for_other_bodies_are_fine(
    tmp_path: Path,
) -> None:
    path = tmp_path / "thresholds.yaml"
    rows = [
        row("old", "2024-01-01", "2025-12-31"),
        row("new", "2026-01-01"),
        row("central", "2024-01-01", body="central-government"),
    ]
    path.write_text("reviewed: 2026-11-29\nthresholds:\n" + "".join(rows), encoding="utf-8")
    assert [r.id for r in load_thresholds(path).thresholds] == ["old", "new", "central"]


def test_the_shipped_thresholds_file_is_valid() -> None:
    assert load_thresholds().thresholds
