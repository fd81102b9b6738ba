"""Valid routes remembered by the digest of their file, so each command does not check them again.

Loading a route (parsing the YAML, checking its shape and every rule) costs tens
of milliseconds, and `start`, `show`, `routes`, `report` and `verify` load every
route found to pick one by id. What a route file loads to depends only on its
bytes, the data files beside the built-in routes (thresholds, notices) and
journey's own code, so a valid route is kept in the user's cache folder under
a digest of all three: any change to any of them is a new key, never a stale
answer. Only valid routes are kept (a route with problems is checked afresh, so
its messages are always current); an unreadable or damaged memo is ignored.
JOURNEY_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import msgspec

import journey
from journey.routes.model import Route

KEPT = "routes-1"  # the memo's folder in the cache folder, by the memo's own format


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
    files = sorted(Path(journey.__file__).parent.rglob("*.py"))
    stamps = [(p.name, (s.st_size, s.st_mtime_ns)) for p in files if (s := p.stat())]
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


def remembered(text: str, load: Callable[[], Route]) -> Route:
    """The route the file `text` loads to: from the memo, else `load()`, then kept."""
    if os.environ.get("JOURNEY_NO_CACHE") == "1":
        return load()
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    key.update(_context())
    memo = user_cache_dir() / KEPT / f"{key.hexdigest()}.msgpack"
    try:
        return msgspec.msgpack.decode(memo.read_bytes(), type=Route)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        pass  # not kept yet, or damaged: load it, and keep it
    route = load()  # raises InvalidFile for a route with problems: nothing is kept
    _keep(memo, msgspec.msgpack.encode(route))
    return route


def _keep(memo: Path, data: bytes) -> None:
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=memo.parent, prefix=".memo.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).replace(memo)
    except OSError:
        pass  # a memo that cannot be written is only slower next time
