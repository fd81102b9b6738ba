"""`journey choose --nation england|wales|northern-ireland`: the Procurement Act finder.

Asks what the finder needs (or takes it from flags), prints the advice with the
threshold rows it used, and offers to start the route with the answers carried in.
`journey.cli.choose` hands over here for the three nations under the Act.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from journey.cli.choose import (
    Asked,
    Offer,
    ask_yes,
    date_flag,
    later_command,
    money_flag,
    number_flag,
    offer_walk,
    pick_words,
    told,
    yes_no_flag,
)
from journey.errors import UsageError
from journey.routes.thresholds import Threshold, load_thresholds
from journey.text import to_json
from journey.walk.finder_pa2023 import (
    KINDS,
    BodyKind,
    PaAdvice,
    PaNation,
    PaNeed,
    advise,
    money,
)

BODIES = ("central-government", "sub-central")
VAT_RATES = {"standard": Decimal("0.20"), "reduced": Decimal("0.05"), "zero-rated": Decimal(0),
             "exempt": Decimal(0), "outside-scope": Decimal(0)}  # fmt: skip


@dataclass
class PaFlags:
    """The finder's questions as flags; None means 'ask' (or, without a terminal, an error)."""

    nation: str
    what: str | None = None
    body: str | None = None
    annual_value: str | None = None
    years: str | None = None
    extensions: str | None = None
    vat: str | None = None
    vat_treatment: str | None = None
    framework: bool | None = None
    devolved_welsh: bool | None = None
    transferred_ni: bool | None = None
    on: str | None = None


def choose_pa(flags: PaFlags, asked: Asked) -> None:
    """Run the Procurement Act finder; optionally hand over to `journey start`."""
    need = pa_need(flags, asked.interactive)
    advice = advise(need, load_thresholds())
    if asked.as_json:
        print(to_json(as_dict(advice, need)))
        return
    asked.console.print(advice_view(advice, need))
    offer_walk(
        Offer(advice.route, advice.given(need), told(need), later(need), advice.cited), asked
    )


def later(need: PaNeed) -> str:
    """The command that asks this finder the same again and starts the walk (what a buyer who
    said "not now" types tomorrow; `journey start ROUTE` would lose the finder's answers)."""
    treatment = next(name for name, rate in VAT_RATES.items() if rate == need.vat_rate)
    more = {
        "wales": ["--devolved-welsh" if need.devolved_welsh else "--not-devolved-welsh"],
        "northern-ireland": ["--transferred-ni" if need.transferred_ni else "--not-transferred-ni"],
    }
    return later_command(need.nation, need, treatment, more.get(need.nation, []))


def pa_need(flags: PaFlags, interactive: bool) -> PaNeed:
    """The buyer's answers from flags, asking for what is missing when there is a terminal."""
    nation = cast(PaNation, flags.nation)
    missing = [
        n for n in ("what", "body", "annual_value", "framework") if getattr(flags, n) is None
    ]
    if missing and not interactive:
        names = ", ".join("--" + m.replace("_", "-") for m in missing)
        raise UsageError(f"the route finder needs {names} (or a terminal to ask)")
    what = flags.what or pick_words("What are you buying?", KINDS)
    if what not in KINDS:
        raise UsageError(f"--what must be one of {', '.join(KINDS)} for {flags.nation}")
    body = flags.body or pick_words("What kind of contracting authority are you?", BODIES)
    if body not in BODIES:
        raise UsageError(f"--body must be one of {', '.join(BODIES)}")
    welsh = yes_no_flag(flags.devolved_welsh, interactive and nation == "wales",
                        "Are you a devolved Welsh authority?")  # fmt: skip
    transferred = yes_no_flag(flags.transferred_ni, interactive and nation == "northern-ireland",
                              "Are you a transferred Northern Ireland authority?")  # fmt: skip
    framework = flags.framework
    if framework is None:
        framework = ask_yes(
            "Does a framework awarded under the Procurement Act 2023 cover the need?"
        )
    annual = money_flag(
        "--annual-value",
        flags.annual_value,
        interactive,
        "Estimated value per year (£; 'unknown' if it cannot be estimated)",
    )
    treatment = flags.vat_treatment or "standard"
    if treatment not in VAT_RATES:
        raise UsageError(f"--vat-treatment must be one of {', '.join(VAT_RATES)}")
    vat = flags.vat or ("included" if not interactive else _vat_question())
    if vat not in ("included", "excluded"):
        raise UsageError("--vat says whether the value you gave includes VAT: included or excluded")
    return PaNeed(
        nation=nation,
        what=what,
        body=cast(BodyKind, body),
        annual_value=annual,
        years=number_flag("--years", flags.years, False, "", "1"),
        extension_years=number_flag("--extensions", flags.extensions, False, "", "0"),
        vat_included=vat == "included",
        vat_rate=VAT_RATES[treatment],
        framework=framework,
        devolved_welsh=bool(welsh),
        transferred_ni=bool(transferred),
        on=date_flag(flags.on),
    )


def advice_view(advice: PaAdvice, need: PaNeed) -> Panel:
    """The advice, its reasons, the options the buyer must justify, and the rows cited."""
    lines: list[Any] = [Text(advice.headline, style="bold"), Text(f"Regime: {advice.regime}")]
    lines += [Text("• " + r) for r in advice.reasons]
    lines += [Text("⚠ " + w, style="yellow") for w in advice.warnings]
    if advice.options:
        lines.append(Text("Other options:", style="bold"))
        lines += [Text("  " + o) for o in advice.options]
    lines.append(Text(f"Thresholds in force on {need.on.isoformat()}:", style="bold"))
    cited = [citation(row).replace(f" <{row.url}>", " (link below)") for row in advice.cited]
    lines += [Text("  " + line, style="dim") for line in cited]
    title = f"Recommended: {advice.route}" if advice.route else "No route here"
    return Panel(Group(*lines), title=title, title_align="left")


def citation(row: Threshold) -> str:
    """A row as a citation: what, amount including VAT, period and source."""
    until = f" to {row.effective_to.isoformat()}" if row.effective_to else " onwards"
    more = "more than " if row.comparison == "more-than" else ""
    return (
        f"{row.regime}, {row.contract} ({row.body}): {more}{money(Decimal(str(row.amount)))} "
        f"including VAT, in force {row.effective_from.isoformat()}{until}. Source: {row.source} "
        f"<{row.url}>"
    )


def as_dict(advice: PaAdvice, need: PaNeed) -> dict[str, Any]:
    """The advice as JSON data, with every row cited."""
    value = advice.value_inc_vat
    return {
        "nation": need.nation,
        "regime": advice.regime,
        "route": advice.route,
        "headline": advice.headline,
        "above_threshold": advice.above_threshold,
        "reasons": advice.reasons,
        "warnings": advice.warnings,
        "options": advice.options,
        "date": need.on.isoformat(),
        "whole_life_value_including_vat": None if value is None else f"{value:.2f}",
        "thresholds": [
            {
                "id": r.id,
                "regime": r.regime,
                "contract": r.contract,
                "body": r.body,
                "amount": r.amount,
                "comparison": r.comparison,
                "vat": r.vat,
                "nations": list(r.nations),
                "effective_from": r.effective_from.isoformat(),
                "effective_to": r.effective_to.isoformat() if r.effective_to else None,
                "source": r.source,
                "url": r.url,
            }  # fmt: skip
            for r in advice.cited
        ],
    }


def _vat_question() -> str:
    return "included" if ask_yes("Does that value include VAT?") else "excluded"


NATIONS = ("scotland", "england", "wales", "northern-ireland")
SCOTLAND = (
    "Scotland: the Procurement Reform (Scotland) Act 2014 and the Public Contracts (Scotland) "
    "Regulations 2015 apply; devolved Scottish authorities are outside the Procurement Act 2023 "
    "(s.2(5))."
)


def resolve_nation(flag: str | None, *, interactive: bool, asking: bool) -> str:
    """The nation: the flag, else journey.toml's default, else asked of a buyer starting from
    nothing, else Scotland (the finder's nation before the Act's routes were added)."""
    if flag is not None:
        if flag not in NATIONS:
            raise UsageError(f"--nation must be one of {', '.join(NATIONS)}")
        return flag
    from journey.records import settings

    found = settings.find()
    if found is not None and (nation := settings.load(found).nation):
        return nation
    if interactive and asking:
        return pick_words("Where is your organisation?", NATIONS)
    return "scotland"


def pa_flags(nation: str, flags: dict[str, Any]) -> PaFlags:
    """The Procurement Act finder's flags from the choose command's (the Scottish name for
    light touch services is accepted as well)."""
    what = flags.get("what")
    if what == "social-and-other-specific-services":
        what = "light-touch"
    keep = {f.name for f in dataclasses.fields(PaFlags)} - {"nation", "what"}
    return PaFlags(nation, what, **{k: v for k, v in flags.items() if k in keep})
