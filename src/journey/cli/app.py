"""The `journey` command line: a thin shell over the engine.

Each command parses its options, calls one engine function and renders the
result. Errors are raised as `JourneyError` and turned into messages and exit
statuses in one place (`journey.cli.main`). Heavy modules are imported inside the
commands that need them, so that `journey --help` starts fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    from rich.console import Console

from journey import __version__
from journey.text import clean, plural, to_json

# Options with fixed choices: Typer checks them and `--help` lists them.
ShowFormat = Literal["terminal", "markdown", "mermaid"]
ReportFormat = Literal["table", "csv", "json", "markdown", "html"]
SortKey = Literal["updated", "deadline", "title", "owner", "route", "status", "done"]
Status = Literal["in-progress", "complete"]

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
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="Show a traceback for an unexpected error (works after any command)."
        ),
    ] = False,
) -> None:
    """Walk a public procurement route step by step, and keep a checklist record of it.

    Add --debug to any command to see a traceback for an error.
    """


def _console() -> Console:
    from journey.cli.console import console

    return console()


_RECORD = typer.Option(
    "--record",
    "-r",
    metavar="FILE",
    help="Where to keep the record (default: records/DATE-TITLE.md).",
)
_ANSWERS = typer.Option(
    "--answers",
    "-a",
    metavar="FILE",
    help="A YAML file of answers given in advance (checkpoint id: value).",
)
_NO_INPUT = typer.Option(
    "--no-input", help="Never prompt; list every missing mandatory answer and exit 1."
)
_BY = typer.Option(
    "--by",
    metavar="NAME",
    help="Who is answering (default: JOURNEY_USER, git user.name, or login).",
)


@app.command()
def choose(
    what: Annotated[
        str | None,
        typer.Option(
            help="goods, services, goods-and-services, social-and-other-specific-services or works."
        ),
    ] = None,
    body: Annotated[str | None, typer.Option(help="central-government or sub-central.")] = None,
    annual_value: Annotated[
        str | None, typer.Option(help="Estimated value per year in £, or 'unknown'.")
    ] = None,
    years: Annotated[
        str | None, typer.Option(help="Initial contract period in years (default 1).")
    ] = None,
    extensions: Annotated[
        str | None, typer.Option(help="Possible extensions in years (default 0).")
    ] = None,
    vat: Annotated[
        str | None, typer.Option(help="Does the value include VAT: included or excluded.")
    ] = None,
    vat_treatment: Annotated[
        str | None,
        typer.Option(
            help="standard (20%), reduced (5%), zero-rated, exempt or outside-scope (default standard)."
        ),
    ] = None,
    framework: Annotated[
        bool | None,
        typer.Option(
            "--framework/--no-framework", help="An existing contract or framework covers the need."
        ),
    ] = None,
    business_critical: Annotated[
        bool | None,
        typer.Option("--business-critical/--not-business-critical", help="Route 1 risk question."),
    ] = None,
    significant_risk: Annotated[
        bool | None,
        typer.Option("--significant-risk/--no-significant-risk", help="Route 1 risk question."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="Date the procurement starts, YYYY-MM-DD (default today)."),
    ] = None,
    start: Annotated[
        bool | None, typer.Option("--start/--no-start", help="Start the recommended route at once.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the advice as JSON.")] = False,
    record: Annotated[Path | None, _RECORD] = None,
    title: Annotated[
        str | None, typer.Option("--title", "-t", help="Title of the record, if you start.")
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Never prompt; exit 2 naming the options still needed."),
    ] = False,
    nation: Annotated[
        str | None,
        typer.Option(
            help="scotland, england, wales or northern-ireland: picks the regime (default: "
            "journey.toml's nation; asked when the finder asks the rest; else scotland)."
        ),
    ] = None,
    devolved_welsh: Annotated[
        bool | None,
        typer.Option(
            "--devolved-welsh/--not-devolved-welsh", help="Wales: a devolved Welsh authority."
        ),
    ] = None,
    transferred_ni: Annotated[
        bool | None,
        typer.Option(
            "--transferred-ni/--not-transferred-ni",
            help="Northern Ireland: a transferred Northern Ireland authority.",
        ),
    ] = None,
) -> None:
    """Find the right route from what is bought, its value and its risk, and say why.

    Scotland follows the 2014 Act and the 2015 Regulations; England, Wales and Northern
    Ireland the Procurement Act 2023 (thresholds including VAT).

    Example: journey choose --what services --body sub-central --annual-value 60000 --years 3 --vat excluded --no-framework
    """
    from journey.cli import choose_pa2023 as pa
    from journey.cli.choose import Asked

    asked = Asked(as_json, no_input, start, record, title, _console())
    where = pa.resolve_nation(nation, interactive=asked.interactive, asking=what is None)
    if where != "scotland":
        given = {"what": what, "body": body, "annual_value": annual_value, "years": years,
                 "extensions": extensions, "vat": vat, "vat_treatment": vat_treatment,
                 "framework": framework, "devolved_welsh": devolved_welsh,
                 "transferred_ni": transferred_ni, "on": date}  # fmt: skip
        pa.choose_pa(pa.pa_flags(where, given), asked)
        return
    if nation == "scotland" and not as_json:  # asked for by name: say why this regime
        asked.console.print(pa.SCOTLAND)
    from journey.cli.choose import Flags
    from journey.cli.choose import choose as run_finder

    flags = Flags(
        what=what,
        body=body,
        annual_value=annual_value,
        years=years,
        extensions=extensions,
        vat=vat,
        framework=framework,
        business_critical=business_critical,
        significant_risk=significant_risk,
        on=date,
        vat_treatment=vat_treatment,
    )
    run_finder(flags, asked)


@app.command()
def routes(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """List the routes: built-in, ./journeys, and the folders in JOURNEY_PATH.

    Example: journey routes --json
    """
    from journey.cli.routes import print_routes

    code = print_routes(as_json=as_json)
    if code:
        raise typer.Exit(code)


@app.command()
def show(
    route: Annotated[
        str, typer.Argument(metavar="ROUTE", help="A route id or a path to a route file.")
    ],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="How to show it.")] = "terminal",
    notes: Annotated[
        bool,
        typer.Option("--notes", help="Markdown only: include the authors' notes, for reviewers."),
    ] = False,
) -> None:
    """Show a route as a tube map, or as a Markdown handout or Mermaid diagram.

    Example: journey show scotland-route-1 --format markdown > handout.md
    """
    from journey.routes.catalogue import find

    if notes and fmt != "markdown":
        from journey.errors import UsageError

        raise UsageError("--notes applies to --format markdown only")
    loaded = find(route)
    if fmt == "markdown":
        from journey.routes.handout import markdown

        sys.stdout.write(markdown(loaded.route, notes=notes))
    elif fmt == "mermaid":
        from journey.routes.handout import mermaid

        sys.stdout.write(mermaid(loaded.route))
    else:
        from journey.cli.tubemap import tube_map

        _console().print(tube_map(loaded.route))


@app.command()
def start(
    route: Annotated[
        str, typer.Argument(metavar="ROUTE", help="A route id or a path to a route file.")
    ],
    record: Annotated[Path | None, _RECORD] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", "-t", metavar="TEXT", help="Title of this procurement."),
    ] = None,
    reference: Annotated[
        str, typer.Option("--reference", metavar="TEXT", help="Your reference for it.")
    ] = "",
    by: Annotated[str | None, _BY] = None,
    answers: Annotated[Path | None, _ANSWERS] = None,
    no_input: Annotated[bool, _NO_INPUT] = False,
) -> None:
    """Walk a route step by step; the record is saved after every answer.

    Example: journey start scotland-route-2 --title "Catering 2027"
    """
    from journey.cli import start as walking

    opts = walking.Options(by=by, answers=answers, no_input=no_input)
    walking.start(route, record, title, reference, opts, _console)


@app.command()
def resume(
    record: Annotated[Path, typer.Argument(metavar="RECORD", help="The record file to carry on.")],
    by: Annotated[str | None, _BY] = None,
    answers: Annotated[Path | None, _ANSWERS] = None,
    no_input: Annotated[bool, _NO_INPUT] = False,
    accept_edits: Annotated[
        str | None,
        typer.Option(
            "--accept-edits",
            metavar="REASON",
            help="Keep edits made outside journey, recording who, when, why and the digest replaced.",
        ),
    ] = None,
) -> None:
    """Carry on a walk where it stopped, asking only what is still open.

    A record that fails `journey verify` is refused, unless its edits are kept on purpose
    with --accept-edits REASON (shown in the record like a deviation).

    Example: journey resume records/2026-11-23-catering-2027.md
    """
    from journey.cli import start as walking

    opts = walking.Options(by=by, answers=answers, no_input=no_input, accept_edits=accept_edits)
    walking.resume(record, opts, _console())


@app.command()
def status(
    record: Annotated[Path, typer.Argument(metavar="RECORD", help="The record file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """Show where a record stands: stage, answered, outstanding, deviations, deadlines.

    Example: journey status records/2026-11-23-catering-2027.md --json
    """
    from journey.records.notices import notice_rows
    from journey.records.opening import open_record, walk_of
    from journey.records.summary import summary
    from journey.records.verify import damaged

    opened = open_record(record)
    problems = damaged(opened)
    walk = walk_of(opened)
    info = summary(walk, [str(p) for p in problems])
    notices = notice_rows(walk)  # statutory notices: published, due, overdue, to publish
    if as_json:
        print(to_json({**info.as_dict(), "notices": notices}))
    else:
        from journey.cli.views import notices_view, status_view

        for problem in problems:
            print(clean(f"damaged: {problem}"), file=sys.stderr)
        _console().print(status_view(info.as_dict()))
        if notices:
            _console().print(notices_view(notices))
    if problems:
        raise typer.Exit(1)


@app.command()
def verify(
    records: Annotated[
        list[Path],
        typer.Argument(
            metavar="RECORD",
            readable=False,  # an unreadable record is one problem line, not the end of the run
            help="Record files, or folders to search for records.",
        ),
    ],
    history: Annotated[
        bool,
        typer.Option(
            "--history", help="Also check every committed version in git: no unexplained change."
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print each record's problems as JSON.")
    ] = False,
) -> None:
    """Check records are intact and consistent with their routes; exit 1 on any problem.

    Folders are searched as `journey report` searches them, and the records are
    checked on the same worker processes, so a whole repository is one command.

    Example: journey verify records/
    """
    from journey.records.rows import verify_all

    bad = count = 0
    found: list[dict[str, object]] = []
    for name, problems in verify_all(records):
        if history:
            from journey.records.history import check_history

            problems += [str(p) for p in check_history(Path(name))]
        bad, count = bad + bool(problems), count + 1
        if as_json:
            found.append({"record": name, "ok": not problems, "problems": problems})
            continue
        for problem in problems:
            print(clean(problem))
        if not problems:
            print(f"ok: {clean(name)}")
    if as_json:
        print(to_json(found))
    if bad:
        print(f"{bad} of {plural(count, 'record')} with problems", file=sys.stderr)
        missing = any(not os.path.lexists(p) for p in records)  # a name too long: missing too
        raise typer.Exit(2 if missing else 1)  # 2: no such file


@app.command()
def report(
    root: Annotated[
        Path | None,
        typer.Argument(metavar="FOLDER", help="Folder to search (default: this git repository)."),
    ] = None,
    status: Annotated[
        Status | None, typer.Option("--status", help="Only records with this status.")
    ] = None,
    route: Annotated[
        str | None, typer.Option("--route", metavar="ID", help="Only records of this route id.")
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", metavar="NAME", help="Only records of this owner.")
    ] = None,
    sort: Annotated[
        SortKey, typer.Option("--sort", help="Sort by (updated: newest first).")
    ] = "updated",
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="How to print it.")] = "table",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (the same as --format json).")
    ] = False,
) -> None:
    """The pipeline across a repository of records: one row per procurement.

    Example: journey report --status in-progress --format markdown
    """
    from journey.cli.report import run_report

    code = run_report(
        root,
        status=status,
        route=route,
        owner=owner,
        sort=sort,
        fmt="json" if as_json else fmt,
        console=_console,
    )
    if code:
        raise typer.Exit(code)


@app.command()
def export(
    records: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Record files or folders (default: the records folder of journey.toml)."
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="ocds (an OCDS 1.1 release package).")
    ] = "ocds",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the package here (default: print it)."),
    ] = None,
    include_people: Annotated[
        bool, typer.Option("--include-people", help="Also publish the owner's and signers' names.")
    ] = False,
    uri: Annotated[
        str | None,
        typer.Option("--uri", help="Where the package will be published (its OCDS uri)."),
    ] = None,
    settings_file: Annotated[
        Path | None,
        typer.Option("--settings", help="The settings file (default: the nearest journey.toml)."),
    ] = None,
) -> None:
    """Publish records as open data: an OCDS release package, one release per record.

    A damaged record is refused with its problem; the others are still exported (exit 1).

    Example: journey export records/ --format ocds --output ocds/releases.json
    """
    from journey.cli.export import run_export

    code = run_export(
        records or [], fmt=fmt, output=output, people=include_people, uri=uri,
        settings_file=settings_file,
    )  # fmt: skip
    if code:
        raise typer.Exit(code)


@app.command()
def init(
    name: Annotated[str | None, typer.Option("--name", help="Organisation name.")] = None,
    scheme: Annotated[
        str | None, typer.Option("--scheme", help="Identifier scheme (org-id.guide), e.g. GB-COH.")
    ] = None,
    org_id: Annotated[str | None, typer.Option("--id", help="Identifier in that scheme.")] = None,
    prefix: Annotated[
        str | None, typer.Option("--prefix", help="OCDS ocid prefix, e.g. ocds-abc123.")
    ] = None,
    currency: Annotated[str | None, typer.Option("--currency", help="Default GBP.")] = None,
    nation: Annotated[
        str | None, typer.Option("--nation", help="scotland, england, wales or northern-ireland.")
    ] = None,
    records_dir: Annotated[
        str | None, typer.Option("--records", help="Records folder (default records).")
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing journey.toml.")
    ] = False,
) -> None:
    """Write this records repository's settings (journey.toml), asking for each value.

    Example: journey init --name "Example Ltd" --scheme GB-COH --id 01234567 --prefix ocds-abc123 --no-input
    """
    from journey.cli.init import run_init

    given = {"name": name, "scheme": scheme, "org_id": org_id, "prefix": prefix,
             "currency": currency, "nation": nation, "records": records_dir}  # fmt: skip
    path = run_init(given, folder=Path.cwd(), no_input=no_input, force=force)
    print(f"wrote {clean(str(path))}")


@app.command()
def upgrade(
    records: Annotated[
        list[Path], typer.Argument(metavar="RECORD", help="Record files to rewrite.")
    ],
    by: Annotated[str | None, _BY] = None,
) -> None:
    """Rewrite older records in the current record format, with a history entry saying so.

    A record that fails `journey verify` is left alone (exit 1; 2 for a file that is not there).

    Example: journey upgrade records/2025-*.md
    """
    from journey.cli.start import who
    from journey.records.upgrade import upgrade as rewrite

    bad = 0
    for path in records:
        said, ok = rewrite(path, who(by))
        bad += not ok
        print(clean(said), file=sys.stdout if ok else sys.stderr)
    if bad:
        missing = any(not os.path.lexists(p) for p in records)
        raise typer.Exit(2 if missing else 1)  # 2: no such file, as verify and status say


@app.command()
def demo(
    route: Annotated[
        str, typer.Argument(metavar="ROUTE", help="A route id or a path to a route file.")
    ],
    answers: Annotated[
        Path,
        typer.Option(
            "--answers", "-a", metavar="FILE", help="The answers to play, as for `start --answers`."
        ),
    ],
    pace: Annotated[
        float,
        typer.Option(
            "--pace", metavar="SECONDS", help="Seconds per typed character; 0 for no pause."
        ),
    ] = 0.04,
    record: Annotated[
        Path | None,
        typer.Option(
            "--record", metavar="FILE", help="Also write the record here (default: write nothing)."
        ),
    ] = None,
) -> None:
    """Replay a walk on screen from an answers file, for trainers; writes nothing by default.

    Example: journey demo scotland-route-1 --answers workshop.yaml --pace 0.05
    """
    from journey.cli.demo import replay

    replay(route, answers, pace=pace, record=record, console=_console())


@app.command()
def validate(
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="ROUTE", help="Route files or ids; none means every route found."),
    ] = None,
    notes: Annotated[
        bool, typer.Option("--notes", help="Also list each route's author notes, for reviewers.")
    ] = False,
) -> None:
    """Check route files and report every problem as FILE:LINE:COLUMN: key: message.

    Exit status 0 when all are valid, 1 when any is not.

    Example: journey validate journeys/my-route.yaml
    """
    from journey.cli.routes import validate_all

    report, ok = validate_all(files or [], notes=notes)
    sys.stdout.write(report)
    if not ok:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of route files, for editors and other tools.

    Example: journey schema > route.schema.json
    """
    from journey.routes.schema import dumps, route_schema

    sys.stdout.write(dumps(route_schema()))
