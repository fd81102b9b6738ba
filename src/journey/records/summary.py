"""Where a record stands: stage reached, what is done and open, deviations, deadlines, damage.

One typed summary, the same for `status`, `status --json` and the pipeline report.
An edit accepted with `--accept-edits` is listed among the deviations, so it is
never out of sight.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, NamedTuple

import msgspec

from journey.errors import JourneyError
from journey.routes.model import Checkpoint
from journey.walk.deadlines import Due
from journey.walk.engine import Walk


class DeviationInfo(msgspec.Struct, frozen=True):
    """A deviation as the buyer's approver reads it (an accepted edit counts as one)."""

    checkpoint: str
    kind: str
    reason: str
    question: str = ""  # the checkpoint's prompt: what a person reads instead of the id


class DueInfo(msgspec.Struct, frozen=True):
    """A computed statutory date and the rule that gives it."""

    id: str
    label: str
    date: str
    rule: str
    # due, due soon (within SOON days), past (a date nobody enters), or, for a deadline
    # that governs a date the buyer enters: met, or missed (entered late, or not yet entered
    # and the date has gone).
    state: str = "due"


class OpenInfo(msgspec.Struct, frozen=True):
    """A mandatory checkpoint still open: its id and its question."""

    id: str
    question: str


class Summary(msgspec.Struct, frozen=True):
    """A record's state in a few fields; `problems` is empty unless the record is damaged."""

    title: str
    reference: str
    owner: str
    route: str
    route_version: str
    status: str
    stage: str
    next: str | None
    done: int
    total: int
    percent: int
    required_answered: int
    required_outstanding: list[str]
    deviations: list[DeviationInfo]
    deadlines: list[DueInfo]
    created: str
    updated: str
    problems: list[str]
    outstanding: list[OpenInfo] = msgspec.field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data, for JSON and for views that index by name."""
        out: dict[str, Any] = msgspec.to_builtins(self)
        return out


SOON = dt.timedelta(days=14)


def due_state(walk: Walk, due: Due, today: dt.date | None = None) -> str:
    """Whether a computed date is due, due soon, met or missed (or past, when it holds no
    date the buyer enters to)."""
    return state_on(settled_state(walk, due), due.date.isoformat(), today or dt.date.today())


def settled_state(walk: Walk, due: Due) -> str:
    """What a deadline's state is whatever the day: met or missed (the governed date is
    entered), governed (not yet entered), or "" (it governs no date the buyer enters).
    The report caches this and turns it into a state for the day with `state_on`."""
    governed = due.deadline.governs
    if not governed:
        return ""
    entered = walk.effective_answers().get(governed)
    if isinstance(entered, str):
        return "missed" if walk.breaches(governed, entered) else "met"
    return "governed"


@lru_cache(maxsize=1 << 12)  # a report asks it of every deadline of every row, the same few
def state_on(settled: str, date: str, today: dt.date) -> str:
    """The state of a deadline on `today` (ISO `date`; `settled` from `settled_state`)."""
    if settled in ("met", "missed"):
        return settled
    if date < today.isoformat():
        return "missed" if settled else "past"
    return "due soon" if dt.date.fromisoformat(date) - today <= SOON else "due"


class Standing(NamedTuple):
    """Where a walk stands, in the few figures a report row and a summary share."""

    stage: str
    next: Checkpoint | None
    done: int
    total: int
    percent: int
    deviations: int  # recorded deviations and accepted edits


def standing(walk: Walk) -> Standing:
    """The stage reached, the next open checkpoint, progress and the count of deviations: a
    report's row needs these and the dates, not the whole `summary` (a sixth of its cost)."""
    rec = walk.record
    done, total = walk.progress()
    nxt = walk.next_open()
    place = walk.places[nxt.id] if nxt else None
    accepted = sum(1 for e in rec.events if e.kind == "accepted-edit")
    return Standing(
        f"{place.stage_no}. {place.stage.title}" if place else "all stages done",
        nxt,
        done,
        total,
        round(100 * done / total) if total else 100,
        len(rec.deviations) + accepted,
    )


def summary(walk: Walk, problems: list[str] | None = None, today: dt.date | None = None) -> Summary:
    """The summary of a walk; `problems` are the integrity problems found in its record."""
    rec = walk.record
    at = standing(walk)
    required = [c for c in walk.applicable() if walk.places[c].checkpoint.required]
    missing = walk.missing()
    deviations = [
        DeviationInfo(cid, d.kind, d.reason, _question(walk, cid))
        for cid, d in rec.deviations.items()
    ]
    deviations += [
        DeviationInfo("(whole record)", e.kind, f"{e.reason} ({e.by}, {e.at})")
        for e in rec.events
        if e.kind == "accepted-edit"
    ]
    return Summary(
        title=rec.title,
        reference=rec.reference,
        owner=rec.owner,
        route=rec.route,
        route_version=rec.route_version,
        status="damaged" if problems else rec.status,
        stage=at.stage,
        next=at.next.id if at.next else None,
        done=at.done,
        total=at.total,
        percent=at.percent,
        required_answered=len(required) - len(missing),
        required_outstanding=[c.id for c in missing],
        deviations=deviations,
        deadlines=[
            DueInfo(d.id, d.label, d.date.isoformat(), d.rule, due_state(walk, d, today))
            for d in due_dates(walk)
        ],
        created=rec.created,
        updated=rec.updated,
        problems=list(problems or []),
        outstanding=[OpenInfo(c.id, c.prompt) for c in missing],
    )


def _question(walk: Walk, cid: str) -> str:
    place = walk.places.get(cid)
    return place.checkpoint.prompt if place else ""


class OutOfCalendar(JourneyError):
    """A deadline that falls before year 1 or after year 9999: the record cannot be summarised."""


def due_dates(walk: Walk) -> list[Due]:
    """The walk's statutory dates; a date outside the calendar is `OutOfCalendar`."""
    try:
        return walk.dues()
    except (OverflowError, ValueError):
        raise OutOfCalendar(
            "a deadline of this record falls outside the calendar (years 1 to 9999); "
            "check the dates it is counted from"
        ) from None
