"""The checklist record: one Markdown file, a readable checklist above a data block.

The fenced ```yaml journey-record``` block at the end is the source of truth.
The checklist above it is rendered from that block and the route, so `verify`
can re-render it and point at any line edited by hand. The data is written in
a stable order, one answer a line, with a digest over it.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

import msgspec
import yaml

from journey.errors import InvalidFile, Problem
from journey.safeyaml import Document, parse
from journey.shapecheck import build

FORMAT = 1
FENCE = "```yaml journey-record"
Status = Literal["in-progress", "complete"]


class Entry(msgspec.Struct, forbid_unknown_fields=True, rename="kebab"):
    """An answer: its value, when it was given and by whom."""

    value: Any
    at: str
    by: str


class Deviation(msgspec.Struct, forbid_unknown_fields=True, rename="kebab"):
    """A mandatory checkpoint answered 'no', or an optional one skipped, with the reason."""

    kind: Literal["answer", "skip"]
    reason: str
    at: str
    by: str


class Change(msgspec.Struct, forbid_unknown_fields=True, rename="kebab"):
    """An answer changed after it was given: the audit trail keeps both values."""

    checkpoint: str
    old: Any
    new: Any
    at: str
    by: str
    reason: str


class Record(msgspec.Struct, forbid_unknown_fields=True, rename="kebab"):
    """The state of one procurement's walk along one route."""

    format: int
    route: str
    route_version: str
    route_digest: str
    title: str
    owner: str
    status: Status
    created: str
    updated: str
    reference: str = ""
    route_checkpoints: list[str] = msgspec.field(default_factory=list)
    answers: dict[str, Entry] = msgspec.field(default_factory=dict)
    deviations: dict[str, Deviation] = msgspec.field(default_factory=dict)
    retired: dict[str, Entry] = msgspec.field(default_factory=dict)
    history: list[Change] = msgspec.field(default_factory=list)
    digest: str = ""


_HEAD = (
    "format",
    "route",
    "route-version",
    "route-digest",
    "title",
    "reference",
    "owner",
    "status",
    "created",
    "updated",
    "route-checkpoints",
)


def data_lines(record: Record, order: list[str]) -> list[str]:
    """The data block's lines: head fields, then one line per answer in route order."""
    raw = msgspec.to_builtins(record)
    lines = [_line(key, raw.get(key, "")) for key in _HEAD]
    for section, keys in (
        ("answers", order),
        ("deviations", order),
        ("retired", sorted(record.retired)),
    ):
        entries: dict[str, Any] = raw[section]
        known = set(keys)
        ordered = [k for k in keys if k in entries] + sorted(k for k in entries if k not in known)
        lines.append(f"{section}:" + ("" if ordered else " {}"))
        lines += ["  " + _line(k, entries[k]) for k in ordered]
    lines.append("history:" + ("" if record.history else " []"))
    lines += ["  - " + _flow(c) for c in raw["history"]]
    return lines


def seal(lines: list[str]) -> str:
    """The digest line that closes the data block, over every line above it."""
    body = "\n".join(lines) + "\n"
    return "digest: sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()


def _line(key: str, value: Any) -> str:
    return f"{_flow(key)}: {_flow(value)}"


def _flow(value: Any) -> str:
    """One value as a single line of flow-style YAML.

    PyYAML's emitter is pure Python and slow, and a walk rewrites the whole
    record after every answer, so each distinct value is emitted once per
    process and then remembered (keyed by type as well as value, so that
    `True`, `1` and `1.0` stay apart).
    """
    try:
        key = _memo_key(value)
    except TypeError:  # a type the memo does not know: emit it each time
        return _emit(value)
    text = _FLOWN.get(key)
    if text is None:
        if len(_FLOWN) >= _FLOWN_MAX:
            _FLOWN.clear()
        text = _FLOWN[key] = _emit(value)
    return text


_FLOWN: dict[Any, str] = {}
_FLOWN_MAX = 100_000
_SCALARS = (str, int, bool, type(None))


def _memo_key(value: Any) -> Any:
    kind = type(value)
    if kind is float:
        return kind, repr(value)  # 0.0 == -0.0, but they are written differently
    if kind in _SCALARS:
        return kind, value
    if kind is list:
        items = tuple(value)
        if all(type(v) is str for v in items):  # lists of ids and choices: the common case
            return list, items
        return list, tuple(_memo_key(v) for v in items)
    if kind is dict:
        return dict, tuple((_memo_key(k), _memo_key(v)) for k, v in value.items())
    raise TypeError(kind)


def _emit(value: Any) -> str:
    text: str = yaml.safe_dump(
        value, default_flow_style=True, width=2**31, allow_unicode=True, sort_keys=False
    )
    return text.removesuffix("\n...\n").rstrip("\n")


def data_block(record: Record, order: list[str]) -> str:
    """The fenced data block, digest included."""
    lines = data_lines(record, order)
    return "\n".join([FENCE, *lines, seal(lines), "```"]) + "\n"


def split(text: str, name: str) -> tuple[str, str, int]:
    """Split a record file into its checklist and data block (and the block's first line number)."""
    start = text.rfind("\n" + FENCE + "\n")
    if start < 0:
        msg = f"no '{FENCE}' block found: this is not a journey record, or it was cut short"
        raise InvalidFile([Problem(name, None, None, "", msg)])
    body_start = start + len(FENCE) + 2
    end = text.find("\n```", body_start - 1)
    if end < 0 or text[end + 4 :].strip():
        line = text.count("\n", 0, start) + 2
        msg = "the record's data block is not closed with ``` at the end of the file (cut short?)"
        raise InvalidFile([Problem(name, line, 1, "", msg)])
    first_line = text.count("\n", 0, body_start) + 1
    return text[: start + 1], text[body_start : end + 1], first_line


def read(text: str, name: str) -> tuple[Record, str, Document]:
    """Parse a record file: the record, its checklist text, and its data block as a document."""
    checklist, block, first_line = split(text, name)
    # Parsed behind blank lines, so every position (and every line named in a message)
    # counts from the top of the file, not the top of the block.
    doc = parse("\n" * (first_line - 1) + block, name)
    return build(doc, Record), checklist, doc


def lf(text: str) -> str:
    """A record as written, whatever a checkout did to its line endings (git on Windows)."""
    return text.replace("\r\n", "\n")


def sealed(block: str) -> bool:
    """True when the data block's digest line matches the lines above it."""
    lines = block.splitlines()
    return bool(lines) and lines[-1] == seal(lines[:-1])
