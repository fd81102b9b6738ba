"""The rules a route must keep beyond its shape: unique ids, sound conditions.

Each rule reports every breach it finds, located by key path, so an author
fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from journey.errors import Problem
from journey.routes.authoring import date_breaches, marker_breaches
from journey.routes.model import Checkpoint, Condition, Route
from journey.routes.ocdsmap import ocds_problems
from journey.safeyaml import Document, PathT, dotted
from journey.text import CONTROL

_OPERATORS = ("equals", "one_of", "at_least", "below", "answered")
_FORMS = ("all", "any", "not_", "answer")


def check_route(doc: Document, route: Route) -> list[Problem]:
    """Every semantic problem in a route that already has the right shape."""
    return [doc.problem(path, msg) for path, msg in _breaches(route)]


def check_text(doc: Document) -> list[Problem]:
    """Control characters anywhere in the file: they could restyle or hide what a buyer sees."""
    out = []
    for path, text in _strings(doc.data, ()):
        match = CONTROL.search(text)
        if match:
            char = f"U+{ord(match.group()):04X}"
            out.append(doc.problem(path, f"control character {char} is not allowed in text"))
    return out


def _strings(value: Any, path: PathT) -> Iterator[tuple[PathT, str]]:
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            stack.extend(((*where, k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend(((*where, i), v) for i, v in enumerate(item))


def _breaches(route: Route) -> Iterator[tuple[PathT, str]]:
    if not route.stages:
        yield ("stages",), "a route needs at least one stage"
    yield from _unique_ids(route)
    sources = {s.id for s in route.sources}
    earlier: dict[str, Checkpoint] = {}
    for si, stage in enumerate(route.stages):
        if not stage.steps:
            yield ("stages", si), f"stage '{stage.id}' has no steps"
        for ti, step in enumerate(stage.steps):
            for ci, cp in enumerate(step.checkpoints):
                path: PathT = ("stages", si, "steps", ti, "checkpoints", ci)
                yield from _checkpoint(cp, path, sources)
                if cp.when is not None:
                    yield from _condition(cp.when, (*path, "when"), earlier, route)
                earlier[cp.id] = cp
    yield from _signoffs(route, earlier)
    yield from _notices(route)
    yield from marker_breaches(route)  # reviewers' "[INFERRED]" belongs in `notes`
    yield from date_breaches(route)
    for di, deadline in enumerate(route.deadlines):
        path = ("deadlines", di)
        start = earlier.get(deadline.after)
        if start is None or start.kind != "date":
            yield (*path, "after"), f"'{deadline.after}' is not a date checkpoint of this route"
        if deadline.governs is not None and deadline.governs not in _dates(route):
            msg = f"'{deadline.governs}' is not a date checkpoint of this route"
            yield (*path, "governs"), msg
        yield from _calendar_from(deadline.calendar_from, path, earlier)
        if deadline.when is not None:
            yield from _condition(deadline.when, (*path, "when"), earlier, route)
        yield from _basis(deadline.basis, path, sources)


def _unique_ids(route: Route) -> Iterator[tuple[PathT, str]]:
    seen: dict[str, str] = {}

    def claim(ident: str, path: PathT) -> Iterator[tuple[PathT, str]]:
        if ident in seen:
            yield (*path, "id"), f"duplicate id '{ident}' (already used at {seen[ident]})"
        else:
            seen[ident] = dotted(path)

    for si, stage in enumerate(route.stages):
        yield from claim(stage.id, ("stages", si))
        for ti, step in enumerate(stage.steps):
            yield from claim(step.id, ("stages", si, "steps", ti))
            for ci, cp in enumerate(step.checkpoints):
                yield from claim(cp.id, ("stages", si, "steps", ti, "checkpoints", ci))
    for di, deadline in enumerate(route.deadlines):
        yield from claim(deadline.id, ("deadlines", di))
    seen.clear()
    for i, source in enumerate(route.sources):
        yield from claim(source.id, ("sources", i))


def _checkpoint(cp: Checkpoint, path: PathT, sources: set[str]) -> Iterator[tuple[PathT, str]]:
    if cp.kind in ("choice", "multi-choice"):
        if len(cp.choices) < 2:
            yield (*path, "choices"), f"a {cp.kind} checkpoint needs at least two choices"
        dupes = sorted({c for c in cp.choices if cp.choices.count(c) > 1})
        if dupes:
            yield (*path, "choices"), f"choice '{dupes[0]}' is listed twice"
    elif cp.choices:
        yield (*path, "choices"), f"a {cp.kind} checkpoint takes no choices"
    if cp.kind != "confirm" and cp.expect is not None:
        yield (*path, "expect"), "'expect' applies only to confirm checkpoints"
    if cp.kind != "sign-off" and (cp.role or cp.distinct_from):
        key = "role" if cp.role else "distinct-from"
        yield (*path, key), f"'{key}' applies only to sign-off checkpoints"
    yield from _number_rules(cp, path)
    yield from _basis(cp.basis, path, sources)
    yield from ocds_problems(cp, path)


def _dates(route: Route) -> set[str]:
    return {c.id for c in route.checkpoints() if c.kind == "date"}


def _number_rules(cp: Checkpoint, path: PathT) -> Iterator[tuple[PathT, str]]:
    """`integer`, `min` and `max` bound number answers; `allow-none` is for optional ones."""
    bounds = (("integer", cp.integer), ("min", cp.min is not None), ("max", cp.max is not None))
    for key, given in bounds:
        if given and cp.kind != "number":
            yield (*path, key), f"'{key}' applies only to number checkpoints"
    if cp.min is not None and cp.max is not None and cp.min > cp.max:
        yield (*path, "max"), f"'max' ({cp.max:g}) is below 'min' ({cp.min:g})"
    if cp.allow_none and cp.required:
        msg = "'allow-none' applies only to optional checkpoints (required: false)"
        yield (*path, "allow-none"), msg


def _basis(basis: tuple[Any, ...], path: PathT, sources: set[str]) -> Iterator[tuple[PathT, str]]:
    for bi, b in enumerate(basis):
        if b.source is not None and b.source not in sources:
            yield (*path, "basis", bi, "source"), f"'{b.source}' is not one of the route's sources"


def _signoffs(route: Route, checkpoints: dict[str, Checkpoint]) -> Iterator[tuple[PathT, str]]:
    for path, cp in _located(route):
        for i, other in enumerate(cp.distinct_from):
            target = checkpoints.get(other)
            if target is None or target.kind != "sign-off" or other == cp.id:
                msg = f"'{other}' is not another sign-off checkpoint of this route"
                yield (*path, "distinct-from", i), msg


NATION_NAMES = ("England", "Wales", "Northern Ireland", "Scotland")


def _calendar_from(
    ident: str | None, path: PathT, earlier: dict[str, Checkpoint]
) -> Iterator[tuple[PathT, str]]:
    """`calendar-from` names an earlier choice whose choices are all nation names."""
    if ident is None:
        return
    cp = earlier.get(ident)
    if cp is None or cp.kind != "choice" or not set(cp.choices) <= set(NATION_NAMES):
        msg = f"'{ident}' is not an earlier choice of nations ({', '.join(NATION_NAMES)})"
        yield (*path, "calendar-from"), msg


def _notices(route: Route) -> Iterator[tuple[PathT, str]]:
    """Every `notice:` names a row of the notices table (loaded only if a route uses one)."""
    named: list[tuple[PathT, str]] = [
        ((*path, "notice"), cp.notice) for path, cp in _located(route) if cp.notice
    ]
    named += [
        (("deadlines", i, "notice"), d.notice) for i, d in enumerate(route.deadlines) if d.notice
    ]
    if not named:
        return
    from journey.routes.notices import load_notices

    table = load_notices()
    known = ", ".join(n.id for n in table.notices)
    for path, ident in named:
        if table.get(ident) is None:
            yield path, f"'{ident}' is not a notice of the notices table ({known})"


def _located(route: Route) -> Iterator[tuple[PathT, Checkpoint]]:
    for si, stage in enumerate(route.stages):
        for ti, step in enumerate(stage.steps):
            for ci, cp in enumerate(step.checkpoints):
                yield ("stages", si, "steps", ti, "checkpoints", ci), cp


def _condition(
    cond: Condition, path: PathT, earlier: dict[str, Checkpoint], route: Route
) -> Iterator[tuple[PathT, str]]:
    forms = [f for f in _FORMS if getattr(cond, f) is not None]
    if len(forms) != 1:
        yield path, "a condition needs exactly one of: all, any, not, answer"
        return
    form = forms[0]
    if form in ("all", "any"):
        parts = getattr(cond, form)
        if not parts:
            yield (*path, form), f"'{form}' needs at least one condition"
        for i, part in enumerate(parts):
            yield from _condition(part, (*path, form, i), earlier, route)
        return
    if form == "not_":
        assert cond.not_ is not None
        yield from _condition(cond.not_, (*path, "not"), earlier, route)
        return
    yield from _comparison(cond, path, earlier, route)


def _comparison(
    cond: Condition, path: PathT, earlier: dict[str, Checkpoint], route: Route
) -> Iterator[tuple[PathT, str]]:
    ops = [op for op in _OPERATORS if getattr(cond, op) is not None]
    if len(ops) != 1:
        yield path, "'answer' needs exactly one of: equals, one-of, at-least, below, answered"
        return
    target = earlier.get(cond.answer or "")
    if target is None:
        later = cond.answer in {c.id for c in route.checkpoints()}
        why = "comes later in the route" if later else "is not a checkpoint of this route"
        yield (*path, "answer"), f"'{cond.answer}' {why}; a condition can only use earlier answers"
        return
    op = ops[0]
    key = op.replace("_", "-")
    problem = _operand_problem(target, op, getattr(cond, op))
    if problem:
        yield (*path, key), problem


def _operand_problem(target: Checkpoint, op: str, operand: Any) -> str | None:
    kind = target.kind
    if op == "answered":
        return None
    if op in ("at_least", "below"):
        return (
            None
            if kind in ("money", "number")
            else f"'{target.id}' is a {kind}, not a number or money"
        )
    if op == "one_of":
        if kind not in ("choice", "multi-choice"):
            return f"'{target.id}' is a {kind}; one-of needs a choice or multi-choice"
        unknown = [v for v in operand if v not in target.choices]
        return _no_choice(target, unknown[0]) if unknown else None
    if kind == "confirm":
        return (
            None
            if isinstance(operand, bool)
            else f"'{target.id}' is a confirm; compare with true or false"
        )
    if kind in ("choice", "multi-choice"):
        if not isinstance(operand, str):
            return f"'{target.id}' is a {kind}; compare with one of its choices"
        return None if operand in target.choices else _no_choice(target, operand)
    if kind in ("money", "number"):
        ok = isinstance(operand, (int, float)) and not isinstance(operand, bool)
        return None if ok else f"'{target.id}' is a {kind}; compare with a number"
    return None if isinstance(operand, str) else f"'{target.id}' is a {kind}; compare with text"


def _no_choice(target: Checkpoint, value: str) -> str:
    return f"'{value}' is not a choice of '{target.id}' ({', '.join(target.choices)})"
