"""In a real terminal: a buyer with no flags is asked the nation first, then the Procurement
Act finder's questions, and gets a route for England with the rows it used."""

from __future__ import annotations

import pexpect
from test_pty import DOWN, ENTER, env, spawn

__all__ = ["env"]  # the fixture, shared with test_pty


def test_the_finder_asks_the_nation_then_the_acts_questions(env: dict[str, str]) -> None:
    child = spawn("choose --date 2026-03-01", env)
    child.expect("Where is your organisation")
    child.send(DOWN + ENTER)  # england
    child.expect("What are you buying")
    child.send(ENTER)  # goods
    child.expect("What kind of contracting authority")
    child.send(ENTER)  # central-government
    child.expect("Does a framework awarded under the Procurement Act 2023 cover the need")
    child.send(DOWN + ENTER)  # No
    child.expect("Estimated value per year")
    child.sendline("100000")
    child.expect("Does that value include VAT")
    child.send(ENTER)  # Yes
    child.expect("Recommended: uk-pa2023-below-threshold")
    child.expect("Below threshold, notifiable")
    child.expect("Start uk-pa2023-below-threshold now")
    child.send(DOWN + ENTER)  # No
    child.expect("Start later, with these answers carried in:")
    child.expect("--nation england")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
