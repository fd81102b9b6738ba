"""What `journey routes` and `journey validate` show: rows of routes, and problems."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journey.errors import InvalidFile, JourneyError
from journey.routes.catalogue import Entry, discover, find, shown_path
from journey.routes.loader import LoadedRoute, load_route
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
        from journey.cli.console import console, piped, print_table

        con = console()
        whole = max((len(e.loaded.route.jurisdiction) for e in entries if e.loaded), default=12)
        # The jurisdiction whole where there is room (and in a file); else it wraps at 12
        # and the title keeps the room; narrower still, a list.
        fits = [
            w for w in (whole, min(whole, 12)) if _title_room(entries, con.width, w) >= MIN_TITLE
        ]
        if piped(con) or fits:
            print_table(con, routes_table(entries, whole if piped(con) else fits[0]))
        else:  # a table squeezed narrower than its cells reads one word a line
            con.print(routes_list(entries, con.width))
        problems = broken(entries)
        sys.stdout.write(("\nProblems:\n" + problems) if problems else "")
        stale = review_warnings(entries, dt.date.today())
        sys.stdout.write(("\nReview due:\n" + stale) if stale else "")
    return 1 if any(e.error for e in entries) else 0


def route_rows(entries: list[Entry]) -> list[dict[str, Any]]:
    """One plain dict per route, for `--json`."""
    from journey.routes.authoring import last_checked, review_warning

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
                "last_checked": _iso(last_checked(r)),
                "review_warning": review_warning(r, dt.date.today()),
            }
        else:
            row["error"] = str(e.error)
        rows.append(row)
    return rows


MIN_TITLE = 30  # narrower than this, a title column reads one word a line: list the routes


def _title_room(entries: list[Entry], width: int, jurisdiction: int) -> int:
    """The cells left for the title column once the others have what they need (jurisdiction
    wrapped at `jurisdiction` cells), with two spaces between columns."""
    ids = max((len(e.id) for e in entries), default=2)
    others = len("version") + len("stages") + len("checks")
    return width - (ids + max(jurisdiction, len("jurisdiction")) + others + 2 * 5)


def routes_list(entries: list[Entry], width: int) -> Any:
    """The routes one under another, for a narrow terminal: the id, then the title and facts
    indented on lines of their own (wrapped by words), so nothing is cut to `P…`."""
    import textwrap

    from rich.console import Group
    from rich.text import Text

    def indented(text: str, style: str = "") -> list[Text]:
        lines = textwrap.wrap(text, max(width - 2, 20), break_long_words=False)
        return [Text("  " + line, style=style) for line in lines]

    out: list[Text] = []
    for e in entries:
        out.append(Text(clean(e.id), style="bold"))
        if e.loaded is None:
            out += indented("invalid: " + clean(str(e.error).splitlines()[0]), "red")
        else:
            r = e.loaded.route
            out += indented(clean(r.title))
            facts = f"{clean(r.jurisdiction)} · version {clean(r.version)} · "
            out += indented(
                facts + f"{len(r.stages)} stages · {len(r.checkpoints())} checks", "dim"
            )
        out.append(Text(""))
    return Group(*out) if out else Text("no routes found")


def routes_table(entries: list[Entry], jurisdiction: int = 12) -> Table:
    """The routes as a table (jurisdictions wrapped at `jurisdiction` cells); a broken file
    is a row with its first problem."""
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("jurisdiction", max_width=max(jurisdiction, len("jurisdiction")))
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


def review_warnings(entries: list[Entry], today: dt.date) -> str:
    """A line for each route last checked against its sources more than a year before `today`."""
    from journey.routes.authoring import review_warning

    lines = (review_warning(e.loaded.route, today) for e in entries if e.loaded)
    return "".join(f"  {clean(line)}\n" for line in lines if line)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def broken(entries: list[Entry]) -> str:
    """Every problem of every broken route, one per line, for under the table."""
    return "".join(clean(str(p)) + "\n" for e in entries if e.error for p in e.error.problems)


def validate_all(names: list[str], *, notes: bool = False) -> tuple[str, bool]:
    """Validate the named routes (or all found) and return the report and whether all passed.

    With `notes`, each valid route's author notes follow its line, for reviewers.
    """
    lines: list[str] = []
    ok = True
    found = {} if names else {str(e.path): e for e in discover()}  # each loaded once
    for name in names or list(found):
        try:
            loaded = _loaded(found[name]) if name in found else _named(name)
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
        if notes:
            from journey.routes.authoring import author_notes

            lines += [
                f"  note, {n.where}: {' '.join(n.text.split())}" for n in author_notes(loaded.route)
            ]
    return "".join(clean(line) + "\n" for line in lines), ok


def _named(name: str) -> LoadedRoute:
    """A route named on the command line: a file, else an id."""
    path = Path(name)
    return load_route(path, shown_path(path)) if path.is_file() else find(name)


def _loaded(entry: Entry) -> LoadedRoute:
    """A discovered route, or the problems that stopped it loading."""
    if entry.error is not None:
        raise entry.error
    assert entry.loaded is not None
    return entry.loaded
