"""The routes shipped with the tool: valid, uniquely named, and every checkpoint has a basis."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pytest

from journey.routes.catalogue import DATA_FILES, builtin_dir
from journey.routes.loader import LoadedRoute, load_route
from journey.routes.model import Route

ROUTE_FILES = sorted(
    p for p in builtin_dir().iterdir() if p.suffix in (".yaml", ".yml") and p.name not in DATA_FILES
)


def test_the_builtin_folder_holds_routes() -> None:
    assert builtin_dir().is_dir()
    assert len(ROUTE_FILES) >= 3


@pytest.fixture(params=ROUTE_FILES, ids=lambda p: p.name)
def loaded(request: pytest.FixtureRequest) -> LoadedRoute:
    path: Path = request.param
    return load_route(path)


def test_builtin_route_is_valid_and_named_after_its_file(loaded: LoadedRoute) -> None:
    assert loaded.route.id == loaded.path.stem


def test_every_builtin_checkpoint_rests_on_a_basis(loaded: LoadedRoute) -> None:
    checkpoints = loaded.route.checkpoints()
    assert checkpoints
    assert [c.id for c in checkpoints if not c.basis] == []


def test_route_ids_are_unique_across_builtin_files() -> None:
    ids = Counter(load_route(p).route.id for p in ROUTE_FILES)
    assert [i for i, n in ids.items() if n > 1] == []


# ---- the law as the audit of 2026-11-29 found it (../shared/reports/2026-11-29/accuracy.md)


def route(route_id: str) -> Route:
    return load_route(builtin_dir() / f"{route_id}.yaml").route


def due(route_id: str, answers: dict[str, object]) -> dict[str, str]:
    from journey.walk.deadlines import due_dates

    return {d.id: d.date.isoformat() for d in due_dates(route(route_id), answers)}


def test_call_off_award_notice_moves_back_to_the_previous_working_day() -> None:
    # Award Thu 8 Jan 2026: day 30 is Sat 7 Feb, so the notice is due Fri 6 Feb (audit A1).
    answers = {"contract-award-date": "2026-01-08", "whole-life-value": 60000}
    assert due("scotland-framework-call-off", answers)["award-notice-due"] == "2026-02-06"
    for route_id in ("scotland-route-2", "scotland-route-3"):
        assert due(route_id, {"contract-award-date": "2026-01-08"})["award-notice-due"] == (
            "2026-02-06"
        )


@pytest.mark.parametrize(
    ("route_id", "notice", "asked", "extra"),
    [
        ("scotland-route-2", "reasons-notice-date", "further-information-requested", {}),
        (
            "scotland-framework-call-off",
            "notice-received-date",
            "further-information-request-received",
            {"whole-life-value": 60000, "call-off-method": "Mini-competition"},
        ),
    ],
)
def test_section_33_periods_are_30_days_beginning_on_the_day_of_receipt(
    route_id: str, notice: str, asked: str, extra: dict[str, object]
) -> None:
    # s.33(2)(b), (3): "30 days beginning on" Mon 12 Jan 2026 ends Tue 10 Feb 2026 (audit A2).
    dates = due(route_id, {notice: "2026-01-12", asked: "2026-01-12", **extra})
    assert dates["further-information-request-window"] == "2026-02-10"
    assert dates["further-information-reply-due"] == "2026-02-10"
    # Last day Sun 15 Feb (request Sat 17 Jan): the reply moves back to Fri 13 Feb.
    dates = due(route_id, {asked: "2026-01-17", **extra})
    assert dates["further-information-reply-due"] == "2026-02-13"


@pytest.mark.parametrize(
    ("route_id", "checkpoint"),
    [
        ("scotland-route-2", "contracts-register-entry"),
        ("scotland-route-3", "contracts-register"),
        ("scotland-framework-call-off", "contracts-register"),
    ],
)
def test_the_contracts_register_is_public_not_a_choice(route_id: str, checkpoint: str) -> None:
    (cp,) = [c for c in route(route_id).checkpoints() if c.id == checkpoint]
    assert cp.kind == "confirm" and cp.required  # s.35(5): no "not publicly viewable" answer
    assert any("s.35(5)" in b.ref for b in cp.basis)


def test_the_award_notice_statement_follows_benefits_in_the_contract_not_the_value() -> None:
    from journey.walk.conditions import holds

    (cp,) = [
        c for c in route("scotland-route-3").checkpoints() if c.id == "community-benefits-statement"
    ]
    none = {
        "whole-life-value": 5000000,
        "community-benefits-in-notice": "The reasons for not including any",
    }
    some = {
        **none,
        "community-benefits-in-notice": "A summary of the community benefit requirements",
    }
    assert not holds(cp.when, none)  # s.25(4): only where the contract includes them (audit A4)
    assert holds(cp.when, some)
    assert not holds(cp.when, {**some, "whole-life-value": 3999999.99})


def test_every_route_the_finder_can_recommend_is_shipped() -> None:
    from journey.walk.finder import LIGHT_TOUCH_ROUTE

    shipped = {p.stem for p in ROUTE_FILES}
    for route_id in (
        "scotland-route-1",
        "scotland-route-2",
        "scotland-route-3",
        "scotland-framework-call-off",
        LIGHT_TOUCH_ROUTE,
    ):
        assert route_id in shipped


def applies(route_id: str, checkpoint: str, answers: Mapping[str, object]) -> bool:
    from journey.walk.conditions import holds

    (cp,) = [c for c in route(route_id).checkpoints() if c.id == checkpoint]
    return holds(cp.when, answers)


def test_call_offs_of_4m_or_more_carry_the_community_benefit_duty() -> None:
    route_id = "scotland-framework-call-off"
    assert applies(
        route_id, "call-off-community-benefits-considered", {"whole-life-value": 4000000}
    )
    assert not applies(
        route_id, "call-off-community-benefits-considered", {"whole-life-value": 3999999.99}
    )
    included = {"whole-life-value": 4000000, "call-off-community-benefits-included": True}
    assert applies(route_id, "call-off-community-benefits-statement", included)
    none = {**included, "call-off-community-benefits-included": False}
    assert not applies(route_id, "call-off-community-benefits-statement", none)


@pytest.mark.parametrize(
    ("regime", "expected"),
    [
        ("The 2015 Regulations (at or above the GPA threshold)", True),
        ("Not sure", True),
        ("The 2014 Act only (below the GPA threshold)", False),
    ],
)
def test_reg_34_mini_competition_rules_apply_under_a_pcsr_framework(
    regime: str, expected: bool
) -> None:
    answers = {"call-off-method": "Mini-competition", "framework-regime": regime}
    for checkpoint in (
        "mini-competition-consulted-in-writing",
        "mini-competition-time-limit",
        "mini-competition-sealed",
        "mini-competition-best-tender",
    ):
        assert applies("scotland-framework-call-off", checkpoint, answers) is expected
    direct = {**answers, "call-off-method": "Direct award"}
    assert not applies("scotland-framework-call-off", "mini-competition-sealed", direct)


def test_route_3_has_the_reg_83_report_and_the_reg_85_notice_contents() -> None:
    ids = {c.id: c for c in route("scotland-route-3").checkpoints()}
    assert ids["reg-83-report"].required and ids["reg-83-report"].kind == "evidence"
    assert applies(
        "scotland-route-3",
        "award-decision-notice-contents",
        {"standstill-position": "Standstill applies"},
    )
    standstill = [c for c in ids.values() if c.id == "standstill-position"][0]
    assert "Exempt: no notice required under regulation 85(1)" in standstill.choices


def test_the_light_touch_route_computes_its_award_notice_date() -> None:
    dates = due("scotland-light-touch", {"contract-award-date": "2026-01-08"})
    assert dates == {"award-notice-due": "2026-02-06"}


@pytest.mark.parametrize(
    "path", [p for p in ROUTE_FILES if p.stem.startswith("scotland-")], ids=lambda p: p.stem
)
def test_each_scottish_source_records_when_the_route_was_checked_against_it(path: Path) -> None:
    route = load_route(path).route
    assert route.reviewed is not None
    assert [s.id for s in route.sources if s.checked is None] == []
    assert all(s.checked <= route.reviewed for s in route.sources if s.checked)
