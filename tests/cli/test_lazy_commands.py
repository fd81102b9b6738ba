"""The group whose commands are built on first use (journey.cli.lazy) is the group Typer builds.

Every command line still goes through Typer and click; only the moment each
subcommand is built changes. These tests run the same command lines through both
groups and compare what a user sees, and check that running one command builds
only that one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from journey.cli import main
from journey.cli.app import app
from journey.cli.lazy import LazyCommands, eager_command, journey_command

COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]

LINES = [
    [],
    ["--help"],
    ["-h"],
    ["--version"],
    ["shw", "scotland-route-3"],  # a mistyped command: the same suggestion
    ["show"],
    ["show", "scotland-route-3", "--format", "xml"],
    ["show", "scotland-route-3", "--format", "mermaid"],
    ["validate", "scotland-route-1"],
    ["report", "--sort", "nowhere"],
    *[[name.replace("_", "-"), "--help"] for name in COMMANDS],
]


def _through(
    build: Callable[[Any], Any], args: list[str], run: Any, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setattr(main, "_command", lambda: build(app))
    result: tuple[int, str, str] = run(*args)
    return result


@pytest.mark.parametrize("args", LINES, ids=lambda a: " ".join(a) or "(none)")
def test_both_groups_answer_every_command_line_alike(
    args: list[str], run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    eager = _through(eager_command, args, run, monkeypatch)
    assert _through(journey_command, args, run, monkeypatch) == eager
    assert eager[1] or eager[2]  # something was said


def test_the_commands_are_listed_in_the_same_order() -> None:
    lazy = journey_command(app)
    assert list(lazy.commands) == list(eager_command(app).commands)
    assert isinstance(lazy.commands, LazyCommands) and lazy.commands.built() == []


def test_running_one_command_builds_that_command_only(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = journey_command(app)
    monkeypatch.setattr(main, "_command", lambda: group)
    status, out, _ = run("show", "scotland-route-3", "--format", "mermaid")
    assert status == 0 and out
    assert group.commands.built() == ["show"]
