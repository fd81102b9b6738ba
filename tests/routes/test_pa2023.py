"""The Procurement Act 2023 routes, thresholds and notices: what an English, Welsh or Northern
Irish buyer relies on. Every checkpoint cites its rule; notices come from one table and say
whether they are published, due or overdue; nothing unconfirmed reaches a buyer as fact."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from journey.records.notices import counts, notice_rows
from journey.routes.catalogue import builtin_dir
from journey.routes.loader import LoadedRoute, load_route
from journey.routes.model import Checkpoint, Deadline
from journey.routes.notices import load_notices
from journey.routes.thresholds import load_thresholds
from journey.walk.engine import NeedReason, Walk, new_record
from journey.walk.given import apply_given

PA_ROUTES = sorted(builtin_dir().glob("uk-pa2023-*.yaml"))
# A rule a buyer can look up: a section, regulation, schedule, SI or policy note.
CITATION = re.compile(r"\b(s\.\d+|regs? \d+|Sch \d+|SI \d{4}/\d+|PPN \d+|Part \d+)")


def test_the_five_procurement_act_routes_ship() -> None:
    assert [p.stem for p in PA_ROUTES] == [
        "uk-pa2023-below-threshold",
        "uk-pa2023-call-off",
        "uk-pa2023-direct-award",
        "uk-pa2023-flexible",
        "uk-pa2023-open",
    ]


@pytest.mark.parametrize("path", PA_ROUTES, ids=lambda p: p.stem)
def test_every_checkpoint_and_deadline_cites_its_section_or_regulation(path: Path) -> None:
    route = load_route(path).route
    assert route.jurisdiction == "England, Wales and Northern Ireland"
    items: list[Checkpoint | Deadline] = [*route.checkpoints(), *route.deadlines]
    uncited = [i.id for i in items if not any(CITATION.search(b.ref) for b in i.basis)]
    assert uncited == []


@pytest.mark.parametrize("path", PA_ROUTES, ids=lambda p: p.stem)
def test_nothing_unconfirmed_reaches_a_buyer(path: Path) -> None:
    """Author notes may say UNCONFIRMED; prompts, help, guidance and labels never do, and
    never name a notice by a number only secondary sources give."""
    route = load_route(path).route
    unconfirmed = [n.id for n in load_notices().notices if not n.number_confirmed]
    shown = [route.title, route.summary]
    for stage in route.stages:
        shown += [stage.title, stage.summary]
        for step in stage.steps:
            shown += [step.title, step.guidance]
            shown += [t for c in step.checkpoints for t in (c.prompt, c.help, *c.choices)]
    shown += [d.label for d in route.deadlines]
    text = "\n".join(shown)
    assert "UNCONFIRMED" not in text and "INFERRED" not in text
    assert [n for n in unconfirmed if re.search(rf"\b{n}\b", text)] == []


def test_a_notice_label_gives_the_number_only_where_an_official_source_confirms_it() -> None:
    table = load_notices()
    tender = table.get("UK4")
    assert tender is not None and tender.label.startswith("UK4 Tender notice")
    award = table.get("UK6")
    assert award is not None
    assert award.label == "Contract award notice (PA 2023 s.50(1); PR 2024 regs 27-30)"
    assert [n.id for n in table.notices] == [f"UK{i}" for i in range(1, 18)]


def test_a_route_naming_an_unknown_notice_is_refused_with_its_place(
    tmp_path: Path, run: Any
) -> None:
    text = (builtin_dir() / "uk-pa2023-below-threshold.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("notice: UK7", "notice: UK99"), encoding="utf-8")
    code, out, err = run("validate", str(bad))
    assert code == 1
    assert re.search(
        r"bad\.yaml:\d+:21: .*notice: 'UK99' is not a notice of the notices table", out + err
    )


def test_a_calendar_from_that_is_not_a_choice_of_nations_is_refused(
    tmp_path: Path, run: Any
) -> None:
    text = (builtin_dir() / "uk-pa2023-open.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        text.replace("calendar-from: nation", "calendar-from: body-type", 1), encoding="utf-8"
    )
    code, out, err = run("validate", str(bad))
    assert code == 1
    assert "calendar-from: 'body-type' is not an earlier choice of nations" in out + err


# ---------------------------------------------------------------- notices of a record


def walk_with(loaded: LoadedRoute, given: dict[str, Any]) -> Walk:
    rec = new_record(
        loaded, title="Cleaning", owner="Tester", reference="", now="2026-03-01T09:00:00Z"
    )
    walk = Walk(loaded, rec, user="Tester", clock=lambda: "2026-03-01T10:00:00Z")
    apply_given(walk, given)
    return walk


def test_notices_of_a_record_are_published_due_overdue_or_to_publish() -> None:
    loaded = load_route(builtin_dir() / "uk-pa2023-open.yaml")
    walk = walk_with(
        loaded,
        {
            "nation": "Northern Ireland",
            "transferred-ni": False,
            "body-type": "Other contracting authority",
            "commenced-under-act": True,
            "estimated-value": "300000",
            "no-splitting": True,
            "over-5m": False,
            "what-is-bought": "Services",
            "above-threshold": True,
            "pme-carried-out": False,
            "planned-procurement-notice": False,
        },
    )
    rows = {r["checkpoint"]: r for r in notice_rows(walk, today=dt.date(2026, 3, 10))}
    assert rows["tender-notice-published"]["state"] == "to publish"
    walk.answer("tender-notice-published", "2026-03-02")
    walk.answer("can-published", "2027-02-01")
    walk.answer("contract-entered", "2027-02-15")
    rows = {r["checkpoint"]: r for r in notice_rows(walk, today=dt.date(2027, 3, 1))}
    assert rows["tender-notice-published"] == {
        "checkpoint": "tender-notice-published",
        "notice": "UK4 Tender notice (PA 2023 s.21 and s.87(1); PR 2024 regs 18-24)",
        "state": "published",
        "date": "2026-03-02",
    }
    # 15 Feb + 30 days is St Patrick's Day, a Northern Ireland bank holiday: due the day before.
    assert (rows["cdn-published"]["state"], rows["cdn-published"]["date"]) == ("due", "2027-03-16")
    late = {r["checkpoint"]: r for r in notice_rows(walk, today=dt.date(2027, 3, 17))}
    assert late["cdn-published"]["state"] == "overdue"
    assert counts(list(late.values()))["overdue"] == 1


def test_a_route_without_notices_has_no_notice_rows() -> None:
    loaded = load_route(builtin_dir() / "scotland-route-1.yaml")
    assert notice_rows(walk_with(loaded, {})) == []


# ---------------------------------------------------------------- thresholds as data

SCHEDULE_1 = {  # contract, body: (24 Feb-31 Dec 2025, from 1 Jan 2026), PA 2023 Sch 1
    ("defence-works", "any"): (5372609, 5193000),
    ("defence-concession", "any"): (5372609, 5193000),
    ("defence-other", "any"): (429809, 415440),
    ("utilities-works", "any"): (5372609, 5193000),
    ("utilities-light-touch", "any"): (884720, 884720),
    ("utilities-other", "any"): (429809, 415440),
    ("light-touch-concession", "any"): (5372609, 5372609),
    ("light-touch", "any"): (663540, 663540),
    ("concession", "any"): (5372609, 5193000),
    ("works", "any"): (5372609, 5193000),
    ("goods-services", "central-government"): (139688, 135018),
    ("goods-services", "sub-central"): (214904, 207720),
}


def pa_rows() -> list[Any]:
    return [r for r in load_thresholds().thresholds if r.regime == "Procurement Act 2023"]


@pytest.mark.parametrize(("kind", "amounts"), SCHEDULE_1.items(), ids=lambda k: str(k))
def test_each_schedule_1_row_is_dated_data_including_vat(
    kind: tuple[str, str], amounts: tuple[int, int]
) -> None:
    rows = [r for r in pa_rows() if (r.contract, r.body) == kind]
    got = {(r.effective_from, r.effective_to): r.amount for r in rows}
    assert got == {
        (dt.date(2025, 2, 24), dt.date(2025, 12, 31)): amounts[0],
        (dt.date(2026, 1, 1), None): amounts[1],
    }
    assert {(r.vat, r.nations) for r in rows} == {
        ("included", ("england", "wales", "northern-ireland"))
    }
    assert all(
        "Sch 1" in r.source and r.url.startswith("https://www.legislation.gov.uk/") for r in rows
    )


def test_the_acts_other_money_triggers_are_rows_with_their_sources() -> None:
    rows = {(r.contract, r.body): r for r in pa_rows() if r.effective_to is None}
    assert rows[("below-threshold-notice", "central-government")].amount == 12000
    assert rows[("below-threshold-notice", "sub-central")].amount == 30000
    assert rows[("pipeline-notice", "any")].amount == 100_000_000
    assert rows[("pipeline-contract", "any")].amount == 2_000_000
    five = rows[("kpis-and-contract-publication", "any")]
    assert (five.amount, five.comparison) == (5_000_000, "more-than")
    triggers = [r for r in rows.values() if "Sch 1" not in r.source]
    assert len(triggers) == 8
    assert all(re.search(r"PA 2023 s\.\d+", r.source) for r in triggers)


def test_status_lists_the_notices_published_due_and_to_publish(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "answers.yaml").write_text(
        "nation: Northern Ireland\ntransferred-ni: false\nbody-type: Other contracting authority\n"
        "commenced-under-act: true\nestimated-value: '300000'\nno-splitting: true\n"
        "over-5m: false\nwhat-is-bought: Services\nabove-threshold: true\n"
        "pme-carried-out: false\nplanned-procurement-notice: false\n"
        "tender-notice-published: 2026-03-02\ncan-published: 2027-02-10\n"
        "contract-entered: 2099-02-15\n",
        encoding="utf-8",
    )
    run("start", "uk-pa2023-open", "--title", "Cleaning", "--answers", "answers.yaml", "--no-input")
    (record,) = (tmp_path / "records").glob("*.md")
    code, out, _ = run("status", str(record), "--json")
    assert code == 0, out
    states = {n["checkpoint"]: (n["state"], n["date"]) for n in json.loads(out)["notices"]}
    assert states["tender-notice-published"] == ("published", "2026-03-02")
    assert states["can-published"] == ("published", "2027-02-10")
    assert states["cdn-published"] == ("due", "2099-03-16")  # 17 March: St Patrick's Day
    code, out, _ = run("status", str(record))
    assert "Notices:" in out and "due 2099-03-16" in out
    assert "Contract award notice (PA 2023 s.50(1)" in out and "UK6" not in out


def test_entering_the_contract_during_standstill_is_a_deviation_that_needs_a_reason() -> None:
    loaded = load_route(builtin_dir() / "uk-pa2023-open.yaml")
    walk = walk_with(loaded, {"nation": "England", "what-is-bought": "Goods"})
    walk.answer("can-published", "2026-11-25")
    with pytest.raises(NeedReason, match="no earlier than 2026-12-08"):
        walk.answer("contract-entered", "2026-12-07")  # the last day of standstill (s.51)
    walk.answer("contract-entered", "2026-12-08")


@pytest.mark.parametrize(("today", "due", "overdue"), [("2027-03-01", 1, 0), ("2027-03-17", 0, 1)])
def test_report_counts_notices_published_due_and_overdue(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: str, due: int, overdue: int
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "answers.yaml").write_text(
        "nation: Northern Ireland\ntransferred-ni: false\nwhat-is-bought: Services\n"
        "tender-notice-published: 2026-03-02\ncan-published: 2027-02-01\n"
        "contract-entered: 2027-02-15\n",
        encoding="utf-8",
    )
    run("start", "uk-pa2023-open", "--title", "Cleaning", "--answers", "answers.yaml", "--no-input")
    epoch = dt.datetime.fromisoformat(today).replace(tzinfo=dt.UTC).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
    code, out, err = run("report", "records", "--format", "json")
    (row,) = json.loads(out)
    assert (row["notices_published"], row["notices_due"], row["notices_overdue"]) == (
        2,
        due,
        overdue,
    ), err


def test_help_at_a_notice_checkpoint_names_the_notice_and_its_legal_basis() -> None:
    import io

    from rich.console import Console

    from journey.cli.prompts import _help

    loaded = load_route(builtin_dir() / "uk-pa2023-open.yaml")
    walk = walk_with(loaded, {})
    cp = next(c for c in loaded.route.checkpoints() if c.id == "can-published")
    buffer = io.StringIO()
    _help(Console(file=buffer, width=100, color_system=None), cp, walk)
    out = buffer.getvalue()
    assert "• Notice: Contract award notice (PA 2023 s.50(1); PR 2024 regs 27-30)" in out
    assert "https://www.legislation.gov.uk/ukpga/2023/54/section/50" in out
