"""The Procurement Act finder agrees with Schedule 1 at every boundary: each row exactly and a
penny either side, before and after 1 January 2026, central and sub-central, the
below-threshold notice triggers, works, light touch, concessions, each nation, unknown value."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from journey.errors import UsageError
from journey.routes.thresholds import load_thresholds
from journey.walk.finder_pa2023 import DIRECT_AWARD, PA_NATIONS, PaNeed, advise

TABLE = load_thresholds()
PENNY = Decimal("0.01")
BEFORE, AFTER = dt.date(2025, 12, 31), dt.date(2026, 1, 1)
# kind, body: (threshold for procurements started 24 Feb-31 Dec 2025, from 1 Jan 2026), incl. VAT
ROWS: dict[tuple[str, str], tuple[int, int]] = {
    ("defence-works", "sub-central"): (5372609, 5193000),
    ("defence-concession", "sub-central"): (5372609, 5193000),
    ("defence-other", "sub-central"): (429809, 415440),
    ("utilities-works", "sub-central"): (5372609, 5193000),
    ("utilities-light-touch", "sub-central"): (884720, 884720),
    ("utilities-other", "sub-central"): (429809, 415440),
    ("light-touch-concession", "sub-central"): (5372609, 5372609),
    ("light-touch", "sub-central"): (663540, 663540),
    ("concession", "sub-central"): (5372609, 5193000),
    ("works", "central-government"): (5372609, 5193000),
    ("works", "sub-central"): (5372609, 5193000),
    ("services", "central-government"): (139688, 135018),
    ("goods", "sub-central"): (214904, 207720),
}
CASES = [
    (kind, body, day, Decimal(amounts[i]) + delta, delta >= 0)
    for (kind, body), amounts in ROWS.items()
    for i, day in enumerate((BEFORE, AFTER))
    for delta in (-PENNY, Decimal(0), PENNY)
]


def need(**kw: Any) -> PaNeed:
    base: dict[str, Any] = {
        "nation": "england", "what": "goods", "body": "sub-central",
        "annual_value": Decimal(100_000), "on": AFTER,
    }  # fmt: skip
    return PaNeed(**(base | kw))


@pytest.mark.parametrize(("kind", "body", "day", "value", "above"), CASES)
def test_each_schedule_1_row_exactly_and_a_penny_either_side(
    kind: str, body: str, day: dt.date, value: Decimal, above: bool
) -> None:
    advice = advise(need(what=kind, body=body, annual_value=value, on=day), TABLE)
    assert advice.above_threshold is above
    assert advice.cited[0].amount == float(ROWS[(kind, body)][day == AFTER])
    assert advice.cited[0].vat == "included"
    assert advice.route != "uk-pa2023-direct-award"
    if kind.startswith(("utilities-", "defence-")):
        assert advice.route is None  # special rules these routes do not cover
    elif above:
        assert advice.route == "uk-pa2023-open"
        assert DIRECT_AWARD in advice.options  # an option to justify, never the route
    elif "concession" in kind:
        assert advice.route is None  # concessions are outside Part 6 (s.84)
    else:
        assert advice.route == "uk-pa2023-below-threshold"


@pytest.mark.parametrize(
    ("body", "welsh", "value", "notifiable"),
    [
        ("central-government", False, "12000", True),
        ("central-government", False, "11999.99", False),
        ("central-government", False, "12000.01", True),
        ("sub-central", False, "30000", True),
        ("sub-central", False, "29999.99", False),
        ("sub-central", False, "30000.01", True),
        ("central-government", True, "29999.99", False),  # devolved Welsh: £30,000 (s.87(4))
        ("central-government", True, "30000", True),
    ],
)
def test_below_threshold_notice_triggers(
    body: str, welsh: bool, value: str, notifiable: bool
) -> None:
    nation = "wales" if welsh else "england"
    advice = advise(
        need(nation=nation, body=body, devolved_welsh=welsh, annual_value=Decimal(value)), TABLE
    )
    assert advice.route == "uk-pa2023-below-threshold"
    assert advice.reasons[0].startswith(("England: the Procurement Act 2023 applies", "Wales: the"))
    assert advice.headline == (
        "Below threshold, notifiable" if notifiable else "Below threshold, not notifiable"
    )
    assert advice.cited[1].contract == "below-threshold-notice"


@pytest.mark.parametrize("nation", PA_NATIONS)
def test_each_nation_uses_the_same_schedule_1_rows(nation: str) -> None:
    advice = advise(need(nation=nation, annual_value=Decimal("207720")), TABLE)
    assert (advice.route, advice.cited[0].id) == (
        "uk-pa2023-open",
        "pa2023-2026-goods-services-sub-central",
    )
    assert nation in advice.cited[0].nations


def test_transferred_northern_ireland_authorities_are_outside_part_6() -> None:
    advice = advise(
        need(nation="northern-ireland", transferred_ni=True, annual_value=Decimal(50_000)), TABLE
    )
    assert advice.route is None
    assert "outside Part 6 (s.84)" in advice.reasons[-1]


def test_an_unknown_value_is_treated_as_above_the_threshold() -> None:
    advice = advise(need(annual_value=None), TABLE)
    assert (advice.route, advice.above_threshold) == ("uk-pa2023-open", True)
    assert "Sch 3 para 5" in advice.reasons[2]


def test_the_value_is_compared_including_vat() -> None:
    # £173,100 a year excluding VAT is £207,720 with VAT at 20%: exactly the 2026 threshold.
    advice = advise(need(annual_value=Decimal(173_100), vat_included=False), TABLE)
    assert advice.value_inc_vat == Decimal("207720.00")
    assert advice.above_threshold is True
    below = advise(need(annual_value=Decimal("173099.99"), vat_included=False), TABLE)
    assert below.above_threshold is False


def test_works_below_threshold_at_the_s85_figure_may_have_a_suitability_stage() -> None:
    advice = advise(need(what="works", annual_value=Decimal(207_720)), TABLE)
    assert advice.route == "uk-pa2023-below-threshold"
    assert "suitability stage is allowed (s.85(3))" in advice.reasons[-1]


def test_a_framework_is_called_off_and_over_5m_brings_kpis() -> None:
    assert advise(need(framework=True), TABLE).route == "uk-pa2023-call-off"
    big = advise(need(annual_value=Decimal("5000000.01")), TABLE)
    assert big.cited[-1].contract == "kpis-and-contract-publication"
    exactly = advise(need(annual_value=Decimal(5_000_000)), TABLE)  # "more than £5m" (s.52)
    assert all(r.contract != "kpis-and-contract-publication" for r in exactly.cited)


def test_a_procurement_started_before_the_act_is_refused_with_a_reason() -> None:
    with pytest.raises(UsageError, match="stays under the Public Contracts Regulations 2015"):
        advise(need(on=dt.date(2025, 2, 23)), TABLE)


def test_the_finder_hands_its_answers_to_the_walk() -> None:
    advice = advise(need(nation="wales", devolved_welsh=True, what="services"), TABLE)
    assert advice.given(need(nation="wales", devolved_welsh=True, what="services")) == {
        "nation": "Wales",
        "body-type": "Other contracting authority",
        "devolved-welsh": True,
        "what-is-bought": "Services",
        "estimated-value": "100000.00",
        "below-threshold": True,
        "notifiable": True,
    }
    small = advise(need(body="central-government", annual_value=Decimal(12_000)), TABLE)
    assert small.given(need(body="central-government", annual_value=Decimal(12_000))) == {
        "nation": "England",
        "body-type": "Central government authority",
        "what-is-bought": "Goods",
        "estimated-value": "12000.00",
        "below-threshold": True,
        "notifiable": True,
    }


# ---------------------------------------------------------------- journey choose --nation

FLAGS = ("--what", "services", "--body", "sub-central", "--annual-value", "60000", "--years",
         "3", "--vat", "excluded", "--no-framework", "--date", "2026-03-01", "--json")  # fmt: skip


@pytest.mark.parametrize(
    ("nation", "route", "regime"),
    [
        ("england", "uk-pa2023-open", "Procurement Act 2023"),
        ("wales", "uk-pa2023-open", "Procurement Act 2023"),
        ("northern-ireland", "uk-pa2023-open", "Procurement Act 2023"),
    ],
)
def test_choose_picks_the_regime_by_nation_then_the_route(
    run: Any, nation: str, route: str, regime: str
) -> None:
    code, out, err = run("choose", "--nation", nation, *FLAGS)
    assert (code, err) == (0, ""), out
    advice = json.loads(out)
    assert (advice["route"], advice["regime"], advice["nation"]) == (route, regime, nation)
    assert advice["whole_life_value_including_vat"] == "216000.00"  # £180,000 + 20% VAT
    assert [t["id"] for t in advice["thresholds"]] == ["pa2023-2026-goods-services-sub-central"]


def test_the_same_buyer_in_scotland_gets_a_scottish_route(run: Any) -> None:
    code, out, _ = run("choose", "--nation", "scotland", *FLAGS)
    assert code == 0, out
    assert json.loads(out)["route"].startswith("scotland-route-")
    code, out, _ = run("choose", "--nation", "scotland", *FLAGS[:-1])
    assert code == 0, out
    assert out.startswith("Scotland: the Procurement Reform (Scotland) Act 2014")


def test_the_nation_defaults_to_the_repositorys_settings(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "journey.toml").write_text(
        '[organisation]\nname = "Cardiff Council"\nscheme = "GB-LAE"\nid = "CRF"\n'
        '[ocds]\nprefix = "ocds-abc123"\n[journey]\nnation = "wales"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("choose", *FLAGS)
    assert code == 0, out
    assert json.loads(out)["nation"] == "wales"


def test_an_unknown_nation_or_missing_answers_get_one_clear_message(run: Any) -> None:
    code, _, err = run("choose", "--nation", "cornwall", *FLAGS)
    assert code == 2
    assert "--nation must be one of scotland, england, wales, northern-ireland" in err
    code, _, err = run("choose", "--nation", "england", "--what", "works", "--no-input")
    assert code == 2
    assert "the route finder needs --body, --annual-value, --framework" in err
    assert "Traceback" not in err


def test_direct_award_is_only_ever_an_option_in_the_finders_output(run: Any) -> None:
    code, out, _ = run("choose", "--nation", "england", *FLAGS)
    advice = json.loads(out)
    assert advice["route"] != "uk-pa2023-direct-award"
    assert any("not a recommendation" in o for o in advice["options"])


def test_the_advice_reads_in_80_columns_with_the_rows_cited(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEY_WIDTH", "80")
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run("choose", "--nation", "england", *FLAGS[:-1])
    assert code == 0, out
    assert max(len(line) for line in out.splitlines()) <= 80
    flat = " ".join(out.replace("│", " ").split())
    assert "Recommended: uk-pa2023-open" in flat
    assert "Regime: Procurement Act 2023" in flat
    assert "£207,720 including VAT, in force 2026-01-01 onwards" in flat
    assert "  https://www.legislation.gov.uk/ukpga/2023/54/schedule/1\n" in out  # whole, below


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--annual-value", "lots", "--annual-value: expected an amount of money"),
        ("--annual-value", "-5", "--annual-value: an amount of money must be 0 or more"),
        ("--annual-value", "1e5", "--annual-value: expected an amount of money"),
        ("--years", "0", "--years: a contract runs for some time"),
        ("--extensions", "-1", "--extensions: must be 0 or more"),
        ("--what", "biscuits", "--what must be one of goods, services"),
        ("--body", "parish", "--body must be one of central-government, sub-central"),
        ("--vat", "maybe", "--vat says whether the value you gave includes VAT"),
        ("--vat-treatment", "half", "--vat-treatment must be one of standard, reduced"),
        ("--years", "many", "--years: expected a number"),
        ("--date", "1/3/2026", "--date: expected YYYY-MM-DD"),
    ],
)
def test_a_bad_flag_gets_one_clear_message(run: Any, flag: str, value: str, message: str) -> None:
    args = list(FLAGS)
    if flag in args:
        args[args.index(flag) + 1] = value
    else:
        args += [flag, value]
    code, _, err = run("choose", "--nation", "england", *args)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_an_exempt_service_adds_no_vat(run: Any) -> None:
    args = [*FLAGS, "--vat-treatment", "exempt"]
    code, out, _ = run("choose", "--nation", "england", *args)
    assert json.loads(out)["whole_life_value_including_vat"] == "180000.00"


def test_start_carries_the_finders_answers_into_the_record(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = [a for a in FLAGS if a != "--json"]
    code, out, err = run(
        "choose", "--nation", "wales", "--devolved-welsh", *args, "--start",
        "--title", "Cleaning", "--record", "rec.md", "--no-input",
    )  # fmt: skip
    assert (tmp_path / "rec.md").exists(), out + err
    text = (tmp_path / "rec.md").read_text(encoding="utf-8")
    for cid, value in (
        ("nation", "Wales"),
        ("devolved-welsh", "true"),
        ("estimated-value", "216000"),
    ):
        assert cid in text and value in text


@pytest.mark.parametrize("kind", ["goods", "works", "light-touch", "goods-and-services"])
@pytest.mark.parametrize("value", ["1000", "50000", "300000", "6000000", None])
@pytest.mark.parametrize("nation", PA_NATIONS)
def test_every_answer_handed_over_is_a_valid_answer_of_the_recommended_route(
    kind: str, value: str | None, nation: str
) -> None:
    from journey.routes.catalogue import find
    from journey.walk.answers import parse

    asked = need(nation=nation, what=kind, annual_value=None if value is None else Decimal(value))
    advice = advise(asked, TABLE)
    assert advice.route is not None
    checkpoints = {c.id: c for c in find(advice.route).route.checkpoints()}
    for cid, given in advice.given(asked).items():
        parse(checkpoints[cid], given)  # raises if the route would refuse it
