"""Drive a walk through any front end: ask, go back, skip, review, finish.

The front end implements `UI` (a terminal, a test fake, a scripted replay); this
loop decides what to ask next and what each answer does. Answers given in
advance (an answers file, the route finder) are applied by `apply_given`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from journey.errors import InvalidFile, JourneyError, Problem
from journey.routes.model import Checkpoint
from journey.safeyaml import Document, load_file
from journey.walk import answers
from journey.walk.conditions import holds
from journey.walk.engine import NeedReason, Place, Walk


@dataclass(frozen=True)
class Give:
    """An answer typed by the buyer (raw text or a value from a widget)."""

    value: Any


@dataclass(frozen=True)
class Skip:
    """Skip this optional checkpoint."""


@dataclass(frozen=True)
class Back:
    """Go back to the previous checkpoint."""


@dataclass(frozen=True)
class Quit:
    """Save and stop for now."""


Action = Give | Skip | Back | Quit


class UI(Protocol):
    """What a front end does for the walk; it never decides what comes next."""

    def step(self, walk: Walk, place: Place) -> None: ...
    def ask(self, walk: Walk, cp: Checkpoint, current: Any) -> Action: ...
    def reason(self, question: str) -> str: ...
    def problem(self, message: str) -> None: ...
    def review(self, walk: Walk) -> str | Quit | None: ...


def drive(walk: Walk, ui: UI) -> bool:
    """Walk until finished (True) or the buyer quits (False); the record is saved at each change."""
    cursor = walk.next_open()
    shown: str | None = None
    while True:
        if cursor is None:
            target = ui.review(walk)
            if isinstance(target, Quit):
                return False
            if target is None:
                walk.finish()
                return True
            cursor = walk.places[target].checkpoint
        place = walk.places[cursor.id]
        if place.step.id != shown:
            ui.step(walk, place)
            shown = place.step.id
        entry = walk.record.answers.get(cursor.id)
        action = ui.ask(walk, cursor, entry.value if entry else None)
        if isinstance(action, Quit):
            return False
        if isinstance(action, Back):
            previous = walk.previous(cursor.id)
            if previous is None:
                ui.problem("This is the first checkpoint: there is nothing to go back to.")
            else:
                cursor = previous
            continue
        if not _act(walk, ui, cursor, action):
            continue
        cursor = walk.next_open()


def _act(walk: Walk, ui: UI, cp: Checkpoint, action: Give | Skip) -> bool:
    """Apply one answer or skip; on a problem, tell the buyer and return False to ask again."""
    try:
        if isinstance(action, Skip):
            if cp.required:
                ui.problem("This checkpoint is mandatory and cannot be skipped.")
                return False
            walk.skip(cp.id, ui.reason("Why is this checkpoint skipped?"))
            return True
        value = answers.parse(cp, action.value)
        why = walk.needs_reason(cp.id, value)
        walk.answer(cp.id, value, ui.reason(why) if why else None)
        return True
    except (answers.BadAnswer, JourneyError) as exc:
        if isinstance(exc, NeedReason):
            ui.problem(f"{exc} A reason is needed.")
        else:
            ui.problem(str(exc))
        return False


# -- answers given in advance -------------------------------------------------


def read_answers(path: Path, walk: Walk) -> tuple[dict[str, Any], Document]:
    """An answers file (checkpoint id -> value), checked against the route before use,
    with the document, so that later notes can point at the answer's line."""
    doc = load_file(path)
    if not isinstance(doc.data, dict):
        raise InvalidFile([doc.problem((), "expected a mapping of checkpoint id to answer")])
    problems = [p for key, raw in doc.data.items() for p in _given_problems(doc, walk, key, raw)]
    if problems:
        raise InvalidFile(problems)
    return dict(doc.data), doc


def _given_problems(doc: Document, walk: Walk, key: Any, raw: Any) -> list[Problem]:
    place = walk.places.get(str(key))
    if place is None:
        return [
            doc.problem(
                (key,), f"'{key}' is not a checkpoint of route {walk.route.id}", at_key=True
            )
        ]
    cp = place.checkpoint
    if isinstance(raw, dict) and "skip" in raw:
        if cp.required:
            return [doc.problem((key,), "a mandatory checkpoint cannot be skipped")]
        if not isinstance(raw["skip"], str) or not raw["skip"].strip():
            msg = "a skip needs a reason, e.g. {skip: Not needed for this contract}"
            return [doc.problem((key, "skip"), msg)]
        return _reason_problems(doc, (key, "skip"), raw["skip"])
    value = raw["value"] if _is_wrapped(raw) else raw
    if _is_wrapped(raw) and "reason" in raw:
        problems = _reason_problems(doc, (key, "reason"), raw["reason"])
        if problems:
            return problems
    try:
        answers.parse(cp, value)
    except answers.BadAnswer as exc:
        return [doc.problem((key,), f"{cp.kind} answer: {exc}")]
    return []


def _reason_problems(doc: Document, path: tuple[Any, ...], reason: Any) -> list[Problem]:
    if not isinstance(reason, str):
        return [doc.problem(path, "a reason is text")]
    try:
        answers.reason(reason)
    except answers.BadAnswer as exc:
        return [doc.problem(path, str(exc))]
    return []


def _is_wrapped(raw: Any) -> bool:
    return isinstance(raw, dict) and "value" in raw


def apply_given(walk: Walk, given: dict[str, Any]) -> list[str]:
    """Apply answers given in advance, in one pass in walk order, saving once at the end.

    Conditions only look backwards, so by the time a checkpoint is reached every
    answer that decides whether it applies is in place. An answer that cannot be
    applied (a deviation with no reason, a refused sign-off) is left for the
    buyer, and the returned notes say why, one per answer.
    """
    save, walk.on_change = walk.on_change, None
    notes: list[str] = []
    changed = False
    effective: dict[str, Any] = {}
    try:
        for cid in walk.order:
            if not holds(walk.places[cid].checkpoint.when, effective):
                continue
            if cid in given and walk.done(cid):
                if _differs(walk, cid, given[cid]):
                    notes.append(f"{cid}: already answered in the record; the answer there is kept")
            elif cid in given:
                note = _apply_one(walk, cid, given[cid])
                changed |= note is None
                notes += [f"{cid}: not applied: {note}"] if note else []
            if cid in walk.record.answers:
                effective[cid] = walk.record.answers[cid].value
    finally:
        walk.on_change = save
        if changed and save is not None:
            save(walk)
    return notes


def _apply_one(walk: Walk, cid: str, raw: Any) -> str | None:
    """Apply one given answer; None when applied, else why not."""
    try:
        if isinstance(raw, dict) and "skip" in raw:
            walk.skip(cid, raw["skip"] if isinstance(raw["skip"], str) else "")
        elif _is_wrapped(raw):
            reason = raw.get("reason")
            walk.answer(cid, raw["value"], reason if isinstance(reason, str) else "")
        else:
            walk.answer(cid, raw)
    except NeedReason as exc:
        return f"{exc} (give it as {{value: ..., reason: ...}})"
    except (answers.BadAnswer, JourneyError) as exc:
        return str(exc)
    return None


def _differs(walk: Walk, cid: str, raw: Any) -> bool:
    entry = walk.record.answers.get(cid)
    if entry is None or (isinstance(raw, dict) and "skip" in raw):
        return entry is not None
    try:
        value = answers.parse(
            walk.places[cid].checkpoint, raw["value"] if _is_wrapped(raw) else raw
        )
    except answers.BadAnswer:
        return True
    return bool(value != entry.value)
