"""Valid routes remembered by the digest of their file, so each command does not check them again.

Loading a route (parsing the YAML, checking its shape and every rule) costs tens
of milliseconds, and `start`, `show`, `routes`, `report` and `verify` load every
route found to pick one by id. What a route file loads to depends only on its
bytes, the data files beside the built-in routes (thresholds, notices) and
journey's own code, so a valid route is kept in the user's cache folder under
a digest of all three: any change to any of them is a new key, never a stale
answer. Only valid routes are kept (a route with problems is checked afresh, so
its messages are always current); an unreadable or damaged memo is ignored:
each entry starts with the SHA-256 of the rest, so a damaged one is a miss even
where the rest would still decode (`find` reads only a kept route's id).
JOURNEY_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import msgspec

import journey
from journey.routes.model import Route

KEPT = "routes-1"  # the memo's folder in the cache folder, by the memo's own format
_SEAL = 32  # bytes of SHA-256 before each entry: of the rest of the entry


def user_cache_dir() -> Path:
    """The user's cache folder for journey (XDG_CACHE_HOME, else the platform's usual place)."""
    if base := os.environ.get("XDG_CACHE_HOME", "").strip():
        return Path(base) / "journey"
    if sys.platform == "win32":  # pragma: no cover - not run on the CI machines
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "journey" / "Cache"
    if sys.platform == "darwin":  # pragma: no cover
        return Path.home() / "Library" / "Caches" / "journey"
    return Path.home() / ".cache" / "journey"


@cache
def code_stamp() -> str:
    """journey's version and its modules' stamps: a change of code changes every result."""
    found = (  # os.walk: a third faster than Path.rglob, the same files
        Path(folder, name)
        for folder, _, names in os.walk(Path(journey.__file__).parent)
        for name in names
        if name.endswith(".py")
    )
    stamps = [(p.name, (s.st_size, s.st_mtime_ns)) for p in sorted(found) if (s := p.stat())]
    return f"{journey.__version__} {stamps}"


@cache
def _context() -> bytes:
    """The code and the built-in data files (thresholds, notices) a route's checks read."""
    from journey.routes.catalogue import DATA_FILES, builtin_dir  # catalogue imports the loader

    parts = [code_stamp().encode("utf-8", "replace")]
    for name in sorted(DATA_FILES):
        try:
            parts.append((builtin_dir() / name).read_bytes())
        except OSError:
            parts.append(b"(missing)")
    return hashlib.sha256(b"\0".join(parts)).digest()


def _memo_of(text: str) -> Path | None:
    """Where the route the file `text` loads to is kept (None: the memo is turned off)."""
    if os.environ.get("JOURNEY_NO_CACHE") == "1":
        return None
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    key.update(_context())
    return user_cache_dir() / KEPT / f"{key.hexdigest()}.msgpack"


def remembered(text: str, load: Callable[[], Route]) -> Route:
    """The route the file `text` loads to: from the memo, else `load()`, then kept."""
    memo = _memo_of(text)
    if memo is None:
        return load()
    kept = _kept(memo)
    if kept is not None:
        try:
            return msgspec.msgpack.decode(kept, type=Route)
        except (msgspec.DecodeError, msgspec.ValidationError):
            pass  # written by other code under the same key: load it, and keep it
    route = load()  # raises InvalidFile for a route with problems: nothing is kept
    data = msgspec.msgpack.encode(route)
    _keep(memo, hashlib.sha256(data).digest() + data)
    return route


def _kept(memo: Path) -> memoryview | None:
    """The entry kept at `memo`, if there is one and its seal matches; else None."""
    try:
        raw = memo.read_bytes()
    except OSError:
        return None  # not kept yet
    body = memoryview(raw)[_SEAL:]
    return body if len(raw) > _SEAL and hashlib.sha256(body).digest() == raw[:_SEAL] else None


class _Named(msgspec.Struct):
    """Only the id of a kept route: the rest of its entry is skipped, not decoded."""

    id: str


def remembered_id(text: str) -> str | None:
    """The id of the valid route the file `text` loads to, when the memo knows it; else None.

    Finding one route by id among many needs only the others' ids: decoding just the id
    of each kept entry costs a fraction of decoding the whole route."""
    memo = _memo_of(text)
    if memo is None:
        return None
    kept = _kept(memo)
    try:
        return None if kept is None else msgspec.msgpack.decode(kept, type=_Named).id
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None  # not a route's entry: the caller loads the file


def _keep(memo: Path, data: bytes) -> None:
    import tempfile  # only when a route is kept

    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=memo.parent, prefix=".memo.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).replace(memo)
    except OSError:
        pass  # a memo that cannot be written is only slower next time
