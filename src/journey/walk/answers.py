"""Answers by kind: parse what a buyer typed (or an answers file holds) into one canonical value.

The canonical values are what a record stores: confirm -> bool, date -> "YYYY-MM-DD",
money -> "120000.50" (text, exact pence), number -> int or float, multi-choice ->
a list in the route's order, sign-off -> {name, role}, the rest -> text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from journey.errors import JourneyError
from journey.routes.model import Checkpoint
from journey.text import CONTROL

_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0"}
_MONEY = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")
_URL = re.compile(r"^https?://\S+$")
_NUMBER = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
NONE_WORDS = {"", "none", "(none)"}
MAX_MONEY = Decimal(10) ** 15


class BadAnswer(JourneyError, ValueError):
    """An answer that does not fit its checkpoint; the message says what would."""


# What `parse` reads of a checkpoint (a test holds the parsers to this list).
PARSE_FIELDS = ("kind", "allow_none", "required", "choices", "integer", "min", "max", "role")


def parse_key(cp: Checkpoint) -> tuple[Any, ...]:
    """What `parse` reads of `cp`: checkpoints with the same key take every answer alike, so
    a verdict on an answer to one holds for the others (a report checks the same dates and
    choices against many checkpoints)."""
    return tuple(getattr(cp, name) for name in PARSE_FIELDS)


def parse(cp: Checkpoint, raw: Any) -> Any:
    """The canonical value of `raw` for checkpoint `cp`, or `BadAnswer` saying what is expected."""
    if cp.allow_none and (raw is None or str(raw).strip().lower() in NONE_WORDS):
        return None  # "none" is an answer here (no request was received), not a skip
    if isinstance(raw, str):
        if CONTROL.search(raw):
            raise BadAnswer("control characters are not allowed in an answer")
        raw = raw.strip()
        if raw == "" and cp.kind not in ("multi-choice",):
            raise BadAnswer("an answer is needed")
    if raw is None:
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
    if not items and cp.required:
        raise BadAnswer(f"choose at least one of: {', '.join(cp.choices)}")
    return [c for c in cp.choices if c in items]


def _date(cp: Checkpoint, raw: Any) -> str:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw.isoformat()
    parts = _date_parts(raw) if isinstance(raw, str) else None
    if parts is None:
        raise BadAnswer("expected a date such as 31/03/2026, 31 March 2026 or 2026-03-31")
    try:
        return dt.date(*parts).isoformat()
    except ValueError:
        raise BadAnswer(f"{raw} is not a real date") from None


_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_WORDS_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) from ISO `2026-03-31`, UK `31/03/2026` or `31 March 2026` (`1st Mar`)."""
    if m := _ISO_DATE.fullmatch(text):
        return int(m[1]), int(m[2]), int(m[3])
    if m := _UK_DATE.fullmatch(text):
        return int(m[3]), int(m[2]), int(m[1])
    m = _WORDS_DATE.fullmatch(text)
    month = _month(m[2]) if m else None
    return (int(m[3]), month, int(m[1])) if m and month else None


def _month(word: str) -> int | None:
    names = "january february march april may june july august september october november december"
    word = word.lower()
    number = _MONTHS.get(word[:3])
    full = names.split()[number - 1] if number else ""
    return number if full.startswith(word) else None


def _money(cp: Checkpoint, raw: Any) -> str:
    if isinstance(raw, bool):
        raise BadAnswer("expected an amount of money, e.g. £120,000.50 or 120000")
    text = str(raw).strip()
    if isinstance(raw, float):
        text = repr(raw)
    if re.fullmatch(r"-\s*£?\s*[\d,.]+|£\s*-\s*[\d,.]+", text):
        raise BadAnswer("an amount of money must be 0 or more")
    if not _MONEY.match(text):
        raise BadAnswer("expected an amount of money, e.g. £120,000.50 or 120000")
    amount = Decimal(text.lstrip("£").strip().replace(",", ""))
    if amount >= MAX_MONEY:
        raise BadAnswer("that amount is too large; amounts are up to £999,999,999,999,999.99")
    return f"{amount.quantize(Decimal('0.01'))}"


def _number(cp: Checkpoint, raw: Any) -> int | float:
    """A number as written (digits, a comma between thousands, a decimal point); then the
    route's rules for it, each named when it fails."""
    value = _number_value(cp, raw)
    if abs(value) >= MAX_MONEY:
        raise BadAnswer("that number is too large (the limit is below a million billion)")
    if cp.integer and not float(value).is_integer():
        raise BadAnswer(f"{value:g} is not a whole number; this answer is a count")
    if cp.min is not None and value < cp.min:
        raise BadAnswer(f"{value:g} is below the least allowed, {cp.min:g}")
    if cp.min is None and value < 0:
        raise BadAnswer("must be 0 or more")
    if cp.max is not None and value > cp.max:
        raise BadAnswer(f"{value:g} is above the most allowed, {cp.max:g}")
    return int(value) if float(value).is_integer() else value


def _number_value(cp: Checkpoint, raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise BadAnswer("expected a number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise BadAnswer("expected a number, e.g. 3 or 12,500")
        return raw
    text = str(raw).strip()
    if not _NUMBER.match(text):
        hint = " (a comma only separates thousands, as in 12,500)" if "," in text else ""
        raise BadAnswer(f"expected a number, e.g. 3 or 12,500{hint}")
    plain = text.replace(",", "")
    return float(plain) if "." in plain else int(plain)


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
    name, role = person(name), person(role)
    if cp.role and role.casefold() != cp.role.casefold():
        raise BadAnswer(f"this sign-off is for the role '{cp.role}', not '{role}'")
    return {"name": name, "role": cp.role or role}


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


def person(name: str) -> str:
    """A name as stored and compared: Unicode NFKC, spaces collapsed; invisible format
    characters (a zero-width space) refused, since they would make one person two."""
    if not name.isascii() and any(unicodedata.category(c) == "Cf" for c in name):
        raise BadAnswer("a name may not hold invisible characters such as a zero-width space")
    return " ".join(unicodedata.normalize("NFKC", name).split())


def name_key(name: str) -> str:
    """The form two names are compared in: NFKC, case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def reason(text: str | None) -> str:
    """A reason as stored: trimmed text, without control characters (it is shown in the record)."""
    text = (text or "").strip()
    if CONTROL.search(text):
        raise BadAnswer("control characters are not allowed in a reason")
    return text


def show(value: Any) -> str:
    """A stored value as a buyer reads it: Yes/No, £120,000.50, 'Jane Smith (Budget holder)'."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return f"{value.get('name', '')} ({value.get('role', '')})"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "(none)"
    return str(value)


def show_for(cp: Checkpoint, value: Any) -> str:
    """Like `show`, with money as pounds and pence."""
    return show_for_kind(cp.kind, value)


def show_for_kind(kind: str, value: Any) -> str:
    """`show_for` a checkpoint of this kind."""
    if kind == "money" and isinstance(value, str):
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
