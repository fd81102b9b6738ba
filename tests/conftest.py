"""Shared test set-up: fixture paths, a clean environment, and the CLI run in-process."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import journey.records.opening
from journey.cli.main import run as journey_run

FIXTURES = Path(__file__).parent / "fixtures"
ROUTES = FIXTURES / "routes"
VALID = ROUTES / "valid"
INVALID = ROUTES / "invalid"
REPO = Path(__file__).resolve().parents[1]

Run = Callable[..., tuple[int, str, str]]

WALK = VALID / "walk.yaml"
# A complete set of answers for walk.yaml along its main path.
BASE: dict[str, Any] = {
    "value": "£120,000",
    "what": "Goods",
    "critical": False,
    "notice-date": "2026-03-02",
    "lots": ["Lot 2"],
    "notes": "none",
    "evidence": "reports/eval.pdf",
    "bidders": 4,
    "budget-holder": {"name": "Bea Holder", "role": "Budget holder"},
    "officer": {"name": "Ola Officer", "role": "Procurement officer"},
}


def ticking() -> Callable[[], str]:
    """A clock that moves one minute per reading, so times are distinct and repeatable."""
    counter = itertools.count()
    return lambda: f"2026-11-23T10:{next(counter):02d}:00Z"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed width, no colour, no extra route folders, no debug switch from the caller."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("JOURNEY_WIDTH", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("JOURNEY_PATH", "JOURNEY_DEBUG", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    journey.records.opening._routes.cache_clear()  # routes are found afresh in each test


@pytest.fixture
def walk_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """walk.yaml found by its id (walk-test), answered by Ann Buyer."""
    monkeypatch.setenv("JOURNEY_PATH", str(VALID))
    monkeypatch.setenv("JOURNEY_USER", "Ann Buyer")
    journey.records.opening._routes.cache_clear()


@pytest.fixture(autouse=True)
def _in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in an empty folder, so the repository's ./journeys is not found by accident."""
    monkeypatch.chdir(tmp_path)
    # each test its own cache, beside the working folder so that it stays empty
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path.with_name(tmp_path.name + "-cache")))
    return tmp_path


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """`run("show", "x")` runs the CLI in-process and returns (exit status, stdout, stderr)."""

    def _run(*args: str, debug: bool = False) -> tuple[int, str, str]:
        capsys.readouterr()
        code = journey_run(list(args), debug=debug)
        out, err = capsys.readouterr()
        return code, out, err

    return _run
