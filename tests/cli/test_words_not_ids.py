"""People read questions, not ids: status, the record's Deviations list and its condition lines
show each checkpoint's question; the id stays beside it (muted) and in --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import Run

GIVEN = {"critical": False, "notes": {"skip": "Nothing to add"}}


@pytest.fixture
def record(run: Run, walk_route: None) -> Path:
    Path("answers.yaml").write_text(yaml.safe_dump(GIVEN), encoding="utf-8")
    code, out, err = run(
        "start", "walk-test", "--record", "rec.md", "--title", "T", "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip
    assert Path("rec.md").exists(), out + err
    return Path("rec.md")


def test_status_names_open_checkpoints_and_deviations_by_their_question(
    run: Run, record: Path
) -> None:
    code, out, err = run("status", str(record))
    assert code == 0, err
    lines = [line.strip() for line in out.splitlines()]
    assert "open: Date the notice was published  notice-date" in lines
    assert "⚠ Any notes?  notes" in lines
    assert "open: notice-date" not in lines


def test_on_a_narrow_terminal_a_long_question_wraps_under_itself(
    run: Run, record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An open checkpoint or a deviation that wraps continues under its first word, so that
    on a projector each item still reads as one, with nothing at the left edge."""
    monkeypatch.setenv("JOURNEY_WIDTH", "28")
    code, out, err = run("status", str(record))
    assert code == 0, err
    lines = out.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("  open: Date the"))
    assert lines[first + 1].startswith(" " * len("  open: ")) and lines[first + 1].strip()
    flag = next(n for n, line in enumerate(lines) if line.startswith("  ⚠ Any notes?"))
    assert lines[flag + 1].startswith("      skip: ")


def test_status_json_keeps_the_ids_with_the_questions(run: Run, record: Path) -> None:
    code, out, _ = run("status", str(record), "--json")
    info = json.loads(out)
    assert {"id": "notice-date", "question": "Date the notice was published"} in info["outstanding"]
    assert info["deviations"][0]["checkpoint"] == "notes"
    assert info["deviations"][0]["question"] == "Any notes?"


def test_the_record_reads_in_questions_and_still_verifies(run: Run, record: Path) -> None:
    text = record.read_text(encoding="utf-8")
    assert '(only if "Is it business critical?" is yes)' in text
    assert "- Any notes? `notes` skipped: Nothing to add" in text
    code, out, err = run("verify", str(record))
    assert code == 0, out + err
