"""Check a record file: intact, consistent with its route, and honest about being complete.

Every problem names the file and line, so a pre-commit hook or CI job points
the team straight at it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from journey.errors import InvalidFile, Problem, UsageError
from journey.records.checklist import checklist
from journey.records.format import FORMAT, sealed, split
from journey.records.opening import Opened, open_record, walk_of
from journey.text import plural
from journey.walk import answers


def verify(path: Path) -> list[Problem]:
    """Every problem found in one record (an empty list when it is sound)."""
    try:
        opened = open_record(path)
    except InvalidFile as exc:
        return list(exc.problems)
    except UsageError as exc:
        return [Problem(str(path), None, None, "", str(exc))]
    problems = _data_problems(opened)
    if opened.route is None:
        return [*problems, *_route_missing(opened)]
    return problems + _route_problems(opened)


def _data_problems(opened: Opened) -> list[Problem]:
    _, block, _ = split(opened.text, str(opened.path))
    if sealed(block):
        return []
    msg = "the record data was edited by hand: its digest does not match (use `journey resume`)"
    return [opened.doc.problem(("digest",), msg)]


def _route_missing(opened: Opened) -> list[Problem]:
    msg = f"unknown route '{opened.record.route}': no such route is installed or in ./journeys or JOURNEY_PATH"
    return [opened.doc.problem(("route",), msg)]


def _route_problems(opened: Opened) -> list[Problem]:
    assert opened.route is not None
    rec, doc = opened.record, opened.doc
    if rec.format != FORMAT:
        msg = f"record format {rec.format} is not one this journey reads (format {FORMAT})"
        return [doc.problem(("format",), msg)]
    if rec.route_digest != opened.route.digest:
        msg = (
            f"the route has changed since this record was written (record: version {rec.route_version}, "
            f"found: version {opened.route.route.version}); run `journey resume {opened.path}` to update it"
        )
        return [doc.problem(("route-digest",), msg)]
    walk = walk_of(opened)
    problems = []
    if rec.route_checkpoints != walk.order:
        msg = "does not list the checkpoints of the route it is pinned to (edited by hand?)"
        problems.append(doc.problem(("route-checkpoints",), msg))
    for cid, entry in rec.answers.items():
        place = walk.places.get(cid)
        if place is None:
            problems.append(
                doc.problem(("answers", cid), f"answer to unknown checkpoint '{cid}'", at_key=True)
            )
            continue
        try:
            if answers.parse(place.checkpoint, entry.value) != entry.value:
                raise answers.BadAnswer("not in its canonical form")
        except answers.BadAnswer as exc:
            problems.append(
                doc.problem(
                    ("answers", cid, "value"), f"invalid {place.checkpoint.kind} answer: {exc}"
                )
            )
    for cid in rec.deviations:
        if cid not in walk.places:
            problems.append(
                doc.problem(
                    ("deviations", cid), f"deviation for unknown checkpoint '{cid}'", at_key=True
                )
            )
    if rec.status == "complete":
        missing = walk.missing()
        if missing:
            ids = ", ".join(c.id for c in missing)
            problems.append(
                doc.problem(
                    ("status",),
                    f"marked complete but {plural(len(missing), 'mandatory checkpoint')} open: {ids}",
                )
            )
    if not problems:
        problems += _checklist_problems(opened, checklist(walk) + "\n")
    return problems


def _checklist_problems(opened: Opened, expected: str) -> list[Problem]:
    """Lines of the checklist that differ from what the data says (edited by hand)."""
    found = opened.checklist.splitlines()
    want = expected.splitlines()
    out = []
    matcher = difflib.SequenceMatcher(a=want, b=found, autojunk=False)
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        line = j1 + 1
        shown = found[j1] if j1 < len(found) else "(end of checklist)"
        hint = f"; expected: {want[i1]}" if i1 < i2 else "; this line should not be there"
        msg = f"checklist line does not match the record data (edited by hand?): {shown}{hint}"
        out.append(Problem(str(opened.path), line, 1, "", msg))
    return out
