"""Answers given in advance: an answers file, or what the route finder carries into a walk.

Every form an answer can take (a bare value, `{value, reason}`, `{skip: reason}`) is
decoded once, by `given_from`, into `Given`; the rest of the tool only sees that type.
Answers files are read with every scalar kept as the text written, and parsed by the
same code as an answer typed at the prompt: `010000` is £10,000 in both, never YAML
1.1's octal 4,096.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journey.errors import InvalidFile, JourneyError, Problem
from journey.records.format import Via
from journey.safeyaml import Document, load_file
from journey.walk import answers
from journey.walk.conditions import holds
from journey.walk.engine import NeedReason, Walk


@dataclass(frozen=True)
class Given:
    """One answer given in advance: a value (with a reason if it deviates or changes an
    answer), or a skip with its reason; how it came, and where it was written."""

    value: Any = None
    reason: str = ""
    skip: str | None = None
    via: Via = "answers-file"
    where: str = ""  # FILE:LINE:COL of the answer in its answers file, when there is one


@dataclass(frozen=True)
class Note:
    """Why an answer given in advance was not applied (or not used)."""

    checkpoint: str
    message: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.checkpoint}: {self.message}".removeprefix(": ")


class BadGiven(JourneyError):
    """An answer given in advance in a form no answer takes."""


def given_from(raw: Any, via: Via = "answers-file", where: str = "") -> Given:
    """The one decoder of the forms an answer takes in an answers file or a finder hand-over."""
    if isinstance(raw, Given):
        return raw
    if isinstance(raw, dict) and "skip" in raw:
        extra = set(raw) - {"skip"}
        if extra:
            raise BadGiven(f"a skip takes only a reason, not {', '.join(sorted(map(str, extra)))}")
        if not isinstance(raw["skip"], str) or not raw["skip"].strip():
            raise BadGiven("a skip needs a reason, e.g. {skip: Not needed for this contract}")
        return Given(skip=raw["skip"], via=via, where=where)
    if isinstance(raw, dict) and "value" in raw:
        extra = set(raw) - {"value", "reason"}
        if extra:
            raise BadGiven(
                f"an answer takes value and reason, not {', '.join(sorted(map(str, extra)))}"
            )
        reason = raw.get("reason") or ""
        if not isinstance(reason, str):
            raise BadGiven("a reason is text")
        return Given(raw["value"], reason, via=via, where=where)
    return Given(raw, via=via, where=where)


def read_answers(path: Path, walk: Walk) -> dict[str, Given]:
    """An answers file (checkpoint id -> answer), every answer checked against the route
    before any is used, each problem at its line."""
    doc = load_file(path, text=True)
    if not isinstance(doc.data, dict):
        raise InvalidFile([doc.problem((), "expected a mapping of checkpoint id to answer")])
    out: dict[str, Given] = {}
    problems: list[Problem] = []
    for key, raw in doc.data.items():
        try:
            out[key] = _checked(doc, walk, key, raw)
        except InvalidFile as exc:
            problems += exc.problems
    if problems:
        raise InvalidFile(problems)
    return out


def _checked(doc: Document, walk: Walk, key: str, raw: Any) -> Given:
    place = walk.places.get(key)
    if place is None:
        near = difflib.get_close_matches(key, list(walk.places), n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        msg = f"'{key}' is not a checkpoint of route {walk.route.id}{hint}"
        raise InvalidFile([doc.problem((key,), msg, at_key=True)])
    cp = place.checkpoint
    line, column = doc.keys.get((key,), (0, 0))
    where = f"{doc.name}:{line}:{column}" if line else doc.name
    part = ("skip",) if isinstance(raw, dict) and "skip" in raw else ("reason",)
    try:
        given = given_from(raw, "answers-file", where)
    except BadGiven as exc:
        raise InvalidFile([doc.problem((key, *part), str(exc))]) from None
    if given.skip is not None and cp.required:
        raise InvalidFile([doc.problem((key,), "a mandatory checkpoint cannot be skipped")])
    try:
        answers.reason(given.skip if given.skip is not None else given.reason)
    except answers.BadAnswer as exc:
        raise InvalidFile([doc.problem((key, *part), str(exc))]) from None
    if given.skip is None:
        try:
            answers.parse(cp, given.value)
        except answers.BadAnswer as exc:
            raise InvalidFile([doc.problem((key,), f"{cp.kind} answer: {exc}")]) from None
    return given


def givens(raw: Mapping[str, Any], via: Via = "answers-file") -> dict[str, Given]:
    """In-memory answers (as an answers file would hold them) decoded into `Given`."""
    return {cid: given_from(value, via) for cid, value in raw.items()}


def apply_given(walk: Walk, given: Mapping[str, Any]) -> list[Note]:
    """Apply answers given in advance, in one pass in walk order, saving once at the end.

    Conditions only look backwards, so by the time a checkpoint is reached every
    answer that decides whether it applies is in place. An answer that cannot be
    applied (a deviation with no reason, a refused sign-off) is left for the
    buyer, and the returned notes say why, one per answer.
    """
    decoded = {cid: given_from(raw) for cid, raw in given.items()}
    save, walk.on_change = walk.on_change, None
    notes: list[Note] = []
    changed = False
    effective: dict[str, Any] = {}
    try:
        for cid in walk.order:
            if not holds(walk.places[cid].checkpoint.when, effective):
                continue
            one = decoded.get(cid)
            if one is not None and walk.done(cid):
                if _differs(walk, cid, one):
                    msg = "already answered in the record; the answer there is kept"
                    notes.append(Note(cid, msg, one.where))
            elif one is not None:
                why = _apply_one(walk, cid, one)
                changed |= why is None
                notes += [Note(cid, f"not applied: {why}", one.where)] if why else []
            if cid in walk.record.answers:
                effective[cid] = walk.record.answers[cid].value
    finally:
        walk.on_change = save
        if changed and save is not None:
            save(walk)
    return notes


def _apply_one(walk: Walk, cid: str, given: Given) -> str | None:
    """Apply one given answer; None when applied, else why not."""
    try:
        if given.skip is not None:
            walk.skip(cid, given.skip)
        else:
            walk.answer(cid, given.value, given.reason, via=given.via)
    except NeedReason as exc:
        return f"{exc} (give it as {{value: ..., reason: ...}})"
    except (answers.BadAnswer, JourneyError) as exc:
        return str(exc)
    return None


def _differs(walk: Walk, cid: str, given: Given) -> bool:
    entry = walk.record.answers.get(cid)
    if entry is None or given.skip is not None:
        return entry is not None
    try:
        value = answers.parse(walk.places[cid].checkpoint, given.value)
    except answers.BadAnswer:
        return True
    return bool(value != entry.value)
