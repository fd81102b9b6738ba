"""Help that reads as words: `RECORD...` and `--title TITLE`, not Typer's `<list[Path]>`.

Typer 0.29 prints an argument's Python type beside it and wraps required
arguments in braces (`{records}... <list[Path]>`); options get `<str>`. Here
every value is named in capitals instead, the convention of man pages. If
Typer's internals change, `name_values` leaves its help as it was.
"""

from __future__ import annotations

from typing import Any

try:
    from typer.core import TyperArgument
except ImportError:  # pragma: no cover - a Typer without it prints its own help
    TyperArgument = None  # type: ignore[assignment,misc]

# Names a buyer reads better than the parameter's name.
_WORDS = {"records": "RECORD", "files": "FILE", "root": "FOLDER", "fmt": "FORMAT"}


def name_values(command: Any) -> None:
    """Name the values of every subcommand of `command` (see `name_values_of`)."""
    for sub in getattr(command, "commands", {}).values():
        name_values_of(sub)


def name_values_of(sub: Any) -> None:
    """Give every parameter of a subcommand that takes a value a metavar in capitals;
    flags keep none (they take no value)."""
    for param in sub.params:
        if getattr(param, "is_flag", False) or not param.name:
            continue
        choices = getattr(getattr(param, "type_descriptor", None), "is_choice", False)
        if param.metavar is None and not choices:  # choices show as <a|b|c>
            param.metavar = _WORDS.get(param.name, param.name.upper())
        if TyperArgument is not None and type(param) is TyperArgument:
            param.__class__ = _Argument


if TyperArgument is not None:

    class _Argument(TyperArgument):
        """An argument shown as `RECORD...` in usage and help, with no Python type."""

        def _usage_display_name(self) -> str:
            dots = "..." if self.nargs != 1 else ""
            return f"{self.metavar}{dots}" if self.required else f"[{self.metavar}]{dots}"

        def _rich_display_name(self) -> str:
            return f"{self.metavar}{'...' if self.nargs != 1 else ''}"

        def display_type_rich(self, ctx: Any) -> str:
            return ""
