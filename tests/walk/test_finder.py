"""The route finder at every boundary, on the thresholds data as shipped."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from journey.cli.main import run
from journey.routes.thresholds import Threshold, load_thresholds
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
    treatment: str = "standard",
    years: str = "1",
) -> str | None:
    need = Need(
        what=what,  # type: ignore[arg-type]
        body=body,  # type: ignore[arg-type]
        annual_value=Decimal(value),
        years=Decimal(years),
        vat_included=vat,
        on=on,
        vat_treatment=treatment,  # type: ignore[arg-type]
    )
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
        == "scotland-light-touch"
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
            "2016-04-17",
            "--no-input",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "is in force on 2016-04-17" in err  # the day before the 2014 Act's s.3 commenced


# ---- The boundary table: every Scottish threshold row the finder uses, exactly and a
# penny either side, on each side of 1 January 2026 (and in 2023), each VAT treatment.

R1, R2, R3, LT, CALL_OFF = (
    "scotland-route-1",
    "scotland-route-2",
    "scotland-route-3",
    "scotland-light-touch",
    "scotland-framework-call-off",
)
IN_2023 = dt.date(2023, 6, 1)
SOCIAL = "social-and-other-specific-services"
# (date, body, what, threshold including VAT, route at or above it)
GPA_ROWS = [
    (IN_2023, "central-government", "services", "138760", R3),
    (IN_2023, "sub-central", "goods", "213477", R3),
    (IN_2023, "sub-central", SOCIAL, "663540", LT),
    (BEFORE_2026, "central-government", "services", "139688", R3),
    (BEFORE_2026, "sub-central", "goods-and-services", "214904", R3),
    (BEFORE_2026, "central-government", SOCIAL, "663540", LT),
    (FROM_2026, "central-government", "goods", "135018", R3),
    (FROM_2026, "sub-central", "services", "207720", R3),
    (FROM_2026, "sub-central", SOCIAL, "663540", LT),
]


@pytest.mark.parametrize(("on", "body", "what", "threshold", "above"), GPA_ROWS)
def test_each_gpa_row_exactly_and_a_penny_either_side(
    on: dt.date, body: str, what: str, threshold: str, above: str
) -> None:
    at = Decimal(threshold)
    kw: dict[str, object] = {"body": body, "what": what, "on": on, "vat": True}
    assert route_for(str(at - PENNY), **kw) == R2  # type: ignore[arg-type]
    assert route_for(str(at), **kw) == above  # type: ignore[arg-type]
    assert route_for(str(at + PENNY), **kw) == above  # type: ignore[arg-type]


@pytest.mark.parametrize("on", [IN_2023, BEFORE_2026, FROM_2026])
@pytest.mark.parametrize("what", ["goods", "services", SOCIAL])
def test_the_act_row_exactly_and_a_penny_either_side(on: dt.date, what: str) -> None:
    assert route_for("49999.99", what=what, on=on) == R1
    assert route_for("50000", what=what, on=on) == R2  # s.3: "equal to or greater than"
    assert route_for("50000.01", what=what, on=on) == R2


@pytest.mark.parametrize(
    ("treatment", "at_act_inc_vat", "at_gpa_ex_vat_below", "at_gpa_ex_vat_at"),
    [
        # 50,000 × 1.2; 207,720 / 1.2 = 173,100
        ("standard", "60000", "173099.99", "173100"),
        # 50,000 × 1.05; 207,720 / 1.05 = 197,828.571…
        ("reduced", "52500", "197828.57", "197828.58"),
        ("zero-rated", "50000", "207719.99", "207720"),
        ("exempt", "50000", "207719.99", "207720"),
        ("outside-scope", "50000", "207719.99", "207720"),
    ],
)
def test_each_vat_treatment_adds_vat_only_where_it_applies_at_its_rate(
    treatment: str, at_act_inc_vat: str, at_gpa_ex_vat_below: str, at_gpa_ex_vat_at: str
) -> None:
    # The value includes VAT: the 2014 Act compares it without VAT (s.5(1)).
    at = Decimal(at_act_inc_vat)
    assert route_for(str(at - PENNY), vat=True, treatment=treatment) == R1
    assert route_for(str(at), vat=True, treatment=treatment) == R2
    # The value excludes VAT: the GPA threshold compares it with VAT at its rate (SPPN 4/2025).
    assert route_for(at_gpa_ex_vat_below, treatment=treatment) == R2
    assert route_for(at_gpa_ex_vat_at, treatment=treatment) == R3


def test_the_audit_cases_of_vat_and_fractional_pennies() -> None:
    # A VAT-exempt £120,000 service is below £135,018: Route 2, not Route 3 (audit A7).
    assert route_for("120000", body="central-government", treatment="exempt") == R2
    assert route_for("120000", body="central-government") == R3  # standard-rated: £144,000
    # £58,000 including 5% VAT is £55,238.10 without it: regulated (audit A7, unsafe direction).
    assert route_for("58000", vat=True, what="goods", treatment="reduced") == R2
    assert route_for("58000", vat=True, what="goods") == R1
    # A year and a half at £33,333.33 is £49,999.995: under £50,000 (audit A12).
    assert route_for("33333.33", years="1.5", what="goods") == R1
    assert route_for("33333.34", years="1.5", what="goods") == R2


def test_a_fractional_value_is_shown_and_carried_exactly() -> None:
    need = Need(
        what="goods",
        body="sub-central",
        annual_value=Decimal("33333.33"),
        years=Decimal("1.5"),
        on=FROM_2026,
    )
    advice = advise(need, TABLE)
    assert advice.whole_life_ex_vat == Decimal("49999.995")
    assert (
        "£49,999.995 excluding VAT is below the 2014 Act threshold of £50,000"
        in (advice.reasons[-1])
    )
    # The walk gets the penny below, so its own £50,000 conditions agree with the finder.
    assert advice.given(need)["whole-life-value"] == "49999.99"


@pytest.mark.parametrize("on", [IN_2023, FROM_2026])
def test_works_and_concessions_are_routed_out_with_the_reason_and_source(on: dt.date) -> None:
    works = advise(Need(what="works", body="sub-central", annual_value=None, on=on), TABLE)
    assert works.route is None
    assert [r.contract for r in works.cited] == ["works", "works"]  # the Act and PCSR rows
    concession = advise(
        Need(what="concession", body="sub-central", annual_value=None, on=on), TABLE
    )
    assert concession.route is None
    assert "Concession Contracts (Scotland) Regulations 2016" in " ".join(concession.reasons)
    assert "legislation.gov.uk/ssi/2016/65" in " ".join(concession.reasons)


@pytest.mark.parametrize("value", [None, Decimal("10000"), Decimal("4000000")])
def test_frameworks_lead_to_the_call_off_and_cite_the_community_benefit_row(
    value: Decimal | None,
) -> None:
    need = Need(
        what="services", body="sub-central", annual_value=value, framework=True, on=FROM_2026
    )
    advice = advise(need, TABLE)
    assert advice.route == CALL_OFF
    assert [r.id for r in advice.cited] == ["prsa-goods-services", "prsa-community-benefits"]
    assert "s.25" in advice.reasons[2]


@pytest.mark.parametrize(("what", "expected"), [("goods", R3), (SOCIAL, LT)])
def test_an_unknown_value_takes_the_full_rules(what: str, expected: str) -> None:
    need = Need(what=what, body="sub-central", annual_value=None, on=FROM_2026)  # type: ignore[arg-type]
    assert advise(need, TABLE).route == expected


def choose_json(*flags: str) -> dict[str, object]:
    from typer.testing import CliRunner

    from journey.cli.app import app

    result = CliRunner().invoke(app, ["choose", *flags, "--no-framework", "--json"])
    assert result.exit_code == 0, result.output
    out: dict[str, object] = json.loads(result.output)
    return out


def test_choose_json_keeps_each_rows_inferred_flag_and_plain_note() -> None:
    advice = choose_json(
        "--what", "goods", "--body", "sub-central", "--annual-value", "300000",
        "--vat", "excluded", "--date", "2026-02-01",
    )  # fmt: skip
    rows = {r["id"]: r for r in advice["thresholds"]}  # type: ignore[attr-defined]
    assert rows["pcsr-2026-sub-central-goods-services"]["inferred"] is True
    assert "SPPN 4/2025" in rows["pcsr-2026-sub-central-goods-services"]["note"]
    assert rows["prsa-goods-services"]["inferred"] is False
    assert advice["vat_treatment"] == "standard"


def test_choose_takes_the_vat_treatment_and_keeps_the_old_vat_flag() -> None:
    advice = choose_json(
        "--what", "services", "--body", "central-government", "--annual-value", "120000",
        "--vat", "excluded", "--vat-treatment", "exempt", "--date", "2026-02-01",
    )  # fmt: skip
    assert advice["route"] == R2
    assert advice["vat_rate"] == "0.00"
    # No --vat needed when no VAT applies: the value is the same either way.
    advice = choose_json(
        "--what", "goods", "--body", "sub-central", "--annual-value", "49999.99",
        "--vat-treatment", "zero-rated", "--date", "2026-02-01",
    )  # fmt: skip
    assert advice["route"] == R1


def test_choose_refuses_an_unknown_vat_treatment_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run(
        ["choose", "--what", "goods", "--body", "sub-central", "--annual-value", "1",
         "--vat", "excluded", "--vat-treatment", "20", "--no-framework", "--no-input"]
    )  # fmt: skip
    assert code == 2
    assert capsys.readouterr().err == (
        "journey: --vat-treatment must be one of standard, reduced, zero-rated, exempt, "
        "outside-scope\n"
    )


def test_in_a_terminal_the_finder_asks_the_vat_treatment(tmp_path: Path) -> None:
    import os
    import shutil
    import sys

    import pexpect

    journey = shutil.which("journey", path=str(Path(sys.executable).parent))
    assert journey
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100", "LINES": "40", "NO_COLOR": "1"}
    flags = "--what goods --body sub-central --annual-value 58000 --years 1 --extensions 0"
    child = pexpect.spawn(
        f"{journey} choose {flags} --no-framework --date 2026-02-01 --not-business-critical "
        "--no-significant-risk --no-start",
        env=env, cwd=str(tmp_path), encoding="utf-8", timeout=20, dimensions=(40, 100),
    )  # fmt: skip
    child.expect("How is the contract treated for VAT")
    child.send("\x1b[B\r")  # the second choice: reduced-rated
    child.expect("Does that value include VAT")
    child.send("\r")  # Yes
    child.expect("Recommended: scotland-route-2")
    child.expect("reduced-rated")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


SCOTTISH = (
    "Procurement Reform (Scotland) Act 2014",
    "Public Contracts (Scotland) Regulations 2015",
)
OFFICIAL = (
    "www.legislation.gov.uk",
    "www.gov.scot",
    "www2.gov.scot",
    "www.procurementjourney.scot",
)


@pytest.mark.parametrize(
    "row", [r for r in TABLE.thresholds if r.regime in SCOTTISH], ids=lambda r: r.id
)
def test_each_scottish_row_cites_an_official_source_and_speaks_plainly(row: Threshold) -> None:
    from urllib.parse import urlsplit

    assert urlsplit(row.url).hostname in OFFICIAL
    for marker in ("[INFERRED]", "[UNCONFIRMED]", "not captured"):
        assert marker not in row.note
    if row.inferred:
        assert "Check SPPN 4/2025" in row.note
