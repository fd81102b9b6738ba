"""The key walks, end to end, in a real pseudo-terminal against the installed `journey` command."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pexpect = pytest.importorskip("pexpect")
Child = Any  # a pexpect.spawn (pexpect ships no types)

pytestmark = pytest.mark.pty

JOURNEY = shutil.which("journey", path=str(Path(sys.executable).parent)) or shutil.which("journey")
META = re.compile(r"\[(\d+)/(\d+)\] (mandatory|optional) · ([a-z-]+) · ([a-z0-9-]+)")
DOWN, ENTER, ESCAPE = "\x1b[B", "\r", "\x1b"
EPOCH = {"SOURCE_DATE_EPOCH": "1600000000"}
ROUTE1_NO = {"business-critical", "reputational-or-delivery-risk", "value-over-50k"}
TYPED = {
    "date": "02/03/2026",  # as a UK buyer writes it
    "money": "£12,500",
    "number": "3",
    "text": "As planned",
    "evidence": "files/evidence.pdf",
}


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    assert JOURNEY, "the journey command is not installed beside this Python"
    old = Path.cwd()
    os.chdir(tmp_path)
    yield {
        **os.environ,
        "TERM": "xterm",
        "COLUMNS": "100",
        "LINES": "40",
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "JOURNEY_USER": "Ann Buyer",
        "JOURNEY_PATH": "",
    }
    os.chdir(old)


def spawn(args: str, env: dict[str, str]) -> Child:
    child = pexpect.spawn(
        f"{JOURNEY} {args}", env=env, encoding="utf-8", timeout=20, dimensions=(40, 100)
    )
    return child


def answer(child: Child, kind: str, cid: str) -> None:
    """Give an answer that complies, whatever the kind of checkpoint."""
    if kind == "confirm":
        child.send(DOWN + ENTER if cid in ROUTE1_NO else ENTER)
    elif kind == "choice":
        child.send(ENTER)
    elif kind == "multi-choice":
        child.send(" " + ENTER)
    elif kind == "sign-off":
        name = "Bea Holder" if "budget" in cid else "Ola Officer"
        if child.expect(["signing as", r"name, role"]) == 0:
            child.sendline(name)
        else:
            child.sendline(f"{name}, Signatory")
    elif kind == "number":
        child.sendline("-5")  # refused, saying why; the typed text stays to be corrected
        child.expect("must be 0 or more|below the least allowed")
        child.sendline("\x15" + TYPED[kind])  # Ctrl-U clears it first
    else:
        child.sendline(TYPED[kind])
        if kind == "date":
            child.expect("Monday 2 March 2026")  # the date as understood, in words


def walk_until(child: Child, stop_after: int | None = None) -> list[str]:
    """Answer prompts until the review (or until `stop_after` answers); return the ids answered."""
    done: list[str] = []
    while stop_after is None or len(done) < stop_after:
        index = child.expect([META, "Review the answers above"])
        if index == 1:
            break
        kind, cid = child.match.group(4), child.match.group(5)
        answer(child, kind, cid)
        done.append(cid)
    return done


def interrupt(child: Child) -> None:
    """Press Ctrl-C once the prompt is drawn (its last line: a menu's last entry, or a hint),
    as a person would; a key sent while the prompt is still starting is not a fair test."""
    child.expect(["Save and quit", r"000\.50\)"])
    child.sendcontrol("c")


def finish(child: Child) -> None:
    child.send(ENTER)  # "Finish: mark the record complete" is the first entry
    child.expect("Complete. The record is")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    assert JOURNEY
    return subprocess.run(
        [JOURNEY, *args], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


def record_data(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index("journey-record") :]


def answers_in(path: Path) -> dict[str, Any]:
    """Each answer's stored value, read from the record's data block (JSON lines)."""
    lines = record_data(path).splitlines()[1:]
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    return {e["id"]: e["value"] for e in entries if e.get("line") == "answer"}


def test_a_full_walk_of_route_1_ends_in_a_complete_verified_record(env: dict[str, str]) -> None:
    child = spawn("start scotland-route-1 --title 'Printer toner' --record rec.md", env)
    child.expect(
        r"Record: (\x1b\[[0-9;]*m)*rec\.md \(Printer toner\)"
    )  # where it is written, before the first answer
    answered = walk_until(child)
    child.send(DOWN + ENTER)  # Change an answer…
    child.expect("Which answer")
    child.send(ESCAPE)  # …and back to the review, with nothing changed
    child.expect("Review the answers above")
    finish(child)
    assert len(answered) >= 25
    result = run("verify", "rec.md", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    data = record_data(Path("rec.md"))
    assert '"status":"complete"' in data
    assert "2026-03-02" in answers_in(Path("rec.md")).values()
    status = run("status", "rec.md", "--json", env=env)
    assert '"status": "complete"' in status.stdout


def test_ctrl_c_saves_every_answer_then_resume_finishes(env: dict[str, str]) -> None:
    child = spawn("start scotland-route-1 --title 'Toner' --record rec.md", env)
    first = walk_until(child, stop_after=4)
    child.expect(META)
    interrupt(child)
    child.expect("Carry on with: journey resume rec.md")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    for cid in first:
        assert cid in answers_in(Path("rec.md"))
    child = spawn("resume rec.md", env)
    rest = walk_until(child)
    finish(child)
    assert not set(first) & set(rest)
    assert run("verify", "rec.md", env=env).returncode == 0


def test_a_killed_walk_leaves_an_intact_record_and_resumes(env: dict[str, str]) -> None:
    child = spawn("start scotland-route-1 --title 'Toner' --record rec.md", env)
    first = walk_until(child, stop_after=5)
    child.expect(META)
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    before = Path("rec.md").read_text(encoding="utf-8")
    assert before.rstrip().endswith("```")
    assert set(first) <= set(answers_in(Path("rec.md")))
    assert list(Path().glob(".*.tmp")) == []
    child = spawn("resume rec.md", env)
    walk_until(child)
    finish(child)
    result = run("verify", "rec.md", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_second_terminal_on_the_same_record_is_refused(env: dict[str, str]) -> None:
    first = spawn("start scotland-route-1 --title 'Toner' --record rec.md", env)
    walk_until(first, stop_after=2)
    first.expect(META)
    second = spawn("resume rec.md", env)
    second.expect("is open in another journey walk")
    second.expect(pexpect.EOF)
    second.close()
    assert second.exitstatus == 2
    interrupt(first)
    first.expect(pexpect.EOF)
    first.close()
    third = spawn("resume rec.md", env)  # the lock went with the first walk
    third.expect(META)
    interrupt(third)
    third.expect(pexpect.EOF)


def test_going_back_and_changing_an_answer_keeps_the_history(env: dict[str, str]) -> None:
    child = spawn("start scotland-route-1 --title 'Toner' --record rec.md", env)
    child.expect(META)
    assert child.match.group(4) == "money"
    child.sendline("£12,500")
    child.expect(META)
    assert child.match.group(4) == "confirm"
    _menu_back(child)
    child.expect(META)
    assert child.match.group(4) == "money"
    child.sendline("\x15£14,000")  # Ctrl-U clears the old value first
    child.expect("changing an earlier answer")
    child.sendline("Added a one-year extension")
    child.expect(META)
    interrupt(child)
    child.expect(pexpect.EOF)
    data = record_data(Path("rec.md"))
    assert all(word in data for word in ("12500.00", "14000.00", "Added a one-year extension"))


def _menu_back(child: Child) -> None:
    """In a yes/no menu, type `<`, as the banner says."""
    child.expect("Save and quit")
    child.send("<")


def test_menus_obey_the_banner_and_ignore_stray_letters(env: dict[str, str]) -> None:
    child = spawn("start scotland-route-1 --title 'Toner' --record rec.md", env)
    child.expect(META)
    child.sendline("£12,500")
    child.expect(META)
    assert child.match.group(4) == "confirm"
    child.expect("Save and quit")
    child.send("?")  # help, in a menu
    child.expect("Help")
    child.expect(META)
    child.expect("Save and quit")
    child.send("£240kjkq" + ENTER)  # typed into the menu by mistake: only Enter counts
    child.expect(META)
    assert child.match.group(4) != "money"
    child.expect("Save and quit")
    child.send(":quit")
    child.expect("Carry on with: journey resume rec.md")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_back_dated_clock_is_announced_before_the_record_is_written(
    env: dict[str, str],
) -> None:
    child = spawn("start scotland-route-1 --title 'Toner' --record rec.md", env | EPOCH)
    child.expect("SOURCE_DATE_EPOCH is set, so this record is dated 2020-09-13")
    child.expect(META)
    assert not Path("rec.md").exists()
    interrupt(child)
    child.expect(pexpect.EOF)


def test_no_to_starting_after_the_finder_gives_the_command_for_later(
    env: dict[str, str],
) -> None:
    flags = (
        "--what goods --body sub-central --annual-value 10000 --years 3 --extensions 1 "
        "--vat excluded --vat-treatment standard --no-framework --not-business-critical "
        "--no-significant-risk"
    )
    child = spawn(f"choose {flags}", env)
    child.expect("Start scotland-route-1 now")
    child.expect("No")
    child.send(DOWN + ENTER)
    child.expect("Start later")
    child.expect(r"journey choose --nation scotland --what goods --body sub-central")
    child.expect("--annual-value 10000")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not Path("records").exists()


def test_no_terminal_gives_a_clear_message_and_exit_2(env: dict[str, str]) -> None:
    result = run("start", "scotland-route-1", "--title", "Toner", env=env)
    assert result.returncode == 2
    assert "no terminal on standard input" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_and_the_route_map_are_at_every_prompt(env: dict[str, str]) -> None:
    child = spawn("start scotland-route-1 --title 'Toner' --record rec.md", env)
    child.expect(META)
    child.sendline("?")
    child.expect("Basis: ")
    child.expect(META)
    child.sendline(":map")
    child.expect("you are here")
    child.expect(META)
    assert child.match.group(5) == "whole-life-value"
    interrupt(child)
    child.expect("nothing was saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert not Path("rec.md").exists()


def test_demo_replays_every_station_and_the_summary_and_writes_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    import yaml

    from answers import answers_for
    from journey.routes.catalogue import find

    route = find("scotland-route-1")
    Path("workshop.yaml").write_text(yaml.safe_dump(answers_for(route, 2)), encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    child = spawn("demo scotland-route-1 --answers workshop.yaml --pace 0", env)
    for stage in route.route.stages:
        for step in stage.steps:
            child.expect(rf"Station: (\x1b\[[0-9;]*m)*{re.escape(step.title)}")
    child.expect("Review")
    child.expect(r"Finished: \d+ of \d+ checkpoints on the path done")
    child.expect("End of the demonstration")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_ctrl_c_stops_a_demo_cleanly(env: dict[str, str]) -> None:
    import yaml

    from answers import answers_for
    from journey.routes.catalogue import find

    Path("workshop.yaml").write_text(
        yaml.safe_dump(answers_for(find("scotland-route-1"), 2)), encoding="utf-8"
    )
    child = spawn("demo scotland-route-1 --answers workshop.yaml --pace 0.05", env)
    child.expect("Station: ")
    child.sendcontrol("c")
    child.expect("demo stopped")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert sorted(p.name for p in Path.cwd().iterdir()) == ["workshop.yaml"]


def test_the_route_finder_hands_its_answers_to_the_walk(env: dict[str, str]) -> None:
    flags = (
        "--what goods --body sub-central --annual-value 10000 --years 3 --extensions 1 "
        "--vat excluded --vat-treatment standard --no-framework --not-business-critical "
        "--no-significant-risk"
    )
    child = spawn(f"choose {flags}", env)
    child.expect("Recommended: scotland-route-1")
    child.expect("Start scotland-route-1 now")
    child.send(ENTER)  # Yes
    child.expect("Title of this procurement")
    child.sendline("\x15Toner 2027")
    child.expect(META)
    assert child.match.group(5) == "value-includes-extensions"  # the value is already given
    interrupt(child)
    child.expect(r"Carry on with: journey resume (\S+)")
    record = Path(child.match.group(1))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert answers_in(record)["whole-life-value"] == "40000.00"
    assert answers_in(record)["value-over-50k"] is False
