"""`journey choose`: ask what the finder needs (or take it from flags), advise, offer the walk."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, cast, get_args

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from journey.errors import UsageError
from journey.routes.model import Checkpoint
from journey.routes.thresholds import Threshold, load_thresholds
from journey.text import to_json
from journey.walk import answers
from journey.walk.finder import (
    VAT_RATES,
    VAT_WORDS,
    Advice,
    BodyKind,
    Need,
    VatTreatment,
    What,
    advise,
    citation,
)

WHATS: tuple[str, ...] = get_args(What)  # the finder's own list, said once
OUT_OF_SCOPE = ("works", "concession")  # routed out whatever the value
BODIES: tuple[str, ...] = get_args(BodyKind)
TREATMENTS: tuple[VatTreatment, ...] = tuple(VAT_RATES)
NO_VAT = ("zero-rated", "exempt", "outside-scope")


@dataclass(frozen=True, kw_only=True)
class Flags:
    """The finder's questions as command-line flags; None means 'ask'."""

    what: str | None = None
    body: str | None = None
    annual_value: str | None = None
    years: str | None = None
    extensions: str | None = None
    vat: str | None = None
    framework: bool | None = None
    business_critical: bool | None = None
    significant_risk: bool | None = None
    on: str | None = None
    vat_treatment: str | None = None


@dataclass(frozen=True)
class Asked:
    """How the buyer asked either finder: as JSON, never prompting, whether to start the walk
    at once (None: ask), the record and title it would start with, and where to print."""

    as_json: bool
    no_input: bool
    start: bool | None
    record: Path | None
    title: str | None
    console: Console

    @property
    def interactive(self) -> bool:
        """Questions may be asked: a terminal on standard input, and no --no-input or --json."""
        return not self.no_input and not self.as_json and sys.stdin.isatty()


def choose(flags: Flags, asked: Asked) -> None:
    """Run the finder and print its advice; optionally hand over to `journey start`."""
    need = _need(flags, asked.interactive)
    advice = advise(need, load_thresholds())
    if asked.as_json:
        print(to_json(_as_dict(advice, need)))
        return
    asked.console.print(advice_view(advice, need))
    offer_walk(
        Offer(advice.route, advice.given(need), told(need), later(need), advice.cited), asked
    )


@dataclass(frozen=True)
class Offer:
    """What either finder hands over: the route (None: none fits), the answers it carries
    into the record, what the buyer told it, the command that starts it later, the rows cited."""

    route: str | None
    given: dict[str, Any]
    told: dict[str, str]
    later: str
    cited: Sequence[Threshold]


def offer_walk(offer: Offer, asked: Asked) -> None:
    """The advice's sources as links, then the walk: started with the answers carried in
    (--start, or yes when asked), else the command that starts it later. One tail for both
    finders, so that --no-input means the same under either regime."""
    from journey.cli.prompts import print_links  # addresses outside the panel, never split

    console = asked.console
    print_links(console, [(f"Source: {row.source}", row.url) for row in offer.cited])
    if offer.route is None:
        return
    start = asked.start
    if start is None:
        start = asked.interactive and ask_yes(
            f"Start {offer.route} now, carrying these answers into the record?"
        )
    if start:
        from journey.cli import start as walking

        opts = walking.Options(given=offer.given, finder=offer.told, no_input=asked.no_input)
        walking.start(offer.route, asked.record, asked.title, "", opts, lambda: console)
    elif asked.interactive:
        console.print(Text.assemble("Start later, with these answers carried in:\n  ", offer.later))


def told(need: Any) -> dict[str, str]:
    """What the buyer told a finder (a `Need` or a `PaNeed`), as the record keeps it."""
    return {k: str(v) for k, v in dataclasses.asdict(need).items() if v is not None}


def later(need: Need) -> str:
    """The command that asks the finder the same again and starts the walk: what a buyer who
    said "not now" types tomorrow (`journey start ROUTE` would lose the finder's answers)."""
    if need.what in OUT_OF_SCOPE:
        return f"journey choose --nation scotland --what {need.what} --date {need.on.isoformat()}"
    risks = [
        *(["--business-critical" if need.business_critical else "--not-business-critical"]
          if need.business_critical is not None else []),
        *(["--significant-risk" if need.significant_risk else "--no-significant-risk"]
          if need.significant_risk is not None else []),
    ]  # fmt: skip
    return later_command("scotland", need, need.vat_treatment, risks)


def later_command(nation: str, need: Any, treatment: str, more: list[str]) -> str:
    """`journey choose` with every answer a finder's `need` holds (either finder's: the same
    names), the nation first (whatever journey.toml says tomorrow), then `more`."""
    value = "unknown" if need.annual_value is None else f"{need.annual_value}"
    flags = [
        f"--nation {nation}",
        f"--what {need.what}",
        f"--body {need.body}",
        f"--annual-value {value}",
        f"--years {need.years}",
        f"--extensions {need.extension_years}",
        f"--vat {'included' if need.vat_included else 'excluded'}",
        f"--vat-treatment {treatment}",
        "--framework" if need.framework else "--no-framework",
        *more,
        f"--date {need.on.isoformat()}",
        "--start",
    ]
    return "journey choose " + " ".join(flags)


def _need(flags: Flags, interactive: bool) -> Need:
    no_vat = flags.vat_treatment in NO_VAT
    missing = [
        name
        for name in ("what", "body", "annual_value", "vat", "framework")
        if getattr(flags, name) is None
        and not (flags.what in OUT_OF_SCOPE and name != "what")
        and not (name == "vat" and no_vat)
    ]
    if missing and not interactive:
        names = ", ".join("--" + m.replace("_", "-") for m in missing)
        raise UsageError(f"the route finder needs {names} (or a terminal to ask)")
    what = flags.what or _pick("What are you buying?", WHATS)
    if what not in WHATS:
        raise UsageError(f"--what must be one of {', '.join(WHATS)}")
    if what in OUT_OF_SCOPE:  # out of the Procurement Journey whatever the value
        return Need(
            what=cast(What, what), body="sub-central", annual_value=None, on=date_flag(flags.on)
        )
    body = flags.body or _pick(
        "What kind of body are you? (central government: the bodies listed in Schedule 1"
        " of the Public Contracts (Scotland) Regulations 2015)",
        BODIES,
    )
    if body not in BODIES:
        raise UsageError(f"--body must be one of {', '.join(BODIES)}")
    framework = (
        flags.framework
        if flags.framework is not None
        else (
            what != "works"
            and ask_yes(
                "Does an existing national, sectoral, local or regional contract or framework cover the need?"
            )
        )
    )
    annual = money_flag(
        "--annual-value",
        flags.annual_value,
        interactive,
        "Estimated value per year (£; 'unknown' if it cannot be estimated)",
    )
    years = number_flag(
        "--years", flags.years, interactive, "Initial contract period in years", "1"
    )
    extensions = number_flag(
        "--extensions", flags.extensions, interactive, "Possible extensions, in years", "0"
    )
    treatment = _treatment(flags.vat_treatment, interactive)
    vat = flags.vat
    if vat is None:
        vat = (
            "excluded"
            if treatment in NO_VAT or not interactive
            else ("included" if ask_yes("Does that value include VAT?") else "excluded")
        )
    if vat not in ("included", "excluded"):
        raise UsageError(
            "--vat says whether the value you gave includes VAT: included or excluded "
            "(for the VAT rate use --vat-treatment " + "|".join(TREATMENTS) + ")"
        )
    low_value = annual is not None and what != "works" and not framework
    critical = yes_no_flag(
        flags.business_critical,
        interactive and low_value,
        "Are the goods or services business critical?",
    )
    risky = yes_no_flag(
        flags.significant_risk,
        interactive and low_value,
        "Is there significant risk to reputation or delivery if something goes wrong?",
    )
    return Need(
        what=cast(What, what),
        body=cast(BodyKind, body),
        annual_value=annual,
        years=years,
        extension_years=extensions,
        vat_included=vat == "included",
        framework=framework,
        business_critical=critical,
        significant_risk=risky,
        on=date_flag(flags.on),
        vat_treatment=treatment,
    )


def _treatment(raw: str | None, interactive: bool) -> VatTreatment:
    """The VAT treatment of the contract; the standard rate unless a lower or no rate applies."""
    if raw is None and interactive:
        words = {VAT_WORDS[t]: t for t in TREATMENTS}
        raw = words[pick_words("How is the contract treated for VAT?", tuple(words))]
    raw = raw or "standard"
    if raw not in TREATMENTS:
        raise UsageError(f"--vat-treatment must be one of {', '.join(TREATMENTS)}")
    return raw


def money_flag(flag: str, raw: str | None, interactive: bool, question: str) -> Decimal | None:
    """An amount given as FLAG (asked for in a terminal), read as a money answer is: None
    for 'unknown'; a bad amount is a usage error naming the flag."""
    if raw is None and interactive:
        raw = ask_text(question, lambda t: t.strip().lower() == "unknown" or _valid_money(t))
    if raw is None or raw.strip().lower() == "unknown":
        return None
    try:
        return Decimal(answers.parse(_MONEY, raw))
    except answers.BadAnswer as exc:
        raise UsageError(f"{flag}: {exc}") from None


def number_flag(
    flag: str, raw: str | None, interactive: bool, question: str, default: str
) -> Decimal:
    """A number of years given as FLAG (asked for in a terminal, else `default`), read as a
    number answer is; --years 0 is refused."""
    if raw is None:
        raw = ask_text(question, lambda t: _valid_number(t), default) if interactive else default
    try:
        value = Decimal(str(answers.parse(_NUMBER, raw)))
    except answers.BadAnswer as exc:
        raise UsageError(f"{flag}: {exc}") from None
    if value == 0 and flag == "--years":
        raise UsageError(
            "--years: a contract runs for some time; for a one-off purchase give 1 (one period)"
        )
    return value


def date_flag(raw: str | None) -> dt.date:
    if raw is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise UsageError(f"--date: expected YYYY-MM-DD, got {raw!r}") from None


def yes_no_flag(value: bool | None, ask: bool, question: str) -> bool | None:
    """The buyer's answer, asked if we may; None when nobody said (never a made-up No)."""
    if value is not None:
        return value
    return ask_yes(question) if ask else None


_MONEY = Checkpoint(id="annual-value", prompt="", kind="money")
_NUMBER = Checkpoint(id="years", prompt="", kind="number")


def _valid_money(text: str) -> bool | str:
    try:
        answers.parse(_MONEY, text)
    except answers.BadAnswer as exc:
        return str(exc) + ", or 'unknown'"
    return True


def _valid_number(text: str) -> bool | str:
    try:
        return answers.parse(_NUMBER, text) >= 0 or "must not be negative"
    except answers.BadAnswer as exc:
        return str(exc)


def _pick(question: str, options: tuple[str, ...]) -> str:
    """A menu of flag values shown as words ("sub central"), answered as the flag's value."""
    return pick_words(question, tuple(o.replace("-", " ") for o in options)).replace(" ", "-")


# The finders' questions (this one and the Procurement Act's); questionary is imported
# only when a question is asked, so `journey choose --help` and flags-only runs stay quick.


def pick_words(question: str, options: tuple[str, ...]) -> str:
    import questionary

    from journey.cli.asking import STYLE, ask

    picked: str = ask(questionary.select(question, choices=list(options), style=STYLE))
    return picked


def ask_text(question: str, check: Any = None, default: str = "") -> str:
    import questionary

    from journey.cli.asking import STYLE, ask

    answer: str = ask(questionary.text(question, default=default, validate=check, style=STYLE))
    return answer


def ask_yes(question: str) -> bool:
    return pick_words(question, ("Yes", "No")) == "Yes"


def advice_view(advice: Advice, need: Need) -> Panel:
    """The recommendation, its reasons, its warnings and the thresholds cited."""
    lines: list[Any] = [Text(advice.headline, style="bold")]
    lines += [Text("• " + r) for r in advice.reasons]
    for w in advice.warnings:
        lines.append(Text("⚠ " + w, style="yellow"))
    if advice.cited:
        lines.append(Text(f"Thresholds in force on {need.on.isoformat()}:", style="bold"))
        cited = [citation(row).replace(f" <{row.url}>", " (link below)") for row in advice.cited]
        lines += [Text("  " + line, style="dim") for line in cited]
    title = f"Recommended: {advice.route}" if advice.route else "Not a Procurement Journey route"
    return Panel(Group(*lines), title=title, title_align="left")


def _as_dict(advice: Advice, need: Need) -> dict[str, Any]:
    def amount(x: Decimal | None) -> str | None:
        """Two decimals when the value is a whole number of pence; else the exact figure."""
        if x is None:
            return None
        if x == x.quantize(Decimal("0.01")):
            return f"{x:.2f}"
        return f"{x.normalize():f}" if x == x.quantize(Decimal("0.0001")) else f"{x:.6f}"

    return {
        "route": advice.route,
        "headline": advice.headline,
        "reasons": advice.reasons,
        "warnings": advice.warnings,
        "date": need.on.isoformat(),
        "vat_treatment": need.vat_treatment,
        "vat_rate": f"{VAT_RATES[need.vat_treatment]:.2f}",
        "whole_life_value_excluding_vat": amount(advice.whole_life_ex_vat),
        "whole_life_value_including_vat": amount(advice.whole_life_inc_vat),
        "thresholds": [
            {
                "id": r.id,
                "regime": r.regime,
                "contract": r.contract,
                "body": r.body,
                "amount": r.amount,
                "vat": r.vat,
                "effective_from": r.effective_from.isoformat(),
                "effective_to": r.effective_to.isoformat() if r.effective_to else None,
                "source": r.source,
                "url": r.url,
                "inferred": r.inferred,
                "note": r.note,
            }
            for r in advice.cited
        ],
        "answers_for_the_walk": advice.given(need),
    }
