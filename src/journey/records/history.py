"""`journey verify --history`: every committed version of a record, held against the next.

The digest and the route rules check one version of a record. Git keeps all the
versions a team committed, so this walks them in order and refuses any change
between two that the record does not explain itself: an answer changed or removed
with no history entry, a history entry removed or rewritten, an owner or start time
changed, a version whose digest was broken with no accepted edit recorded later.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journey.errors import InvalidFile, JourneyError, Problem
from journey.records.format import Record, digest_of, lf, read, sealed, split


@dataclass(frozen=True)
class Version:
    """One version of a record: the commit it came from ('' for the working tree), its text."""

    commit: str
    text: str


def check_history(path: Path) -> list[Problem]:
    """Every unexplained change between consecutive versions of the record in git."""
    try:
        versions = _versions(path)
    except JourneyError as exc:
        return [Problem(str(path), None, None, "", f"--history: {exc}")]
    parsed: list[tuple[Version, Record, bool]] = []
    problems: list[Problem] = []
    for v in versions:
        try:
            record = read(v.text, str(path))[0]
        except InvalidFile as exc:
            problems.append(_at(path, v, f"cannot be read: {exc.problems[0].message}"))
            continue
        parsed.append((v, record, sealed(split(v.text, str(path)).block)))
    accepted = {e.replaced for _, r, _ in parsed for e in r.events if e.kind == "accepted-edit"}
    for v, _record, intact in parsed:
        if not intact and digest_of(split(v.text, str(path)).block) not in accepted:
            msg = "was committed with a broken digest, and no later version accepts the edit"
            problems.append(_at(path, v, msg))
    for (_, old, _), (v, new, intact) in zip(parsed, parsed[1:], strict=False):
        if not intact and new.digest in accepted:
            continue  # an edit made outside the tool, accepted with a reason in a later version
        problems += [_at(path, v, msg) for msg in changes(old, new)]
    return problems


def _at(path: Path, v: Version, message: str) -> Problem:
    where = f"commit {v.commit[:10]}" if v.commit else "the working copy"
    return Problem(str(path), None, None, "", f"{where}: {message}")


def changes(old: Record, new: Record) -> list[str]:
    """What changed from `old` to `new` that `new` does not explain."""
    out: list[str] = []
    for key in ("created", "owner", "route"):
        if getattr(old, key) != getattr(new, key):
            out.append(f"the record's {key} changed, which journey never does")
    if new.history[: len(old.history)] != old.history:
        out.append("a history entry was removed or rewritten")
    if new.events[: len(old.events)] != old.events:
        out.append("a history event (an accepted edit or upgrade) was removed or rewritten")
    fresh = new.history[len(old.history) :]
    new_events = new.events[len(old.events) :]
    if any(e.kind == "accepted-edit" for e in new_events):
        return out  # an edit accepted on purpose, visible in the record, explains the rest
    if new.format != old.format and not any(e.kind == "upgraded" for e in new_events):
        out.append(f"format {old.format} became {new.format} with no upgrade in the history")
    moved = old.route_digest != new.route_digest
    for cid, entry in old.answers.items():
        now = new.answers.get(cid)
        if now is not None and _same(now, entry):
            continue
        if moved and cid in new.retired and _same(new.retired[cid], entry):
            continue  # retired when the route dropped the checkpoint
        value = now.value if now is not None else None
        if not any(c.checkpoint == cid and c.new == value for c in fresh):
            what = "changed" if now is not None else "removed"
            out.append(f"the answer to '{cid}' was {what} with no history entry")
    for cid, d in old.deviations.items():
        if new.deviations.get(cid) != d and not any(c.checkpoint == cid for c in fresh):
            out.append(f"the deviation for '{cid}' was changed or removed with no history entry")
    for cid in dict.fromkeys(c.checkpoint for c in fresh):  # each once, in order
        if _kept(old, new, cid):
            out.append(f"a history entry for '{cid}' records a change the record does not show")
    return out


def _same(a: Any, b: Any) -> bool:
    return bool((a.value, a.at, a.by) == (b.value, b.at, b.by))


def _kept(old: Record, new: Record, cid: str) -> bool:
    """True when the checkpoint's answer (or retired answer) and deviation are as they were:
    journey gives every answer it records a new time, so a change it made shows."""
    for table in ("answers", "retired"):
        a, b = getattr(old, table).get(cid), getattr(new, table).get(cid)
        if (a is None) != (b is None) or (a is not None and not _same(a, b)):
            return False
    return old.deviations.get(cid) == new.deviations.get(cid)


def _versions(path: Path) -> list[Version]:
    """The committed versions of `path`, oldest first, then the working copy if it differs."""
    folder = path.resolve().parent
    log = _git(folder, "log", "--follow", "--format=%x00%H", "--name-only", "--", path.name)
    versions: list[Version] = []
    for chunk in reversed(log.split("\0")[1:]):
        commit, _, names = chunk.strip().partition("\n")
        name = names.strip().splitlines()[-1] if names.strip() else ""
        if not name:
            continue
        top = _git(folder, "rev-parse", "--show-toplevel").strip()
        rel = (Path(top) / name).relative_to(top).as_posix()
        try:
            text = _git(folder, "show", f"{commit}:{rel}")
        except JourneyError:
            continue  # deleted in this commit
        versions.append(Version(commit, lf(text)))
    current = lf(path.read_text(encoding="utf-8"))
    if not versions or versions[-1].text != current:
        versions.append(Version("", current))
    return versions


def _git(folder: Path, *args: str) -> str:
    try:
        out = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise JourneyError(f"git could not be run: {exc}") from None
    if out.returncode != 0:
        raise JourneyError(
            out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "git failed"
        )
    return out.stdout
