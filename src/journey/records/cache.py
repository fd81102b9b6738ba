"""A cache of per-record results that cannot lie, so an unchanged repository reports in seconds.

`report` and `verify` keep, for each record file, what they found, keyed by the
file's stamp (size, modification time, change time and inode, taken before it
was read) under a fingerprint of everything else the result depends on: the
routes found (each one's id, digest or error), the data files beside them,
journey's own code and version, and the holidays package that moves deadlines.
A file whose stamp differs, or a cache whose fingerprint differs, is read
afresh; a cache file that cannot be decoded is ignored and rebuilt. The change
time cannot be set back by hand, so even an edit that restores the size and the
modification time is seen.

The cache lives in the user's cache folder (`journey.routes.memo.user_cache_dir`:
XDG_CACHE_HOME, else ~/.cache), one file per kind of result and per repository
folder; JOURNEY_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Generic, TypeVar

import msgspec

import journey
from journey.records.opening import known_routes
from journey.routes.memo import code_stamp
from journey.routes.memo import user_cache_dir as cache_dir
from journey.walk.deadlines import holidays_version

FORMAT = 1  # of the cache file itself (entries kept encoded: the same bytes as before)
T = TypeVar("T")
Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


class CacheFile(msgspec.Struct):
    """The cache file. Each entry stays encoded (`msgspec.Raw`, a view into the file's bytes)
    until it is asked for: decoding every entry at once held 100,000 rows and their stamps
    as Python objects beside the rows the report was building (the peak of a warm report)."""

    format: int
    fingerprint: str
    entries: dict[str, msgspec.Raw]


def stamp_of(path: str | Path) -> Stamp | None:
    """The file's stamp, or None when it cannot be read (then nothing is cached for it)."""
    return stamp_from(file_status(path))


def file_status(path: str | Path) -> os.stat_result | None:
    """The file's status (symbolic links followed), or None when the system cannot give it."""
    try:
        return os.stat(path)  # noqa: PTH116 (a str path: no Path made per file of a report)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None


def stamp_from(st: os.stat_result | None) -> Stamp | None:
    """The stamp of a file's status (None: nothing is cached for it)."""
    return None if st is None else (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def fingerprint(kind: str) -> str:
    """Everything a cached result depends on besides the record file itself."""
    parts = [kind, journey.__version__, holidays_version(), code_stamp()]
    for route_id, entry in sorted(known_routes().items()):
        loaded = entry.loaded
        parts.append(f"{route_id}={loaded.digest if loaded else entry.error}")
        folder = entry.path.parent
        parts += [f"{p}:{stamp_of(p)}" for p in sorted(folder.glob("*.yaml")) if p != entry.path]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "replace")).hexdigest()


class _Miss:
    """Nothing cached for this file, or not for this stamp."""


class Cache(Generic[T]):
    """Per-file results of one kind for one folder, trusted only for the same stamp."""

    MISS: Any = _Miss()

    def __init__(self, kind: str, top: Path, value_type: Any) -> None:
        where = str(top.resolve()).encode("utf-8", "surrogateescape")
        self.path = cache_dir() / f"{kind}-{hashlib.sha256(where).hexdigest()[:24]}.msgpack"
        self.fingerprint = fingerprint(kind)
        self._entry = msgspec.msgpack.Decoder(tuple[Stamp, value_type])
        self.entries: dict[str, msgspec.Raw] = self._load()
        self.changed = False

    @classmethod
    def open(cls, kind: str, top: Path, value_type: Any) -> Cache[T] | None:
        """The cache for `top`, or None when caching is turned off."""
        if os.environ.get("JOURNEY_NO_CACHE") == "1":
            return None
        return cls(kind, top, value_type)

    def _load(self) -> dict[str, msgspec.Raw]:
        """The entries saved, if the file decodes and was made under the same fingerprint."""
        try:
            saved = msgspec.msgpack.decode(self.path.read_bytes(), type=CacheFile)
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return {}  # none yet, unreadable or damaged: start again
        if saved.format != FORMAT or saved.fingerprint != self.fingerprint:
            return {}
        return saved.entries

    def get(self, rel: str, path: str | Path) -> T | Any:
        """The result kept for `rel` if the file at `path` still has the stamp it was kept at,
        else `Cache.MISS` (the file is stat'ed only when something is kept for it: a cold run
        stats each file once, in the worker that reads it). An entry that does not decode as
        the result it should hold is a miss too: it is read afresh."""
        kept = self.entries.get(rel)
        if kept is None:
            return Cache.MISS
        stamp = stamp_of(path)
        if stamp is None:
            return Cache.MISS
        try:
            kept_stamp, value = self._entry.decode(kept)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return Cache.MISS
        return value if kept_stamp == stamp else Cache.MISS

    def put(self, rel: str, stamp: Stamp, value: T) -> msgspec.Raw:
        """Keep `value` for `rel` at `stamp`; the entry as encoded, which a caller may keep
        instead of the value."""
        return self.keep(rel, msgspec.msgpack.encode((stamp, value)))

    def keep(self, rel: str, entry: bytes) -> msgspec.Raw:
        """Keep an entry already encoded as `put` encodes it, `(stamp, value)` (the report's
        workers send their rows so, and the report keeps them so)."""
        kept = self.entries[rel] = msgspec.Raw(entry)
        self.changed = True
        return kept

    def save(self, keep: set[str] | None = None) -> None:
        """Write the cache back (only the files still present when `keep` is given), then let
        go of the entries and the file's bytes they are views into: a cache is saved once, when
        its command has read every file, and the rows it handed out live on without it."""
        entries, self.entries = self.entries, {}
        if keep is not None and len(keep) < len(entries):
            entries = {k: v for k, v in entries.items() if k in keep}
            self.changed = True
        if not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cache.", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                write_file(fh, self.fingerprint, entries)
            Path(tmp).replace(self.path)  # readers see the old cache or the new, never half
        except OSError:
            pass  # a cache that cannot be written is only slower next time


def write_file(fh: BinaryIO, fingerprint: str, entries: dict[str, msgspec.Raw]) -> None:
    """The cache file, as msgspec encodes `CacheFile`, written an entry at a time: encoded whole,
    100,000 entries made a second copy of every row (45 MB) at the peak of a cold report.
    msgspec encodes each piece; only the map's header (its size) is written here."""
    head = msgspec.msgpack.encode(CacheFile(FORMAT, fingerprint, {}))
    assert head.endswith(b"\x80")  # the empty map of entries, last
    fh.write(head[:-1] + b"\xdf" + len(entries).to_bytes(4, "big"))  # map 32: up to 2**32-1
    encode = msgspec.msgpack.Encoder().encode
    for key, value in entries.items():
        fh.write(encode(key))
        fh.write(value)
