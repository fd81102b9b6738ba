"""Every flag of the route finder that it cannot use is refused with our own message and exit 2.

A script that calls `journey choose` must learn which flag was wrong, never get a
recommendation built on a value that was misread.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

import pytest

from conftest import Run
from journey.routes.thresholds import load_thresholds
from journey.text import to_json
from journey.walk.finder import advise
from journey.walk.finder_pa2023 import advise as advise_pa

GOOD = (
    "--nation", "scotland", "--what", "goods", "--body", "sub-central",
    "--annual-value", "60000", "--vat", "excluded", "--no-framework", "--no-input",
)  # fmt: skip


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--what", "bogus", "--what must be one of goods, services, goods-and-services, "
         "social-and-other-specific-services, works, concession"),
        ("--body", "bogus", "--body must be one of central-government, sub-central"),
        ("--annual-value", "abc",
         "--annual-value: expected an amount of money, e.g. £120,000.50 or 120000"),
        ("--years", "abc", "--years: expected a number, e.g. 3 or 12,500"),
        ("--years", "-1", "--years: must be 0 or more"),
        ("--years", "0", "--years: a contract runs for some time; "
         "for a one-off purchase give 1 (one period)"),
        ("--extensions", "-2", "--extensions: must be 0 or more"),
        ("--date", "2026-13-01", "--date: expected YYYY-MM-DD, got '2026-13-01'"),
    ],
)  # fmt: skip
def test_a_flag_the_finder_cannot_use_is_refused_naming_it(
    run: Run, flag: str, value: str, message: str
) -> None:
    args = list(GOOD)
    if flag in args:
        args[args.index(flag) + 1] = value
    else:
        args += [flag, value]
    code, out, err = run("choose", *args)
    assert (code, err) == (2, f"journey: {message}\n"), out
    assert "Recommended" not in out


def test_an_unknown_value_is_not_a_number_but_a_reason_for_route_3(run: Run) -> None:
    args = [a if a != "60000" else "unknown" for a in GOOD]
    code, out, err = run("choose", *args, "--json")
    assert (code, err) == (0, ""), out
    assert '"route": "scotland-route-3"' in out


# What a buyer told each finder today (as its flags object takes it).
TOLD: dict[str, dict[str, Any]] = {
    "scotland": {"what": "services", "body": "sub-central", "annual_value": "60000",
                 "years": "3", "vat": "excluded", "framework": False,
                 "business_critical": False, "significant_risk": False},
    "england": {"what": "goods", "body": "central-government", "annual_value": "100000",
                "vat": "included", "framework": False},
    "wales": {"what": "works", "body": "sub-central", "annual_value": "unknown",
              "vat": "excluded", "vat_treatment": "exempt", "framework": True,
              "devolved_welsh": True},
    "northern-ireland": {"what": "services", "body": "sub-central", "annual_value": "250000",
                         "years": "2", "extensions": "1", "vat": "excluded",
                         "vat_treatment": "reduced", "framework": False,
                         "transferred_ni": False},
}  # fmt: skip


@pytest.mark.parametrize("nation", list(TOLD))
def test_the_command_to_start_later_gives_the_same_advice(run: Run, nation: str) -> None:
    """A buyer who says "not now" is shown a command for tomorrow: under either regime it
    asks the finder exactly what was asked today (the nation included, whatever
    journey.toml says), so the advice and the answers carried into the record are the same."""
    from journey.cli import choose, choose_pa2023

    on, rows = "2026-11-29", load_thresholds()
    if nation == "scotland":
        need = choose._need(choose.Flags(**TOLD[nation], on=on), interactive=False)
        today, command = choose._as_dict(advise(need, rows), need), choose.later(need)
    else:
        pa_need = choose_pa2023.pa_need(choose_pa2023.PaFlags(nation, **TOLD[nation], on=on), False)
        today = choose_pa2023.as_dict(advise_pa(pa_need, rows), pa_need)
        command = choose_pa2023.later(pa_need)
    words = shlex.split(command)
    assert words[:4] == ["journey", "choose", "--nation", nation] and words[-1] == "--start"
    code, tomorrow, _ = run(*words[1:-1], "--no-input", "--json")
    assert code == 0
    assert json.loads(tomorrow) == json.loads(to_json(today))
