"""The walk: which checkpoint is next, answering, going back, skipping, finishing.

Plain Python with no terminal: a front end asks `next_open()` what to ask,
hands answers to `answer()`, and is told through `on_change` after every change
so that it can save the record. Applicability is one forward pass over the
route (conditions only look backwards), redone only after a change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from journey.errors import JourneyError
from journey.records.format import FORMAT, Change, Deviation, Entry, Event, Record, Via
from journey.routes.loader import LoadedRoute
from journey.routes.model import Checkpoint, Deadline, Route, Stage, Step
from journey.text import plural
from journey.walk import answers
from journey.walk.conditions import holds
from journey.walk.deadlines import Due, due_dates

Clock = Callable[[], str]


def utc_now() -> str:
    """Now, in UTC to the second, as records store times."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class NeedReason(JourneyError):
    """An answer that must come with a reason (a deviation, or a change to an earlier answer)."""


class Refused(JourneyError):
    """An answer the route does not allow, e.g. the same person signing twice."""


@dataclass(frozen=True)
class RouteChange:
    """How the route moved on since the record was pinned to it."""

    old_version: str
    added: list[str]
    removed: list[str]


@dataclass(frozen=True)
class Breach:
    """A date the buyer entered that breaks the statutory date a route computes for it."""

    checkpoint: str
    value: str
    due: Due
    limit: Literal["latest", "earliest"]

    def question(self) -> str:
        """What the buyer is asked: the rule, the date it gives, and why the date breaks it."""
        side = "after" if self.limit == "latest" else "before"
        need = "no later than" if self.limit == "latest" else "no earlier than"
        return (
            f"{self.due.label}: {need} {self.due.date.isoformat()} ({self.due.rule}); "
            f"{self.value} is {side} it. Why?"
        )


@dataclass(frozen=True)
class Place:
    """Where a checkpoint sits: its stage and step, numbered from 1."""

    stage_no: int
    stage: Stage
    step_no: int
    step: Step
    checkpoint: Checkpoint


def new_record(loaded: LoadedRoute, *, title: str, owner: str, reference: str, now: str) -> Record:
    """An empty record pinned to this route's id, version and digest."""
    return Record(
        format=FORMAT,
        route=loaded.route.id,
        route_version=loaded.route.version,
        route_digest=loaded.digest,
        title=title,
        owner=owner,
        status="in-progress",
        created=now,
        updated=now,
        reference=reference,
        route_checkpoints=[c.id for c in loaded.route.checkpoints()],
    )


class Walk:
    """One buyer's walk along one route, held in its record."""

    def __init__(
        self,
        loaded: LoadedRoute,
        record: Record,
        *,
        user: str,
        clock: Clock = utc_now,
        on_change: Callable[[Walk], None] | None = None,
    ) -> None:
        self.loaded = loaded
        self.route = loaded.route
        self.record = record
        self.user = user
        self.clock = clock
        self.on_change = on_change
        self.places, self.order, self.signoffs, self.governing = _places_of(self.route)
        self._applicable: list[str] | None = None
        self._effective: dict[str, Any] | None = None
        self._dues: list[Due] | None = None
        self._missing: list[Checkpoint] | None = None
        self._progress: tuple[int, int] | None = None

    # -- what applies -------------------------------------------------------

    def applicable(self) -> list[str]:
        """Ids of the checkpoints on the active path, in walk order."""
        if self._applicable is None:
            effective: dict[str, Any] = {}
            active = []
            answers = self.record.answers
            for cid, place in self.places.items():
                when = place.checkpoint.when  # most have none: no call to find that out
                if when is None or holds(when, effective):
                    active.append(cid)
                    if cid in answers:
                        effective[cid] = answers[cid].value
            self._applicable = active
        return self._applicable

    def effective_answers(self) -> dict[str, Any]:
        """Answers of applicable checkpoints only: what conditions and deadlines see.
        Worked out once per change of the record; callers read it and never change it."""
        if self._effective is None:
            answers = self.record.answers
            self._effective = {c: answers[c].value for c in self.applicable() if c in answers}
        return self._effective

    def dues(self) -> list[Due]:
        """The statutory dates the record's answers give (`due_dates`), once per change:
        the checklist, the summary and the checks of one record all ask for them."""
        if self._dues is None:
            self._dues = due_dates(self.route, self.effective_answers())
        return self._dues

    def done(self, cid: str) -> bool:
        """Answered, or skipped with a reason."""
        return cid in self.record.answers or cid in self.record.deviations

    def next_open(self) -> Checkpoint | None:
        """The first applicable checkpoint not yet answered or skipped."""
        answered, skipped = self.record.answers, self.record.deviations
        for cid in self.applicable():
            if cid not in answered and cid not in skipped:  # `done`, asked of every checkpoint
                return self.places[cid].checkpoint
        return None

    def previous(self, cid: str) -> Checkpoint | None:
        """The applicable checkpoint before `cid` (or before the end, for None), to go back to."""
        active = self.applicable()
        stop = active.index(cid) if cid in active else len(active)
        return self.places[active[stop - 1]].checkpoint if stop > 0 else None

    def missing(self) -> list[Checkpoint]:
        """Required applicable checkpoints not yet answered: what stops the walk finishing.
        Worked out once per change (read it, never change it)."""
        if self._missing is None:
            answered, skipped, places = self.record.answers, self.record.deviations, self.places
            self._missing = [
                cp
                for c in self.applicable()
                if (cp := places[c].checkpoint).required and c not in answered and c not in skipped
            ]
        return self._missing

    def progress(self) -> tuple[int, int]:
        """(done, total) over the active path, so skipped branches do not inflate the total."""
        if self._progress is None:
            active = self.applicable()
            answered, skipped = self.record.answers, self.record.deviations
            done = sum(1 for c in active if c in answered or c in skipped)
            self._progress = done, len(active)
        return self._progress

    # -- changing the record ------------------------------------------------

    def needs_reason(self, cid: str, value: Any) -> str | None:
        """Why a reason must accompany this answer, or None (the first question of
        `reasons_needed`, for front ends that ask one reason)."""
        change, deviation = self.reasons_needed(cid, value)
        return change or deviation

    def reasons_needed(self, cid: str, value: Any) -> tuple[str | None, str | None]:
        """The questions this answer raises: why change it, and why deviate (None when not).

        A change to an answer that deviates asks both, so that the buyer is told the
        new answer goes against the route, and the deviation gets its own reason.
        """
        cp = self.places[cid].checkpoint
        old = self.record.answers.get(cid)
        change = None
        if old is not None and old.value != value:
            change = "You are changing an earlier answer. Why?"
        kind, question = self._deviation(cp, value)
        kept = self.record.deviations.get(cid)
        deviation = question if question and (kept is None or kept.kind != kind) else None
        return change, deviation

    def _deviation(self, cp: Checkpoint, value: Any) -> tuple[str, str | None]:
        """The kind of deviation this answer would be, and the question that asks why."""
        if deviates(cp, value):
            said = "yes" if value else "no"
            return (
                "answer",
                f"This checkpoint is mandatory and expects {cp.expect or 'yes'}. Why {said}?",
            )
        broken = self.breaches(cp.id, value)
        return "deadline", (broken[0].question() if broken else None)

    def breaches(self, cid: str, value: Any, answers: dict[str, Any] | None = None) -> list[Breach]:
        """The statutory dates this date answer would break (with the record's other answers)."""
        governing = self.governing.get(cid)
        if not governing or not isinstance(value, str):
            return []
        given = self.effective_answers() if answers is None else answers
        try:
            if given.get(cid) == value and given is self.effective_answers():
                found = self.dues()  # the date as the record holds it: already worked out
            else:
                found = due_dates(self.route, {**given, cid: value})
            dues = {d.id: d for d in found}
            day = dt.date.fromisoformat(value)
        except (OverflowError, ValueError):
            return []
        out = []
        for rule in governing:
            due = dues.get(rule.id)
            if due is None:
                continue
            late = day > due.date if rule.limit == "latest" else day < due.date
            if late:
                out.append(Breach(cid, value, due, rule.limit))
        return out

    def unexplained_breaches(self) -> list[Breach]:
        """Entered dates that break their statutory date with no deviation saying why."""
        answers = self.effective_answers()
        out: list[Breach] = []
        for cid, value in answers.items():
            if cid not in self.governing:  # no deadline governs it: nothing to break
                continue
            kept = self.record.deviations.get(cid)
            if kept is None or kept.kind != "deadline":
                out += self.breaches(cid, value, answers)
        return out

    def answer(
        self,
        cid: str,
        raw: Any,
        reason: str | None = None,
        *,
        deviation: str | None = None,
        via: Via = "typed",
    ) -> None:
        """Record an answer (parsed for its kind). A change needs `reason`; a deviation needs
        `deviation` (or, given one reason only, `reason` serves for both)."""
        cp = self.places[cid].checkpoint
        value = answers.parse(cp, raw)
        self._check_distinct(cp, value)
        ask_change, ask_deviation = self.reasons_needed(cid, value)
        reason = answers.reason(reason)
        why_deviate = answers.reason(deviation) or reason
        if ask_change and not reason:
            raise NeedReason(ask_change)
        if ask_deviation and not why_deviate:
            raise NeedReason(ask_deviation)
        now = self.clock()
        old = self.record.answers.get(cid)
        if old is not None and old.value == value:
            return
        kept = self.record.deviations.get(cid)
        kind, question = self._deviation(cp, value)
        if old is not None or kept is not None:
            dropped = kept.reason if kept is not None and question is None else ""
            self._log_change(cid, old.value if old else None, value, reason, now, dropped)
        self.record.answers[cid] = Entry(value=value, at=now, by=self.user, via=via)
        if question is not None:
            if kept is None or kept.kind != kind:
                self.record.deviations[cid] = Deviation(
                    "deadline" if kind == "deadline" else "answer", why_deviate, now, self.user
                )
        elif kept is not None:
            del self.record.deviations[cid]
        self._changed(now)

    def accept_edits(self, reason: str, replaced: str) -> None:
        """Keep a record edited outside the tool, saying who accepted it, when and why, and
        which digest it replaced: the edit stays visible in the checklist and status."""
        self._event("accepted-edit", reason, replaced)

    def upgraded(self, reason: str, replaced: str) -> None:
        """Note that the record was rewritten in the current format."""
        self.record.format = FORMAT
        self._event("upgraded", reason, replaced)

    def _event(
        self, kind: Literal["accepted-edit", "upgraded"], reason: str, replaced: str
    ) -> None:
        reason = answers.reason(reason)
        if not reason:
            raise NeedReason("a reason is needed")
        now = self.clock()
        self.record.events.append(Event(kind, now, self.user, reason, replaced))
        self._changed(now)

    def skip(self, cid: str, reason: str) -> None:
        """Skip an optional checkpoint, with the reason kept as a deviation."""
        cp = self.places[cid].checkpoint
        if cp.required:
            raise Refused(f"'{cp.id}' is mandatory and cannot be skipped")
        reason = answers.reason(reason)
        if not reason:
            raise NeedReason("Why is this checkpoint skipped?")
        now = self.clock()
        old = self.record.answers.pop(cid, None)
        kept = self.record.deviations.get(cid)
        if old is not None:
            dropped = kept.reason if kept is not None else ""
            self._log_change(cid, old.value, None, reason, now, dropped)
        self.record.deviations[cid] = Deviation("skip", reason, now, self.user)
        self._changed(now)

    def follow_route(self) -> RouteChange | None:
        """Re-pin a record to the route as it is now, if it changed; answers to removed
        checkpoints are kept as retired, never dropped."""
        rec = self.record
        if rec.route_digest == self.loaded.digest:
            return None
        known = set(rec.route_checkpoints)
        change = RouteChange(
            old_version=rec.route_version,
            added=[c for c in self.order if c not in known],
            removed=sorted(known - set(self.order)),
        )
        now = self.clock()
        for cid in [c for c in rec.answers if c not in self.places]:
            rec.retired[cid] = rec.answers.pop(cid)
        for cid in [c for c in rec.deviations if c not in self.places]:
            gone = rec.deviations.pop(cid)
            why = f"checkpoint removed from the route; the {gone.kind} reason was: {gone.reason}"
            self._log_change(cid, gone.kind, None, why, now)
        self._recheck_rules(now)
        rec.route_version, rec.route_digest = self.route.version, self.loaded.digest
        rec.route_checkpoints = list(self.order)
        self._changed(now)
        return change

    def _recheck_rules(self, now: str) -> None:
        """After a route change, hold every answer to the route's rules as they are now: an
        answer that now goes against `expect` (or a kind that no longer takes it) is asked
        again, and a deviation that no longer applies is closed, its reason kept in history."""
        rec, version = self.record, self.route.version
        for cid in [c for c in rec.answers if c in self.places]:
            cp, entry = self.places[cid].checkpoint, rec.answers[cid]
            try:
                fits = answers.parse(cp, entry.value) == entry.value
            except answers.BadAnswer:
                fits = False
            kept = rec.deviations.get(cid)
            if fits and not (deviates(cp, entry.value) and (kept is None or kept.kind != "answer")):
                continue
            why = f"the route changed (version {version}): this answer must be given again"
            rec.answers.pop(cid)
            self._log_change(cid, entry.value, None, why, now, kept.reason if kept else "")
            rec.deviations.pop(cid, None)
        for cid, d in list(rec.deviations.items()):
            given = rec.answers.get(cid)
            if cid in self.places and d.kind == "answer" and given is not None:
                if not deviates(self.places[cid].checkpoint, given.value):
                    why = f"the route changed (version {version}): no longer a deviation"
                    self._log_change(cid, given.value, given.value, why, now, d.reason)
                    del rec.deviations[cid]

    def finish(self) -> None:
        """Mark the record complete; refused while required checkpoints are outstanding."""
        missing = self.missing()
        if missing:
            ids = ", ".join(c.id for c in missing)
            raise Refused(f"{plural(len(missing), 'mandatory checkpoint')} still open: {ids}")
        broken = self.unexplained_breaches()
        if broken:
            b = broken[0]
            raise Refused(
                f"'{b.checkpoint}' breaks a statutory date with no reason given: "
                f"{b.question().removesuffix(' Why?')} Answer it again, with the reason."
            )
        if self.record.status != "complete":
            self.record.status = "complete"
            self._changed(self.clock())

    def _check_distinct(self, cp: Checkpoint, value: Any) -> None:
        if cp.kind != "sign-off":
            return
        others = set(cp.distinct_from) | {
            c.id for c in self.route.checkpoints() if cp.id in c.distinct_from
        }
        for other in sorted(others):
            entry = self.record.answers.get(other)
            if (
                entry
                and isinstance(entry.value, dict)
                and _same(entry.value["name"], value["name"])
            ):
                role = entry.value.get("role", other)
                raise Refused(
                    f"{entry.value['name']} already signed as {role}; "
                    "the route requires a different person here"
                )

    def _log_change(
        self, cid: str, old: Any, new: Any, reason: str, now: str, dropped: str = ""
    ) -> None:
        self.record.history.append(Change(cid, old, new, now, self.user, reason, dropped))

    def _changed(self, now: str) -> None:
        self.record.updated = now
        self._applicable = self._effective = self._dues = self._missing = self._progress = None
        if self.record.status == "complete" and (self.missing() or self.unexplained_breaches()):
            self.record.status = "in-progress"
        if self.on_change is not None:
            self.on_change(self)


T = TypeVar("T")


def per_route(fn: Callable[[Route], T]) -> Callable[[Route], T]:
    """`fn` of a route, worked out once per route object and shared, so read only (a report
    builds a walk for every record of the same few routes). Kept by identity: a route hashes
    by its whole content; each entry holds its route, so an id is not reused while it stands."""
    kept: dict[int, tuple[Route, T]] = {}

    def once(route: Route) -> T:
        hit = kept.get(id(route))
        if hit is not None and hit[0] is route:
            return hit[1]
        if len(kept) > 64:
            kept.clear()
        value = fn(route)
        kept[id(route)] = (route, value)
        return value

    return once


_Shape = tuple[dict[str, Place], list[str], list[Checkpoint], dict[str, list[Deadline]]]


@per_route
def _places_of(route: Route) -> _Shape:
    """Where each checkpoint of `route` sits, their order, its sign-offs, and the deadlines
    that govern each date."""
    places: dict[str, Place] = {}
    for sn, stage in enumerate(route.stages, 1):
        for tn, step in enumerate(stage.steps, 1):
            for cp in step.checkpoints:
                places[cp.id] = Place(sn, stage, tn, step, cp)
    two = [p.checkpoint for p in places.values() if p.checkpoint.kind == "sign-off"]
    governing: dict[str, list[Deadline]] = {}
    for d in route.deadlines:
        if d.governs:
            governing.setdefault(d.governs, []).append(d)
    return places, list(places), two, governing


def deviates(cp: Checkpoint, value: Any) -> bool:
    """A mandatory confirm answered against what the route expects."""
    if cp.kind != "confirm" or not cp.required or cp.expect == "either":
        return False
    return value is not (cp.expect != "no")


def _same(a: str, b: str) -> bool:
    return answers.name_key(a) == answers.name_key(b)
