"""Check a record file: intact, re-derivable from its route, and honest about being complete.

Three layers, each catching what the one before cannot:

1. the digest over the data block catches an edit made without the tool;
2. re-deriving the record from its route catches an edit re-sealed by hand: whatever
   the walk itself would never write (an answer against the route's `expect` with no
   deviation, the same person on both sides of a two-person rule, a mandatory
   checkpoint missing from a complete record, a timestamp that is not one, an empty
   author, history for checkpoints that do not exist) is refused;
3. the checklist is re-rendered from the data and compared line by line.

`resume` and `status` run the same checks (`damaged`), so damage is never hidden.
Every problem names the file and line, so a pre-commit hook or CI job points the
team straight at it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from journey.errors import InvalidFile, Problem, UsageError
from journey.records.checklist import checklist
from journey.records.format import (
    FORMAT,
    Change,
    Deviation,
    Event,
    Record,
    data_lines,
    data_text,
    sealed,
)
from journey.records.opening import Opened, open_record, walk_of
from journey.routes.model import Checkpoint, Route
from journey.safeyaml import Document
from journey.text import CONTROL, plural, remember_short, value_key
from journey.walk import answers
from journey.walk.engine import Walk, deviates, per_route

_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
REMOVED = "checkpoint removed from the route"


@dataclass(frozen=True)
class HandEdit(Problem):
    """A problem that only says the file differs from what the tool wrote (digest or
    checklist): the kind `journey resume --accept-edits REASON` may keep on purpose."""


def verify(path: Path, raw: bytes | None = None) -> list[Problem]:
    """Every problem found in one record (an empty list when it is sound); `raw`: its bytes,
    when the caller has read them already."""
    return checked(path, raw)[0]


def checked(path: Path, raw: bytes | None = None) -> tuple[list[Problem], Walk | None]:
    """`verify`, with the walk over the record when it is sound (`export` goes on to it)."""
    try:
        opened = open_record(path, raw)
    except InvalidFile as exc:
        return list(exc.problems), None
    except UsageError as exc:
        return [Problem(str(path), None, None, "", str(exc))], None
    except OSError as exc:  # a name too long, a folder: one problem, and the run goes on
        return [Problem(str(path), None, None, "", f"cannot read: {exc.strerror or exc}")], None
    if opened.route is None:
        return [*_seal_problems(opened), *_route_missing(opened)], None
    rec = opened.record
    if rec.route_digest != opened.route.digest:
        msg = (
            f"the route has changed since this record was written (record: version {rec.route_version}, "
            f"found: version {opened.route.route.version}); run `journey resume {opened.path}` to update it"
        )
        return [*damaged(opened), opened.doc.problem(("route-digest",), msg)], None
    problems, walk = inspect(opened)
    return problems, None if problems else walk


def damaged(opened: Opened) -> list[Problem]:
    """What `resume`, `status` and `verify` all refuse: a broken seal, data the tool would
    never write, a checklist that does not match. A route that moved on is not damage."""
    return inspect(opened)[0]


def inspect(opened: Opened) -> tuple[list[Problem], Walk | None]:
    """`damaged`, with the walk it built over the record (None when its route is missing or
    moved on), so that a caller that goes on to summarise the record does not build another."""
    problems = _seal_problems(opened) + list(_data_problems(opened.record, opened.doc))
    route = opened.route
    if route is None or opened.record.route_digest != route.digest:
        return problems, None
    walk = walk_of(opened)
    problems += list(_route_problems(opened.record, opened.doc, walk))
    if not problems:
        problems += _checklist_problems(opened, checklist(walk) + "\n")
    return problems, walk


def hand_edit(problem: Problem) -> bool:
    """True for a problem `--accept-edits` may keep (the file differs from what was written)."""
    return isinstance(problem, HandEdit)


def _seal_problems(opened: Opened) -> list[Problem]:
    if sealed(opened.parts.block):
        return _form_problems(opened)
    msg = (
        "the record data was edited by hand: its digest does not match "
        "(restore it from git, or keep it with `journey resume --accept-edits REASON`)"
    )
    return [_hand(opened.doc.problem(("digest",), msg))]


def _form_problems(opened: Opened) -> list[Problem]:
    """A sealed format 2 block must be exactly what journey writes for its content: a
    duplicated key or a reordered line, re-sealed by hand, is an edit the digest missed."""
    rec, block = opened.record, opened.parts.block
    if rec.format < FORMAT:
        return []
    whole = data_text(rec, rec.route_checkpoints)  # the usual case, compared in one go:
    if block.startswith(whole) and block.find("\n", len(whole)) == len(block) - 1:
        return []  # exactly those lines, then one more: the digest line `sealed` checked
    found = block.split("\n")[:-2]
    want = data_lines(rec, rec.route_checkpoints)
    first = opened.parts.first_line()
    for i, (a, b) in enumerate(zip(found, want, strict=False)):
        if a != b:
            msg = "this line is not as journey writes it (edited and re-sealed by hand?)"
            return [HandEdit(str(opened.path), first + i, 1, "", msg)]
    if len(found) != len(want):
        msg = "the data block has lines journey did not write (edited and re-sealed by hand?)"
        return [HandEdit(str(opened.path), first + min(len(found), len(want)), 1, "", msg)]
    return []


def _hand(p: Problem) -> HandEdit:
    return HandEdit(p.file, p.line, p.column, p.path, p.message)


def _route_missing(opened: Opened) -> list[Problem]:
    msg = f"unknown route '{opened.record.route}': no such route is installed or in ./journeys or JOURNEY_PATH"
    return [opened.doc.problem(("route",), msg)]


# -- the data on its own: times, authors, text ----------------------------------------


def _data_problems(rec: Record, doc: Document) -> Iterator[Problem]:
    """What any record must hold whatever its route: real times, named authors, clean text.
    (Each check is a remembered test first: a report runs them on every field of every record.)"""
    for key in ("created", "updated"):
        yield from _stamp(doc, (key,), getattr(rec, key))
    for key in ("title", "owner"):
        if not getattr(rec, key).strip():
            yield doc.problem((key,), f"the {key} is empty; journey never writes an empty {key}")
    upgraded = any(e.kind == "upgraded" for e in rec.events) or rec.format < FORMAT
    for section, table in (("answers", rec.answers), ("retired", rec.retired)):
        for cid, e in table.items():
            if not _real_time(e.at):
                yield from _stamp(doc, (section, cid, "at"), e.at)
            if _bad_author(e.by):
                yield from _author(doc, (section, cid, "by"), e.by)
            if isinstance(e.value, str) and _controlled(e.value):
                yield from _text(doc, (section, cid, "value"), e.value)
            if e.via == "unrecorded" and not upgraded:
                msg = "says its provenance was not recorded, but this record was never upgraded"
                yield doc.problem((section, cid), msg)
    reasoned: list[tuple[tuple[str, str | int], Deviation | Change | Event]]
    reasoned = [(("deviations", cid), d) for cid, d in rec.deviations.items()]
    reasoned += [(("history", i), c) for i, c in enumerate(rec.history)]
    reasoned += [(("events", i), v) for i, v in enumerate(rec.events)]
    for where, item in reasoned:
        if (
            not _real_time(item.at)
            or _bad_author(item.by)
            or _controlled(item.reason)
            or not item.reason.strip()
        ):
            yield from _stamp(doc, where, item.at)
            yield from _author(doc, where, item.by)
            yield from _reason(doc, where, item.reason)


@lru_cache(maxsize=1 << 14)
def _real_time(value: str) -> bool:
    """A time as journey writes them (the same few come round in every record)."""
    if not _STAMP.fullmatch(value):
        return False
    try:
        dt.datetime.fromisoformat(value[:-1])
    except ValueError:
        return False
    return True


def _stamp(doc: Document, path: tuple[Any, ...], value: str) -> Iterator[Problem]:
    if not _real_time(value):
        yield doc.problem(
            path, f"'{value}' is not a time as journey writes them (2026-11-23T10:40:00Z)"
        )


def _author(doc: Document, path: tuple[Any, ...], by: str) -> Iterator[Problem]:
    why = _bad_author(by)
    if why:
        yield doc.problem(path, why)


@lru_cache(maxsize=1 << 12)
def _bad_author(by: str) -> str:
    """What is wrong with an author's name ('' when nothing): the same few in every record."""
    if not by.strip():
        return "no author: journey always records who gave an answer"
    if any(unicodedata.category(c) == "Cf" for c in by) or CONTROL.search(by):
        return "the author's name holds invisible or control characters"
    return ""


def _reason(doc: Document, path: tuple[Any, ...], reason: str) -> Iterator[Problem]:
    if not reason.strip():
        yield doc.problem(path, "no reason: journey never records this without one")
    yield from _text(doc, path, reason)


def _text(doc: Document, path: tuple[Any, ...], text: str) -> Iterator[Problem]:
    if _controlled(text):
        yield doc.problem(path, "control characters, which journey refuses on input")


@remember_short(1 << 14)
def _controlled(text: str) -> bool:
    """Holds a control character (answers and reasons come round in many records)."""
    return CONTROL.search(text) is not None


# -- the data against its route ---------------------------------------------------------


def _route_problems(rec: Record, doc: Document, walk: Walk) -> Iterator[Problem]:
    """Re-derive the record from its route: refuse what the walk would never have written."""
    if rec.route_checkpoints != walk.order:
        msg = "does not list the checkpoints of the route it is pinned to (edited by hand?)"
        yield doc.problem(("route-checkpoints",), msg)
    yield from _answer_problems(rec, doc, walk)
    yield from _deviation_problems(rec, doc, walk)
    yield from _signoff_problems(rec, doc, walk)
    for cid in rec.retired:
        if cid in walk.places:
            msg = f"a retired answer for '{cid}', which is still in the route"
            yield doc.problem(("retired", cid), msg, at_key=True)
    known = set(walk.places) | set(rec.retired)
    for i, c in enumerate(rec.history):
        if c.checkpoint not in known and not c.reason.startswith(REMOVED):
            yield doc.problem(("history", i), f"history for unknown checkpoint '{c.checkpoint}'")
    if rec.status == "complete":
        missing = walk.missing()
        if missing:
            ids = ", ".join(c.id for c in missing)
            msg = f"marked complete but {plural(len(missing), 'mandatory checkpoint')} open: {ids}"
            yield doc.problem(("status",), msg)
        for b in walk.unexplained_breaches():
            msg = (
                f"marked complete, but '{b.checkpoint}' breaks a statutory date with no deviation: "
            )
            yield doc.problem(("answers", b.checkpoint), msg + b.question().removesuffix(" Why?"))


def _answer_problems(rec: Record, doc: Document, walk: Walk) -> Iterator[Problem]:
    classes = _parse_classes(walk.route)
    for cid, entry in rec.answers.items():
        place = walk.places.get(cid)
        if place is None:
            yield doc.problem(
                ("answers", cid), f"answer to unknown checkpoint '{cid}'", at_key=True
            )
            continue
        cp = place.checkpoint
        why = _not_canonical(cp, classes[cid], entry.value)
        if why:
            yield doc.problem(("answers", cid, "value"), f"invalid {cp.kind} answer: {why}")
            continue
        kept = rec.deviations.get(cid)
        if deviates(cp, entry.value) and (kept is None or kept.kind != "answer"):
            msg = f"'{cid}' is answered against what the route expects, with no deviation recorded"
            yield doc.problem(("answers", cid), msg)


def _not_canonical(cp: Checkpoint, parse_class: int, value: Any) -> str:
    """Why `value` is not what the walk would store for `cp` ('' when it is). The same
    answers come round in many records, so a plain value's verdict is kept, for every
    checkpoint that `answers.parse` reads alike (`parse_class`)."""
    plain = value_key(value)
    key = None if plain is None else (parse_class, plain)
    if key is not None and (kept := _VERDICTS.get(key)) is not None:
        return kept
    try:
        why = "" if answers.parse(cp, value) == value else "not in its canonical form"
    except answers.BadAnswer as exc:
        why = str(exc)
    if key is not None:
        if len(_VERDICTS) >= 1 << 14:
            _VERDICTS.clear()
        _VERDICTS[key] = why
    return why


_VERDICTS: dict[tuple[int, Hashable], str] = {}


@per_route
def _parse_classes(route: Route) -> dict[str, int]:
    """Each checkpoint's class: one number for the checkpoints `answers.parse` reads alike
    (`answers.parse_key`), the same for as long as this process runs."""
    return {
        cp.id: _CLASSES.setdefault(answers.parse_key(cp), len(_CLASSES))
        for cp in route.checkpoints()
    }


_CLASSES: dict[tuple[Any, ...], int] = {}


def _deviation_problems(rec: Record, doc: Document, walk: Walk) -> Iterator[Problem]:
    for cid, d in rec.deviations.items():
        place = walk.places.get(cid)
        where = ("deviations", cid)
        if place is None:
            yield doc.problem(where, f"deviation for unknown checkpoint '{cid}'", at_key=True)
            continue
        cp, entry = place.checkpoint, rec.answers.get(cid)
        if d.kind == "skip" and cp.required:
            yield doc.problem(where, f"'{cid}' is mandatory and cannot be skipped")
        elif d.kind == "skip" and entry is not None:
            yield doc.problem(where, f"'{cid}' is both answered and skipped")
        elif d.kind == "answer" and (entry is None or not deviates(cp, entry.value)):
            yield doc.problem(where, f"a deviation for '{cid}', whose answer does not deviate")
        elif d.kind == "deadline" and entry is None:
            yield doc.problem(where, f"a deadline deviation for '{cid}', which has no date")


def _signoff_problems(rec: Record, doc: Document, walk: Walk) -> Iterator[Problem]:
    """The two-person rule, with names compared as the walk compares them."""
    for cp in walk.signoffs:
        mine = rec.answers.get(cp.id)
        if mine is None or not isinstance(mine.value, dict):
            continue
        for other in cp.distinct_from:
            theirs = rec.answers.get(other)
            if theirs is None or not isinstance(theirs.value, dict):
                continue
            if answers.name_key(str(theirs.value.get("name", ""))) == answers.name_key(
                str(mine.value.get("name", ""))
            ):
                msg = f"the same person signed '{cp.id}' and '{other}'; the route requires two"
                yield doc.problem(("answers", cp.id), msg)


def _checklist_problems(opened: Opened, expected: str) -> list[Problem]:
    """Lines of the checklist that differ from what the data says (edited by hand)."""
    if opened.parts.checklist_is(expected):
        return []
    found = opened.parts.checklist.split("\n")
    want = expected.split("\n")
    out: list[Problem] = []
    matcher = difflib.SequenceMatcher(a=want, b=found, autojunk=False)
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        line = j1 + 1
        shown = found[j1] if j1 < len(found) else "(end of checklist)"
        hint = f"; expected: {want[i1]}" if i1 < i2 else "; this line should not be there"
        msg = f"checklist line does not match the record data (edited by hand?): {shown}{hint}"
        out.append(HandEdit(str(opened.path), line, 1, "", msg))
    return out
