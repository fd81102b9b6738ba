"""Typer converts our command-line values without importing pydantic: one dispatcher, still fast.

Typer 0.29 converts every parameter of the command it runs through a
`RuntimeParam` that it builds on first use (`_TyperParameter.get_runtime_param`);
the one it builds wraps a pydantic `TypeAdapter`, and importing pydantic for it
costs about 60 ms, more than most commands take. `lighten` pre-sets, on each
parameter of the click command Typer built, a runtime param that converts the
kinds of value our commands declare (str, float, bool, Path, Enum and Literal
choices, and lists of these) with Typer's own pydantic-free helpers
(`coerce_cli_path`, `coerce_cli_choice`).

It only ever skips work: any value it does not convert plainly (a bad number, an
unknown choice, a type it does not know) goes to the runtime param Typer would
have built, so errors keep Typer's own messages; and if Typer's internals are not
what this module expects, `lighten` changes nothing and Typer runs as usual.
tests/cli/test_cli_coercion.py fails if the shim stops applying, and checks that it
converts as Typer does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal, cast, get_args, get_origin

try:  # Typer's internals, as of 0.29; without them, Typer's own path is used
    from typer._click import Command, Parameter
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path
    from typer.core import _TyperParameter
except ImportError:  # pragma: no cover - a Typer that changed its internals
    RuntimeParam = None  # type: ignore[assignment,misc]

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class _Refused(Exception):
    """The light conversion does not take this value: Typer's own conversion decides."""


def _leaf(annotation: Any, value: Any, info: Any, param: Any, ctx: Any) -> Any:
    """One value converted as Typer converts it, or `_Refused` when not plainly convertible."""
    if not isinstance(value, str):
        if annotation is bool and isinstance(value, bool):
            return value
        raise _Refused
    if annotation is str:
        return value
    if annotation is float and _NUMBER.fullmatch(value):
        return float(value)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(list(annotation), value, info, ctx)
    if get_origin(annotation) is Literal:
        return _choice(list(get_args(annotation)), value, info, ctx)
    if annotation is Path and value:
        return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
    raise _Refused


def _choice(choices: list[Any], value: str, info: Any, ctx: Any) -> Any:
    try:
        return coerce_cli_choice(
            value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx
        )
    except ValueError:
        raise _Refused from None


def light_kind(annotation: Any) -> bool:
    """Whether the light conversion knows `annotation` (a leaf kind, or a list of one)."""
    if get_origin(annotation) is list:
        return light_kind(get_args(annotation)[0])
    if annotation in (str, float, bool, Path) or get_origin(annotation) is Literal:
        return True
    return isinstance(annotation, type) and issubclass(annotation, Enum)


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class LightParam(RuntimeParam):
        """Convert plainly where we can; hand anything else to the param Typer would build."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            annotation: Any = self.annotation
            try:
                if get_origin(annotation) is list:
                    item = get_args(annotation)[0]
                    if not isinstance(value, (list, tuple)):
                        raise _Refused
                    return [_leaf(item, v, self.parameter_info, param, ctx) for v in value]
                return _leaf(annotation, value, self.parameter_info, param, ctx)
            except _Refused:
                typer_own = build_runtime_param(param.type_descriptor)
                return typer_own._coerce_value(value, param=param, ctx=ctx)


def _lightenable(param: Parameter) -> bool:
    """A Typer parameter, not yet converted, of a known kind, with no parser or number bounds."""
    if RuntimeParam is None or not isinstance(param, _TyperParameter):
        return False
    desc = getattr(param, "type_descriptor", None)
    info = getattr(desc, "parameter_info", None)
    if desc is None or info is None or getattr(param, "_runtime_param", "absent") is not None:
        return False
    plain = info.parser is None and info.min is None and info.max is None
    return plain and desc.file_annotation is None and light_kind(desc.annotation)


def lighten(command: Command, help_names: Sequence[str] = ("--help",)) -> int:
    """Give every parameter of `command` and its sub-commands the light conversion; how many.

    The `--help` option is made by click on first use from the context's option
    names; it is made here, from the same settings, so that it is converted lightly too.
    """
    names = command.context_settings.get("help_option_names", help_names)
    params = list(command.params)
    if (
        shown := command.get_help_option(cast(Any, SimpleNamespace(help_option_names=names)))
    ) is not None:
        params.append(shown)
    count = 0
    for param in params:
        if _lightenable(param):
            desc = param.type_descriptor  # type: ignore[attr-defined]
            light = LightParam(parameter_info=desc.parameter_info, annotation=desc.annotation)
            param._runtime_param = light  # type: ignore[attr-defined]
            count += 1
    for sub in getattr(command, "commands", {}).values():
        count += lighten(sub, names)
    return count
