"""Finding a route by id skips the remembered routes with other ids, and finds what it found before.

`journey.routes.catalogue.find` asks the memo for each file's id before loading
it; these tests hold it to the answer of loading every route (`discover`): the
same shadowing, the same errors, the same route, whatever the memo holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import VALID
from journey.errors import InvalidFile
from journey.routes import catalogue
from journey.routes.catalogue import builtin_dir, discover, find, route_files
from journey.routes.loader import load_route
from journey.routes.memo import KEPT, user_cache_dir

BUILTIN = route_files(builtin_dir())
WANTED = load_route(BUILTIN[-1]).route.id  # the last file in name order: every other is before


def _ours(folder: Path, stem: str, route_id: str) -> Path:
    """A small valid route with the id `route_id`, saved as ./journeys/<stem>.yaml."""
    text = (VALID / "small.yaml").read_text(encoding="utf-8")
    text = text.replace("id: small\n", f"id: {route_id}\n").replace(
        "title: A small route", "title: Our own version"
    )
    (folder / "journeys").mkdir(exist_ok=True)
    path = folder / "journeys" / f"{stem}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_remembered_route_is_found_by_id_loading_no_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    discover()  # every route checked and remembered
    loaded: list[Path] = []
    load = catalogue._load

    def counted(origin: str, path: Path) -> Any:
        loaded.append(path)
        return load(origin, path)

    monkeypatch.setattr(catalogue, "_load", counted)
    assert find(WANTED).route == load_route(BUILTIN[-1]).route
    assert loaded == [BUILTIN[-1]]


def test_a_local_route_under_another_name_still_shadows_a_remembered_builtin(
    tmp_path: Path,
) -> None:
    ours = _ours(tmp_path, "zz-ours", WANTED)  # its file name says nothing of its id
    for _ in range(2):  # checked, then remembered
        found = find(WANTED)
        assert found.path == Path("journeys") / ours.name
        assert found.route.title == "Our own version"


def test_a_broken_local_file_named_like_an_id_is_reported_as_before(tmp_path: Path) -> None:
    discover()
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / f"{WANTED}.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as raised:
        find(WANTED)
    assert raised.value.problems[0].file == f"journeys/{WANTED}.yaml"


@pytest.mark.parametrize("damage", [b"", b"\x93\x01 damaged", b"\x81\xa2id\xa5wrong"])
def test_a_damaged_memo_never_hides_or_changes_a_route(tmp_path: Path, damage: bytes) -> None:
    fresh = find(WANTED)
    _ours(tmp_path, "aa-ours", "ours")
    find("ours")
    for memo in (user_cache_dir() / KEPT).glob("*.msgpack"):
        memo.write_bytes(damage)
    assert find(WANTED) == fresh
    assert find("ours").route.title == "Our own version"


def test_an_unknown_id_lists_every_route_found(tmp_path: Path) -> None:
    discover()
    with pytest.raises(Exception, match="no route with id 'nowhere'") as raised:
        find("nowhere")
    assert all(load_route(p).route.id in str(raised.value) for p in BUILTIN)
