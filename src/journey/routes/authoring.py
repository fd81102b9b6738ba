"""What route authors keep for themselves: author notes, review dates, and the rules on both.

A route's `notes` (on the route, a stage, a step or a checkpoint) are for authors and
reviewers: `validate` and `show --format markdown --notes` show them; a walk, the
finder, handouts and records never do. So reviewers' markers such as "[INFERRED]"
belong there, never in text a buyer reads. Each source records the date the route
was last checked against it (`checked`), and a review older than a year is stale.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from journey.routes.model import Route
from journey.safeyaml import PathT

# Reviewers' shorthand that must not reach a buyer: say what is uncertain in plain words.
AUTHOR_MARKERS = re.compile(
    r"\[(?:INFERRED|UNCONFIRMED)\]|provenance not confirmed|not captured", re.IGNORECASE
)
STALE_AFTER = dt.timedelta(days=365)


@dataclass(frozen=True)
class Note:
    """One author note and where it sits, e.g. `stages[2].steps[0]` (`route` for the top)."""

    where: str
    text: str


def author_notes(route: Route) -> list[Note]:
    """Every author note of a route, in file order."""
    out = [Note("route", route.notes)] if route.notes else []
    for stage in route.stages:
        if stage.notes:
            out.append(Note(f"stage {stage.id}", stage.notes))
        for step in stage.steps:
            if step.notes:
                out.append(Note(f"step {step.id}", step.notes))
            out += [Note(f"checkpoint {c.id}", c.notes) for c in step.checkpoints if c.notes]
    return out


def marker_breaches(route: Route) -> Iterator[tuple[PathT, str]]:
    """Reviewers' markers in buyer-facing text: they belong in `notes`."""
    for path, text in _buyer_text(route):
        found = AUTHOR_MARKERS.search(text)
        if found:
            yield (
                path,
                (
                    f"'{found.group()}' is a note for authors: move it to `notes` and tell the "
                    "buyer what is uncertain in plain words"
                ),
            )


def date_breaches(route: Route) -> Iterator[tuple[PathT, str]]:
    """`reviewed` and each source's `checked` must be real YYYY-MM-DD dates."""
    if route.reviewed is not None and _date(route.reviewed) is None:
        yield ("reviewed",), f"'{route.reviewed}' is not a date (YYYY-MM-DD)"
    for i, source in enumerate(route.sources):
        if source.checked is not None and _date(source.checked) is None:
            yield ("sources", i, "checked"), f"'{source.checked}' is not a date (YYYY-MM-DD)"


def last_checked(route: Route) -> dt.date | None:
    """The oldest date the route was checked against a source (its `reviewed` date if none)."""
    dates = [_date(s.checked) for s in route.sources if s.checked]
    known = [d for d in dates if d is not None]
    if known:
        return min(known)
    return _date(route.reviewed) if route.reviewed else None


def review_warning(route: Route, today: dt.date) -> str | None:
    """Why a route's review is stale (older than a year), or None (also for an undated route)."""
    checked = last_checked(route)
    if checked is not None and today - checked > STALE_AFTER:
        stale = [s.id for s in route.sources if s.checked and _date(s.checked) == checked]
        named = ", ".join(stale[:3]) + (f" and {len(stale) - 3} more" if len(stale) > 3 else "")
        which = f" (source {named})" if stale else ""
        return (
            f"{route.id}: last checked against its sources on {checked.isoformat()}{which}, "
            "more than a year ago: review it before relying on it"
        )
    return None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _buyer_text(route: Route) -> Iterator[tuple[PathT, str]]:
    yield ("title",), route.title
    yield ("summary",), route.summary
    for i, source in enumerate(route.sources):
        yield ("sources", i, "title"), source.title
    for si, stage in enumerate(route.stages):
        yield ("stages", si, "summary"), stage.summary
        for ti, step in enumerate(stage.steps):
            path: PathT = ("stages", si, "steps", ti)
            yield (*path, "guidance"), step.guidance
            for ci, cp in enumerate(step.checkpoints):
                where: PathT = (*path, "checkpoints", ci)
                yield (*where, "prompt"), cp.prompt
                yield (*where, "help"), cp.help
                for bi, b in enumerate(cp.basis):
                    yield (*where, "basis", bi, "ref"), b.ref
    for di, deadline in enumerate(route.deadlines):
        yield ("deadlines", di, "label"), deadline.label
