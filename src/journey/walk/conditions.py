"""Decide whether a checkpoint applies, from the answers given so far.

Conditions are data (see `model.Condition`); this is their only interpreter.
An answer that is missing, or belongs to a checkpoint that does not apply,
makes every comparison false (and `answered: false` true).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from journey.routes.model import Condition
from journey.walk.answers import number


def holds(cond: Condition | None, answers: Mapping[str, Any]) -> bool:
    """True when `cond` is met by `answers` (checkpoint id -> canonical value)."""
    if cond is None:
        return True
    if cond.all is not None:
        return all(holds(c, answers) for c in cond.all)
    if cond.any is not None:
        return any(holds(c, answers) for c in cond.any)
    if cond.not_ is not None:
        return not holds(cond.not_, answers)
    present = answers.get(cond.answer or "") is not None  # an explicit "none" is no answer
    if cond.answered is not None:
        return present == cond.answered
    if not present:
        return False
    return _compare(cond, answers[cond.answer or ""])


def _compare(cond: Condition, value: Any) -> bool:
    chosen = value if isinstance(value, list) else [value]
    if cond.equals is not None:
        if isinstance(cond.equals, (int, float)) and not isinstance(cond.equals, bool):
            return number(value) == float(cond.equals)
        return cond.equals in chosen
    if cond.one_of is not None:
        return any(v in cond.one_of for v in chosen)
    amount = number(value)
    if amount is None:
        return False
    if cond.at_least is not None:
        return amount >= cond.at_least
    if cond.below is not None:
        return amount < cond.below
    return False  # pragma: no cover - the route check admits no other form
