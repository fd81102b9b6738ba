"""Run the CLI with the one error handler: known errors become a message and an exit status.

Every command line, `--version` and `routes` included, goes through Typer: one
dispatcher. What made Typer slow is the pydantic validator it builds to convert
each parameter; `journey.cli.coercion.lighten` gives it a light conversion
instead, through Typer's own runtime-param hook (see that module).
"""

from __future__ import annotations

import os
import sys
from typing import Any


def main(argv: list[str] | None = None) -> None:
    """Run `journey` with `argv` (default: the command line) and exit with its status."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or os.environ.get("JOURNEY_DEBUG") == "1"
    args = [a for a in args if a != "--debug"]
    sys.exit(run(args, debug=debug))


def run(args: list[str], *, debug: bool = False) -> int:
    """Run one command line and return its exit status; never raise for a user's error."""
    from journey.errors import JourneyError

    try:
        status = _command().main(args=args, prog_name="journey", standalone_mode=False)
    except JourneyError as exc:
        if debug:
            raise
        _say(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        if debug:
            raise
        _say("interrupted")
        return 130
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Exception as exc:  # click's own usage errors and aborts
        return _click_error(exc, debug)
    return status if isinstance(status, int) else 0


def _command() -> Any:
    """The click command Typer builds from `journey.cli.app`, with the light conversions."""
    from typer.main import get_command

    from journey.cli.app import app
    from journey.cli.coercion import lighten
    from journey.cli.helptext import name_values

    command = get_command(app)
    lighten(command)
    name_values(command)
    return command


def _click_error(exc: Exception, debug: bool) -> int:
    """Typer's own errors (bad options, --help) keep their messages and exit statuses."""
    import typer

    if isinstance(exc, typer.TyperException):
        getattr(exc, "show", lambda: _say(str(exc)))()
        return int(getattr(exc, "exit_code", 2))
    if isinstance(exc, typer.Abort):
        _say("interrupted")
        return 130
    if isinstance(exc, typer.Exit):
        return int(exc.exit_code)
    if isinstance(exc, BrokenPipeError):
        return 0
    if debug:
        raise exc
    _say(f"internal error: {type(exc).__name__}: {exc}\nrun again with --debug for details")
    return 3


def _say(message: str) -> None:
    from journey.text import clean

    print(f"journey: {clean(message)}" if "\n" not in message else clean(message), file=sys.stderr)
