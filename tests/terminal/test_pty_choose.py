"""In a real terminal: the Scottish route finder asks what the flags left out, refuses a value
it cannot read (asking again), recommends a route, and prints the command to start later;
under either regime, --no-input never asks, even when --start hands over to the walk."""

from __future__ import annotations

import pexpect
import pytest
from test_pty import DOWN, ENTER, env, spawn

__all__ = ["env"]  # the fixture, shared with test_pty


def test_the_finder_asks_refuses_a_bad_value_and_says_how_to_start_later(
    env: dict[str, str],
) -> None:
    child = spawn("choose --nation scotland --what goods --body sub-central --date 2026-11-29", env)
    child.expect("Does an existing national")
    child.send(DOWN + ENTER)  # No
    child.expect("Estimated value per year")
    child.sendline("lots")
    child.expect("or 'unknown'")  # refused, saying what it takes; the text stays to correct
    child.send("\x7f" * 4 + "30000" + ENTER)
    child.expect("Initial contract period in years")
    child.send(ENTER)  # 1, the default
    child.expect("Possible extensions")
    child.send(ENTER)  # 0
    while child.expect(["Recommended: ", r"\? "]) == 1:  # VAT and Route 1's risk questions
        child.send(ENTER if "critical" not in child.before else DOWN + ENTER)
    child.expect(r"Start scotland-route-\d now")
    child.send(DOWN + ENTER)  # No
    child.expect("Start later, with these answers carried in:")
    child.expect("--annual-value 30000")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


@pytest.mark.parametrize(
    "flags",
    [
        "--nation scotland --what goods --body sub-central --annual-value 5000 --vat excluded "
        "--no-framework --not-business-critical --no-significant-risk",
        "--nation england --what goods --body central-government --annual-value 5000 "
        "--vat excluded --no-framework",
    ],
    ids=["scotland", "england"],
)
def test_no_input_never_asks_even_when_it_starts_the_walk(env: dict[str, str], flags: str) -> None:
    """A script gave every flag and --no-input: the walk starts with the answers carried in,
    stops at the first answer it needs, saves what it has and says what is missing. It
    never waits at a prompt (the Procurement Act finder asked the record's title)."""
    child = spawn(f"choose {flags} --date 2026-11-29 --no-input --start", env)
    child.expect("mandatory answers? missing")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "Title of this procurement" not in (child.before or "")
