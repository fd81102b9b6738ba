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
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import msgspec

from journey.errors import UsageError
from journey.records.cache import Cache
from journey.records.rows import FIELDS, HEAD, Row, Rows, collect, find_records
from journey.text import CONTROL, csv_cell, md, plural, to_json

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from journey.cli.app import ReportFormat, SortKey, Status

__all__ = ["FIELDS", "run_report"]


def run_report(root: Path | None, *, status: Status | None, route: str | None, owner: str | None,
               sort: SortKey, fmt: ReportFormat, console: Callable[[], Console]) -> int:  # fmt: skip
    """Print the report; 1 when a damaged record is among the rows, else 0.

    `fmt`, `sort` and `status` are among the choices the command declares (Typer checks them).
    `console` makes the console the table is printed on (rich is not loaded for the others).
    """
    top = _top(root)
    # A damaged record is kept unless a field it still shows rules it out.
    wanted = [(k, v) for k, v in (("status", status), ("route", route), ("owner", owner)) if v]
    rows = collect(
        top,
        find_records(top),
        _today(),
        cache=Cache.open("report", top, Row | None),
        keep=(lambda r: all(r[k] in (None, v) for k, v in wanted)) if wanted else None,
        sort=sort,
    )
    if fmt == "table":
        from journey.cli.report_table import table

        table(rows, console())
    else:
        {"csv": _csv, "json": _json, "markdown": _markdown, "html": _html}[fmt](rows)
    if rows.damaged:
        print(f"{rows.damaged} of {plural(len(rows), 'record')} damaged", file=sys.stderr)
    return 1 if rows.damaged else 0


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
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError("SOURCE_DATE_EPOCH is past the year 9999; unset it") from None
    return dt.date.today()


COLUMNS = ("title", "reference", "route", "owner", "status", "stage", "done", "open",
           "deviations", "next deadline", "notices", "updated", "record")  # fmt: skip
RIGHT = {"done", "open", "deviations"}


def cells(row: Row) -> dict[str, str]:
    """A row as shown in the table and in Markdown, before it is made safe for either."""
    cells = dict.fromkeys(COLUMNS, "") | {k: row[k] or "" for k in HEAD[:5]}
    cells |= {"updated": (row["updated"] or "")[:10], "record": row["path"]}
    if row["error"]:
        cells["title"] = cells["title"] or "(unreadable)"
        where = re.sub(r"^(\d+):\d+: ", r"line \1: ", row["error"].removeprefix(row["path"] + ":"))
        return cells | {"status": "damaged", "stage": where}
    cells |= {"stage": row["stage"], "done": f"{row['percent']}%", "next deadline": deadline(row)}
    cells["notices"] = notices(row)
    return cells | {"open": str(row["required_outstanding"]), "deviations": str(row["deviations"])}


def deadline(row: Row) -> str:
    """The next deadline with its state (`2026-12-04 due soon`), and the missed ones beside
    it when it is not one of them: no output leaves a missed date looking like one to come."""
    if not row["next_deadline"]:
        return ""
    text = f"{row['next_deadline']} {row['next_deadline_state']}"
    missed = row["deadlines_missed"] or 0
    others = missed - (row["next_deadline_state"] == "missed")
    return text + (f" (+{others} missed)" if others else "")


def notices(row: Row) -> str:
    """The statutory notices in a few words (`1 overdue, 2 published`), overdue first;
    empty for a route that names no notices."""
    if row["notices_published"] is None:
        return ""
    counts = ((row["notices_overdue"], "overdue"), (row["notices_due"], "due"),
              (row["notices_published"], "published"))  # fmt: skip
    return ", ".join(f"{n} {state}" for n, state in counts if n) or "none due yet"


def counts(rows: Rows) -> str:
    """How many records, in progress, complete and damaged, in words."""
    bad = rows.damaged
    going = rows.statuses["in-progress"]
    text = f"{len(rows)} record{'' if len(rows) == 1 else 's'}: {going} in progress, "
    return text + f"{len(rows) - bad - going} complete" + (f", {bad} damaged" if bad else "")


def _markdown(rows: Rows) -> None:
    """A Markdown table, written a row at a time."""
    out = ["## Procurement pipeline", "", counts(rows) + "."]
    if rows:
        out += ["", "| " + " | ".join(c.capitalize() for c in COLUMNS) + " |"]
        out.append("|" + "|".join(" ---: " if c in RIGHT else " --- " for c in COLUMNS) + "|")
    sys.stdout.write("\n".join(out) + "\n")
    sys.stdout.writelines(
        "| " + " | ".join(md(c) for c in cells(r).values()) + " |\n" for r in rows
    )


def _csv(rows: Rows) -> None:
    """CSV has no null or boolean: empty for unknown, true/false as JSON writes them."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow(
            csv_cell(str(v).lower() if isinstance(v, bool) else v) for v in map(row.get, FIELDS)
        )


def _json(rows: Rows) -> None:
    """Readable UTF-8, but DEL and C1 controls (a one-byte CSI) escaped: json leaves them raw.

    Written a batch of rows at a time (the same text as one `to_json` of the list), so the
    output is never held whole.
    """
    out = sys.stdout
    if not rows:
        out.write("[]\n")
        return
    for start in range(0, len(rows), _BATCH):
        text = _rows_json([row.fields() for row in rows[start : start + _BATCH]])
        out.write(("[" if start == 0 else ",") + text[1:-2])  # within the list's brackets
    out.write("\n]\n")


_BATCH = 256  # rows encoded in one call


def _rows_json(rows: list[dict[str, Any]]) -> str:
    """`to_json` of a list of rows, by msgspec's encoder (a tenth of the time; the same text)."""
    try:
        text = msgspec.json.format(msgspec.json.encode(rows), indent=2).decode("utf-8")
    except (UnicodeEncodeError, msgspec.EncodeError):  # a lone surrogate: json's own way
        return to_json(rows)
    return CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _html(rows: Rows) -> None:
    """One self-contained page (journey.cli.html), for a browser or a CI artefact."""
    from journey.cli.html import pieces

    sys.stdout.writelines(pieces(cast(Any, rows), set(rows.statuses), counts(rows), _today()))
