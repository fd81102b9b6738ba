"""Mistakes in a command line get Typer's usage message and exit status 2, never a traceback.

The words come from Typer (not compared here); what a user and a script rely on is
checked: the status, that the bad part is named, and that nothing looks like a crash.
"""

from __future__ import annotations

import pytest

from conftest import Run


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("routes", "--bogus"), "--bogus"),
        (("bogus",), "bogus"),
        (("show",), "route"),
        (("verify", "--no-such-flag", "x.md"), "--no-such-flag"),
        (("report", "--sort"), "--sort"),
    ],
)
def test_a_usage_error_exits_2_naming_the_problem(
    run: Run, args: tuple[str, ...], named: str
) -> None:
    code, out, err = run(*args)
    assert code == 2, out + err
    assert named.lower() in err.lower()
    for crash in ("Traceback", "internal error"):
        assert crash not in out + err


def test_no_command_prints_the_help_and_lists_every_command(run: Run) -> None:
    code, out, err = run()
    assert code in (0, 2), out + err
    for command in ("choose", "start", "resume", "status", "verify", "report", "validate"):
        assert command in out + err
