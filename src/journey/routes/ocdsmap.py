"""Which OCDS release field a checkpoint feeds (`ocds:` in a route), checked when a route loads.

Route authors own the mapping: a checkpoint names a field of the OCDS 1.1.5 release
schema, and the field's type must take the checkpoint's answers (a date feeds a
date-time, money a number, a choice a code list through `ocds-codes`, where an
empty code leaves that choice unpublished). Sign-offs
never feed a field: names leave a record only with `journey export --include-people`.
"""

from __future__ import annotations

from collections.abc import Iterator

from journey.routes.model import Checkpoint, Kind
from journey.routes.ocdsfields import FIELDS
from journey.safeyaml import PathT

# What each kind of answer can fill, by the field's JSON type in the release schema.
TAKES: dict[Kind, tuple[str, ...]] = {
    "confirm": ("boolean",),
    "text": ("string",),
    "choice": ("string",),
    "evidence": ("string",),
    "date": ("date-time",),
    "money": ("number",),
    "number": ("integer", "number"),
    "multi-choice": (),
    "sign-off": (),
}


def ocds_problems(cp: Checkpoint, path: PathT) -> Iterator[tuple[PathT, str]]:
    """Every problem with a checkpoint's `ocds` and `ocds-codes` keys."""
    if cp.ocds is None:
        if cp.ocds_codes:
            yield (*path, "ocds-codes"), "'ocds-codes' needs an 'ocds' field to feed"
        return
    field = FIELDS.get(cp.ocds)
    if field is None:
        yield (*path, "ocds"), _unknown(cp.ocds)
        return
    kind, codes = field
    if kind not in TAKES[cp.kind]:
        why = "names are published only with --include-people" if cp.kind == "sign-off" else ""
        yield (
            (*path, "ocds"),
            f"a {cp.kind} answer cannot feed {cp.ocds} (a {kind}){why and '; '}{why}",
        )
        return
    yield from _codes(cp, path, codes)


def _codes(cp: Checkpoint, path: PathT, codes: tuple[str, ...]) -> Iterator[tuple[PathT, str]]:
    if cp.ocds_codes and cp.kind != "choice":
        yield (*path, "ocds-codes"), "'ocds-codes' applies only to choice checkpoints"
        return
    for i, item in enumerate(cp.ocds_codes):
        where = (*path, "ocds-codes", i)
        if item.choice not in cp.choices:
            yield (*where, "choice"), f"'{item.choice}' is not a choice of '{cp.id}'"
        elif codes and item.code and item.code not in codes:
            yield (*where, "code"), f"'{item.code}' is not a code of {cp.ocds} ({', '.join(codes)})"
    if codes and cp.kind == "choice":
        given = {item.choice for item in cp.ocds_codes}
        unmapped = [c for c in cp.choices if c not in codes and c not in given]
        if unmapped:
            msg = f"choice '{unmapped[0]}' needs a code of {cp.ocds} in 'ocds-codes' ({', '.join(codes)})"
            yield (*path, "ocds"), msg


def _unknown(name: str) -> str:
    import difflib

    near = difflib.get_close_matches(name, FIELDS, n=1)
    hint = f"; did you mean {near[0]}?" if near else "; see docs/open-data.md for the fields"
    return f"'{name}' is not an OCDS release field a checkpoint can feed{hint}"
