"""Changing an answer in a real terminal: a change to a deviating answer asks why it deviates as
well as why it changed, and changing it back keeps the deviation's reason (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_pty import DOWN, ENTER, Child, env, spawn  # noqa: F401  (env: a fixture)

from conftest import VALID

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.pty
UP = "\x1b[A"


def data(path: str) -> list[dict[str, object]]:
    text = Path(path).read_text("utf-8")
    block = text.split("```json journey-record\n", 1)[1].split("\n```", 1)[0]
    return [json.loads(line) for line in block.split("\n")]


def test_going_back_to_a_deviating_answer_asks_both_reasons_and_keeps_them(
    env: dict[str, str],  # noqa: F811
) -> None:
    env = {**env, "JOURNEY_PATH": str(VALID), "SOURCE_DATE_EPOCH": "1600000000"}
    child = spawn("start walk-test --title T --record rec.md", env)
    ask(child, "Whole-life value", r"000\.50\)")
    child.sendline("100")
    ask(child, "What is bought", "Save and quit")
    child.send(ENTER)  # Goods
    ask(child, "Is it business critical", "Save and quit")
    child.send(DOWN + ENTER)  # No: what the route expects
    ask(child, "Date the notice was published", r"2027\)")
    child.sendline("<")  # back
    ask(child, "Is it business critical", "Save and quit")
    child.send(UP + ENTER)  # Yes (the menu opens on the current answer): against the route
    ask(child, "changing an earlier answer", "Why")
    child.sendline("Misread the question")
    ask(child, "expects no", "Why yes")
    child.sendline("It feeds 12 schools")
    ask(child, "Have you contacted the procurement function", "Save and quit")
    child.send("<")
    ask(child, "Is it business critical", "Save and quit")
    child.send(DOWN + ENTER)  # back to No
    ask(child, "changing an earlier answer", "Why")
    child.sendline("The schools have their own kitchens")
    ask(child, "Date the notice was published", r"2027\)")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    lines = data("rec.md")
    changes = [x for x in lines if x.get("line") == "change"]
    assert [(c["old"], c["new"], c["reason"], c.get("old-deviation", "")) for c in changes] == [
        (False, True, "Misread the question", ""),
        (True, False, "The schools have their own kitchens", "It feeds 12 schools"),
    ]
    assert not [x for x in lines if x.get("line") == "deviation"]
    assert "ends the deviation: It feeds 12 schools" in Path("rec.md").read_text("utf-8")


def ask(child: Child, question: str, drawn: str) -> None:
    """Wait for a question and for its prompt to be drawn to its end, as a person would."""
    child.expect(question)
    child.expect(drawn)
