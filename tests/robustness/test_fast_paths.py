"""The shortcuts taken for speed give exactly what the long way gives.

- both YAML parsers (libyaml and pure-Python PyYAML) give the same positions.
- `structure.build` converts with msgspec first and walks the document only when
  msgspec refuses it: the two must always agree on whether a document fits.
- a format 2 record reads back exactly as it was written.
- the quick test for a record's marker line finds what the line-anchored regex finds.
- `md` returns plain text as it is only where escaping it would change nothing.
- a cache key stands for one value only, type and spelling included.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import random
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml

import journey.safeyaml as yamlfile
from conftest import VALID
from journey.errors import InvalidFile
from journey.records import format as record
from journey.records.checklist import render
from journey.records.format import Record
from journey.records.rows import marked
from journey.routes.catalogue import builtin_dir, route_files
from journey.routes.loader import load_route
from journey.routes.model import Route
from journey.safeyaml import Document, parse, read_capped
from journey.shapecheck import check
from journey.text import SHORT, markdown_escaped, md, remember_short, value_key
from journey.walk.answers import parse as parse_answer
from journey.walk.drive import apply_given
from journey.walk.engine import Walk, new_record

LOADERS = ["SafeLoader"] + (["CSafeLoader"] if yaml.__with_libyaml__ else [])
ROUTES = [VALID / "walk.yaml", *route_files(builtin_dir())]

# Text that YAML treats specially somewhere: it must come back exactly, by either road.
AWKWARD = [
    "Ann Lee", "Zoë Ó Súilleabháin", "O'Neil & Sons", "a: b", "x #y", "#hash", "[Lot 1]",
    "{x}", "- dash", "-5", "yes", "No", "null", "~", "1.5", "0x1F", "1_000", "2026-01-01",
    "2026-02-30", "12:30", "sha256:ab12", "http://x.org/a?b=c", "tab\there", "two  spaces",
    "trailing ", " leading", "'quoted'", '"double"', "back\\slash", "100%", "@home", "`tick`",
    "*star", "!bang", "|pipe", ">gt", "?q", ", comma", "emoji 🎉", "NBSP\u00a0here", "=",
    "<<", ".inf", "+1", "(brackets) too", "a/b.c", "it's", "ünïcödé wörds", "日本語",
    "line\nbreak", "", "...", "---",
]  # fmt: skip


ORDINARY = ["Ann Lee", "Bo Chen", "Catering 2027", "Budget holder", "files/a.pdf", "See notes."]


def _answer(cp: Any, rng: random.Random, words: list[str] = AWKWARD) -> Any:
    """A valid answer for `cp`, made of `words`."""
    text = rng.choice(words).strip() or "x"
    kind = cp.kind
    if kind == "confirm":
        return rng.choice([True, False])
    if kind == "choice":
        return rng.choice(cp.choices)
    if kind == "multi-choice":
        return rng.sample(list(cp.choices), rng.randint(1, len(cp.choices)))
    if kind == "money":
        return rng.choice(["9500", "£60,000", "250000.50", "0.5"])
    if kind == "number":
        return rng.choice([0, -3, 7, 2.5, 1e12])  # valid: numbers stay below 10**15
    if kind == "date":
        return rng.choice(["2026-01-31", "2024-02-29"])
    if kind == "sign-off":
        return {"name": text, "role": cp.role or rng.choice(words).strip() or "r"}
    if kind == "evidence":
        return rng.choice(["files/report.pdf", "https://example.org/doc/1", text])
    return rng.choice([text, "Notes"])


def records(count: int, words: list[str] = AWKWARD) -> list[str]:
    """Record files written by the engine, over every route, with `words` for text throughout."""
    out = []
    loaded = [load_route(p) for p in ROUTES]
    for n in range(count):
        rng = random.Random(n)
        pick = rng.choice
        route = loaded[n % len(loaded)]
        rec = new_record(
            route,
            title=pick(words),
            owner=pick(words),
            reference=pick(words),
            now="2026-11-23T09:00:00Z",
        )
        walk = Walk(route, rec, user=pick(words), clock=lambda: "2026-11-23T10:00:00Z")
        given: dict[str, Any] = {}
        for cp in route.route.checkpoints():
            if rng.random() < 0.2 and not cp.required:
                given[cp.id] = {"skip": pick(words) or "why"}
            elif rng.random() < 0.9:
                given[cp.id] = {"value": _answer(cp, rng, words), "reason": pick(words) or "r"}
        apply_given(walk, given)
        for cid in list(rec.answers)[:3]:  # a few changes, for the history
            cp = walk.places[cid].checkpoint
            value = _answer(cp, rng, words)
            if parse_answer(cp, value) != rec.answers[cid].value:
                walk.answer(cid, value, reason=pick(words) or "r")
        out.append(render(walk))
    return out


def events(text: str, loader: str) -> Document | InvalidFile:
    saved = yamlfile._Loader
    yamlfile._Loader = getattr(yaml, loader)
    try:
        return parse(text, "r.md")
    except InvalidFile as exc:
        return exc
    finally:
        yamlfile._Loader = saved


def typed(value: Any) -> Any:
    """A value with the type of every part spelled out (True == 1, but not here)."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, repr(value))


@pytest.mark.parametrize("path", [*ROUTES, *sorted(VALID.glob("*.yaml"))], ids=lambda p: p.name)
def test_both_yaml_parsers_give_the_same_positions_for_every_valid_route(path: Path) -> None:
    text = yamlfile.read_text(path, path.name)
    found = [events(text, loader) for loader in LOADERS]
    docs = [doc for doc in found if isinstance(doc, Document)]
    assert len(docs) == len(found)
    for doc in docs:
        assert typed(doc.data) == typed(docs[0].data)
        assert (doc.values, doc.keys) == (docs[0].values, docs[0].keys)
    assert len(docs[0].values) > 10


def _mutate_data(data: Any, rng: random.Random) -> Any:
    """Replace, drop or add one part of a document's data, anywhere in it."""
    data = copy.deepcopy(data)
    places: list[tuple[Any, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            places += [(item, k) for k in item]
            stack += list(item.values())
        elif isinstance(item, list):
            places += [(item, i) for i in range(len(item))]
            stack += item
    parent, key = rng.choice(places)
    odd = [None, True, 0, 1, -1, 2.5, 2**70, "", "x", "Bad_Id", "yes", "http://e.org", [], {},
           ["x"], [1], {"x": 1}, {"id": "a"}, dt.date(2026, 1, 1), float("nan")]  # fmt: skip
    what = rng.randrange(3)
    if what == 0:
        parent[key] = rng.choice(odd)
    elif what == 1 and isinstance(parent, dict):
        del parent[key]
    elif isinstance(parent, dict):
        parent[rng.choice(["extra", "not", "one-of", "when", "id", "kind", "expect"])] = rng.choice(
            odd
        )
    else:
        parent.insert(key, rng.choice(odd))
    return data


@pytest.mark.parametrize(("cls", "source"), [(Route, "route")])
def test_msgspec_and_the_located_walk_always_agree(cls: type[Any], source: str) -> None:
    if source == "route":
        docs = [yamlfile.load_file(p) for p in ROUTES]
    else:
        docs = [record.read(text, "r.md")[2] for text in records(8)]
    rng = random.Random(7)
    for n in range(600 if source == "route" else 1500):
        base = docs[n % len(docs)]
        data = base.data
        for _ in range(rng.randint(1, 3)):
            data = _mutate_data(data, rng)
        doc = Document(base.name, data, base.values, base.keys)
        try:
            msgspec.convert(data, cls, strict=True)
            fits = True
        except msgspec.ValidationError:
            fits = False
        assert fits == (check(doc, cls) == []), json.dumps(data, default=str)[:2000]


# -- format 2: what is written reads back the same ---------------------------------------


@pytest.mark.parametrize(
    "value",
    [True, 1, 1.0, -0.0, None, [], {}, [True, 1, "1"], {"a": [1, "b"]},
     {"name": "A, B", "role": "x: y"}, 12345678901234567890, "line\u2028sep\x85", *AWKWARD],
)  # fmt: skip
def test_every_value_reads_back_as_written(value: Any) -> None:
    rec = Record(2, "r", "1", "sha256:x", "T", "O", "in-progress", "t", "t")
    rec.answers["a"] = record.Entry(value, "t", "b", "typed")
    text = "# T\n\n" + record.data_block(rec, ["a"])
    back = record.read(text, "r.md")[0]
    assert back.answers["a"].value == value
    assert type(back.answers["a"].value) is type(value)
    assert record.sealed(record.split(text, "r.md").block)


# -- is this file a record? ---------------------------------------------------------------

# The marker line as first written: a whole line "```json journey-record" (or yaml), any line.
_MARKER_LINE = re.compile(rb"^```(?:yaml|json) journey-record\r?$", re.MULTILINE)
_PIECES = [b"```json journey-record", b"```yaml journey-record", b"```", b"\n", b"\r", b"\r\n",
           b" ", b"x", b"journey-record", b"```json", b"`", b"json journey-record\n"]  # fmt: skip


@pytest.mark.parametrize("seed", range(40))
def test_the_fast_record_marker_finds_exactly_the_marker_lines(seed: int) -> None:
    """`rows.marked` (a literal-led search) agrees with the line-anchored regex on text made
    of the pieces a marker is made of, in every order."""
    rng = random.Random(seed)
    for _ in range(500):
        raw = b"".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12)))
        assert marked(raw) == bool(_MARKER_LINE.search(raw)), raw


def _sealed_line_by_line(block: str) -> bool:
    """`format.sealed` as first written: split into lines, re-join all but the last, hash."""
    lines = block.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return bool(lines) and lines[-1] == record.seal(lines[:-1])


@pytest.mark.parametrize("seed", range(10))
def test_the_seal_check_agrees_with_its_line_by_line_definition(seed: int) -> None:
    """`sealed` hashes the block's text up to its last line without splitting it: sealed
    blocks (either format, with blank or no lines) and near misses get the same verdict."""
    rng = random.Random(seed)
    pieces = ['{"a":1}', "x", "", "{", "digest: sha256:0", '{"digest":"sha256:0"}']
    for _ in range(300):
        lines = [rng.choice(pieces) for _ in range(rng.randint(0, 4))]
        good = "\n".join([*lines, record.seal(lines)]) + rng.choice(["", "\n", "\n\n", " "])
        noise = "\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        for block in (good, noise, good[:-1], "\n" + good):
            assert record.sealed(block) == _sealed_line_by_line(block), repr(block)


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 5_000])
def test_a_capped_read_gives_what_reading_one_past_the_cap_gives(tmp_path: Path, size: int) -> None:
    """`read_capped` asks for the size the system gives; it must return what a plain read of
    cap + 1 bytes returns: for a file below, at and above the cap, and for a pipe (no size)."""
    data = bytes(random.Random(size).randrange(256) for _ in range(size))
    path = tmp_path / "f"
    path.write_bytes(data)
    with path.open("rb") as fh:
        assert read_capped(fh, 100) == data[:101]
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "wb") as w:
        w.write(data)  # below the pipe's buffer size: written before reading
    with os.fdopen(read_end, "rb") as fh:
        assert read_capped(fh, 100) == data[:101]
    assert read_capped(io.BytesIO(data), 100) == data[:101]  # no file descriptor: no size


def test_remembered_texts_are_short_ones_only() -> None:
    """The caches of `report` keep short texts (names, times, route text) but never a long
    answer, which kept thousands of times over could hold hundreds of megabytes; either
    way the result is the function's own."""
    calls: list[str] = []

    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    remembered = remember_short(8)(shout)
    short, long = "Ann Lee", "x" * (SHORT + 1)
    assert [remembered(short), remembered(short)] == ["ANN LEE", "ANN LEE"]
    assert [remembered(long), remembered(long)] == [long.upper(), long.upper()]
    assert calls == [short, long, long]


# Every character `md` treats specially, and some it does not.
_MD_PIECES = [*"\\`*_[]<>|#~&\r\n\t ;#a1-:.é日", "&amp;", "&#123;", "&#x1F;", "\u202e", "\x1b",
              "\x7f", "\x85", "\u2028", "\ud800", "2026-11-23T10:40:00Z", "Ann Lee"]  # fmt: skip


@pytest.mark.parametrize("seed", range(20))
def test_markdown_escaping_leaves_only_text_it_would_not_change(seed: int) -> None:
    """`md` hands back a plain text as it is (most names, times and titles); on every text
    it gives what escaping gives, controls and entities included."""
    rng = random.Random(seed)
    pieces = _MD_PIECES + [chr(c) for c in range(0x20)]  # every C0 control
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert md(text) == markdown_escaped(text), repr(text)


# Values a record can hold, and near twins that Python finds equal but a record does not.
_VALUES: list[Any] = [
    True, False, 1, 0, 1.0, 0.0, -0.0, 1e16, 10**16, "1", "True", "", "x" * SHORT,
    "x" * (SHORT + 1), [], ["a"], ["a", "b"], ["b", "a"], [1], [True], [["a"]], ["x" * (SHORT + 1)],
    ["a"] * 17, {}, {"name": "A", "role": "B"}, {"role": "B", "name": "A"}, {"name": 1},
    {"name": ["A"]}, {"name": "A", "role": "x" * (SHORT + 1)}, None,
]  # fmt: skip


def test_a_cache_key_stands_for_one_value_only() -> None:
    """The verdict and shown-text caches of `verify` and the checklist key on `value_key`:
    two values with the same key are written the same in a record (True is not 1, 0.0 is
    not -0.0, a list is not a table), and a long text or anything nested has no key."""
    keyed = [(v, value_key(v)) for v in _VALUES]
    for a, key_a in keyed:
        for b, key_b in keyed:
            if key_a is not None and key_a == key_b:
                assert msgspec.json.encode(a) == msgspec.json.encode(b), (a, b)
    unkeyed = [v for v, key in keyed if key is None]
    assert unkeyed == [
        "x" * (SHORT + 1), [1], [True], [["a"]], ["x" * (SHORT + 1)], ["a"] * 17, {"name": 1},
        {"name": ["A"]}, {"name": "A", "role": "x" * (SHORT + 1)}, None,
    ]  # fmt: skip


class _Text(str):
    """A text that is not quite a str (its own equality could make two values one key)."""


def test_a_value_of_a_subclass_has_no_key() -> None:
    """Keys are for the exact types a record decodes to; anything else goes the long way."""
    import enum
    from collections import OrderedDict

    class Yes(enum.IntEnum):
        ONE = 1

    for value in (_Text("a"), Yes.ONE, OrderedDict(name="A")):
        assert value_key(value) is None, value
