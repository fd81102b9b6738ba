"""Author notes reach route authors and reviewers (validate, show --notes) and never a buyer:
not a walk, the finder, a handout or a record."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from answers import answers_for
from conftest import Run
from journey.records.checklist import render
from journey.routes.authoring import review_warning
from journey.routes.catalogue import builtin_dir
from journey.routes.loader import load_route
from journey.walk.drive import apply_given
from journey.walk.engine import Walk, new_record

MARK = "AUTHOR-ONLY-NOTE-7F3"


def noted_route(folder: Path) -> Path:
    """The light-touch route with an author note at every level that takes one."""
    text = (builtin_dir() / "scotland-light-touch.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^notes: >-\n(?:  .*\n)+", f"notes: {MARK} route\n", text, flags=re.M)
    text = text.replace("  - id: strategy\n", f"  - id: strategy\n    notes: {MARK} stage\n")
    text = text.replace("      - id: notice\n", f"      - id: notice\n        notes: {MARK} step\n")
    text = text.replace(
        "          - id: reg-83-report\n",
        f"          - id: reg-83-report\n            notes: {MARK} checkpoint\n",
    )
    path = folder / "noted.yaml"
    path.write_text(text.replace("id: scotland-light-touch", "id: noted", 1), encoding="utf-8")
    return path


def test_validate_and_show_notes_give_them_to_reviewers(run: Run, tmp_path: Path) -> None:
    path = noted_route(tmp_path)
    code, out, err = run("validate", "--notes", str(path))
    assert (code, err) == (0, "")
    assert [line.split(":")[0] for line in out.splitlines()[1:]] == [
        "  note, route",
        "  note, stage strategy",
        "  note, step notice",
        "  note, checkpoint reg-83-report",
    ]
    code, out, _ = run("show", str(path), "--format", "markdown", "--notes")
    assert code == 0
    assert out.count(MARK) == 4


def test_no_buyer_facing_output_shows_author_notes(run: Run, tmp_path: Path) -> None:
    path = noted_route(tmp_path)
    for args in (
        ("validate", str(path)),
        ("show", str(path)),
        ("show", str(path), "--format", "markdown"),
        ("show", str(path), "--format", "mermaid"),
    ):
        code, out, err = run(*args)
        assert code == 0, err
        assert MARK not in out + err, args
    loaded = load_route(path)
    answers = answers_for(loaded, 0)
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text(yaml.safe_dump(answers), encoding="utf-8")
    code, out, err = run("demo", str(path), "--answers", str(answers_file), "--pace", "0")
    assert code == 0, err
    assert "Award notice" in out and MARK not in out + err
    walk = Walk(
        loaded,
        new_record(loaded, title="T", owner="O", reference="", now="2026-11-29T09:00:00Z"),
        user="O",
    )
    apply_given(walk, answers)
    walk.finish()
    assert MARK not in render(walk)


def test_the_finder_shows_plain_words_not_reviewers_markers(run: Run) -> None:
    args = ["choose", "--what", "goods", "--body", "sub-central", "--annual-value", "300000",
            "--vat", "excluded", "--no-framework", "--date", "2026-02-01", "--no-input", "--no-start"]  # fmt: skip
    for extra in ([], ["--json"]):
        code, out, err = run(*args, *extra)
        assert code == 0, err
        assert "[INFERRED]" not in out and "arthurcox" not in out
        assert "SPPN 4/2025" in out


def test_a_reviewers_marker_in_buyer_text_is_refused(run: Run, tmp_path: Path) -> None:
    text = (builtin_dir() / "scotland-light-touch.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "prompt: Fair Work First considered for this contract",
        "prompt: Fair Work First considered [INFERRED] for this contract",
    )
    path = tmp_path / "marked.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("validate", str(path))
    assert code == 1
    assert "prompt: '[INFERRED]' is a note for authors: move it to `notes`" in out


def test_a_review_older_than_a_year_is_flagged_and_a_bad_date_refused(
    run: Run, tmp_path: Path
) -> None:
    route = load_route(builtin_dir() / "scotland-light-touch.yaml").route
    assert review_warning(route, dt.date(2026, 11, 29)) is None
    assert review_warning(route, dt.date(2027, 11, 29)) is None  # exactly a year: still fresh
    late = review_warning(route, dt.date(2027, 11, 30))
    assert late is not None and "last checked against its sources on 2026-11-29" in late
    text = (builtin_dir() / "scotland-light-touch.yaml").read_text(encoding="utf-8")
    path = tmp_path / "baddate.yaml"
    path.write_text(
        text.replace('checked: "2026-11-29"}', 'checked: "29/11/2026"}', 1), encoding="utf-8"
    )
    code, out, _ = run("validate", str(path))
    assert code == 1
    assert "checked: '29/11/2026' is not a date (YYYY-MM-DD)" in out


def test_journey_routes_warns_when_a_review_is_older_than_a_year(run: Run) -> None:
    text = (builtin_dir() / "scotland-light-touch.yaml").read_text(encoding="utf-8")
    old = text.replace('checked: "2026-11-29"', 'checked: "2025-01-31"')
    folder = Path.cwd() / "journeys"
    folder.mkdir(exist_ok=True)
    (folder / "old-route.yaml").write_text(
        old.replace("id: scotland-light-touch", "id: old-route", 1), encoding="utf-8"
    )
    code, out, _ = run("routes")
    assert code == 0
    assert (
        "\nReview due:\n  old-route: last checked against its sources on 2025-01-31 (source S6, "
        "S25, S34 and 13 more), more than a year ago: review it before relying on it\n" in out
    )
