"""YAML syntax errors are reported where the problem starts, not only where the parser stops."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BASE, VALID, Run

UNCLOSED = {
    "quote": ("summary: 'Exercises the walk\n", "a quoted string opened here is never closed"),
    "list": ("summary: [goods, services\n", "a list opened here with [ is never closed with ]"),
    "mapping": ("summary: {owner: Ann\n", "a mapping opened here with { is never closed with }"),
}


def broken(text: str, at_line: int, bad: str) -> str:
    """`text` with line `at_line` replaced by `bad`, and enough lines after it to show the
    parser giving up far below."""
    lines = text.splitlines(keepends=True)
    lines[at_line - 1] = bad
    return "".join(lines)


@pytest.mark.parametrize("kind", UNCLOSED)
def test_a_route_file_names_the_line_where_the_unclosed_thing_opened(run: Run, kind: str) -> None:
    bad, words = UNCLOSED[kind]
    text = (VALID / "walk.yaml").read_text(encoding="utf-8")
    Path("route.yaml").write_text(broken(text, 7, bad), encoding="utf-8")
    code, out, err = run("validate", "route.yaml")
    assert code == 1
    said = out + err
    assert f"route.yaml:7:10: {words} (the YAML parser gave up at line " in said, said
    assert "Traceback" not in said


@pytest.mark.usefixtures("walk_route")
def test_an_answers_file_names_the_line_where_a_quote_opened(run: Run) -> None:
    lines = [f"{key}: placeholder\n" for key in BASE]
    lines[2] = "critical: 'no\n"
    Path("answers.yaml").write_text("".join(lines), encoding="utf-8")
    code, out, err = run(
        "start", "walk-test", "--record", "rec.md", "--title", "T", "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip
    assert code == 1, out + err
    assert "answers.yaml:3:11: a quoted string opened here is never closed" in err, err
    assert not Path("rec.md").exists()
