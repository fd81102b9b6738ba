"""Deadlines follow each nation's bank holidays: the Procurement Act standstill counts working
days in every part of the UK (s.123(1)); a buyer's own notice deadlines move back to the last
working day of the buyer's nation, so the date shown is never too late."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import pytest

from journey.routes.catalogue import builtin_dir
from journey.routes.loader import load_route
from journey.walk.deadlines import due_dates, nth_working_day

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


def test_holidays_is_imported_only_when_a_working_day_is_needed() -> None:
    code = (
        "import sys\n"
        "from journey.routes.catalogue import builtin_dir\n"
        "from journey.routes.loader import load_route\n"
        "from journey.walk.deadlines import due_dates\n"
        "route = load_route(builtin_dir() / 'uk-pa2023-open.yaml').route\n"
        "due_dates(route, {'nation': 'England'})\n"
        "print('before', 'holidays' in sys.modules)\n"
        "due_dates(route, {'nation': 'England', 'contract-entered': '2026-03-02'})\n"
        "print('after', 'holidays' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["before", "False", "after", "True"]


def test_the_contract_may_be_entered_the_day_after_standstill_ends() -> None:
    got = due({**GOODS, "nation": "Wales", "can-published": "2026-12-21"})
    assert got["standstill-ends"] == dt.date(2027, 1, 5)
    assert got["contract-earliest"] == dt.date(2027, 1, 6)
