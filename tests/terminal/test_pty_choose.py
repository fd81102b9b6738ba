"""In a real terminal: the Scottish route finder asks what the flags left out, refuses a value
it cannot read (asking again), recommends a route, and prints the command to start later."""

from __future__ import annotations

import pexpect
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
