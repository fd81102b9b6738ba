"""`journey report` over a repository of records in every state, with damaged files mixed in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from journey.cli import report
from journey.cli.main import run as journey_run
from journey.records import rows
from journey.records.atomicfile import write_atomic
from journey.records.checklist import checklist, render
from journey.records.format import data_block, seal
from journey.records.opening import route_for
from journey.routes.model import Checkpoint
from journey.text import to_json
from journey.walk.drive import apply_given
from journey.walk.engine import Walk, new_record

SNAPSHOT = Path(__file__).parents[1] / "snapshots" / "report.md"
TODAY_EPOCH = "1795435200"  # 2026-11-23 12:00 UTC
MARKUP_TITLE = "[bold red]Hot meals[/] | *lots* \x1b[31m \x9b2J"

SOUND = {
    "records/council-a/catering.md",
    "records/council-a/cleaning.md",
    "records/council-a/meals.md",
    "records/council-b/laptops.md",
    "records/council-b/stationery.md",
    "records/council-b/toner.md",
}
DAMAGED = {
    "records/broken/edited.md",
    "records/broken/truncated.md",
    "records/broken/unknown-route.md",
}


def good(cp: Checkpoint, on: str) -> Any:
    """The answer a careful buyer gives: no deviation, first choice, dates on `on`."""
    answers: dict[str, Any] = {
        "confirm": cp.expect not in ("no", "either"),
        "choice": cp.choices[0] if cp.choices else "",
        "multi-choice": list(cp.choices[:1]),
        "money": "120000",
        "number": 3,
        "date": on,
        "sign-off": {"name": f"Signer of {cp.id}", "role": cp.role or "Officer"},
        "evidence": "files/evidence.pdf",
    }
    return answers.get(cp.kind, f"Notes for {cp.id}")


def walked(
    route: str,
    *,
    title: str,
    owner: str,
    at: str,
    on: str = "2026-03-02",
    upto: str | None = None,
    given: dict[str, Any] | None = None,
    reference: str = "",
) -> Walk:
    """A walk answered in walk order up to `upto` (or to the end, then finished)."""
    loaded = route_for(route)
    assert loaded is not None
    rec = new_record(loaded, title=title, owner=owner, reference=reference, now=at)
    walk = Walk(loaded, rec, user=owner, clock=lambda: at)
    answers: dict[str, Any] = {}
    for cp in loaded.route.checkpoints():
        answers[cp.id] = (given or {}).get(cp.id, good(cp, on))
        if cp.id == upto:
            break
    apply_given(walk, answers)
    if upto is None:
        walk.finish()
    return walk


def save(root: Path, rel: str, walk: Walk) -> str:
    write_atomic(root / rel, render(walk))
    return (root / rel).read_text(encoding="utf-8")


def build_repo(root: Path) -> None:
    """Six sound records (two councils, four routes, three owners), three damaged, and decoys."""
    catering = walked(
        "scotland-route-2", title="Catering 2027", owner="Ann", at="2026-03-20T10:00:00Z"
    )
    text = save(root, "records/council-a/catering.md", catering)
    late = {"budget-and-business-case": {"value": False, "reason": "Business case due in May"}}
    cleaning = walked(
        "scotland-route-2", title="Office cleaning", owner="Bob", at="2026-11-20T09:30:00Z",
        upto="fair-work-first-considered", given=late,
    )  # fmt: skip
    cleaning_text = save(root, "records/council-a/cleaning.md", cleaning)
    meals = {
        "reasons-notice-date": "2026-10-01",
        "further-information-requested": {"skip": "No request received"},
        "contract-award-date": "2026-11-13",
    }
    save(root, "records/council-a/meals.md", walked(
        "scotland-route-2", title=MARKUP_TITLE, owner="Dee", at="2026-11-21T08:00:00Z",
        on="2026-09-15", upto="contract-award-date", given=meals,
    ))  # fmt: skip
    laptops = {
        "procurement-strategy-duty": {"skip": "Below the strategy duty"},
        "contract-notice-published": "2026-11-02",
        "tender-deadline": "2026-12-10",
    }
    save(root, "records/council-b/laptops.md", walked(
        "scotland-route-3", title="Laptops for schools", owner="Ann", at="2026-11-22T16:00:00Z",
        upto="tender-deadline", given=laptops, reference="CPV-30213100",
    ))  # fmt: skip
    save(root, "records/council-b/toner.md", walked(
        "scotland-route-1", title="Printer toner", owner="Cara", at="2026-11-20T09:30:00Z",
    ))  # fmt: skip
    save(root, "records/council-b/stationery.md", walked(
        "scotland-framework-call-off", title="Stationery call-off", owner="Bob",
        at="2026-11-18T11:00:00Z", upto="contract-award-date", on="2026-11-16",
    ))  # fmt: skip
    broken = root / "records" / "broken"
    broken.mkdir(parents=True)
    cut = text.index("```json journey-record") + 300  # the data block, cut short
    (broken / "truncated.md").write_text(text[:cut], encoding="utf-8")
    digest = cleaning_text.rindex('{"digest":"sha256:') + len('{"digest":"sha256:')
    edited = cleaning_text[:digest] + "0000" + cleaning_text[digest + 4 :]
    (broken / "edited.md").write_text(edited, encoding="utf-8")
    catering.record.route = "scotland-route-9"
    moved = checklist(catering) + "\n" + data_block(catering.record, catering.order)
    (broken / "unknown-route.md").write_text(moved, encoding="utf-8")
    (root / "records" / "notes.md").write_text("# Notes\n\n```yaml\nx: 1\n```\n", encoding="utf-8")
    outside = root.parent / "outside"
    decoys = (
        ".venv/lib",
        "venv",
        "env",
        "tools/venv-like",
        "node_modules/pkg",
        ".git",
        "../outside",
    )
    for decoy in decoys:
        (root / decoy).mkdir(parents=True)
        (root / decoy / "copy.md").write_text(text, encoding="utf-8")
    (root / "tools" / "venv-like" / "pyvenv.cfg").write_text("home = /usr\n", encoding="utf-8")
    (root / "records" / "linked").symlink_to(outside, target_is_directory=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNEY_WIDTH", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    root = tmp_path / "repo"
    build_repo(root)
    return root


def journey(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = journey_run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def rows_of(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]]]:
    code, out, _ = journey(capsys, "report", *args, "--format", "json")
    return code, json.loads(out)


def test_one_row_per_record_with_its_values(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = journey(capsys, "report", str(repo), "--format", "json")
    assert code == 1
    assert "\x1b" not in out and "\x9b" not in out  # escaped, so safe to print
    rows = json.loads(out)
    by_path = {r["path"]: r for r in rows}
    assert set(by_path) == SOUND | DAMAGED
    picked = ("title", "route", "owner", "status", "stage", "percent", "required_outstanding",
              "deviations", "next_deadline", "next_deadline_state")  # fmt: skip
    got = {p: tuple(by_path[p][k] for k in picked) for p in SOUND}
    assert got == {
        "records/council-a/catering.md": (
            "Catering 2027", "scotland-route-2", "Ann", "complete", "all stages done",
            100, 0, 0, "2026-04-01", "met"),
        "records/council-a/cleaning.md": (
            "Office cleaning", "scotland-route-2", "Bob", "in-progress", "3. Develop Documents",
            30, 32, 1, None, None),
        "records/council-a/meals.md": (
            MARKUP_TITLE, "scotland-route-2", "Dee", "in-progress",
            "7. Contract Award and Implementation", 84, 8, 1, "2026-12-11", "due"),
        "records/council-b/laptops.md": (
            "Laptops for schools", "scotland-route-3", "Ann", "in-progress", "4. Issue Documents",
            61, 21, 1, "2026-12-04", "due soon"),
        "records/council-b/stationery.md": (
            "Stationery call-off", "scotland-framework-call-off", "Bob", "in-progress",
            "4. Award and duties", 78, 4, 0, "2026-12-16", "due"),
        "records/council-b/toner.md": (
            "Printer toner", "scotland-route-1", "Cara", "complete", "all stages done",
            100, 0, 0, None, None),
    }  # fmt: skip
    laptops = by_path["records/council-b/laptops.md"]
    assert laptops["reference"] == "CPV-30213100"
    assert laptops["updated"] == "2026-11-22T16:00:00Z"
    assert laptops["next_deadline_label"].startswith("Last day to answer suppliers' questions")
    assert all(by_path[p]["error"] is None for p in SOUND)


def test_damaged_records_are_rows_with_their_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows = rows_of(capsys, str(repo))
    assert code == 1
    errors = {r["path"]: r["error"] for r in rows if r["error"]}
    assert set(errors) == DAMAGED
    assert "not closed with ```" in errors["records/broken/truncated.md"]
    assert errors["records/broken/truncated.md"].startswith("records/broken/truncated.md:")
    assert "digest does not match" in errors["records/broken/edited.md"]
    assert "unknown route 'scotland-route-9'" in errors["records/broken/unknown-route.md"]
    edited = next(r for r in rows if r["path"] == "records/broken/edited.md")
    assert (edited["title"], edited["owner"], edited["percent"]) == ("Office cleaning", "Bob", None)
    assert [r["path"] for r in rows[-3:]] == sorted(DAMAGED)  # damaged last, by path
    code, out, err = journey(capsys, "report", str(repo))
    assert code == 1
    assert re.search(
        r"\n  records/broken/edited.md:\d+:\d+: digest: the record data was edited by hand", out
    )
    assert err == "3 of 9 records damaged\n"


def test_a_resealed_record_with_a_duplicate_key_is_placed_on_its_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (repo / "records" / "council-b" / "toner.md").read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith('{"line":"answer"'))
    lines.insert(at + 1, lines[at].replace('"by":"Cara"', '"by":"Eve"'))
    end = lines.index("```", at)
    lines[end - 1] = seal(lines[lines.index("```json journey-record") + 1 : end - 1])
    (repo / "records" / "twice.md").write_text("\n".join(lines), encoding="utf-8")
    _, rows = rows_of(capsys, str(repo / "records"), "--owner", "Cara")
    cid = lines[at].split('"id":"')[1].split('"')[0]
    assert [r["error"] for r in rows if r["path"] == "twice.md"] == [
        f"twice.md:{at + 2}:1: record data: a second answer line for '{cid}'"
    ]


def test_skipped_folders_and_non_records_give_no_row(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, rows = rows_of(capsys, str(repo))
    paths = {r["path"] for r in rows}
    assert all(p.startswith("records/council-") or p.startswith("records/broken/") for p in paths)
    assert not any("linked" in p for p in paths)
    assert "records/notes.md" not in paths


def test_a_clean_folder_exits_0_and_paths_are_relative_to_root(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows = rows_of(capsys, str(repo / "records" / "council-b"))
    assert code == 0
    assert [r["path"] for r in rows] == ["laptops.md", "toner.md", "stationery.md"]


def test_root_defaults_to_the_git_repository_else_here(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "records" / "council-b")
    _, rows = rows_of(capsys)
    assert {r["path"] for r in rows} == {"laptops.md", "toner.md", "stationery.md"}
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    _, rows = rows_of(capsys)
    assert {r["path"] for r in rows} == SOUND | DAMAGED


def test_next_deadline_is_the_first_to_meet_else_missed_else_met_else_past() -> None:
    def due(*days: str, settled: str = "") -> list[rows.Due]:
        return [rows.Due(d, d, settled) for d in days]

    def next_of(deadlines: list[rows.Due]) -> str | None:
        return rows.for_today(rows.Row("r.md", deadlines=deadlines), today).next_deadline

    today = dt.date(2026, 11, 23)
    assert next_of(due("2026-11-01", "2026-11-23", "2026-12-01")) == "2026-11-23"
    assert next_of(due("2026-10-01", "2026-11-22")) == "2026-11-22"
    met, missed = due("2026-11-20", settled="met"), due("2026-10-01", settled="governed")
    past = due("2026-11-22")
    assert next_of(met + missed + past) == "2026-10-01"
    assert next_of(met + past) == "2026-11-20"
    assert next_of([]) is None


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--status", "complete"], {"records/council-a/catering.md", "records/council-b/toner.md"}),
        (["--owner", "Bob"], {"records/council-a/cleaning.md", "records/council-b/stationery.md"}),
        (["--route", "scotland-route-3"], {"records/council-b/laptops.md"}),
        (["--status", "in-progress", "--owner", "Ann"], {"records/council-b/laptops.md"}),
        (["--owner", "ann"], set()),
    ],
)
def test_filters_match_exactly(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: set[str]
) -> None:
    _, rows = rows_of(capsys, str(repo), *args)
    sound = {r["path"] for r in rows if not r["error"]}
    assert sound == expected
    # A damaged record whose fields cannot be read is never filtered away.
    assert "records/broken/truncated.md" in {r["path"] for r in rows}


def test_a_damaged_record_is_filtered_on_the_fields_it_still_shows(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, rows = rows_of(capsys, str(repo), "--owner", "Cara")
    assert [r["path"] for r in rows] == [
        "records/council-b/toner.md",
        "records/broken/truncated.md",
    ]


@pytest.mark.parametrize(
    ("key", "titles"),
    [
        ("updated", ["Laptops for schools", MARKUP_TITLE, "Office cleaning", "Printer toner",
                     "Stationery call-off", "Catering 2027"]),
        ("deadline", ["Laptops for schools", MARKUP_TITLE, "Stationery call-off",
                      "Catering 2027", "Office cleaning", "Printer toner"]),
        ("title", [MARKUP_TITLE, "Catering 2027", "Laptops for schools", "Office cleaning",
                   "Printer toner", "Stationery call-off"]),
        ("owner", ["Catering 2027", "Laptops for schools", "Office cleaning",
                   "Stationery call-off", "Printer toner", MARKUP_TITLE]),
        ("route", ["Stationery call-off", "Printer toner", "Catering 2027", "Office cleaning",
                   MARKUP_TITLE, "Laptops for schools"]),
        ("status", ["Catering 2027", "Printer toner", "Office cleaning", MARKUP_TITLE,
                    "Laptops for schools", "Stationery call-off"]),
        ("done", ["Office cleaning", "Laptops for schools", "Stationery call-off", MARKUP_TITLE,
                  "Catering 2027", "Printer toner"]),
    ],
)  # fmt: skip
def test_sorting_with_ties_by_path(
    repo: Path, capsys: pytest.CaptureFixture[str], key: str, titles: list[str]
) -> None:
    _, rows = rows_of(capsys, str(repo), "--sort", key)
    assert [r["title"] for r in rows if not r["error"]] == titles


def test_parallel_collection_gives_the_same_rows(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEY_NO_CACHE", "1")  # computed afresh both times
    _, serial = rows_of(capsys, str(repo))
    monkeypatch.setattr(rows, "PARALLEL_FROM", 1)
    _, parallel = rows_of(capsys, str(repo))
    assert parallel == serial


@pytest.mark.parametrize("count", [1, 49, 50, 401, 10_000, 100_003])
@pytest.mark.parametrize("jobs", [2, 8])
def test_the_workers_chunks_hold_every_file_once_in_order(count: int, jobs: int) -> None:
    """Chunks shrink towards the end (no worker left with a big one while another idles),
    and together they are the files, in order, each once."""
    chunks = [len(c) for c in rows._chunks(range(count), jobs)]
    assert [i for c in rows._chunks(range(count), jobs) for i in c] == list(range(count))
    assert max(chunks) <= 500 and all(c >= 50 for c in chunks[:-1])
    assert all(c <= 50 for c in chunks[-2:])  # the last ones are the smallest


def test_csv_has_a_header_and_one_line_per_row(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = journey(capsys, "report", str(repo), "--format", "csv", "--sort", "title")
    assert code == 1
    lines = list(csv.DictReader(io.StringIO(out)))
    assert list(lines[0]) == list(report.FIELDS)
    assert len(lines) == 9
    assert lines[1]["title"] == "Catering 2027"
    assert lines[1]["next_deadline_past"] == "true"
    assert lines[1]["next_deadline_state"] == "met"
    assert lines[-1]["error"] != ""
    # markup kept as typed, controls shown as escapes (text.csv_cell)
    assert any(
        row["title"] == MARKUP_TITLE.replace("\x1b", "\\x1b").replace("\x9b", "\\x9b")
        for row in lines
    )


def test_table_shows_record_text_literally(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = journey(capsys, "report", str(repo), "--route", "scotland-route-2")
    assert code == 1
    assert max(len(line) for line in out.splitlines()) <= 120
    assert out.splitlines()[0].split() == [
        "title",
        "owner",
        "status",
        "stage",
        "done",
        "open",
        "dev",
        "deadline",
        "updated",
    ]  # fmt: skip  (no notices column: these routes name no notices)
    assert "\n[bold red]Hot meals[/] | *lots* \\x1b…  Dee    in-progress  7. Contract Awa…" in out
    assert "\n  scotland-route-2 · records/council-a/meals.md\n" in out
    assert out.endswith("\n5 records: 2 in progress, 1 complete, 2 damaged\n")
    monkeypatch.setenv("JOURNEY_WIDTH", "200")
    _, out, _ = journey(capsys, "report", str(repo), "--route", "scotland-route-2")
    assert "[bold red]Hot meals[/] | *lots* \\x1b[31m \\x9b2J  Dee" in out
    assert "\x1b" not in out and "\x9b" not in out


def test_a_table_wider_than_the_terminal_is_cut_never_wrapped(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a narrow terminal every line of the table, the heading included, is cut at the
    edge with an ellipsis: a heading wrapped onto a second line reads as a broken row."""
    monkeypatch.setenv("JOURNEY_WIDTH", "60")
    _, out, _ = journey(capsys, "report", str(repo))
    lines = out.splitlines()
    assert lines[0].startswith("title") and lines[0].endswith("…")
    assert lines[1].startswith(("  ", "[bold red]", "Catering", "Laptops", "Office", "Printer",
                                "Stationery", "(unreadable)", "Hot meals"))  # fmt: skip
    assert all(cell_len(line) <= 60 for line in lines)


def test_markdown_matches_the_snapshot(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = journey(capsys, "report", str(repo), "--format", "markdown")
    assert code == 1
    if os.environ.get("JOURNEY_UPDATE_SNAPSHOTS") == "1":  # written on request, checked by eye
        SNAPSHOT.write_text(out, encoding="utf-8")
    assert SNAPSHOT.exists(), "no snapshot: run with JOURNEY_UPDATE_SNAPSHOTS=1 and review it"
    assert out == SNAPSHOT.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [["--format", "xml"], ["--sort", "size"], ["--status", "done"], ["no-such-folder"]],
)
def test_usage_errors_exit_2(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(repo)
    code, out, err = journey(capsys, "report", *args)
    assert code == 2
    assert out == ""
    assert args[-1] in err  # the value refused is named; the wording of choices is Typer's


def test_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = journey(capsys, "report", str(tmp_path), "--format", "markdown")
    assert (code, out) == (0, "## Procurement pipeline\n\n0 records: 0 in progress, 0 complete.\n")


@pytest.mark.parametrize(
    "title",
    ["Zoë Ó Súilleabháin", "\x1b[31m red", "\x9b2J csi", "line\u2028sep", "bidi \u202e", "tab\t",
     'quote " and \\ slash', "lone \udce9 surrogate", "", "日本語"],
)  # fmt: skip
def test_each_json_row_is_written_as_to_json_writes_it(title: str) -> None:
    """Alone, and in a batch with plain rows (a row the fast encoder refuses takes its
    batch the long way)."""
    fields = {"title": title, "done": 3, "next_deadline_past": False, "error": None}
    plain = {"title": "Plain", "done": 0, "next_deadline_past": None, "error": "x"}
    for batch in ([fields], [plain, fields, plain]):
        assert report._rows_json(batch) == to_json(batch)


@pytest.mark.parametrize("batch", [1, 2, 4, 1000])
def test_the_json_report_is_one_list_whatever_the_batch(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """Rows are encoded a batch at a time; joined, they are `to_json` of the whole list, for
    any number of rows against the batch (one, a few, and more than one batch)."""
    monkeypatch.setattr(report, "_BATCH", batch)
    _, out, _ = journey(capsys, "report", str(repo), "--format", "json")
    assert out == to_json(json.loads(out)) + "\n"
    assert len(json.loads(out)) == len(SOUND | DAMAGED)


def test_every_format_tells_due_soon_met_and_missed_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A complete record whose award notice went out late shows `missed`, one published in
    time `met`, and a date still ahead `due soon`: in the table, CSV, JSON, Markdown and HTML."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)  # 2026-11-23
    root = tmp_path / "repo"
    late = {
        "contract-award-date": "2026-03-02",
        "award-notice-published": {"value": "2026-05-20", "reason": "PCS outage"},
    }
    save(root, "late.md", walked("scotland-route-2", title="Late notice", owner="Ann",
                                 at="2026-05-20T10:00:00Z", given=late))  # fmt: skip
    save(root, "kept.md", walked("scotland-route-2", title="Notice in time", owner="Ann",
                                 at="2026-03-20T10:00:00Z"))  # fmt: skip
    soon = {"contract-award-date": "2026-11-13"}
    save(root, "soon.md", walked("scotland-route-2", title="Award just made", owner="Ann",
                                 at="2026-11-21T08:00:00Z", upto="contract-award-date",
                                 on="2026-09-15", given=soon))  # fmt: skip
    _, got = rows_of(capsys, str(root), "--sort", "title")
    states = {r["title"]: (r["next_deadline"], r["next_deadline_state"], r["deadlines_missed"])
              for r in got}  # fmt: skip
    assert states == {
        "Late notice": ("2026-04-01", "missed", 1),
        "Notice in time": ("2026-04-01", "met", 0),
        "Award just made": ("2026-12-11", "due", 0),
    }
    _, out, _ = journey(capsys, "report", str(root), "--format", "csv", "--sort", "title")
    assert [(r["title"], r["next_deadline_state"]) for r in csv.DictReader(io.StringIO(out))] == [
        ("Award just made", "due"),
        ("Late notice", "missed"),
        ("Notice in time", "met"),
    ]
    for fmt in ("table", "markdown", "html"):
        _, out, _ = journey(capsys, "report", str(root), "--format", fmt, "--sort", "title")
        text = re.sub(r"<[^>]+>", "", out)
        assert "2026-04-01 missed" in text and "2026-04-01 met" in text, fmt
        assert "2026-12-11 due" in text and "(past)" not in text, fmt


def notices_repo(root: Path) -> None:
    """Two Procurement Act call-offs: one contract details notice overdue, one still due."""
    for name, entered in (("desks", "2026-10-01"), ("chairs", "2026-11-20")):
        save(root, f"{name}.md", walked(
            "uk-pa2023-call-off", title=name.capitalize(), owner="Ann", on="2026-10-01",
            at="2026-11-21T10:00:00Z", upto="contract-entered",
            given={"call-off-public-contract": True, "contract-entered": entered},
        ))  # fmt: skip
    save(root, "toner.md", walked("scotland-route-1", title="Toner", owner="Ann",
                                  at="2026-11-20T09:30:00Z"))  # fmt: skip


def test_notices_show_in_the_table_markdown_and_json_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("JOURNEY_WIDTH", "160")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)  # 2026-11-23
    notices_repo(tmp_path)
    _, got = rows_of(capsys, str(tmp_path), "--sort", "title")
    counts = [(r["title"], r["notices_published"], r["notices_due"], r["notices_overdue"])
              for r in got]  # fmt: skip
    assert counts == [("Chairs", 1, 1, 0), ("Desks", 1, 0, 1), ("Toner", None, None, None)]
    _, out, _ = journey(capsys, "report", str(tmp_path), "--sort", "title")
    lines = out.splitlines()
    assert "notices" in lines[0].split()
    assert "1 due, 1 published" in lines[1] and "1 overdue, 1 published" in lines[3]
    assert "published" not in lines[5] and "due yet" not in lines[5]  # a route without notices
    _, out, _ = journey(capsys, "report", str(tmp_path), "--format", "markdown", "--sort", "title")
    table = [line.split(" | ") for line in out.splitlines() if line.startswith("| ")]
    at = table[0].index("Notices")
    assert [r[at] for r in table[2:]] == ["1 due, 1 published", "1 overdue, 1 published", ""]


def test_a_procurement_act_tender_deadline_short_of_s54_is_missed_and_needs_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open procedure's tender deadline 8 days after the tender notice (s.54: 25 at
    least) is a deviation with a reason, reported as missed; without the reason, resealed,
    `verify` refuses the record."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    given = {"nation": "England", "tender-notice-published": "2026-03-02",
             "tender-deadline": {"value": "2026-03-10", "reason": "Urgent replacement"},
             "contract-entered": "2026-04-20", "cdn-published": "2026-04-30"}  # fmt: skip
    text = save(tmp_path, "desks.md", walked("uk-pa2023-open", title="Desks", owner="Ann",
                                             at="2026-11-20T10:00:00Z", on="2026-04-01",
                                             given=given))  # fmt: skip
    _, (row,) = rows_of(capsys, str(tmp_path))
    assert (row["status"], row["deviations"]) == ("complete", 1)
    assert (row["next_deadline"], row["next_deadline_state"]) == ("2026-03-27", "missed")
    lines = text.split("\n")
    lines.remove(next(ln for ln in lines if ln.startswith('{"line":"deviation","id":"tender-')))
    end = len(lines) - 1 - lines[::-1].index("```")
    lines[end - 1] = seal(lines[lines.index("```json journey-record") + 1 : end - 1])
    (tmp_path / "desks.md").write_text("\n".join(lines), encoding="utf-8")
    code, out, err = journey(capsys, "verify", str(tmp_path / "desks.md"))
    assert code == 1 and "'tender-deadline' breaks a statutory date" in out + err
