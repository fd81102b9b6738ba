"""Typer builds each subcommand's click command when click first asks for it, not all up front.

`typer.main.get_command` turns every registered command into a click command before
any runs: it reads each function's signature and annotations, about 15 ms for our
commands, when a command line runs one of them. `journey_command` has Typer build the
root group alone (its callback: `--version`, `--debug`), then gives the group a mapping
of commands whose entries Typer builds, with the same function `get_command` uses
(`get_command_from_info`), the first time one is looked up. Click still parses and
dispatches everything: `journey --help` lists every command, so builds every one, and
a mistyped name is matched against the same names. If Typer's internals are not what
this module expects, the group is built as Typer builds it.
tests/cli/test_lazy_commands.py checks that both give the same commands and help.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

import typer
from typer.main import get_command

from journey.cli.coercion import lighten
from journey.cli.helptext import name_values, name_values_of

try:  # Typer's internals, as of 0.29; without them, every command is built up front
    from typer.main import get_command_from_info, get_command_name
except ImportError:  # pragma: no cover - a Typer that changed its internals
    get_command_from_info = None  # type: ignore[assignment]


class LazyCommands(MutableMapping[str, Any]):
    """Command names in the order they were registered; each command built on first use."""

    def __init__(self, builders: dict[str, Callable[[], Any]]) -> None:
        self._builders = builders
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            self._built[name] = self._builders[name]()  # KeyError: no such command
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._builders.setdefault(name, lambda: command)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._builders[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)

    def built(self) -> list[str]:
        """The names of the commands built so far (for the tests)."""
        return list(self._built)


def eager_command(app: typer.Typer) -> Any:
    """The click command as Typer builds it, every subcommand at once, with our conversions."""
    command = get_command(app)
    lighten(command)
    name_values(command)
    return command


def journey_command(app: typer.Typer) -> Any:
    """The click group for `app`, its subcommands built by Typer when first looked up."""
    if get_command_from_info is None or app.registered_groups:  # pragma: no cover
        return eager_command(app)
    root = copy.copy(app)  # the same settings and callback, no commands
    root.registered_commands = []
    group = get_command(root)
    if not hasattr(group, "commands"):  # pragma: no cover - a Typer that builds no group
        return eager_command(app)
    lighten(group)  # the group's own options; it has no commands yet
    help_names = group.context_settings.get("help_option_names", ["--help"])

    def builder(info: Any) -> Callable[[], Any]:
        def build() -> Any:
            command = get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
            lighten(command, help_names)
            name_values_of(command)
            return command

        return build

    names = (
        (info.name or get_command_name(info.callback.__name__), info)
        for info in app.registered_commands
        if info.callback is not None
    )
    group.commands = LazyCommands({name: builder(info) for name, info in names})
    return group
