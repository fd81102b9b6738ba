"""Statutory dates that follow from dates the buyer enters: tender periods, standstill, notices.

The rules (which date, how many days, calendar or working days, whose bank
holidays) are data in the route; this only does the arithmetic. Bank holidays
come from the `holidays` package (subdivisions ENG, WLS, NIR and SCT of the
United Kingdom), imported only when a working day is actually needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import msgspec

from journey.routes.model import Calendar, Deadline, Route
from journey.walk.conditions import holds

# holidays.UK subdivisions per calendar; "united-kingdom" is a bank holiday in any part
# of the UK, which is how the Procurement Act 2023 defines a working day (s.123(1)).
SUBDIVISIONS: dict[Calendar, tuple[str, ...]] = {
    "scotland": ("SCT",),
    "england-and-wales": ("ENG", "WLS"),
    "northern-ireland": ("NIR",),
    "united-kingdom": ("ENG", "WLS", "NIR", "SCT"),
}
CALENDAR_NAMES: dict[Calendar, str] = {
    "scotland": "Scottish",
    "england-and-wales": "England and Wales",
    "northern-ireland": "Northern Ireland",
    "united-kingdom": "UK-wide",
}
# The answer to a `calendar-from` choice, mapped to its calendar.
BY_NATION: dict[str, Calendar] = {
    "England": "england-and-wales",
    "Wales": "england-and-wales",
    "Northern Ireland": "northern-ireland",
    "Scotland": "scotland",
}


class Due(msgspec.Struct, frozen=True):
    """A computed deadline, and what it was counted from (`rule` says it in words). A
    struct: a report makes several for every record (a frozen dataclass took ten times as
    long to make)."""

    id: str
    label: str
    date: dt.date
    notice: str | None
    deadline: Deadline
    start: dt.date
    calendar: Calendar

    @property
    def rule(self) -> str:
        """How the date was counted, in words (made when shown: a report counts the dates of
        every record and shows none of these)."""
        d, name = self.deadline, CALENDAR_NAMES[self.calendar]
        if d.unit == "working-days":
            rule = (
                f"{d.after} {self.start.isoformat()}: working day {d.days} counting "
                f"from that day ({name} bank holidays)"
            )
            if d.plus_days:
                rule += f", + {d.plus_days} day" + ("" if d.plus_days == 1 else "s")
            return rule
        sign = "+" if d.days >= 0 else "-"
        rule = f"{d.after} {self.start.isoformat()} {sign} {abs(d.days)} days"
        if self.date != self.start + dt.timedelta(days=d.days):
            rule += f", moved to the {d.working_day} {name} working day"
        return rule


def due_dates(route: Route, answers: Mapping[str, Any]) -> list[Due]:
    """Every deadline of the route whose start date is answered and whose condition holds."""
    out = []
    for deadline in route.deadlines:
        start = answers.get(deadline.after)
        if not isinstance(start, str) or not holds(deadline.when, answers):
            continue
        try:
            day = dt.date.fromisoformat(start)
        except ValueError:
            continue
        out.append(_due(deadline, day, calendar_for(deadline, answers)))
    return sorted(out, key=lambda d: (d.date, d.id))


def calendar_for(deadline: Deadline, answers: Mapping[str, Any]) -> Calendar:
    """The deadline's calendar: the nation answered in `calendar-from`, else its own."""
    if deadline.calendar_from is not None:
        nation = answers.get(deadline.calendar_from)
        if isinstance(nation, str) and nation in BY_NATION:
            return BY_NATION[nation]
    return deadline.calendar


def _due(deadline: Deadline, start: dt.date, calendar: Calendar) -> Due:
    if deadline.unit == "working-days":
        date = nth_working_day(start, deadline.days, calendar)
        date += dt.timedelta(days=deadline.plus_days)
    else:
        date = start + dt.timedelta(days=deadline.days)
        if deadline.working_day != "none":
            date = working_day(date, 1 if deadline.working_day == "next" else -1, calendar)
    return Due(deadline.id, deadline.label, date, deadline.notice, deadline, start, calendar)


def is_working_day(day: dt.date, calendar: Calendar) -> bool:
    """Not a Saturday, Sunday or bank holiday of the calendar."""
    return day.weekday() < 5 and day not in bank_holidays(day.year, calendar)


@lru_cache(maxsize=1 << 14)  # the same few dates come round in every record of a report
def working_day(day: dt.date, step: int, calendar: Calendar = "scotland") -> dt.date:
    """`day` if it is a working day, else the next (step 1) or previous (step -1) one."""
    while not is_working_day(day, calendar):
        day += dt.timedelta(days=step)
    return day


@lru_cache(maxsize=1 << 14)
def nth_working_day(start: dt.date, n: int, calendar: Calendar) -> dt.date:
    """The nth working day counted beginning with `start` (start itself is the first if working)."""
    day = working_day(start, 1, calendar)
    for _ in range(n - 1):
        day = working_day(day + dt.timedelta(days=1), 1, calendar)
    return day


@cache
def bank_holidays(year: int, calendar: Calendar) -> frozenset[dt.date]:
    """Bank holidays of a year in the calendar's parts of the UK: from the table written from
    the installed `holidays` (scripts/bank_holidays.py), else from `holidays` itself."""
    kept = _table().get(calendar, {}).get(str(year))
    if kept is not None:
        return frozenset(dt.date.fromisoformat(day) for day in kept)
    return holidays_of(year, calendar)


def holidays_of(year: int, calendar: Calendar) -> frozenset[dt.date]:
    """Bank holidays as the `holidays` package gives them (imported here: slow to load)."""
    import holidays

    days: set[dt.date] = set()
    for subdiv in SUBDIVISIONS[calendar]:
        days.update(holidays.country_holidays("GB", subdiv=subdiv, years=[year]))
    return frozenset(days)


def holidays_version() -> str:
    """The installed `holidays` package's version ('' if none): the dates it gives change
    with it, so the table and the report's cache are trusted for this version only."""
    from importlib import metadata

    try:
        return metadata.version("holidays")
    except metadata.PackageNotFoundError:  # pragma: no cover - a dependency of journey
        return ""


TABLE_YEARS = range(2015, 2041)  # the years the table holds (any other asks `holidays`)


@cache
def _table() -> dict[str, dict[str, list[str]]]:
    """The table's calendars, if it was written by the `holidays` now installed; else none.
    Importing `holidays` and building its first calendar takes about 170 ms, paid by every
    worker of a report and by `resume` of any record with a date; reading the table, 1 ms."""
    import json

    try:
        table = json.loads(Path(__file__).with_name("bank_holidays.json").read_bytes())
    except (OSError, ValueError):
        return {}
    installed = holidays_version()
    if not isinstance(table, dict) or not installed or table.get("holidays") != installed:
        return {}
    calendars = table.get("calendars")
    return calendars if isinstance(calendars, dict) else {}
