"""Narrow, wide and piped: output stays readable at 60 columns, whole when piped, and web
addresses are never split."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import BASE, Run

TITLE = "Procurement Journey (Scotland): Route 1"
URL = re.compile(r"https?://\S+")


@pytest.fixture
def piped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output to a pipe, as in a CI log, with no width asked for."""
    monkeypatch.delenv("JOURNEY_WIDTH")
    monkeypatch.delenv("COLUMNS")


def test_routes_at_60_columns_is_a_list_with_whole_titles(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEY_WIDTH", "60")
    code, out, err = run("routes")
    assert code == 0, err
    lines = out.splitlines()
    assert "scotland-route-1" in lines
    assert f"  {TITLE}" in lines
    assert "…" not in out
    assert all(len(line) <= 60 for line in lines)


@pytest.mark.usefixtures("piped")
def test_a_dumb_terminal_follows_columns(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run("routes")
    assert f"  {TITLE}" in out.splitlines()
    assert all(len(line) <= 60 for line in out.splitlines())


@pytest.mark.usefixtures("piped")
def test_piped_routes_keep_each_title_on_one_line(run: Run) -> None:
    code, out, _ = run("routes")
    row = next(line for line in out.splitlines() if line.startswith("scotland-route-1 "))
    assert TITLE in row


@pytest.mark.usefixtures("piped", "walk_route")
def test_piped_report_keeps_long_titles_whole(run: Run) -> None:
    title = "Library laptops and docking stations for every branch, with five years of support"
    Path("records").mkdir()
    Path("answers.yaml").write_text(yaml.safe_dump(BASE), encoding="utf-8")
    code, _, err = run(
        "start", "walk-test", "--record", "records/r.md", "--title", title, "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run("report", "records")
    assert code == 0, err
    assert title in out
    assert "…" not in out


def test_web_addresses_in_the_finder_are_whole_on_their_lines(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEY_WIDTH", "40")
    code, out, err = run(
        "choose", "--what", "goods", "--body", "sub-central", "--annual-value", "10000",
        "--vat", "excluded", "--vat-treatment", "standard", "--no-framework",
        "--not-business-critical", "--no-significant-risk", "--no-start",
    )  # fmt: skip
    assert code == 0, err
    urls = [m.group() for m in URL.finditer(out)]
    assert urls and all(re.fullmatch(r"https?://[\w.-]+/\S*[\w/]", u) for u in urls), urls
    assert not any("│" in line and URL.search(line) for line in out.splitlines())
