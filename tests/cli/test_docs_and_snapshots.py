"""Docs cannot drift: every command has help ending in an example and appears in the README;
`journey show` of each shipped route reads well in 80 columns (snapshots)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from journey.cli.app import app
from journey.cli.main import run
from journey.routes.catalogue import builtin_dir, route_files

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = Path(__file__).parents[1] / "snapshots"
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands if c.callback)


def test_the_command_list_is_complete() -> None:
    assert COMMANDS == sorted(
        [
            "choose",
            "demo",
            "export",
            "init",
            "report",
            "resume",
            "routes",
            "schema",
            "show",
            "start",
            "upgrade",
            "status",
            "validate",
            "verify",
        ]
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_ending_with_an_example(name: str) -> None:
    command = next(
        c
        for c in app.registered_commands
        if (c.name or getattr(c.callback, "__name__", "")) == name
    )
    doc = (command.callback.__doc__ or "").strip()
    assert doc, f"{name} has no help text"
    assert doc.splitlines()[-1].strip().startswith(f"Example: journey {name}"), doc


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_appears_in_the_readme_or_docs(name: str) -> None:
    texts = [ROOT.joinpath("README.md").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in ROOT.joinpath("docs").glob("*.md")]
    assert any(re.search(rf"`journey {name}\b", t) for t in texts), (
        f"`journey {name}` is not documented"
    )


@pytest.mark.parametrize("path", route_files(builtin_dir()), ids=lambda p: p.stem)
def test_show_reads_well_in_80_columns(
    path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEY_WIDTH", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    assert run(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    snapshot = SNAPSHOTS / f"show-{path.stem}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(out, encoding="utf-8")
    assert out == snapshot.read_text(encoding="utf-8")


def test_the_schema_file_in_docs_is_the_one_journey_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Route files point editors at docs/route.schema.json; it must not drift from the model."""
    assert run(["schema"]) == 0
    assert (
        ROOT.joinpath("docs", "route.schema.json").read_text(encoding="utf-8")
        == capsys.readouterr().out
    )
