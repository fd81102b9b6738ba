"""Record files on disk: atomic rewrites and a lock against a second walk.

A rewrite goes to a new temporary file in the same folder, is flushed and
fsynced, then renamed over the record: a killed process leaves either the old
record or the new one, never a mixture. The lock is an OS file lock, so a
crashed walk releases it by dying.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from journey.errors import JourneyError, UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class WriteFailed(JourneyError):
    """The record could not be written; the answers are still held in memory."""


class Busy(UsageError):
    """The record is open in another walk."""


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so that readers only ever see the old or the new file."""
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    data = text.encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(tmp, flags, 0o644)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            tmp.replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        _fsync_dir(folder)
    except OSError as exc:
        raise WriteFailed(f"cannot write {path}: {exc.strerror or exc}") from None


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def lock_path(record: Path) -> Path:
    """The lock file beside a record: hidden, named after it."""
    return record.with_name(f".{record.name}.lock")


@contextlib.contextmanager
def locked(record: Path) -> Iterator[None]:
    """Hold the record's lock for a walk; refuse if another walk holds it."""
    if fcntl is None:  # pragma: no cover - Windows: no advisory lock
        yield
        return
    path = lock_path(record)
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as exc:
        raise UsageError(f"cannot lock {record}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            raise Busy(
                f"{record} is open in another journey walk ({holder}); "
                "finish or quit that one first"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}".encode(), 0)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                path.unlink()
    finally:
        os.close(fd)
