"""Every rule a route must keep beyond its shape, with the exact message an author reads.

Each case edits the small valid route in one place and expects one problem, located
at its line and key path. docs/authoring-routes.md quotes several of these messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import VALID
from journey.errors import InvalidFile
from journey.routes.loader import load_route

SMALL = (VALID / "small.yaml").read_text(encoding="utf-8")
CP = "stages[0].steps[0].checkpoints"
CONFIRM = (
    "            prompt: Are the goods or services business critical?\n            kind: confirm\n"
)
SIGNOFF = "            kind: sign-off\n"
WHEN = "            when: {answer: estimated-value, at-least: 50000}\n"

# name: (text replaced, replacement, the one problem expected, without "FILE:LINE:COL: ")
CASES = {
    "choice-listed-twice": (
        CONFIRM,
        CONFIRM.replace("confirm", "choice") + "            choices: [Lot A, Lot B, Lot A]\n",
        f"{CP}[1].choices: choice 'Lot A' is listed twice",
    ),
    "choices-on-a-confirm": (
        CONFIRM,
        CONFIRM + "            choices: [a, b]\n",
        f"{CP}[1].choices: a confirm checkpoint takes no choices",
    ),
    "expect-on-a-number": (
        "            kind: number\n",
        "            kind: number\n            expect: 'no'\n",
        "stages[1].steps[0].checkpoints[0].expect: 'expect' applies only to confirm checkpoints",
    ),
    "role-on-a-confirm": (
        CONFIRM,
        CONFIRM + "            role: Budget holder\n",
        f"{CP}[1].role: 'role' applies only to sign-off checkpoints",
    ),
    "distinct-from-on-a-confirm": (
        CONFIRM,
        CONFIRM + "            distinct-from: [big-buy-approval]\n",
        f"{CP}[1].distinct-from: 'distinct-from' applies only to sign-off checkpoints",
    ),
    "distinct-from-itself": (
        SIGNOFF,
        SIGNOFF + "            distinct-from: [big-buy-approval]\n",
        "stages[1].steps[0].checkpoints[1].distinct-from[0]: "
        "'big-buy-approval' is not another sign-off checkpoint of this route",
    ),
    "unknown-basis-source": (
        "                source: S1\n",
        "                source: S9\n",
        f"{CP}[0].basis[0].source: 'S9' is not one of the route's sources",
    ),
    "no-stages": (
        SMALL[SMALL.index("stages:") :],
        "stages: []\n",
        "stages: a route needs at least one stage",
    ),
    "empty-all": (
        WHEN,
        "            when: {all: []}\n",
        "stages[1].steps[0].checkpoints[1].when.all: 'all' needs at least one condition",
    ),
    "answer-with-two-operators": (
        WHEN,
        "            when: {answer: estimated-value, at-least: 50000, below: 90000}\n",
        "stages[1].steps[0].checkpoints[1].when: "
        "'answer' needs exactly one of: equals, one-of, at-least, below, answered",
    ),
    "two-forms": (
        WHEN,
        "            when: {answer: estimated-value, answered: true, not: {answer: quote-count, answered: true}}\n",
        "stages[1].steps[0].checkpoints[1].when: "
        "a condition needs exactly one of: all, any, not, answer",
    ),
    "numbers-compared-with-a-confirm": (
        WHEN,
        "            when: {answer: business-critical, at-least: 1}\n",
        "stages[1].steps[0].checkpoints[1].when.at-least: "
        "'business-critical' is a confirm, not a number or money",
    ),
    "confirm-compared-with-text": (
        WHEN,
        "            when: {answer: business-critical, equals: 'yes please'}\n",
        "stages[1].steps[0].checkpoints[1].when.equals: "
        "'business-critical' is a confirm; compare with true or false",
    ),
    "money-compared-with-text": (
        WHEN,
        "            when: {answer: estimated-value, equals: lots}\n",
        "stages[1].steps[0].checkpoints[1].when.equals: "
        "'estimated-value' is a money; compare with a number",
    ),
    "deadline-after-a-non-date": (
        SMALL[SMALL.index("stages:") :],
        SMALL[SMALL.index("stages:") :]
        + "deadlines:\n  - id: reply\n    label: Reply due\n    after: quote-count\n    days: 5\n",
        "deadlines[0].after: 'quote-count' is not a date checkpoint of this route",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_broken_rule_is_refused_with_its_message_and_place(name: str, tmp_path: Path) -> None:
    old, new, expected = CASES[name]
    assert old in SMALL, f"the case {name} no longer matches the small route"
    path = tmp_path / f"{name}.yaml"
    path.write_text(SMALL.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        load_route(path, path.name)
    problems = caught.value.problems
    assert [f"{p.path}: {p.message}" for p in problems] == [expected]
    assert problems[0].file == path.name
    assert problems[0].line is not None and problems[0].column is not None


def test_the_small_route_itself_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    assert load_route(path, path.name).route.id == "small"
