"""The route commands as a user runs them: routes, show, validate, schema, --version, --debug."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jsonschema
import msgspec
import pytest
from test_loading import EXPECTED, matches

import journey
from conftest import INVALID, REPO, VALID, Run
from journey.errors import InvalidFile
from journey.routes.catalogue import DATA_FILES, builtin_dir, route_files
from journey.routes.loader import load_route
from journey.safeyaml import load_file

BUILTIN = route_files(builtin_dir())
BUILTIN_IDS = sorted(load_route(p).route.id for p in BUILTIN)
SMALL = VALID / "small.yaml"
MARKUP = VALID / "markup.yaml"


def place(name: str, folder: Path, *, source: Path = INVALID) -> Path:
    """Copy a fixture into `folder` (created if needed) and return the copy."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(source / name, folder / name))


def row(out: str, route_id: str) -> str:
    """The first table line of a route."""
    lines = [line for line in out.splitlines() if line.split()[:1] == [route_id]]
    assert len(lines) == 1, out
    return lines[0]


def cell_text(out: str, route_id: str) -> str:
    """A table row with its wrapped lines joined: the words of that row, in order."""
    lines = out.splitlines()
    start = lines.index(row(out, route_id))
    words = lines[start].split()[1:]
    for line in lines[start + 1 :]:
        if not line[:1].isspace():
            break
        words += line.split()
    return " ".join(words)


# routes


def test_routes_lists_every_builtin_route_with_its_counts(run: Run) -> None:
    code, out, err = run("routes")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].split()[:2] == ["id", "title"]
    for path in BUILTIN:
        route = load_route(path).route
        line = row(out, route.id)
        assert line.split()[-2:] == [str(len(route.stages)), str(len(route.checkpoints()))]
    assert "Traceback" not in out


@pytest.mark.parametrize("width", [None, "200", "110"])
def test_a_long_jurisdiction_is_shown_whole_where_there_is_room(
    run: Run, monkeypatch: pytest.MonkeyPatch, width: str | None
) -> None:
    """In a file or a wide terminal, "England, Wales and Northern Ireland" stays on its
    route's line; narrower, it wraps under itself and the title keeps its room."""
    if width:
        monkeypatch.setenv("JOURNEY_WIDTH", width)
    else:  # written to a file: no width asked for
        monkeypatch.delenv("JOURNEY_WIDTH")
        monkeypatch.delenv("COLUMNS")
    code, out, _ = run("routes")
    assert code == 0
    line = row(out, "uk-pa2023-open")
    whole = "England, Wales and Northern Ireland"
    if width == "110":
        assert whole not in out and "England," in line
        assert "Procurement Act: open procedure" in line
    else:
        assert whole in line
    assert all(len(x) <= int(width) for x in out.splitlines()) if width else True


def route_checked(route: Any) -> str | None:
    """The oldest date the route was checked against a source, as `routes --json` gives it."""
    from journey.routes.authoring import last_checked

    day = last_checked(route)
    return day.isoformat() if day else None


def test_routes_json_describes_each_route_and_pins_its_content(run: Run) -> None:
    code, out, err = run("routes", "--json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    expected = []
    for path in BUILTIN:
        route = load_route(path).route
        expected.append(
            {
                "id": route.id,
                "origin": "built-in",
                "path": f"<built-in>/{path.name}",
                "title": route.title,
                "jurisdiction": route.jurisdiction,
                "version": route.version,
                "stages": len(route.stages),
                "checkpoints": len(route.checkpoints()),
                "digest": "sha256:" + hashlib.sha256(msgspec.json.encode(route)).hexdigest(),
                "last_checked": route_checked(route),
                "review_warning": None,
            }
        )
    assert rows == expected


def test_a_broken_local_route_is_a_row_with_its_error_and_exit_1(run: Run, tmp_path: Path) -> None:
    place("duplicate-id.yaml", tmp_path / "journeys")
    place("small.yaml", tmp_path / "journeys", source=VALID)
    code, out, err = run("routes")
    assert (code, err) == (1, "")
    assert cell_text(out, "duplicate-id").startswith("invalid: journeys/")
    assert "duplicate id 'approval'" in cell_text(out, "duplicate-id")
    for route_id in ["small", *BUILTIN_IDS]:
        assert row(out, route_id)

    code, out, err = run("routes", "--json")
    assert (code, err) == (1, "")
    rows = json.loads(out)
    assert rows[0] == {
        "id": "duplicate-id",
        "origin": "local",
        "path": "journeys/duplicate-id.yaml",
        "error": "journeys/" + EXPECTED["duplicate-id"][0],
    }
    assert [r["id"] for r in rows] == ["duplicate-id", "small", *BUILTIN_IDS]


def test_the_routes_table_lists_every_problem_in_full_below_it(run: Run, tmp_path: Path) -> None:
    place("duplicate-id.yaml", tmp_path / "journeys")
    code, out, _ = run("routes")
    assert code == 1
    assert cell_text(out, "duplicate-id").startswith("invalid: journeys/duplicate-id.yaml:")
    below = out.split("\nProblems:\n", 1)[1].splitlines()
    assert below == ["journeys/" + line for line in EXPECTED["duplicate-id"]]


def test_routes_in_journey_path_folders_are_found(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    place("small.yaml", first, source=VALID)
    place("markup.yaml", second, source=VALID)
    monkeypatch.setenv("JOURNEY_PATH", f"{first}{os.pathsep}{second}")
    code, out, err = run("routes", "--json")
    assert (code, err) == (0, "")
    found = {r["id"]: (r["origin"], r["path"]) for r in json.loads(out)}
    assert found["small"] == ("JOURNEY_PATH", str(first / "small.yaml"))
    assert found["markup"] == ("JOURNEY_PATH", str(second / "markup.yaml"))
    code, out, err = run("show", "small")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "A small route"


def test_a_local_route_shadows_a_builtin_of_the_same_id(run: Run, tmp_path: Path) -> None:
    builtin_id = BUILTIN_IDS[0]
    text = SMALL.read_text(encoding="utf-8")
    text = text.replace("id: small\n", f"id: {builtin_id}\n").replace(
        "title: A small route", "title: Our own version"
    )
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "ours.yaml").write_text(text, encoding="utf-8")
    code, out, _ = run("routes", "--json")
    assert code == 0
    same = [r for r in json.loads(out) if r["id"] == builtin_id]
    assert [(r["origin"], r["path"], r["title"]) for r in same] == [
        ("local", "journeys/ours.yaml", "Our own version")
    ]
    code, out, _ = run("show", builtin_id)
    assert code == 0
    assert out.splitlines()[0] == "Our own version"


# show


def test_show_draws_the_route_as_a_tube_map(run: Run) -> None:
    code, out, err = run("show", str(SMALL))
    assert (code, err) == (0, "")
    lines = [line.rstrip() for line in out.splitlines()]
    assert lines[:4] == [
        "A small route",
        "small · version 1.0 · Example",
        "2 stages · 4 checkpoints · 4 mandatory",
        "Two stages to show the format.",
    ]
    stations = [line.split("  ")[1].removeprefix("● ") for line in lines if "●" in line]
    stages = [line.split()[1] for line in lines if line.startswith((" 1 ", " 2 "))]
    assert (stages, stations) == (["Plan", "Buy"], ["Estimate the value", "Get quotes"])


def test_show_finds_a_builtin_route_by_id(run: Run) -> None:
    path = BUILTIN[0]
    code, out, err = run("show", load_route(path).route.id)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == load_route(path).route.title


def test_show_markdown_is_a_handout(run: Run) -> None:
    code, out, err = run("show", str(SMALL), "--format", "markdown")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:5] == [
        "# A small route",
        "",
        "*Example · version 1.0 · route id `small`*",
        "",
        "Two stages to show the format.",
    ]
    assert [x for x in lines if x.startswith("#")] == [
        "# A small route",
        "## Stage 1. Plan",
        "### Estimate the value",
        "## Stage 2. Buy",
        "### Get quotes",
        "## Sources",
    ]
    assert "Add up the **whole-life** value, including extensions." in lines
    assert (
        "- [ ] Are the goods or services business critical? `business-critical` (**mandatory**, confirm)"
        in lines
    )
    assert (
        "- [ ] Whole-life value, excluding VAT `estimated-value` (**mandatory**, money)"
        "<br>Basis: Example guidance, value estimation"
    ) in lines
    assert lines[-1] == "- **S1** [An example guidance page](https://example.org/guidance)"


def test_show_mermaid_is_a_flowchart_in_walk_order(run: Run) -> None:
    code, out, err = run("show", str(SMALL), "-f", "mermaid")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:2] == ["```mermaid", "flowchart TD"]
    assert lines[-1] == "```"
    assert '  subgraph S1["1. Plan"]' in lines
    assert '  subgraph S2["2. Buy"]' in lines
    assert '    n_value["Estimate the value<br/>2 mandatory"]' in lines
    assert '    n_quotes["Get quotes<br/>2 mandatory"]' in lines
    assert [x for x in lines if "-->" in x] == ["  n_value --> n_quotes"]


def test_show_refuses_an_unknown_format_with_exit_2(run: Run) -> None:
    code, out, err = run("show", str(SMALL), "--format", "html")
    assert (code, out) == (2, "")
    assert all(word in err for word in ("html", "terminal", "markdown", "mermaid"))


def test_show_refuses_an_unknown_route_id_with_exit_2(run: Run) -> None:
    known = ", ".join(BUILTIN_IDS)
    assert run("show", "no-such-route") == (
        2,
        "",
        f"journey: no route with id 'no-such-route' (known: {known}); see `journey routes`\n",
    )


def test_show_refuses_a_missing_file_with_exit_2(run: Run) -> None:
    assert run("show", "missing.yaml") == (2, "", "journey: no such route file: missing.yaml\n")


def test_show_of_an_invalid_route_prints_every_problem_and_exits_1(run: Run) -> None:
    place("several-problems.yaml", Path.cwd())
    code, out, err = run("show", "several-problems.yaml")
    assert (code, out) == (1, "")
    assert err.splitlines() == EXPECTED["several-problems"]


# validate


def test_validate_without_arguments_checks_every_route_found(run: Run, tmp_path: Path) -> None:
    place("small.yaml", tmp_path / "journeys", source=VALID)
    code, out, err = run("validate")
    assert (code, err) == (0, "")
    expected = ["ok: journeys/small.yaml (small, 4 checkpoints)"]
    for path in BUILTIN:
        route = load_route(path).route
        count = len(route.checkpoints())
        expected.append(f"ok: <built-in>/{path.name} ({route.id}, {count} checkpoints)")
    assert out.splitlines() == expected


def test_validate_exits_1_and_prints_every_problem_of_every_file(run: Run) -> None:
    for name in ("several-problems.yaml", "duplicate-key.yaml"):
        place(name, Path.cwd())
    place("small.yaml", Path.cwd(), source=VALID)
    code, out, err = run(
        "validate", "several-problems.yaml", "small.yaml", "duplicate-key.yaml", "nope"
    )
    assert (code, err) == (1, "")
    known = ", ".join(BUILTIN_IDS)
    assert out.splitlines() == [
        *EXPECTED["several-problems"],
        "ok: small.yaml (small, 4 checkpoints)",
        *EXPECTED["duplicate-key"],
        f"nope: no route with id 'nope' (known: {known}); see `journey routes`",
    ]


def test_validate_reports_each_invalid_fixture_without_a_traceback(run: Run) -> None:
    names = sorted(p.name for p in INVALID.glob("*.yaml"))
    for name in names:
        place(name, Path.cwd())
    code, out, err = run("validate", *names)
    assert (code, err) == (1, "")
    want = [line for n in names for line in EXPECTED[n.removesuffix(".yaml")]]
    assert matches(out.splitlines(), want), out
    assert "Traceback" not in out + err


@pytest.mark.parametrize("name", sorted(p.name for p in VALID.glob("*.yaml")))
def test_validate_accepts_each_valid_fixture(run: Run, name: str) -> None:
    place(name, Path.cwd(), source=VALID)
    code, out, err = run("validate", name)
    route = load_route(VALID / name).route
    assert (code, err) == (0, "")
    assert out == f"ok: {name} ({route.id}, {len(route.checkpoints())} checkpoints)\n"


# schema


def _plain(value: Any) -> Any:
    """YAML data as JSON sees it: dates become ISO text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.fixture
def validator(run: Run) -> jsonschema.Draft202012Validator:
    code, out, err = run("schema")
    assert (code, err) == (0, "")
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


SCHEMA_VALID = [*sorted((REPO / "journeys").glob("*.yaml")), *sorted(VALID.glob("*.yaml"))]


@pytest.mark.parametrize(
    "path",
    [p for p in SCHEMA_VALID if p.name not in DATA_FILES],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_every_valid_route_fits_the_schema(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    data = _plain(load_file(path).data)
    assert [e.message for e in validator.iter_errors(data)] == []


@pytest.mark.parametrize(
    "name",
    [
        "bad-id",
        "bad-kind",
        "empty",
        "list-at-top",
        "several-problems",
        "unknown-key-typo",
        "wrong-type",
    ],
)
def test_the_schema_refuses_what_the_checker_refuses_for_shape(
    validator: jsonschema.Draft202012Validator, name: str
) -> None:
    data = _plain(load_file(INVALID / f"{name}.yaml").data)
    assert list(validator.iter_errors(data)) != []


# --version and --debug


def test_version_matches_the_installed_package(run: Run) -> None:
    assert run("--version") == (0, f"journey {version('journey')}\n", "")
    assert journey.__version__ == version("journey")


def test_version_fast_path_prints_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    from journey.cli.main import main

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"journey {journey.__version__}\n"


def _journey(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "journey", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_a_traceback_that_the_default_hides(where: str) -> None:
    place("control-character.yaml", Path.cwd())
    args = ["show", "control-character.yaml"]
    plain = _journey(*args)
    assert (plain.returncode, plain.stdout) == (1, "")
    assert plain.stderr == "journey: " + EXPECTED["control-character"][0] + "\n"
    debug = _journey(*(["--debug", *args] if where == "before" else [*args, "--debug"]))
    assert debug.returncode == 1
    assert debug.stderr.startswith("Traceback (most recent call last):")
    assert debug.stderr.splitlines()[-1] == (
        "journey.errors.InvalidFile: " + EXPECTED["control-character"][0]
    )


def test_run_with_debug_raises_the_error_itself(run: Run) -> None:
    place("wrong-type.yaml", Path.cwd())
    with pytest.raises(InvalidFile) as caught:
        run("show", "wrong-type.yaml", debug=True)
    assert str(caught.value) == EXPECTED["wrong-type"][0]


# Route text is data: markup stays literal, control characters never reach the terminal.

RED = "[red]x[/red]"
LINK = "[link=http://evil]y[/link]"


def test_show_prints_markup_in_route_text_literally(run: Run) -> None:
    code, out, err = run("show", str(MARKUP))
    assert (code, err) == (0, "")
    lines = [line.rstrip() for line in out.splitlines()]
    assert lines[:4] == [
        f"{RED} and {LINK}",
        "markup · version [bold]1[/bold] · [blink]Example[/blink]",
        "1 stages · 2 checkpoints · 2 mandatory",
        "Looks like markup: [/] [b] [not a tag] \\[escaped] :smile: **bold** <b>html</b> `code`",
    ]
    assert any("[red]Stage[/red] [link=http://evil]title[/link]" in x for x in lines)
    assert any(f"● {RED} step | pipe # hash" in x for x in lines)


def test_routes_prints_markup_in_route_text_literally(run: Run, tmp_path: Path) -> None:
    place("markup.yaml", tmp_path / "journeys", source=VALID)
    code, out, err = run("routes")
    assert (code, err) == (0, "")
    assert f"markup {RED} and " in " ".join(row(out, "markup").split())
    assert "[bold]1[/bold]" in row(out, "markup")
    code, out, err = run("routes", "--json")
    assert json.loads(out)[0]["title"] == f"{RED} and {LINK}"
    assert json.loads(out)[0]["version"] == "[bold]1[/bold]"


def test_markdown_escapes_markup_so_it_reads_literally(run: Run) -> None:
    code, out, err = run("show", str(MARKUP), "--format", "markdown")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "# \\[red\\]x\\[/red\\] and \\[link=http://evil\\]y\\[/link\\]"
    assert lines[2] == (
        "*\\[blink\\]Example\\[/blink\\] · version \\[bold\\]1\\[/bold\\] · route id `markup`*"
    )
    assert "### \\[red\\]x\\[/red\\] step \\| pipe \\# hash" in lines
    assert (
        "- [ ] \\[red\\]x\\[/red\\] what are you buying? `what` (**mandatory**, choice)"
        "<br>Basis: \\[bold\\]Act\\[/bold\\] s.1"
    ) in lines
    assert (
        "- [ ] Only for \\[red\\]x\\[/red\\] `follow-up` (**mandatory**, confirm)"
        " — only if what is \\[red\\]x\\[/red\\]"
    ) in lines


def test_mermaid_keeps_labels_inside_their_quotes(run: Run) -> None:
    code, out, err = run("show", str(MARKUP), "--format", "mermaid")
    assert (code, err) == (0, "")
    assert '  subgraph S1["1. [red]Stage[/red] [link=http://evil]title[/link]"]' in out
    assert '    n_value["[red]x[/red] step | pipe # hash<br/>2 mandatory"]' in out


CONTROL = ["control-character.yaml", "control-character-raw.yaml"]


@pytest.mark.parametrize(
    "args",
    [
        ["routes"],
        ["routes", "--json"],
        ["validate"],
        ["validate", "journeys/control-character.yaml", "journeys/control-character-raw.yaml"],
        ["show", "control-character"],
        ["show", "journeys/control-character.yaml"],
        ["show", "journeys/control-character-raw.yaml"],
        ["show", "journeys/control-character.yaml", "--format", "markdown"],
        ["show", "journeys/control-character.yaml", "--format", "mermaid"],
    ],
    ids=" ".join,
)
def test_an_escape_character_in_a_route_never_reaches_the_terminal(
    run: Run, tmp_path: Path, args: list[str]
) -> None:
    for name in CONTROL:
        place(name, tmp_path / "journeys")
    code, out, err = run(*args)
    assert code == 1
    assert "\x1b" not in out + err
    assert "Traceback" not in out + err
