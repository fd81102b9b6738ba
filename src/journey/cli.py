"""The `journey` command line: a thin shell over the engine.

Each command parses its options, calls one engine function and renders the
result. Errors are raised as `JourneyError` and turned into messages and exit
statuses in one place (`journey.main`). Heavy modules are imported inside the
commands that need them, so that `journey --help` starts fast.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from journey import __version__

app = typer.Typer(
    name="journey",
    help="Walk a public procurement route step by step, and keep a checklist record of it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"journey {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Walk a public procurement route step by step, and keep a checklist record of it.

    Add --debug to any command to see a traceback for an error.
    """


def _console():  # type: ignore[no-untyped-def]
    from journey.console import console

    return console()


@app.command()
def routes(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """List the routes: built-in, ./journeys, and the folders in JOURNEY_PATH.

    Example: journey routes --json
    """
    from journey.catalog import discover
    from journey.listing import route_rows, routes_table

    entries = discover()
    if as_json:
        print(json.dumps(route_rows(entries), indent=2, ensure_ascii=False))
    else:
        _console().print(routes_table(entries))
    if any(e.error for e in entries):
        raise typer.Exit(1)


@app.command()
def show(
    route: Annotated[str, typer.Argument(help="A route id or a path to a route file.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="terminal, markdown or mermaid.")
    ] = "terminal",
) -> None:
    """Show a route as a tube map, or as a Markdown handout or Mermaid diagram.

    Example: journey show scotland-route-1 --format markdown > handout.md
    """
    from journey.catalog import find

    loaded = find(route)
    if fmt == "markdown":
        from journey.handout import markdown

        sys.stdout.write(markdown(loaded.route))
    elif fmt == "mermaid":
        from journey.handout import mermaid

        sys.stdout.write(mermaid(loaded.route))
    elif fmt == "terminal":
        from journey.outline import tube_map

        _console().print(tube_map(loaded.route))
    else:
        _usage(f"unknown format '{fmt}'; use terminal, markdown or mermaid")


@app.command()
def validate(
    files: Annotated[
        list[str] | None,
        typer.Argument(help="Route files or ids; none means every route found."),
    ] = None,
) -> None:
    """Check route files and report every problem as FILE:LINE:COLUMN: key: message.

    Exit status 0 when all are valid, 1 when any is not.

    Example: journey validate journeys/my-route.yaml
    """
    from journey.listing import validate_all

    report, ok = validate_all(files or [])
    sys.stdout.write(report)
    if not ok:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of route files, for editors and other tools.

    Example: journey schema > route.schema.json
    """
    from journey.schema import dumps, route_schema

    sys.stdout.write(dumps(route_schema()))


def _usage(message: str) -> None:
    from journey.errors import UsageError

    raise UsageError(message)
