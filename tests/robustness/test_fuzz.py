"""Fuzzing the engine: whatever it is fed, it answers with its own errors and loses nothing.

Generated YAML documents, mutated route files and raw bytes go into the loader, where
only `InvalidFile` may come out; mutated records go into the record reader and `verify`;
generated walks (answers valid and not, back, skip with and without a reason, changes,
finish, interruptions that reopen the record from its text) go into the walk loop,
after which every record rendered must read back to the same data, verify clean, and
hold every answer ever accepted, in its answers or its history.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import journey.records.opening
from conftest import VALID
from journey.errors import InvalidFile, JourneyError
from journey.records.checklist import render
from journey.records.format import Record, read
from journey.records.verify import verify
from journey.routes.loader import LoadedRoute, load_route, route_from
from journey.routes.model import Checkpoint
from journey.safeyaml import parse
from journey.walk.drive import Back, Give, Quit, Skip, drive
from journey.walk.engine import Place, Walk, new_record

WALK = VALID / "walk.yaml"
WALK_TEXT = WALK.read_text(encoding="utf-8")
WALK_DATA = parse(WALK_TEXT, "walk.yaml").data

# Bounded and repeatable by default; JOURNEY_FUZZ_EXAMPLES=5000 fuzzes longer, at random.
LONGER = int(os.environ.get("JOURNEY_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=LONGER or 200,
    deadline=None,
    database=None,
    derandomize=not LONGER,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _walk_route_installed(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("JOURNEY_PATH", str(VALID))
    journey.records.opening._routes.cache_clear()
    yield
    journey.records.opening._routes.cache_clear()


@pytest.fixture(scope="module")
def loaded() -> LoadedRoute:
    return load_route(WALK)


def load_text(text: str) -> None:
    """Parse and check text as a route; only InvalidFile may come out."""
    try:
        route_from(parse(text, "fuzz.yaml"))
    except InvalidFile as exc:
        assert exc.problems
        assert all(p.file == "fuzz.yaml" for p in exc.problems)


# -- the loader ----------------------------------------------------------------------------

ROUTE_WORDS = [
    "id", "title", "version", "jurisdiction", "summary", "stages", "steps", "checkpoints",
    "kind", "prompt", "required", "expect", "choices", "basis", "when", "answer", "equals",
    "one-of", "at-least", "below", "answered", "all", "any", "not", "role", "distinct-from",
    "deadlines", "after", "days", "working-day", "sources", "source", "url", "ref", "links",
    "guidance", "help", "label", "reviewed", "value", "what", "critical", "confirm", "choice",
    "money", "date", "sign-off", "multi-choice", "yes", "no", "either",
]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.sampled_from(ROUTE_WORDS),
    st.text(max_size=20),
)
keys = st.one_of(st.sampled_from(ROUTE_WORDS), st.text(max_size=10), st.integers(0, 3))
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=40,
)


def dump(data: Any, flow: bool | None) -> str:
    return yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, sort_keys=False)


@FUZZ
@given(documents, st.sampled_from([None, True, False]))
def test_generated_yaml_documents_are_refused_only_as_invalid_files(
    data: Any, flow: bool | None
) -> None:
    load_text(dump(data, flow))


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*path, i))
    return out


def _mutate(data: Any, path: tuple[Any, ...], op: str, new: Any) -> Any:
    """A copy of `data` with one change at `path`: replaced, deleted, doubled or grown."""
    data = copy.deepcopy(data)
    if not path:
        return new
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if op == "replace":
        parent[last] = new
    elif op == "delete":
        del parent[last]
    elif op == "double" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif op == "grow" and isinstance(parent[last], dict):
        parent[last][str(new) if not isinstance(new, str) else new] = new
    else:
        parent[last] = [parent[last], new]
    return data


@FUZZ
@given(st.data())
def test_a_valid_route_mutated_in_one_place_is_refused_only_as_an_invalid_file(
    data: st.DataObject,
) -> None:
    route = WALK_DATA
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(route)))
        op = data.draw(st.sampled_from(["replace", "delete", "double", "grow", "wrap"]))
        route = _mutate(route, path, op, data.draw(documents))
    load_text(dump(route, data.draw(st.sampled_from([None, True, False]))))


YAML_BITS = list("[]{}:,-?#&*!|>'\"%@`\t\n\r \\") + [
    "\x1b", "\x00", "\ufeff", "\x85", "\u2028", "---\n", "...\n", "!!python/name:os.system ",
    "&a ", "*a", "<<: ", "- ", ": ", "\n  ", "é", "💥", "0x1F", "2026-02-30", "~", "=",
]  # fmt: skip


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(WALK_TEXT)),
            st.integers(0, 40),
            st.lists(st.sampled_from(YAML_BITS), max_size=4).map("".join) | st.text(max_size=5),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_route_file_edited_at_random_is_refused_only_as_an_invalid_file(
    edits: list[tuple[int, int, str]],
) -> None:
    text = WALK_TEXT
    for at, cut, insert in edits:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + cut :]
    load_text(text)


@FUZZ
@given(
    st.binary(max_size=3000)
    | st.builds(
        lambda at, junk: WALK_TEXT.encode()[:at] + junk + WALK_TEXT.encode()[at:],
        st.integers(0, len(WALK_TEXT)),
        st.binary(min_size=1, max_size=8),
    )
)
def test_raw_bytes_are_refused_only_as_an_invalid_file(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(raw)
        try:
            load_route(path, "fuzz.yaml")
        except InvalidFile as exc:
            assert exc.problems and all(p.file == "fuzz.yaml" for p in exc.problems)


# -- the record reader and verify ----------------------------------------------------------


def clock() -> Any:
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    counter = itertools.count()
    return lambda: (start + dt.timedelta(seconds=next(counter))).strftime("%Y-%m-%dT%H:%M:%SZ")


def sample_record(loaded: LoadedRoute) -> str:
    rec = new_record(
        loaded, title="Chairs", owner="Ann", reference="C-1", now="2026-11-23T09:00:00Z"
    )
    walk = Walk(loaded, rec, user="Ann", clock=clock())
    walk.answer("value", "£4,500,000")
    walk.answer("what", "Goods")
    walk.answer("critical", True, reason="Feeds 12 schools")
    walk.skip("notes", "Nothing to add")
    walk.answer("value", "100", reason="Typo")
    return render(walk)


RECORD_BITS = YAML_BITS + ["```", "\n```\n", "```yaml journey-record\n", "digest: ", "- [x] "]


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.floats(0, 1),
            st.integers(0, 20),
            st.lists(st.sampled_from(RECORD_BITS), max_size=3).map("".join) | st.text(max_size=4),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_record_edited_at_random_is_read_or_refused_and_verify_finds_the_edit(
    loaded: LoadedRoute, edits: list[tuple[float, int, str]]
) -> None:
    original = sample_record(loaded)
    text = original
    for where, cut, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + cut :]
    try:
        read(text, "rec.md")
    except InvalidFile as exc:
        assert exc.problems and all(p.file == "rec.md" for p in exc.problems)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rec.md"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        found = verify(path)
    if not found:  # only edits that change nothing a reader could see may pass
        assert same_lines(text, original)


def same_lines(text: str, original: str) -> bool:
    """The same lines, give or take a byte-order mark and blank space at the end."""
    return text.removeprefix("\ufeff").rstrip().splitlines() == original.rstrip().splitlines()


# -- walks ----------------------------------------------------------------------------------

VALID_INPUT: dict[str, list[Any]] = {
    "money": ["100", "£120,000", "4000000", "£4,500,000.50", 5000, 12.5],
    "choice": ["Goods", "Services", "Works"],
    "confirm": [True, False, "yes", "no", "Y", "n"],
    "date": ["2026-03-02", "2026-10-31", dt.date(2026, 12, 25)],
    "multi-choice": [["Lot 1"], ["Lot 3", "Lot 2"], "Lot 1; Lot 3", []],
    "text": ["As planned", "Two\nlines", "£ ⚠ “quoted” 'single' #hash: colon", "x" * 300],
    "evidence": ["reports/eval.pdf", "https://example.org/report"],
    "number": [3, "4", "2.5", "1,000", 0, -1],
    "sign-off": ["Bea Holder", "Ola Officer", {"name": "Cy Ng", "role": "Approver"}, "Di, Head"],
}
INVALID_INPUT = [
    "",
    "   ",
    "lots",
    "\x1b[31m",
    "2026-02-30",
    None,
    ["x"],
    {"a": 1},
    "nan",
    "ab\x9bc",
]
REASONS = ["", "  ", "Because", "Two\nlines", "⚠ “why” #1: see notes", "\x1b]0;t\x07", "r" * 200]


class FuzzUI:
    """A front end whose every move is drawn by hypothesis, up to a number of moves."""

    def __init__(self, data: st.DataObject, moves: list[int]) -> None:
        self.data = data
        self.moves = moves  # moves left, shared across reopenings

    def _spend(self) -> bool:
        self.moves[0] -= 1
        return self.moves[0] >= 0

    def step(self, walk: Walk, place: Place) -> None:
        pass

    def ask(self, walk: Walk, cp: Checkpoint, current: Any) -> Any:
        if not self._spend():
            return Quit()
        move = self.data.draw(
            st.sampled_from(["valid"] * 6 + ["text", "invalid", "back", "skip", "quit"]),
            label=f"move at {cp.id}",
        )
        if move == "valid":
            return Give(self.data.draw(st.sampled_from(VALID_INPUT[cp.kind])))
        if move == "text":
            return Give(self.data.draw(st.text(max_size=30)))
        if move == "invalid":
            return Give(self.data.draw(st.sampled_from(INVALID_INPUT)))
        if move == "back":
            return Back()
        if move == "skip":
            return Skip()
        return Quit()

    def reason(self, question: str) -> str:
        return self.data.draw(st.sampled_from(REASONS) | st.text(max_size=20), label="reason")

    def problem(self, message: str) -> None:
        assert message

    def review(self, walk: Walk) -> Any:
        if not self._spend():
            return Quit()
        choice = self.data.draw(st.sampled_from(["finish", "change", "quit"]), label="review")
        if choice == "change" and walk.applicable():
            return self.data.draw(st.sampled_from(walk.applicable()), label="change")
        return Quit() if choice == "quit" else None


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _kept(record: Record, cid: str, value: Any) -> bool:
    """Is this once-accepted answer still in the record, or in its history?"""
    entry = record.answers.get(cid) or record.retired.get(cid)
    if entry is not None and _key(entry.value) == _key(value):
        return True
    return any(
        c.checkpoint == cid and _key(value) in (_key(c.old), _key(c.new)) for c in record.history
    )


def _bare(record: Record) -> Record:
    return msgspec.structs.replace(record, digest="")


@FUZZ
@given(st.data())
def test_any_walk_renders_records_that_read_back_verify_and_lose_no_answer(
    loaded: LoadedRoute, data: st.DataObject
) -> None:
    tick = clock()
    record = new_record(loaded, title="Fuzz", owner="Ann", reference="", now=tick())
    moves = [data.draw(st.integers(1, 40), label="moves")]
    accepted: set[tuple[str, str]] = set()
    answers_seen: dict[tuple[str, str], Any] = {}

    def saw(walk: Walk) -> None:
        """What a saver sees after every change: the record it would write must read back."""
        for cid, entry in walk.record.answers.items():
            accepted.add((cid, _key(entry.value)))
            answers_seen[(cid, _key(entry.value))] = entry.value
        assert _bare(read(render(walk), "rec.md")[0]) == _bare(walk.record)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rec.md"
        for _reopening in range(data.draw(st.integers(1, 4), label="reopenings")):
            user = data.draw(st.sampled_from(["Ann", "Bo Checker", "Ünal Ö"]), label="user")
            walk = Walk(loaded, record, user=user, clock=tick, on_change=saw)
            try:
                finished = drive(walk, FuzzUI(data, moves))
            except JourneyError:
                finished = False
            text = render(walk)
            back, _, _ = read(text, "rec.md")
            assert _bare(back) == _bare(walk.record)
            path.write_text(text, encoding="utf-8")
            assert verify(path) == []
            for cid, key in accepted:
                assert _kept(back, cid, answers_seen[(cid, key)]), (cid, key)
            event(f"answers after a segment: {len(back.answers) // 4 * 4}+")
            if finished:
                event("finished the walk")
                assert back.status == "complete"
                break
            event("reopened from the record's text")
            record = back  # interrupted: carry on from what the file says


def test_a_reason_with_a_next_line_character_is_refused(loaded: LoadedRoute) -> None:
    """U+0085 ends a line for some readers: in a reason it could split the record's line."""
    record = new_record(loaded, title="T", owner="Ann", reference="", now="2026-11-23T09:00:00Z")
    walk = Walk(loaded, record, user="Ann", clock=clock())
    walk.answer("value", "100")
    with pytest.raises(JourneyError):
        walk.answer("value", "200", reason="Typo\x85fixed")
    assert walk.record.answers["value"].value == "100.00"
