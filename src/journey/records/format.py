"""The checklist record: one Markdown file, a readable checklist above a data block.

The fenced data block at the end is the source of truth. The checklist above it
is rendered from that block and the route, so `verify` can re-render it and
point at any line edited by hand.

Format 2 (written since journey 0.2) is a ```json journey-record``` block of JSON
lines: one object a line (the head, the route's checkpoints, then one line per
answer, deviation, retired answer, change and history event), closed by a digest
over every line above it. Each line is decoded by msgspec straight into a typed
struct. Format 1 (```yaml journey-record```, one YAML line per answer) is still
read, so that old records verify; `journey upgrade` rewrites them as format 2.
The `format` is read before anything else, so a record from a newer journey is
named as such instead of failing on a key this version does not know.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, Literal

import msgspec

from journey.errors import InvalidFile, Problem
from journey.safeyaml import Document, parse
from journey.shapecheck import build

FORMAT = 2
FENCE = "```json journey-record"
FENCE_1 = "```yaml journey-record"
Status = Literal["in-progress", "complete"]
# How an answer was given: typed at a prompt, read from an answers file, carried from the
# route finder, or unrecorded (a format 1 record, written before provenance was kept).
Via = Literal["typed", "answers-file", "route-finder", "unrecorded"]
VIAS: tuple[Via, ...] = ("typed", "answers-file", "route-finder", "unrecorded")


class Entry(msgspec.Struct, forbid_unknown_fields=True, rename="kebab"):
    """An answer: its value, when it was given, by whom, and how."""

    value: Any
    at: str
    by: str
    via: Via = "unrecorded"


class Deviation(msgspec.Struct, forbid_unknown_fields=True, rename="kebab"):
    """A mandatory checkpoint answered against its rule, or an optional one skipped, with why."""

    kind: Literal["answer", "skip", "deadline"]
    reason: str
    at: str
    by: str


class Change(msgspec.Struct, forbid_unknown_fields=True, rename="kebab"):
    """An answer changed after it was given: the audit trail keeps both values, the reason,
    and the deviation reason the change ended (so no earlier reason is ever lost)."""

    checkpoint: str
    old: Any
    new: Any
    at: str
    by: str
    reason: str
    old_deviation: str = ""


class Event(msgspec.Struct, forbid_unknown_fields=True, rename="kebab"):
    """Something done to the record as a whole: a hand edit accepted, or an upgrade.

    `replaced` is the digest line the record had before, so the edit can be found in git.
    """

    kind: Literal["accepted-edit", "upgraded"]
    at: str
    by: str
    reason: str
    replaced: str


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
    events: list[Event] = msgspec.field(default_factory=list)
    finder: dict[str, str] | None = None
    digest: str = ""


# -- format 2 lines -------------------------------------------------------------


class _Line(msgspec.Struct, forbid_unknown_fields=True, rename="kebab", tag_field="line"):
    """One line of a format 2 data block; `line` says which kind."""


class Head(_Line, tag="head"):
    format: int
    route: str
    route_version: str
    route_digest: str
    title: str
    reference: str
    owner: str
    status: Status
    created: str
    updated: str


class Checkpoints(_Line, tag="checkpoints"):
    ids: list[str]


class Finder(_Line, tag="finder"):
    """The route finder's inputs, when answers were carried from it."""

    inputs: dict[str, str]


class AnswerLine(_Line, tag="answer"):
    id: str
    value: Any
    at: str
    by: str
    via: Via


class RetiredLine(_Line, tag="retired"):
    id: str
    value: Any
    at: str
    by: str
    via: Via


class DeviationLine(_Line, tag="deviation"):
    id: str
    kind: Literal["answer", "skip", "deadline"]
    reason: str
    at: str
    by: str


class ChangeLine(_Line, tag="change", omit_defaults=True):
    id: str
    old: Any
    new: Any
    at: str
    by: str
    reason: str
    old_deviation: str = ""


class EventLine(_Line, tag="event"):
    kind: Literal["accepted-edit", "upgraded"]
    at: str
    by: str
    reason: str
    replaced: str


Line = (
    Head | Checkpoints | Finder | AnswerLine | RetiredLine | DeviationLine | ChangeLine | EventLine
)
_DECODE = msgspec.json.Decoder(Line)
_ENCODE = msgspec.json.Encoder()


class _Digest(msgspec.Struct, forbid_unknown_fields=True):
    digest: str


def data_lines(record: Record, order: list[str]) -> list[str]:
    """The data block's lines (format 2): head, checkpoints, then one line per item, in
    route order, so that a change to one answer is a change to one line."""
    return [_ENCODE.encode(line).decode("utf-8") for line in _line_structs(record, order)]


def data_text(record: Record, order: list[str]) -> str:
    """`data_lines`, each ended by a newline, in one piece (encoded in one call: `verify`
    compares it with the file's block for every record of a report)."""
    return _ENCODE.encode_lines(_line_structs(record, order)).decode("utf-8")


def _line_structs(record: Record, order: list[str]) -> list[_Line]:
    r = record
    lines: list[_Line] = [
        Head(FORMAT, r.route, r.route_version, r.route_digest, r.title, r.reference,
             r.owner, r.status, r.created, r.updated),
        Checkpoints(list(r.route_checkpoints)),
    ]  # fmt: skip
    if r.finder is not None:
        lines.append(Finder(dict(r.finder)))
    for cid in _ordered(r.answers, order):
        e = r.answers[cid]
        lines.append(AnswerLine(cid, e.value, e.at, e.by, e.via))
    for cid in _ordered(r.deviations, order):
        d = r.deviations[cid]
        lines.append(DeviationLine(cid, d.kind, d.reason, d.at, d.by))
    for cid in sorted(r.retired):
        e = r.retired[cid]
        lines.append(RetiredLine(cid, e.value, e.at, e.by, e.via))
    for c in r.history:
        lines.append(ChangeLine(c.checkpoint, c.old, c.new, c.at, c.by, c.reason, c.old_deviation))
    lines += [EventLine(v.kind, v.at, v.by, v.reason, v.replaced) for v in r.events]
    return lines


def _ordered(entries: dict[str, Any], order: list[str]) -> list[str]:
    """The keys of `entries` in route order, then any the route does not list, sorted."""
    if not entries:
        return []
    ranked = [k for k in order if k in entries]
    if len(ranked) == len(entries) == len(set(ranked)):  # the usual case: all listed, once
        return ranked
    known = set(order)
    return ranked + sorted(k for k in entries if k not in known)


def seal(lines: list[str]) -> str:
    """The digest line that closes the data block, over every line above it."""
    return _seal("\n".join(lines) + "\n", bool(lines) and lines[0].startswith("{"))


def _seal(body: str, json_lines: bool) -> str:
    digest = "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()
    if json_lines:
        return _ENCODE.encode(_Digest(digest)).decode("utf-8")
    return "digest: " + digest  # format 1


def digest_of(block: str) -> str:
    """The digest a data block claims (its last line), as `sha256:...`, or ''."""
    last = block.rstrip("\n").rsplit("\n", 1)[-1]
    if last.startswith("digest: "):
        return last.removeprefix("digest: ").strip()
    try:
        return msgspec.json.decode(last, type=_Digest).digest
    except msgspec.DecodeError:
        return ""


def data_block(record: Record, order: list[str]) -> str:
    """The fenced data block, digest included."""
    lines = data_lines(record, order)
    return "\n".join([FENCE, *lines, seal(lines), "```"]) + "\n"


class Parts:
    """A record file split in two: the checklist above the data block, and the block.

    The checklist is compared in place and the block's first line counted only when a
    message needs it: a report reads every record and finds most of them sound, and each
    copy or count is a pass over the whole file.
    """

    def __init__(self, text: str, cut: int, block: str, body_start: int) -> None:
        self.text, self.cut, self.block, self._body_start = text, cut, block, body_start
        self._first_line = 0

    @property
    def checklist(self) -> str:
        """The text above the data block."""
        return self.text[: self.cut]

    def checklist_is(self, expected: str) -> bool:
        """True when the checklist is exactly `expected` (no copy of it made)."""
        return len(expected) == self.cut and self.text.startswith(expected)

    def first_line(self) -> int:
        """The line number of the block's first line, in the file."""
        if not self._first_line:
            self._first_line = self.text.count("\n", 0, self._body_start) + 1
        return self._first_line


def split(text: str, name: str) -> Parts:
    """Split a record file into its checklist and data block.
    The last text split is remembered by identity: reading a record and checking its seal
    split the same text one after the other."""
    last, parts = _SPLIT[0]
    if last is not text or parts is None:
        parts = _split(text, name)
        _SPLIT[0] = (text, parts)
    return parts


# The last text split and its parts (same object, or interned and so the same content).
_SPLIT: list[tuple[str | None, Parts | None]] = [(None, None)]


def _split(text: str, name: str) -> Parts:
    # The last fence of either kind (the other kind is looked for after the first only).
    start, fence = text.rfind(f"\n{FENCE}\n"), FENCE
    older = text.rfind(f"\n{FENCE_1}\n", max(start, 0))
    if older > start:
        start, fence = older, FENCE_1
    if start < 0:
        msg = f"no '{FENCE}' block found: this is not a journey record, or it was cut short"
        raise InvalidFile([Problem(name, None, None, "", msg)])
    body_start = start + len(fence) + 2
    end = text.find("\n```", body_start - 1)
    if end < 0 or text[end + 4 :].strip():
        line = text.count("\n", 0, start) + 2
        msg = "the record's data block is not closed with ``` at the end of the file (cut short?)"
        raise InvalidFile([Problem(name, line, 1, "", msg)])
    return Parts(text, start + 1, text[body_start : end + 1], body_start)


def read(text: str, name: str) -> tuple[Record, Parts, Document]:
    """Parse a record file: the record, its two parts, and its data block as a document
    (which gives every part of the record a line, for messages)."""
    parts = split(text, name)
    if text.startswith(FENCE_1, parts.cut):
        record, doc = _read_1(parts.block, name, parts.first_line())
    else:
        record, doc = _read_2(parts.block, name, parts.first_line)
    return record, parts, doc


def newer(found: Any, name: str, line: int | None) -> None:
    """Refuse a record written by a newer journey, before any strict decoding."""
    if isinstance(found, int) and not isinstance(found, bool) and found > FORMAT:
        msg = f"written by a newer version of journey (format {found}); upgrade journey"
        raise InvalidFile([Problem(name, line, 1 if line else None, "format", msg)])


# -- reading format 1 (YAML) -------------------------------------------------------


def _read_1(block: str, name: str, first_line: int) -> tuple[Record, Document]:
    # Parsed behind blank lines, so every position (and every line named in a message)
    # counts from the top of the file, not the top of the block.
    doc = parse("\n" * (first_line - 1) + block, name)
    if isinstance(doc.data, dict):
        newer(doc.data.get("format"), name, doc.values.get(("format",), (None,))[0])
    record = build(doc, Record)
    if record.format != 1:
        raise InvalidFile(
            [doc.problem(("format",), f"a ```yaml block holds format 1, not {record.format}")]
        )
    return record, doc


# -- reading format 2 (JSON lines) -------------------------------------------------


def _read_2(block: str, name: str, first_line: Callable[[], int]) -> tuple[Record, Document]:
    items, digest = _decoded(block, name, first_line)
    record = _assemble(items, name, first_line)
    record.digest = digest

    def positions(doc: Document) -> None:  # the same placing again, each line's kept
        _assemble(items, name, first_line, doc)
        doc.values[("digest",)] = (first_line() + len(items), 1)

    return record, _LazyDocument(name, positions)


class _LazyDocument(Document):
    """A format 2 block's positions, worked out when the first problem is placed: most
    records have none, and a report reads them all."""

    def __init__(self, name: str, positions: Callable[[Document], None]) -> None:
        super().__init__(name, None)
        self._positions: Callable[[Document], None] | None = positions

    def problem(self, path: tuple[Any, ...], message: str, *, at_key: bool = False) -> Problem:
        if self._positions is not None:
            positions, self._positions = self._positions, None
            positions(self)
        return super().problem(path, message, at_key=at_key)


def _decoded(block: str, name: str, first_line: Callable[[], int]) -> tuple[Sequence[_Line], str]:
    """The block's lines above its digest, decoded, and the digest: in one call when all is
    well, else line by line, so that every line that is not is named."""
    cut = block.rfind("\n", 0, len(block) - 1) + 1  # where the digest line starts
    body = block[:cut]
    try:
        items = _DECODE.decode_lines(body)
        digest = msgspec.json.decode(block[cut:], type=_Digest).digest
    except (msgspec.DecodeError, msgspec.ValidationError):
        items = []
    head = items[0] if items else None
    if isinstance(head, Head) and head.format <= FORMAT and len(items) == body.count("\n"):
        return items, digest  # (a blank line, which decode_lines skips, is not well)
    return _line_by_line(block, name, first_line())


def _line_by_line(block: str, name: str, first_line: int) -> tuple[list[_Line], str]:
    lines = block.split("\n")[:-1]  # the block ends with a newline
    if not lines:
        raise InvalidFile([Problem(name, first_line, 1, "", "the record's data block is empty")])
    try:
        head = _DECODE.decode(lines[0])
    except (msgspec.DecodeError, msgspec.ValidationError):
        head = None
    if not isinstance(head, Head) or head.format > FORMAT:
        _check_format(lines[0], name, first_line)  # says why, or lets the line below say it
    items: list[_Line] = []
    problems: list[Problem] = []
    for i, text in enumerate(lines[:-1]):
        try:
            items.append(head if i == 0 and head else _DECODE.decode(text))
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            problems.append(Problem(name, first_line + i, 1, "", f"record data: {exc}"))
    last = first_line + len(lines) - 1
    try:
        digest = msgspec.json.decode(lines[-1], type=_Digest).digest
    except (msgspec.DecodeError, msgspec.ValidationError):
        problems.append(
            Problem(name, last, 1, "digest", "the data block does not end with its digest line")
        )
        digest = ""
    if problems:
        raise InvalidFile(problems)
    return items, digest


def _check_format(first: str, name: str, line: int) -> None:
    try:
        loose = msgspec.json.decode(first)
    except msgspec.DecodeError:
        loose = None
    if not isinstance(loose, dict) or loose.get("line") != "head":
        msg = 'the data block must start with its head line ({"line":"head","format":...})'
        raise InvalidFile([Problem(name, line, 1, "", msg)])
    newer(loose.get("format"), name, line)


def _assemble(
    items: Sequence[_Line], name: str, first_line: Callable[[], int], doc: Document | None = None
) -> Record:
    """The record from its decoded lines; with `doc`, each part's line is kept in it."""
    head = items[0]
    assert isinstance(head, Head)
    if head.format != FORMAT:
        msg = f"a ```json block holds format {FORMAT}, not {head.format}"
        raise InvalidFile([Problem(name, first_line(), 1, "format", msg)])
    record = Record(head.format, head.route, head.route_version, head.route_digest, head.title,
                    head.owner, head.status, head.created, head.updated, head.reference)  # fmt: skip
    # A path with no position of its own is placed at its nearest parent's (`Document`): the
    # head's fields at the head line, an answer's value, time and author at its line.
    if doc is not None:
        doc.values[()] = (first_line(), 1)
    problems: list[Problem] = []
    answered = record.answers
    for i, item in enumerate(items[1:], 1):
        if type(item) is AnswerLine and item.id not in answered:  # most lines: the short way
            answered[item.id] = Entry(item.value, item.at, item.by, item.via)
            if doc is None:
                continue
            where: tuple[Any, ...] | None = ("answers", item.id)
        else:
            where = _place(record, item, len(record.history), len(record.events))
        if where is None:
            problems.append(
                Problem(name, first_line() + i, 1, "", f"record data: {_misplaced(item)}")
            )
        elif doc is not None:
            doc.values[where] = doc.keys[where] = (first_line() + i, 1)
    if problems:
        raise InvalidFile(problems)
    return record


def _place(record: Record, item: _Line, changes: int, events: int) -> tuple[Any, ...] | None:
    """Put one line's content into the record; its path for messages, or None if it clashes."""
    if isinstance(item, Checkpoints) and not record.route_checkpoints:
        record.route_checkpoints = item.ids
        return ("route-checkpoints",)
    if isinstance(item, Finder) and record.finder is None:
        record.finder = item.inputs
        return ("finder",)
    if isinstance(item, AnswerLine | RetiredLine):
        table = record.answers if isinstance(item, AnswerLine) else record.retired
        if item.id in table:
            return None
        table[item.id] = Entry(item.value, item.at, item.by, item.via)
        return ("answers" if isinstance(item, AnswerLine) else "retired", item.id)
    if isinstance(item, DeviationLine) and item.id not in record.deviations:
        record.deviations[item.id] = Deviation(item.kind, item.reason, item.at, item.by)
        return ("deviations", item.id)
    if isinstance(item, ChangeLine):
        record.history.append(
            Change(item.id, item.old, item.new, item.at, item.by, item.reason, item.old_deviation)
        )
        return ("history", changes)
    if isinstance(item, EventLine):
        record.events.append(Event(item.kind, item.at, item.by, item.reason, item.replaced))
        return ("events", events)
    return None


def _misplaced(item: _Line) -> str:
    if isinstance(item, Head):
        return "a second head line"
    what = getattr(item, "id", "")
    return f"a second {type(item).__name__.removesuffix('Line').lower()} line" + (
        f" for '{what}'" if what else ""
    )


def lf(text: str) -> str:
    """A record as written, whatever a checkout did to its line endings (git on Windows)."""
    return text.replace("\r\n", "\n") if "\r" in text else text  # ("\r" is found 50x faster)


def sealed(block: str) -> bool:
    """True when the data block's digest line matches the lines above it."""
    text = block.removesuffix("\n")
    cut = text.rfind("\n") + 1  # the digest line is the last; the lines above are hashed
    body = text[:cut] or "\n"  # as `seal` joins them ("\n" when there are none)
    return text[cut:] == _seal(body, text.startswith("{") and cut > 0)
