"""The route finder at every boundary, on the thresholds data as shipped."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from journey.cli.main import run
from journey.routes.thresholds import load_thresholds
from journey.walk.finder import Need, advise

TABLE = load_thresholds()
BEFORE_2026 = dt.date(2025, 12, 31)
FROM_2026 = dt.date(2026, 1, 1)
PENNY = Decimal("0.01")


def route_for(
    value: str,
    *,
    body: str = "sub-central",
    vat: bool = False,
    on: dt.date = FROM_2026,
    what: str = "services",
) -> str | None:
    need = Need(what=what, body=body, annual_value=Decimal(value), vat_included=vat, on=on)  # type: ignore[arg-type]
    return advise(need, TABLE).route


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("49999.99", "scotland-route-1"),
        ("50000.00", "scotland-route-2"),
        ("50000.01", "scotland-route-2"),
    ],
)
def test_the_2014_act_threshold_excluding_vat(value: str, expected: str) -> None:
    assert route_for(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("59999.99", "scotland-route-1"),
        ("60000.00", "scotland-route-2"),
        ("60000.01", "scotland-route-2"),
    ],
)
def test_the_2014_act_threshold_when_the_value_includes_vat(value: str, expected: str) -> None:
    assert route_for(value, vat=True) == expected


@pytest.mark.parametrize(
    ("body", "on", "threshold"),
    [
        ("sub-central", BEFORE_2026, Decimal("214904")),
        ("sub-central", FROM_2026, Decimal("207720")),
        ("central-government", BEFORE_2026, Decimal("139688")),
        ("central-government", FROM_2026, Decimal("135018")),
    ],
)
def test_the_gpa_threshold_including_vat_on_each_side_of_1_january_2026(
    body: str, on: dt.date, threshold: Decimal
) -> None:
    assert route_for(str(threshold - PENNY), body=body, vat=True, on=on) == "scotland-route-2"
    assert route_for(str(threshold), body=body, vat=True, on=on) == "scotland-route-3"
    assert route_for(str(threshold + PENNY), body=body, vat=True, on=on) == "scotland-route-3"


def test_a_value_between_the_old_and_new_gpa_thresholds_changes_route_on_1_january_2026() -> None:
    value = "210000"  # including VAT: below £214,904 (2024-25), above £207,720 (2026)
    assert route_for(value, vat=True, on=BEFORE_2026) == "scotland-route-2"
    assert route_for(value, vat=True, on=FROM_2026) == "scotland-route-3"


def test_excluding_vat_the_gpa_comparison_adds_vat() -> None:
    # £173,100 ex VAT is £207,720 with VAT: exactly the 2026 sub-central threshold.
    assert route_for("173099.99") == "scotland-route-2"
    assert route_for("173100.00") == "scotland-route-3"


def test_whole_life_value_counts_years_and_extensions() -> None:
    need = Need(
        what="goods",
        body="sub-central",
        annual_value=Decimal("10000"),
        years=Decimal(3),
        extension_years=Decimal(1),
        on=FROM_2026,
    )
    advice = advise(need, TABLE)
    assert advice.route == "scotland-route-1"
    assert advice.whole_life_ex_vat == Decimal("40000.00")
    assert advice.reasons[0] == (
        "Whole-life value: £10,000 a year × 4 years (3 + 1 extension) = £40,000 excluding VAT."
    )
    need = Need(
        what="goods",
        body="sub-central",
        annual_value=Decimal("12500"),
        years=Decimal(3),
        extension_years=Decimal(1),
        on=FROM_2026,
    )
    assert advise(need, TABLE).route == "scotland-route-2"


def test_an_unknown_value_leads_to_route_3() -> None:
    need = Need(what="services", body="sub-central", annual_value=None, on=FROM_2026)
    advice = advise(need, TABLE)
    assert advice.route == "scotland-route-3"
    assert "cannot be estimated" in advice.headline


def test_works_are_sent_to_the_construction_handbook() -> None:
    advice = advise(Need(what="works", body="sub-central", annual_value=None, on=FROM_2026), TABLE)
    assert advice.route is None
    assert "Construction Procurement Handbook" in advice.reasons[0]
    assert advice.cited[0].id == "prsa-works"


def test_an_existing_framework_leads_to_a_call_off_whatever_the_value() -> None:
    need = Need(
        what="goods",
        body="sub-central",
        annual_value=Decimal("900000"),
        framework=True,
        on=FROM_2026,
    )
    advice = advise(need, TABLE)
    assert advice.route == "scotland-framework-call-off"
    assert "still apply" in advice.reasons[1]


def test_social_services_use_the_light_touch_threshold() -> None:
    assert (
        route_for("663539.99", vat=True, what="social-and-other-specific-services")
        == "scotland-route-2"
    )
    assert (
        route_for("663540", vat=True, what="social-and-other-specific-services")
        == "scotland-route-3"
    )


def test_every_advice_warns_against_splitting_and_cites_the_row_and_its_date() -> None:
    need = Need(what="services", body="sub-central", annual_value=Decimal("60000"), on=FROM_2026)
    advice = advise(need, TABLE)
    assert any("split" in w for w in advice.warnings)
    assert [r.id for r in advice.cited] == [
        "prsa-goods-services",
        "pcsr-2026-sub-central-goods-services",
    ]
    assert advice.cited[1].effective_from == FROM_2026


def test_risk_answers_on_route_1_say_to_contact_the_procurement_function() -> None:
    need = Need(
        what="goods",
        body="sub-central",
        annual_value=Decimal("1000"),
        business_critical=True,
        on=FROM_2026,
    )
    advice = advise(need, TABLE)
    assert advice.route == "scotland-route-1"
    assert any("Procurement Function" in w for w in advice.warnings)


def test_choose_json_from_flags(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "choose",
            "--what",
            "services",
            "--body",
            "sub-central",
            "--annual-value",
            "£60,000",
            "--years",
            "3",
            "--extensions",
            "1",
            "--vat",
            "excluded",
            "--no-framework",
            "--date",
            "2026-01-01",
            "--json",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    advice = json.loads(out)
    assert advice["route"] == "scotland-route-3"
    assert advice["whole_life_value_including_vat"] == "288000.00"
    assert advice["thresholds"][1]["effective_from"] == "2026-01-01"
    assert advice["answers_for_the_walk"]["whole-life-value"] == "240000.00"


def test_choose_without_a_terminal_names_every_missing_flag(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run(["choose", "--what", "goods", "--no-input"])
    err = capsys.readouterr().err
    assert code == 2
    assert (
        err
        == "journey: the route finder needs --body, --annual-value, --vat, --framework (or a terminal to ask)\n"
    )


def test_choose_outside_the_thresholds_dates_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "choose",
            "--what",
            "goods",
            "--body",
            "sub-central",
            "--annual-value",
            "100000",
            "--vat",
            "excluded",
            "--no-framework",
            "--date",
            "2023-06-01",
            "--no-input",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "is in force on 2023-06-01" in err
