"""The human part of a record: a checklist grouped by stage, rendered from the data.

It is a pure function of the record and its route, so the same answers and
times always give the same bytes, and `verify` can re-render it to find lines
edited by hand.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from journey.records.format import Entry, Record, data_block
from journey.routes.handout import describe_condition
from journey.routes.model import Checkpoint, Condition, Route
from journey.text import md as _md
from journey.text import md_code, plural, value_key
from journey.walk import answers
from journey.walk.engine import Walk, per_route

MARK_DEVIATION = "⚠"

# A walk re-renders the whole checklist after every answer; the same route text,
# names and times come round each time, so their escaped forms are remembered.
md = lru_cache(maxsize=1 << 13)(_md)  # (long answers bypass it: `_shown_for`)


@lru_cache(maxsize=1 << 12)
def _only_if(cond: Condition) -> str:
    return md(describe_condition(cond))


def render(walk: Walk) -> str:
    """The whole record file: checklist, then the data block."""
    return checklist(walk) + "\n" + data_block(walk.record, walk.order)


def checklist(walk: Walk) -> str:
    """The Markdown checklist above the data block."""
    rec = walk.record
    out = _head(walk, rec)
    active = set(walk.applicable())
    words = rec.format >= 2
    answered, deviations = rec.answers, rec.deviations
    layout = _layout(walk.route)
    items, tail = layout.items, layout.tail
    for before, part in items:
        if before is not None:
            out.append(before)
        if part.id not in active:
            out.append(part.inactive_words if words else part.inactive)
        elif part.id in deviations:
            out.append(_item(walk, part))
        elif (entry := answered.get(part.id)) is not None:
            out.append(_answered(part, entry))  # the usual line
        else:
            out.append(part.open)
    if tail is not None:
        out.append(tail)
    out += _outstanding(walk) + _deviations(walk) + _edits(rec) + _changes(walk) + _retired(rec)
    out += [
        "## Record data",
        "",
        "The block below is the source of truth for this record; the text above is rendered",
        "from it. Change answers with `journey resume`, not by hand: `journey verify` checks both.",
        "",
    ]
    return "\n".join(out)


def _head(walk: Walk, rec: Record) -> list[str]:
    done, total = walk.progress()
    status = "Complete" if rec.status == "complete" else "In progress"
    route = walk.route
    out = [f"# {md(rec.title)}", ""]
    out.append(f"- **Route:** {md(route.title)} (`{route.id}`, version {md(rec.route_version)})")
    if rec.reference:
        out.append(f"- **Reference:** {md(rec.reference)}")
    out.append(f"- **Owner:** {md(rec.owner)}")
    if rec.finder:
        said = "; ".join(f"{k} {v}" for k, v in rec.finder.items())
        out.append(f"- **Route finder was told:** {md(said)}")
    out.append(
        f"- **Status:** {status}: {done} of {plural(total, 'checkpoint')} on the active path done"
    )
    out.append(f"- **Started:** {md(rec.created)} · **Last updated:** {md(rec.updated)}")
    return [*out, ""]


@dataclass(frozen=True)
class _Item:
    """A checkpoint's line parts that depend on the route alone: worked out once per route,
    since `verify` and `report` re-render the checklist of every record of the same routes."""

    id: str
    checkpoint: Checkpoint
    prompt: str  # "{question} `{id}`", escaped
    inactive: str  # the whole line when it does not apply (format 1: the condition's ids)
    inactive_words: str  # the same, the condition in questions (format 2 on)
    open: str  # the whole line when it applies and is open
    outstanding: str  # its line under "Outstanding" when it is mandatory and open


class _Layout(NamedTuple):
    """A route's checklist skeleton."""

    items: list[tuple[str | None, _Item]]  # each checkpoint after its headings (None: none)
    tail: str | None  # the lines after the last checkpoint
    by_id: dict[str, _Item]
    position: dict[str, int]  # each checkpoint's place in walk order


@per_route
def _layout(route: Route) -> _Layout:
    """The stage and step headings and the checkpoints between them, in order; the lines
    between two checkpoints are joined in one text, so a record's render visits only its
    checkpoints."""
    items: list[tuple[str | None, _Item]] = []
    between: list[str] = []
    questions = {cp.id: cp.prompt for cp in route.checkpoints()}
    for sn, stage in enumerate(route.stages, 1):
        between += [f"## Stage {sn}. {md(stage.title)}", ""]
        for step in stage.steps:
            between += [f"### {md(step.title)}", ""]
            for cp in step.checkpoints:
                part = _parts(cp, questions, f"Stage {sn}, {md(step.title)}")
                items.append(("\n".join(between) if between else None, part))
                between = []
            between += [""] if step.checkpoints else ["*Guidance only: nothing to confirm.*", ""]
    tail = "\n".join(between) if between else None
    by_id = {part.id: part for _, part in items}
    return _Layout(items, tail, by_id, {cid: n for n, cid in enumerate(by_id)})


def _parts(cp: Checkpoint, questions: dict[str, str], where: str) -> _Item:
    prompt = f"{md(cp.prompt)} `{cp.id}`"
    ids = words = "condition not met"
    if cp.when is not None:
        # Format 2 on names each checkpoint in a condition by its question, not its id.
        ids, words = _only_if(cp.when), md(describe_condition(cp.when, questions))
    need = "mandatory" if cp.required else "optional"
    return _Item(
        cp.id,
        cp,
        prompt,
        f"- ~~{md(cp.prompt)}~~ `{cp.id}`: not applicable (only if {ids})",
        f"- ~~{md(cp.prompt)}~~ `{cp.id}`: not applicable (only if {words})",
        f"- [ ] {prompt}: *{need}, open*",
        f"- {where}: {prompt}",
    )


def _item(walk: Walk, part: _Item) -> str:
    """The line of a checkpoint that applies and has a deviation: answered, skipped, or open."""
    rec = walk.record
    deviation = rec.deviations.get(part.id)
    entry = rec.answers.get(part.id)
    if entry is not None:
        text = _answered(part, entry)
        if deviation is not None:
            text += f" {MARK_DEVIATION} deviation: {md(deviation.reason)}"
        return text
    if deviation is not None:
        return f"- [ ] {part.prompt}: {MARK_DEVIATION} skipped: {md(deviation.reason)} ({md(deviation.by)}, {md(deviation.at)})"
    return part.open


def _answered(part: _Item, entry: Entry) -> str:
    """An answered checkpoint's line: the answer as shown, who gave it, when, and how."""
    shown = _shown_for(part.checkpoint.kind, entry.value)
    return f"- [x] {part.prompt}: **{shown}** ({md(entry.by)}, {md(entry.at)}{VIA[entry.via]})"


def _outstanding(walk: Walk) -> list[str]:
    missing = walk.missing()
    if not missing:
        return ["## Outstanding", "", "Nothing mandatory is outstanding.", ""]
    parts = _layout(walk.route).by_id
    out = [f"## Outstanding ({plural(len(missing), 'mandatory checkpoint')})", ""]
    out += [parts[cp.id].outstanding for cp in missing]
    return [*out, ""]


def _deviations(walk: Walk) -> list[str]:
    rec = walk.record
    if not rec.deviations:
        return []
    out = [f"## Deviations ({len(rec.deviations)})", ""]
    position = _layout(walk.route).position
    for cid in sorted((c for c in rec.deviations if c in position), key=position.__getitem__):
        d = rec.deviations[cid]
        what = "answered against the expected answer" if d.kind == "answer" else "skipped"
        place = walk.places.get(cid)
        question = f"{md(place.checkpoint.prompt)} " if place and rec.format >= 2 else ""
        out.append(f"- {question}`{cid}` {what}: {md(d.reason)} ({md(d.by)}, {md(d.at)})")
    return [*out, ""]


def _shown_for(kind: str, value: object) -> str:
    """An answer as the checklist shows it, escaped; a plain value's form is remembered (the
    same answers come round in every record a report re-renders)."""
    key = value_key(value)
    if key is None:  # a long text: not worth keeping
        return _md(answers.show_for_kind(kind, value))
    shown = _SHOWN.get((kind, key))
    if shown is None:
        if len(_SHOWN) >= 1 << 13:
            _SHOWN.clear()
        shown = _SHOWN[kind, key] = _md(answers.show_for_kind(kind, value))
    return shown


_SHOWN: dict[tuple[str, Hashable], str] = {}


# How an answer came, as the checklist says it; typed answers (and format 1 records,
# which did not say) need no note.
VIA = {"typed": "", "unrecorded": "", "answers-file": ", from an answers file",
       "route-finder": ", from the route finder"}  # fmt: skip


def _edits(rec: Record) -> list[str]:
    """Edits made outside the tool and kept on purpose, and format upgrades: never unseen."""
    if not rec.events:
        return []
    out = [f"## Accepted edits and upgrades ({len(rec.events)})", ""]
    for e in rec.events:
        what = "upgraded"
        if e.kind == "accepted-edit":
            what = f"{MARK_DEVIATION} edits made outside journey accepted"
        out.append(f"- {md(e.at)} {md(e.by)}: {what}: {md(e.reason)} (replaced {md(e.replaced)})")
    return [*out, ""]


def _changes(walk: Walk) -> list[str]:
    rec = walk.record
    if not rec.history:
        return []
    out = [f"## Changes ({len(rec.history)})", ""]
    for c in rec.history:
        old = md(_shown(walk, c.checkpoint, c.old))
        new = md(_shown(walk, c.checkpoint, c.new))
        out.append(
            f"- {md(c.at)} {md(c.by)} changed {md_code(c.checkpoint)} from {old} to {new}: {md(c.reason)}"
            + (f" (ends the deviation: {md(c.old_deviation)})" if c.old_deviation else "")
        )
    return [*out, ""]


def _shown(walk: Walk, cid: str, value: object) -> str:
    if value is None:
        return "(none)"
    place = walk.places.get(cid)
    return answers.show_for(place.checkpoint, value) if place else answers.show(value)


def _retired(rec: Record) -> list[str]:
    if not rec.retired:
        return []
    out = [
        "## Retired answers",
        "",
        "Answers to checkpoints no longer in the route, kept for the audit trail.",
        "",
    ]
    for cid in sorted(rec.retired):
        e = rec.retired[cid]
        out.append(f"- {md_code(cid)}: {md(answers.show(e.value))} ({md(e.by)}, {md(e.at)})")
    return [*out, ""]
