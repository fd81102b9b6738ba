"""The routes shipped with the tool: valid, uniquely named, and every checkpoint has a basis."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from journey.routes.catalogue import DATA_FILES, builtin_dir
from journey.routes.loader import LoadedRoute, load_route
from journey.routes.model import Route

ROUTE_FILES = sorted(
    p for p in builtin_dir().iterdir() if p.suffix in (".yaml", ".yml") and p.name not in DATA_FILES
)


def ids_in(route: Route) -> list[str]:
    """Every id a route names: stages, steps, checkpoints and deadlines share one namespace."""
    ids = []
    for stage in route.stages:
        ids.append(stage.id)
        for step in stage.steps:
            ids.append(step.id)
            ids += [c.id for c in step.checkpoints]
    return ids + [d.id for d in route.deadlines]


def test_the_builtin_folder_holds_routes() -> None:
    assert builtin_dir().is_dir()
    assert len(ROUTE_FILES) >= 3


@pytest.fixture(params=ROUTE_FILES, ids=lambda p: p.name)
def loaded(request: pytest.FixtureRequest) -> LoadedRoute:
    path: Path = request.param
    return load_route(path)


def test_builtin_route_is_valid_and_named_after_its_file(loaded: LoadedRoute) -> None:
    assert loaded.route.id == loaded.path.stem


def test_builtin_route_ids_are_unique(loaded: LoadedRoute) -> None:
    repeated = [i for i, n in Counter(ids_in(loaded.route)).items() if n > 1]
    assert repeated == []
    sources = Counter(s.id for s in loaded.route.sources)
    assert [i for i, n in sources.items() if n > 1] == []


def test_every_builtin_checkpoint_rests_on_a_basis(loaded: LoadedRoute) -> None:
    checkpoints = loaded.route.checkpoints()
    assert checkpoints
    assert [c.id for c in checkpoints if not c.basis] == []


def test_route_ids_are_unique_across_builtin_files() -> None:
    ids = Counter(load_route(p).route.id for p in ROUTE_FILES)
    assert [i for i, n in ids.items() if n > 1] == []
