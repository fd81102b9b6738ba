"""The table of statutory notices (UK1-UK17 under the Procurement Act 2023), as data.

A route names the notice a checkpoint or deadline concerns (`notice: UK6`); the
name and legal basis come from journeys/notices.yaml, once, never repeated per
route. Where the UK number of a notice is not confirmed by an official source,
buyers see the notice's name and legal basis without the number.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import msgspec

from journey.errors import InvalidFile
from journey.safeyaml import load_file
from journey.shapecheck import build


class Notice(msgspec.Struct, frozen=True, forbid_unknown_fields=True, rename="kebab"):
    """One notice: its number, name, legal basis and when it is due."""

    id: str
    name: str
    basis: str
    url: str
    when: str
    timing: str
    number_confirmed: bool
    not_for: str = ""
    notes: str = ""  # for authors and reviewers only: where the number or name comes from

    @property
    def label(self) -> str:
        """How a buyer sees the notice: the number only where an official source confirms it."""
        lead = f"{self.id} {self.name}" if self.number_confirmed else self.name
        return f"{lead} ({self.basis})"


class Notices(msgspec.Struct, frozen=True, forbid_unknown_fields=True, rename="kebab"):
    """The notices file: the regime it belongs to, when it was checked, and its rows."""

    regime: str
    reviewed: dt.date
    notices: tuple[Notice, ...]

    def get(self, ident: str) -> Notice | None:
        """The notice with this id, if the table has one."""
        return next((n for n in self.notices if n.id == ident), None)


def notices_file() -> Path:
    """The notices table shipped beside the built-in routes."""
    from journey.routes.catalogue import builtin_dir

    return builtin_dir() / "notices.yaml"


@cache
def load_notices(path: Path | None = None) -> Notices:
    """Read and check the notices table (shape, and each id once); cached per path."""
    from journey.routes.catalogue import shown_path

    path = path or notices_file()
    doc = load_file(path, shown_path(path))
    table = build(doc, Notices)
    seen: set[str] = set()
    problems = []
    for i, notice in enumerate(table.notices):
        if notice.id in seen:
            problems.append(doc.problem(("notices", i, "id"), f"duplicate notice '{notice.id}'"))
        seen.add(notice.id)
    if problems:
        raise InvalidFile(problems)
    return table
