"""What `journey routes` and `journey validate` show: rows of routes, and problems."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journey.errors import InvalidFile, JourneyError
from journey.routes.catalogue import Entry, discover, find, shown_path
from journey.routes.loader import load_route
from journey.text import clean, to_json

if TYPE_CHECKING:
    from rich.table import Table


def print_routes(as_json: bool) -> int:
    """`journey routes`: the routes found, as a table or JSON; 1 when any does not load.

    Here rather than in `journey.cli.app` so that `journey.cli.main` can run it without
    importing Typer.
    """
    entries = discover()
    if as_json:
        print(to_json(route_rows(entries)))
    else:
        from journey.cli.console import console

        console().print(routes_table(entries))
        problems = broken(entries)
        sys.stdout.write(("\nProblems:\n" + problems) if problems else "")
    return 1 if any(e.error for e in entries) else 0


def route_rows(entries: list[Entry]) -> list[dict[str, Any]]:
    """One plain dict per route, for `--json`."""
    rows: list[dict[str, Any]] = []
    for e in entries:
        row: dict[str, Any] = {"id": e.id, "origin": e.origin, "path": shown_path(e.path)}
        if e.loaded:
            r = e.loaded.route
            row |= {
                "title": r.title,
                "jurisdiction": r.jurisdiction,
                "version": r.version,
                "stages": len(r.stages),
                "checkpoints": len(r.checkpoints()),
                "digest": e.loaded.digest,
            }
        else:
            row["error"] = str(e.error)
        rows.append(row)
    return rows


def routes_table(entries: list[Entry]) -> Table:
    """The routes as a table; a broken file is a row with its first problem."""
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("jurisdiction")
    table.add_column("version", no_wrap=True)
    table.add_column("stages", justify="right", no_wrap=True)
    table.add_column("checks", justify="right", no_wrap=True)
    for e in entries:
        if e.loaded:
            r = e.loaded.route
            table.add_row(
                Text(clean(r.id)),
                Text(clean(r.title)),
                Text(clean(r.jurisdiction)),
                Text(clean(r.version)),
                str(len(r.stages)),
                str(len(r.checkpoints())),
            )
        else:
            assert e.error is not None
            first = str(e.error).splitlines()[0]
            table.add_row(
                Text(clean(e.id), style="red"), Text("invalid: " + clean(first), style="red")
            )
    if not entries:
        table.add_row("(none)", "no routes found")
    return table


def broken(entries: list[Entry]) -> str:
    """Every problem of every broken route, one per line, for under the table."""
    return "".join(clean(str(p)) + "\n" for e in entries if e.error for p in e.error.problems)


def validate_all(names: list[str]) -> tuple[str, bool]:
    """Validate the named routes (or all found) and return the report and whether all passed."""
    lines: list[str] = []
    ok = True
    targets = names or [str(e.path) for e in discover()]
    for name in targets:
        try:
            loaded = (
                find(name)
                if not Path(name).is_file()
                else load_route(Path(name), shown_path(Path(name)))
            )
        except InvalidFile as exc:
            ok = False
            lines.extend(str(p) for p in exc.problems)
            continue
        except JourneyError as exc:
            ok = False
            lines.append(f"{name}: {exc}")
            continue
        count = len(loaded.route.checkpoints())
        lines.append(f"ok: {shown_path(loaded.path)} ({loaded.route.id}, {count} checkpoints)")
    return "".join(clean(line) + "\n" for line in lines), ok
