"""What the first prompt and a remembered route do not need is not imported.

Import checks, not timings (the timings are in benchmarks/run.py): a route the
memo knows is not re-checked, so neither the rule checks nor the YAML parser
are imported; the walk's prompts import the Markdown renderer only when a
station has guidance to show.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_imports import JOURNEY, modules, pytestmark  # noqa: F401 (skipped when not installed)

NOT_FOR_A_REMEMBERED_ROUTE = {"journey.routes.rules", "yaml"}


def test_a_remembered_route_is_shown_without_importing_the_checks(tmp_path: Path) -> None:
    assert JOURNEY is not None
    show = [JOURNEY, "show", "scotland-route-3"]
    assert NOT_FOR_A_REMEMBERED_ROUTE <= modules(show, tmp_path)  # first time: checked
    assert NOT_FOR_A_REMEMBERED_ROUTE.isdisjoint(modules(show, tmp_path))  # then: remembered


@pytest.mark.parametrize("args", [["validate"], ["show", "scotland-route-1", "-f", "markdown"]])
def test_remembered_routes_are_read_without_the_yaml_parser(
    args: list[str], tmp_path: Path
) -> None:
    assert JOURNEY is not None
    modules([JOURNEY, "routes"], tmp_path)  # every route checked once, and remembered
    assert NOT_FOR_A_REMEMBERED_ROUTE.isdisjoint(modules([JOURNEY, *args], tmp_path))


def test_choose_help_imports_no_route_reader(tmp_path: Path) -> None:
    assert JOURNEY is not None
    loaded = modules([JOURNEY, "choose", "--help"], tmp_path)
    assert {"yaml", "journey.routes.loader", "rich.markdown"}.isdisjoint(loaded)


def test_the_prompts_import_the_markdown_renderer_only_when_needed(tmp_path: Path) -> None:
    loaded = modules(["-c", "import journey.cli.prompts"], tmp_path)
    assert "rich.markdown" not in loaded
    assert "journey.cli.tubemap" not in loaded


def test_start_can_ask_the_title_before_loading_the_record_the_engine_or_rich(
    tmp_path: Path,
) -> None:
    """`journey start` asks the title first: what it needs for that is all it imports first."""
    loaded = modules(["-c", "import journey.cli.start, journey.cli.asking"], tmp_path)
    assert "questionary" in loaded  # the question itself
    later = {"rich", "yaml", "journey.records.format", "journey.records.checklist"}
    later |= {"journey.walk.engine", "journey.walk.drive", "journey.cli.prompts"}
    assert later.isdisjoint(loaded), later & loaded
