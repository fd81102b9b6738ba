"""Answers by kind: parse what a buyer typed (or an answers file holds) into one canonical value.

The canonical values are what a record stores: confirm -> bool, date -> "YYYY-MM-DD",
money -> "120000.50" (text, exact pence), number -> int or float, multi-choice ->
a list in the route's order, sign-off -> {name, role}, the rest -> text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from journey.errors import JourneyError
from journey.routes.model import Checkpoint
from journey.text import CONTROL

_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0"}
_MONEY = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")
_URL = re.compile(r"^https?://\S+$")
MAX_MONEY = Decimal(10) ** 15


class BadAnswer(JourneyError, ValueError):
    """An answer that does not fit its checkpoint; the message says what would."""


def parse(cp: Checkpoint, raw: Any) -> Any:
    """The canonical value of `raw` for checkpoint `cp`, or `BadAnswer` saying what is expected."""
    if isinstance(raw, str):
        if CONTROL.search(raw):
            raise BadAnswer("control characters are not allowed in an answer")
        raw = raw.strip()
        if raw == "" and cp.kind not in ("multi-choice",):
            raise BadAnswer("an answer is needed")
    return _PARSERS[cp.kind](cp, raw)


def _confirm(cp: Checkpoint, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in _YES | _NO:
        return raw.lower() in _YES
    raise BadAnswer("answer yes or no")


def _text(cp: Checkpoint, raw: Any) -> str:
    if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
        return str(raw)
    raise BadAnswer("expected text")


def _choice(cp: Checkpoint, raw: Any) -> str:
    if isinstance(raw, str) and raw in cp.choices:
        return raw
    raise BadAnswer(f"expected one of: {', '.join(cp.choices)}")


def _multi(cp: Checkpoint, raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else [s.strip() for s in str(raw).split(";") if s.strip()]
    unknown = [i for i in items if i not in cp.choices]
    if unknown:
        raise BadAnswer(f"'{unknown[0]}' is not a choice; expected any of: {', '.join(cp.choices)}")
    return [c for c in cp.choices if c in items]


def _date(cp: Checkpoint, raw: Any) -> str:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw.isoformat()
    if isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            raise BadAnswer(f"{raw} is not a real date") from None
    raise BadAnswer("expected a date as YYYY-MM-DD, e.g. 2026-03-31")


def _money(cp: Checkpoint, raw: Any) -> str:
    if isinstance(raw, bool):
        raise BadAnswer("expected an amount of money, e.g. £120,000.50 or 120000")
    text = str(raw).strip()
    if isinstance(raw, float):
        text = repr(raw)
    if not _MONEY.match(text):
        raise BadAnswer("expected an amount of money, e.g. £120,000.50 or 120000")
    amount = Decimal(text.lstrip("£").strip().replace(",", ""))
    if amount >= MAX_MONEY:
        raise BadAnswer("that amount is too large; amounts are up to £999,999,999,999,999.99")
    return f"{amount.quantize(Decimal('0.01'))}"


def _number(cp: Checkpoint, raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise BadAnswer("expected a number")
    if isinstance(raw, int):
        if abs(raw) >= MAX_MONEY:
            raise BadAnswer("that number is too large")
        return raw
    if isinstance(raw, float) and math.isfinite(raw):
        return int(raw) if raw.is_integer() else raw
    try:
        value = float(str(raw).replace(",", ""))
    except ValueError:
        raise BadAnswer("expected a number, e.g. 3 or 2.5") from None
    if not math.isfinite(value) or abs(value) >= MAX_MONEY:
        raise BadAnswer("expected a number, e.g. 3 or 2.5 (and below a million billion)")
    return int(value) if value.is_integer() else value


def _evidence(cp: Checkpoint, raw: Any) -> str:
    text = _text(cp, raw)
    if text.startswith(("http:", "https:")) and not _URL.match(text):
        raise BadAnswer("expected a web address without spaces, or a path to a file")
    return text


def _signoff(cp: Checkpoint, raw: Any) -> dict[str, str]:
    if isinstance(raw, dict):
        name, role = str(raw.get("name", "")).strip(), str(raw.get("role", cp.role or "")).strip()
    elif isinstance(raw, str):
        name, _, role = raw.partition(",")
        name, role = name.strip(), (role.strip() or cp.role or "")
    else:
        raise BadAnswer("expected a name and a role, e.g. 'Jane Smith, Budget holder'")
    if not name or not role or CONTROL.search(name + role):
        raise BadAnswer("expected a name and a role, e.g. 'Jane Smith, Budget holder'")
    if cp.role and role != cp.role:
        raise BadAnswer(f"this sign-off is for the role '{cp.role}', not '{role}'")
    return {"name": name, "role": role}


_PARSERS = {
    "confirm": _confirm,
    "text": _text,
    "choice": _choice,
    "multi-choice": _multi,
    "date": _date,
    "money": _money,
    "number": _number,
    "evidence": _evidence,
    "sign-off": _signoff,
}


def reason(text: str | None) -> str:
    """A reason as stored: trimmed text, without control characters (it is shown in the record)."""
    text = (text or "").strip()
    if CONTROL.search(text):
        raise BadAnswer("control characters are not allowed in a reason")
    return text


def show(value: Any) -> str:
    """A stored value as a buyer reads it: Yes/No, £120,000.50, 'Jane Smith (Budget holder)'."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return f"{value.get('name', '')} ({value.get('role', '')})"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "(none)"
    return str(value)


def show_for(cp: Checkpoint, value: Any) -> str:
    """Like `show`, with money as pounds and pence."""
    if cp.kind == "money" and isinstance(value, str):
        try:
            return f"£{Decimal(value):,.2f}"
        except InvalidOperation:
            return value
    return show(value)


def number(value: Any) -> float | None:
    """A stored money or number value as a float, for conditions and deadlines."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None
