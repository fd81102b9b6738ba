"""A route as a tube map in the terminal: stages are lines, steps are stations.

Every text from a route goes into rich `Text` objects, never into markup, so a
route cannot restyle what it shows; control characters are made visible.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from journey.routes.model import Route, Step
from journey.text import clean

LINE_COLOURS = ("red", "blue", "green", "magenta", "yellow", "cyan", "bright_red", "bright_blue")


def tube_map(route: Route, current: str | None = None) -> RenderableType:
    """The whole route; the station whose step id is `current` is highlighted."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_column(no_wrap=True, justify="right")
    for n, stage in enumerate(route.stages, 1):
        colour = LINE_COLOURS[(n - 1) % len(LINE_COLOURS)]
        if n > 1:
            grid.add_row(Text("  ┃", style="dim"), "", "")
        grid.add_row(
            Text(f" {n} ", style=f"bold reverse {colour}"),
            Text(clean(stage.title), style="bold"),
            "",
        )
        for step in stage.steps:
            here = step.id == current
            dot = Text("  ◉" if here else "  ●", style=f"bold {colour}")
            name = Text(clean(step.title), style="bold reverse" if here else "")
            grid.add_row(dot, name, _counts(step))
            if here:  # a row of its own, so it never runs into the counts
                grid.add_row(Text("  ┃", style="dim"), Text("▲ you are here", style="bold"), "")
    legend = Text("◆ mandatory checkpoints   ◇ optional   ? conditional", style="dim")
    return Group(_header(route), Text(""), grid, Text(""), legend)


def _counts(step: Step) -> Text:
    gates = sum(1 for c in step.checkpoints if c.required)
    optional = len(step.checkpoints) - gates
    conditional = sum(1 for c in step.checkpoints if c.when is not None)
    if not step.checkpoints:
        return Text("guidance only", style="dim")
    parts = [(f"{gates} ◆", "bold")] if gates else []
    parts += [(f"{optional} ◇", "")] if optional else []
    parts += [(f"{conditional} ?", "dim")] if conditional else []
    out = Text()
    for i, (text, style) in enumerate(parts):
        out.append(("  " if i else "") + text, style=style)
    return out


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
