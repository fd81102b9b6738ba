"""Deadlines follow each nation's bank holidays: the Procurement Act standstill counts working
days in every part of the UK (s.123(1)); a buyer's own notice deadlines move back to the last
working day of the buyer's nation, so the date shown is never too late."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from journey.routes.catalogue import builtin_dir
from journey.routes.loader import load_route
from journey.walk import deadlines
from journey.walk.deadlines import due_dates, nth_working_day

TABLE = Path(deadlines.__file__).with_name("bank_holidays.json")

OPEN = builtin_dir() / "uk-pa2023-open.yaml"


def due(answers: dict[str, Any]) -> dict[str, dt.date]:
    route = load_route(OPEN).route
    return {d.id: d.date for d in due_dates(route, answers)}


GOODS = {"what-is-bought": "Goods"}


def test_standstill_across_christmas_in_england_skips_every_uk_bank_holiday() -> None:
    # CAN Mon 21 Dec 2026: 21-24 Dec, 29-31 Dec are working days; 25 and 28 Dec and 1 Jan are
    # bank holidays; Mon 4 Jan 2027 is a Scottish bank holiday (2 January falls on a
    # Saturday), so under s.123(1) the eighth working day is Tue 5 Jan, even in England.
    got = due({**GOODS, "nation": "England", "can-published": "2026-12-21"})
    assert got["standstill-ends"] == dt.date(2027, 1, 5)
    assert nth_working_day(dt.date(2026, 12, 21), 8, "england-and-wales") == dt.date(2027, 1, 4)


def test_st_andrews_day_counts_out_of_an_english_buyers_standstill() -> None:
    got = due({**GOODS, "nation": "England", "can-published": "2026-11-25"})
    assert got["standstill-ends"] == dt.date(2026, 12, 7)  # not Fri 4 Dec: Mon 30 Nov is out


def test_st_andrews_day_is_a_holiday_in_scotland_only() -> None:
    start = dt.date(2026, 11, 25)
    assert nth_working_day(start, 8, "scotland") == dt.date(2026, 12, 7)
    assert nth_working_day(start, 8, "england-and-wales") == dt.date(2026, 12, 4)
    assert nth_working_day(start, 8, "northern-ireland") == dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("nation", "expected"),
    [
        ("Northern Ireland", dt.date(2027, 3, 16)),  # Wed 17 Mar is St Patrick's Day there
        ("England", dt.date(2027, 3, 17)),
        ("Wales", dt.date(2027, 3, 17)),
    ],
)
def test_contract_details_notice_due_moves_back_over_st_patricks_day_in_northern_ireland(
    nation: str, expected: dt.date
) -> None:
    got = due({**GOODS, "nation": nation, "contract-entered": "2027-02-15"})
    assert got["cdn-due"] == expected


def test_light_touch_contract_details_notice_has_120_days_and_no_standstill() -> None:
    answers = {
        "what-is-bought": "Light touch services",
        "nation": "England",
        "contract-entered": "2026-03-02",
        "can-published": "2026-02-20",
    }
    got = due(answers)
    assert got["cdn-due-light-touch"] == dt.date(2026, 6, 30)
    assert "cdn-due" not in got
    assert "standstill-ends" not in got  # s.51(3)(f): no mandatory standstill


def test_tendering_period_counts_from_the_day_after_the_notice_and_never_ends_early() -> None:
    base = {**GOODS, "nation": "England"}
    row = "Electronic, all documents with the notice: 25 days"
    got = due({**base, "tender-notice-published": "2026-03-02", "tendering-period-basis": row})
    assert got["tendering-period-basis-25-days"] == dt.date(2026, 3, 27)
    # 9 Mar 2026 + 25 days = Fri 3 Apr 2026, Good Friday: on to Tue 7 Apr (Easter Monday out).
    got = due({**base, "tender-notice-published": "2026-03-09", "tendering-period-basis": row})
    assert got["tendering-period-basis-25-days"] == dt.date(2026, 4, 7)


def test_contract_copy_due_in_90_days_only_for_contracts_over_5m_outside_devolved_wales() -> None:
    over = {**GOODS, "nation": "England", "over-5m": True, "contract-entered": "2026-03-02"}
    assert due(over)["contract-copy-due"] == dt.date(2026, 5, 29)  # 31 May is a Sunday
    welsh = {**over, "nation": "Wales", "devolved-welsh": True}
    assert "contract-copy-due" not in due(welsh)
    assert "contract-copy-due" not in due({**over, "over-5m": False})


def test_holidays_is_imported_only_for_a_working_day_the_table_does_not_hold() -> None:
    """Working days of the table's years come from the table written from the installed
    `holidays`; another year asks `holidays` itself (imported only then: slow to load)."""
    code = (
        "import sys\n"
        "from journey.routes.catalogue import builtin_dir\n"
        "from journey.routes.loader import load_route\n"
        "from journey.walk.deadlines import due_dates\n"
        "route = load_route(builtin_dir() / 'uk-pa2023-open.yaml').route\n"
        "due_dates(route, {'nation': 'England'})\n"
        "print('none', 'holidays' in sys.modules)\n"
        "due_dates(route, {'nation': 'England', 'contract-entered': '2026-03-02'})\n"
        "print('2026', 'holidays' in sys.modules)\n"
        "due_dates(route, {'nation': 'England', 'contract-entered': '2055-03-02'})\n"
        "print('2055', 'holidays' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["none", "False", "2026", "False", "2055", "True"]


@pytest.fixture
def fresh_table(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The table and the holidays worked out from it forgotten before and after the test."""
    deadlines._table.cache_clear()
    deadlines.bank_holidays.cache_clear()
    yield
    deadlines._table.cache_clear()
    deadlines.bank_holidays.cache_clear()


def test_the_table_is_what_the_installed_holidays_gives(fresh_table: None) -> None:
    """Fails when `holidays` changes version in the lock file: run scripts/bank_holidays.py."""
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    assert table["holidays"] == metadata.version("holidays")
    assert set(table["calendars"]) == set(deadlines.SUBDIVISIONS)
    for calendar, years in table["calendars"].items():
        assert set(years) == {str(y) for y in deadlines.TABLE_YEARS}
        for year, days in years.items():
            live = deadlines.holidays_of(int(year), calendar)
            assert sorted(d.isoformat() for d in live) == days, (calendar, year)
            assert deadlines.bank_holidays(int(year), calendar) == live


def test_another_holidays_version_or_a_damaged_table_asks_holidays_itself(
    fresh_table: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The table is trusted only as written by the very `holidays` installed: after an
    upgrade (or if the file is damaged) every year comes from `holidays`, never the table."""
    monkeypatch.setattr(metadata, "version", lambda name: "0.0-not-this-one")
    assert deadlines._table() == {}
    monkeypatch.undo()
    deadlines._table.cache_clear()
    (tmp_path / "bank_holidays.json").write_text('{"holidays": ', encoding="utf-8")
    monkeypatch.setattr(deadlines, "__file__", str(tmp_path / "deadlines.py"))
    assert deadlines._table() == {}
    christmas = dt.date(2026, 12, 25)
    assert christmas in deadlines.bank_holidays(2026, "scotland")  # from holidays itself


def test_the_contract_may_be_entered_the_day_after_standstill_ends() -> None:
    got = due({**GOODS, "nation": "Wales", "can-published": "2026-12-21"})
    assert got["standstill-ends"] == dt.date(2027, 1, 5)
    assert got["contract-earliest"] == dt.date(2027, 1, 6)
