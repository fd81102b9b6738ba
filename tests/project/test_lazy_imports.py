"""What the first prompt and a remembered route do not need is not imported.

Import checks, not timings (the timings are in benchmarks/run.py): a route the
memo knows is not re-checked, so the rule checks are not imported; the walk's
prompts import the Markdown renderer only when a station has guidance to show.
"""

from __future__ import annotations

from pathlib import Path

from test_imports import JOURNEY, modules, pytestmark  # noqa: F401 (skipped when not installed)


def test_a_remembered_route_is_shown_without_importing_the_checks(tmp_path: Path) -> None:
    assert JOURNEY is not None
    show = [JOURNEY, "show", "scotland-route-3"]
    assert "journey.routes.rules" in modules(show, tmp_path)  # first time: checked
    assert "journey.routes.rules" not in modules(show, tmp_path)  # then: remembered


def test_the_prompts_import_the_markdown_renderer_only_when_needed(tmp_path: Path) -> None:
    loaded = modules(["-c", "import journey.cli.prompts"], tmp_path)
    assert "rich.markdown" not in loaded
    assert "journey.cli.tubemap" not in loaded
