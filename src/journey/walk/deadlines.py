"""Statutory dates that follow from dates the buyer enters: tender periods, standstill, notices.

The rules (which date, how many days, whether the last day must be a working
day) are data in the route; this only does the arithmetic. Scottish public
holidays come from the `holidays` package, which tracks gov.uk's list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from journey.routes.model import Deadline, Route
from journey.walk.conditions import holds


@dataclass(frozen=True)
class Due:
    """A computed deadline, with the rule that produced it in words."""

    id: str
    label: str
    date: dt.date
    rule: str


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
        out.append(_due(deadline, day))
    return sorted(out, key=lambda d: (d.date, d.id))


def _due(deadline: Deadline, start: dt.date) -> Due:
    date = start + dt.timedelta(days=deadline.days)
    sign = "+" if deadline.days >= 0 else "-"
    rule = f"{deadline.after} {start.isoformat()} {sign} {abs(deadline.days)} days"
    if deadline.working_day != "none":
        moved = _working_day(date, 1 if deadline.working_day == "next" else -1)
        if moved != date:
            word = "next" if deadline.working_day == "next" else "previous"
            rule += f", moved to the {word} Scottish working day"
        date = moved
    return Due(deadline.id, deadline.label, date, rule)


def _working_day(day: dt.date, step: int) -> dt.date:
    while day.weekday() >= 5 or day in _scottish_holidays(day.year):
        day += dt.timedelta(days=step)
    return day


@cache
def _scottish_holidays(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="SCT", years=[year]))
