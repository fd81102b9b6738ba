"""journey.toml: written by `journey init`, found by walking up, every mistake located."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Run
from journey.cli.init import QUESTIONS
from journey.errors import InvalidFile
from journey.records import settings

GOOD = """\
[organisation]
name = "Example Council"
scheme = "GB-SC"
id = "SC000001"

[ocds]
prefix = "ocds-abc123"

[journey]
nation = "scotland"
"""
FLAGS = ("--name", "Example Council", "--scheme", "GB-SC", "--id", "SC000001",
         "--prefix", "ocds-abc123")  # fmt: skip


def problems(text: str) -> list[str]:
    with pytest.raises(InvalidFile) as caught:
        settings.parse(text, "journey.toml")
    return [str(p) for p in caught.value.problems]


def test_init_with_flags_writes_settings_that_load(run: Run, tmp_path: Path) -> None:
    code, out, err = run("init", *FLAGS, "--nation", "wales", "--no-input")
    assert code == 0, err
    assert out == f"wrote {tmp_path / 'journey.toml'}\n"
    loaded = settings.load(tmp_path / "journey.toml")
    assert (loaded.name, loaded.party_id, loaded.prefix) == (
        "Example Council", "GB-SC-SC000001", "ocds-abc123")  # fmt: skip
    assert (loaded.nation, loaded.records, loaded.currency) == ("wales", "records", "GBP")


def test_init_never_overwrites_without_force(run: Run, tmp_path: Path) -> None:
    (tmp_path / "journey.toml").write_text(GOOD, encoding="utf-8")
    code, _, err = run("init", *FLAGS, "--no-input")
    assert code == 2 and "already exists; use --force to replace it" in err
    assert run("init", *FLAGS, "--no-input", "--force")[0] == 0
    assert settings.load(tmp_path / "journey.toml").nation is None  # no nation guessed


def test_init_without_input_names_the_missing_flags(run: Run) -> None:
    code, _, err = run("init", "--name", "Example Council", "--no-input")
    assert code == 2
    assert err == "journey: --no-input needs --scheme, --id, --prefix\n"


def test_init_refuses_a_bad_value_by_its_flag(run: Run) -> None:
    code, _, err = run("init", *FLAGS[:-1], "ocds-TOO-LONG", "--no-input")
    assert code == 2
    assert "--prefix: 'ocds-TOO-LONG' is not an ocid prefix" in err


def test_init_asks_for_what_is_missing(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    replies = {"Organisation": "Asked Council", "Identifier scheme": "GB-COH",
               "The organisation": "01234567", "OCDS": "ocds-zzz999"}  # fmt: skip

    def fake(question: str, default: str | None) -> str:
        asked.append(question)
        return next((v for k, v in replies.items() if question.startswith(k)), default or "")

    monkeypatch.setattr("journey.cli.init._ask", fake)
    assert run("init")[0] == 0
    assert len(asked) == 7
    assert settings.load(Path("journey.toml")).party_id == "GB-COH-01234567"


def test_init_through_real_prompts(tmp_path: Path) -> None:
    """Typed into questionary's own prompts: Enter keeps a default, Ctrl-U clears it."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from journey.cli.init import run_init

    typed = ["Typed Council", "GB-COH", "01234567", "ocds-zzz999", "", "\x15england", ""]
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("".join(t + "\r" for t in typed))
        path = run_init(dict.fromkeys(QUESTIONS), folder=tmp_path, no_input=False, force=False)
    loaded = settings.load(path)
    assert (loaded.name, loaded.party_id, loaded.prefix) == (
        "Typed Council", "GB-COH-01234567", "ocds-zzz999")  # fmt: skip
    assert (loaded.currency, loaded.nation, loaded.records) == ("GBP", "england", "records")


def test_settings_are_found_in_a_folder_above(tmp_path: Path) -> None:
    (tmp_path / "journey.toml").write_text(GOOD, encoding="utf-8")
    deep = tmp_path / "records" / "2026"
    deep.mkdir(parents=True)
    assert settings.find(deep).resolve() == tmp_path / "journey.toml"  # type: ignore[union-attr]
    assert settings.find(tmp_path.parent) is None


def test_unknown_and_bad_keys_are_located() -> None:
    text = GOOD.replace('prefix = "ocds-abc123"', 'prefix = "abc"\n  colour = "red"')
    assert problems(text) == [
        "journey.toml:7:1: ocds.prefix: 'abc' is not an ocid prefix: ocds- and six letters "
        "or digits, e.g. ocds-abc123",
        "journey.toml:8:3: ocds.colour: unknown key; use prefix, currency",
    ]


def test_a_missing_key_points_at_its_table_and_a_bad_nation_at_its_line() -> None:
    text = GOOD.replace('id = "SC000001"\n', "").replace('"scotland"', '"mars"')
    assert problems(text) == [
        "journey.toml:1:2: organisation: 'id' is missing: the organisation's id in that list",
        "journey.toml:9:1: journey.nation: 'mars' is not one of scotland, england, wales, "
        "northern-ireland",
    ]


def test_toml_syntax_errors_keep_tomllib_positions() -> None:
    (message,) = problems(GOOD.replace('name = "Example Council"', "name = Example"))
    assert message.startswith("journey.toml:2:8: not valid TOML: ")


def test_a_wrong_type_is_refused() -> None:
    (message,) = problems(GOOD.replace('id = "SC000001"', "id = 12"))
    assert (
        message == "journey.toml:4:1: organisation.id: 12 is not the organisation's id in that list"
    )
