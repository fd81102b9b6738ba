"""The one rich console: plain on dumb or narrow terminals, no markup guessing."""

from __future__ import annotations

import os

from rich.console import Console


def console(stderr: bool = False) -> Console:
    """A console that never highlights or interprets text on its own."""
    width = os.environ.get("JOURNEY_WIDTH")
    return Console(
        stderr=stderr,
        highlight=False,
        emoji=False,
        width=int(width) if width and width.isdigit() else None,
    )
