"""Where a record stands: stage reached, what is done and open, deviations, deadlines."""

from __future__ import annotations

from typing import Any

from journey.walk.deadlines import due_dates
from journey.walk.engine import Walk


def summary(walk: Walk) -> dict[str, Any]:
    """A plain summary of a walk, the same for `status --json` and the pipeline report."""
    rec = walk.record
    done, total = walk.progress()
    nxt = walk.next_open()
    place = walk.places[nxt.id] if nxt else None
    required = [c for c in walk.applicable() if walk.places[c].checkpoint.required]
    missing = walk.missing()
    return {
        "title": rec.title,
        "reference": rec.reference,
        "owner": rec.owner,
        "route": rec.route,
        "route_version": rec.route_version,
        "status": rec.status,
        "stage": f"{place.stage_no}. {place.stage.title}" if place else "all stages done",
        "next": nxt.id if nxt else None,
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else 100,
        "required_answered": len(required) - len(missing),
        "required_outstanding": [c.id for c in missing],
        "deviations": [
            {"checkpoint": cid, "kind": d.kind, "reason": d.reason}
            for cid, d in rec.deviations.items()
        ],
        "deadlines": [
            {"id": d.id, "label": d.label, "date": d.date.isoformat(), "rule": d.rule}
            for d in due_dates(walk.route, walk.effective_answers())
        ],
        "created": rec.created,
        "updated": rec.updated,
    }
