"""Rich views of engine results that more than one command shows.

Every field from a record goes through `one_line`: its control characters are shown as
escapes and a newline cannot break the layout.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

from journey.text import one_line as c


def status_view(info: dict[str, Any]) -> RenderableType:
    """A record's status for the terminal."""
    lines: list[RenderableType] = [
        Text(c(info["title"]), style="bold"),
        Text(
            f"{c(info['route'])} version {c(info['route_version'])} · owner {c(info['owner'])}",
            style="dim",
        ),
        Text(
            f"Status: {c(info['status'])} · {info['done']} of {info['total']} checkpoints"
            f" on the active path done ({info['percent']}%)"
        ),
        Text(f"Stage reached: {c(info['stage'])}"),
        Text(
            f"Mandatory answered: {info['required_answered']} · outstanding: {len(info['required_outstanding'])}"
        ),
    ]
    for item in info.get("outstanding") or [
        {"id": i, "question": ""} for i in info["required_outstanding"]
    ]:
        lines.append(_Hanging("  open: ", _named(item["question"], item["id"])))
    for d in info["deviations"]:
        said = _named(d.get("question", ""), d["checkpoint"], style="yellow")
        said.append(f"\n  {c(d['kind'])}: {c(d['reason'])}", style="yellow")
        lines.append(_Hanging("  ⚠ ", said, style="yellow"))
    for d in info["deadlines"]:
        state = d.get("state", "due")  # due, due soon, met, missed or past
        lines.append(Text(f"  {state} {d['date']}: {c(d['label'])} ({c(d['rule'])})"))
    lines.append(Text(f"Last updated {c(info['updated'])}", style="dim"))
    return Group(*lines)


def _named(question: str, cid: str, style: str = "") -> Text:
    """A checkpoint as a person reads it: its question, with its id muted after it (the id
    alone when the route no longer has the checkpoint)."""
    if not question:
        return Text(c(cid), style=style)
    return Text.assemble((c(question), style), (f"  {c(cid)}", "dim"))


class _Hanging:
    """`text` after `lead`, its wrapped lines under its first word rather than at the left
    edge: a long question on a narrow terminal or a projector still reads as one item."""

    def __init__(self, lead: str, text: Text, style: str = "") -> None:
        self.lead, self.text, self.style = lead, text, style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = cell_len(self.lead)
        lines = self.text.wrap(console, max(options.max_width - indent, 20))
        for n, line in enumerate(lines):
            yield Text(self.lead if n == 0 else " " * indent, style=self.style) + line


NOTICE_STYLES = {"published": "green", "overdue": "red bold", "not published": "yellow"}


def notices_view(rows: list[dict[str, Any]]) -> RenderableType:
    """The statutory notices of a record: published (with date), due, overdue, to publish."""
    lines = [Text("Notices:", style="bold")]
    for row in rows:
        when = f" {row['date']}" if row["date"] else ""
        state = f"{row['state']}{when}"
        lines.append(
            Text.assemble(
                (f"  {state:<22}", NOTICE_STYLES.get(row["state"], "")),
                c(row["notice"]),
                (f"  {c(row['checkpoint'])}", "dim"),
            )
        )
    return Group(*lines)
