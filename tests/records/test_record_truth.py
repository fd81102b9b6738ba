"""The record tells the truth (issue 11): one test for each way it could say something untrue,
at the level a buyer or an auditor meets it (the command line)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BASE, VALID, Run
from journey.records.format import FENCE, Change, seal

pytestmark = pytest.mark.usefixtures("walk_route")
GOOD = dict(BASE, notes={"skip": "Nothing to add"})


def start(run: Run, answers: dict[str, Any], record: str = "rec.md") -> tuple[int, str, str]:
    Path("answers.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), "utf-8")
    return run("start", "walk-test", "--answers", "answers.yaml", "--no-input", "--record", record)


def data(path: str = "rec.md") -> list[dict[str, Any]]:
    """The record's data lines, as JSON objects (the digest line last)."""
    text = Path(path).read_text("utf-8")
    block = text.split(FENCE + "\n", 1)[1].split("\n```", 1)[0]
    return [json.loads(line) for line in block.split("\n")]


def rewrite(change: Callable[[list[dict[str, Any]]], None], path: str = "rec.md") -> None:
    """Edit the data lines and seal them again, as someone covering an edit would."""
    text = Path(path).read_text("utf-8")
    head = text.split(FENCE + "\n", 1)[0]
    lines = data(path)[:-1]
    change(lines)
    body = [json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in lines]
    Path(path).write_text(head + FENCE + "\n" + "\n".join([*body, seal(body)]) + "\n```\n", "utf-8")


def answer_line(lines: list[dict[str, Any]], cid: str) -> dict[str, Any]:
    return next(x for x in lines if x.get("line") == "answer" and x["id"] == cid)


# -- 1. resume, status and report never hide damage ------------------------------------------


def hand_edit(path: str = "rec.md") -> str:
    text = Path(path).read_text("utf-8")
    edited = text.replace('"value":"120000.00"', '"value":"12000.00"')
    assert edited != text
    Path(path).write_text(edited, "utf-8")
    return edited


def test_resume_refuses_a_hand_edited_record_and_leaves_it_as_it_is(run: Run) -> None:
    assert start(run, GOOD)[0] == 0
    edited = hand_edit()
    code, out, err = run("resume", "rec.md", "--no-input")
    assert code == 1
    assert "digest does not match" in err
    assert 'journey resume rec.md --accept-edits "REASON"' in err
    assert Path("rec.md").read_text("utf-8") == edited
    assert run("verify", "rec.md")[0] == 1


def test_status_shows_a_damaged_record_as_damaged(run: Run) -> None:
    assert start(run, GOOD)[0] == 0
    hand_edit()
    code, out, err = run("status", "rec.md")
    assert code == 1
    assert "Status: damaged" in out
    assert "damaged: rec.md:" in err
    code, out, _ = run("status", "rec.md", "--json")
    assert code == 1 and json.loads(out)["status"] == "damaged"


def test_report_flags_a_hand_ticked_box_as_verify_does(run: Run) -> None:
    assert start(run, GOOD)[0] == 0
    text = Path("rec.md").read_text("utf-8")
    ticked = text.replace("`notes`: ⚠ skipped", "`notes`: **ticked** ⚠ skipped", 1)
    assert ticked != text
    Path("rec.md").write_text(ticked.replace("- [ ] Any notes?", "- [x] Any notes?"), "utf-8")
    assert run("verify", "rec.md")[0] == 1
    code, out, _ = run("report", ".", "--format", "json")
    assert code == 1
    assert "checklist line does not match" in json.loads(out)[0]["error"]


def test_an_edit_kept_on_purpose_is_recorded_and_stays_visible(run: Run) -> None:
    assert start(run, GOOD)[0] == 0
    before = data()[-1]["digest"]
    hand_edit()
    code, out, err = run("resume", "rec.md", "--no-input", "--accept-edits", "Quote corrected")
    assert code == 0, err
    assert run("verify", "rec.md")[:2] == (0, "ok: rec.md\n")
    event = next(x for x in data() if x.get("line") == "event")
    assert (event["kind"], event["by"], event["reason"]) == (
        "accepted-edit",
        "Ann Buyer",
        "Quote corrected",
    )
    assert event["replaced"] == before
    text = Path("rec.md").read_text("utf-8")
    assert "⚠ edits made outside journey accepted: Quote corrected" in text
    code, out, _ = run("status", "rec.md")
    assert code == 0 and "accepted-edit: Quote corrected" in out
    assert json.loads(run("report", ".", "--format", "json")[1])[0]["deviations"] == 2


def test_accept_edits_will_not_keep_data_that_breaks_the_route(run: Run) -> None:
    assert start(run, GOOD)[0] == 0
    rewrite(lambda lines: answer_line(lines, "officer")["value"].update(name="Bea Holder"))
    code, _, err = run("resume", "rec.md", "--no-input", "--accept-edits", "same person is fine")
    assert code == 1
    assert "the same person signed 'officer' and 'budget-holder'" in err


# -- 2. verify re-derives the record from its route --------------------------------------------


def _against_expect(lines: list[dict[str, Any]]) -> None:
    answer_line(lines, "critical")["value"] = True


def _skip_mandatory(lines: list[dict[str, Any]]) -> None:
    lines.remove(answer_line(lines, "bidders"))
    lines.append({"line": "deviation", "id": "bidders", "kind": "skip", "reason": "x",
                  "at": "2026-11-23T10:00:00Z", "by": "Ann"})  # fmt: skip


def _missing_in_complete(lines: list[dict[str, Any]]) -> None:
    lines.remove(answer_line(lines, "bidders"))


def _history_unknown(lines: list[dict[str, Any]]) -> None:
    lines.append({"line": "change", "id": "nope", "old": 1, "new": 2,
                  "at": "2026-11-23T10:00:00Z", "by": "Ann", "reason": "r"})  # fmt: skip


def _retired_live(lines: list[dict[str, Any]]) -> None:
    lines.append({"line": "retired", "id": "what", "value": "Goods",
                  "at": "2026-11-23T10:00:00Z", "by": "Ann", "via": "typed"})  # fmt: skip


FORGERIES: dict[str, tuple[Callable[[list[dict[str, Any]]], None], str]] = {
    "against expect": (_against_expect, "no deviation recorded"),
    "mandatory skipped": (_skip_mandatory, "'bidders' is mandatory and cannot be skipped"),
    "missing in complete": (
        _missing_in_complete,
        "marked complete but 1 mandatory checkpoint open",
    ),
    "same signer": (
        lambda ls: answer_line(ls, "officer")["value"].update(name="bea  HOLDER"),
        "the same person signed",
    ),
    "bad time": (lambda ls: ls[0].update(created="next tuesday"), "'next tuesday' is not a time"),
    "answer time": (lambda ls: answer_line(ls, "what").update(at="not a time"), "is not a time"),
    "empty author": (lambda ls: answer_line(ls, "what").update(by=""), "no author"),
    "history unknown": (_history_unknown, "history for unknown checkpoint 'nope'"),
    "retired live": (_retired_live, "a retired answer for 'what', which is still in the route"),
    "provenance erased": (
        lambda ls: answer_line(ls, "what").update(via="unrecorded"),
        "provenance was not recorded, but this record was never upgraded",
    ),
    "bad value": (
        lambda ls: answer_line(ls, "bidders").update(value="many"),
        "invalid number answer",
    ),
}


@pytest.mark.parametrize("forgery", FORGERIES, ids=list(FORGERIES))
def test_verify_refuses_what_the_tool_would_never_write_even_resealed(
    run: Run, forgery: str
) -> None:
    assert start(run, GOOD)[0] == 0
    change, message = FORGERIES[forgery]
    rewrite(change)
    code, out, _ = run("verify", "rec.md")
    assert code == 1
    assert message in out, out


# -- 3. the route finder writes only what it was told ---------------------------------------


def test_the_finder_never_records_a_risk_answer_nobody_gave(run: Run) -> None:
    code, out, err = run(
        "choose", "--what", "goods", "--body", "sub-central", "--annual-value", "30000",
        "--vat", "excluded", "--no-framework", "--start", "--no-input", "--record", "f.md",
    )  # fmt: skip
    assert code == 1
    assert "business-critical" in err and "reputational-or-delivery-risk" in err
    ids = {x.get("id") for x in data("f.md") if x.get("line") == "answer"}
    assert not ids & {"business-critical", "reputational-or-delivery-risk"}
    carried = {x["via"] for x in data("f.md") if x.get("line") == "answer"}
    assert carried == {"route-finder"}
    finder = next(x for x in data("f.md") if x.get("line") == "finder")["inputs"]
    assert finder["annual_value"] == "30000.00"


def test_the_finder_refuses_zero_years(run: Run) -> None:
    code, out, err = run(
        "choose", "--what", "services", "--body", "sub-central", "--annual-value", "900000",
        "--years", "0", "--vat", "excluded", "--no-framework", "--json",
    )  # fmt: skip
    assert code == 2
    assert "--years: a contract runs for some time" in err


# -- 5. a change to a deviating answer asks why it deviates; no reason is lost -----------------


def test_changing_to_a_deviating_answer_asks_both_reasons_and_history_keeps_them(run: Run) -> None:
    from conftest import WALK, ticking
    from journey.routes.loader import load_route
    from journey.walk.drive import Back, Give, Quit, drive
    from journey.walk.engine import Walk, new_record

    loaded = load_route(WALK)
    walk = Walk(loaded, new_record(loaded, title="T", owner="A", reference="", now="t"),
                user="A", clock=ticking())  # fmt: skip
    asked: list[str] = []

    class UI:
        script = [Give("100"), Give("Goods"), Give(True), Give("yes"), Back(), Back(),
                  Give(False), Quit()]  # fmt: skip

        def step(self, *_: Any) -> None: ...
        def ask(self, *_: Any) -> Any:
            return self.script.pop(0)

        def reason(self, question: str) -> str:
            asked.append(question)
            return f"reason {len(asked)}"

        def problem(self, message: str) -> None:
            raise AssertionError(message)

        def review(self, *_: Any) -> Any:
            return Quit()

    drive(walk, UI())
    assert asked[0].startswith("This checkpoint is mandatory and expects no. Why yes?")
    assert asked[1:] == ["You are changing an earlier answer. Why?"]
    change = walk.record.history[-1]
    assert (change.old, change.new, change.old_deviation) == (True, False, "reason 1")
    assert "critical" not in walk.record.deviations
    walk2 = Walk(loaded, new_record(loaded, title="T", owner="A", reference="", now="t"),
                 user="A", clock=ticking())  # fmt: skip
    walk2.answer("value", "100")
    walk2.answer("what", "Goods")
    walk2.answer("critical", False)
    assert walk2.reasons_needed("critical", True) == (
        "You are changing an earlier answer. Why?",
        "This checkpoint is mandatory and expects no. Why yes?",
    )
    walk2.answer("critical", True, "Misread", deviation="It feeds 12 schools")
    assert walk2.record.deviations["critical"].reason == "It feeds 12 schools"


# -- 6. strict values, one reader ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("010000", "10000.00"), ("£120,000", "120000.00")],
)
def test_an_answers_file_means_what_the_prompt_means(run: Run, raw: str, stored: str) -> None:
    Path("answers.yaml").write_text(
        yaml.safe_dump({k: v for k, v in GOOD.items() if k != "value"}) + f"value: {raw}\n", "utf-8"
    )
    code, _, err = run(
        "start", "walk-test", "--answers", "answers.yaml", "--no-input", "--record", "rec.md"
    )
    assert code == 0, err
    assert answer_line(data(), "value")["value"] == stored


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("value", "1:30:00", "money answer: expected an amount of money"),
        ("bidders", "'2,5'", "number answer: expected a number, e.g. 3 or 12,500 (a comma only"),
        ("bidders", "1e3", "number answer: expected a number"),
        ("bidders", "-5", "number answer: must be 0 or more"),
        ("lots", "[]", "multi-choice answer: choose at least one of: Lot 1, Lot 2, Lot 3"),
        ("officer", "'Bea\u200b Holder, Procurement officer'", "invisible characters"),
    ],
)
def test_loose_values_are_refused_with_the_rule_they_break(
    run: Run, key: str, raw: str, message: str
) -> None:
    text = yaml.safe_dump({k: v for k, v in GOOD.items() if k != key}, allow_unicode=True)
    Path("answers.yaml").write_text(text + f"{key}: {raw}\n", "utf-8")
    code, out, err = run(
        "start", "walk-test", "--answers", "answers.yaml", "--no-input", "--record", "rec.md"
    )
    assert code == 1
    assert message in err, err
    assert not Path("rec.md").exists()


def test_whole_numbers_and_bounds_from_the_route(run: Run) -> None:
    from journey.routes.catalogue import find
    from journey.walk.answers import BadAnswer, parse

    cp = next(
        c for c in find("scotland-route-1").route.checkpoints() if c.id == "suppliers-invited"
    )
    assert parse(cp, "010") == 10
    for raw, said in (
        ("2.5", "2.5 is not a whole number"),
        ("-1", "-1 is below the least allowed, 0"),
    ):
        with pytest.raises(BadAnswer, match=said):
            parse(cp, raw)


def test_a_signer_with_a_compatibility_form_of_the_name_is_the_same_person(run: Run) -> None:
    code, _, err = start(
        run, dict(GOOD, officer={"name": "Ｂea Holder", "role": "Procurement officer"})
    )
    assert "Bea Holder already signed as Budget holder" in err


def test_none_is_an_answer_where_the_route_allows_it(run: Run) -> None:
    from journey.routes.catalogue import find
    from journey.walk.answers import parse

    route = find("scotland-route-3").route
    cp = next(c for c in route.checkpoints() if c.id == "reasons-request-received")
    assert parse(cp, "") is None and parse(cp, "none") is None
    then = next(c for c in route.checkpoints() if c.id == "reasons-answered")
    from journey.walk.conditions import holds

    assert not holds(then.when, {"reasons-request-received": None})


# -- format: newer records, format 1 records, upgrade -----------------------------------------


def test_a_record_from_a_newer_journey_says_so_everywhere(run: Run) -> None:
    assert start(run, GOOD)[0] == 0
    rewrite(lambda lines: lines[0].update(format=3, future="x"))
    for args in (("verify", "rec.md"), ("status", "rec.md"), ("resume", "rec.md", "--no-input")):
        code, out, err = run(*args)
        assert code == 1
        assert "written by a newer version of journey (format 3); upgrade journey" in out + err


FORMAT_1 = Path(__file__).parents[1] / "fixtures" / "records" / "format-1.md"


def test_a_format_1_record_verifies_and_upgrades_with_a_history_entry(run: Run) -> None:
    Path("old.md").write_text(FORMAT_1.read_text("utf-8"), "utf-8")
    assert run("verify", "old.md")[:2] == (0, "ok: old.md\n")
    code, out, err = run("upgrade", "old.md")
    assert code == 0, err
    assert out == "upgraded: old.md (format 1 → 2)\n"
    assert run("verify", "old.md")[:2] == (0, "ok: old.md\n")
    lines = data("old.md")
    assert lines[0]["format"] == 2
    assert next(x for x in lines if x.get("line") == "event")["kind"] == "upgraded"
    assert {x["via"] for x in lines if x.get("line") == "answer"} == {"unrecorded"}
    assert run("upgrade", "old.md")[1] == "old.md: already format 2\n"


def test_upgrade_leaves_a_damaged_format_1_record_alone(run: Run) -> None:
    text = FORMAT_1.read_text("utf-8").replace("value: '120000.00'", "value: '12000.00'")
    Path("old.md").write_text(text, "utf-8")
    code, _, err = run("upgrade", "old.md")
    assert code == 1 and "not upgraded" in err
    assert Path("old.md").read_text("utf-8") == text


# -- git history: no unexplained change between committed versions ----------------------------


def git(*args: str) -> None:
    import subprocess

    subprocess.run(["git", *args], check=True, capture_output=True)


def forge(
    change: Callable[[Any], None], path: str = "rec.md", answer: tuple[str, Any, str] | None = None
) -> None:
    """Rewrite a record with the tool's own code, as a determined editor could (or, with
    `answer`, change an answer as the walk does)."""
    from journey.records.checklist import render
    from journey.records.opening import open_record, walk_of

    walk = walk_of(open_record(Path(path)), user="Ann", clock=lambda: "2026-11-24T10:00:00Z")
    change(walk.record)
    if answer:
        walk.answer(*answer)
    Path(path).write_text(render(walk), "utf-8")


@pytest.fixture
def committed(run: Run, walk_route: None) -> None:
    git("init", "-q")
    git("config", "user.email", "a@example.org")
    git("config", "user.name", "Ann")
    code, _, err = start(run, GOOD)
    assert code == 0, err
    git("add", "rec.md")
    git("commit", "-q", "-m", "first")


@pytest.mark.usefixtures("committed")
def test_verify_history_accepts_changes_the_record_explains(run: Run) -> None:
    forge(lambda r: None, answer=("bidders", 6, "A late bid was admitted"))
    git("commit", "-q", "-am", "second")
    assert run("verify", "--history", "rec.md")[:2] == (0, "ok: rec.md\n")


@pytest.mark.usefixtures("committed")
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: setattr(r.answers["bidders"], "value", 9),
            "'bidders' was changed with no history",
        ),
        (lambda r: r.answers.pop("evidence"), "'evidence' was removed with no history entry"),
        (lambda r: setattr(r, "created", "2026-01-01T00:00:00Z"), "the record's created changed"),
        (
            lambda r: r.history.append(
                Change(
                    "evidence",
                    "old.pdf",
                    r.answers["evidence"].value,
                    "2026-11-24T09:00:00Z",
                    "Ann",
                    "Replaced the file",
                )  # fmt: skip
            ),
            "a history entry for 'evidence' records a change the record does not show",
        ),
    ],
    ids=["answer changed", "answer removed", "created moved", "change entry made up"],
)
def test_verify_history_refuses_a_forged_version_that_verifies_on_its_own(
    run: Run, change: Callable[[Any], None], message: str
) -> None:
    forge(change)
    assert run("verify", "rec.md")[0] == 0  # each version alone looks sound
    git("commit", "-q", "-am", "forged")
    code, out, _ = run("verify", "--history", "rec.md")
    assert code == 1
    assert message in out, out


@pytest.mark.usefixtures("committed")
def test_verify_history_refuses_a_history_entry_copied_in_a_later_version(run: Run) -> None:
    """The same change claimed twice (each version verifies on its own: the copy is sealed
    and in the checklist): the second claims a change the record does not show."""
    forge(lambda r: None, answer=("bidders", 6, "A late bid was admitted"))
    git("commit", "-q", "-am", "second")
    forge(lambda r: r.history.append(r.history[-1]))
    assert run("verify", "rec.md")[0] == 0
    code, out, _ = run("verify", "--history", "rec.md")
    assert code == 1
    assert "a history entry for 'bidders' records a change the record does not show" in out


@pytest.mark.usefixtures("committed")
def test_verify_history_refuses_a_removed_history_entry(run: Run) -> None:
    forge(lambda r: None, answer=("bidders", 6, "A late bid was admitted"))
    git("commit", "-q", "-am", "second")
    forge(lambda r: r.history.clear())
    code, out, _ = run("verify", "--history", "rec.md")  # the working copy against HEAD
    assert code == 1
    assert "the working copy: a history entry was removed or rewritten" in out


@pytest.mark.usefixtures("committed")
def test_verify_history_accepts_a_broken_digest_accepted_later(run: Run) -> None:
    hand_edit()
    git("commit", "-q", "-am", "edited by hand")
    assert "no later version accepts the edit" in run("verify", "--history", "rec.md")[1]
    assert run("resume", "rec.md", "--no-input", "--accept-edits", "Supplier letter")[0] == 0
    git("commit", "-q", "-am", "accepted")
    assert run("verify", "--history", "rec.md")[:2] == (0, "ok: rec.md\n")


@pytest.mark.usefixtures("committed")
def test_verify_history_names_a_committed_version_it_cannot_read(run: Run) -> None:
    text = Path("rec.md").read_text("utf-8")
    Path("rec.md").write_text(text[: len(text) // 2], "utf-8")  # cut short, then committed
    git("commit", "-q", "-am", "cut short")
    Path("rec.md").write_text(text, "utf-8")
    git("commit", "-q", "-am", "restored")
    code, out, _ = run("verify", "--history", "rec.md")
    assert code == 1
    assert "cannot be read" in out, out


@pytest.mark.usefixtures("walk_route")
def test_verify_history_outside_a_git_repository_says_so(run: Run) -> None:
    assert start(run, GOOD)[0] == 0
    code, out, _ = run("verify", "--history", "rec.md")
    assert code == 1
    assert "rec.md: --history: " in out and "git" in out.lower(), out


# -- 4. deadlines held against the dates entered -----------------------------------------------

DATES = {"notice-date": "2026-11-30", "tender-deadline": "2027-01-05", "award-date": "2027-02-01",
         "award-notice": "2027-02-10", "request-received": ""}  # fmt: skip


@pytest.fixture
def deadline_route(monkeypatch: pytest.MonkeyPatch, walk_route: None) -> None:
    import journey.records.opening

    monkeypatch.setenv("JOURNEY_PATH", str(Path(__file__).parents[1] / "fixtures/routes/deadlines"))
    journey.records.opening._routes.cache_clear()


def start_dates(run: Run, answers: dict[str, Any]) -> tuple[int, str, str]:
    Path("d.yaml").write_text(yaml.safe_dump(answers), "utf-8")
    return run("start", "deadline-test", "--answers", "d.yaml", "--no-input", "--record", "d.md")


@pytest.mark.usefixtures("deadline_route")
@pytest.mark.parametrize(
    ("key", "late", "said"),
    [
        ("tender-deadline", "2026-12-10", "no earlier than 2026-12-30"),
        ("award-notice", "2027-04-22", "no later than 2027-03-03"),
    ],
)
def test_a_date_that_breaks_its_statutory_date_needs_a_reason(
    run: Run, key: str, late: str, said: str
) -> None:
    code, _, err = start_dates(run, dict(DATES, **{key: late}))
    assert code == 1
    assert "d.yaml:" in err and f"{key}: not applied:" in err and said in err
    given = dict(DATES, **{key: {"value": late, "reason": "PCS was down"}})
    Path("d.yaml").write_text(yaml.safe_dump(given), "utf-8")
    code, _, err = run("resume", "d.md", "--answers", "d.yaml", "--no-input")
    assert code == 0, err
    deviation = next(x for x in data("d.md") if x.get("line") == "deviation")
    assert (deviation["id"], deviation["kind"], deviation["reason"]) == (
        key,
        "deadline",
        "PCS was down",
    )
    assert "⚠ deviation: PCS was down" in Path("d.md").read_text("utf-8")
    status = json.loads(run("status", "d.md", "--json")[1])
    assert {d["id"]: d["state"] for d in status["deadlines"]}[
        "earliest-tender-deadline" if key == "tender-deadline" else "award-notice-due"
    ] == "missed"
    assert run("verify", "d.md")[0] == 0
    rewrite(lambda lines: lines.remove(next(x for x in lines if x["line"] == "deviation")), "d.md")
    code, out, _ = run("verify", "d.md")
    assert code == 1 and f"'{key}' breaks a statutory date with no deviation" in out


@pytest.mark.usefixtures("deadline_route")
def test_dates_that_keep_their_statutory_dates_are_met_and_none_is_no_deviation(run: Run) -> None:
    code, _, err = start_dates(run, DATES)
    assert code == 0, err
    status = json.loads(run("status", "d.md", "--json")[1])
    assert {d["state"] for d in status["deadlines"]} == {"met"}
    assert status["deviations"] == []
    assert answer_line(data("d.md")[:-1], "request-received")["value"] is None


def test_a_route_change_holds_earlier_answers_to_the_new_rules(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import journey.records.opening
    from conftest import WALK

    folder = tmp_path / "routes"
    folder.mkdir()
    (folder / "walk.yaml").write_text(WALK.read_text("utf-8"), "utf-8")
    monkeypatch.setenv("JOURNEY_PATH", str(folder))
    journey.records.opening._routes.cache_clear()
    assert (
        start(
            run, dict(GOOD, critical={"value": True, "reason": "Feeds 12 schools"}, escalated=True)
        )[0]
        == 0
    )
    text = (folder / "walk.yaml").read_text("utf-8")
    changed = text.replace('version: "1.0"', 'version: "1.1"').replace(
        'expect: "no"', 'expect: "yes"', 1
    )
    (folder / "walk.yaml").write_text(
        changed.replace("kind: number\n", "kind: number\n            max: 3\n", 1), "utf-8"
    )
    journey.records.opening._routes.cache_clear()
    code, _, err = run("resume", "rec.md", "--no-input")
    assert code == 1 and "bidders" in err  # 4 bids is over the new maximum: asked again
    assert run("verify", "rec.md")[:2] == (0, "ok: rec.md\n")
    changes = [x for x in data() if x.get("line") == "change"]
    assert {c["id"]: c.get("old-deviation", "") for c in changes} == {
        "critical": "Feeds 12 schools",  # True is now the expected answer: no longer a deviation
        "bidders": "",
    }
    assert "critical" not in {x["id"] for x in data() if x.get("line") == "deviation"}


def test_upgrade_waits_for_resume_when_the_route_has_changed(run: Run) -> None:
    Path("old.md").write_text(FORMAT_1.read_text("utf-8"), "utf-8")
    local = Path("journeys")
    local.mkdir()
    route = (VALID / "walk.yaml").read_text("utf-8")
    (local / "walk.yaml").write_text(route.replace("title:", "title: Changed", 1), "utf-8")
    code, _, err = run("upgrade", "old.md")
    assert code == 1
    assert err == (
        "old.md: not upgraded: its route has changed or is missing; "
        "run `journey resume` on it first\n"
    )


def test_upgrade_of_a_file_that_is_not_there_says_so(run: Run) -> None:
    code, out, err = run("upgrade", "missing.md")
    assert (code, out, err) == (2, "", "no such record: missing.md\n")
