"""`journey choose`: ask what the finder needs (or take it from flags), advise, offer the walk."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from journey.errors import UsageError
from journey.routes.model import Checkpoint
from journey.routes.thresholds import load_thresholds
from journey.text import to_json
from journey.walk import answers
from journey.walk.finder import Advice, BodyKind, Need, What, advise, citation

WHATS = ("goods", "services", "goods-and-services", "social-and-other-specific-services", "works")
BODIES = ("central-government", "sub-central")


@dataclass
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


def choose(
    flags: Flags, *, as_json: bool, no_input: bool, start: bool | None, console: Console
) -> None:
    """Run the finder and print its advice; optionally hand over to `journey start`."""
    interactive = not no_input and not as_json and sys.stdin.isatty()
    need = _need(flags, interactive)
    advice = advise(need, load_thresholds())
    if as_json:
        print(to_json(_as_dict(advice, need)))
        return
    console.print(advice_view(advice, need))
    if advice.route is None:
        return
    if start is None:
        start = interactive and _ask_yes(
            f"Start {advice.route} now, carrying these answers into the record?"
        )
    if start:
        from journey.cli import start as walking

        walking.start(
            advice.route, None, None, "", walking.Options(given=advice.given(need)), console
        )


def _need(flags: Flags, interactive: bool) -> Need:
    missing = [
        name
        for name in ("what", "body", "annual_value", "vat", "framework")
        if getattr(flags, name) is None and not (flags.what == "works" and name != "what")
    ]
    if missing and not interactive:
        names = ", ".join("--" + m.replace("_", "-") for m in missing)
        raise UsageError(f"the route finder needs {names} (or a terminal to ask)")
    what = flags.what or _pick("What are you buying?", WHATS)
    if what not in WHATS:
        raise UsageError(f"--what must be one of {', '.join(WHATS)}")
    if what == "works":  # out of the Procurement Journey whatever the value
        return Need(what="works", body="sub-central", annual_value=None, on=_date(flags.on))
    body = flags.body or _pick("What kind of body are you?", BODIES)
    if body not in BODIES:
        raise UsageError(f"--body must be one of {', '.join(BODIES)}")
    framework = (
        flags.framework
        if flags.framework is not None
        else (
            what != "works"
            and _ask_yes(
                "Does an existing national, sectoral, local or regional contract or framework cover the need?"
            )
        )
    )
    annual = _money(
        "--annual-value",
        flags.annual_value,
        interactive,
        "Estimated value per year (£; 'unknown' if it cannot be estimated)",
    )
    years = _number("--years", flags.years, interactive, "Initial contract period in years", "1")
    extensions = _number(
        "--extensions", flags.extensions, interactive, "Possible extensions, in years", "0"
    )
    vat = (
        flags.vat
        if flags.vat is not None
        else ("included" if _ask_yes("Does that value include VAT?") else "excluded")
    )
    if vat not in ("included", "excluded"):
        raise UsageError("--vat must be included or excluded")
    low_value = annual is not None and what != "works" and not framework
    critical = _flag(
        flags.business_critical,
        interactive and low_value,
        "Are the goods or services business critical?",
    )
    risky = _flag(
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
        on=_date(flags.on),
    )


def _money(flag: str, raw: str | None, interactive: bool, question: str) -> Decimal | None:
    if raw is None and interactive:
        raw = _text(question, lambda t: t.strip().lower() == "unknown" or _valid_money(t))
    if raw is None or raw.strip().lower() == "unknown":
        return None
    try:
        return Decimal(answers.parse(_MONEY, raw))
    except answers.BadAnswer as exc:
        raise UsageError(f"{flag}: {exc}") from None


def _number(flag: str, raw: str | None, interactive: bool, question: str, default: str) -> Decimal:
    if raw is None:
        raw = _text(question, lambda t: _valid_number(t), default) if interactive else default
    try:
        value = Decimal(str(answers.parse(_NUMBER, raw)))
    except answers.BadAnswer as exc:
        raise UsageError(f"{flag}: {exc}") from None
    if value < 0:
        raise UsageError(f"{flag}: must not be negative")
    return value


def _date(raw: str | None) -> dt.date:
    if raw is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise UsageError(f"--date: expected YYYY-MM-DD, got {raw!r}") from None


def _flag(value: bool | None, ask: bool, question: str) -> bool:
    if value is not None:
        return value
    return _ask_yes(question) if ask else False


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
    import questionary

    from journey.cli.prompts import STYLE, ask

    picked: str = ask(
        questionary.select(question, choices=[o.replace("-", " ") for o in options], style=STYLE)
    )
    return picked.replace(" ", "-")


def _text(question: str, check: Any, default: str = "") -> str:
    import questionary

    from journey.cli.prompts import STYLE, ask

    answer: str = ask(questionary.text(question, default=default, validate=check, style=STYLE))
    return answer


def _ask_yes(question: str) -> bool:
    import questionary

    from journey.cli.prompts import STYLE, ask

    answer: str = ask(questionary.select(question, choices=["Yes", "No"], style=STYLE))
    return answer == "Yes"


def advice_view(advice: Advice, need: Need) -> Panel:
    """The recommendation, its reasons, its warnings and the thresholds cited."""
    lines: list[Any] = [Text(advice.headline, style="bold")]
    lines += [Text("• " + r) for r in advice.reasons]
    for w in advice.warnings:
        lines.append(Text("⚠ " + w, style="yellow"))
    if advice.cited:
        lines.append(Text(f"Thresholds in force on {need.on.isoformat()}:", style="bold"))
        lines += [Text("  " + citation(row), style="dim") for row in advice.cited]
    title = f"Recommended: {advice.route}" if advice.route else "Not a Procurement Journey route"
    return Panel(Group(*lines), title=title, title_align="left")


def _as_dict(advice: Advice, need: Need) -> dict[str, Any]:
    def amount(x: Decimal | None) -> str | None:
        return None if x is None else f"{x:.2f}"

    return {
        "route": advice.route,
        "headline": advice.headline,
        "reasons": advice.reasons,
        "warnings": advice.warnings,
        "date": need.on.isoformat(),
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
            }
            for r in advice.cited
        ],
        "answers_for_the_walk": advice.given(need),
    }
