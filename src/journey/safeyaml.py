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
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from journey.errors import InvalidFile, Problem

if TYPE_CHECKING:
    import yaml

    _Loader: type[yaml.CSafeLoader]
    _resolver: yaml.resolver.Resolver
    _constructor: yaml.constructor.SafeConstructor

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"
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


def _pyyaml() -> None:
    """Import PyYAML and make its parts this module's globals, the first time a text is parsed.

    Not at import: reading a file, or a route the memo remembers, needs no parser (PyYAML
    costs about 10 ms to import). A `_Loader` set beforehand (the tests pick a parser) stays.
    """
    global yaml, _Loader, _resolver, _constructor
    if _KINDS:
        return
    import yaml

    if "_Loader" not in globals():
        try:
            from yaml import CSafeLoader as _Loader
        except ImportError:  # pragma: no cover - depends on how PyYAML was built
            from yaml import SafeLoader as _Loader  # type: ignore[assignment]
    _resolver = yaml.resolver.Resolver()
    _constructor = yaml.constructor.SafeConstructor()
    _KINDS.update(
        {
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
    )


def __getattr__(name: str) -> Any:
    """`_Loader` and the other parts of PyYAML, imported when first asked for from outside."""
    if name in ("yaml", "_Loader", "_resolver", "_constructor"):
        _pyyaml()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def _opened(path: Path) -> BinaryIO:
    """The file opened for reading; a FIFO with no writer reads as empty, never waits."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    os.set_blocking(fd, True)  # a pipe with a writer (`--answers <(...)`) is read to its end
    return os.fdopen(fd, "rb")


def read_capped(fh: BinaryIO, cap: int) -> bytes:
    """The file's bytes, at most one past `cap` (so that too large is seen: /dev/zero has size
    0). Asked for by the size the system gives: a read of `cap + 1` bytes allocates all of
    them first (4 MB for a record: 30 us against 7 for what a record holds)."""
    try:
        size = os.fstat(fh.fileno()).st_size
    except (OSError, ValueError):
        size = 0
    want = min(size, cap) + 1
    data = fh.read(want)
    if len(data) == want and want <= cap:  # it grew, or its size is not known (a pipe)
        data += fh.read(cap + 1 - want)
    return data


def read_text(path: Path, name: str, max_bytes: int = MAX_BYTES) -> str:
    """Read a file as UTF-8 (a byte-order mark is accepted), refusing huge or non-UTF-8 files."""
    try:
        with _opened(path) as fh:
            raw = read_capped(fh, max_bytes)
    except OSError as exc:
        raise InvalidFile([Problem(name, None, None, "", f"cannot read: {exc.strerror}")]) from None
    return text_of(raw, path, name, max_bytes)


def text_of(raw: bytes, path: Path, name: str, max_bytes: int = MAX_BYTES) -> str:
    """`read_text` of bytes already read from `path` (by `read_capped`, for the same cap)."""
    if len(raw) > max_bytes:
        size = path.stat().st_size if path.is_file() else len(raw)
        limit = max_bytes // (1024 * 1024)
        msg = f"file is too large ({size:,} bytes; the limit is {limit} MB)"
        raise InvalidFile([Problem(name, None, None, "", msg)])
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    """Bytes as UTF-8 text (a byte-order mark is accepted); a bad byte is located."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        msg = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise InvalidFile([Problem(name, line, column, "", msg)]) from None


def load_file(path: Path, name: str | None = None, *, text: bool = False) -> Document:
    """Read and parse one YAML file; `name` is how the file is shown in messages.

    With `text`, every scalar stays the text written (an empty or `~` value is None), so that
    a caller parses it as a buyer's typed answer: no YAML 1.1 octal, base-60 or float guesses.
    """
    shown = name or str(path)
    return parse(read_text(path, shown), shown, text_scalars=text)


def parse(text: str, name: str, *, text_scalars: bool = False) -> Document:
    """Parse YAML text holding exactly one document into plain data with positions."""
    _pyyaml()
    cut = _too_deep_at(text)
    if cut is not None:
        _refuse_if_too_deep(text[: cut + 1], name)
    doc = Document(name, None)
    problems: list[Problem] = []
    try:
        builder = _Builder(doc, problems, text_scalars)
        doc.data = builder.build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        problems.append(_marked_problem(exc, name))
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


# What the parser was reading when it gave up, in our words, said where that began.
_OPENED = {
    "while scanning a quoted scalar": "a quoted string opened here is never closed",
    "while parsing a flow sequence": "a list opened here with [ is never closed with ]",
    "while parsing a flow mapping": "a mapping opened here with { is never closed with }",
    "while scanning a simple key": "this key has no ':' after it on its line",
    "while scanning a block scalar": "the block of text that starts here is malformed",
}


def _marked_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    """A parser error at the place its context began (an unclosed quote on line 7 is reported
    at line 7, not at the end of the file where libyaml stops), saying where it gave up."""
    mark, context = exc.problem_mark or exc.context_mark, exc.context_mark
    syntax = isinstance(exc, (yaml.scanner.ScannerError, yaml.parser.ParserError))
    opened = _OPENED.get(str(exc.context))
    if syntax and opened and context is not None and mark is not None and context.line < mark.line:
        where = f"line {mark.line + 1}, column {mark.column + 1}"
        msg = f"{opened} (the YAML parser gave up at {where}: {exc.problem})"
        return Problem(name, context.line + 1, context.column + 1, "", msg)
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    what = f"YAML syntax error: {exc.problem or exc.context}" if syntax else exc.problem
    return Problem(name, line, column, "", str(what or exc.context))


_MARKS = re.compile(r"[\[\]{}\"'#]")
_BEFORE_QUOTE = frozenset("[{,:-?\n")


def _too_deep_at(text: str) -> int | None:
    """Where flow brackets first open more than MAX_DEPTH deep, by a quick scan; else None.

    libyaml looks far ahead in flow collections and, since PyYAML 6.0.4, refuses deep
    nesting itself, in its own words, before our builder sees the events. This scan
    skips quoted strings and comments; a bracket inside a plain scalar may count too
    many, so its answer is only a place to look (`_refuse_if_too_deep`), never a verdict.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth, pos = 0, 0
    while (found := _MARKS.search(text, pos)) is not None:
        i, ch = found.start(), found.group()
        pos = i + 1
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return i
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch == "#":
            if i == 0 or text[i - 1] in " \t\n":
                newline = text.find("\n", i)
                pos = len(text) if newline < 0 else newline
        elif _last_mark(text, i) in _BEFORE_QUOTE:
            pos = _string_end(text, i) + 1
    return None


def _last_mark(text: str, i: int) -> str:
    """The last character before index i that is not a space or tab ("\\n" at the start)."""
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return text[j] if j >= 0 else "\n"


def _string_end(text: str, start: int) -> int:
    """The index of the quote that closes the string opened at `start` (or the end of text)."""
    quote, i = text[start], start + 1
    while (i := text.find(quote, i)) >= 0:
        if quote == "'" and text.startswith("''", i):
            i += 2
        elif quote == '"' and _escaped(text, i):
            i += 1
        else:
            return i
    return len(text)


def _escaped(text: str, i: int) -> bool:
    """Whether the character at i follows an odd number of backslashes."""
    j = i
    while j > 0 and text[j - 1] == "\\":
        j -= 1
    return (i - j) % 2 == 1


def _refuse_if_too_deep(head: str, name: str) -> None:
    """Build the text up to the suspect bracket: our depth refusal there is the answer."""
    probe = Document(name, None)
    try:
        _Builder(probe, []).build(yaml.parse(head, Loader=_Loader))
    except InvalidFile as exc:
        if exc.problems[-1].message == _TOO_DEEP:
            raise
    except yaml.YAMLError:
        pass  # the head alone is not valid YAML: the full parse below says why


def _char_index(text: str, position: int) -> int:
    """libyaml reports reader errors at a byte offset in UTF-8, the Python reader at a character."""
    if not _Loader.__name__.startswith("C"):
        return position
    return len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))


class _Builder:
    """Turns the event stream into dicts, lists and scalars, without recursion."""

    def __init__(self, doc: Document, problems: list[Problem], text_scalars: bool = False) -> None:
        self.doc = doc
        self.problems = problems
        self.text_scalars = text_scalars

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
                value = _text(event) if self.text_scalars else _scalar(event)
            else:
                if len(stack) >= MAX_DEPTH:
                    self.fail(event, _TOO_DEEP)
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
_KINDS: dict[type, int] = {}  # event types -> kinds, filled in by `_pyyaml`


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


def _text(event: Any) -> Any:
    """A scalar as the text written; a plain empty, `~` or `null` value is None."""
    if event.tag not in (None, "!", "tag:yaml.org,2002:str"):
        raise _bad_scalar(event, f"tag {event.tag} is not allowed here; write the value as text")
    plain = event.implicit[0]  # written plain, not quoted
    return None if plain and event.value in ("", "~", "null", "Null", "NULL") else event.value


def _bad_scalar(event: Any, message: str) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(problem=message, problem_mark=event.start_mark)
