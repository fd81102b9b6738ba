"""Load a route file: parse safely, check its shape and rules, build the model."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from journey.errors import InvalidFile, Problem
from journey.routes.memo import remembered, remembered_id
from journey.routes.model import Route
from journey.safeyaml import read_text

if TYPE_CHECKING:
    from journey.safeyaml import Document


@dataclass(frozen=True)
class LoadedRoute:
    """A valid route with where it came from and the digest records pin it by."""

    route: Route
    path: Path

    @cached_property
    def digest(self) -> str:
        """Taken when first asked for: listing or showing routes never needs it."""
        return digest_of(self.route)


def digest_of(route: Route) -> str:
    """The digest a record keeps, so that a changed route is noticed.

    It is taken over the route's content, not the file's bytes, so comments,
    quoting and layout can change without unpinning every record.
    """
    return "sha256:" + hashlib.sha256(msgspec.json.encode(route)).hexdigest()


def load_route(path: Path, name: str | None = None) -> LoadedRoute:
    """Read and validate a route file, raising `InvalidFile` with every problem found."""
    shown = name or str(path)
    text = read_text(path, shown)
    route = remembered(text, lambda: _checked(text, shown))  # checked once per content
    return LoadedRoute(route, path)


def remembered_id_of(path: Path) -> str | None:
    """The id of the route file at `path` when the memo knows it as valid, without loading it;
    None when it does not (or the file cannot be read: loading it says why)."""
    try:
        return remembered_id(read_text(path, str(path)))
    except InvalidFile:
        return None


def _checked(text: str, name: str) -> Route:
    """The route parsed and checked afresh: only when the memo does not know its content."""
    from journey.safeyaml import parse

    return route_from(parse(text, name))


def route_from(doc: Document) -> Route:
    """Check a parsed document as a route, reporting shape and rule problems together.

    The checks are imported here, not at the top: a remembered route needs none of them."""
    from journey.routes.rules import check_route, check_text
    from journey.shapecheck import fits

    route, problems = fits(doc, Route)
    problems = check_text(doc) + problems
    if problems:
        raise InvalidFile(in_file_order(problems))
    assert route is not None
    problems = check_route(doc, route)
    if problems:
        raise InvalidFile(in_file_order(problems))
    return route


def in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems sorted by where they are, so an author can fix them top to bottom."""
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
