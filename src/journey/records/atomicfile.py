"""Record files on disk: atomic rewrites and a lock against a second walk.

A rewrite goes to a new temporary file in the same folder, is flushed and
fsynced, then renamed over the record: a killed process leaves either the old
record or the new one, never a mixture. The lock is an OS file lock, so a
crashed walk releases it by dying.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import tempfile
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
    data = text.encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # mkstemp: a fresh random name, created exclusively, so a file left by a killed
        # walk or planted by someone else is never reused or followed.
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        tmp = Path(name)
        os.fchmod(fd, 0o644)
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


_OURS = re.compile(r"pid \d+ on \S+")


@contextlib.contextmanager
def locked(record: Path) -> Iterator[None]:
    """Hold the record's lock for a walk; refuse if another walk holds it."""
    if fcntl is None:  # pragma: no cover - Windows: no advisory lock
        yield
        return
    path = lock_path(record)
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    made = not record.parent.exists()  # a folder made for the record goes if nothing is saved
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | nofollow, 0o644)
            created = ours = True
        except FileExistsError:  # a lock left by a crash, held by a walk, or someone's file
            fd = os.open(path, os.O_RDONLY | nofollow)
            created, ours = (
                False,
                bool(_OURS.fullmatch(os.pread(fd, 200, 0).decode("utf-8", "replace"))),
            )
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
        if created:
            os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}".encode(), 0)
        try:
            yield
        finally:
            if ours:  # never remove a file at the lock's name that a walk did not write
                with contextlib.suppress(OSError):
                    path.unlink()
            if made:
                with contextlib.suppress(OSError):
                    record.parent.rmdir()  # only succeeds when it is empty
    finally:
        os.close(fd)
