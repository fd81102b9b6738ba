"""The one rich console: plain on dumb or narrow terminals, no markup, no raw controls.

This is the door to the terminal: a string printed here is never read as Rich markup (a
path such as `a[/b].md` or a record's `[link=file:///etc/passwd]` is shown as typed), and
its control and bidirectional characters are shown as visible escapes (journey.text.clean).
`Text` objects built by callers are cleaned by the caller, with `clean` or `one_line`. Rich
reads a Panel's or Table's *title* given as a str as markup, past this door: give it a `Text`.
"""

from __future__ import annotations

import os
from typing import Any

from rich.console import Console
from rich.text import Text

from journey.text import clean


class SafeConsole(Console):
    """A console whose strings are data: cleaned, and never read as markup."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """Every string printed becomes plain text with visible escapes."""
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(clean(text), **kwargs)


def console(stderr: bool = False) -> Console:
    """A console that never highlights or interprets text on its own."""
    width = chosen_width()
    lines = os.environ.get("LINES", "")
    height = int(lines) if lines.isdigit() and int(lines) > 0 else 25
    return SafeConsole(
        stderr=stderr,
        markup=False,
        highlight=False,
        emoji=False,
        width=width,
        height=height if width else None,  # rich ignores a width without one on a dumb terminal
    )


def chosen_width() -> int | None:
    """JOURNEY_WIDTH, else COLUMNS on a dumb terminal (rich would say 80 there), else rich's own
    reading of the terminal."""
    for name in ("JOURNEY_WIDTH", *(["COLUMNS"] if os.environ.get("TERM") == "dumb" else [])):
        value = os.environ.get(name, "")
        if value.isdigit() and int(value) > 0:
            return int(value)
    return None


def print_table(con: Console, table: Any) -> None:
    """A table at the terminal's width; piped, at the width its cells need."""
    from rich.measure import Measurement

    if piped(con):
        con.width = max(
            Measurement.get(con, con.options.update(max_width=10_000), table).maximum, con.width
        )
    con.print(table)


def piped(con: Console) -> bool:
    """Output to a file or a pipe with no width asked for (JOURNEY_WIDTH, or COLUMNS on a dumb
    terminal): tables there use the
    width their cells need, so a file or a CI log gets whole titles, not `Procurem…`."""
    return not con.is_terminal and chosen_width() is None
