"""`journey report`: the pipeline across a repository of records, one row per procurement.

Records are found by content (the data block's fence), read once each and
summarised by the same engine as `journey status`. A damaged record becomes a
row with its error, so one bad file never hides the rest of the pipeline.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.text import Text

from journey.errors import InvalidFile, JourneyError, Problem, UsageError
from journey.records.format import lf, read, sealed, split
from journey.records.opening import MAX_RECORD_BYTES, Opened, route_for, walk_of
from journey.records.summary import summary
from journey.routes.loader import LoadedRoute
from journey.safeyaml import decode
from journey.text import csv_cell, md, one_line, plural, to_json

Row = dict[str, Any]
HEAD = ("title", "reference", "route", "owner", "status", "updated")
FIELDS = (*HEAD[:5], "stage", "done", "total", "percent", "required_outstanding", "deviations",
          "next_deadline", "next_deadline_label", "next_deadline_past", "updated", "path", "error")  # fmt: skip
SKIP_DIRS = {".git", ".venv", "venv", "env", "node_modules"}
MARKER = re.compile(rb"^```(?:yaml|json) journey-record\r?$", re.MULTILINE)
PARALLEL_FROM = 400  # below this, starting worker processes costs more than it saves


def run_report(root: Path | None, *, status: str | None, route: str | None, owner: str | None,
               sort: str, fmt: str, console: Console) -> int:  # fmt: skip
    """Print the report; 1 when a damaged record is among the rows, else 0.

    `fmt`, `sort` and `status` are among the choices the command declares (Typer checks them).
    """
    top = _top(root)
    rows = collect(top, find_records(top), _today())
    # A damaged record is kept unless a field it still shows rules it out.
    wanted = (("status", status), ("route", route), ("owner", owner))
    rows = [r for r in rows if all(v is None or r[k] in (None, v) for k, v in wanted)]
    rows = sort_rows(rows, sort)
    writers = {"table": _table, "csv": _csv, "json": _json, "markdown": _markdown, "html": _html}
    writers[fmt](rows, console)
    damaged = sum(1 for r in rows if r["error"])
    if damaged:
        print(f"{damaged} of {plural(len(rows), 'record')} damaged", file=sys.stderr)
    return 1 if damaged else 0


def _top(root: Path | None) -> Path:
    """ROOT, else the top of this git repository, else here: a report covers the whole repo."""
    if root is not None:
        if not root.is_dir():
            raise UsageError(f"not a folder: {root}")
        return root
    git = ["git", "rev-parse", "--show-toplevel"]
    try:
        out = subprocess.run(git, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    return Path(out or ".")


def _today() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH's day as the record clock uses it, so reports reproduce."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


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
    path = top / rel
    if not path.is_file():  # a pipe or socket named *.md is not a record, and would block
        return None
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_RECORD_BYTES + 1)
    except OSError as exc:
        return row | {"error": f"{rel}: cannot read: {exc.strerror or exc}"}
    if not MARKER.search(raw):
        return None
    try:
        if len(raw) > MAX_RECORD_BYTES:
            raise _problem(rel, f"file is too large (over {MAX_RECORD_BYTES:,} bytes)")
        text = lf(decode(raw, rel))
        opened, intact = _open(top / rel, rel, text)
        row |= {k: getattr(opened.record, k) for k in HEAD}
        if not intact:
            msg = "the record data was edited by hand: its digest does not match"
            raise InvalidFile([opened.doc.problem(("digest",), msg)])
        info = summary(walk_of(opened))
    except JourneyError as exc:
        return row | {"error": "; ".join(str(exc).splitlines())}
    row |= {k: info[k] for k in ("stage", "done", "total", "percent")}
    row["deadlines"] = info["deadlines"]  # every due date, for the html page (not a FIELD)
    row["required_outstanding"] = len(info["required_outstanding"])
    row["deviations"] = len(info["deviations"])
    if due := next_deadline(info["deadlines"], today):
        row["next_deadline"], row["next_deadline_label"] = due["date"], due["label"]
        row["next_deadline_past"] = due["date"] < today.isoformat()
    return row


def _open(path: Path, rel: str, text: str) -> tuple[Opened, bool]:
    """The record, its route, and whether its digest holds (checked by the caller)."""
    record, checklist, doc = read(text, rel)
    return Opened(path, text, record, checklist, doc, _route(rel, record.route)), sealed(
        split(text, rel)[1]
    )


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


def _sort_key(by: str, row: Row) -> Any:
    """Deadline: upcoming soonest first, then past ones latest first, then none."""
    if by == "deadline":
        due = row["next_deadline"]
        day = dt.date.fromisoformat(due).toordinal() if due else 0
        return (2, 0) if not due else (1, -day) if row["next_deadline_past"] else (0, day)
    return row["percent"] if by == "done" else str(row[by]).casefold()


def sort_rows(rows: list[Row], by: str) -> list[Row]:
    """Sorted by `by` (updated: newest first), ties by path; damaged records last, by path."""
    sound = sorted((r for r in rows if not r["error"]), key=lambda r: r["path"])
    sound.sort(key=partial(_sort_key, by), reverse=by == "updated")  # stable: ties keep path order
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
    due = (row["next_deadline"] or "") + (" (past)" if row["next_deadline_past"] else "")
    cells |= {"stage": row["stage"], "done": f"{row['percent']}%", "next deadline": due}
    return cells | {"open": str(row["required_outstanding"]), "deviations": str(row["deviations"])}


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
    grid = [[Text(one_line(c[k]), overflow="ellipsis") for k in TABLE] for c in shown]
    short = {"deviations": "dev", "next deadline": "deadline"}
    heads = [Text(short.get(k, k), style="bold") for k in TABLE]
    widths = [max(x.cell_len for x in col) for col in zip(heads, *grid, strict=True)]
    widths[1] = min(widths[1], 24)  # owner
    over = sum(widths) + 2 * len(widths) - 2 - console.width
    for i, least in ((3, 16), (0, 16), (3, 10), (0, 10)):  # narrow stage and title to fit
        cut = max(0, min(over, widths[i] - least))
        widths[i], over = widths[i] - cut, over - cut
    lines = []
    for row, cells in zip([None, *rows], [heads, *grid], strict=True):
        for cell, k, w in zip(cells, TABLE, widths, strict=True):
            cell.align("right" if k in RIGHT else "left", w)
        line = Text("  ", style="red" if row and row["error"] else "").join(cells)
        line.no_wrap, line.overflow = True, "ellipsis"
        lines.append(line)
        if row is not None:
            where = " · ".join(filter(None, [row["reference"], row["route"], row["path"]]))
            style = "red" if row["error"] else "dim"
            lines.append(Text("  " + one_line(row["error"] or where), style=style))
    console.print(Group(*lines, Text(_counts(rows))))


def _markdown(rows: list[Row], console: Console) -> None:
    out = ["## Procurement pipeline", "", _counts(rows) + "."]
    if rows:
        out += ["", "| " + " | ".join(c.capitalize() for c in COLUMNS) + " |"]
        out.append("|" + "|".join(" ---: " if c in RIGHT else " --- " for c in COLUMNS) + "|")
        out += ["| " + " | ".join(md(c) for c in _cells(r).values()) + " |" for r in rows]
    sys.stdout.write("\n".join(out) + "\n")


def _csv(rows: list[Row], console: Console) -> None:
    """CSV has no null or boolean: empty for unknown, true/false as JSON writes them."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow(
            csv_cell(str(v).lower() if isinstance(v, bool) else v) for v in map(row.get, FIELDS)
        )


def _json(rows: list[Row], console: Console) -> None:
    """Readable UTF-8, but DEL and C1 controls (a one-byte CSI) escaped: json leaves them raw."""
    sys.stdout.write(to_json([{k: r[k] for k in FIELDS} for r in rows]) + "\n")


def _html(rows: list[Row], console: Console) -> None:
    """One self-contained page (journey.cli.html), for a browser or a CI artefact."""
    from journey.cli.html import page

    sys.stdout.write(page(rows, _counts(rows), _today()))
