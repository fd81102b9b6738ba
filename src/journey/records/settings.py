"""A records repository's settings: `journey.toml`, found by walking up from the current folder.

It holds what records do not: who the organisation is (as OCDS `parties` name it),
the OCDS `ocid` prefix, the default nation for the route finder, and where records
live. TOML locates only syntax errors, so key errors are located by a small line scan
(`_locate`) and reported as FILE:LINE:COLUMN like route files.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journey.errors import InvalidFile, Problem

NAME = "journey.toml"
NATIONS = ("scotland", "england", "wales", "northern-ireland")
# OCDS: a prefix is `ocds-` and six lower-case letters or digits, registered with the
# Open Contracting Partnership (https://standard.open-contracting.org/1.1/en/schema/identifiers/).
PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")
SCHEME = re.compile(r"^[A-Z]{2}-[A-Z0-9]+$|^XI-[A-Z0-9]+$")
CURRENCY = re.compile(r"^[A-Z]{3}$")

# table -> key -> (required, what a good value looks like)
KEYS: dict[str, dict[str, tuple[bool, str]]] = {
    "organisation": {
        "name": (True, "the organisation's name, as published"),
        "scheme": (True, "an org-id.guide list code, e.g. GB-COH"),
        "id": (True, "the organisation's id in that list"),
    },
    "ocds": {
        "prefix": (True, "an ocid prefix: ocds- and six letters or digits, e.g. ocds-abc123"),
        "currency": (False, "a three-letter currency code, e.g. GBP (default GBP)"),
    },
    "journey": {
        "nation": (False, "one of " + ", ".join(NATIONS)),
        "records": (False, "the records folder, relative to journey.toml (default records)"),
    },
}


@dataclass(frozen=True)
class Settings:
    """A repository's settings; `path` is the file they came from (None for defaults)."""

    name: str
    scheme: str
    org_id: str
    prefix: str
    currency: str = "GBP"
    nation: str | None = None
    records: str = "records"
    path: Path | None = None

    @property
    def party_id(self) -> str:
        """The organisation's OCDS party id: its scheme and id joined, as OCDS advises."""
        return f"{self.scheme}-{self.org_id}"


def find(start: Path | None = None) -> Path | None:
    """The nearest journey.toml in `start` (default: here) or a folder above it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / NAME
        if candidate.is_file():
            return _shown(candidate)
    return None


def _shown(path: Path) -> Path:
    """The path as messages should show it: relative to here when that is shorter."""
    try:
        relative = Path(os.path.relpath(path))
    except ValueError:  # another drive, on Windows
        return path
    return relative if len(str(relative)) < len(str(path)) else path


def load(path: Path) -> Settings:
    """Read and check a settings file, raising `InvalidFile` with every problem found."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidFile([Problem(shown, None, None, "", f"cannot read: {exc}")]) from None
    return parse(text, shown, path)


def parse(text: str, shown: str, path: Path | None = None) -> Settings:
    """Settings from TOML text; every problem located at its line and column."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.14 gives lineno and colno; before that they are only in the message.
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(found[1]), int(found[2])) if found else (None, None)
        msg = str(exc).split(" (at ")[0]
        raise InvalidFile([Problem(shown, line, col, "", f"not valid TOML: {msg}")]) from None
    problems = list(_problems(data, text, shown))
    if problems:
        raise InvalidFile(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    org, ocds, jour = data["organisation"], data["ocds"], data.get("journey", {})
    return Settings(
        name=org["name"].strip(),
        scheme=org["scheme"],
        org_id=str(org["id"]).strip(),
        prefix=ocds["prefix"],
        currency=ocds.get("currency", "GBP"),
        nation=jour.get("nation"),
        records=jour.get("records", "records"),
        path=path,
    )


def _problems(data: dict[str, Any], text: str, shown: str) -> list[Problem]:
    out: list[Problem] = []

    def at(table: str, key: str | None, msg: str) -> None:
        line, col = _locate(text, table, key)
        out.append(Problem(shown, line, col, f"{table}.{key}" if key else table, msg))

    for table in data:
        if table not in KEYS:
            at(table, None, f"unknown table; use {', '.join(KEYS)}")
    for table, keys in KEYS.items():
        section = data.get(table, {})
        if not isinstance(section, dict):
            at(table, None, "must be a table, e.g. [" + table + "]")
            continue
        for key in section:
            if key not in keys:
                at(table, key, f"unknown key; use {', '.join(keys)}")
        for key, (required, want) in keys.items():
            if key not in section:
                if required:
                    at(table, None, f"'{key}' is missing: {want}")
                continue
            if not _good(table, key, section[key]):
                at(table, key, f"{section[key]!r} is not {want}")
    return out


def _good(table: str, key: str, value: Any) -> bool:
    if not isinstance(value, str) or not value.strip() or len(value) > 500:
        return False
    checks: dict[tuple[str, str], Any] = {
        ("ocds", "prefix"): PREFIX.fullmatch,
        ("ocds", "currency"): CURRENCY.fullmatch,
        ("organisation", "scheme"): SCHEME.fullmatch,
        ("journey", "nation"): lambda v: v in NATIONS,
        ("journey", "records"): lambda v: not Path(v).is_absolute() and ".." not in Path(v).parts,
    }
    check = checks.get((table, key))
    return check is None or bool(check(value))


_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]")
_KEY = re.compile(r"^(\s*)([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")


def _locate(text: str, table: str, key: str | None) -> tuple[int | None, int | None]:
    """Line and column of `[table]` or of `key = ` inside it (dotted keys are not followed)."""
    current = ""
    header: tuple[int, int] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if match := _HEADER.match(line):
            current = match.group(1)
            if current == table and header is None:
                header = (number, match.start(1) + 1)
            continue
        if key is not None and current == table and (match := _KEY.match(line)):
            if match.group(2).strip('"') == key:
                return number, len(match.group(1)) + 1
    return (header[0], header[1]) if header else (None, None)


def render(settings: Settings) -> str:
    """The text `journey init` writes: every value explained by a comment."""

    def q(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "# Settings for this records repository, read by `journey export` and `journey report`.",
        "# See docs/teams.md.",
        "",
        "[organisation]",
        f"name = {q(settings.name)}",
        "# The org-id.guide list your organisation is registered in (for example GB-COH,",
        "# Companies House) and its id in that list: see https://org-id.guide",
        f"scheme = {q(settings.scheme)}",
        f"id = {q(settings.org_id)}",
        "",
        "[ocds]",
        "# The ocid prefix registered with the Open Contracting Partnership.",
        f"prefix = {q(settings.prefix)}",
        f"currency = {q(settings.currency)}",
        "",
        "[journey]",
    ]
    if settings.nation:
        lines.append(f"nation = {q(settings.nation)}")
    lines.append(f"records = {q(settings.records)}")
    return "\n".join(lines) + "\n"
