"""The one way this tool reads YAML: safe, bounded, and with every position kept.

PyYAML's safe loader accepts duplicate keys silently, recurses in C on deep
nesting (a segfault near 100,000 levels) and expands aliases. We read the event
stream instead (libyaml's C parser when present, the pure-Python one otherwise;
both are iterative) and build plain Python values with an explicit stack, so
that duplicate keys, aliases, foreign tags and deep nesting are refused with a
file:line:column message, and nothing in a file is ever executed. Text in the
small subset of YAML that records are written in is read directly, faster, to
the same result (`parse_simple`, at the end).
"""

from __future__ import annotations

import datetime as dt
import re
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
        with path.open("rb") as fh:  # read at most one byte past the limit: /dev/zero has size 0
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InvalidFile([Problem(name, None, None, "", f"cannot read: {exc.strerror}")]) from None
    if len(raw) > max_bytes:
        size = path.stat().st_size if path.is_file() else len(raw)
        limit = max_bytes // (1024 * 1024)
        msg = f"file is too large ({size:,} bytes; the limit is {limit} MB)"
        raise InvalidFile([Problem(name, None, None, "", msg)])
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
    return parse_simple(text, name) or parse_events(text, name)


def parse_events(text: str, name: str) -> Document:
    """`parse` through the YAML parser's event stream: any YAML, every error located."""
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
        # Each frame: [container, path, pending key, is a mapping, seen keys -> line].
        # Events are told apart by their exact type (a dict lookup), not a chain of
        # isinstance checks: a big route file has hundreds of thousands of them.
        stack: list[list[Any]] = []
        documents = 0
        result: Any = None
        values = self.doc.values
        keys = self.doc.keys
        for event in events:
            kind = _KINDS.get(type(event))
            if kind is None:
                kind = _kind(event)
            if kind == _END:
                value = stack.pop()[0]
                if not stack:
                    result = value
                continue
            if kind >= _DOCUMENT:
                if kind == _DOCUMENT:
                    documents += 1
                    if documents > 1:
                        self.fail(event, "a file holds one YAML document; remove the second '---'")
                elif kind == _ALIAS:
                    self.fail(event, "aliases (*name) are not allowed; write the value out")
                continue
            if event.anchor is not None:
                self.fail(event, f"anchors (&{event.anchor}) are not allowed; write the value out")
            tag = event.tag
            if tag is not None and tag != "!" and tag not in _CORE_TAGS:
                self.fail(event, f"tag {tag} is not allowed")
            mark = event.start_mark
            at = (mark.line + 1, mark.column + 1)
            frame = stack[-1] if stack else None
            if frame is None:
                path: PathT = ()
            elif frame[3]:
                key = frame[2]
                if key is None:  # this event is the key of the next entry
                    if kind != _SCALAR:
                        self.fail(
                            event, "a mapping key must be a plain word, not a list or mapping"
                        )
                    key = event.value
                    seen: dict[str, int] = frame[4]
                    if key in seen:
                        msg = f"duplicate key '{key}' (first given on line {seen[key]})"
                        self.problems.append(
                            Problem(self.doc.name, at[0], at[1], dotted(frame[1]), msg)
                        )
                    else:
                        seen[key] = at[0]
                    frame[2] = key
                    keys[(*frame[1], key)] = at
                    continue
                path = (*frame[1], key)
            else:
                path = (*frame[1], len(frame[0]))
            values[path] = at
            if kind == _SCALAR:
                value = _scalar(event)
            else:
                if len(stack) >= MAX_DEPTH:
                    self.fail(event, f"nested more than {MAX_DEPTH} levels deep")
                value = {} if kind == _MAPPING else []
            if frame is None:
                result = value
            elif frame[3]:
                # The first of duplicate keys wins; the rest are errors.
                if frame[2] not in frame[0]:
                    frame[0][frame[2]] = value
                frame[2] = None
            else:
                frame[0].append(value)
            if kind != _SCALAR:
                stack.append([value, path, None, kind == _MAPPING, {}])
        return result


_SCALAR, _MAPPING, _SEQUENCE, _END, _DOCUMENT, _OTHER, _ALIAS = range(7)
_KINDS: dict[type, int] = {
    yaml.ScalarEvent: _SCALAR,
    yaml.MappingStartEvent: _MAPPING,
    yaml.SequenceStartEvent: _SEQUENCE,
    yaml.MappingEndEvent: _END,
    yaml.SequenceEndEvent: _END,
    yaml.DocumentStartEvent: _DOCUMENT,
    yaml.StreamStartEvent: _OTHER,
    yaml.StreamEndEvent: _OTHER,
    yaml.DocumentEndEvent: _OTHER,
    yaml.AliasEvent: _ALIAS,
}


def _kind(event: Any) -> int:
    """The kind of an event of a type not in `_KINDS` (a parser's own subclass)."""
    for cls, kind in _KINDS.items():
        if isinstance(event, cls):
            return kind
    raise AssertionError(f"unexpected YAML event {event!r}")


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


# -- a fast path for the one shape this tool writes itself -------------------------
#
# A record's data block is written by `journey.record` in a small, regular subset of
# YAML: top-level `key: value` lines and indented `  key: value` or `  - value` lines,
# each value on one line in flow style. Reading it through the event stream costs
# two Python objects and a dozen calls per token, which dominates `journey report`
# over thousands of records. `parse_simple` reads that subset directly and returns
# None the moment anything falls outside it (a tab, a comment, an anchor, a tag, a
# double-quoted or multi-line scalar, a duplicate key, an unusual character...), so
# that `parse` handles, and words the errors of, everything else. It gives the same
# data and the same positions as `parse` (tests/test_fast_paths.py compares them
# over generated and hand-edited records, with both parsers).

# Keys are short words: YAML refuses a key over 1,024 characters, and the long way says so.
_TOP_KEY = re.compile(r"([A-Za-z0-9][\w-]{0,999}):( |$)")
_KEY = re.compile(r"([A-Za-z0-9][\w-]{0,999}): ")
_QUOTED = re.compile(r"'((?:[^']|'')*)'")
# Plain scalars: words of letters, digits and a few safe marks, single spaces
# between. In block context (a value right after `key: ` or `- `) a colon may
# sit inside a word, as in `sha256:ab12`; in flow context (inside [] or {}) not.
_PLAIN_FLOW = re.compile(r"(?:[\w./(+]|-(?=[\w.]))[\w./()+'-]*(?: [\w./()+'-]+)*")
_FLOW_ENTRY = re.compile(
    r"([A-Za-z0-9][\w-]{0,999}): (?:'((?:[^']|'')*)'|(" + _PLAIN_FLOW.pattern + r"))(?=, |\})"
)
_PLAIN_BLOCK = re.compile(
    r"(?:[\w./(+]|-(?=[\w.]))(?:[\w./()+'-]|:(?=[\w./()+'-]))*(?: (?:[\w./()+'-]|:(?=[\w./()+'-]))+)*"
)
_WORDS = re.compile(r"\[([A-Za-z0-9][\w-]*(?:, [A-Za-z0-9][\w-]*)*)\]")
_MAX_SIMPLE_DEPTH = 8
_plain_memo: dict[str, Any] = {}


class _Unsure(Exception):
    """The text is outside the subset `parse_simple` reads; `parse` must read it."""


def parse_simple(text: str, name: str) -> Document | None:
    """`parse(text, name)` for text in the subset this tool writes, else None (see above)."""
    if not text.endswith("\n") or not text.replace("\n", "").isprintable():
        # Python's printable characters are a subset of YAML's, without its line
        # breaks (\x85, \u2028...), tabs, byte-order marks or other controls.
        return None
    try:
        return _Simple(name).read(text)
    except _Unsure:
        return None


class _Simple:
    def __init__(self, name: str) -> None:
        self.doc = Document(name, None)

    def read(self, text: str) -> Document:
        lines = text.split("\n")
        lines.pop()  # the text ends with a newline
        values, keys = self.doc.values, self.doc.keys
        data: dict[str, Any] = {}
        i, count = 0, len(lines)
        while i < count and not lines[i]:  # blank lines before the first key
            i += 1
        if i == count:  # no document at all
            raise _Unsure
        values[()] = (i + 1, 1)
        while i < count:
            line = lines[i]
            m = _TOP_KEY.match(line)
            if m is None:
                raise _Unsure
            key = m.group(1)
            if key in data:
                raise _Unsure
            keys[(key,)] = (i + 1, 1)
            if m.group(2):  # key: value
                data[key] = self.line_value(line, m.end(), i + 1, (key,))
                i += 1
                continue
            end = i + 1
            while end < count and lines[end].startswith("  "):
                end += 1
            if end == i + 1:  # `key:` with nothing under it
                raise _Unsure
            values[(key,)] = (i + 2, 3)
            if lines[i + 1].startswith("  - "):
                items: list[Any] = []
                for n in range(i + 1, end):
                    if not lines[n].startswith("  - "):
                        raise _Unsure
                    items.append(self.line_value(lines[n], 4, n + 1, (key, len(items))))
                data[key] = items
            else:
                entries: dict[str, Any] = {}
                for n in range(i + 1, end):
                    km = _KEY.match(lines[n], 2)
                    if km is None:
                        raise _Unsure
                    entry = km.group(1)
                    if entry in entries:
                        raise _Unsure
                    keys[(key, entry)] = (n + 1, 3)
                    entries[entry] = self.line_value(lines[n], km.end(), n + 1, (key, entry))
                data[key] = entries
            i = end
        self.doc.data = data
        return self.doc

    def line_value(self, line: str, pos: int, number: int, path: PathT) -> Any:
        """The value from `pos` to the end of the line, in block context."""
        value, end = self.value(line, pos, number, path, True, 0)
        if end != len(line):
            raise _Unsure
        return value

    def value(
        self, line: str, pos: int, number: int, path: PathT, block: bool, depth: int
    ) -> tuple[Any, int]:
        self.doc.values[path] = (number, pos + 1)
        char = line[pos : pos + 1]
        if char == "'":
            m = _QUOTED.match(line, pos)
            if m is None:
                raise _Unsure
            return m.group(1).replace("''", "'"), m.end()
        if char == "[":
            m = _WORDS.match(line, pos)
            if (
                m is not None
            ):  # a list of ids, as `route-checkpoints` is: no need to go word by word
                values, column, out = self.doc.values, pos + 2, []
                for i, word in enumerate(m.group(1).split(", ")):
                    values[(*path, i)] = (number, column)
                    out.append(_plain(word))
                    column += len(word) + 2
                return out, m.end()
        if char in ("{", "["):
            if depth >= _MAX_SIMPLE_DEPTH:
                raise _Unsure
            return self.collection(line, pos, number, path, depth + 1)
        m = (_PLAIN_BLOCK if block else _PLAIN_FLOW).match(line, pos)
        if m is None:
            raise _Unsure
        return _plain(m.group()), m.end()

    def collection(
        self, line: str, pos: int, number: int, path: PathT, depth: int
    ) -> tuple[Any, int]:
        if line[pos] == "[":
            items: list[Any] = []
            pos += 1
            if line.startswith("]", pos):
                return items, pos + 1
            while True:
                item, pos = self.value(line, pos, number, (*path, len(items)), False, depth)
                items.append(item)
                if line.startswith(", ", pos):
                    pos += 2
                elif line.startswith("]", pos):
                    return items, pos + 1
                else:
                    raise _Unsure
        keys, values, memo = self.doc.keys, self.doc.values, _plain_memo
        out: dict[str, Any] = {}
        pos += 1
        if line.startswith("}", pos):
            return out, pos + 1
        while True:
            m = _FLOW_ENTRY.match(line, pos)
            if m is not None:  # `key: scalar`, the usual entry, in one match
                key, quoted, plain = m.groups()
                if key in out:
                    raise _Unsure
                where = (*path, key)
                keys[where] = (number, pos + 1)
                if quoted is not None:
                    values[where] = (number, m.start(2))
                    out[key] = quoted.replace("''", "'")
                else:
                    values[where] = (number, m.start(3) + 1)
                    out[key] = memo[plain] if plain in memo else _plain(plain)
                pos = m.end()
            else:
                m = _KEY.match(line, pos)
                if m is None or m.group(1) in out:
                    raise _Unsure
                key = m.group(1)
                where = (*path, key)
                keys[where] = (number, pos + 1)
                out[key], pos = self.value(line, m.end(), number, where, False, depth)
            if line.startswith(", ", pos):
                pos += 2
            elif line.startswith("}", pos):
                return out, pos + 1
            else:
                raise _Unsure


def _plain(text: str) -> Any:
    """A plain scalar resolved as `_scalar` resolves it (remembered: the same words recur)."""
    try:
        return _plain_memo[text]
    except KeyError:
        pass
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if tag == "tag:yaml.org,2002:str":
        value: Any = text
    else:
        construct = yaml.constructor.SafeConstructor.yaml_constructors.get(tag)
        if construct is None or tag in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise _Unsure
        try:
            value = construct(_constructor, yaml.ScalarNode(tag, text))
        except (ValueError, yaml.YAMLError):
            raise _Unsure from None
        if isinstance(value, dt.datetime):
            value = text
    if len(_plain_memo) < 65536:
        _plain_memo[text] = value
    return value
