"""Asking one question in the terminal: the style every prompt shares, and `ask`.

Apart from `journey.cli.prompts` (the walk's front end, with rich panels and the
engine's types) so that `journey start` can ask its first question, the title,
having imported only questionary: the rest is imported while the buyer types.
"""

from __future__ import annotations

from typing import Any

import prompt_toolkit.application.application as _pt_application
import questionary
from prompt_toolkit.key_binding.key_bindings import KeyBindingsBase

STYLE = questionary.Style(
    [("qmark", "fg:ansicyan bold"), ("question", "bold"), ("instruction", "fg:ansibrightblack")]
)


def _share_default_bindings() -> None:
    """Build prompt_toolkit's default key bindings once per process, not once per prompt.

    Every prompt_toolkit `Application` loads its defaults afresh (emacs, vi, mouse: about
    900 bindings, 4 ms), and a questionary menu builds three applications, so the vi
    bindings nobody uses were most of the cost of each menu (cProfile: 1.6 of 2.1 s for 50
    menus). The bindings keep no state of their own (each one's filter asks the running
    application), so one set serves every prompt. If prompt_toolkit moves the name, prompts
    simply build their own as before.
    """
    original = getattr(_pt_application, "load_key_bindings", None)
    if original is None or getattr(original, "journey_shared", False):
        return
    shared: list[KeyBindingsBase] = []

    def load_once() -> KeyBindingsBase:
        if not shared:
            shared.append(original())
        return shared[0]

    load_once.journey_shared = True  # type: ignore[attr-defined]
    setattr(_pt_application, "load_key_bindings", load_once)  # noqa: B010 (mypy: not exported)


_share_default_bindings()


def ask(question: questionary.Question) -> Any:
    """Ask, turning Ctrl-C and Ctrl-D into KeyboardInterrupt (questionary would swallow them)."""
    try:
        answer = question.unsafe_ask()
    except EOFError:
        raise KeyboardInterrupt from None
    if answer is None:
        raise KeyboardInterrupt
    return answer
