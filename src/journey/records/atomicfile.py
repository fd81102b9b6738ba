"""Record files on disk: atomic rewrites and a lock against a second walk.

A rewrite goes to a new temporary file in the same folder, is flushed and
fsynced, then renamed over the record: a killed process leaves either the old
record or the new one, never a mixture. The new file keeps the record's mode (a
private 0600 record stays private); a new record follows the umask.

The lock is an OS file lock (flock) on a hidden file beside the record, so a
crashed walk releases it by dying. The walk that made the lock file removes it
while still holding it; a walk that opened the file just before then finds, once
it holds its lock, that the file at the lock's name is no longer the one it
locked, and starts again, so two walks never both hold "the" lock. A FIFO or
anything else that is not a plain file at the lock's name is refused, never
waited on. (The `filelock` package would not name the walk that holds the lock,
and leaves its lock files behind; this is the same technique plus those two.)
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import stat
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


# The temporary file is `.NAME.XXXXXXXX.tmp`; NAME is cut so that a record name of up to
# 255 bytes (the usual limit) still gets a temporary name that fits.
_TMP_NAME = 100


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so that readers only ever see the old or the new file."""
    folder = path.parent
    data = text.encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        mode = _mode_for(path)
        # mkstemp: a fresh random name, created exclusively, so a file left by a killed
        # walk or planted by someone else is never reused or followed.
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name[:_TMP_NAME]}.", suffix=".tmp")
        tmp = Path(name)
        try:
            os.fchmod(fd, mode)
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


def _mode_for(path: Path) -> int:
    """The mode the record has now, or, for a new record, what the umask allows of 0666."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


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
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO at the lock's name opens without a writer
_TRIES = 20  # a lock file replaced under us this many times in a row: give up as busy


@contextlib.contextmanager
def locked(record: Path) -> Iterator[None]:
    """Hold the record's lock for a walk; refuse if another walk holds it."""
    if fcntl is None:  # pragma: no cover - Windows: no advisory lock
        yield
        return
    path = lock_path(record)
    made = not record.parent.exists()  # a folder made for the record goes if nothing is saved
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot lock {record}: {exc.strerror or exc}") from None
    try:
        fd, ours = _take(record, path)
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                record.parent.rmdir()
        raise
    try:
        yield
    finally:
        if ours:  # removed while still held; never a file at the lock's name a walk did not write
            with contextlib.suppress(OSError):
                path.unlink()
        os.close(fd)
        if made:
            with contextlib.suppress(OSError):
                record.parent.rmdir()  # only succeeds when it is empty


def _take(record: Path, path: Path) -> tuple[int, bool]:
    """Lock the file at `path`, made if need be; (its descriptor, whether a walk wrote it)."""
    for _ in range(_TRIES):
        fd, created, ours = _open_lock(record, path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _holder(fd)
            os.close(fd)
            raise Busy(
                f"{record} is open in another journey walk ({holder}); "
                "finish or quit that one first"
            ) from None
        if not _still_at(fd, path):  # its walk removed it after we opened it: start again
            os.close(fd)
            continue
        if created:
            _sign(fd, record, path)
        return fd, ours
    raise Busy(f"{record} is being opened and closed by other journey walks; try again")


def _open_lock(record: Path, path: Path) -> tuple[int, bool, bool]:
    """The lock file opened: (descriptor, made just now, written by a walk)."""
    try:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644)
            return fd, True, True
        except FileExistsError:  # a lock left by a crash, held by a walk, or someone's file
            fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
    except OSError as exc:
        raise UsageError(f"cannot lock {record}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UsageError(f"cannot lock {record}: {path} is not a plain file; remove it")
    return fd, False, bool(_OURS.fullmatch(os.pread(fd, 200, 0).decode("utf-8", "replace")))


def _still_at(fd: int, path: Path) -> bool:
    """Whether the file open as `fd` is still the one at `path`."""
    try:
        here = path.lstat()
    except OSError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (here.st_dev, here.st_ino)


def _sign(fd: int, record: Path, path: Path) -> None:
    """Write who holds the lock; on a full disk, take the empty lock file away again."""
    try:
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}".encode(), 0)
    except OSError as exc:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)
        raise UsageError(f"cannot lock {record}: {exc.strerror or exc}") from None


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
    except OSError:
        return "another process"
