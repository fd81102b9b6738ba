"""The route finder: from what is bought, its value and its risk, to one route and the reasons.

Pure logic over the thresholds data. Every figure it uses is a row of
journeys/thresholds.yaml, cited with its effective dates and source. Values are
compared exactly (Decimal, never rounded): rounding only happens for display.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from typing import Literal

from journey.errors import UsageError
from journey.routes.thresholds import Contract, Threshold, Thresholds, in_force

What = Literal[
    "goods",
    "services",
    "goods-and-services",
    "social-and-other-specific-services",
    "works",
    "concession",
]
BodyKind = Literal["central-government", "sub-central"]
VatTreatment = Literal["standard", "reduced", "zero-rated", "exempt", "outside-scope"]
# SPPN 5/2023 and 4/2025: add VAT at the standard rate unless a lower (or no) rate applies.
VAT_RATES: dict[VatTreatment, Decimal] = {
    "standard": Decimal("0.20"),
    "reduced": Decimal("0.05"),
    "zero-rated": Decimal(0),
    "exempt": Decimal(0),
    "outside-scope": Decimal(0),
}
VAT_WORDS: dict[VatTreatment, str] = {
    "standard": "standard-rated (VAT at 20%)",
    "reduced": "reduced-rated (VAT at 5%)",
    "zero-rated": "zero-rated (no VAT to add)",
    "exempt": "exempt from VAT (no VAT to add)",
    "outside-scope": "outside the scope of VAT (no VAT to add)",
}
PENNY = Decimal("0.01")
LIGHT_TOUCH_ROUTE = "scotland-light-touch"
CCSR_URL = "https://www.legislation.gov.uk/ssi/2016/65/contents/made"
# The wording each route's `what-is-bought` choice uses.
WHAT_CHOICES = {
    "goods": "Goods",
    "services": "Services",
    "goods-and-services": "Goods and services",
    "social-and-other-specific-services": "Social and other specific services",
}
BODY_CHOICES = {
    "central-government": "Central government",
    "sub-central": "Other contracting authority",
}


@dataclass(frozen=True)
class Need:
    """What the buyer told the finder."""

    what: What
    body: BodyKind
    annual_value: Decimal | None  # None: the value cannot be estimated
    years: Decimal = Decimal(1)
    extension_years: Decimal = Decimal(0)
    vat_included: bool = False  # the value entered includes VAT
    framework: bool = False
    business_critical: bool | None = None  # None: not said (the walk asks it)
    significant_risk: bool | None = None
    on: dt.date = field(default_factory=dt.date.today)
    vat_treatment: VatTreatment = "standard"


@dataclass(frozen=True)
class Advice:
    """The recommendation: a route id (None for works and concessions), why, and what to watch."""

    route: str | None
    headline: str
    reasons: list[str]
    warnings: list[str]
    cited: list[Threshold]
    whole_life_ex_vat: Decimal | None  # exact, never rounded
    whole_life_inc_vat: Decimal | None

    def given(self, need: Need) -> dict[str, object]:
        """Answers the walk can take over from the finder (checkpoint id -> value)."""
        out: dict[str, object] = {
            "what-is-bought": WHAT_CHOICES.get(need.what, ""),
            "body-type": BODY_CHOICES[need.body],
        }
        if self.whole_life_ex_vat is not None:
            # Floor to the penny: every threshold is a whole number of pence, so the
            # walk's conditions fall on the same side of it as the exact value does.
            out["whole-life-value"] = f"{self.whole_life_ex_vat.quantize(PENNY, ROUND_FLOOR):.2f}"
        if self.route == "scotland-route-1":
            # Only what the buyer said is carried: an unanswered risk question is asked in
            # the walk (or listed as missing), never recorded as a No nobody gave.
            if need.business_critical is not None:
                out["business-critical"] = need.business_critical
            if need.significant_risk is not None:
                out["reputational-or-delivery-risk"] = need.significant_risk
            out["value-over-50k"] = False
        return {k: v for k, v in out.items() if v != ""}


def money(amount: Decimal) -> str:
    """£1,234.50 (whole pounds without pence)."""
    text = f"£{amount.quantize(PENNY, ROUND_HALF_UP):,.2f}"
    return text.removesuffix(".00")


def exact_money(amount: Decimal) -> str:
    """An amount as it is: £49,999.995 stays that, never £50,000; a recurring one is 'about'."""
    if amount == amount.quantize(PENNY):
        return money(amount)
    if amount == amount.quantize(Decimal("0.0001")):
        return f"£{amount.normalize():,f}"
    return f"about {money(amount)}"


def advise(need: Need, table: Thresholds) -> Advice:
    """Recommend one route for `need`, citing the thresholds in force on `need.on`."""
    warnings = [
        "Do not split a requirement or shorten a contract to keep it under a threshold: "
        "the value is the whole contract, including every extension and all lots."
    ]
    if need.what == "works":
        return _works(need, table, warnings)
    if need.what == "concession":
        return _concession(warnings)
    if need.framework:
        return _framework(need, table, warnings)
    if need.annual_value is None:
        return _unknown(need, table, warnings)
    return _by_value(need, table, warnings)


def _works(need: Need, table: Thresholds, warnings: list[str]) -> Advice:
    works = in_force(table, "works", need.body, "Procurement Reform", need.on)
    reasons = [
        "The Procurement Journey covers goods and services only. For works and construction "
        "use the Scottish Government's Construction Procurement Handbook.",
        f"Works of {money(_amount(works))} or more (excluding VAT) are regulated "
        "procurements under the 2014 Act.",
    ]
    cited = [works]
    gpa = _maybe(table, "works", need.body, "Public Contracts", need.on)
    if gpa is not None:
        reasons.append(
            f"Works of {money(_amount(gpa))} or more (including VAT) are also covered by the "
            "Public Contracts (Scotland) Regulations 2015."
        )
        cited.append(gpa)
    return Advice(
        None,
        "Works are not covered by the Procurement Journey",
        reasons,
        warnings,
        cited,
        None,
        None,
    )


def _concession(warnings: list[str]) -> Advice:
    return Advice(
        None,
        "Concession contracts are not covered by the Procurement Journey routes",
        [
            "In a concession the supplier is paid wholly or mainly by the right to run the works "
            "or services (for example by charging users), and takes the operating risk.",
            "Concessions are excluded from the Public Contracts (Scotland) Regulations 2015 "
            "(reg 8); at or above their threshold the Concession Contracts (Scotland) "
            f"Regulations 2016 (SSI 2016/65) apply instead <{CCSR_URL}>.",
            "Take advice from your Procurement Function or legal adviser before you start: "
            "the Routes 1 to 3 checklists do not fit a concession.",
        ],
        warnings,
        [],
        None,
        None,
    )


def _framework(need: Need, table: Thresholds, warnings: list[str]) -> Advice:
    act = in_force(table, "goods-services", need.body, "Procurement Reform", need.on)
    benefits = in_force(table, "community-benefits", need.body, "Procurement Reform", need.on)
    reasons = [
        "An existing national, sectoral, local or regional contract or framework covers the need: "
        "use it under its own call-off rules (direct award or mini-competition), if it gives value for money.",
        f"At {money(_amount(act))} or more the 2014 Act duties still apply to the call-off: "
        "award notice, contracts register and feedback.",
        f"At {money(_amount(benefits))} or more (excluding VAT) the community benefit duty (s.25) "
        "applies to the call-off too: consider community benefit requirements before the call-off, "
        "and if it includes them, say so in the award notice.",
    ]
    ex_vat, inc_vat = _values(need)
    return Advice(
        "scotland-framework-call-off",
        "Call off from the existing framework or contract",
        reasons,
        warnings,
        [act, benefits],
        ex_vat,
        inc_vat,
    )


def _unknown(need: Need, table: Thresholds, warnings: list[str]) -> Advice:
    reason = (
        "When the value cannot be estimated, the contract is treated as subject to the full "
        "procurement rules, taking its value as equal to the relevant threshold (SPPN 5/2023)"
    )
    if need.what == "social-and-other-specific-services":
        ltr = in_force(table, "light-touch", need.body, "Public Contracts", need.on)
        return Advice(
            LIGHT_TOUCH_ROUTE,
            "Light-touch regime: the value cannot be estimated",
            [reason + f": for these services the light-touch threshold of {money(_amount(ltr))}."],
            warnings,
            [ltr],
            None,
            None,
        )
    return Advice(
        "scotland-route-3",
        "Route 3: the value cannot be estimated",
        [reason + " (Route 3)."],
        warnings,
        [],
        None,
        None,
    )


def _values(need: Need) -> tuple[Decimal | None, Decimal | None]:
    """The exact whole-life value excluding and including VAT (no rounding)."""
    if need.annual_value is None:
        return None, None
    total = need.annual_value * (need.years + need.extension_years)
    factor = 1 + VAT_RATES[need.vat_treatment]
    if need.vat_included:
        with localcontext() as ctx:
            ctx.prec = 50
            return total / factor, total
    return total, total * factor


def _by_value(need: Need, table: Thresholds, warnings: list[str]) -> Advice:
    ex_vat, inc_vat = _values(need)
    assert ex_vat is not None and inc_vat is not None and need.annual_value is not None
    act = in_force(table, "goods-services", need.body, "Procurement Reform", need.on)
    light_touch = need.what == "social-and-other-specific-services"
    gpa_kind: Contract = "light-touch" if light_touch else "goods-services"
    gpa = in_force(table, gpa_kind, need.body, "Public Contracts", need.on)
    act_amount, gpa_amount = _amount(act), _amount(gpa)
    reasons = _value_reasons(need, ex_vat, inc_vat)
    if _below(need, act_amount, vat_in_threshold=False):
        reasons.append(
            f"{exact_money(ex_vat)} excluding VAT is below the 2014 Act threshold of {money(act_amount)}: Route 1."
        )
        if need.business_critical or need.significant_risk:
            warnings.append(
                "You said the purchase is business critical or carries significant risk: "
                "contact your Procurement Function or Centre of Expertise before going on."
            )
        return Advice(
            "scotland-route-1",
            "Route 1: under £50,000, unregulated",
            reasons,
            warnings,
            [act],
            ex_vat,
            inc_vat,
        )
    if _below(need, gpa_amount, vat_in_threshold=True):
        reasons.append(
            f"{exact_money(ex_vat)} excluding VAT is at or above the 2014 Act threshold of {money(act_amount)}, and "
            f"{exact_money(inc_vat)} including VAT is below the {_gpa_name(gpa)} of {money(gpa_amount)}: Route 2."
        )
        return Advice(
            "scotland-route-2",
            "Route 2: regulated, below the GPA threshold",
            reasons,
            warnings,
            [act, gpa],
            ex_vat,
            inc_vat,
        )
    if light_touch:
        reasons.append(
            f"{exact_money(inc_vat)} including VAT is at or above the {_gpa_name(gpa)} of "
            f"{money(gpa_amount)}: the light-touch regime (PCSR regs 74 to 76)."
        )
        return Advice(
            LIGHT_TOUCH_ROUTE,
            "Light-touch regime: social and other specific services at or above the threshold",
            reasons,
            warnings,
            [act, gpa],
            ex_vat,
            inc_vat,
        )
    reasons.append(
        f"{exact_money(inc_vat)} including VAT is at or above the {_gpa_name(gpa)} of {money(gpa_amount)}: Route 3."
    )
    return Advice(
        "scotland-route-3",
        "Route 3: at or above the GPA threshold",
        reasons,
        warnings,
        [act, gpa],
        ex_vat,
        inc_vat,
    )


def _below(need: Need, threshold: Decimal, *, vat_in_threshold: bool) -> bool:
    """Whether the exact whole-life value is below a threshold, by multiplication only.

    Act thresholds exclude VAT (s.5(1)); GPA thresholds include it at the rate that
    applies. Comparing `total` with `threshold × (1 + rate)` (or the reverse) keeps
    every figure exact: no division, no rounding.
    """
    assert need.annual_value is not None
    total = need.annual_value * (need.years + need.extension_years)
    factor = 1 + VAT_RATES[need.vat_treatment]
    if need.vat_included == vat_in_threshold:
        return total < threshold
    if need.vat_included:  # value with VAT, threshold without
        return total < threshold * factor
    return total * factor < threshold  # value without VAT, threshold with


def _value_reasons(need: Need, ex_vat: Decimal, inc_vat: Decimal) -> list[str]:
    assert need.annual_value is not None
    years = need.years + need.extension_years
    vat_word = "including" if need.vat_included else "excluding"
    treatment = need.vat_treatment
    added = (
        f"VAT at {VAT_RATES[treatment] * 100:.0f}%"
        if VAT_RATES[treatment]
        else "no VAT, so both figures are the same"
    )
    return [
        f"Whole-life value: {money(need.annual_value)} a year × {_years(need)} "
        f"= {exact_money(need.annual_value * years)} {vat_word} VAT.",
        f"The contract is {VAT_WORDS[treatment]}. For the thresholds: {exact_money(ex_vat)} "
        f"excluding VAT, {exact_money(inc_vat)} including VAT ({added}; recoverable VAT still "
        "counts; SPPN 4/2025).",
    ]


def _amount(row: Threshold) -> Decimal:
    return Decimal(str(row.amount))


def _maybe(
    table: Thresholds, contract: Contract, body: BodyKind, regime: str, on: dt.date
) -> Threshold | None:
    try:
        return in_force(table, contract, body, regime, on)
    except UsageError:
        return None


def _years(need: Need) -> str:
    """`4 years (3 + 1 extension)`, `1 year`: the period the value covers, in words."""
    total = need.years + need.extension_years
    text = f"{total:g} year" + ("" if total == 1 else "s")
    if need.extension_years:
        more = "extension" if need.extension_years == 1 else "extensions"
        text += f" ({need.years:g} + {need.extension_years:g} {more})"
    return text


def _gpa_name(row: Threshold) -> str:
    body = {
        "central-government": "central government",
        "sub-central": "other contracting authorities",
        "any": "all bodies",
    }
    kind = "light-touch services" if row.contract == "light-touch" else "supplies and services"
    return f"GPA threshold for {kind} ({body[row.body]})"


def citation(row: Threshold) -> str:
    """A threshold row as a citation for buyers: amount, VAT, period in force, source, caveat."""
    until = f" to {row.effective_to.isoformat()}" if row.effective_to else " onwards"
    vat = "including" if row.vat == "included" else "excluding"
    text = (
        f"{row.regime}, {row.contract} ({row.body}): {money(_amount(row))} {vat} VAT, "
        f"in force {row.effective_from.isoformat()}{until}. Source: {row.source} <{row.url}>"
    )
    if row.inferred:
        text += f". Not yet confirmed: {row.note}"
    return text
