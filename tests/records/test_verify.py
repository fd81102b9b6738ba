"""`verify` catches a hand edit of any single field of a real record's data block, even with
the digest recomputed: the property behind docs/records.md's integrity model."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import BASE, WALK, ticking
from journey.records.checklist import render
from journey.records.format import FENCE, seal
from journey.records.verify import verify
from journey.routes.loader import load_route
from journey.walk.engine import Walk, new_record
from journey.walk.given import apply_given

pytestmark = pytest.mark.usefixtures("walk_route")


def real_record() -> str:
    """A complete walk-test record: answers from a file and typed, a deviation, a skip and a
    change, so that every kind of data line is there."""
    loaded = load_route(WALK)
    rec = new_record(loaded, title="Catering 2027", owner="Ann Buyer", reference="CAT-27",
                     now="2026-11-23T09:00:00Z")  # fmt: skip
    walk = Walk(loaded, rec, user="Ann Buyer", clock=ticking())
    given = dict(BASE, critical={"value": True, "reason": "Feeds 12 schools"}, escalated=True)
    given["notes"] = {"skip": "Nothing to add"}
    apply_given(walk, given)
    walk.answer("bidders", 5, reason="A late bid was admitted")
    walk.finish()
    return render(walk)


RECORD = real_record()
CHECKLIST, BLOCK = RECORD.split(FENCE + "\n")
LINES = [json.loads(line) for line in BLOCK.split("\n```")[0].split("\n")[:-1]]
# Every field of every data line but the line kinds themselves: (line index, key).
FIELDS = [(i, key) for i, line in enumerate(LINES) for key in line if key != "line"]

# Fields no rule of the route or of the tool constrains beyond their shape, so that an
# edit re-sealed by hand cannot be told from the truth: documented in docs/records.md.
UNCHECKED: set[str] = set()

values = st.one_of(
    st.text(max_size=12),
    st.integers(-5, 10**6),
    st.booleans(),
    st.none(),
    st.lists(st.sampled_from(["Lot 1", "Lot 2", "Lot 3", "x"]), max_size=3),
    st.sampled_from(["2026-11-23T10:00:00Z", "2026-02-30", "Goods", "120000.00", "Bea Holder"]),
)


def write(lines: list[dict[str, Any]], path: Path) -> None:
    body = [json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in lines]
    path.write_text(CHECKLIST + FENCE + "\n" + "\n".join([*body, seal(body)]) + "\n```\n", "utf-8")


def test_the_real_record_verifies(tmp_path: Path) -> None:
    path = tmp_path / "rec.md"
    path.write_text(RECORD, "utf-8")
    assert verify(path) == []
    write(LINES, path)  # the test's own writer gives the same bytes
    assert path.read_text("utf-8") == RECORD


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field=st.sampled_from(FIELDS), new=values)
def test_a_resealed_edit_of_any_field_is_caught(
    tmp_path: Path, field: tuple[int, str], new: Any
) -> None:
    index, key = field
    old = LINES[index][key]
    assume(json.dumps(new) != json.dumps(old) and key not in UNCHECKED)
    lines = json.loads(json.dumps(LINES))
    lines[index][key] = new
    path = tmp_path / "rec.md"
    write(lines, path)
    problems = verify(path)
    assert problems, f"line {index} {key}: {old!r} -> {new!r} passed verify"
    assert all(p.file == str(path) for p in problems)


@pytest.mark.parametrize(
    ("index", "key"), FIELDS, ids=[f"{LINES[i]['line']}-{k}" for i, k in FIELDS]
)
def test_every_field_is_covered_by_a_rule(tmp_path: Path, index: int, key: str) -> None:
    """Each field edited to a plausible value of its own type is caught: no field is free."""
    old = LINES[index][key]
    edits: dict[type, Callable[[Any], Any]] = {
        bool: lambda v: not v, int: lambda v: v + 1, str: lambda v: v + "x",
        list: lambda v: [*v, "x"], dict: lambda v: {**v, "name": "Someone Else"},
        type(None): lambda v: "x",
    }  # fmt: skip
    new = edits[type(old)](old)
    lines = json.loads(json.dumps(LINES))
    lines[index][key] = new
    path = tmp_path / "rec.md"
    write(lines, path)
    assert verify(path), f"{key} of line {index}: {old!r} -> {new!r}"


# The file line of the block's first data line (the head), counted from the top of the file.
FIRST = CHECKLIST.count("\n") + 2


# Each data line with each damage that applies to it (a line with no author cannot lose it).
DAMAGES = [
    (index, damage)
    for index, line in enumerate(LINES)
    for damage in ("cut short", "blank line before", "second copy", "no author")
    if damage != "no author" or "owner" in line or "by" in line
]


@pytest.mark.parametrize(("index", "damage"), DAMAGES)
@pytest.mark.parametrize("resealed", [True, False])
def test_a_damaged_data_line_is_named_at_its_line(
    tmp_path: Path, index: int, damage: str, resealed: bool
) -> None:
    """Each data line cut short, pushed down by a blank line, copied, or with its author (the
    head: its owner) taken out: the message names the file's line, whether or not the digest
    was recomputed (positions are worked out only when a problem needs them, so this holds
    them to the lines)."""
    body = [json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in LINES]
    # A second change or event is another entry, not a clash: the seal, or the checklist
    # when re-sealed, is what sees it, and names its own line.
    another = damage == "second copy" and LINES[index]["line"] in ("change", "event", "retired")
    if damage == "cut short":
        body[index], at = body[index][:-2], index
    elif damage == "blank line before":
        body.insert(index, "")
        at = index
    elif damage == "second copy":
        body.insert(index + 1, body[index])
        at = index + 1
    else:
        line = dict(LINES[index])
        key = "owner" if "owner" in line else "by"
        body[index] = json.dumps({**line, key: ""}, ensure_ascii=False, separators=(",", ":"))
        at = index
    digest = seal(body) if resealed else seal([json.dumps(x) for x in LINES])
    path = tmp_path / "rec.md"
    path.write_text(CHECKLIST + FENCE + "\n" + "\n".join([*body, digest]) + "\n```\n", "utf-8")
    problems = verify(path)
    assert problems, "the damage was not seen"
    if not another:
        assert FIRST + at in [p.line for p in problems], [(p.line, p.message) for p in problems]
