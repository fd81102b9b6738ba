"""The route finder for England, Wales and Northern Ireland (Procurement Act 2023).

Pure logic over the thresholds data, like the Scottish finder: every figure is a row
of journeys/thresholds.yaml, cited with its dates and source. The Act's thresholds
include VAT (s.123(2)), so the value is compared including VAT. A direct award is
never recommended: it is listed as an option the buyer must justify (s.41, Sch 5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from journey.errors import UsageError
from journey.routes.thresholds import Contract, Threshold, Thresholds

REGIME = "Procurement Act 2023"
COMMENCED = dt.date(2025, 2, 24)
PaNation = Literal["england", "wales", "northern-ireland"]
PA_NATIONS: tuple[PaNation, ...] = ("england", "wales", "northern-ireland")
Kind = Literal[
    "goods", "services", "goods-and-services", "works", "light-touch", "concession",
    "light-touch-concession", "utilities-works", "utilities-light-touch", "utilities-other",
    "defence-works", "defence-concession", "defence-other",
]  # fmt: skip
KINDS: tuple[Kind, ...] = (
    "goods", "services", "goods-and-services", "works", "light-touch", "concession",
    "light-touch-concession", "utilities-works", "utilities-light-touch", "utilities-other",
    "defence-works", "defence-concession", "defence-other",
)  # fmt: skip
BodyKind = Literal["central-government", "sub-central"]
VAT_RATE = Decimal("0.20")
PENNY = Decimal("0.01")
# The Schedule 1 row each kind is valued against (goods and services also by body).
SCHEDULE_1: dict[Kind, Contract] = {
    "goods": "goods-services",
    "services": "goods-services",
    "goods-and-services": "goods-services",
    "works": "works",
    "light-touch": "light-touch",
    "concession": "concession",
    "light-touch-concession": "light-touch-concession",
    "utilities-works": "utilities-works",
    "utilities-light-touch": "utilities-light-touch",
    "utilities-other": "utilities-other",
    "defence-works": "defence-works",
    "defence-concession": "defence-concession",
    "defence-other": "defence-other",
}
SPECIAL = ("utilities-", "defence-")
NOTIFIABLE = "Below threshold, notifiable"  # rules these routes do not cover
NATION_CHOICES = {"england": "England", "wales": "Wales", "northern-ireland": "Northern Ireland"}
BODY_CHOICES = {
    "central-government": "Central government authority",
    "sub-central": "Other contracting authority",
}
WHAT_CHOICES = {
    "goods": "Goods",
    "services": "Services",
    "works": "Works",
    "light-touch": "Light touch services",
}
DIRECT_AWARD = (
    "uk-pa2023-direct-award is an option only where a Schedule 5 ground (or s.43 switching after "
    "a failed competition) applies: you must justify it and publish a transparency notice "
    "first (s.41, s.44). It is not a recommendation."
)


@dataclass(frozen=True)
class PaNeed:
    """What the buyer told the finder; a value of None means it cannot be estimated."""

    nation: PaNation
    what: Kind
    body: BodyKind
    annual_value: Decimal | None
    years: Decimal = Decimal(1)
    extension_years: Decimal = Decimal(0)
    vat_included: bool = True
    vat_rate: Decimal = (
        VAT_RATE  # added when the value excludes VAT: 0.05 reduced, 0 zero or exempt
    )
    framework: bool = False
    devolved_welsh: bool = False
    transferred_ni: bool = False
    on: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class PaAdvice:
    """The route (None where these routes do not apply), why, what else may fit, and the rows."""

    route: str | None
    headline: str
    reasons: list[str]
    warnings: list[str]
    options: list[str]
    cited: list[Threshold]
    value_inc_vat: Decimal | None
    above_threshold: bool
    regime: str = REGIME

    def given(self, need: PaNeed) -> dict[str, object]:
        """Answers the walk can take over from the finder (checkpoint id -> value)."""
        out: dict[str, object] = {
            "nation": NATION_CHOICES[need.nation],
            "body-type": BODY_CHOICES[need.body],
        }
        if need.nation == "wales":
            out["devolved-welsh"] = need.devolved_welsh
        if need.nation == "northern-ireland":
            out["transferred-ni"] = need.transferred_ni
        if need.what in WHAT_CHOICES and not (
            self.route == "uk-pa2023-below-threshold" and need.what == "light-touch"
        ):
            out["what-is-bought"] = WHAT_CHOICES[need.what]
        if self.value_inc_vat is not None:
            out["estimated-value"] = f"{self.value_inc_vat:.2f}"
        if self.route == "uk-pa2023-below-threshold":
            out["below-threshold"] = True
            out["notifiable"] = self.headline == NOTIFIABLE
        elif self.value_inc_vat is not None:
            out["over-5m"] = self.value_inc_vat > Decimal(5_000_000)
        if self.route == "uk-pa2023-open":
            out["above-threshold"] = True
        return out


def money(amount: Decimal) -> str:
    """£1,234.50 (whole pounds without pence)."""
    return f"£{amount:,.2f}".removesuffix(".00")


def value_inc_vat(need: PaNeed) -> Decimal | None:
    """Whole-life value including VAT (s.123(2)): all years and extensions, VAT added if needed."""
    if need.annual_value is None:
        return None
    total = need.annual_value * (need.years + need.extension_years)
    if not need.vat_included:
        total *= 1 + need.vat_rate
    return total.quantize(PENNY, ROUND_HALF_UP)


def row_in_force(table: Thresholds, contract: Contract, body: BodyKind, on: dt.date) -> Threshold:
    """The Procurement Act row in force on a day (a row for any body also fits)."""
    if on < COMMENCED:
        raise UsageError(
            f"the Procurement Act 2023 applies to procurements started on or after "
            f"{COMMENCED.isoformat()}; one started on {on.isoformat()} stays under the "
            "Public Contracts Regulations 2015 (or the utilities, concessions or defence regulations)"
        )
    for row in table.thresholds:
        if (
            row.regime == REGIME
            and row.contract == contract
            and row.body in (body, "any")
            and row.effective_from <= on <= (row.effective_to or dt.date.max)
        ):
            return row
    raise UsageError(f"no {REGIME} threshold for {contract} ({body}) on {on.isoformat()}")


def meets(row: Threshold, value: Decimal) -> bool:
    """Whether a value reaches a row: at or above it, or above it where the Act says "more than"."""
    amount = Decimal(str(row.amount))
    return value > amount if row.comparison == "more-than" else value >= amount


def advise(need: PaNeed, table: Thresholds) -> PaAdvice:
    """Recommend a route for `need`, citing the rows in force on `need.on`."""
    row = row_in_force(table, SCHEDULE_1[need.what], need.body, need.on)
    value = value_inc_vat(need)
    warnings = [
        "Do not split the requirement or estimate the value so as to avoid the Act: the value "
        "is the whole contract, with options, extensions and all lots, including VAT (s.4, Sch 3)."
    ]
    reasons = [
        f"{NATION_CHOICES[need.nation]}: the {REGIME} applies (procurements started on or after "
        f"{COMMENCED.day} {COMMENCED:%B %Y}); Scottish devolved authorities are outside it (s.2(5)).",
        _value_reason(need, value),
    ]
    above = value is None or meets(row, value)
    amount = money(Decimal(str(row.amount)))
    if value is None:
        reasons.append(
            "The value cannot be estimated, so it is treated as above the threshold (Sch 3 para 5)."
        )
    else:
        side = "at or above" if above else "below"
        reasons.append(
            f"{money(value)} including VAT is {side} the Schedule 1 threshold of {amount}."
        )
    cited = [row]
    if need.what.startswith(SPECIAL):
        return _special(need, reasons, warnings, cited, value, above)
    if need.framework:
        return _call_off(need, reasons, warnings, cited, value, above)
    if above:
        return _above(need, table, reasons, warnings, cited, value)
    return _below(need, table, reasons, warnings, cited, value)


def _value_reason(need: PaNeed, value: Decimal | None) -> str:
    if value is None or need.annual_value is None:
        return "Value: cannot be estimated."
    years = need.years + need.extension_years
    vat = "including VAT" if need.vat_included else f"plus VAT at {float(need.vat_rate * 100):g}%"
    return (
        f"Whole-life value: {money(need.annual_value)} a year × {years:g} "
        f"year{'' if years == 1 else 's'}, {vat} = "
        f"{money(value)} including VAT (the Act's thresholds include VAT, s.123(2))."
    )


def _special(
    need: PaNeed, reasons: list[str], warnings: list[str], cited: list[Threshold],
    value: Decimal | None, above: bool,
) -> PaAdvice:  # fmt: skip
    kind = "utilities" if need.what.startswith("utilities-") else "defence and security"
    reasons.append(
        f"{kind.capitalize()} contracts have their own rules under the Act (for example longer "
        "framework terms and different notices); the routes here do not cover them."
    )
    headline = f"{kind.capitalize()} contract: {'covered' if above else 'below threshold'}"
    return PaAdvice(None, headline, reasons, warnings, [], cited, value, above)


def _call_off(
    need: PaNeed, reasons: list[str], warnings: list[str], cited: list[Threshold],
    value: Decimal | None, above: bool,
) -> PaAdvice:  # fmt: skip
    reasons.append(
        "A framework awarded under the Act covers the need: call off under its terms, by "
        "competitive selection or without competition where the framework allows (s.45-s.46)."
    )
    warnings.append(
        "A framework awarded under the Public Contracts Regulations 2015 is called off under those rules."
    )
    return PaAdvice(
        "uk-pa2023-call-off",
        "Call off from the framework",
        reasons,
        warnings,
        [],
        cited,
        value,
        above,
    )


def _above(
    need: PaNeed, table: Thresholds, reasons: list[str], warnings: list[str],
    cited: list[Threshold], value: Decimal | None,
) -> PaAdvice:  # fmt: skip
    reasons.append(
        "A covered procurement: award by competitive tendering (s.19), by the open procedure or "
        "a competitive flexible procedure you design, whichever is proportionate (s.20)."
    )
    five = row_in_force(table, "kpis-and-contract-publication", "central-government", need.on)
    if value is None or meets(five, value):
        cited.append(five)
        reasons.append(
            "Over £5m: set at least three KPIs before the contract and publish a copy of it (s.52, s.53(3))."
        )
    if need.what in ("light-touch", "light-touch-concession"):
        reasons.append(
            "Light touch: no minimum time limits and no mandatory standstill (s.54, s.51(3))."
        )
    options = [
        "uk-pa2023-flexible: the competitive flexible procedure, in rounds you design.",
        DIRECT_AWARD,
    ]
    return PaAdvice(
        "uk-pa2023-open", "Competitive tendering: open procedure", reasons, warnings, options,
        cited, value, True,
    )  # fmt: skip


def _below(
    need: PaNeed, table: Thresholds, reasons: list[str], warnings: list[str],
    cited: list[Threshold], value: Decimal | None,
) -> PaAdvice:  # fmt: skip
    assert value is not None
    if need.what in ("concession", "light-touch-concession") or need.transferred_ni:
        who = (
            "Concession contracts"
            if not need.transferred_ni
            else "Transferred Northern Ireland authorities"
        )
        reasons.append(f"{who} are outside Part 6 (s.84): the Act sets no below-threshold duties.")
        return PaAdvice(
            None, "Below threshold, outside Part 6", reasons, warnings, [], cited, value, False
        )
    notice_body: BodyKind = "sub-central" if need.devolved_welsh else need.body
    notice = row_in_force(table, "below-threshold-notice", notice_body, need.on)
    cited.append(notice)
    trigger = money(Decimal(str(notice.amount)))
    if meets(notice, value):
        reasons.append(
            f"At or above {trigger}, a notifiable below-threshold contract: publish a "
            "below-threshold tender notice before advertising, and a contract details notice "
            "after the contract (s.87)."
        )
        headline = NOTIFIABLE
    else:
        reasons.append(
            f"Below {trigger}: not notifiable; Part 6's other duties still apply (s.85, s.86, s.88)."
        )
        headline = "Below threshold, not notifiable"
    if need.what == "works" and not need.devolved_welsh:
        works = row_in_force(table, "below-threshold-works-suitability", notice_body, need.on)
        cited.append(works)
        if meets(works, value):
            reasons.append(
                f"Works at or above {money(Decimal(str(works.amount)))}: a suitability stage is allowed (s.85(3))."
            )
    return PaAdvice(
        "uk-pa2023-below-threshold",
        headline,
        reasons,
        warnings,
        [],
        cited,
        value,
        False,
    )
