"""Open a record file with the route it follows, and save it back.

Shared by `resume`, `status`, `verify` and `report`: each reads the record,
finds its route by id, and gets a `Walk` over the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from journey.errors import InvalidFile, UsageError
from journey.records.format import Parts, Record, lf, read
from journey.routes.catalogue import Entry, discover
from journey.routes.loader import LoadedRoute
from journey.safeyaml import Document, read_text, text_of
from journey.walk.engine import Clock, Walk, utc_now

MAX_RECORD_BYTES = 4 * 1024 * 1024


@dataclass
class Opened:
    """A record as read from disk: its walk (None if its route is missing) and its parts."""

    path: Path
    text: str
    record: Record
    parts: Parts  # the checklist and the data block
    doc: Document
    route: LoadedRoute | None


@cache
def _routes() -> dict[str, Entry]:
    return {e.id: e for e in discover()}


def known_routes() -> dict[str, Entry]:
    """Every route found, by id, as `route_for` sees them (read once per process)."""
    return _routes()


def route_for(route_id: str) -> LoadedRoute | None:
    """The route a record follows, by id (each route file is read once per process)."""
    entry = _routes().get(route_id)
    if entry is not None and entry.error is not None:
        raise entry.error
    return entry.loaded if entry else None


def open_record(path: Path, raw: bytes | None = None) -> Opened:
    """Read and parse a record file (or its bytes, already read with `read_capped`); raise
    `InvalidFile` if it cannot be parsed."""
    if raw is not None:
        text = lf(text_of(raw, path, str(path), MAX_RECORD_BYTES))
    elif not path.is_file():
        raise UsageError(f"no such record: {path}")
    else:
        text = lf(read_text(path, str(path), MAX_RECORD_BYTES))
    record, parts, doc = read(text, str(path))
    return Opened(path, text, record, parts, doc, route_for(record.route))


def walk_of(opened: Opened, *, user: str = "", clock: Clock = utc_now) -> Walk:
    """A walk over an opened record; its route must exist."""
    if opened.route is None:
        msg = f"unknown route '{opened.record.route}'; see `journey routes`"
        raise InvalidFile([opened.doc.problem(("route",), msg)])
    return Walk(opened.route, opened.record, user=user, clock=clock)
