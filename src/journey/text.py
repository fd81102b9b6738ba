"""Text from files is data: it is shown literally and never steers the terminal."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, the C1 controls (ESC [ and CSI alike), and the
# bidirectional overrides that can make text display in an order other than it reads, and the
# Unicode line separators that YAML would read back as line breaks.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Replace every terminal control character by a visible escape such as `\\x1b`."""
    return CONTROL.sub(lambda m: _escape(ord(m.group())), text)


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe form of a title: `Catering 2027 (Lot 1)` -> `catering-2027-lot-1`."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:limit].strip("-") or "procurement"


def md(text: str) -> str:
    """Text made safe inside a Markdown line: controls made visible, formatting escaped."""
    text = clean(text).replace("\r", " ").replace("\n", " ")
    return re.sub(r"([\\`*_\[\]<>|#~])", r"\\\1", text)


def to_json(data: object) -> str:
    """Readable UTF-8 JSON, with DEL and the C1 controls escaped (json leaves them raw, and a
    one-byte CSI could steer the terminal the JSON is printed on)."""
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    return re.sub("[\x7f-\x9f\u2028\u2029]", lambda m: f"\\u{ord(m[0]):04x}", text)


def plural(count: int, noun: str) -> str:
    """`1 checkpoint`, `2 checkpoints`: messages that read right at any count."""
    return f"{count} {noun}" + ("" if count == 1 else "s")
