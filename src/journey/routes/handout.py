"""A route as plain text for handouts and slides: Markdown and Mermaid.

No terminal here: the output is text a trainer pastes into a document, so
route text is cleaned of control characters and escaped for each format.
"""

from __future__ import annotations

from collections.abc import Mapping

from journey.routes.model import Basis, Checkpoint, Condition, Route, Source
from journey.text import clean
from journey.text import md as _md


def markdown(route: Route, *, notes: bool = False) -> str:
    """A handout: stages, stations, checkpoints with their basis, and the sources.

    With `notes`, the authors' notes too (for reviewers): a buyer's handout never has them.
    """
    out = [f"# {_md(route.title)}", ""]
    out += [
        f"*{_md(route.jurisdiction)} · version {_md(route.version)} · route id `{route.id}`*",
        "",
    ]
    out += [_md(route.summary).strip(), ""]
    out += _note(route.notes, notes)
    for n, stage in enumerate(route.stages, 1):
        out += [f"## Stage {n}. {_md(stage.title)}", ""]
        if stage.summary:
            out += [_md(stage.summary).strip(), ""]
        out += _note(stage.notes, notes)
        for step in stage.steps:
            out += [f"### {_md(step.title)}", ""]
            out += _note(step.notes, notes)
            if step.guidance:
                out += [clean(step.guidance).strip(), ""]
            for link in (*step.links, *step.templates):
                out.append(f"- [{_md(link.title)}]({_url(link.url)})")
            if step.links or step.templates:
                out.append("")
            for cp in step.checkpoints:
                out.append(_checkpoint_line(cp))
                if notes and cp.notes:
                    out.append(f"  > **Author note ({cp.id}):** {_md(' '.join(cp.notes.split()))}")
            if step.checkpoints:
                out.append("")
    if route.sources:
        out += ["## Sources", ""]
        out += [_source_line(s, notes) for s in route.sources]
        out.append("")
    return "\n".join(out)


def _note(text: str, shown: bool) -> list[str]:
    """An author note as a Markdown quote, only when notes are asked for."""
    if not shown or not text:
        return []
    return [f"> **Author note:** {_md(' '.join(text.split()))}", ""]


def _source_line(s: Source, notes: bool) -> str:
    line = f"- **{_md(s.id)}** [{_md(s.title)}]({_url(s.url)})"
    if s.checked:
        line += f" (checked {_md(s.checked)})"
    return line


def _checkpoint_line(cp: Checkpoint) -> str:
    gate = "**mandatory**" if cp.required else "optional"
    line = f"- [ ] {_md(cp.prompt)} `{cp.id}` ({gate}, {cp.kind})"
    if cp.when is not None:
        line += f" — only if {_md(describe_condition(cp.when))}"
    if cp.basis:
        line += "<br>Basis: " + "; ".join(_basis(b) for b in cp.basis)
    return line


def _basis(b: Basis) -> str:
    return f"[{_md(b.ref)}]({_url(b.url)})" if b.url else _md(b.ref)


def describe_condition(cond: Condition, names: Mapping[str, str] | None = None) -> str:
    """A condition in words, e.g. `estimated-value is at least 4000000`; with `names` (id ->
    question), as a person reads it: `"Is it business critical?" is yes`."""
    if cond.all is not None:
        return " and ".join(_group(c, names) for c in cond.all)
    if cond.any is not None:
        return " or ".join(_group(c, names) for c in cond.any)
    if cond.not_ is not None:
        return f"not ({describe_condition(cond.not_, names)})"
    question = (names or {}).get(cond.answer or "")
    subject = f'"{question}"' if question else cond.answer
    if cond.equals is not None:
        value = cond.equals
        if isinstance(value, bool):
            value = ("yes" if value else "no") if names else str(value).lower()
        return f"{subject} is {value}"
    if cond.one_of is not None:
        return f"{subject} is one of {', '.join(cond.one_of)}"
    if cond.at_least is not None:
        return f"{subject} is at least {_num(cond.at_least)}"
    if cond.below is not None:
        return f"{subject} is below {_num(cond.below)}"
    return f"{subject} is answered" if cond.answered else f"{subject} is not answered"


def _num(x: float) -> str:
    """4000000.0 -> 4,000,000; 2.5 -> 2.5."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


def _group(cond: Condition, names: Mapping[str, str] | None = None) -> str:
    text = describe_condition(cond, names)
    return f"({text})" if cond.all is not None or cond.any is not None else text


def mermaid(route: Route) -> str:
    """A flowchart: one subgraph per stage, one node per station, in walk order."""
    out = ["```mermaid", "flowchart TD"]
    previous = None
    for n, stage in enumerate(route.stages, 1):
        out.append(f'  subgraph S{n}["{_mm(f"{n}. {stage.title}")}"]')
        out.append("    direction LR")
        for step in stage.steps:
            node = _node_id(step.id)
            gates = sum(1 for c in step.checkpoints if c.required)
            label = step.title + (f"<br/>{gates} mandatory" if gates else "")
            out.append(f'    {node}["{_mm(label)}"]')
        out.append("  end")
        for step in stage.steps:
            node = _node_id(step.id)
            if previous is not None:
                out.append(f"  {previous} --> {node}")
            previous = node
    out.append("```")
    return "\n".join(out) + "\n"


def _node_id(step_id: str) -> str:
    return "n_" + step_id.replace("-", "_")


def _url(url: str) -> str:
    return clean(url).replace(" ", "%20").replace(")", "%29").replace("(", "%28")


def _mm(text: str) -> str:
    """Mermaid labels: entity-encode what would end the label or open HTML."""
    text = clean(text).replace("\n", " ")
    for char, entity in (("&", "#amp;"), ('"', "#quot;"), ("<br/>", "\0")):
        text = text.replace(char, entity)
    return text.replace("<", "#lt;").replace(">", "#gt;").replace("\0", "<br/>")
