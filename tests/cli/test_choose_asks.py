"""The route finder asks, in a terminal, for everything not given as a flag.

Real questionary prompts, fed keys through prompt_toolkit's pipe: the buyer types a
value and accepts each default, and the finder recommends a route, citing the
threshold, and prints the command that starts it later.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from conftest import Run


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[PipeInput]:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe


def test_the_finder_asks_what_the_flags_left_out_then_says_how_to_start_later(
    run: Run, keys: PipeInput
) -> None:
    keys.send_text("30000\r" + "\r" * 12)
    keys.close()
    args = (
        "choose",
        "--what",
        "goods",
        "--body",
        "sub-central",
        "--no-framework",
        "--date",
        "2026-11-29",
    )
    code, out, err = run(*args, "--no-start")
    assert code == 0, out + err
    assert "Recommended:" in out
    assert "Start later, with these answers carried in:" in out
    assert "--annual-value 30000" in out.replace("\n", " ")
