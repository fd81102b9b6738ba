"""Rich views of engine results that more than one command shows."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from journey.text import clean


def status_view(info: dict[str, Any]) -> RenderableType:
    """A record's status for the terminal."""
    lines = [
        Text(clean(info["title"]), style="bold"),
        Text(
            f"{clean(info['route'])} version {clean(info['route_version'])} · owner {clean(info['owner'])}",
            style="dim",
        ),
        Text(
            f"Status: {info['status']} · {info['done']} of {info['total']} checkpoints"
            f" on the active path done ({info['percent']}%)"
        ),
        Text(f"Stage reached: {clean(info['stage'])}"),
        Text(
            f"Mandatory answered: {info['required_answered']} · outstanding: {len(info['required_outstanding'])}"
        ),
    ]
    for cid in info["required_outstanding"]:
        lines.append(Text(f"  open: {clean(cid)}"))
    for d in info["deviations"]:
        lines.append(
            Text(f"  ⚠ {clean(d['checkpoint'])} {d['kind']}: {clean(d['reason'])}", style="yellow")
        )
    for d in info["deadlines"]:
        lines.append(Text(f"  due {d['date']}: {clean(d['label'])} ({clean(d['rule'])})"))
    lines.append(Text(f"Last updated {info['updated']}", style="dim"))
    return Group(*lines)
