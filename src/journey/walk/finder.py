"""The route finder: from what is bought, its value and its risk, to one route and the reasons.

Pure logic over the thresholds data. Every figure it uses is a row of
journeys/thresholds.yaml, cited with its effective dates and source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from journey.routes.thresholds import Contract, Threshold, Thresholds, in_force

What = Literal[
    "goods", "services", "goods-and-services", "social-and-other-specific-services", "works"
]
BodyKind = Literal["central-government", "sub-central"]
VAT_RATE = Decimal("0.20")
PENNY = Decimal("0.01")
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
    vat_included: bool = False
    framework: bool = False
    business_critical: bool = False
    significant_risk: bool = False
    on: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class Advice:
    """The recommendation: a route id (None for works), why, and what to watch."""

    route: str | None
    headline: str
    reasons: list[str]
    warnings: list[str]
    cited: list[Threshold]
    whole_life_ex_vat: Decimal | None
    whole_life_inc_vat: Decimal | None

    def given(self, need: Need) -> dict[str, object]:
        """Answers the walk can take over from the finder (checkpoint id -> value)."""
        out: dict[str, object] = {
            "what-is-bought": WHAT_CHOICES.get(need.what, ""),
            "body-type": BODY_CHOICES[need.body],
        }
        if self.whole_life_ex_vat is not None:
            out["whole-life-value"] = f"{self.whole_life_ex_vat:.2f}"
        if self.route == "scotland-route-1":
            out["business-critical"] = need.business_critical
            out["reputational-or-delivery-risk"] = need.significant_risk
            out["value-over-50k"] = False
        return {k: v for k, v in out.items() if v != ""}


def money(amount: Decimal) -> str:
    """£1,234.50 (whole pounds without pence)."""
    text = f"£{amount:,.2f}"
    return text.removesuffix(".00")


def advise(need: Need, table: Thresholds) -> Advice:
    """Recommend one route for `need`, citing the thresholds in force on `need.on`."""
    warnings = [
        "Do not split a requirement or shorten a contract to keep it under a threshold: "
        "the value is the whole contract, including every extension and all lots."
    ]
    if need.what == "works":
        works = in_force(table, "works", need.body, "Procurement Reform", need.on)
        return Advice(
            None,
            "Works are not covered by the Procurement Journey",
            [
                "The Procurement Journey covers goods and services only. For works and construction "
                "use the Scottish Government's Construction Procurement Handbook.",
                f"Works of {money(Decimal(str(works.amount)))} or more (excluding VAT) are regulated "
                "procurements under the 2014 Act.",
            ],
            warnings,
            [works],
            None,
            None,
        )
    if need.framework:
        act = in_force(table, "goods-services", need.body, "Procurement Reform", need.on)
        return Advice(
            "scotland-framework-call-off",
            "Call off from the existing framework or contract",
            [
                "An existing national, sectoral, local or regional contract or framework covers the need: "
                "use it under its own call-off rules (direct award or mini-competition), if it gives value for money.",
                f"At {money(Decimal(str(act.amount)))} or more the 2014 Act duties still apply to the call-off: "
                "award notice, contracts register and feedback.",
            ],
            warnings,
            [act],
            *_values(need),
        )
    if need.annual_value is None:
        return Advice(
            "scotland-route-3",
            "Route 3: the value cannot be estimated",
            [
                "When the value cannot be estimated, the contract is treated as subject to the full "
                "procurement rules (Route 3), taking its value as equal to the relevant threshold (SPPN 5/2023)."
            ],
            warnings,
            [],
            None,
            None,
        )
    return _by_value(need, table, warnings)


def _values(need: Need) -> tuple[Decimal | None, Decimal | None]:
    if need.annual_value is None:
        return None, None
    total = need.annual_value * (need.years + need.extension_years)
    if need.vat_included:
        inc = total.quantize(PENNY, ROUND_HALF_UP)
        return (total / (1 + VAT_RATE)).quantize(PENNY, ROUND_HALF_UP), inc
    ex = total.quantize(PENNY, ROUND_HALF_UP)
    return ex, (total * (1 + VAT_RATE)).quantize(PENNY, ROUND_HALF_UP)


def _by_value(need: Need, table: Thresholds, warnings: list[str]) -> Advice:
    ex_vat, inc_vat = _values(need)
    assert ex_vat is not None and inc_vat is not None and need.annual_value is not None
    act = in_force(table, "goods-services", need.body, "Procurement Reform", need.on)
    gpa_kind: Contract = (
        "light-touch" if need.what == "social-and-other-specific-services" else "goods-services"
    )
    gpa = in_force(table, gpa_kind, need.body, "Public Contracts", need.on)
    act_amount, gpa_amount = Decimal(str(act.amount)), Decimal(str(gpa.amount))
    years = need.years + need.extension_years
    vat_word = "including" if need.vat_included else "excluding"
    reasons = [
        f"Whole-life value: {money(need.annual_value)} a year × {_years(need)} "
        f"= {money(need.annual_value * years)} {vat_word} VAT.",
        f"For the thresholds: {money(ex_vat)} excluding VAT, {money(inc_vat)} including VAT "
        f"(VAT at {int(VAT_RATE * 100)}% unless a lower rate applies; recoverable VAT still counts).",
    ]
    if ex_vat < act_amount:
        reasons.append(
            f"{money(ex_vat)} excluding VAT is below the 2014 Act threshold of {money(act_amount)}: Route 1."
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
    if inc_vat < gpa_amount:
        reasons.append(
            f"{money(ex_vat)} excluding VAT is at or above the 2014 Act threshold of {money(act_amount)}, and "
            f"{money(inc_vat)} including VAT is below the {_gpa_name(gpa)} of {money(gpa_amount)}: Route 2."
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
    reasons.append(
        f"{money(inc_vat)} including VAT is at or above the {_gpa_name(gpa)} of {money(gpa_amount)}: Route 3."
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
    """A threshold row as a citation: amount, VAT, period in force and source."""
    until = f" to {row.effective_to.isoformat()}" if row.effective_to else " onwards"
    vat = "including" if row.vat == "included" else "excluding"
    text = (
        f"{row.regime}, {row.contract} ({row.body}): {money(Decimal(str(row.amount)))} {vat} VAT, "
        f"in force {row.effective_from.isoformat()}{until}. Source: {row.source} <{row.url}>"
    )
    if "[INFERRED]" in row.note or "[UNCONFIRMED]" in row.note:
        text += f". Note: {row.note}"
    return text
