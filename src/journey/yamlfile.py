"""The one way this tool reads YAML: safe, bounded, and with every position kept.

PyYAML's safe loader accepts duplicate keys silently, recurses in C on deep
nesting (a segfault near 100,000 levels) and expands aliases. We read the event
stream instead (libyaml's C parser when present, the pure-Python one otherwise;
both are iterative) and build plain Python values with an explicit stack, so
that duplicate keys, aliases, foreign tags and deep nesting are refused with a
file:line:column message, and nothing in a file is ever executed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from journey.errors import InvalidFile, Problem

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
Key = str | int
PathT = tuple[Key, ...]

_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """Plain data read from a YAML file, with the position of every value and key."""

    name: str
    data: Any
    # 1-based (line, column) of the value at a path, and of the key that names it.
    values: dict[PathT, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathT, tuple[int, int]] = field(default_factory=dict)

    def problem(self, path: PathT, message: str, *, at_key: bool = False) -> Problem:
        """A problem located at `path` (its key if asked and known, else its value)."""
        pos = (self.keys.get(path) if at_key else None) or self._nearest(path)
        line, column = pos if pos else (None, None)
        return Problem(self.name, line, column, dotted(path), message)

    def _nearest(self, path: PathT) -> tuple[int, int] | None:
        while True:
            if path in self.values:
                return self.values[path]
            if not path:
                return None
            path = path[:-1]


def dotted(path: PathT) -> str:
    """`("stages", 1, "steps")` -> `stages[1].steps`, the form shown to authors."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def read_text(path: Path, name: str, max_bytes: int = MAX_BYTES) -> str:
    """Read a file as UTF-8 (a byte-order mark is accepted), refusing huge or non-UTF-8 files."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            limit = max_bytes // (1024 * 1024)
            raise InvalidFile(
                [
                    Problem(
                        name,
                        None,
                        None,
                        "",
                        f"file is too large ({size:,} bytes; the limit is {limit} MB)",
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidFile([Problem(name, None, None, "", f"cannot read: {exc.strerror}")]) from None
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        msg = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise InvalidFile([Problem(name, line, column, "", msg)]) from None


def load_file(path: Path, name: str | None = None) -> Document:
    """Read and parse one YAML file; `name` is how the file is shown in messages."""
    shown = name or str(path)
    return parse(read_text(path, shown), shown)


def parse(text: str, name: str) -> Document:
    """Parse YAML text holding exactly one document into plain data with positions."""
    doc = Document(name, None)
    problems: list[Problem] = []
    try:
        doc.data = _Builder(doc, problems).build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        what = exc.problem or exc.context
        if isinstance(exc, (yaml.scanner.ScannerError, yaml.parser.ParserError)):
            what = f"YAML syntax error: {what}"
        problems.append(Problem(name, line, column, "", str(what)))
    except yaml.reader.ReaderError as exc:
        at = _char_index(text, exc.position)
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        msg = f"character U+{char:04X} is not allowed in a YAML file"
        problems.append(Problem(name, line, column, "", msg))
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML's other errors carry marks
        problems.append(Problem(name, None, None, "", f"YAML error: {exc}"))
    if problems:
        raise InvalidFile(problems)
    return doc


def _char_index(text: str, position: int) -> int:
    """libyaml reports reader errors at a byte offset in UTF-8, the Python reader at a character."""
    if not _Loader.__name__.startswith("C"):
        return position
    return len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))


class _Builder:
    """Turns the event stream into dicts, lists and scalars, without recursion."""

    def __init__(self, doc: Document, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems

    def fail(self, event: Any, message: str) -> None:
        line, column = _at(event)
        raise InvalidFile([*self.problems, Problem(self.doc.name, line, column, "", message)])

    def build(self, events: Iterator[Any]) -> Any:
        # Each frame: [container, path, pending key, pending key mark, seen keys]
        stack: list[list[Any]] = []
        documents = 0
        result: Any = None
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.fail(event, "a file holds one YAML document; remove the second '---'")
                continue
            if isinstance(
                event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
            ):
                continue
            if isinstance(event, yaml.AliasEvent):
                self.fail(event, "aliases (*name) are not allowed; write the value out")
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                value = stack.pop()[0]
                if not stack:
                    result = value
                continue
            assert isinstance(event, yaml.NodeEvent)
            if event.anchor is not None:
                self.fail(event, f"anchors (&{event.anchor}) are not allowed; write the value out")
            tag = getattr(event, "tag", None)
            if tag not in (None, "!") and tag not in _CORE_TAGS:
                self.fail(event, f"tag {tag} is not allowed")
            if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                self._key(stack[-1], event)
                continue
            path = self._child_path(stack)
            self.doc.values[path] = _at(event)
            if isinstance(event, yaml.ScalarEvent):
                value = _scalar(event)
                if not stack:
                    result = value
                else:
                    self._add(stack[-1], value)
                continue
            if len(stack) >= MAX_DEPTH:
                self.fail(event, f"nested more than {MAX_DEPTH} levels deep")
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            if stack:
                self._add(stack[-1], container)
            stack.append([container, path, None, None, {}])
        return result

    def _key(self, frame: list[Any], event: Any) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            self.fail(event, "a mapping key must be a plain word, not a list or mapping")
        key = event.value
        line, column = _at(event)
        seen: dict[str, int] = frame[4]
        if key in seen:
            msg = f"duplicate key '{key}' (first given on line {seen[key]})"
            self.problems.append(Problem(self.doc.name, line, column, dotted(frame[1]), msg))
        else:
            seen[key] = line
        frame[2] = key
        self.doc.keys[(*frame[1], key)] = (line, column)

    @staticmethod
    def _child_path(stack: list[list[Any]]) -> PathT:
        if not stack:
            return ()
        container, path, key = stack[-1][0], stack[-1][1], stack[-1][2]
        return (*path, key) if isinstance(container, dict) else (*path, len(container))

    @staticmethod
    def _add(frame: list[Any], value: Any) -> None:
        container = frame[0]
        if isinstance(container, dict):
            key = frame[2]
            if key not in container:  # the first of duplicate keys wins; the rest are errors
                container[key] = value
            frame[2] = None
        else:
            container.append(value)


def _at(event: Any) -> tuple[int, int]:
    """The 1-based line and column where an event starts."""
    mark = event.start_mark
    return mark.line + 1, mark.column + 1


def _scalar(event: Any) -> Any:
    """Resolve a scalar as YAML 1.1's safe loader would (ints, bools, dates...), or keep a string."""
    tag = event.tag
    if tag is None:
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag in ("!", "tag:yaml.org,2002:str"):
        return event.value
    construct = yaml.constructor.SafeConstructor.yaml_constructors.get(tag)
    if construct is None or tag in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise _bad_scalar(event, f"tag {tag} cannot be used on a plain value")
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
    try:
        value = construct(_constructor, node)
    except (ValueError, yaml.YAMLError):
        raise _bad_scalar(
            event, f"'{event.value}' is not a valid {tag.rsplit(':', 1)[-1]}"
        ) from None
    if isinstance(value, dt.datetime):
        return event.value  # timestamps stay text; only plain dates are typed
    return value


def _bad_scalar(event: Any, message: str) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(problem=message, problem_mark=event.start_mark)
