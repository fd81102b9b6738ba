"""Which statutory notices of a record are published, due, overdue or still to publish.

A checkpoint that names a notice (`notice: UK6`) is published when it is answered
with a date (or confirmed); until then its state comes from the route's deadline for
the same notice, if one is computed: due on or after today, overdue before. The
notice's name and legal basis come from the notices table, never from the route.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from journey.routes.model import Route
from journey.routes.notices import load_notices
from journey.walk.engine import Walk, per_route


def notice_rows(walk: Walk, today: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per applicable checkpoint that names a notice, in walk order."""
    table = load_notices()
    rows = []
    for cid, ident, state, date in _states(walk, today or dt.date.today()):
        notice = table.get(ident)
        label = notice.label if notice else ident
        rows.append({"checkpoint": cid, "notice": label, "state": state, "date": date})
    return rows


def _states(walk: Walk, today: dt.date) -> list[tuple[str, str, str, str | None]]:
    """(checkpoint, notice, state, date) of each applicable checkpoint naming a notice."""
    named = _noticed(walk.route)
    if not named:
        return []
    active = set(walk.applicable())
    answers = walk.effective_answers()
    dues = walk.dues()
    out = []
    for cid, ident in named:
        if cid in active:
            state, date = _state(
                answers.get(cid), [d.date for d in dues if d.notice == ident], today
            )
            out.append((cid, ident, state, date))
    return out


@per_route
def _noticed(route: Route) -> list[tuple[str, str]]:
    """The route's checkpoints that name a notice, in walk order, with the notice."""
    return [(cp.id, cp.notice) for cp in route.checkpoints() if cp.notice]


def _state(value: Any, due: list[dt.date], today: dt.date) -> tuple[str, str | None]:
    if isinstance(value, str):
        return "published", value
    if value is True:
        return "published", None
    if value is False:
        return "not published", None
    if not due:
        return "to publish", None
    first = min(due)
    return ("overdue" if first < today else "due"), first.isoformat()


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many notices are in each state, for a one-line summary in the pipeline report."""
    out: dict[str, int] = {}
    for row in rows:
        out[row["state"]] = out.get(row["state"], 0) + 1
    return out


def marks(walk: Walk) -> list[tuple[bool, str | None]]:
    """Each applicable notice as (published, due date or None), free of today's date so the
    report can cache it; `tally` turns them into counts for a given day."""
    day = dt.date(1, 1, 1)  # before any due date: the date, not the state, is what is kept
    return [(state == "published", date if state == "due" else None)
            for _, _, state, date in _states(walk, day)]  # fmt: skip


def tally(marked: list[tuple[bool, str | None]], today: dt.date) -> tuple[int, int, int]:
    """(published, due, overdue) on `today`; a notice with no due date yet counts as neither."""
    day = today.isoformat()
    published = sum(1 for done, _ in marked if done)
    due = sum(1 for done, when in marked if not done and when is not None and when >= day)
    overdue = sum(1 for done, when in marked if not done and when is not None and when < day)
    return published, due, overdue
