"""The light conversion of command-line values (journey.cli.coercion) applies, and agrees with Typer's.

Typer would build a pydantic validator for every parameter; the shim pre-sets a
light one through Typer's own hook. If a new Typer changes that hook, or a new
command declares a kind the shim does not know, the first tests fail loudly; the
last ones check value by value that the shim converts exactly as Typer does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param
from typer.main import get_command

from journey.cli.app import app
from journey.cli.coercion import LightParam, light_kind, lighten

SAMPLES: dict[Any, list[Any]] = {
    str: ["", "x", "Ann Lee", "--", "-5", "ünïcödé", "a b"],
    float: ["0", "0.04", "-3", "12", "1e3", "abc", "", " 1", "inf", "1_0"],
    Path: ["records/a.md", ".", "/", "a b/c.md", "~", ""],
    bool: [True, False],
    Literal["table", "csv"]: ["table", "csv", "TABLE", "xml", ""],
}


def _params() -> list[Any]:
    command = get_command(app)
    lighten(command)
    found = []
    for sub in [command, *command.commands.values()]:  # type: ignore[attr-defined]
        found += sub.params
        found.append(sub._help_option)
    return found


def test_every_parameter_of_every_command_gets_the_light_conversion() -> None:
    params = _params()
    heavy = [p.name for p in params if not isinstance(p._runtime_param, LightParam)]
    assert heavy == [], "parameters Typer would convert through pydantic"
    assert len(params) > 40


def test_every_declared_kind_is_one_the_light_conversion_knows() -> None:
    kinds = {p.type_descriptor.annotation for p in _params()}
    assert all(light_kind(k) for k in kinds), kinds


def _convert(runtime: Any, param: Any, value: Any) -> Any:
    ctx = Context(get_command(app))
    try:
        return ("ok", runtime.coerce(value, param=param, ctx=ctx))
    except BadParameter as exc:
        return ("refused", str(exc))


@pytest.mark.parametrize("kind", list(SAMPLES), ids=str)
@pytest.mark.parametrize("listed", [False, True])
def test_the_light_conversion_agrees_with_typers_own(kind: Any, listed: bool) -> None:
    command = get_command(app)
    param: Any = command.commands["report"].params[0]  # type: ignore[attr-defined]
    desc = param.type_descriptor
    annotation = list[kind] if listed else kind
    typed = type(desc)(annotation, desc.parameter_info, None)
    param.type_descriptor = typed
    param.nargs = -1 if listed else 1
    light = LightParam(parameter_info=desc.parameter_info, annotation=annotation)
    typers = build_runtime_param(typed)
    values = [[v] for v in SAMPLES[kind]] + [SAMPLES[kind]] if listed else SAMPLES[kind]
    for value in [*values, None]:
        assert _convert(light, param, value) == _convert(typers, param, value), value
