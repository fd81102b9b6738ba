"""The README's samples, and the trainers' guide's, are what the commands print today, at 80
columns.

A README sample is an indented block that starts with `$ journey ...`; in
docs/trainers.md, a ```console block that does. A line `...` (or `…`) in it stands
for lines left out. Samples of commands that need a terminal (`start`,
`resume`, `demo`) or a repository of records are not run here; the real-terminal
tests cover what they print.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import REPO, Run

README = REPO / "README.md"
TRAINERS = REPO / "docs" / "trainers.md"
RUNNABLE = {"choose", "routes", "show"}


def samples(text: str) -> list[tuple[str, list[str]]]:
    """(command line, lines shown) for each sample in the README."""
    found: list[tuple[str, list[str]]] = []
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("    "):
            block.append(line[4:])
            continue
        if block and block[0].startswith("$ journey "):
            command, rest = _command(block)
            found.append((command, rest))
        block = []
    return found


def _command(block: list[str]) -> tuple[str, list[str]]:
    """The command (continued over lines ending in a backslash) and the output after it."""
    lines = [block[0][2:]]
    i = 1
    while lines[-1].endswith("\\") and i < len(block):
        lines[-1] = lines[-1][:-1]
        lines.append(block[i].strip())
        i += 1
    return " ".join(part.strip() for part in lines), block[i:]


def console_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(command line, lines shown) for each ```console block of one `$ journey` command."""
    found = []
    for block in text.split("```console\n")[1:]:
        lines = block.split("\n```")[0].splitlines()
        if lines and lines[0].startswith("$ journey ") and not lines[0].endswith("\\"):
            found.append((lines[0][2:], lines[1:]))
    return found


def runnable(found: list[tuple[str, list[str]]] | None = None) -> list[tuple[str, list[str]]]:
    if found is None:
        found = samples(README.read_text(encoding="utf-8"))
    return [(c, shown) for c, shown in found if shlex.split(c)[1] in RUNNABLE and shown]


TRAINERS_SAMPLES = runnable(console_blocks(TRAINERS.read_text(encoding="utf-8")))


def pieces(shown: list[str]) -> list[list[str]]:
    """The sample's lines in runs between the `...` lines, right spaces trimmed."""
    runs: list[list[str]] = [[]]
    for line in shown:
        if line.strip() in ("...", "…"):
            runs.append([])
        else:
            runs[-1].append(line.rstrip())
    return [run for run in runs if run]


def test_the_readme_has_samples_to_check() -> None:
    assert {shlex.split(c)[1] for c, _ in runnable()} == RUNNABLE
    assert len(TRAINERS_SAMPLES) >= 2


@pytest.mark.parametrize(
    ("command", "shown"), runnable() + TRAINERS_SAMPLES, ids=lambda x: str(x)[:40]
)
def test_a_readme_sample_is_what_the_command_prints(
    run: Run, monkeypatch: pytest.MonkeyPatch, command: str, shown: list[str]
) -> None:
    monkeypatch.setenv("JOURNEY_WIDTH", "80")
    monkeypatch.chdir(REPO)  # `journey routes` finds ./journeys as a reader's clone does
    code, out, err = run(*shlex.split(command)[1:])
    assert code == 0, err
    printed = [line.rstrip() for line in out.splitlines()]
    at = 0
    for run_of_lines in pieces(shown):
        at = _find(printed, run_of_lines, at)
        assert at >= 0, "\n".join(["README shows:", *run_of_lines, "", "printed:", *printed])
        at += len(run_of_lines)


def _find(printed: list[str], lines: list[str], start: int) -> int:
    for i in range(start, len(printed) - len(lines) + 1):
        if printed[i : i + len(lines)] == lines:
            return i
    return -1


def test_the_readme_says_what_menus_take() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert re.search(r"In menus,? type them too", text), "the README still says menus need entries"


def test_the_readme_exit_statuses_hold_for_a_missing_record(run: Run) -> None:
    text = README.read_text(encoding="utf-8")
    assert "2 unusable input (no such" in text
    assert run("verify", str(Path("missing.md")))[0] == 2
    assert run("status", str(Path("missing.md")))[0] == 2
