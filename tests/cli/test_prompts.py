"""The walk's prompts in-process: real questionary prompts fed keys through a pipe.

Each test types what a buyer would type into a menu or a text prompt and checks
what the walk is told (an answer, or help, back, skip, map, quit). The keys go
through prompt_toolkit's own input parser, so `?`, `<`, `:skip`, Escape and the
letters questionary once read as navigation behave here as in a terminal.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from conftest import BASE, WALK, ticking
from journey.cli.prompts import TerminalUI
from journey.routes.loader import load_route
from journey.walk import answers
from journey.walk.drive import Back, Give, Quit, Skip, apply_given
from journey.walk.engine import Walk, new_record

DOWN, ENTER, ESCAPE = "\x1b[B", "\r", "\x1b"


@pytest.fixture
def keys() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        yield pipe


@pytest.fixture
def walk() -> Walk:
    loaded = load_route(WALK)
    rec = new_record(loaded, title="Catering", owner="Ann", reference="", now="2026-11-23T09:00Z")
    return Walk(loaded, rec, user="Ann", clock=ticking())


def ask(walk: Walk, cid: str, pipe: PipeInput, typed: str) -> tuple[Any, str]:
    """What the walk is told when `typed` is keyed into checkpoint `cid`, and what was shown."""
    screen = io.StringIO()
    ui = TerminalUI(Console(file=screen, width=100, color_system=None))
    pipe.send_text(typed)
    pipe.close()  # keys run out: a prompt still waiting ends (Ctrl-D) rather than hang the test
    try:
        action = ui.ask(walk, walk.places[cid].checkpoint, None)
    except KeyboardInterrupt:  # what Ctrl-D becomes; pytest would stop the whole run on it
        pytest.fail(f"still asking when the keys ran out:\n{screen.getvalue()}")
    return action, screen.getvalue()


@pytest.mark.parametrize("cid", ["critical", "what", "lots"])
def test_question_mark_in_a_menu_shows_help_then_asks_again(
    walk: Walk, keys: PipeInput, cid: str
) -> None:
    action, shown = ask(walk, cid, keys, "?:quit")
    assert "Help" in shown
    assert isinstance(action, Quit)


@pytest.mark.parametrize("cid", ["critical", "what", "lots"])
def test_less_than_in_a_menu_goes_back(walk: Walk, keys: PipeInput, cid: str) -> None:
    action, _ = ask(walk, cid, keys, "<")
    assert isinstance(action, Back)


def test_colon_words_in_a_menu_do_what_the_banner_says(walk: Walk, keys: PipeInput) -> None:
    action, shown = ask(walk, "critical", keys, ":map:back")
    here = [line for line in shown.splitlines() if "you are here" in line]
    assert here and not any(mark in here[0] for mark in "◆◇?0123456789")  # apart from counts
    assert isinstance(action, Back)


def test_skip_is_typed_in_a_menu_only_where_it_is_offered(walk: Walk, keys: PipeInput) -> None:
    required = walk.places["critical"].checkpoint.required
    action, _ = ask(walk, "critical", keys, ":skip" + ENTER)
    assert isinstance(action, Skip) != required
    if required:
        assert action == Give(True)  # `:skip` did nothing; Enter took the first entry


def test_typing_money_into_a_menu_neither_moves_nor_quits(walk: Walk, keys: PipeInput) -> None:
    action, _ = ask(walk, "critical", keys, "£240k" + ENTER)
    assert action == Give(True)  # "k" once moved up from Yes, round to "Save and quit"


def test_a_uk_date_is_stored_as_iso_and_echoed_in_words(walk: Walk, keys: PipeInput) -> None:
    action, shown = ask(walk, "notice-date", keys, "15/01/2027" + ENTER)
    assert isinstance(action, Give)
    assert answers.parse(walk.places["notice-date"].checkpoint, action.value) == "2027-01-15"
    assert "Friday 15 January 2027" in shown


def test_a_date_in_words_is_understood(walk: Walk, keys: PipeInput) -> None:
    _, shown = ask(walk, "notice-date", keys, "1 March 2027" + ENTER)
    assert "Monday 1 March 2027" in shown


def test_the_review_can_be_left_without_changing_anything(walk: Walk, keys: PipeInput) -> None:
    apply_given(walk, BASE)
    ui = TerminalUI(Console(file=io.StringIO(), width=100, color_system=None))
    # Change an answer…, then Escape back; Change an answer…, then <; then Finish.
    keys.send_text(DOWN + ENTER + ESCAPE)
    keys.send_text(DOWN + ENTER + "<")
    keys.send_text(ENTER)
    assert review(ui, walk, keys) is None


def test_the_review_list_has_a_way_back_as_its_last_entry(walk: Walk, keys: PipeInput) -> None:
    apply_given(walk, BASE)
    ui = TerminalUI(Console(file=io.StringIO(), width=100, color_system=None))
    answered = [c for c in walk.applicable() if walk.done(c)]
    keys.send_text(DOWN + ENTER + DOWN * len(answered) + ENTER)  # the entry after the answers
    keys.send_text(DOWN + ENTER + ENTER)  # then change the first answer
    assert review(ui, walk, keys) == answered[0]


def review(ui: TerminalUI, walk: Walk, keys: PipeInput) -> Any:
    """The review's outcome once the keys sent run out (a failure, not a hang, if it waits)."""
    keys.close()
    try:
        return ui.review(walk)
    except KeyboardInterrupt:
        pytest.fail("the review was still asking when the keys ran out")


def test_web_addresses_at_a_station_are_whole_at_any_width() -> None:
    from journey.routes.catalogue import find

    loaded = find("scotland-route-1")
    rec = new_record(loaded, title="T", owner="Ann", reference="", now="2026-11-23T09:00Z")
    walk = Walk(loaded, rec, user="Ann", clock=ticking())
    place = next(p for p in walk.places.values() if p.step.links or p.step.templates)
    urls = [link.url for link in (*place.step.links, *place.step.templates)]
    screen = io.StringIO()
    TerminalUI(Console(file=screen, width=40, color_system=None)).step(walk, place)
    lines = [line.strip() for line in screen.getvalue().splitlines()]
    assert all(url in lines for url in urls), lines


@pytest.mark.parametrize("letter", ["a", "i"])
def test_letters_typed_into_a_tick_list_tick_nothing(
    walk: Walk, keys: PipeInput, letter: str
) -> None:
    first = walk.places["lots"].checkpoint.choices[0]
    # "a" and "i" once ticked every option (all, or the inverse of none); now only space ticks:
    # Enter with nothing ticked is refused, then space ticks the first option.
    action, _ = ask(walk, "lots", keys, letter + ENTER + " " + ENTER)
    assert action == Give([first])


def test_text_questions_in_a_row_keep_their_own_answers(walk: Walk, keys: PipeInput) -> None:
    """The walk asks every text question on one prompt session: the up arrow does not bring
    back the previous checkpoint's answer, and each question starts from its own answer."""
    ui = TerminalUI(Console(file=io.StringIO(), width=100, color_system=None))
    keys.send_text("first note" + ENTER + "\x1b[A" + "12" + ENTER + ENTER)
    keys.close()
    try:
        given = [
            ui.ask(walk, walk.places["notes"].checkpoint, None),
            ui.ask(walk, walk.places["bidders"].checkpoint, None),
            ui.ask(walk, walk.places["evidence"].checkpoint, "report.pdf"),
        ]
    except KeyboardInterrupt:
        pytest.fail("still asking when the keys ran out")
    assert given == [Give("first note"), Give("12"), Give("report.pdf")]
