"""UK habits in answers files, through the command: dates as a buyer writes them, roles in any
case, refusals that say why, and "did you mean" for a mistyped checkpoint id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BASE, Run


def start(run: Run, **changes: Any) -> tuple[int, str, str]:
    answers = {k: v for k, v in {**BASE, **changes}.items() if v is not None}
    Path("answers.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    return run(
        "start", "walk-test", "--record", "rec.md", "--title", "T", "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip


def stored(name: str) -> Any:
    """The value the record keeps for checkpoint `name` (its data block: JSON lines)."""
    text = Path("rec.md").read_text(encoding="utf-8")
    lines = text[text.index("journey-record") :].splitlines()[1:]
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    return next(e["value"] for e in entries if e.get("line") == "answer" and e["id"] == name)


@pytest.mark.usefixtures("walk_route")
@pytest.mark.parametrize("typed", ["15/01/2027", "15 January 2027", "15 Jan 2027", "2027-01-15"])
def test_dates_as_a_uk_buyer_writes_them_are_stored_as_iso(run: Run, typed: str) -> None:
    code, out, err = start(run, **{"notice-date": typed})
    assert code == 0, err
    assert stored("notice-date") == "2027-01-15"


@pytest.mark.usefixtures("walk_route")
@pytest.mark.parametrize("typed", ["31/02/2027", "30 Febtember 2027", "01-15-2027"])
def test_a_date_that_is_not_one_is_refused_at_its_line(run: Run, typed: str) -> None:
    code, _, err = start(run, **{"notice-date": typed})
    assert code == 1
    assert "answers.yaml:" in err and "notice-date" in err
    assert not Path("rec.md").exists()


@pytest.mark.usefixtures("walk_route")
def test_a_negative_count_is_refused_saying_why(run: Run) -> None:
    code, _, err = start(run, bidders=-5)
    assert code == 1
    assert "must be 0 or more" in err


@pytest.mark.usefixtures("walk_route")
def test_a_negative_amount_is_refused_saying_why(run: Run) -> None:
    code, _, err = start(run, value="-£5")
    assert code == 1
    assert "must be 0 or more" in err


@pytest.mark.usefixtures("walk_route")
def test_a_sign_off_role_matches_in_any_case_and_is_stored_as_the_route_spells_it(
    run: Run,
) -> None:
    code, _, err = start(run, officer="Ola Officer, procurement OFFICER")
    assert code == 0, err
    assert stored("officer")["role"] == "Procurement officer"


@pytest.mark.usefixtures("walk_route")
def test_a_mistyped_checkpoint_id_gets_did_you_mean(run: Run) -> None:
    code, _, err = start(run, bidders=None, biders=4)
    assert code == 1
    assert "'biders' is not a checkpoint of route walk-test (did you mean 'bidders'?)" in err
