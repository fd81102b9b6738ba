"""The per-record cache of `report` and `verify` never lies: stale or damaged, it is not trusted.

Each test runs a command once to fill the cache, changes something under it
(a record, the cache file, a route), and runs the command again as a user would.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import msgspec
import pytest
from test_report import TODAY_EPOCH, build_repo

from conftest import VALID
from journey.cli.main import run as journey_run
from journey.errors import InvalidFile
from journey.records import cache, opening
from journey.records.cache import fingerprint, write_file
from journey.routes.catalogue import builtin_dir, route_files
from journey.routes.loader import load_route
from journey.routes.memo import user_cache_dir as cache_dir

CATERING = "records/council-a/catering.md"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    root = tmp_path / "repo"
    build_repo(root)
    return root


def journey(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = journey_run(list(args))
    return code, capsys.readouterr().out


def titles(capsys: pytest.CaptureFixture[str], repo: Path) -> dict[str, str | None]:
    _, out = journey(capsys, "report", str(repo), "--format", "json")
    return {row["path"]: row["title"] for row in json.loads(out)}


def cache_files(kind: str) -> list[Path]:
    return sorted(cache_dir().glob(f"{kind}-*.msgpack"))


def test_a_warm_report_is_the_cold_one(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cold = journey(capsys, "report", str(repo), "--format", "json")
    assert len(cache_files("report")) == 1
    assert journey(capsys, "report", str(repo), "--format", "json") == cold


def test_the_cache_is_used_while_the_file_is_unchanged(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    titles(capsys, repo)
    (path,) = cache_files("report")
    path.write_bytes(path.read_bytes().replace(b"Catering 2027", b"Catering 2028"))
    assert titles(capsys, repo)[CATERING] == "Catering 2028"  # proof the cache was read
    os.utime(repo / CATERING)  # touched: the file's stamp changed, so it is read again
    assert titles(capsys, repo)[CATERING] == "Catering 2027"


def test_a_record_edited_under_the_cache_is_seen(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert titles(capsys, repo)[CATERING] == "Catering 2027"
    record = repo / CATERING
    before = record.stat()
    record.write_text(
        record.read_text(encoding="utf-8").replace("Catering 2027", "Catering 2029"),
        encoding="utf-8",
    )
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))  # same time, same size
    code, out = journey(capsys, "report", str(repo), "--format", "json")
    row = next(r for r in json.loads(out) if r["path"] == CATERING)
    assert code == 1
    assert row["error"], "the hand edit was not seen: the cache lied"


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\x93\x01"])
def test_a_damaged_cache_is_ignored_and_rebuilt(
    repo: Path, capsys: pytest.CaptureFixture[str], damage: bytes
) -> None:
    cold = journey(capsys, "report", str(repo), "--format", "json")
    (path,) = cache_files("report")
    path.write_bytes(damage)
    assert journey(capsys, "report", str(repo), "--format", "json") == cold
    msgspec.msgpack.decode(path.read_bytes())  # written afresh, whole


def test_one_damaged_entry_is_read_afresh_and_the_others_kept(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Entries are decoded one by one when asked for: one that is not a row is a miss."""
    cold = journey(capsys, "report", str(repo), "--format", "json")
    (path,) = cache_files("report")
    saved = msgspec.msgpack.decode(path.read_bytes())
    saved["entries"][CATERING][1] = "not a row"  # its stamp still matches the file
    path.write_bytes(msgspec.msgpack.encode(saved))
    assert journey(capsys, "report", str(repo), "--format", "json") == cold


@pytest.mark.parametrize("change", ["route", "data file beside it"])
def test_a_changed_route_changes_the_fingerprint_so_nothing_cached_is_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    routes = tmp_path / "routes"
    routes.mkdir()
    (routes / "walk.yaml").write_text((VALID / "walk.yaml").read_text(encoding="utf-8"))
    (routes / "thresholds.yaml").write_text("# data\n")
    monkeypatch.setenv("JOURNEY_PATH", str(routes))
    before = fingerprint("report")
    assert fingerprint("report") == before  # stable while nothing changes
    if change == "route":
        text = (routes / "walk.yaml").read_text(encoding="utf-8")
        (routes / "walk.yaml").write_text(text.replace("title: ", "title: Changed ", 1))
    else:
        (routes / "thresholds.yaml").write_text("# data, changed\n")
    opening._routes.cache_clear()
    assert fingerprint("report") != before


def test_verify_takes_a_folder_and_sees_an_edit_under_its_cache(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    code, out = journey(capsys, "verify", "records/council-a")
    assert code == 0
    assert out.count("ok: ") == 3
    assert len(cache_files("verify")) == 1
    record = repo / CATERING
    record.write_text(
        record.read_text(encoding="utf-8").replace("Catering 2027", "Catering 2029"),
        encoding="utf-8",
    )
    code, out = journey(capsys, "verify", "records/council-a")
    assert code == 1
    assert out.count("ok: ") == 2
    assert CATERING in out


def test_verify_of_a_folder_skips_files_that_are_not_records(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    (repo / "records" / "council-a" / "README.md").write_text("# Notes\n", encoding="utf-8")
    code, out = journey(capsys, "verify", "records/council-a")
    assert (code, out.count("ok: ")) == (0, 3)
    assert "README" not in out


def test_no_cache_is_written_when_it_is_turned_off(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEY_NO_CACHE", "1")
    journey(capsys, "report", str(repo), "--format", "json")
    assert cache_files("report") == []


# -- validated routes remembered by file digest (journey.routes.memo) -----------------------


def _memos() -> list[Path]:
    return sorted((cache_dir() / "routes-1").glob("*.msgpack"))


@pytest.mark.parametrize(
    "path", [*route_files(builtin_dir()), *sorted(VALID.glob("*.yaml"))], ids=lambda p: p.name
)
def test_a_remembered_route_is_the_route_checked_afresh(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_route(path)  # checked, then kept
    assert len(_memos()) == 1
    remembered = load_route(path)
    monkeypatch.setenv("JOURNEY_NO_CACHE", "1")
    fresh = load_route(path)
    assert remembered == first == fresh
    assert remembered.digest == fresh.digest


def test_an_edited_route_file_is_checked_afresh(tmp_path: Path) -> None:
    route = tmp_path / "walk.yaml"
    route.write_text((VALID / "walk.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = load_route(route)
    text = route.read_text(encoding="utf-8")
    route.write_text(text.replace("title: ", "title: Edited ", 1), encoding="utf-8")
    after = load_route(route)
    assert after.route.title == "Edited " + before.route.title
    assert after.digest != before.digest


def test_a_damaged_memo_is_ignored(tmp_path: Path) -> None:
    fresh = load_route(VALID / "walk.yaml")
    for memo in _memos():
        memo.write_bytes(b"\x93\x01 damaged")
    assert load_route(VALID / "walk.yaml") == fresh


def test_a_route_with_problems_is_never_remembered() -> None:
    bad = sorted((VALID.parent / "invalid").glob("*.yaml"))[0]
    for _ in range(2):
        with pytest.raises(InvalidFile):
            load_route(bad)
    assert _memos() == []


@pytest.mark.parametrize("count", [0, 1, 15, 16, 65_536])
def test_the_cache_file_written_an_entry_at_a_time_reads_as_msgspec_writes_it(
    count: int,
) -> None:
    """`write_file` streams the entries (no second copy of every row at the peak); the file
    decodes exactly as the one msgspec encodes whole, across msgpack's map-size boundaries."""
    entries = {
        f"records/{n}.md": msgspec.Raw(msgspec.msgpack.encode(((n, 2, 3, 4), ["row", n])))
        for n in range(count)
    }
    streamed = io.BytesIO()
    write_file(streamed, "fingerprint", entries)
    whole = msgspec.msgpack.encode(cache.CacheFile(cache.FORMAT, "fingerprint", entries))
    a = msgspec.msgpack.decode(streamed.getvalue(), type=cache.CacheFile)
    b = msgspec.msgpack.decode(whole, type=cache.CacheFile)
    assert (a.format, a.fingerprint) == (b.format, b.fingerprint) == (cache.FORMAT, "fingerprint")
    assert {k: bytes(v) for k, v in a.entries.items()} == {
        k: bytes(v) for k, v in b.entries.items()
    }
