"""Hostile input through the command line: every case gets one clear, located answer.

The corpus in tests/hostile holds route files, answers files and records that users
and attackers could produce; what needs size, depth or variety (50 MB files, 20,000
levels of nesting, escape sequences in every text field, a record truncated at every
tenth byte or edited by hand in each field) is generated here. Every case must exit
non-zero with a message naming the file (and the line, where there is one), never
print a traceback or a raw control character, and finish within seconds; the heavy
ones run in a child process held to 500 MB of address space.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import journey.records.opening
from conftest import BASE, WALK, Run, ticking
from journey.records.atomicfile import lock_path
from journey.records.checklist import render
from journey.records.format import FENCE, Deviation, seal
from journey.routes.loader import load_route
from journey.walk.drive import apply_given
from journey.walk.engine import Walk, new_record

HOSTILE = Path(__file__).parents[1] / "hostile"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LOCATED = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<column>\d+): ")
SUMMARY = re.compile(r"\d+ (of )?\d* ?records? .*problems")  # verify's count on stderr
LIMIT = 500 * 2**20
SECONDS = 5.0
START = ("start", "walk-test", "--record", "rec.md", "--title", "Catering", "--no-input")
START_FILE = ("start", "walk.yaml", "--record", "r.md", "--title", "T", "--no-input")


pytestmark = pytest.mark.usefixtures("walk_route")


def timed(run: Run, *args: str, seconds: float = SECONDS) -> tuple[int, str, str]:
    """Run the CLI in-process; it must answer within `seconds`."""
    started = time.monotonic()
    result = run(*args)
    assert time.monotonic() - started < seconds, f"{args} took too long"
    return result


def assert_clear(code: int, out: str, err: str, *, exit_code: int | None = None) -> None:
    """A refusal a user can act on: non-zero, no traceback, nothing that steers a terminal."""
    assert code != 0
    if exit_code is not None:
        assert code == exit_code, out + err
    assert "Traceback" not in out + err
    assert "internal error" not in out + err
    assert not RAW_CONTROL.search(out + err), repr(out + err)


def problems(out: str, err: str) -> list[str]:
    """The problem lines a command printed: verify prints them on stdout, the rest on stderr."""
    lines = [*out.splitlines(), *err.splitlines()]
    return [
        line.removeprefix("journey: ") for line in lines if line and not SUMMARY.fullmatch(line)
    ]


def matches(line: str, want: str) -> bool:
    """`want` is the whole line, or its beginning when it ends in '...'."""
    return line.startswith(want[:-3]) if want.endswith("...") else line == want


def answers_file(entries: dict[str, Any] | str, name: str = "answers.yaml") -> Path:
    """Write an answers file (YAML text, or a mapping written as JSON, which is YAML)."""
    text = (
        entries
        if isinstance(entries, str)
        else "\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in entries.items()) + "\n"
    )
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def journey_limited(*args: str, seconds: float = 30) -> subprocess.CompletedProcess[str]:
    """The installed command in a child process held to 500 MB; it must answer in time."""
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, "-m", "journey", *args],
        capture_output=True,
        text=True,
        timeout=seconds * 4,
        stdin=subprocess.DEVNULL,
        preexec_fn=limited,
    )
    assert time.monotonic() - started < seconds, f"{args} took too long"
    return child


def real_record() -> str:
    """A complete record of walk.yaml with a reference, deviations, a skip and a change."""
    loaded = load_route(WALK)
    rec = new_record(
        loaded,
        title="Catering 2027",
        owner="Ann Buyer",
        reference="CAT-27",
        now="2026-11-23T09:00:00Z",
    )
    walk = Walk(loaded, rec, user="Ann Buyer", clock=ticking())
    given = dict(BASE, critical={"value": True, "reason": "Feeds 12 schools"}, escalated=True)
    given["notes"] = {"skip": "Nothing to add"}
    apply_given(walk, given)
    walk.user = "Bo Checker"
    walk.answer("bidders", 5, reason="A late bid was admitted")
    walk.finish()
    return render(walk)


def line_of(text: str, start: str) -> int:
    """The 1-based number of the one line that starts with `start`."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def reseal(text: str) -> str:
    """Recompute the data block's digest, as someone covering a hand edit would."""
    head, block = text.rsplit(FENCE + "\n", 1)
    body, _, tail = block.partition('\n{"digest":')
    lines = body.split("\n")
    return head + FENCE + "\n" + body + "\n" + seal(lines) + tail[tail.index("\n") :]


# -- the corpus -----------------------------------------------------------------------

ROUTES: dict[str, list[str]] = {
    "tab-indent.yaml": ["tab-indent.yaml:8:1: YAML syntax error: ..."],
    "tab-after-spaces.yaml": ["tab-after-spaces.yaml:12:3: YAML syntax error: ..."],
    "only-comments.yaml": ["only-comments.yaml: expected a mapping, got nothing"],
    "bom-only.yaml": ["bom-only.yaml: expected a mapping, got nothing"],
    "document-markers-only.yaml": [
        "document-markers-only.yaml:2:1: expected a mapping, got nothing"
    ],
    "text-at-top.yaml": [
        "text-at-top.yaml:1:1: expected a mapping, got 'Just a line of text, not a route.'"
    ],
    "list-of-routes.yaml": ["list-of-routes.yaml:2:1: expected a mapping, got a list"],
    "nul-byte.yaml": ["nul-byte.yaml:2:15: character U+0000 is not allowed in a YAML file"],
    "utf16.yaml": ["utf16.yaml:1:1: not UTF-8 text (byte 0xff); save the file as UTF-8"],
    "png.yaml": ["png.yaml:1:1: not UTF-8 text (byte 0x89); save the file as UTF-8"],
    "latin1-crlf.yaml": [
        "latin1-crlf.yaml:2:11: not UTF-8 text (byte 0xe9); save the file as UTF-8"
    ],
}

ANSWERS: dict[str, list[str]] = {
    "several-problems.yaml": [
        "several-problems.yaml:2:8: value: money answer: expected an amount of money, "
        "e.g. £120,000.50 or 120000",
        "several-problems.yaml:3:1: nosuch-checkpoint: "
        "'nosuch-checkpoint' is not a checkpoint of route walk-test",
        "several-problems.yaml:4:7: what: a mandatory checkpoint cannot be skipped",
        "several-problems.yaml:5:10: bidders: number answer: expected a number, e.g. 3 or 12,500",
        "several-problems.yaml:6:7: lots: multi-choice answer: 'Lot 9' is not a choice; "
        "expected any of: Lot 1, Lot 2, Lot 3",
        "several-problems.yaml:7:11: critical: confirm answer: answer yes or no",
        "several-problems.yaml:8:14: notice-date: date answer: 2026-02-30 is not a real date",
        "several-problems.yaml:10:16: budget-holder: sign-off answer: "
        "expected a name and a role, e.g. 'Jane Smith, Budget holder'",
        "several-problems.yaml:11:1: Bidders: 'Bidders' is not a checkpoint of route walk-test "
        "(did you mean 'bidders'?)",
    ],
    "list-at-top.yaml": ["list-at-top.yaml:2:1: expected a mapping of checkpoint id to answer"],
    "text-at-top.yaml": ["text-at-top.yaml:1:1: expected a mapping of checkpoint id to answer"],
    "empty.yaml": ["empty.yaml: expected a mapping of checkpoint id to answer"],
    "python-tag.yaml": [
        "python-tag.yaml:2:8: tag tag:yaml.org,2002:python/object/apply:os.system is not allowed"
    ],
    "aliases.yaml": ["aliases.yaml:1:6: anchors (&a) are not allowed; write the value out"],
    "duplicate-key.yaml": ["duplicate-key.yaml:2:1: duplicate key 'value' (first given on line 1)"],
    "utf16.yaml": ["utf16.yaml:1:1: not UTF-8 text (byte 0xff); save the file as UTF-8"],
}
# Refused with one located message each, checked by their own tests below (not the table).
ANSWERS_TESTED_APART = ("same-signatory.yaml", "skip-without-reason.yaml")

RECORDS: dict[str, list[str]] = {
    "empty.md": [
        "empty.md: no '```json journey-record' block found: "
        "this is not a journey record, or it was cut short"
    ],
    "not-a-record.md": [
        "not-a-record.md: no '```json journey-record' block found: "
        "this is not a journey record, or it was cut short"
    ],
    "unclosed-block.md": [
        "unclosed-block.md:48:1: the record's data block is not closed with ``` "
        "at the end of the file (cut short?)"
    ],
    "data-list-at-top.md": ["data-list-at-top.md:49:1: expected a mapping, got a list"],
    "unknown-field.md": ["unknown-field.md:56:1: approved-by: unknown key 'approved-by'; ..."],
    "latin1.md": ["latin1.md:1:6: not UTF-8 text (byte 0xe9); save the file as UTF-8"],
    "retired-route.md": [
        "retired-route.md:50:8: route: unknown route 'retired-route': "
        "no such route is installed or in ./journeys or JOURNEY_PATH"
    ],
    "python-tag.md": [
        "python-tag.md:55:8: tag tag:yaml.org,2002:python/object/apply:os.system is not allowed"
    ],
    "duplicate-key.md": ["duplicate-key.md:56:1: duplicate key 'owner' (first given on line 55)"],
}


def corpus(folder: str, name: str) -> Path:
    """A corpus file copied into the working folder (so a lock or record lands there)."""
    return Path(shutil.copy(HOSTILE / folder / name, Path.cwd() / name))


def test_the_corpus_and_its_expectations_match() -> None:
    for folder, expected, extra in (
        ("routes", ROUTES, ()),
        ("answers", ANSWERS, ANSWERS_TESTED_APART),
        ("records", RECORDS, ()),
    ):
        names = sorted(p.name for p in (HOSTILE / folder).iterdir())
        assert names == sorted([*expected, *extra]), folder


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_hostile_route_is_refused_by_validate_show_and_start(run: Run, name: str) -> None:
    path = corpus("routes", name)
    code, out, err = timed(run, "validate", name)
    assert_clear(code, out, err, exit_code=1)
    assert err == ""
    lines = problems(out, err)
    assert len(lines) == len(ROUTES[name]) and all(map(matches, lines, ROUTES[name])), lines
    for args in (("show", name), ("start", name, "--record", "r.md", "--no-input")):
        code, out, err = timed(run, *args)
        assert_clear(code, out, err, exit_code=1)
        assert out == "" and problems(out, err) == lines
    assert not Path("r.md").exists()
    assert path.exists()


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_hostile_answers_file_lists_every_problem_and_writes_nothing(run: Run, name: str) -> None:
    corpus("answers", name)
    code, out, err = timed(run, *START, "--answers", name)
    assert_clear(code, out, err, exit_code=1)
    lines = problems(out, err)
    assert len(lines) == len(ANSWERS[name]) and all(map(matches, lines, ANSWERS[name])), lines
    assert not Path("rec.md").exists()
    assert not Path("pwned-by-answers").exists()


@pytest.mark.parametrize(
    "name",
    sorted(RECORDS),
)
def test_hostile_record_is_refused_by_verify_with_its_location(run: Run, name: str) -> None:
    corpus("records", name)
    code, out, err = timed(run, "verify", name)
    assert_clear(code, out, err, exit_code=1)
    assert SUMMARY.fullmatch(err.strip()), err
    lines = problems(out, err)
    assert len(lines) == len(RECORDS[name]) and all(map(matches, lines, RECORDS[name])), lines


@pytest.mark.parametrize("name", sorted(RECORDS))
@pytest.mark.parametrize("command", ["verify", "status", "resume"])
def test_hostile_record_gives_one_clear_message_to_every_command(
    run: Run, name: str, command: str
) -> None:
    path = corpus("records", name)
    before = path.read_bytes()
    args = (command, name, "--no-input") if command == "resume" else (command, name)
    code, out, err = timed(run, *args)
    assert_clear(code, out, err, exit_code=1)
    lines = problems(out, err)
    assert lines and all(line.startswith(f"{name}:") for line in lines), lines
    assert path.read_bytes() == before
    assert not Path("pwned-by-record").exists()
    assert sorted(p.name for p in Path.cwd().iterdir()) == [name]  # no lock or temp file left


@pytest.mark.parametrize("command", ["status", "resume"])
def test_a_record_of_a_route_that_no_longer_exists_says_so_where_it_is_named(
    run: Run, command: str
) -> None:
    corpus("records", "retired-route.md")
    args = [command, "retired-route.md"] + (["--no-input"] if command == "resume" else [])
    code, out, err = timed(run, *args)
    assert_clear(code, out, err, exit_code=1)
    assert err == (
        "journey: retired-route.md:50:8: route: unknown route 'retired-route'; "
        "see `journey routes`\n"
    )


# -- answers files that are refused, but not yet as the design asks ----------------------


def test_a_refused_signatory_in_an_answers_file_is_located(run: Run) -> None:
    corpus("answers", "same-signatory.yaml")
    code, out, err = timed(run, *START, "--answers", "same-signatory.yaml")
    assert_clear(code, out, err, exit_code=1)
    assert problems(out, err)[0].startswith("same-signatory.yaml:12:"), err


def test_a_refused_signatory_in_an_answers_file_is_a_clear_message(run: Run) -> None:
    corpus("answers", "same-signatory.yaml")
    code, out, err = timed(run, *START, "--answers", "same-signatory.yaml")
    assert_clear(code, out, err, exit_code=1)
    said = " ".join((out + err).split())
    assert "officer: not applied: Bea Holder already signed as Budget holder" in said
    assert "Procurement officer sign-off" in said  # and it is listed as still missing


def test_a_skip_without_a_reason_in_an_answers_file_is_refused(run: Run) -> None:
    corpus("answers", "skip-without-reason.yaml")
    code, out, err = timed(run, *START, "--answers", "skip-without-reason.yaml")
    assert_clear(code, out, err, exit_code=1)
    assert problems(out, err) == [
        "skip-without-reason.yaml:8:15: notes.skip: a skip needs a reason, "
        "e.g. {skip: Not needed for this contract}"
    ]
    assert not Path("rec.md").exists()  # refused before anything is recorded


def test_an_endless_answers_file_is_refused_within_the_memory_limit(tmp_path: Path) -> None:
    shutil.copy(WALK, tmp_path / "walk.yaml")
    child = journey_limited(*START_FILE, "--answers", "/dev/zero")
    assert_clear(child.returncode, child.stdout, child.stderr, exit_code=1)
    assert child.stderr.startswith("journey: /dev/zero:")


# -- huge and deep files, in a child process held to 500 MB ------------------------------


def _fifty_megabytes(path: Path, head: str) -> None:
    size = 50 * 2**20
    line = "# " + "padding " * 12 + "\n"
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        out.write(line * ((size - len(head)) // len(line)))
        out.write("#" * (size - out.tell() - 1) + "\n")
    assert path.stat().st_size == size


@pytest.mark.parametrize(
    ("kind", "args", "message"),
    [
        (
            "route",
            ("validate", "big.yaml"),
            "big.yaml: file is too large (52,428,800 bytes; the limit is 8 MB)\n",
        ),
        (
            "answers",
            (*START_FILE, "--answers", "big.yaml"),
            "journey: big.yaml: file is too large (52,428,800 bytes; the limit is 8 MB)\n",
        ),
        (
            "record",
            ("verify", "big.yaml"),
            "big.yaml: file is too large (52,428,800 bytes; the limit is 4 MB)\n",
        ),
    ],
)
def test_a_fifty_megabyte_file_is_refused_by_its_size(
    tmp_path: Path, kind: str, args: tuple[str, ...], message: str
) -> None:
    shutil.copy(WALK, tmp_path / "walk.yaml")
    head = (HOSTILE / "records" / "retired-route.md").read_text(encoding="utf-8")
    _fifty_megabytes(tmp_path / "big.yaml", head if kind == "record" else WALK.read_text())
    child = journey_limited(*args)
    assert_clear(child.returncode, child.stdout, child.stderr, exit_code=1)
    assert message in child.stdout + child.stderr


DEPTH = 20_000


def _deep_record() -> tuple[str, int]:
    text = (HOSTILE / "records" / "retired-route.md").read_text(encoding="utf-8")
    line = line_of(text, "title: ")
    deep = text.replace("title: Office chairs", "title: " + "{a: " * DEPTH + "1" + "}" * DEPTH)
    return deep, line


@pytest.mark.parametrize(
    ("name", "args", "want"),
    [
        (
            "deep.yaml",
            ("start", "deep.yaml", "--record", "r.md", "--no-input"),
            "deep.yaml:8:... nested more than 64 levels deep",
        ),
        (
            "journeys/deep.yaml",
            ("routes",),
            "journeys/deep.yaml:8:... nested more than 64 levels deep",
        ),
        (
            "answers.yaml",
            (*START_FILE, "--answers", "answers.yaml"),
            "answers.yaml:1:71: nested more than 64 levels deep",
        ),
        ("deep.md", ("verify", "deep.md"), "deep.md:... nested more than 64 levels deep"),
        ("deep.md", ("status", "deep.md"), "deep.md:... nested more than 64 levels deep"),
    ],
)
def test_twenty_thousand_levels_of_nesting_are_refused_without_crashing(
    tmp_path: Path, name: str, args: tuple[str, ...], want: str
) -> None:
    shutil.copy(WALK, tmp_path / "walk.yaml")
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    if name.endswith(".md"):
        path.write_text(_deep_record()[0], encoding="utf-8")
    elif name == "answers.yaml":
        path.write_text("notes: " + "[" * DEPTH + "\n", encoding="utf-8")
    else:
        route = WALK.read_text(encoding="utf-8").replace("id: walk-test", "id: deep")
        path.write_text(route.replace("sources:", "sources: " + "[" * DEPTH, 1), encoding="utf-8")
    child = journey_limited(*args)
    assert child.returncode in (1, 2)
    assert_clear(child.returncode, child.stdout, child.stderr)
    head, _, tail = want.partition("...")
    assert any(
        line.removeprefix("journey: ").startswith(head) and line.endswith(tail)
        for line in (child.stdout + child.stderr).splitlines()
    ), child.stdout + child.stderr


def test_deep_nesting_in_a_record_is_located_at_its_line_in_the_file(tmp_path: Path) -> None:
    deep, line = _deep_record()
    (tmp_path / "deep.md").write_text(deep, encoding="utf-8")
    child = journey_limited("verify", "deep.md")
    assert child.stdout == f"deep.md:{line}:260: nested more than 64 levels deep\n"


# -- escape sequences and markup in every text field of a route ----------------------------

# Each text field on a line of its own, in double quotes so that YAML escapes apply.
ROUTE_TEMPLATE = """\
id: hostile
title: "Route title{title}"
version: "1{version}"
jurisdiction: "Example{jurisdiction}"
summary: "Summary{summary}"
reviewed: "2026-01-01{reviewed}"
sources:
  - id: S1
    title: "Source title{source_title}"
    url: "https://example.org/s1{source_url}"
stages:
  - id: plan
    title: "Stage title{stage_title}"
    summary: "Stage summary{stage_summary}"
    steps:
      - id: value
        title: "Step title{step_title}"
        guidance: "Guidance{guidance}"
        links:
          - title: "Link title{link_title}"
            url: "https://example.org/link{link_url}"
        templates:
          - title: "Template title{template_title}"
            url: "https://example.org/template{template_url}"
        checkpoints:
          - id: what
            prompt: "Prompt{prompt}"
            kind: choice
            help: "Help{help}"
            choices:
              - "Goods{choice}"
              - "Services"
            basis:
              - ref: "Basis ref{basis_ref}"
                url: "https://example.org/basis{basis_url}"
                source: S1
          - id: approval
            prompt: Approval
            kind: sign-off
            role: "Budget holder{role}"
          - id: notice
            prompt: Notice date
            kind: date
deadlines:
  - id: standstill
    label: "Deadline label{deadline_label}"
    after: notice
    days: 10
    basis:
      - ref: "Deadline basis{deadline_basis}"
"""
CP = "stages[0].steps[0].checkpoints"
FIELDS = {
    "title": "title",
    "version": "version",
    "jurisdiction": "jurisdiction",
    "summary": "summary",
    "reviewed": "reviewed",
    "source_title": "sources[0].title",
    "source_url": "sources[0].url",
    "stage_title": "stages[0].title",
    "stage_summary": "stages[0].summary",
    "step_title": "stages[0].steps[0].title",
    "guidance": "stages[0].steps[0].guidance",
    "link_title": "stages[0].steps[0].links[0].title",
    "link_url": "stages[0].steps[0].links[0].url",
    "template_title": "stages[0].steps[0].templates[0].title",
    "template_url": "stages[0].steps[0].templates[0].url",
    "prompt": f"{CP}[0].prompt",
    "help": f"{CP}[0].help",
    "choice": f"{CP}[0].choices[0]",
    "basis_ref": f"{CP}[0].basis[0].ref",
    "basis_url": f"{CP}[0].basis[0].url",
    "role": f"{CP}[1].role",
    "deadline_label": "deadlines[0].label",
    "deadline_basis": "deadlines[0].basis[0].ref",
}
# YAML escapes for: a colour (CSI), a hyperlink (OSC 8), a window title (OSC 0), the
# one-byte C1 CSI, and a carriage return that would print over what came before.
PAYLOADS = {
    "csi": ("\\e[31m", 0x1B),
    "osc8-link": ("\\e]8;;http://evil.example/\\a", 0x1B),
    "osc0-title": ("\\e]0;pwned\\a", 0x1B),
    "c1-csi": ("\\x9b31m", 0x9B),
    "carriage-return": ("\\rSpoofed", 0x0D),
}


def hostile_route(field: str, payload: str) -> tuple[str, int, int]:
    """The route text with `payload` in `field`, and the line and column of that value."""
    text = ROUTE_TEMPLATE.format(**{f: (payload if f == field else "") for f in FIELDS})
    ((line, template_line),) = [
        (n, x) for n, x in enumerate(ROUTE_TEMPLATE.splitlines(), 1) if f"{{{field}}}" in x
    ]
    return text, line, template_line.index('"') + 1


def test_the_clean_route_template_is_valid(run: Run) -> None:
    Path("hostile.yaml").write_text(hostile_route("title", "")[0], encoding="utf-8")
    assert run("validate", "hostile.yaml")[0] == 0


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_an_escape_sequence_in_any_route_text_is_refused_where_it_is_and_never_echoed(
    run: Run, field: str, payload: str
) -> None:
    escaped, char = PAYLOADS[payload]
    text, line, column = hostile_route(field, escaped)
    Path("hostile.yaml").write_text(text, encoding="utf-8")
    want = (
        f"hostile.yaml:{line}:{column}: {FIELDS[field]}: "
        f"control character U+{char:04X} is not allowed in text"
    )
    code, out, err = timed(run, "validate", "hostile.yaml")
    assert_clear(code, out, err, exit_code=1)
    lines = problems(out, err)
    assert lines[0] == want
    # A URL holding a carriage return is also not a URL: that is said at the same place.
    assert all(x.startswith(f"hostile.yaml:{line}:{column}: {FIELDS[field]}: ") for x in lines)
    assert len(lines) == 1 + (field.endswith("_url") and payload == "carriage-return")
    for args in (
        ("show", "hostile.yaml"),
        ("show", "hostile.yaml", "--format", "markdown"),
        ("start", "hostile.yaml", "--record", "r.md", "--no-input"),
    ):
        code, out, err = timed(run, *args)
        assert_clear(code, out, err, exit_code=1)
        assert out == "" and problems(out, err) == lines
    assert not Path("r.md").exists()


@pytest.mark.parametrize(
    ("raw", "char"), [("\x1b[31m", 0x1B), ("\x9b31m", 0x9B), ("\x07", 0x07), ("\x1b]0;t\x07", 0x1B)]
)
@pytest.mark.parametrize("field", ["title", "guidance", "prompt", "choice", "basis_ref"])
def test_a_raw_control_character_in_a_route_is_refused_where_it_is(
    run: Run, field: str, raw: str, char: int
) -> None:
    text, line, column = hostile_route(field, raw)
    Path("hostile.yaml").write_text(text, encoding="utf-8")
    at = column + text.splitlines()[line - 1][column:].index(raw[0]) + 1
    for args in (("validate", "hostile.yaml"), ("routes",)):
        if args == ("routes",):
            Path("journeys").mkdir(exist_ok=True)
            shutil.copy("hostile.yaml", "journeys/hostile.yaml")
        code, out, err = timed(run, *args)
        assert_clear(code, out, err, exit_code=1)
    code, out, _ = run("validate", "hostile.yaml")
    assert (
        out == f"hostile.yaml:{line}:{at}: character U+{char:04X} is not allowed in a YAML file\n"
    )


MARKUP = "[bold red]M[/] [link=http://evil.example/]here[/link] :warning:"


def test_markup_in_every_route_text_is_accepted_and_shown_literally(run: Run) -> None:
    text = ROUTE_TEMPLATE.format(
        **{f: "/[b]" if f.endswith("_url") else f" {MARKUP} {f}" for f in FIELDS}
        | {"reviewed": ""}  # a date: markup there is refused as not a date, rightly
    )
    Path("hostile.yaml").write_text(text, encoding="utf-8")
    code, out, err = timed(run, "validate", "hostile.yaml")
    assert (code, err) == (0, "")
    code, out, err = timed(run, "show", "hostile.yaml")
    assert (code, err) == (0, "")
    flat = " ".join(out.split())
    for field in ("title", "version", "jurisdiction", "summary", "stage_title", "step_title"):
        assert f"{MARKUP} {field}" in flat, field
    code, out, err = timed(run, "show", "hostile.yaml", "--format", "markdown")
    assert (code, err) == (0, "")
    assert out.startswith("# Route title \\[bold red\\]M\\[/\\] \\[link=http://evil.example/\\]")


# -- escapes typed by the buyer --------------------------------------------------------------

ANSWER_ESCAPES = {
    "text": ("notes", "Fine \x1b[31mred"),
    "evidence": ("evidence", "https://example.org/\x1b]8;;http://evil\x07x"),
    "money": ("value", "120000\x1b]0;pwned\x07"),
    "choice": ("what", "Goods\x9b31m"),
    "multi-choice": ("lots", ["Lot 1", "Lot 2\x1b[8m"]),
    "date": ("notice-date", "2026-03-02\x1b[2J"),
    "number": ("bidders", "4\x9b2J"),
    "sign-off name": ("budget-holder", {"name": "Bea\x1b[31m Holder", "role": "Budget holder"}),
    "sign-off text": ("budget-holder", "Bea Holder, Budget\x9b31m holder"),
    "wrapped value": ("notes", {"value": "\x1b]0;pwned\x07", "reason": "none"}),
}


@pytest.mark.parametrize("case", sorted(ANSWER_ESCAPES))
def test_an_escape_sequence_in_an_answer_is_refused_where_it_is(run: Run, case: str) -> None:
    cid, value = ANSWER_ESCAPES[case]
    answers_file(dict(BASE, **{cid: value}))
    line = list(dict(BASE, **{cid: value})).index(cid) + 1
    code, out, err = timed(run, *START, "--answers", "answers.yaml")
    assert_clear(code, out, err, exit_code=1)
    assert problems(out, err)[0].startswith(f"answers.yaml:{line}:"), err
    assert f" {cid}: " in err
    assert not Path("rec.md").exists()


REASON_ESCAPES = {
    "deviation reason": ("critical", {"value": True, "reason": "Core \x1b]0;pwned\x07service"}),
    "skip reason": ("notes", {"skip": "Nothing \x9b31m to add"}),
    "change reason": ("bidders", {"value": 4, "reason": "Recount\x1b[2J"}),
}


@pytest.mark.parametrize("case", ["deviation reason", "skip reason"])
def test_an_escape_sequence_in_a_reason_is_refused_where_it_is(run: Run, case: str) -> None:
    cid, value = REASON_ESCAPES[case]
    answers_file(dict(BASE, escalated=True, **{cid: value}))
    code, out, err = timed(run, *START, "--answers", "answers.yaml")
    assert_clear(code, out, err, exit_code=1)
    assert problems(out, err)[0].startswith("answers.yaml:"), err


def test_an_unneeded_reason_with_escapes_is_refused_too(run: Run) -> None:
    cid, value = REASON_ESCAPES["change reason"]
    answers_file(dict(BASE, **{cid: value}))
    code, out, err = timed(run, *START, "--answers", "answers.yaml")
    assert_clear(code, out, err, exit_code=1)
    assert problems(out, err) == [
        "answers.yaml:8:35: bidders.reason: control characters are not allowed in a reason"
    ]
    assert not Path("rec.md").exists()


def test_an_absurdly_large_amount_of_money_is_refused_where_it_is(run: Run) -> None:
    answers_file(dict(BASE, value="1" + "0" * 26))
    code, out, err = timed(run, *START, "--answers", "answers.yaml")
    assert_clear(code, out, err, exit_code=1)
    assert err.startswith("journey: answers.yaml:1:10: value: money answer: "), err


def _record_with_controls() -> None:
    loaded = load_route(WALK)
    rec = new_record(
        loaded, title="Chairs \x9b31m\x1b]0;pwned\x07", owner="Ann", reference="\x1b[8m", now="x"
    )
    walk = Walk(loaded, rec, user="Ann\x9b2J", clock=ticking())
    walk.answer("value", "100")
    # The engine refuses such a reason; a record written some other way can still hold one.
    walk.record.deviations["notes"] = Deviation("skip", "Nothing \x9b31m to add", "x", "Ann")
    Path("rec.md").write_text(render(walk), encoding="utf-8")


def test_control_characters_held_in_a_record_never_reach_the_terminal(run: Run) -> None:
    _record_with_controls()
    for command in ("status", "verify"):
        code, out, err = timed(run, command, "rec.md")
        assert "Traceback" not in out + err
        assert not RAW_CONTROL.search(out + err), repr(out + err)
        assert "\\x9b31m" in out or command == "verify"


def test_control_characters_held_in_a_record_never_reach_the_terminal_as_json(run: Run) -> None:
    _record_with_controls()
    code, out, err = timed(run, "status", "rec.md", "--json")
    assert code == 1  # a record the tool would never write is shown as damaged
    assert not RAW_CONTROL.search(out + err), repr(out)


# -- byte-order marks, CRLF and very long lines ------------------------------------------------


def test_byte_order_mark_and_crlf_are_accepted_in_routes_and_answers(run: Run) -> None:
    text = WALK.read_text(encoding="utf-8").replace("id: walk-test", "id: walk-crlf")
    Path("walk-crlf.yaml").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    answers = "\r\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in BASE.items())
    Path("answers.yaml").write_bytes(b"\xef\xbb\xbf" + answers.encode() + b"\r\n")
    code, out, err = timed(run, "validate", "walk-crlf.yaml")
    assert (code, err) == (0, "")
    code, out, err = timed(
        run, "start", "walk-crlf.yaml", "--record", "rec.md", "--title", "T", "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    monkey = pytest.MonkeyPatch()
    monkey.setenv("JOURNEY_PATH", str(Path.cwd()))
    journey.records.opening._routes.cache_clear()
    try:
        assert timed(run, "verify", "rec.md")[0] == 0
    finally:
        monkey.undo()


def test_a_record_with_a_byte_order_mark_verifies(run: Run) -> None:
    Path("rec.md").write_bytes(b"\xef\xbb\xbf" + real_record().encode())
    assert timed(run, "verify", "rec.md")[:2] == (0, "ok: rec.md\n")


def test_a_record_with_crlf_line_endings_verifies(run: Run) -> None:
    Path("rec.md").write_bytes(real_record().replace("\n", "\r\n").encode())
    code, out, err = timed(run, "verify", "rec.md")
    assert (code, out) == (0, "ok: rec.md\n"), out


MEGABYTE = 2**20


def test_a_one_megabyte_line_of_guidance_is_handled(run: Run) -> None:
    text = WALK.read_text(encoding="utf-8").replace("id: walk-test", "id: long-line")
    long = "Read this. " * (MEGABYTE // 11)
    Path("long.yaml").write_text(
        text.replace("guidance: Decide what is bought and its value.", f"guidance: {long}"),
        encoding="utf-8",
    )
    assert timed(run, "validate", "long.yaml")[:2] == (
        0, "ok: long.yaml (long-line, 12 checkpoints)\n"
    )  # fmt: skip
    code, out, err = timed(run, "show", "long.yaml", "--format", "markdown")
    assert (code, err) == (0, "") and long.strip() in out


def test_a_one_megabyte_line_with_an_escape_at_its_end_is_located(run: Run) -> None:
    text, line, column = hostile_route("guidance", "x" * MEGABYTE + "\\e[31m")
    Path("hostile.yaml").write_text(text, encoding="utf-8")
    code, out, err = timed(run, "validate", "hostile.yaml")
    assert_clear(code, out, err, exit_code=1)
    assert out == (
        f"hostile.yaml:{line}:{column}: stages[0].steps[0].guidance: "
        "control character U+001B is not allowed in text\n"
    )


def test_a_one_megabyte_answer_is_kept_whole_and_verifies(run: Run) -> None:
    long = "word " * (MEGABYTE // 5)
    answers_file(dict(BASE, notes=long))
    code, out, err = timed(run, *START, "--answers", "answers.yaml", seconds=15)
    assert (code, err) == (0, ""), err
    assert timed(run, "verify", "rec.md", seconds=15)[:2] == (0, "ok: rec.md\n")
    assert long.strip() in Path("rec.md").read_text(encoding="utf-8")


def test_a_one_megabyte_key_in_an_answers_file_is_refused_where_it_is(run: Run) -> None:
    answers_file("k" * MEGABYTE + ": 1\n")
    code, out, err = timed(run, *START, "--answers", "answers.yaml")
    assert_clear(code, out, err, exit_code=1)
    assert err.startswith("journey: answers.yaml:1:")
    assert len(err) < 1000


# -- records edited by hand ----------------------------------------------------------------

DIGEST_MISMATCH = (
    "digest: the record data was edited by hand: its digest does not match "
    "(restore it from git, or keep it with `journey resume --accept-edits REASON`)"
)
HEAD = '{"line":"head"'
# (what, the start of the line edited, old text, new text)
EDITS = [
    ("format", HEAD, '"format":2', '"format":1'),
    ("route", HEAD, '"route":"walk-test"', '"route":"walk-tests"'),
    ("route-version", HEAD, '"route-version":"1.0"', '"route-version":"1.1"'),
    ("route-digest", HEAD, '"route-digest":"sha256:', '"route-digest":"sha256:0'),
    ("title", HEAD, "2027", "2028"),
    ("reference", HEAD, "CAT-27", "CAT-28"),
    ("owner", HEAD, '"owner":"Ann Buyer"', '"owner":"Ann Byer"'),
    ("status", HEAD, '"complete"', '"in-progress"'),
    ("created", HEAD, '"created":"2026-11-23T09:00', '"created":"2026-11-23T08:00'),
    ("updated", HEAD, '"updated":"2026-11-23T10', '"updated":"2026-11-23T11'),
    ("route-checkpoints", '{"line":"checkpoints"', '["value",', '["value","extra",'),
    ("answer value", '{"line":"answer","id":"bidders"', '"value":5', '"value":6'),
    ("answer time", '{"line":"answer","id":"what"', "T10:", "T09:"),
    ("answer author", '{"line":"answer","id":"value"', '"by":"Ann Buyer"', '"by":"Eve"'),
    ("deviation reason", '{"line":"deviation","id":"critical"', "12 schools", "13 schools"),
    ("history entry", '{"line":"change","id":"bidders"', '"old":4', '"old":3'),
]


@pytest.fixture
def record(run: Run) -> str:
    """A sound record in rec.md (checked), returned as text."""
    text = real_record()
    Path("rec.md").write_text(text, encoding="utf-8")
    assert run("verify", "rec.md")[:2] == (0, "ok: rec.md\n")
    return text


def edit(text: str, start: str, old: str, new: str) -> tuple[str, int]:
    line = line_of(text, start)
    lines = text.split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines), line


@pytest.mark.parametrize(("what", "start", "old", "new"), EDITS[1:], ids=[e[0] for e in EDITS[1:]])
def test_a_hand_edit_of_any_record_field_is_found_by_verify(
    run: Run, record: str, what: str, start: str, old: str, new: str
) -> None:
    edited, _ = edit(record, start, old, new)
    Path("rec.md").write_text(edited, encoding="utf-8")
    code, out, err = timed(run, "verify", "rec.md")
    assert_clear(code, out, err, exit_code=1)
    digest_line = line_of(edited, '{"digest":')
    assert f"rec.md:{digest_line}:1: {DIGEST_MISMATCH}" in out.splitlines()
    assert all(LOCATED.match(line) for line in out.splitlines()), out


@pytest.mark.parametrize(
    ("what", "start", "old", "new"),
    [e for e in EDITS if e[0] != "route-digest"],
    ids=[e[0] for e in EDITS if e[0] != "route-digest"],
)
def test_a_hand_edit_covered_by_a_new_digest_is_still_found(
    run: Run, record: str, what: str, start: str, old: str, new: str
) -> None:
    edited = reseal(edit(record, start, old, new)[0])
    assert edited != record
    Path("rec.md").write_text(edited, encoding="utf-8")
    code, out, err = timed(run, "verify", "rec.md")
    assert_clear(code, out, err, exit_code=1)
    assert out and all(LOCATED.match(line) for line in out.splitlines()), out


@pytest.mark.parametrize("how", ["swapped", "trailing space", "spaced out"])
def test_a_data_line_written_otherwise_and_resealed_is_found_on_its_line(
    run: Run, record: str, how: str
) -> None:
    """Same content, not journey's bytes (lines reordered, JSON spaced differently): the data
    block must be exactly what journey writes, line by line."""
    first = line_of(record, '{"line":"answer","id":"value"')
    lines = record.split("\n")
    if how == "swapped":
        lines[first - 1], lines[first] = lines[first], lines[first - 1]
    elif how == "trailing space":
        lines[first - 1] += " "
    else:
        lines[first - 1] = lines[first - 1].replace('","', '", "', 1)
    edited = reseal("\n".join(lines))
    Path("rec.md").write_text(edited, encoding="utf-8")
    code, out, err = timed(run, "verify", "rec.md")
    assert_clear(code, out, err, exit_code=1)
    assert out.startswith(f"rec.md:{first}:1: ")
    assert all(LOCATED.match(line) for line in out.splitlines()), out


def test_a_hand_edit_of_the_digest_is_found_on_its_line(run: Run, record: str) -> None:
    edited, line = edit(record, '{"digest":', "sha256:", "sha256:f")
    Path("rec.md").write_text(edited, encoding="utf-8")
    code, out, err = timed(run, "verify", "rec.md")
    assert_clear(code, out, err, exit_code=1)
    assert out == f"rec.md:{line}:1: {DIGEST_MISMATCH}\n"


@pytest.mark.parametrize(
    ("start", "old", "new"),
    [
        ("- [x] How many bids?", "- [x]", "- [ ]"),
        ("- [ ] Any notes?", "- [ ]", "- [x]"),
        ("- [x] How many bids?", "**5**", "**6**"),
        ("# Catering", "2027", "2028"),
        ("- **Status:**", "Complete", "In progress"),
        ("- Is it business critical? `critical` answered", "12 schools", "13 schools"),
    ],
    ids=["tick removed", "tick added", "answer shown", "heading", "status", "deviation"],
)
def test_a_hand_edit_of_the_checklist_is_found_on_its_line(
    run: Run, record: str, start: str, old: str, new: str
) -> None:
    edited, line = edit(record, start, old, new)
    Path("rec.md").write_text(edited, encoding="utf-8")
    code, out, err = timed(run, "verify", "rec.md")
    assert_clear(code, out, err, exit_code=1)
    assert out.startswith(
        f"rec.md:{line}:1: checklist line does not match the record data (edited by hand?): "
    ), out
    assert len(out.splitlines()) == 1


# -- records cut short ---------------------------------------------------------------------


def test_a_record_truncated_at_every_tenth_byte_is_refused_clearly(run: Run, record: str) -> None:
    whole = record.encode("utf-8")
    started = time.monotonic()
    for size in range(0, len(whole), 10):
        cut = whole[:size]
        Path("rec.md").write_bytes(cut)
        code, out, err = run("verify", "rec.md")
        if cut == whole.rstrip(b"\n"):
            assert code == 0, size  # only the final newline is gone: nothing is lost
            continue
        assert_clear(code, out, err, exit_code=1)
        assert SUMMARY.fullmatch(err.strip()), (size, err)
        lines = out.splitlines()
        assert len(lines) == 1 and lines[0].startswith("rec.md"), (size, out)
        located = LOCATED.match(lines[0])
        assert located or "no '```json journey-record' block found" in lines[0], (size, out)
    assert time.monotonic() - started < 60


# -- one bad record never takes down the rest -------------------------------------------------


def record_with(path: Path, **answers: Any) -> None:
    """A complete walk.yaml record with some answers replaced, written as journey would."""
    loaded = load_route(WALK)
    rec = new_record(
        loaded, title=path.stem, owner="Ann Buyer", reference="", now="2026-11-23T09:00:00Z"
    )
    walk = Walk(loaded, rec, user="Ann Buyer", clock=ticking())
    apply_given(walk, dict(BASE))
    walk.finish()
    for cid, value in answers.items():
        rec.answers[cid].value = value
    path.write_text(render(walk), encoding="utf-8")


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-10"])
@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_a_date_at_the_end_of_the_calendar_is_one_damaged_row_and_the_rest_carry_on(
    run: Run, day: str, fmt: str
) -> None:
    record_with(Path("good.md"))
    record_with(Path("edge.md"), **{"notice-date": day})
    code, out, err = timed(run, "report", ".", "--format", fmt)
    assert code == 1, err
    assert "internal error" not in err
    assert "good" in out and "edge" in out
    assert err == "1 of 2 records damaged\n"


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-10"])
@pytest.mark.parametrize("json_too", [[], ["--json"]])
def test_status_of_a_record_with_a_date_at_the_end_of_the_calendar_says_so(
    run: Run, day: str, json_too: list[str]
) -> None:
    record_with(Path("edge.md"), **{"notice-date": day})
    code, out, err = timed(run, "status", "edge.md", *json_too)
    assert_clear(code, out, err, exit_code=1)
    assert "outside the calendar" in err, err


def test_verify_checks_every_record_past_one_it_cannot_open(run: Run) -> None:
    record_with(Path("a.md"))
    long = "b" * 300 + ".md"
    code, out, err = timed(run, "verify", "a.md", long, "a.md")
    assert code == 2  # a name that cannot exist: no such file
    assert out.splitlines() == ["ok: a.md", f"{long}: cannot read: File name too long", "ok: a.md"]
    assert err == "1 of 3 records with problems\n"


# A uid with no passwd entry, as `docker run -u 12345` gives.
AS_ANOTHER_USER = ["setpriv", "--reuid=12345", "--regid=12345", "--clear-groups"]
ROOT = getattr(__import__("os"), "geteuid", lambda: -1)() == 0 and shutil.which("setpriv")


@pytest.mark.skipif(not ROOT, reason="needs root and setpriv to run as a uid with no passwd entry")
def test_verify_checks_every_record_past_one_it_may_not_read(tmp_path: Path) -> None:
    import os
    import tempfile

    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o755)
        record_with(folder / "ok1.md")
        record_with(folder / "secret.md")
        (folder / "ok1.md").chmod(0o644)
        (folder / "secret.md").chmod(0o600)
        child = subprocess.run(
            [*AS_ANOTHER_USER, sys.executable, "-m", "journey", "verify", "ok1.md", "secret.md", "ok1.md"],
            cwd=folder, capture_output=True, text=True, timeout=60,
            env=dict(os.environ, HOME=str(folder)),
        )  # fmt: skip
        assert child.returncode == 1, child.stderr
        assert child.stdout.splitlines() == [
            "ok: ok1.md", "secret.md: cannot read: Permission denied", "ok: ok1.md"
        ]  # fmt: skip
    finally:
        shutil.rmtree(folder)


def test_an_answer_too_large_for_a_record_is_refused_and_what_is_saved_reads_back(
    run: Run,
) -> None:
    answers_file(dict(BASE, notes="A" * (3 * 1024 * 1024)))
    code, out, err = timed(run, *START, "--answers", "answers.yaml", seconds=30)
    assert code == 1, err
    assert "internal error" not in err
    assert "over the 4 MB" in err
    if Path("rec.md").exists():
        assert run("verify", "rec.md")[0] == 0
        assert run("status", "rec.md")[0] == 0


# -- real environments: none ends in "internal error" -----------------------------------------


def journey_child(
    *args: str | bytes, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """The command in a child process, with walk.yaml's route; it must answer within a minute."""
    import os

    base = dict(os.environ, JOURNEY_PATH=str(WALK.parent), JOURNEY_USER="Ann Buyer")
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "journey", *args], env=base | (env or {}), text=True,
        stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60, **kwargs,
    )  # fmt: skip


def sane(child: subprocess.CompletedProcess[str]) -> None:
    assert "internal error" not in child.stderr and "Traceback" not in child.stderr, child.stderr
    assert not RAW_CONTROL.search(child.stderr), repr(child.stderr)


def full_answers() -> Path:
    return answers_file(dict(BASE, notes={"skip": "Nothing to add"}))


@pytest.mark.parametrize("option", ["--title", "--by", "--reference"])
def test_bytes_that_are_not_utf8_in_an_option_are_refused_before_any_answer(
    run: Run, option: str
) -> None:
    full_answers()
    args = [*START, "--answers", "answers.yaml"]
    args[args.index("--title") + 1] = "Catering"
    code, out, err = timed(run, *args, option, "Caf\udce9 \udcff")  # as Python reads bad argv
    assert_clear(code, out, err, exit_code=2)
    assert err.startswith(f"journey: {option} is not UTF-8 text"), err
    assert not Path("rec.md").exists()


def test_bytes_that_are_not_utf8_in_a_real_command_line_are_refused() -> None:
    full_answers()
    child = journey_child(*START[:-2], "--no-input", "--answers", "answers.yaml", "--title",
                          b"Caf\xe9 2027")  # fmt: skip
    sane(child)
    assert child.returncode == 2
    assert not Path("rec.md").exists()


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029", "\n", "\x1b", "\u202e"])
@pytest.mark.parametrize("option", ["--title", "--by", "--reference"])
def test_a_line_break_or_control_in_a_head_field_is_refused_or_verifies(
    run: Run, option: str, char: str
) -> None:
    full_answers()
    args = [*START, "--answers", "answers.yaml"]
    code, out, err = timed(run, *args, option, f"x{char}y")
    if code == 0:
        assert run("verify", "rec.md")[0] == 0
    else:
        assert_clear(code, out, err, exit_code=2)
        assert err.startswith(f"journey: {option} "), err


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\x1b"])
def test_a_line_break_or_control_in_journey_user_is_refused_or_verifies(
    run: Run, monkeypatch: pytest.MonkeyPatch, char: str
) -> None:
    full_answers()
    monkeypatch.setenv("JOURNEY_USER", f"Ann{char}Kerr")
    code, out, err = timed(run, *START, "--answers", "answers.yaml")
    if code == 0:
        assert run("verify", "rec.md")[0] == 0
    else:
        assert_clear(code, out, err, exit_code=2)


def test_a_git_user_name_that_is_not_utf8_does_not_crash(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_bytes(b"[user]\n\tname = Ann\xffKerr\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("JOURNEY_USER")
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    full_answers()
    code, out, err = timed(run, *START, "--answers", "answers.yaml")
    assert code == 0, err
    assert run("verify", "rec.md")[0] == 0


@pytest.mark.skipif(not ROOT, reason="needs root and setpriv to run as a uid with no passwd entry")
def test_a_uid_with_no_passwd_entry_can_start_a_walk() -> None:
    import os
    import tempfile

    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o777)
        (folder / "answers.yaml").write_text(full_answers().read_text())
        env = {"PATH": os.environ["PATH"], "HOME": str(folder), "JOURNEY_PATH": str(WALK.parent)}
        child = subprocess.run(
            [*AS_ANOTHER_USER, sys.executable, "-m", "journey", *START, "--answers", "answers.yaml"],
            cwd=folder, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        sane(child)
        assert child.returncode == 0, child.stderr
    finally:
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    "args",
    [("show", "walk-test"), ("status", "rec.md"), ("report", "."), ("verify", "rec.md"),
     ("routes",), ("status", "rec.md", "--json"), ("report", ".", "--format", "csv")],
    ids=" ".join,
)  # fmt: skip
def test_a_latin1_terminal_gets_escapes_not_a_crash(args: tuple[str, ...]) -> None:
    record_with(Path("rec.md"))
    env = {"PYTHONIOENCODING": "latin-1", "PYTHONUTF8": "0"}
    child = journey_child(*args, env=env, encoding="latin-1")
    sane(child)
    assert child.returncode == 0, child.stderr


@pytest.mark.parametrize(
    "args", [("verify", "rec.md"), ("report", ".", "--format", "csv"),
             ("report", ".", "--format", "json"), ("routes",), ("schema",), ("status", "rec.md")],
    ids=" ".join,
)  # fmt: skip
@pytest.mark.parametrize("stdout", ["closed", "/dev/full"])
def test_stdout_closed_or_full_is_a_clear_message(args: tuple[str, ...], stdout: str) -> None:
    import os

    record_with(Path("rec.md"))
    if stdout == "closed":
        child = journey_child(*args, stdout=None, preexec_fn=lambda: os.close(1))
    else:
        with Path("/dev/full").open("w") as full:
            child = journey_child(*args, stdout=full)
    sane(child)
    assert child.returncode == 2, child.stderr
    assert child.stderr.startswith("journey: cannot write output: "), child.stderr


def test_a_walk_writing_to_a_full_stdout_keeps_its_record() -> None:
    full_answers()
    with Path("/dev/full").open("w") as full:
        child = journey_child(*START, "--answers", "answers.yaml", stdout=full)
    sane(child)
    assert child.returncode == 2
    assert run_verify(Path("rec.md"))


def run_verify(path: Path) -> bool:
    return journey_child("verify", str(path)).returncode == 0


@pytest.mark.parametrize("length", [242, 245, 249, 250, 252, 256, 300])
def test_a_long_record_name_is_saved_or_refused_clearly(run: Run, length: int) -> None:
    full_answers()
    name = "a" * (length - 3) + ".md"
    args = [*START, "--answers", "answers.yaml"]
    args[args.index("rec.md")] = name
    code, out, err = timed(run, *args)
    assert "internal error" not in err
    if code == 0:
        assert run("verify", name)[0] == 0
    else:
        assert code == 2, err
        assert err.startswith("journey: ") and err.endswith(f"{name}: File name too long\n"), err
    kept = [p.name for p in Path.cwd().iterdir() if p.name not in ("answers.yaml", ".cache")]
    assert kept == ([name] if code == 0 else [])
    for command in ("verify", "status"):
        c, o, e = run(command, name)
        assert "internal error" not in e and c in (0, 1, 2)


@pytest.mark.parametrize(
    "name", ["[red]evil[/red].md", "a[/b].md", "[link=file:///etc/passwd]x[/link].md"]
)
def test_rich_markup_in_a_record_path_is_shown_as_typed(run: Run, name: str) -> None:
    full_answers()
    args = [*START, "--answers", "answers.yaml"]
    args[args.index("rec.md")] = name
    code, out, err = timed(run, *args)
    assert code == 0, err
    assert f"The record is {Path(name)}." in out


def test_a_fifo_as_the_answers_file_is_refused_not_waited_on() -> None:
    import os

    os.mkfifo("answers.yaml")
    child = journey_child(*START, "--answers", "answers.yaml")
    sane(child)
    assert child.returncode in (1, 2)
    assert "answers.yaml" in child.stderr
    assert not lock_path(Path("rec.md")).exists()


def test_answers_through_a_pipe_still_work() -> None:
    full = full_answers().read_text()
    child = subprocess.run(
        ["bash", "-c", f'{sys.executable} -m journey {" ".join(START)} --answers <(cat answers.yaml)'],
        env=dict(__import__("os").environ, JOURNEY_PATH=str(WALK.parent), JOURNEY_USER="Ann"),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert full
    assert child.returncode == 0, child.stderr


@pytest.mark.parametrize("epoch", ["253402300800", "99999999999999", "9" * 40])
@pytest.mark.parametrize("command", ["start", "report"])
def test_source_date_epoch_past_year_9999_is_a_clear_message(
    run: Run, monkeypatch: pytest.MonkeyPatch, epoch: str, command: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    full_answers()
    args = (*START, "--answers", "answers.yaml") if command == "start" else ("report", ".")
    code, out, err = timed(run, *args)
    assert_clear(code, out, err, exit_code=2)
    assert err.startswith("journey: SOURCE_DATE_EPOCH "), err


def test_a_broken_pipe_exits_0_or_141_never_1() -> None:
    record_with(Path("a.md"))
    child = subprocess.run(
        ["bash", "-c", "set -o pipefail; " + sys.executable
         + " -m journey verify $(printf 'a.md %.0s' $(seq 1 12000)) | head -1; echo \"rc=$?\""],
        env=dict(__import__("os").environ, JOURNEY_PATH=str(WALK.parent)),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "internal error" not in child.stderr and "Traceback" not in child.stderr, child.stderr
    assert child.stdout.splitlines()[0] == "ok: a.md"
    assert child.stdout.splitlines()[-1] in ("rc=0", "rc=141"), child.stdout[-200:]


# -- multi-line answers keep the data block at one answer a line -------------------------------


def test_a_multi_line_text_answer_keeps_one_answer_a_line_in_the_data_block(run: Run) -> None:
    text = "First line\nSecond line\n```\n---\n- [x] not a tick\n\n"
    answers_file(dict(BASE, notes=text))
    code, out, err = timed(run, *START, "--answers", "answers.yaml")
    assert code == 0, err
    record = Path("rec.md").read_text(encoding="utf-8")
    block = record.split(FENCE + "\n", 1)[1].split("\n```", 1)[0].splitlines()
    answers = [line for line in block if '"line":"answer"' in line.replace(" ", "")]
    assert len(answers) == len(BASE)
    (notes,) = [line for line in answers if '"notes"' in line]
    assert json.loads(notes)["value"] == text.strip()
    assert run("verify", "rec.md")[0] == 0
    code, out, err = run("status", "rec.md")
    assert code == 0 and not RAW_CONTROL.search(out)
