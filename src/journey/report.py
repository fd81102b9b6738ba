"""`journey report`: the pipeline across a repository of records, one row per procurement.

Records are found by content (the data block's fence), read once each and
summarised by the same engine as `journey status`. A damaged record becomes a
row with its error, so one bad file never hides the rest of the pipeline.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import msgspec
from rich.console import Console, Group
from rich.text import Text

from journey.errors import InvalidFile, JourneyError, Problem, UsageError
from journey.loader import LoadedRoute
from journey.record import Record, read, sealed, split
from journey.recordfile import MAX_RECORD_BYTES, Opened, route_for, walk_of
from journey.status import summary
from journey.text import clean, md
from journey.yamlfile import parse

Row = dict[str, Any]
FORMATS = ("table", "csv", "json", "markdown")
SORTS = ("updated", "deadline", "title", "owner", "route", "status", "done")
STATUSES = ("in-progress", "complete")
HEAD = ("title", "reference", "route", "owner", "status", "updated")
FIELDS = (*HEAD[:5], "stage", "done", "total", "percent", "required_outstanding", "deviations",
          "next_deadline", "next_deadline_label", "next_deadline_past", "updated", "path", "error")  # fmt: skip
SKIP_DIRS = {".git", ".venv", "venv", "env", "node_modules"}
MARKER = re.compile(rb"^```yaml journey-record\r?$", re.MULTILINE)
PARALLEL_FROM = 400  # below this, starting worker processes costs more than it saves


def run_report(
    root: Path | None,
    *,
    status: str | None,
    route: str | None,
    owner: str | None,
    sort: str,
    fmt: str,
    console: Console,
) -> int:
    """Print the report; 1 when a damaged record is among the rows, else 0."""
    for value, allowed, what in ((fmt, FORMATS, "format"), (sort, SORTS, "sort")):
        if value not in allowed:
            raise UsageError(f"unknown {what} '{value}'; use {', '.join(allowed)}")
    if status is not None and status not in STATUSES:
        raise UsageError(f"unknown status '{status}'; use {' or '.join(STATUSES)}")
    top = _top(root)
    rows = collect(top, find_records(top), _today())
    # A damaged record is kept unless a field it still shows rules it out.
    wanted = (("status", status), ("route", route), ("owner", owner))
    rows = [r for r in rows if all(v is None or r[k] in (None, v) for k, v in wanted)]
    rows = sort_rows(rows, sort)
    {"table": _table, "csv": _csv, "json": _json, "markdown": _markdown}[fmt](rows, console)
    damaged = sum(1 for r in rows if r["error"])
    if damaged:
        print(f"{damaged} of {len(rows)} records are damaged", file=sys.stderr)
    return 1 if damaged else 0


def _top(root: Path | None) -> Path:
    """ROOT, else the top of this git repository, else here: a report covers the whole repo."""
    if root is not None:
        if not root.is_dir():
            raise UsageError(f"not a folder: {root}")
        return root
    try:
        git = ["git", "rev-parse", "--show-toplevel"]
        out = subprocess.run(git, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return Path()
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else Path()


def _today() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH's day as the record clock uses it, so reports reproduce."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def find_records(top: Path) -> list[str]:
    """Sorted `/`-separated paths under `top` of `*.md` files that may be records.

    Virtual environments, vendored and hidden folders are not ours to report on,
    and symlinked folders are not followed, so nothing is found twice or outside.
    """
    found: list[str] = []
    for folder, dirs, files in os.walk(top):
        here = Path(folder)
        dirs[:] = [
            d
            for d in dirs
            if d not in SKIP_DIRS and d[0] != "." and not (here / d / "pyvenv.cfg").exists()
        ]
        prefix = here.relative_to(top).as_posix() + "/"
        found += [prefix.removeprefix("./") + f for f in files if f.endswith(".md")]
    return sorted(found)


def collect(top: Path, paths: list[str], today: dt.date) -> list[Row]:
    """Rows for the records among `paths`, in path order; on two or more cores, in parallel."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    work = partial(_rows_of, top, today)
    if (cpus or 1) < 2 or len(paths) < PARALLEL_FROM:
        return work(paths)
    route_for("")  # load the routes once, before forking, so workers inherit them
    jobs = min(cpus or 1, 8)
    size = -(-len(paths) // (jobs * 4))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    context = get_context("fork" if sys.platform == "linux" else None)
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        return [row for rows in pool.map(work, chunks) for row in rows]


def _rows_of(top: Path, today: dt.date, paths: list[str]) -> list[Row]:
    return [row for rel in paths if (row := record_row(top, rel, today)) is not None]


def record_row(top: Path, rel: str, today: dt.date) -> Row | None:
    """The row for one file, read once; None when it is not a record at all."""
    row: Row = dict.fromkeys(FIELDS) | {"path": rel}
    try:
        raw = (top / rel).read_bytes()
    except OSError as exc:
        return row | {"error": f"{rel}: cannot read: {exc.strerror or exc}"}
    if not MARKER.search(raw):
        return None
    try:
        if len(raw) > MAX_RECORD_BYTES:
            raise _problem(rel, f"file is too large ({len(raw):,} bytes)")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _problem(rel, f"not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
        opened, intact = _open(top / rel, rel, text)
        row |= {k: getattr(opened.record, k) for k in HEAD}
        if not intact:
            msg = "the record data was edited by hand: its digest does not match"
            raise InvalidFile([opened.doc.problem(("digest",), msg)])
        info = summary(walk_of(opened))
    except JourneyError as exc:
        return row | {"error": "; ".join(str(exc).splitlines())}
    row |= {k: info[k] for k in ("stage", "done", "total", "percent")}
    row["required_outstanding"] = len(info["required_outstanding"])
    row["deviations"] = len(info["deviations"])
    if due := next_deadline(info["deadlines"], today):
        row["next_deadline"], row["next_deadline_label"] = due["date"], due["label"]
        row["next_deadline_past"] = due["date"] < today.isoformat()
    return row


def _open(path: Path, rel: str, text: str) -> tuple[Opened, bool]:
    """The record, its route, and whether its digest holds.

    A sealed block that converts and names a known route takes the quick way:
    the same safe reader, checked by msgspec alone. Anything else goes through
    `record.read`, whose checks place every problem on its line.
    """
    checklist, block, _ = split(text, rel)
    intact = sealed(block)
    if intact:
        doc = parse(block, rel)
        try:
            record = msgspec.convert(doc.data, Record, strict=True)
        except msgspec.ValidationError:
            pass
        else:
            if (route := _route(rel, record.route)) is not None:
                return Opened(path, text, record, checklist, doc, route), True
    record, checklist, doc = read(text, rel)
    return Opened(path, text, record, checklist, doc, _route(rel, record.route)), intact


def _route(rel: str, route_id: str) -> LoadedRoute | None:
    """The record's route; a route file that does not load is named, not blamed on the record."""
    try:
        return route_for(route_id)
    except InvalidFile as exc:
        raise _problem(rel, f"its route '{route_id}' does not load: {exc.problems[0]}") from None


def _problem(rel: str, message: str) -> InvalidFile:
    return InvalidFile([Problem(rel, None, None, "", message)])


def next_deadline(deadlines: list[dict[str, Any]], today: dt.date) -> dict[str, Any] | None:
    """The earliest deadline on or after today, else the latest one already past."""
    ahead = [d for d in deadlines if d["date"] >= today.isoformat()]
    if ahead:
        return min(ahead, key=lambda d: d["date"])
    return max(deadlines, key=lambda d: d["date"], default=None)


def _deadline_key(row: Row) -> tuple[int, int]:
    """Upcoming deadlines soonest first, then past ones most recent first, then none."""
    if not row["next_deadline"]:
        return (2, 0)
    day = dt.date.fromisoformat(row["next_deadline"]).toordinal()
    return (1, -day) if row["next_deadline_past"] else (0, day)


def _folded(field: str, row: Row) -> str:
    return str(row[field]).casefold()


SORT_KEYS: dict[str, Callable[[Row], Any]] = {
    "updated": lambda row: row["updated"],
    "deadline": _deadline_key,
    "done": lambda row: row["percent"],
    **{k: partial(_folded, k) for k in ("title", "owner", "route", "status")},
}


def sort_rows(rows: list[Row], by: str) -> list[Row]:
    """Sorted by `by` (updated: newest first), ties by path; damaged records last, by path."""
    sound = sorted((r for r in rows if not r["error"]), key=lambda r: r["path"])
    sound.sort(key=SORT_KEYS[by], reverse=by == "updated")  # stable: ties keep path order
    return sound + sorted((r for r in rows if r["error"]), key=lambda r: r["path"])


COLUMNS = ("title", "reference", "route", "owner", "status", "stage", "done", "open",
           "deviations", "next deadline", "updated", "record")  # fmt: skip
TABLE = ("title", "owner", "status", "stage", "done", "open", "deviations", "next deadline",
         "updated")  # fmt: skip
RIGHT = {"done", "open", "deviations"}


def _cells(row: Row) -> dict[str, str]:
    """A row as shown in the table and in Markdown, before it is made safe for either."""
    cells = dict.fromkeys(COLUMNS, "") | {k: row[k] or "" for k in HEAD[:5]}
    cells |= {"updated": (row["updated"] or "")[:10], "record": row["path"]}
    if row["error"]:
        cells["title"] = cells["title"] or "(unreadable)"
        where = re.sub(r"^(\d+):\d+: ", r"line \1: ", row["error"].removeprefix(row["path"] + ":"))
        return cells | {"status": "damaged", "stage": where}
    due = row["next_deadline"] or ""
    return cells | {
        "stage": row["stage"],
        "done": f"{row['percent']}%",
        "open": str(row["required_outstanding"]),
        "deviations": str(row["deviations"]),
        "next deadline": f"{due} (past)" if row["next_deadline_past"] else due,
    }


def _counts(rows: list[Row]) -> str:
    bad = sum(1 for r in rows if r["error"])
    going = sum(1 for r in rows if not r["error"] and r["status"] == "in-progress")
    text = f"{len(rows)} record{'' if len(rows) == 1 else 's'}: {going} in progress, "
    return text + f"{len(rows) - bad - going} complete" + (f", {bad} damaged" if bad else "")


def _table(rows: list[Row], console: Console) -> None:
    """Aligned Text cells: a line for each record, then where it is (or what is wrong).

    Built by hand rather than with rich's Table, which takes seconds for 10,000 rows;
    the first line is cut at the terminal's edge, the second wraps.
    """
    if not rows:
        console.print(Text("no records found"))
        return
    shown = [_cells(r) | ({"stage": ""} if r["error"] else {}) for r in rows]
    grid = [[Text(clean(c[k]), overflow="ellipsis") for k in TABLE] for c in shown]
    heads = [Text("dev" if k == "deviations" else k, style="bold") for k in TABLE]
    widths = [max(x.cell_len for x in col) for col in zip(heads, *grid, strict=True)]
    widths = _fit([min(w, 24) if i == 1 else w for i, w in enumerate(widths)], console.width)
    lines = []
    for row, cells in zip([None, *rows], [heads, *grid], strict=True):
        for cell, k, w in zip(cells, TABLE, widths, strict=True):
            cell.align("right" if k in RIGHT else "left", w)
        line = Text("  ", style="red" if row and row["error"] else "").join(cells)
        lines.append(Text(line.plain, spans=line.spans, no_wrap=True, overflow="ellipsis"))
        if row is not None:
            where = " · ".join(filter(None, [row["reference"], row["route"], row["path"]]))
            style = "red" if row["error"] else "dim"
            lines.append(Text("  " + clean(row["error"] or where), style=style))
    console.print(Group(*lines, Text(_counts(rows))))


def _fit(widths: list[int], width: int) -> list[int]:
    """Narrow the stage, then the title column, until a line fits `width`."""
    over = sum(widths) + 2 * (len(widths) - 1) - width
    for i, least in ((3, 20), (0, 16)):
        cut = max(0, min(over, widths[i] - least))
        widths[i] -= cut
        over -= cut
    return widths


def _markdown(rows: list[Row], console: Console) -> None:
    out = ["## Procurement pipeline", "", _counts(rows) + "."]
    if rows:
        out += ["", "| " + " | ".join(c.capitalize() for c in COLUMNS) + " |"]
        out.append("|" + "|".join(" ---: " if c in RIGHT else " --- " for c in COLUMNS) + "|")
        out += ["| " + " | ".join(md(c) for c in _cells(r).values()) + " |" for r in rows]
    sys.stdout.write("\n".join(out) + "\n")


def _csv(rows: list[Row], console: Console) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows([_plain(row[k]) for k in FIELDS] for row in rows)


def _plain(value: Any) -> Any:
    """CSV has no null or boolean: empty for unknown, true/false as JSON writes them."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value).lower()
    return value


def _json(rows: list[Row], console: Console) -> None:
    sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
