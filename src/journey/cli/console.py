"""The one rich console: plain on dumb or narrow terminals, no markup, no raw controls.

This is the door to the terminal: a string printed here is never read as Rich markup (a
path such as `a[/b].md` or a record's `[link=file:///etc/passwd]` is shown as typed), and
its control and bidirectional characters are shown as visible escapes (journey.text.clean).
`Text` objects built by callers are cleaned by the caller, with `clean` or `one_line`.
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
    width = os.environ.get("JOURNEY_WIDTH")
    return SafeConsole(
        stderr=stderr,
        markup=False,
        highlight=False,
        emoji=False,
        width=int(width) if width and width.isdigit() else None,
    )
