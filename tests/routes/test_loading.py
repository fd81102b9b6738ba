"""Reading route files: every refusal is a whole, located message, and nothing in a file runs."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

import journey.safeyaml
from conftest import INVALID, VALID
from journey.errors import InvalidFile
from journey.routes.loader import load_route
from journey.safeyaml import MAX_BYTES, parse

KINDS = "choice, confirm, date, evidence, money, multi-choice, number, sign-off, text"
STEP_KEYS = "id, title, guidance, links, templates, checkpoints, notes"
CP = "stages[0].steps[0].checkpoints"

# Fixture name -> the exact lines a route author reads.
EXPECTED: dict[str, list[str]] = {
    "alias": ["alias.yaml:2:8: anchors (&title) are not allowed; write the value out"],
    "bad-id": [
        "bad-id.yaml:1:5: id: 'Bad_Route' is not valid here: "
        "use lower-case letters, digits and '-' (e.g. 'contract-notice')"
    ],
    "bad-kind": [
        f"bad-kind.yaml:15:19: {CP}[0].kind: 'confrim' is not one of {KINDS} "
        "(did you mean 'confirm'?)"
    ],
    "choice-without-choices": [
        f"choice-without-choices.yaml:13:13: {CP}[0].choices: "
        "a choice checkpoint needs at least two choices"
    ],
    "condition-later-checkpoint": [
        f"condition-later-checkpoint.yaml:16:28: {CP}[0].when.answer: "
        "'estimated-value' comes later in the route; a condition can only use earlier answers"
    ],
    "condition-unknown-checkpoint": [
        f"condition-unknown-checkpoint.yaml:19:28: {CP}[1].when.answer: "
        "'estimated-valu' is not a checkpoint of this route; "
        "a condition can only use earlier answers"
    ],
    "condition-unknown-choice": [
        f"condition-unknown-choice.yaml:20:42: {CP}[1].when.equals: "
        "'service' is not a choice of 'what' (goods, services)"
    ],
    "condition-wrong-kind": [
        f"condition-wrong-kind.yaml:19:57: {CP}[1].when.at-least: "
        "'business-critical' is a confirm, not a number or money"
    ],
    "control-character": [
        "control-character.yaml:2:8: title: control character U+001B is not allowed in text"
    ],
    "control-character-raw": [
        "control-character-raw.yaml:2:14: character U+001B is not allowed in a YAML file"
    ],
    "duplicate-id": [
        f"duplicate-id.yaml:16:17: {CP}[1].id: duplicate id 'approval' (already used at {CP}[0])"
    ],
    "duplicate-key": [
        "duplicate-key.yaml:9:5: stages[0]: duplicate key 'title' (first given on line 8)"
    ],
    "empty": ["empty.yaml: expected a mapping, got nothing"],
    "empty-stage": ["empty-stage.yaml:12:5: stages[1]: stage 'buy' has no steps"],
    "list-at-top": ["list-at-top.yaml:1:1: expected a mapping, got a list"],
    "non-utf8": ["non-utf8.yaml:2:12: not UTF-8 text (byte 0xe9); save the file as UTF-8"],
    "python-tag": [
        "python-tag.yaml:2:8: tag tag:yaml.org,2002:python/object/apply:os.system is not allowed"
    ],
    "several-problems": [
        "several-problems.yaml:1:1: missing required key 'summary'",
        "several-problems.yaml:3:10: version: expected text, got 1; put it in quotes",
        "several-problems.yaml:9:9: stages[0].steps[0]: missing required key 'title'",
        "several-problems.yaml:10:9: stages[0].steps[0].titel: "
        f"unknown key 'titel'; did you mean 'title'? allowed: {STEP_KEYS}",
        f"several-problems.yaml:14:19: {CP}[0].kind: 'monye' is not one of {KINDS} "
        "(did you mean 'money'?)",
    ],
    "two-documents": [
        "two-documents.yaml:12:1: a file holds one YAML document; remove the second '---'"
    ],
    "unknown-key-typo": [
        "unknown-key-typo.yaml:12:9: stages[0].steps[0].guidence: "
        f"unknown key 'guidence'; did you mean 'guidance'? allowed: {STEP_KEYS}"
    ],
    "wrong-type": [
        f"wrong-type.yaml:16:23: {CP}[0].required: expected true or false, got 'sometimes'"
    ],
    # Reported where the list opened (line 6), in our words; after "gave up at" come the
    # parser's place and own words, which differ between libyaml, PyYAML's Python parser
    # and their releases: only our part is compared.
    "yaml-syntax": [
        "yaml-syntax.yaml:6:9: a list opened here with [ is never closed with ] "
        "(the YAML parser gave up at line ..."
    ],
}

# Where libyaml and PyYAML's own parser word a syntax error differently.
LOADER_WORDING_DIFFERS = {"yaml-syntax"}


def matches(lines: list[str], expected: list[str]) -> bool:
    """Lines equal the expected ones; "..." at the end of one stands for a parser's words."""
    return len(lines) == len(expected) and all(
        line.startswith(want[:-3]) if want.endswith("...") else line == want
        for line, want in zip(lines, expected, strict=True)
    )


LOADERS = [
    pytest.param(
        "CSafeLoader",
        id="libyaml",
        marks=pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml"),
    ),
    pytest.param("SafeLoader", id="pure-python"),
]


def refusal(path: Path, name: str | None = None) -> list[str]:
    """The lines of the error a route file is refused with (failing if it loads)."""
    with pytest.raises(InvalidFile) as caught:
        load_route(path, name or path.name)
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    return str(caught.value).splitlines()


def refusal_with(loader: str, path: Path) -> InvalidFile:
    """The error a file is refused with when `loader` parses it."""
    patch = pytest.MonkeyPatch()
    patch.setattr(journey.safeyaml, "_Loader", getattr(yaml, loader))
    try:
        with pytest.raises(InvalidFile) as caught:
            load_route(path, path.name)
    finally:
        patch.undo()
    return caught.value


@pytest.fixture(params=LOADERS)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with each YAML parser the module may pick."""
    monkeypatch.setattr(journey.safeyaml, "_Loader", getattr(yaml, request.param))
    return str(request.param)


def test_every_invalid_fixture_has_expected_messages() -> None:
    assert sorted(p.stem for p in INVALID.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_route_is_refused_with_every_problem_located(name: str) -> None:
    got = refusal(INVALID / f"{name}.yaml")
    assert matches(got, EXPECTED[name]), got


def test_the_fast_libyaml_parser_is_used_when_present() -> None:
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert journey.safeyaml._Loader is expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_both_parsers_locate_problems_at_the_same_places(name: str) -> None:
    fast = refusal_with("CSafeLoader", INVALID / f"{name}.yaml")
    pure = refusal_with("SafeLoader", INVALID / f"{name}.yaml")
    where = [(p.file, p.line, p.column, p.path) for p in fast.problems]
    assert where == [(p.file, p.line, p.column, p.path) for p in pure.problems]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            n,
            marks=pytest.mark.skip(
                reason="syntax errors are worded by the parser in use (libyaml or pure Python); "
                "their positions agree, as the test above checks"
            ),
        )
        if n in LOADER_WORDING_DIFFERS
        else n
        for n in sorted(EXPECTED)
    ],
)
def test_both_parsers_give_the_same_messages(name: str) -> None:
    fast = refusal_with("CSafeLoader", INVALID / f"{name}.yaml")
    pure = refusal_with("SafeLoader", INVALID / f"{name}.yaml")
    assert str(pure) == str(fast)


@pytest.mark.parametrize(
    "tag",
    [
        '!!python/object/apply:os.system ["touch {target}"]',
        '!!python/object/apply:builtins.open ["{target}", "w"]',
        '!!python/object/new:builtins.open ["{target}", "w"]',
        "!!python/name:os.system",
        '!!python/module:os ""',
    ],
)
def test_python_tags_are_refused_and_never_run(tag: str, loader: str, tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    route = tmp_path / "evil.yaml"
    route.write_text(f"id: evil\ntitle: {tag.format(target=target)}\n", encoding="utf-8")
    expanded = "tag:yaml.org,2002:" + tag.split()[0].removeprefix("!!")
    assert refusal(route) == [f"evil.yaml:2:8: tag {expanded} is not allowed"]
    assert not target.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: !local x\n", "x.yaml:1:8: tag !local is not allowed"),
        ("title: !!binary aGVsbG8=\n", "x.yaml:1:8: tag tag:yaml.org,2002:binary is not allowed"),
        ("title: !!set {a}\n", "x.yaml:1:8: tag tag:yaml.org,2002:set is not allowed"),
        ("title: *other\n", "x.yaml:1:8: aliases (*name) are not allowed; write the value out"),
        ("? [a]\n: b\n", "x.yaml:1:3: a mapping key must be a plain word, not a list or mapping"),
        ("version: !!int one\n", "x.yaml:1:10: 'one' is not a valid int"),
    ],
)
def test_other_yaml_features_are_refused_where_written(
    text: str, message: str, loader: str
) -> None:
    with pytest.raises(InvalidFile) as caught:
        parse(text, "x.yaml")
    assert str(caught.value) == message


def test_billion_laughs_is_refused_at_once(loader: str) -> None:
    lines = ['lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*{chr(96 + level)}"] * 9)
        lines.append(f"lol{level}: &{chr(97 + level)} [{refs}]")
    started = time.monotonic()
    with pytest.raises(InvalidFile) as caught:
        parse("\n".join(lines) + "\n", "bomb.yaml")
    assert time.monotonic() - started < 1
    assert str(caught.value) == "bomb.yaml:1:6: anchors (&a) are not allowed; write the value out"


DEEP = {
    "flow-sequence": ("[" * 20000, "deep.yaml:1:65: nested more than 64 levels deep"),
    "flow-sequence-closed": (
        "[" * 20000 + "]" * 20000,
        "deep.yaml:1:65: nested more than 64 levels deep",
    ),
    "flow-mapping": (
        "{a: " * 20000 + "1" + "}" * 20000,
        "deep.yaml:1:257: nested more than 64 levels deep",
    ),
    "block-sequence": ("- " * 20000 + "x\n", "deep.yaml:1:129: nested more than 64 levels deep"),
    "block-mapping": (
        "".join(" " * i + "a:\n" for i in range(2000)),
        "deep.yaml:65:65: nested more than 64 levels deep",
    ),
}

_PARSE_IN_CHILD = """
import sys, yaml
import journey.safeyaml as yf
from journey.errors import InvalidFile
yf._Loader = getattr(yaml, sys.argv[1])
try:
    yf.load_file(yf.Path(sys.argv[2]), "deep.yaml")
except InvalidFile as exc:
    print(exc)
else:
    print("loaded")
"""


@pytest.mark.parametrize("loader_name", LOADERS)
@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_nesting_is_refused_without_crashing(
    shape: str, loader_name: str, tmp_path: Path
) -> None:
    text, message = DEEP[shape]
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    child = subprocess.run(
        [sys.executable, "-c", _PARSE_IN_CHILD, loader_name, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (child.returncode, child.stderr) == (0, "")
    assert child.stdout == message + "\n"


def test_deep_nesting_through_the_command_gives_a_message_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text("stages: " + "[" * 20000, encoding="utf-8")
    child = subprocess.run(
        [sys.executable, "-m", "journey", "validate", "deep.yaml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert child.returncode == 1
    assert child.stdout == "deep.yaml:1:72: nested more than 64 levels deep\n"
    assert child.stderr == ""


def test_a_file_over_the_size_limit_is_refused_naming_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    size = f"{MAX_BYTES + 1:,}"
    assert refusal(big) == [
        f"big.yaml: file is too large ({size} bytes; the limit is {MAX_BYTES // 2**20} MB)"
    ]


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "padded.yaml"
    body = (VALID / "small.yaml").read_bytes()
    path.write_bytes(body + b"#" * (MAX_BYTES - len(body)))
    assert path.stat().st_size == MAX_BYTES
    assert load_route(path).route.id == "small"


def test_non_utf8_bytes_are_located_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"id: x\nsummary: ok\ntitle: Stra\xdfe\n")
    assert refusal(path) == ["latin1.yaml:3:12: not UTF-8 text (byte 0xdf); save the file as UTF-8"]


def test_non_utf8_bytes_after_a_byte_order_mark_are_located(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: x\n\xff: 1\n")
    assert refusal(path) == ["bom.yaml:2:1: not UTF-8 text (byte 0xff); save the file as UTF-8"]


def test_non_utf8_column_counts_characters(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_bytes("title: Café ".encode() + b"\xff\n")
    assert refusal(path) == ["mixed.yaml:1:13: not UTF-8 text (byte 0xff); save the file as UTF-8"]


@pytest.mark.parametrize(
    "loader_name",
    [
        pytest.param("CSafeLoader", id="libyaml"),
        pytest.param("SafeLoader", id="pure-python"),
    ],
)
def test_a_raw_control_character_after_accented_text_is_located(loader_name: str) -> None:
    patch = pytest.MonkeyPatch()
    patch.setattr(journey.safeyaml, "_Loader", getattr(yaml, loader_name))
    try:
        with pytest.raises(InvalidFile) as caught:
            parse("id: x\ntitle: Café \x1b[31m\n", "x.yaml")
    finally:
        patch.undo()
    assert str(caught.value) == "x.yaml:2:13: character U+001B is not allowed in a YAML file"


def test_a_file_with_byte_order_mark_and_crlf_loads() -> None:
    raw = (VALID / "bom-crlf.yaml").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == raw.count(b"\n") > 10
    route = load_route(VALID / "bom-crlf.yaml").route
    assert route.id == "bom-crlf"
    assert route.summary == "Saved with a byte-order mark and CRLF line endings."
    assert route.stages[0].steps[0].guidance == "First line.\nSecond line.\n"
    assert [c.id for c in route.checkpoints()] == ["estimated-value"]


@pytest.mark.parametrize("name", ["wrong-type", "duplicate-key", "several-problems"])
def test_byte_order_mark_and_crlf_do_not_move_positions(name: str, tmp_path: Path) -> None:
    text = (INVALID / f"{name}.yaml").read_text(encoding="utf-8")
    windows = tmp_path / f"{name}.yaml"
    windows.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert refusal(windows) == EXPECTED[name]


def test_plain_values_keep_their_yaml_types_and_timestamps_stay_text() -> None:
    doc = parse("a: 2026-01-02\nb: 2026-01-02 10:00:00\nc: '3'\nd: 3\ne: yes\n", "x.yaml")
    assert repr(doc.data) == (
        "{'a': datetime.date(2026, 1, 2), 'b': '2026-01-02 10:00:00', 'c': '3', 'd': 3, 'e': True}"
    )


def test_positions_are_kept_for_keys_and_values() -> None:
    doc = parse("id: x\nstages:\n  - id: plan\n    steps: [{id: a}, {id: b}]\n", "x.yaml")
    assert doc.keys[("stages", 0, "id")] == (3, 5)
    assert doc.values[("stages", 0, "id")] == (3, 9)
    assert doc.values[("stages", 0, "steps", 1)] == (4, 22)
    assert doc.values[("stages", 0, "steps", 1, "id")] == (4, 27)
    problem = doc.problem(("stages", 0, "steps", 1, "title"), "missing")
    assert str(problem) == "x.yaml:4:22: stages[0].steps[1].title: missing"
