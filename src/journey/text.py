"""Text from files is data: it is shown literally and never steers what it is shown in.

One cleaning function per kind of output, and every text that comes from a record, a
route, an answers file, an argument, a path or the environment goes out through it:

- the terminal: `clean` (or `one_line` for a field that must stay on its line); the console
  never reads markup (journey.cli.console), so `[link=...]` is shown as typed;
- Markdown: `md` (and `md_code` for an id shown as code);
- CSV: `csv_cell`;
- JSON: `to_json`;
- HTML: `html`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

# C0 controls but tab and newline, DEL, the C1 controls (ESC [ and CSI alike), the
# bidirectional controls that can make text display in an order other than it reads, the
# Unicode line separators that YAML would read back as line breaks, and lone surrogates
# (the bytes of an argument that was not UTF-8), which no output can encode.
CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
_BREAKS = re.compile("[\t\n]")
# The first characters a spreadsheet reads as the start of a formula (OWASP CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def clean(text: str) -> str:
    """Replace every terminal control character by a visible escape such as `\\x1b`."""
    return CONTROL.sub(lambda m: _escape(ord(m.group())), text)


def field_problem(text: str) -> str | None:
    """Why a one-line field (a title, a reference, a name) cannot go into a record, or None:
    bytes that were not UTF-8 (lone surrogates), or a control, bidirectional or line-break
    character, which the record would not read back as written."""
    bad = CONTROL.search(text) or _BREAKS.search(text)
    if bad is None:
        return None
    if "\ud800" <= bad.group() <= "\udfff":
        return "is not UTF-8 text (check the terminal's or the file's encoding)"
    return f"holds a control or line-break character ({_escape(ord(bad.group()))}); remove it"


def one_line(text: str) -> str:
    """`clean`, with tab and newline made visible too: for a field shown on one line."""
    return _BREAKS.sub(lambda m: _escape(ord(m.group())), clean(text))


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe form of a title: `Catering 2027 (Lot 1)` -> `catering-2027-lot-1`."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:limit].strip("-") or "procurement"


# `&name;` and `&#123;` are read as characters in Markdown (U+202E among them); a bare `&`
# is not, so only what looks like an entity is escaped and other text renders as before.
_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")


SHORT = 200  # characters: texts up to this long are worth remembering, and cheap to keep


def value_key(value: object) -> Hashable | None:
    """A key that stands for `value` alone, for a cache of what follows from it; None when it
    is not worth keeping: a text over SHORT characters, or anything but a yes/no, a number,
    a text, a list of texts (multi-choice) or a small table of texts (sign-off). The type is
    part of the key (True and 1 are equal in Python, not in a record), and a float is keyed
    by how it is written (0.0 and -0.0 are equal too)."""
    if type(value) is str:  # exact types, the commonest first (a subclass is not kept)
        return value if len(value) <= SHORT else None
    if type(value) is bool or type(value) is int:
        return (type(value), value)
    if type(value) is float:
        return (float, repr(value))
    if type(value) is list and len(value) <= _FEW and _short_texts(value):
        return (list, tuple(value))
    if type(value) is dict and len(value) <= _FEW and _short_texts(value.items()):
        return (dict, tuple(value.items()))
    return None


_FEW = 16  # items in a list or table worth keeping


def _short_texts(items: Iterable[object]) -> bool:
    """Texts (or pairs of texts) of up to SHORT characters, and nothing else."""
    return all(
        type(i) is str
        and len(i) <= SHORT
        or type(i) is tuple
        and all(type(t) is str and len(t) <= SHORT for t in i)
        for i in items
    )


def remember_short(maxsize: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """`lru_cache` for a function of one text, kept for short texts only: the same names,
    times and route text come round in every record of a report, but a long answer kept
    maxsize times over could hold hundreds of megabytes."""

    def wrap(fn: Callable[[str], T]) -> Callable[[str], T]:
        cached = lru_cache(maxsize=maxsize)(fn)

        def call(text: str) -> T:
            return cached(text) if len(text) <= SHORT else fn(text)

        return call

    return wrap


def md(text: str) -> str:
    """Text made safe inside a Markdown line: controls made visible, formatting escaped."""
    if _MD_PLAIN.fullmatch(text):  # most names, times and titles: nothing to change
        return text
    return markdown_escaped(text)


def markdown_escaped(text: str) -> str:
    """`md` the long way, for any text (`md` returns a text with none of these as it is)."""
    text = clean(text).replace("\r", " ").replace("\n", " ")
    return _ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", text))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
# Text `md` leaves as it is: no Markdown punctuation, no `&`, no line break, no control.
_MD_PLAIN = re.compile("[^\\\\`*_\\[\\]<>|#~&\r\n" + CONTROL.pattern[1:-1] + "]*")


_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def md_code(text: str) -> str:
    """An id shown as `code`; anything that is not a plain id is shown escaped instead,
    since nothing can be escaped inside a code span."""
    return f"`{text}`" if _PLAIN_ID.fullmatch(text) else md(text)


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a text starting like a formula gets a leading
    `'` (OWASP's advice), and control characters are made visible. Numbers pass unchanged."""
    if not isinstance(value, str):
        return value
    return ("'" if value.startswith(_FORMULA) else "") + one_line(value)


def html(text: str) -> str:
    """Text made safe inside HTML element content or a quoted attribute."""
    import html as _html

    return _html.escape(clean(text), quote=True)


def to_json(data: object) -> str:
    """Readable UTF-8 JSON, with DEL, the C1 controls, the bidirectional controls, the line
    separators and lone surrogates escaped (json leaves them raw, and a one-byte CSI could
    steer the terminal the JSON is printed on)."""
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    return CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def plural(count: int, noun: str) -> str:
    """`1 checkpoint`, `2 checkpoints`: messages that read right at any count."""
    return f"{count} {noun}" + ("" if count == 1 else "s")
