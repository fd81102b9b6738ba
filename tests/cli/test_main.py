"""The one error handler: every way a command can end becomes a message and an exit status.

The command itself is replaced by one that fails in each way a real command can,
so each branch of the handler is held to the status the README documents.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from journey.cli import main
from journey.errors import UsageError


class Failing:
    """Stands in for the click command: `main()` raises what it is given."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def main(self, **_: object) -> int:
        raise self.exc


def ending(
    monkeypatch: pytest.MonkeyPatch, exc: BaseException, *, debug: bool = False
) -> Callable[[], int]:
    monkeypatch.setattr(main, "_command", lambda: Failing(exc))
    return lambda: main.run(["anything"], debug=debug)


@pytest.mark.parametrize(
    ("exc", "status", "said"),
    [
        (UsageError("no such record: r.md"), 2, "journey: no such record: r.md\n"),
        (KeyboardInterrupt(), 130, "journey: interrupted\n"),
        (SystemExit(4), 4, ""),
        (SystemExit(None), 0, ""),
        (SystemExit("bye"), 1, ""),
        (BrokenPipeError(), 141, ""),
        (
            OSError(28, "No space left on device"),
            2,
            "journey: cannot write output: No space left on device\n",
        ),
        (typer.Abort(), 130, "journey: interrupted\n"),
        (typer.Exit(5), 5, ""),
    ],
)
def test_each_ending_has_its_status_and_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    exc: BaseException,
    status: int,
    said: str,
) -> None:
    assert ending(monkeypatch, exc)() == status
    out, err = capsys.readouterr()
    assert (out, err) == ("", said)


def test_an_os_error_names_the_file_it_concerns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    exc = OSError(36, "File name too long", "records/" + "x" * 300 + ".md")
    assert ending(monkeypatch, exc)() == 2
    assert capsys.readouterr().err.startswith("journey: records/xxx")


def test_a_bug_is_an_internal_error_with_exit_3_and_a_hint_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ending(monkeypatch, ZeroDivisionError("division by zero"))() == 3
    err = capsys.readouterr().err
    assert err == (
        "internal error: ZeroDivisionError: division by zero\nrun again with --debug for details\n"
    )


@pytest.mark.parametrize(
    "exc", [UsageError("x"), KeyboardInterrupt(), OSError(5, "EIO"), ZeroDivisionError()]
)
def test_debug_lets_the_error_through_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    with pytest.raises(type(exc)):
        ending(monkeypatch, exc, debug=True)()


def test_output_that_cannot_be_flushed_is_a_message_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with (tmp_path / "out").open("w") as real:

        class Full(io.StringIO):
            """Standard output on a full disk: flushing fails."""

            def flush(self) -> None:
                raise OSError(28, "No space left on device")

            def fileno(self) -> int:
                return real.fileno()

        monkeypatch.setattr(sys, "stdout", Full())
        assert main._flushed(0) == 2
    assert capsys.readouterr().err == "journey: cannot write output: No space left on device\n"
