"""The report's rows: finding record files under a folder and summarising each in one row.

The engine owns the rows (what a record says, whether it is damaged, its next
deadline); `journey.cli.report` only renders them. Rows are compact structs so
that 100,000 of them fit in memory; each is computed in a worker process the
first time and then kept in the per-repository cache (`journey.records.cache`),
which is trusted only while the file and the routes are unchanged.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from stat import S_ISREG
from typing import Any, TypeVar

import msgspec

from journey.errors import InvalidFile, JourneyError, Problem
from journey.records.cache import Cache, Stamp, file_status, stamp_from
from journey.records.format import lf, read
from journey.records.notices import marks, tally
from journey.records.opening import MAX_RECORD_BYTES, Opened, route_for, walk_of
from journey.records.summary import due_dates, settled_state, standing, state_on
from journey.records.verify import inspect
from journey.routes.loader import LoadedRoute
from journey.safeyaml import decode, read_capped

HEAD = ("title", "reference", "route", "owner", "status", "updated")
FIELDS = (*HEAD[:5], "stage", "done", "total", "percent", "required_outstanding", "deviations",
          "next_deadline", "next_deadline_label", "next_deadline_past", "next_deadline_state",
          "deadlines_missed", "updated", "path", "error",
          "notices_published", "notices_due", "notices_overdue")  # fmt: skip
SKIP_DIRS = {".git", ".venv", "venv", "env", "node_modules"}
# The line that opens a record's data block. Led by a literal, so that the regex engine
# skips to each "```" (`^...$` with MULTILINE tried every position: 80 µs a record).
_FENCE_LINE = re.compile(rb"```(?:yaml|json) journey-record\r?(?:\n|\Z)")
PARALLEL_FROM = 400  # below this, starting worker processes costs more than it saves
T = TypeVar("T")
R = TypeVar("R")


class Due(msgspec.Struct, array_like=True, gc=False, frozen=True):
    """One due date of a record: ISO date, label, and its state as far as it holds whatever
    the day (`summary.settled_state`); read by name, as the renderers do."""

    date: str
    label: str
    settled: str = ""

    def state(self, today: dt.date) -> str:
        """due, due soon, met, missed, or past (a date nobody enters to), on `today`."""
        return state_on(self.settled, self.date, today)

    def __getitem__(self, key: str) -> str:
        return str(getattr(self, key))


class Row(msgspec.Struct, array_like=True, gc=False):
    """One record in the report; `error` set when it is damaged (then only HEAD may be known)."""

    path: str
    title: str | None = None
    reference: str | None = None
    route: str | None = None
    owner: str | None = None
    status: str | None = None
    updated: str | None = None
    stage: str | None = None
    done: int | None = None
    total: int | None = None
    percent: int | None = None
    required_outstanding: int | None = None
    deviations: int | None = None
    deadlines: list[Due] = msgspec.field(default_factory=list)
    error: str | None = None
    next_deadline: str | None = None  # for today: set by `for_today`, never cached
    next_deadline_label: str | None = None
    next_deadline_past: bool | None = None
    next_deadline_state: str | None = None
    deadlines_missed: int | None = None
    # Statutory notices as (published, due date): counted for today by `for_today`.
    notice_marks: list[tuple[bool, str | None]] = msgspec.field(default_factory=list)
    notices_published: int | None = None
    notices_due: int | None = None
    notices_overdue: int | None = None

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)

    def fields(self) -> dict[str, Any]:
        """The row as the report's outputs print it (FIELDS, in order)."""
        return {k: getattr(self, k) for k in FIELDS}


def marked(raw: bytes) -> bool:
    """True when a line of `raw` opens a journey data block: the file is a record."""
    last = raw.rfind(b"\n```json journey-record")  # a record's block is at its end: a look
    if last >= 0 and _FENCE_LINE.match(raw, last + 1):  # there first, then the whole file
        return True
    return any(m.start() == 0 or raw[m.start() - 1] == 10 for m in _FENCE_LINE.finditer(raw))


def find_records(top: Path) -> list[str]:
    """Sorted `/`-separated paths of `*.md` files under `top`: not in virtual environments,
    vendored or hidden folders, nor behind symlinked folders (nothing found twice or outside)."""
    found: list[str] = []
    for folder, dirs, files in os.walk(top):
        here = Path(folder)
        keep = [d for d in dirs if d not in SKIP_DIRS and d[0] != "."]
        dirs[:] = [d for d in keep if not (here / d / "pyvenv.cfg").exists()]
        prefix = here.relative_to(top).as_posix() + "/"
        found += [prefix.removeprefix("./") + f for f in files if f.endswith(".md")]
    return sorted(found)


def in_parallel(work: Callable[[list[T]], list[R]], items: Sequence[T]) -> Iterator[R]:
    """`work` over `items` in chunks, in order; on two or more cores, in worker processes.

    The routes are loaded first, so that forked workers inherit them. Used by
    `report` and `verify` alike.
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (cpus or 1) < 2 or len(items) < PARALLEL_FROM:
        yield from work(list(items))
        return
    route_for("")
    jobs = min(cpus or 1, 8)
    context = get_context("fork" if sys.platform == "linux" else None)
    gc.freeze()  # what is loaded so far (routes, modules) is never scanned in the workers
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker) as pool:
            for done in pool.map(work, _chunks(items, jobs)):
                yield from done
    finally:
        gc.unfreeze()


def _worker() -> None:
    """A worker makes hundreds of short-lived containers a record and keeps almost none:
    the young ones are collected in batches of 10,000 rather than 700 (3% of its time)."""
    gc.set_threshold(10_000, 50, 50)


def _chunks(items: Sequence[T], jobs: int) -> Iterator[list[T]]:
    """`items` in chunks that shrink as the work runs out (a quarter of each worker's share
    of what is left, 50 to 500), so that no worker sits idle while another ends a big one."""
    start = 0
    while start < len(items):
        size = max(50, min(500, (len(items) - start) // (jobs * 4)))
        yield list(items[start : start + size])
        start += size


class Rows:
    """The report's rows in their order, each kept encoded (as the cache keeps it) and decoded,
    with its fields for today, when it is read: 100,000 rows held as Python objects took
    100 MB or more, as msgpack they take a third, and nothing else holds them."""

    def __init__(
        self, blobs: list[bytes | msgspec.Raw], today: dt.date, damaged: int, statuses: Counter[str]
    ) -> None:
        self._blobs = blobs
        self._today = today
        self.damaged = damaged  # how many are damaged records
        # How many rows have each `status_of`: for the counts and the page's filter, without
        # reading every row again.
        self.statuses = statuses

    def __len__(self) -> int:
        return len(self._blobs)

    def __iter__(self) -> Iterator[Row]:
        return (self._row(b) for b in self._blobs)

    def __getitem__(self, part: slice) -> list[Row]:
        return [self._row(b) for b in self._blobs[part]]

    def _row(self, blob: bytes | msgspec.Raw) -> Row:
        row = _ENTRY.decode(blob)[1]
        assert row is not None  # files that are not records are never kept
        return for_today(row, self._today)


_ENTRY = msgspec.msgpack.Decoder(tuple[Stamp | None, Row | None])  # a cache entry's form
_ENCODE_ENTRY = msgspec.msgpack.Encoder()


def collect(
    top: Path,
    paths: Sequence[str],
    today: dt.date,
    *,
    cache: Cache[Row | None] | None = None,
    keep: Callable[[Row], bool] | None = None,
    sort: str = "path",
) -> Rows:
    """Rows for the records among `paths` (in path order), each from the cache when it holds,
    those `keep` keeps (all by default: it sees the fields the cache keeps, never those for
    today), sorted by `sort` (`sort_key`; ties in path order, damaged records last)."""
    slots: list[tuple[Any, bytes | msgspec.Raw, bool] | None] = [None] * len(paths)
    statuses: Counter[str] = Counter()

    def place(i: int, row: Row, blob: bytes | msgspec.Raw) -> None:
        if sort == "deadline":  # the only order that depends on the day (`Rows` adds the
            row = for_today(row, today)  # fields for today as each row is read)
        if keep is None or keep(row):
            slots[i] = (None if row.error else sort_key(sort, row), blob, bool(row.error))
            statuses[status_of(row)] += 1

    base = os.fspath(top)  # str paths: a Path per file is 9 us of 100,000 files' stat
    todo: list[tuple[int, str]] = []
    for i, rel in enumerate(paths):
        hit = cache.get(rel, f"{base}/{rel}") if cache else Cache.MISS
        if hit is Cache.MISS:
            todo.append((i, rel))
        elif hit is not None:
            assert cache is not None
            place(i, hit, cache.entries[rel])  # the entry as it is: no copy
    computed = in_parallel(partial(_entries_of, top), [rel for _, rel in todo])
    for (i, rel), (_, stamped, entry) in zip(todo, computed, strict=True):
        if entry is None:  # not a record
            continue
        row = _ENTRY.decode(entry)[1]
        assert row is not None
        place(i, row, cache.keep(rel, entry) if cache is not None and stamped else entry)
    if cache is not None:
        cache.save(keep=set(paths))
    found = [s for s in slots if s is not None]
    slots.clear()
    sound = [s for s in found if not s[2]]
    sound.sort(key=lambda s: s[0], reverse=sort == "updated")  # stable: ties keep path order
    damaged = [s[1] for s in found if s[2]]
    return Rows([s[1] for s in sound] + damaged, today, len(damaged), statuses)


def status_of(row: Row | dict[str, Any]) -> str:
    """A row's status as the outputs show it: in-progress, complete, or damaged."""
    return "damaged" if row["error"] else str(row["status"] or "damaged")


def _entries_of(top: Path, paths: list[str]) -> list[tuple[str, bool, bytes | None]]:
    """Each file's row as the cache keeps it (None: not a record), encoded here: sending a
    row's bytes costs a fifth of sending the row. The stamp is taken before the file is read
    (an edit while reading is seen next time); True when there is one to keep it under."""
    base, out = os.fspath(top), []
    for rel in paths:
        st = file_status(f"{base}/{rel}")
        row, stamp = record_row(top, rel, st), stamp_from(st)
        entry = None if row is None else _ENCODE_ENTRY.encode((stamp, row))
        out.append((rel, stamp is not None, entry))
    return out


def record_row(top: Path, rel: str, st: os.stat_result | None) -> Row | None:
    """The row for one file (`st`: its status, taken before), read once; None when it is not
    a record at all."""
    if st is None or not S_ISREG(st.st_mode):  # a pipe or socket named *.md would block
        return None
    path = top / rel
    try:
        raw = _read(os.fspath(path))
    except OSError as exc:
        return Row(rel, error=f"{rel}: cannot read: {exc.strerror or exc}")
    if not marked(raw):
        return None
    head: dict[str, Any] = {}
    try:
        if len(raw) > MAX_RECORD_BYTES:
            raise _problem(rel, f"file is too large (over {MAX_RECORD_BYTES:,} bytes)")
        text = lf(decode(raw, rel))
        opened = _open(path, rel, text)
        head = {k: getattr(opened.record, k) for k in HEAD}
        damage, walk = inspect(opened)  # the same checks as `journey verify`, the seal first
        if damage:
            raise InvalidFile(damage)
        walk = walk or walk_of(opened)
        at = standing(walk)
        dues = [Due(d.date.isoformat(), d.label, settled_state(walk, d)) for d in due_dates(walk)]
    except JourneyError as exc:
        return Row(rel, **head, error="; ".join(str(exc).splitlines()))
    return Row(
        rel, **head, stage=at.stage, done=at.done, total=at.total, percent=at.percent,
        required_outstanding=len(walk.missing()), deviations=at.deviations, deadlines=dues,
        notice_marks=marks(walk),
    )  # fmt: skip


def _open(path: Path, rel: str, text: str) -> Opened:
    """The record and its route (its seal is checked by `inspect`)."""
    record, parts, doc = read(text, rel)
    return Opened(path, text, record, parts, doc, _route(rel, record.route))


def _route(rel: str, route_id: str) -> LoadedRoute | None:
    """The record's route; a route file that does not load is named, not blamed on the record."""
    try:
        return route_for(route_id)
    except InvalidFile as exc:
        raise _problem(rel, f"its route '{route_id}' does not load: {exc.problems[0]}") from None


def _problem(rel: str, message: str) -> InvalidFile:
    return InvalidFile([Problem(rel, None, None, "", message)])


def for_today(row: Row, today: dt.date) -> Row:
    """The row with its next deadline and its state as of `today` (the cache keeps rows
    without them), and how many of its deadlines are missed."""
    if row.deadlines:
        states = [d.state(today) for d in row.deadlines]
        row.deadlines_missed = states.count("missed")
        if due := _next(row.deadlines, states):
            row.next_deadline, row.next_deadline_label = due.date, due.label
            row.next_deadline_past = due.date < today.isoformat()
            row.next_deadline_state = states[row.deadlines.index(due)]
    if row.notice_marks:
        row.notices_published, row.notices_due, row.notices_overdue = tally(row.notice_marks, today)
    return row


def _next(deadlines: list[Due], states: list[str]) -> Due | None:
    """The deadline a reader needs first: the earliest still to meet (due or due soon), else
    the latest missed, else the latest met, else the latest that went by (past)."""
    by_state: dict[str, list[Due]] = {}
    for due, state in zip(deadlines, states, strict=True):
        by_state.setdefault("ahead" if state.startswith("due") else state, []).append(due)
    if ahead := by_state.get("ahead"):
        return min(ahead, key=lambda d: d.date)
    for state in ("missed", "met", "past"):
        if found := by_state.get(state):
            return max(found, key=lambda d: d.date)
    return None


def sort_key(by: str, row: Row) -> Any:
    """Deadline: upcoming soonest first, then past ones latest first, then none; updated is
    sorted newest first (reversed); other fields by their text, without case."""
    if by == "deadline":
        due = row.next_deadline
        day = dt.date.fromisoformat(due).toordinal() if due else 0
        return (2, 0) if not due else (1, -day) if row.next_deadline_past else (0, day)
    if by == "path":
        return 0  # path order, kept by the stable sort
    return row.percent if by == "done" else str(row[by]).casefold()


# -- verify over many files -------------------------------------------------------------


def _is_folder(target: Path) -> bool:
    """A folder to search; a name the system refuses (too long) is a file, verified as one."""
    try:
        return target.is_dir()
    except OSError:
        return False


def named_and_found(targets: Sequence[Path]) -> list[tuple[str, bool]]:
    """The files named (True: each is checked as a record, whatever it holds) and the `*.md`
    files found under the folders named (False: a record only if it holds a data block), in
    order: what `verify` and `export` read."""
    files: list[tuple[str, bool]] = []
    for target in targets:
        if _is_folder(target):
            files += [(str(target / rel), False) for rel in find_records(target)]
        else:
            files.append((str(target), True))
    return files


def verify_all(targets: Sequence[Path]) -> Iterator[tuple[str, list[str]]]:
    """Each record among `targets` (files as given; the records found under folders), in
    order, with its problems as lines (none when sound): `journey verify`, on the report's
    worker pool and with its own cache."""
    files = named_and_found(targets)
    cache: Cache[list[str] | None] | None = Cache.open("verify", Path.cwd(), list[str] | None)
    kept: dict[str, list[str] | None] = {}
    todo: list[tuple[str, bool]] = []
    for name, given in files:
        hit = cache.get(name, name) if cache else Cache.MISS
        if hit is Cache.MISS:
            todo.append((name, given))
        else:
            kept[name] = hit
    for name, stamp, found in in_parallel(_verdicts, todo):
        kept[name] = found
        if cache is not None and stamp is not None:
            cache.put(name, stamp, found)
    if cache is not None:
        cache.save()
    for name, _ in files:
        if (found := kept[name]) is not None:
            yield name, found


def _verdicts(files: list[tuple[str, bool]]) -> list[tuple[str, Stamp | None, list[str] | None]]:
    """Problems of each file (None: found in a folder but not a record), stamped before reading;
    each file is read once."""
    from journey.records.verify import verify

    out: list[tuple[str, Stamp | None, list[str] | None]] = []
    for name, given in files:
        record, raw, st = candidate(name, given)
        path = Path(name)
        out.append((name, stamp_from(st), [str(p) for p in verify(path, raw)] if record else None))
    return out


def candidate(name: str, given: bool) -> tuple[bool, bytes | None, os.stat_result | None]:
    """Whether to check the file `name` as a record, its bytes when they could be read (else
    the check reads it again and says why it cannot), and its status, taken before reading.
    A file named by the user always is one; a file found in a folder is one if it is a plain
    file holding a data block's fence."""
    st = file_status(name)
    if st is None or not S_ISREG(st.st_mode):  # a pipe or socket named *.md would block
        return given, None, st
    try:
        raw = _read(name)
    except OSError:
        return True, None, st
    return given or marked(raw), raw, st


def _read(name: str) -> bytes:
    """A record's bytes, up to one past the largest a record may be (unbuffered: read once)."""
    with open(name, "rb", buffering=0) as fh:  # noqa: PTH123 (a str path: no Path made per file)
        return read_capped(fh, MAX_RECORD_BYTES)
