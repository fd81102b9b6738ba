"""Help, exit statuses and behaviour agree: what `--help` promises is what the command does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import Run

READING = ["routes", "status", "choose", "report", "verify"]


def help_of(run: Run, *command: str) -> str:
    code, out, err = run(*command, "--help")
    assert code == 0, err
    return " ".join(out.split())


def test_debug_is_in_the_top_level_help(run: Run) -> None:
    assert "--debug" in help_of(run)


@pytest.mark.parametrize("command", ["start", "resume", "verify", "validate", "report", "choose"])
def test_help_names_values_in_words_not_python_types(run: Run, command: str) -> None:
    text = help_of(run, command)
    assert not re.search(r"<(list|str|path|float|int)\b|\{\w+\}", text, re.IGNORECASE), text


@pytest.mark.parametrize("command", READING)
def test_every_reading_command_takes_json(run: Run, command: str) -> None:
    assert "--json" in help_of(run, command)


def test_report_json_is_the_same_as_format_json(run: Run) -> None:
    Path("records").mkdir()
    code1, out1, _ = run("report", "records", "--json")
    code2, out2, _ = run("report", "records", "--format", "json")
    assert (code1, out1) == (code2, out2)
    assert json.loads(out1) == []


def test_choose_no_input_exits_with_the_status_its_help_gives(run: Run) -> None:
    text = help_of(run, "choose")
    promised = re.search(r"--no-input .*?exit (\d)", text)
    assert promised, text
    code, _, err = run("choose", "--what", "goods", "--annual-value", "30000", "--no-input")
    assert code == int(promised.group(1)), err
    assert "--body" in err


def test_a_missing_record_is_exit_2_in_verify_as_in_status(run: Run) -> None:
    status, _, _ = run("status", "nonexistent.md")
    verify, _, err = run("verify", "nonexistent.md")
    assert status == verify == 2, err


def test_choose_takes_the_options_its_messages_suggest(run: Run) -> None:
    text = help_of(run, "choose")
    assert "--record" in text and "--title" in text
    flags = [
        "--what", "goods", "--body", "sub-central", "--annual-value", "10000", "--years", "1",
        "--vat-treatment", "standard", "--vat", "excluded", "--no-framework",
        "--not-business-critical", "--no-significant-risk", "--start", "--no-input",
        "--record", "toner.md", "--title", "Toner 2027",
    ]  # fmt: skip
    code, out, err = run("choose", *flags)
    assert Path("toner.md").exists(), out + err
    assert "Toner 2027" in Path("toner.md").read_text(encoding="utf-8")


def test_verify_json_lists_each_record_with_its_problems(run: Run) -> None:
    code, out, _ = run("verify", "missing.md", "--json")
    assert code == 2
    [entry] = json.loads(out)
    assert entry["record"] == "missing.md" and entry["ok"] is False and entry["problems"]
