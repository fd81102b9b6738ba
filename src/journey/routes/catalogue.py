"""Where routes are found: the built-in ones, ./journeys, and the folders in JOURNEY_PATH.

A route is named by id or by path. A broken file does not hide the others: it
is listed with its error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from journey.errors import InvalidFile, UsageError
from journey.routes.loader import LoadedRoute, load_route, remembered_id_of

DATA_FILES = {"thresholds.yaml", "notices.yaml"}
SUFFIXES = (".yaml", ".yml")


def builtin_dir() -> Path:
    """The routes shipped with the package (in a source checkout: the repository's journeys/)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "journeys"
    return packaged if packaged.is_dir() else package.parents[1] / "journeys"


def search_dirs() -> list[tuple[str, Path]]:
    """Folders searched, first match of an id winning: ./journeys, JOURNEY_PATH, built-in."""
    dirs = [("local", Path("journeys"))]
    for part in os.environ.get("JOURNEY_PATH", "").split(os.pathsep):
        if part:
            dirs.append(("JOURNEY_PATH", Path(part)))
    dirs.append(("built-in", builtin_dir()))
    return dirs


@dataclass(frozen=True)
class Entry:
    """One route file found: loaded, or the error that stops it loading."""

    origin: str
    path: Path
    loaded: LoadedRoute | None = None
    error: InvalidFile | None = None

    @property
    def id(self) -> str:
        return self.loaded.route.id if self.loaded else self.path.stem


def route_files(folder: Path) -> list[Path]:
    """The route files directly in a folder, in name order (data files left out)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in SUFFIXES and p.name not in DATA_FILES and p.is_file()
    )


def discover() -> list[Entry]:
    """Every route found, each id once (a local route shadows a built-in one of the same id)."""
    entries: list[Entry] = []
    seen_ids: set[str] = set()
    for origin, path in _found():
        entry = _load(origin, path)
        if entry.id in seen_ids:
            continue
        seen_ids.add(entry.id)
        entries.append(entry)
    return entries


def _found() -> Iterator[tuple[str, Path]]:
    """Every route file in the folders searched, in search order, each file once."""
    seen_files: set[Path] = set()
    for origin, folder in search_dirs():
        for path in route_files(folder):
            real = path.resolve()
            if real not in seen_files:
                seen_files.add(real)
                yield origin, path


def _load(origin: str, path: Path) -> Entry:
    shown = shown_path(path)
    try:
        return Entry(origin, path, loaded=load_route(path, shown))
    except InvalidFile as exc:
        return Entry(origin, path, error=exc)


def shown_path(path: Path) -> str:
    """How a route file is named in messages: built-in files by their package-relative name."""
    try:
        return "<built-in>/" + str(path.resolve().relative_to(_builtin_real()))
    except ValueError:
        return str(path)


@cache
def _builtin_real() -> Path:
    """The built-in routes' folder, resolved once: where the package is does not move."""
    return builtin_dir().resolve()


def find(name: str) -> LoadedRoute:
    """The route named by a path to a file, or by its id among those discovered."""
    path = Path(name)
    if path.suffix in SUFFIXES or os.sep in name or "/" in name:
        if not path.is_file():
            raise UsageError(f"no such route file: {name}")
        return load_route(path, shown_path(path))
    for origin, path in _found():  # the first file whose id is `name`, as `discover` finds it
        if remembered_id_of(path) not in (None, name):
            continue  # a valid route with another id: the memo says so, no need to load it
        entry = _load(origin, path)
        if entry.id == name:
            if entry.error is not None:
                raise entry.error
            assert entry.loaded is not None
            return entry.loaded
    known = ", ".join(sorted(e.id for e in discover())) or "none"
    raise UsageError(f"no route with id '{name}' (known: {known}); see `journey routes`")
