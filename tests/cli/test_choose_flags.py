"""Every flag of the route finder that it cannot use is refused with our own message and exit 2.

A script that calls `journey choose` must learn which flag was wrong, never get a
recommendation built on a value that was misread.
"""

from __future__ import annotations

import pytest

from conftest import Run

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
