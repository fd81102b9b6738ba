"""Load a route file: parse safely, check its shape and rules, build the model."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from journey.errors import InvalidFile, Problem
from journey.model import Route
from journey.routecheck import check_route, check_text
from journey.structure import build, check
from journey.yamlfile import Document, parse, read_text


@dataclass(frozen=True)
class LoadedRoute:
    """A valid route with where it came from and the digest records pin it by."""

    route: Route
    path: Path
    digest: str


def digest_of(text: str) -> str:
    """The digest a record keeps, so that a changed route file is noticed."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_route(path: Path, name: str | None = None) -> LoadedRoute:
    """Read and validate a route file, raising `InvalidFile` with every problem found."""
    shown = name or str(path)
    text = read_text(path, shown)
    doc = parse(text, shown)
    return LoadedRoute(route_from(doc), path, digest_of(text))


def route_from(doc: Document) -> Route:
    """Check a parsed document as a route, reporting shape and rule problems together."""
    problems = check_text(doc) + check(doc, Route)
    if problems:
        raise InvalidFile(in_file_order(problems))
    route = build(doc, Route)
    problems = check_route(doc, route)
    if problems:
        raise InvalidFile(in_file_order(problems))
    return route


def in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems sorted by where they are, so an author can fix them top to bottom."""
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
