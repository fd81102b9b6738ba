"""Drive a walk through any front end: ask, go back, skip, review, finish.

The front end implements `UI` (a terminal, a test fake, a scripted replay); this
loop decides what to ask next and what each answer does. Answers given in
advance (an answers file, the route finder) are applied by `journey.walk.given`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from journey.errors import JourneyError
from journey.records.format import Via
from journey.routes.model import Checkpoint
from journey.walk import answers
from journey.walk.engine import NeedReason, Place, Walk


@dataclass(frozen=True)
class Give:
    """An answer typed by the buyer (raw text or a value from a widget), or replayed from an
    answers file by a demonstration (`via` says which)."""

    value: Any
    via: Via = "typed"


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
        change, deviation = walk.reasons_needed(cp.id, value)
        reason = ui.reason(change) if change else None
        why = ui.reason(deviation) if deviation else None
        walk.answer(cp.id, value, reason, deviation=why, via=action.via)
        return True
    except (answers.BadAnswer, JourneyError) as exc:
        if isinstance(exc, NeedReason):
            ui.problem(f"{exc} A reason is needed.")
        else:
            ui.problem(str(exc))
        return False


# Answers given in advance live in `journey.walk.given`; these names stay importable here
# for callers written before the split.
from journey.walk.given import apply_given, read_answers  # noqa: E402

__all__ = ["UI", "Action", "Back", "Give", "Quit", "Skip", "apply_given", "drive", "read_answers"]
