"""`journey demo`: a walk replayed on screen from an answers file, for workshops.

The screen shows what a buyer sees (step panels, each prompt, the answer typed
at a readable pace, the review), driven by the same loop as a real walk. It
writes nothing unless asked to with --record.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from journey.cli.prompts import TerminalUI, review_table
from journey.cli.start import clock, who
from journey.errors import Interrupted, UsageError
from journey.records.atomicfile import write_atomic
from journey.records.checklist import render
from journey.routes.catalogue import find
from journey.routes.model import Checkpoint
from journey.text import clean, plural
from journey.walk import answers
from journey.walk.drive import Action, Give, Quit, Skip, drive
from journey.walk.engine import Walk, new_record
from journey.walk.given import Given, read_answers


class ReplayUI(TerminalUI):
    """Shows the walk like the terminal front end, but takes answers from a file."""

    def __init__(self, console: Console, given: dict[str, Given], pace: float) -> None:
        super().__init__(console)
        self.given = given
        self.pace = pace
        self.pending = ""  # the reason the answers file gives for the current checkpoint

    def ask(self, walk: Walk, cp: Checkpoint, current: Any) -> Action:
        active = walk.applicable()
        position = active.index(cp.id) + 1 if cp.id in active else 0
        need = "mandatory" if cp.required else "optional"
        self.console.print(
            Text(f"\n[{position}/{len(active)}] {need} · {cp.kind} · {cp.id}", style="dim")
        )
        self.console.print(
            Text.assemble(("? ", "bold cyan"), (clean(cp.prompt), "bold"), " "), end=""
        )
        if cp.id not in self.given:
            self.console.print()
            raise UsageError(
                f"the answers file has no answer for '{cp.id}'; add it to replay this walk"
            )
        given = self.given[cp.id]
        if given.skip is not None:
            self._type(":skip")
            self.pending = given.skip
            return Skip()
        self.pending = given.reason
        self._type(answers.show_for(cp, answers.parse(cp, given.value)))
        return Give(given.value, via="answers-file")

    def reason(self, question: str) -> str:
        reason = self.pending  # one reason in the file serves every question for this answer
        if not reason:
            raise UsageError(f"the answers file needs a reason here: {question}")
        self.console.print(Text.assemble(("? ", "bold cyan"), (question, "bold"), " "), end="")
        self._type(reason)
        return reason

    def problem(self, message: str) -> None:
        """In a replay nobody can answer again: a refused answer ends the demonstration."""
        self.console.print()
        if message.startswith("the answers file"):  # said by `reason` below, in full
            raise UsageError(message)
        raise UsageError(f"the answers file cannot be played here: {message}")

    def review(self, walk: Walk) -> str | Quit | None:
        self.console.print()
        self.console.print(review_table(walk))
        done, total = walk.progress()
        self.console.print(
            Text(
                f"Finished: {done} of {plural(total, 'checkpoint')} on the path done.",
                style="bold green",
            )
        )
        return None

    def _type(self, text: str) -> None:
        for char in clean(text):
            self.console.print(char, end="", style="bold yellow", highlight=False)
            self.console.file.flush()
            if self.pace > 0:
                time.sleep(self.pace)
        self.console.print()


def replay(
    route: str, answers: Path, *, pace: float, record: Path | None, console: Console
) -> None:
    """Play a walk of `route` with the answers in `answers`; write the record only to `record`."""
    loaded = find(route)
    if pace < 0:
        raise UsageError("--pace must be zero or more seconds")
    tick, user = clock(), who(None)
    title = f"Demonstration: {loaded.route.title}"
    rec = new_record(loaded, title=title, owner=user, reference="", now=tick())
    walk = Walk(loaded, rec, user=user, clock=tick)
    given = read_answers(answers, walk)
    if record is not None:
        if record.exists():
            raise UsageError(f"{record} already exists; the demo will not overwrite it")
        walk.on_change = lambda w: write_atomic(record, render(w))
    try:
        drive(walk, ReplayUI(console, given, pace))
    except KeyboardInterrupt:
        raise Interrupted(
            "demo stopped" + ("" if record is None else f"; the record so far is in {record}")
        ) from None
    console.print(
        Text(
            "\nEnd of the demonstration." + ("" if record is None else f" Record: {record}"),
            style="bold",
        )
    )
