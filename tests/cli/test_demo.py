"""`journey demo` in-process: a replay that cannot go on stops with a message, never loops."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import BASE, Run

pytestmark = pytest.mark.usefixtures("walk_route")


def play(run: Run, answers: dict[str, object]) -> tuple[int, str, str]:
    Path("workshop.yaml").write_text(yaml.safe_dump(answers), encoding="utf-8")
    return run("demo", "walk-test", "--answers", "workshop.yaml", "--pace", "0")


def test_a_complete_answers_file_plays_to_the_end_and_writes_nothing(run: Run) -> None:
    code, out, err = play(run, BASE)
    assert (code, err) == (0, "")
    assert "End of the demonstration." in out
    assert sorted(p.name for p in Path.cwd().iterdir()) == ["workshop.yaml"]


def test_a_deviation_without_a_reason_stops_the_demo_with_a_message(run: Run) -> None:
    code, _, err = play(run, dict(BASE, critical=True))
    assert code == 2
    assert err == (
        "journey: the answers file needs a reason here: "
        "This checkpoint is mandatory and expects no. Why yes?\n"
    )


def test_a_refused_sign_off_stops_the_demo_instead_of_asking_again(run: Run) -> None:
    code, _, err = play(
        run, dict(BASE, officer={"name": "Bea Holder", "role": "Procurement officer"})
    )
    assert code == 2
    assert err == (
        "journey: the answers file cannot be played here: Bea Holder already signed as "
        "Budget holder; the route requires a different person here\n"
    )


def test_a_missing_answer_is_named(run: Run) -> None:
    code, _, err = play(run, {k: v for k, v in BASE.items() if k != "bidders"})
    assert code == 2
    assert (
        err == "journey: the answers file has no answer for 'bidders'; add it to replay this walk\n"
    )
