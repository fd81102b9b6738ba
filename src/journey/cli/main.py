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
    closed = _streams()
    sys.exit(closed if closed is not None else _flushed(run(args, debug=debug)))


def _streams() -> int | None:
    """Standard streams as every Unix tool treats them: a closed pipe ends the command quietly
    (SIGPIPE: 141 in a shell, never 1, which says "problems found"); text the terminal's
    encoding cannot show (Latin-1) is written as \\u escapes; a closed stdout is said once."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if sys.stdout is None:
        if sys.stderr is not None:
            _say("cannot write output: standard output is closed")
        return 2
    return None


def _flushed(status: int) -> int:
    """Write what is left for stdout; a full disk or device is a message, not a traceback."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to fail
        if status != 2:
            _say(f"cannot write output: {exc.strerror or exc}")
        return 2
    return status


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
    except BrokenPipeError:
        return 141  # where SIGPIPE is not the default (Windows, or in-process)
    except OSError as exc:  # output to a full device, a name the system refuses
        if debug:
            raise
        where = f"{exc.filename}: " if exc.filename else "cannot write output: "
        _say(where + (exc.strerror or str(exc)))
        return 2
    except Exception as exc:  # click's own usage errors and aborts
        return _click_error(exc, debug)
    return status if isinstance(status, int) else 0


def _command() -> Any:
    """The click command Typer builds from `journey.cli.app`, with the light conversions;
    each subcommand built when it is looked up (`journey.cli.lazy`)."""
    from journey.cli.app import app
    from journey.cli.lazy import journey_command

    return journey_command(app)


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
        return 141
    if debug:
        raise exc
    _say(f"internal error: {type(exc).__name__}: {exc}\nrun again with --debug for details")
    return 3


def _say(message: str) -> None:
    from journey.text import clean

    print(f"journey: {clean(message)}" if "\n" not in message else clean(message), file=sys.stderr)
