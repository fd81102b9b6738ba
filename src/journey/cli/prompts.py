"""The terminal front end of a walk: rich panels to read, questionary prompts to answer.

The only module that imports questionary. Every prompt is validated as it is
typed; navigation is offered in every prompt: extra entries in menus, and
short commands in text prompts (? help, < back, :skip, :quit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import questionary
from prompt_toolkit import PromptSession
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import DummyHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from prompt_toolkit.lexers import SimpleLexer
from prompt_toolkit.validation import Validator
from questionary import Choice, Separator
from questionary.prompts.common import build_validator
from questionary.styles import merge_styles_default
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from journey.cli.asking import STYLE, ask
from journey.routes.model import Checkpoint
from journey.text import clean, plural
from journey.walk import answers
from journey.walk.drive import Action, Back, Give, Quit, Skip
from journey.walk.engine import Place, Walk

HELP, BACK, SKIP, QUIT = (
    "? Help and legal basis",
    "← Back to the previous checkpoint",
    "Skip (optional)",
    "Save and quit",
)
MAP = "Show the route map"
_COMMANDS = {
    "?": HELP,
    ":help": HELP,
    "<": BACK,
    ":back": BACK,
    ":skip": SKIP,
    ":quit": QUIT,
    ":map": MAP,
}
_NAV = {HELP, BACK, SKIP, QUIT, MAP}
CANCEL = "← Back to the review"
MENU_HINT = "(↑ ↓ and Enter; or type ? < :skip :map :quit)"


class TerminalUI:
    """Asks in the terminal. Ctrl-C and Ctrl-D raise `KeyboardInterrupt` for the CLI to handle."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._session: PromptSession[str] | None = None

    def _text(self, message: str, default: str, check: Any, instruction: str | None) -> str:
        """One text prompt, drawn as questionary draws `text`, on one prompt_toolkit session
        kept for the whole walk (made at the first question, inside the terminal session the
        walk runs in): a new session per question rebuilt its key bindings and layout each time.
        No history: the up arrow does not bring back another checkpoint's answer."""
        if self._session is None:
            self._session = PromptSession(
                style=merge_styles_default([STYLE]),
                lexer=SimpleLexer("class:answer"),
                history=DummyHistory(),
            )
        tokens = FormattedText([("class:qmark", "?"), ("class:question", f" {message} ")])
        if instruction:
            tokens.append(("class:instruction", f" {instruction} "))
        validator: Validator | None = build_validator(check)
        try:
            return self._session.prompt(tokens, default=default, validator=validator)
        except EOFError:
            raise KeyboardInterrupt from None

    def step(self, walk: Walk, place: Place) -> None:
        done, total = walk.progress()
        stages = len(walk.route.stages)
        head = Text.assemble(
            (f"Stage {place.stage_no} of {stages}: ", "bold"),
            clean(place.stage.title),
            ("\nStation: ", "bold"),
            clean(place.step.title),
            ("\nProgress: ", "bold"),
            f"{done} of {plural(total, 'checkpoint')} on your path done",
        )
        parts: list[Any] = [head]
        if place.step.guidance.strip():
            from rich.markdown import Markdown  # 26 ms of imports, not needed by the first prompt

            parts += [Text(""), Markdown(clean(place.step.guidance))]
        self.console.print()
        self.console.print(
            Panel(Group(*parts), title=Text(clean(walk.route.title)), title_align="left")
        )
        links = [(link.title, link.url) for link in (*place.step.links, *place.step.templates)]
        print_links(self.console, links)
        self.console.print(
            Text(
                "Every prompt: ? help · < back · :skip (optional ones) · :map · :quit to save and stop",
                style="dim",
            )
        )

    def ask(self, walk: Walk, cp: Checkpoint, current: Any) -> Action:
        while True:
            active = walk.applicable()
            position = active.index(cp.id) + 1 if cp.id in active else 0
            need = "mandatory" if cp.required else "optional"
            self.console.print(
                Text(f"\n[{position}/{len(active)}] {need} · {cp.kind} · {cp.id}", style="dim")
            )
            picked = self._widget(cp, current)
            if cp.kind == "date" and picked not in _NAV:
                self.console.print(_date_echo(cp, picked))
            if picked == MAP:
                from journey.cli.tubemap import tube_map

                self.console.print(tube_map(walk.route, current=walk.places[cp.id].step.id))
                continue
            if picked == HELP:
                _help(self.console, cp, walk)
                continue
            if picked == BACK:
                return Back()
            if picked == SKIP:
                return Skip()
            if picked == QUIT:
                return Quit()
            return Give(picked)

    def _widget(self, cp: Checkpoint, current: Any) -> Any:
        message = clean(cp.prompt)
        nav: list[Any] = [Separator(), HELP, BACK, *([] if cp.required else [SKIP]), MAP, QUIT]
        keys = _nav_keys(cp)
        if cp.kind == "confirm":
            default = None if current is None else ("Yes" if current else "No")
            picked = menu(message, ["Yes", "No", *nav], keys, default=default)
            return picked if picked in _NAV else picked == "Yes"
        if cp.kind == "choice":
            options = [Choice(clean(c), value=c) for c in cp.choices]
            default = current if current in cp.choices else None
            return menu(message, [*options, *nav], keys, default=default)
        if cp.kind == "multi-choice":
            return self._multi(cp, message, current)
        return self._typed(cp, message, current)

    def _multi(self, cp: Checkpoint, message: str, current: Any) -> Any:
        chosen = set(current or [])
        options: list[Any] = [Choice(clean(c), value=c, checked=c in chosen) for c in cp.choices]
        nav = [
            Separator("── or one of ──"),
            *(
                Choice(n, value=n)
                for n in (HELP, BACK, *([] if cp.required else [SKIP]), MAP, QUIT)
            ),
        ]

        def check(picked: list[str]) -> bool | str:
            actions = [p for p in picked if p in _NAV]
            if actions and len(picked) > 1:
                return "Tick either options or one action, not both"
            if not picked and cp.required:
                return "Tick at least one option (space to tick, enter to confirm)"
            return True

        question = questionary.checkbox(
            message,
            choices=[*options, *nav],
            validate=check,
            style=STYLE,
            use_jk_keys=False,
            instruction="(space ticks, Enter confirms; or type ? < :skip :map :quit)",
        )
        keys = {k: [v] for k, v in _nav_keys(cp).items()}
        picked = ask(with_keys(question, keys, ignore="ai"))  # not questionary's tick all/invert
        return picked[0] if picked and picked[0] in _NAV else picked

    def _typed(self, cp: Checkpoint, message: str, current: Any) -> Any:
        hint = {
            "date": "e.g. 31/03/2027 or 31 March 2027",
            "money": "£, e.g. 120,000.50",
            "number": "a number",
            "evidence": "a file path or web address",
            "text": "",
            "sign-off": f"your name (signing as {cp.role})" if cp.role else "name, role",
        }[cp.kind]
        default = ""
        if current is not None:
            default = (
                current["name"] if cp.kind == "sign-off" and cp.role else answers.show(current)
            )
            if cp.kind == "sign-off" and not cp.role:
                default = f"{current['name']}, {current['role']}"

        def check(text: str) -> bool | str:
            if text.strip() in _COMMANDS:
                return True
            try:
                answers.parse(cp, _typed_value(cp, text))
            except answers.BadAnswer as exc:
                return str(exc)
            return True

        text = self._text(message, default, check, f"({hint})" if hint else None)
        if text.strip() in _COMMANDS:
            return _COMMANDS[text.strip()]
        return _typed_value(cp, text)

    def reason(self, question: str) -> str:
        answer = self._text(question, "", _valid_reason, None)
        return answer.strip()

    def problem(self, message: str) -> None:
        self.console.print(Text(clean(message), style="bold red"))

    def review(self, walk: Walk) -> str | Quit | None:
        self.console.print()
        self.console.print(review_table(walk))
        while True:
            picked = menu(
                "All checkpoints on your path are done. Review the answers above.",
                [
                    Choice("Finish: mark the record complete", value="finish"),
                    Choice("Change an answer…", value="change"),
                    Choice(QUIT, value="quit"),
                ],
                {":quit": "quit"},
            )
            if picked == "quit":
                return Quit()
            if picked == "finish":
                return None
            target = self._which_answer(walk)
            if target != CANCEL:
                return target

    def _which_answer(self, walk: Walk) -> str:
        """The checkpoint to change, or CANCEL (the last entry, Escape or <) for the review."""
        answered = [c for c in walk.applicable() if walk.done(c)]
        options: list[Any] = [
            Choice(
                f"{clean(walk.places[c].checkpoint.prompt)[:60]} = {_shown(walk, c)[:30]}", value=c
            )
            for c in answered
        ]
        back = {"escape": CANCEL, "<": CANCEL, ":back": CANCEL}
        picked: str = menu(
            "Which answer? (Escape or < goes back to the review)",
            [*options, Separator(), Choice(CANCEL, value=CANCEL)],
            back,
        )
        return picked


def review_table(walk: Walk) -> Table:
    """All answers by stage: what the buyer checks before finishing."""
    table = Table(title="Review", show_lines=False, header_style="bold", expand=False)
    table.add_column("stage")
    table.add_column("checkpoint")
    table.add_column("answer")
    for cid in walk.applicable():
        place = walk.places[cid]
        answer = _shown(walk, cid)
        flag = " ⚠" if cid in walk.record.deviations else ""
        table.add_row(
            str(place.stage_no), Text(clean(place.checkpoint.prompt)), Text(clean(answer) + flag)
        )
    return table


def _shown(walk: Walk, cid: str) -> str:
    entry = walk.record.answers.get(cid)
    if entry is not None:
        return answers.show_for(walk.places[cid].checkpoint, entry.value)
    deviation = walk.record.deviations.get(cid)
    return f"skipped: {deviation.reason}" if deviation else "—"


def _valid_reason(text: str) -> bool | str:
    try:
        return bool(answers.reason(text)) or "A reason is needed"
    except answers.BadAnswer as exc:
        return str(exc)


def _typed_value(cp: Checkpoint, text: str) -> Any:
    if cp.kind == "sign-off" and cp.role:
        return {"name": text.strip(), "role": cp.role}
    return text


def _help(console: Console, cp: Checkpoint, walk: Walk) -> None:
    """The checkpoint's help in a panel, its legal basis below it with whole web addresses."""
    sources = {s.id: s for s in walk.route.sources}
    lines: list[Any] = [Text(clean(cp.help.strip()))] if cp.help else []
    basis = [
        ("Basis: " + b.ref, b.url or (sources[b.source].url if b.source in sources else ""))
        for b in cp.basis
    ]
    if cp.notice:  # the statutory notice, named from the notices table
        from journey.routes.notices import load_notices

        if notice := load_notices().get(cp.notice):
            basis.insert(0, ("Notice: " + notice.label, notice.url))
    if not lines:
        lines.append(Text("No help is given for this checkpoint." if not basis else "See below."))
    console.print(Panel(Group(*lines), title="Help", title_align="left"))
    print_links(console, basis)


def print_links(console: Console, links: list[tuple[str, str]]) -> None:
    """Titles and web addresses outside any panel, each address on a line of its own and never
    wrapped by us (the terminal wraps it if it must), so it can be clicked and copied whole."""
    for title, url in links:
        console.print(Text.assemble("• ", clean(title)))
        if url:
            console.print(Text("  " + clean(url), style="underline"), soft_wrap=True)


def _nav_keys(cp: Checkpoint) -> dict[str, str]:
    """What the banner promises, as keys a menu obeys: `?`, `<` and the `:` words."""
    keys = {"?": HELP, "<": BACK, **{k: v for k, v in _COMMANDS.items() if k.startswith(":")}}
    return {k: v for k, v in keys.items() if v != SKIP or not cp.required}


def menu(message: str, choices: list[Any], keys: Mapping[str, Any], default: Any = None) -> Any:
    """A select menu that answers `keys` (typed text -> result) and ignores every other letter:
    questionary's j/k navigation is off, so typing `£240k` into a menu moves nothing."""
    question = questionary.select(
        message,
        choices=choices,
        default=default,
        style=STYLE,
        use_jk_keys=False,
        instruction=MENU_HINT,
    )
    return ask(with_keys(question, keys))


def with_keys(
    question: questionary.Question, keys: Mapping[str, Any], ignore: str = ""
) -> questionary.Question:
    """The question, ending with `keys[typed]` when the user types one of `keys` (`escape` is the
    Escape key; `:map` is the four keys in a row); the letters in `ignore` do nothing."""
    extra = KeyBindings()
    for letter in ignore:
        extra.add(letter, eager=True)(lambda event: None)
    for typed, result in keys.items():
        sequence = ("escape",) if typed == "escape" else tuple(typed)

        def done(event: KeyPressEvent, result: Any = result) -> None:
            event.app.exit(result=result)

        extra.add(*sequence)(done)
    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])
    app.timeoutlen = 3.0  # time to type the rest of `:skip`
    return question


def _date_echo(cp: Checkpoint, typed: Any) -> Text:
    """The date as understood, in words, so that 01/02/2027 cannot pass as the 2nd of January."""
    parsed = answers.parse(cp, typed)
    if parsed is None:  # "none", where the route allows it (no request was received)
        return Text("  → none", style="cyan")
    day = dt.date.fromisoformat(parsed)
    return Text(f"  → {day:%A} {day.day} {day:%B %Y}", style="cyan")
