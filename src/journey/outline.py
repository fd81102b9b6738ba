"""A route as a tube map in the terminal: stages are lines, steps are stations.

Every text from a route goes into rich `Text` objects, never into markup, so a
route cannot restyle what it shows; control characters are made visible.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from journey.model import Route, Step
from journey.text import clean

LINE_COLOURS = ("red", "blue", "green", "magenta", "yellow", "cyan", "bright_red", "bright_blue")


def tube_map(route: Route, current: str | None = None) -> RenderableType:
    """The whole route; the station whose step id is `current` is highlighted."""
    parts: list[RenderableType] = [_header(route)]
    for n, stage in enumerate(route.stages, 1):
        colour = LINE_COLOURS[(n - 1) % len(LINE_COLOURS)]
        title = Text.assemble(
            (f" {n} ", f"bold reverse {colour}"), " ", (clean(stage.title), "bold")
        )
        parts.append(Text(""))
        parts.append(title)
        for i, step in enumerate(stage.steps):
            last = i == len(stage.steps) - 1
            parts.append(_station(step, colour, step.id == current, last))
    parts.append(Text(""))
    parts.append(Text("● station   ◆ mandatory checkpoints   ◇ optional", style="dim"))
    return Group(*parts)


def _header(route: Route) -> RenderableType:
    total = len(route.checkpoints())
    gates = sum(1 for c in route.checkpoints() if c.required)
    lines = [
        Text(clean(route.title), style="bold"),
        Text(
            f"{clean(route.id)} · version {clean(route.version)} · {clean(route.jurisdiction)}",
            style="dim",
        ),
        Text(f"{len(route.stages)} stages · {total} checkpoints · {gates} mandatory", style="dim"),
    ]
    if route.summary:
        lines.append(Text(clean(route.summary.strip())))
    return Group(*lines)


def _station(step: Step, colour: str, current: bool, last: bool) -> Text:
    gates = sum(1 for c in step.checkpoints if c.required)
    optional = len(step.checkpoints) - gates
    marks = "◆" * min(gates, 5) + ("+" if gates > 5 else "") + "◇" * min(optional, 3)
    dot = "◉" if current else "●"
    line = Text.assemble(
        ("  ┃\n", colour),
        (f"  {dot} ", f"bold {colour}"),
        (clean(step.title), "bold reverse" if current else ""),
    )
    counts = f"  {marks} {len(step.checkpoints)} checkpoint{'s' * (len(step.checkpoints) != 1)}"
    line.append(counts if step.checkpoints else "  guidance only", style="dim")
    if current:
        line.append("  ← you are here", style="bold")
    if last:
        line.append("\n  ┃", style=colour)
    return line
