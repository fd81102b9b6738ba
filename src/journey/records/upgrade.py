"""`journey upgrade`: rewrite an older record in the current format, saying so in its history.

Only a sound record is rewritten: one that fails its checks is left exactly as it is,
so an upgrade can never launder an edit made outside the tool.
"""

from __future__ import annotations

from pathlib import Path

from journey.errors import InvalidFile, UsageError
from journey.records.atomicfile import locked, write_atomic
from journey.records.checklist import render
from journey.records.format import FORMAT
from journey.records.opening import open_record, walk_of
from journey.records.verify import damaged
from journey.walk.engine import Clock, utc_now


def upgrade(path: Path, user: str, clock: Clock = utc_now) -> tuple[str, bool]:
    """Rewrite one record as format `FORMAT`; (what happened, whether it went well)."""
    try:
        with locked(path):
            opened = open_record(path)
            rec = opened.record
            if rec.format >= FORMAT:
                return f"{path}: already format {FORMAT}", True
            problems = damaged(opened)
            if problems:
                lines = "\n".join(str(p) for p in problems)
                return f"{lines}\n{path}: not upgraded: it fails its checks (see above)", False
            if opened.route is None or rec.route_digest != opened.route.digest:
                msg = "its route has changed or is missing; run `journey resume` on it first"
                return f"{path}: not upgraded: {msg}", False
            walk = walk_of(opened, user=user, clock=clock)
            old = rec.format
            walk.upgraded(f"format {old} record rewritten as format {FORMAT}", rec.digest)
            write_atomic(path, render(walk))
            return f"upgraded: {path} (format {old} → {FORMAT})", True
    except (InvalidFile, UsageError) as exc:
        return str(exc), False
