"""The quick commands stay quick: they never import the interactive or heavy modules.

An import check, not a timing: it runs the installed `journey` command in a fresh
interpreter with `-X importtime` and reads which modules were imported. The
timings themselves are in benchmarks/run.py and docs/performance.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

JOURNEY = shutil.which("journey", path=str(Path(sys.executable).parent))
INTERACTIVE = {"questionary", "prompt_toolkit"}

pytestmark = pytest.mark.skipif(JOURNEY is None, reason="the journey command is not installed")


def modules(args: list[str], cache: Path | None = None) -> set[str]:
    """Every module a fresh interpreter imports to run `args` (`cache`: the cache folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNEY_", "PYTHON"))}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "journey" in names, "no import timings were read"
    return names


def imported(*args: str) -> set[str]:
    """Top-level names of every module the installed command imports to run `args`."""
    assert JOURNEY is not None
    return {name.split(".")[0] for name in modules([JOURNEY, *args])}


def test_version_imports_neither_questionary_nor_prompt_toolkit() -> None:
    modules = imported("--version")
    assert modules & INTERACTIVE == set()
    assert modules & {"rich", "yaml", "msgspec", "pydantic"} == set()


@pytest.mark.parametrize("args", [["routes"], ["routes", "--json"]])
def test_routes_imports_neither_questionary_nor_prompt_toolkit(args: list[str]) -> None:
    modules = imported(*args)
    assert modules & INTERACTIVE == set()
    assert modules & {"pydantic", "holidays"} == set()  # holidays is only for deadlines


def test_help_imports_neither_questionary_nor_prompt_toolkit() -> None:
    assert imported("--help") & INTERACTIVE == set()


# Every command line goes through Typer, which would build a pydantic validator for
# each parameter it converts; journey.cli.coercion gives it a light one instead. If
# that shim stops applying (a new Typer, a new kind of parameter), these fail.
@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["routes"],
        ["show", "scotland-route-3", "--format", "markdown"],
        ["choose", "--help"],
        ["validate", "scotland-route-1"],
        ["report", "{empty}", "--format", "json", "--sort", "deadline", "--status", "complete"],
        ["schema"],
    ],
    ids=" ".join,
)
def test_commands_convert_their_parameters_without_pydantic(
    args: list[str], tmp_path: Path
) -> None:
    assert "pydantic" not in imported(*(a.format(empty=tmp_path) for a in args))
