"""The walk engine, with no terminal: conditions, back, skip, review and change, resume."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec
import pytest

from conftest import BASE, WALK, ticking
from journey.records.checklist import render
from journey.records.format import read
from journey.routes.loader import LoadedRoute, load_route
from journey.walk.drive import Back, Give, Quit, Skip, apply_given, drive
from journey.walk.engine import NeedReason, Refused, Walk, new_record


@pytest.fixture
def loaded() -> LoadedRoute:
    return load_route(WALK)


@pytest.fixture
def walk(loaded: LoadedRoute) -> Walk:
    rec = new_record(
        loaded, title="Catering", owner="Ann", reference="C-1", now="2026-11-23T09:00:00Z"
    )
    return Walk(loaded, rec, user="Ann", clock=ticking())


def test_conditions_decide_the_active_path(walk: Walk) -> None:
    assert "escalated" not in walk.applicable()
    assert "benefits" not in walk.applicable()
    walk.answer("value", "£4,000,000")
    walk.answer("critical", True, reason="Statutory school meals")
    assert {"escalated", "benefits"} <= set(walk.applicable())
    walk.answer("what", "Works")
    assert "lots" not in walk.applicable()


def test_progress_counts_only_the_active_path(walk: Walk) -> None:
    assert walk.progress() == (0, 10)
    walk.answer("value", "5000000")
    assert walk.progress() == (1, 11)


def next_id(walk: Walk) -> str | None:
    """The id of the walk's next open checkpoint (None when nothing is open)."""
    cp = walk.next_open()
    return cp.id if cp else None


def test_next_open_is_the_first_unanswered_applicable_checkpoint(walk: Walk) -> None:
    assert next_id(walk) == "value"
    walk.answer("value", "100")
    walk.answer("what", "Goods")
    assert next_id(walk) == "critical"


def test_answers_are_parsed_into_canonical_values(walk: Walk) -> None:
    walk.answer("value", "£120,000.5")
    walk.answer("notice-date", "2026-03-02")
    walk.answer("bidders", "4")
    assert walk.record.answers["value"].value == "120000.50"
    assert walk.record.answers["bidders"].value == 4
    assert walk.record.answers["value"].by == "Ann"


def test_a_deviation_needs_a_reason_and_is_recorded(walk: Walk) -> None:
    with pytest.raises(NeedReason, match="expects no"):
        walk.answer("critical", True)
    walk.answer("critical", True, reason="It feeds 12 schools")
    deviation = walk.record.deviations["critical"]
    assert (deviation.kind, deviation.reason, deviation.by) == (
        "answer",
        "It feeds 12 schools",
        "Ann",
    )
    walk.answer("critical", False, reason="Misread the question")
    assert "critical" not in walk.record.deviations


def test_skip_is_only_for_optional_checkpoints_and_keeps_the_reason(walk: Walk) -> None:
    with pytest.raises(Refused, match="mandatory"):
        walk.skip("bidders", "no time")
    with pytest.raises(NeedReason):
        walk.skip("notes", "  ")
    walk.skip("notes", "Nothing to add")
    assert walk.record.deviations["notes"].kind == "skip"
    assert walk.done("notes")


def test_changing_an_answer_needs_a_reason_and_keeps_history(walk: Walk) -> None:
    walk.answer("bidders", 4)
    first_at = walk.record.answers["bidders"].at
    with pytest.raises(NeedReason, match="changing an earlier answer"):
        walk.answer("bidders", 5)
    walk.answer("bidders", 5, reason="A late bid was admitted")
    change = walk.record.history[-1]
    assert (change.checkpoint, change.old, change.new, change.reason) == (
        "bidders",
        4,
        5,
        "A late bid was admitted",
    )
    assert change.by == "Ann" and change.at > first_at


def test_the_same_answer_again_changes_nothing(walk: Walk) -> None:
    walk.answer("bidders", 4)
    before = walk.record.updated
    walk.answer("bidders", "4")
    assert walk.record.history == [] and walk.record.updated == before


def test_segregated_sign_offs_refuse_the_same_person(walk: Walk) -> None:
    walk.answer("budget-holder", {"name": "Bea Holder", "role": "Budget holder"})
    with pytest.raises(Refused, match="Bea Holder already signed as Budget holder"):
        walk.answer("officer", {"name": "bea  holder", "role": "Procurement officer"})
    walk.answer("officer", {"name": "Ola Officer", "role": "Procurement officer"})


def test_previous_goes_back_along_the_active_path(walk: Walk) -> None:
    assert walk.previous("value") is None
    back = walk.previous("notice-date")
    assert back is not None and back.id == "critical"  # 'escalated' and 'benefits' do not apply


def test_finish_refuses_while_mandatory_checkpoints_are_open(walk: Walk) -> None:
    with pytest.raises(Refused, match="still open"):
        walk.finish()
    apply_given(walk, BASE)
    walk.finish()
    assert walk.record.status == "complete"


def test_apply_given_follows_conditions_in_one_pass(walk: Walk) -> None:
    saves: list[int] = []
    walk.on_change = lambda w: saves.append(1)
    given = dict(BASE, value="5000000", benefits=True, escalated=True)
    apply_given(walk, given)
    assert "benefits" in walk.record.answers
    assert "escalated" not in walk.record.answers  # critical is false, so it does not apply
    assert saves == [1]


def test_apply_given_leaves_an_unexplained_deviation_for_the_buyer(walk: Walk) -> None:
    apply_given(walk, {"critical": True})
    assert "critical" not in walk.record.answers
    apply_given(walk, {"critical": {"value": True, "reason": "Core service"}})
    assert walk.record.deviations["critical"].reason == "Core service"


def test_a_later_change_can_reopen_a_complete_record(walk: Walk) -> None:
    apply_given(walk, BASE)
    walk.finish()
    walk.answer("value", "4500000", reason="Extensions added")
    assert walk.record.status == "in-progress"
    assert next_id(walk) == "benefits"


def test_deadlines_follow_dates_and_skip_weekends_and_holidays(walk: Walk) -> None:
    from journey.walk.deadlines import due_dates

    walk.answer("notice-date", "2026-11-01")  # + 30 days = Tue 1 Dec; St Andrew's Day is Mon 30 Nov
    (due,) = due_dates(walk.route, walk.effective_answers())
    assert due.date.isoformat() == "2026-12-01"
    walk.answer("notice-date", "2026-10-31", reason="typo")  # + 30 = Mon 30 Nov, a holiday
    (due,) = due_dates(walk.route, walk.effective_answers())
    assert due.date.isoformat() == "2026-12-01"
    assert "moved to the next Scottish working day" in due.rule


class FakeUI:
    """A scripted front end: a queue of actions, reasons and review choices."""

    def __init__(
        self, actions: list[Any], reasons: Sequence[str] = (), reviews: Sequence[Any] = ()
    ) -> None:
        self.actions = list(actions)
        self.reasons = list(reasons)
        self.reviews = list(reviews)
        self.asked: list[str] = []
        self.problems: list[str] = []
        self.steps: list[str] = []

    def step(self, walk: Walk, place: Any) -> None:
        self.steps.append(place.step.id)

    def ask(self, walk: Walk, cp: Any, current: Any) -> Any:
        self.asked.append(cp.id)
        return self.actions.pop(0)

    def reason(self, question: str) -> str:
        return self.reasons.pop(0)

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def review(self, walk: Walk) -> Any:
        return self.reviews.pop(0) if self.reviews else None


def test_drive_goes_back_and_changes_an_answer(walk: Walk) -> None:
    ui = FakeUI(
        [Give("100"), Give("Goods"), Back(), Give("Services"), Give("no")],
        reasons=["Wrong category"],
        reviews=[Quit()],
    )
    apply_given(walk, {k: v for k, v in BASE.items() if k not in ("value", "what", "critical")})
    assert drive(walk, ui) is False
    assert ui.asked == ["value", "what", "critical", "what", "critical"]
    assert walk.record.answers["what"].value == "Services"
    assert walk.record.history[0].reason == "Wrong category"


def test_drive_reports_bad_answers_and_asks_again(walk: Walk) -> None:
    ui = FakeUI([Back(), Give("lots"), Give("120000"), Quit()])
    assert drive(walk, ui) is False
    assert ui.problems[0].startswith("This is the first checkpoint")
    assert ui.problems[1] == "expected an amount of money, e.g. £120,000.50 or 120000"
    assert walk.record.answers["value"].value == "120000.00"


def test_drive_skips_optional_and_refuses_to_skip_mandatory(walk: Walk) -> None:
    apply_given(walk, {k: v for k, v in BASE.items() if k not in ("notes", "bidders")})
    ui = FakeUI([Skip(), Give("3")], reasons=["Nothing to note"])
    assert drive(walk, ui) is True
    assert walk.record.deviations["notes"].reason == "Nothing to note"
    assert walk.record.status == "complete"


def test_review_can_change_any_answer_before_finishing(walk: Walk) -> None:
    apply_given(walk, BASE)
    ui = FakeUI([Give("5")], reasons=["Recounted"], reviews=["bidders", None])
    assert drive(walk, ui) is True
    assert walk.record.answers["bidders"].value == 5
    assert walk.record.status == "complete"


def test_records_are_byte_identical_for_the_same_answers_and_clock(loaded: LoadedRoute) -> None:
    texts = []
    for _ in range(2):
        rec = new_record(
            loaded, title="Catering", owner="Ann", reference="", now="2026-11-23T09:00:00Z"
        )
        w = Walk(loaded, rec, user="Ann", clock=ticking())
        apply_given(w, BASE)
        w.finish()
        texts.append(render(w))
    assert texts[0] == texts[1]


def test_a_record_round_trips_through_its_file(walk: Walk) -> None:
    apply_given(walk, dict(BASE, critical={"value": True, "reason": "Core"}, escalated=True))
    walk.answer("bidders", 6, reason="Recount")
    text = render(walk)
    record, _, _ = read(text, "r.md")
    assert record.digest.startswith("sha256:")
    assert msgspec.structs.replace(record, digest="") == walk.record


def _changed_route(tmp_path: Path) -> LoadedRoute:
    text = WALK.read_text(encoding="utf-8")
    text = text.replace(
        "          - id: notes\n",
        "          - id: risk-log\n            prompt: Risk log kept?\n"
        "            kind: confirm\n          - id: notes-moved\n",
    )
    text = text.replace("          - id: evidence\n", "          - id: evidence-2\n")
    path = tmp_path / "walk.yaml"
    path.write_text(text.replace('version: "1.0"', 'version: "1.1"'), encoding="utf-8")
    return load_route(path)


def test_resume_on_a_changed_route_asks_added_and_retires_removed(
    walk: Walk, tmp_path: Path
) -> None:
    apply_given(walk, BASE)
    newer = _changed_route(tmp_path)
    resumed = Walk(newer, walk.record, user="Bo", clock=ticking())
    change = resumed.follow_route()
    assert change is not None
    assert change.old_version == "1.0"
    assert change.added == ["risk-log", "notes-moved", "evidence-2"]
    assert change.removed == ["evidence", "notes"]
    assert resumed.record.retired["notes"].value == "none"
    assert resumed.record.retired["evidence"].value == "reports/eval.pdf"
    assert resumed.record.route_version == "1.1"
    assert next_id(resumed) == "risk-log"
    assert resumed.follow_route() is None


def test_the_route_digest_ignores_comments_and_layout(tmp_path: Path) -> None:
    text = WALK.read_text(encoding="utf-8")
    reflowed = tmp_path / "walk.yaml"
    reflowed.write_text(
        "# a new comment\n" + text.replace('version: "1.0"', "version: '1.0'"), encoding="utf-8"
    )
    assert load_route(reflowed).digest == load_route(WALK).digest
    reworded = tmp_path / "reworded.yaml"
    reworded.write_text(text.replace("How many bids?", "How many tenders?"), encoding="utf-8")
    assert load_route(reworded).digest != load_route(WALK).digest


def test_given_answers_that_cannot_be_applied_are_noted_not_lost(walk: Walk) -> None:
    saves: list[int] = []
    walk.on_change = lambda w: saves.append(1)
    notes = apply_given(
        walk,
        {
            "value": "100",
            "critical": True,
            "budget-holder": "Bea Holder",
            "officer": "Bea Holder",
        },
    )
    assert [str(n) for n in notes] == [
        "critical: not applied: This checkpoint is mandatory and expects no. Why yes? "
        "(give it as {value: ..., reason: ...})",
        "officer: not applied: Bea Holder already signed as Budget holder; "
        "the route requires a different person here",
    ]
    assert set(walk.record.answers) == {"value", "budget-holder"}
    assert saves == [1]
    assert [(n.checkpoint, n.message) for n in apply_given(walk, {"value": "200"})] == [
        ("value", "already answered in the record; the answer there is kept")
    ]


def test_a_sign_off_keeps_the_role_the_route_gives_it(walk: Walk) -> None:
    from journey.walk.answers import BadAnswer

    with pytest.raises(
        BadAnswer, match="this sign-off is for the role 'Budget holder', not 'Chair'"
    ):
        walk.answer("budget-holder", "Bea Holder, Chair")
    walk.answer("budget-holder", "Bea Holder")
    assert walk.record.answers["budget-holder"].value == {
        "name": "Bea Holder",
        "role": "Budget holder",
    }
