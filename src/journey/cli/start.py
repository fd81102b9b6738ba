"""`journey start` and `journey resume`: set up a walk, run it, and say how it ended.

This is the adapter between the command line and the engine: it picks the
record path, holds the lock, applies answers given in advance, and hands the
rest to the terminal front end, or refuses when there is no terminal.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journey.errors import Interrupted, InvalidFile, JourneyError, Problem, UsageError
from journey.records.atomicfile import WriteFailed, locked, write_atomic
from journey.routes.catalogue import find
from journey.text import clean, field_problem, plural, slug

# The record, the engine and rich are imported where they are used: `start` asks its
# first question (the title) with none of them loaded, and loads them while it is answered.
if TYPE_CHECKING:
    from rich.console import Console

    from journey.records.opening import Opened
    from journey.walk.engine import Clock, Walk


@dataclass(frozen=True)
class Options:
    """How to run a walk: who answers, answers given in advance, and whether to prompt."""

    by: str | None = None
    answers: Path | None = None
    no_input: bool = False
    given: dict[str, Any] | None = None  # carried from the route finder
    finder: dict[str, str] | None = None  # the route finder's inputs, kept in the record
    accept_edits: str | None = None  # the reason to keep a record edited outside the tool


class Missing(JourneyError):
    """Required answers missing in a walk that may not prompt."""


def clock() -> Clock:
    """The clock records use: SOURCE_DATE_EPOCH when set (reproducible runs), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            fixed = dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (ValueError, OverflowError, OSError):
            raise UsageError(EPOCH_PAST) from None
        return lambda: fixed
    from journey.walk.engine import utc_now

    return utc_now


EPOCH_PAST = "SOURCE_DATE_EPOCH is past the year 9999, which no record can hold; unset it"


def who(by: str | None) -> str:
    """The person answering: --by, JOURNEY_USER, git's user.name, or the login name."""
    source = "--by" if by else "JOURNEY_USER"
    name = by or os.environ.get("JOURNEY_USER", "").strip()
    if not name:
        source = "git's user.name"
        try:
            out = subprocess.run(["git", "config", "user.name"], capture_output=True, timeout=2)
            name = out.stdout.decode("utf-8", "replace").strip()  # a Latin-1 gitconfig too
        except (OSError, subprocess.SubprocessError):
            name = ""
    if not name:
        source = "the login name"
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # a uid with no passwd entry (docker run -u 12345)
            name = "unknown"
    if (problem := field_problem(name)) is not None:
        raise UsageError(f"{source} {problem}; or give --by NAME")
    from journey.walk import answers

    try:
        return answers.person(name)  # NFKC, as sign-off names: one person, one spelling
    except answers.BadAnswer as exc:
        raise UsageError(f"{source}: {exc}; or give --by NAME") from None


def default_path(title: str, today: str) -> Path:
    """records/<date>-<slug of the title>.md, relative to the current folder."""
    return Path("records") / f"{today}-{slug(title)}.md"


def start(
    route: str,
    record: Path | None,
    title: str | None,
    reference: str,
    opts: Options,
    console: Callable[[], Console],
) -> None:
    """Begin a new record on a route and walk it (`console` makes the console, once the title
    is known: the first question needs none)."""
    loaded = find(route)
    interactive = _interactive(opts)
    if title is None:
        title = _ask_title(loaded.route.title) if interactive else loaded.route.title
    for option, value in (("--title", title), ("--reference", reference)):
        if (problem := field_problem(value)) is not None:
            raise UsageError(f"{option} {problem}")
    if not title.strip():
        raise UsageError("--title is empty; give the procurement a title")
    tick = clock()
    path = record or default_path(title, tick()[:10])
    if path.exists():
        raise UsageError(
            f"{path} already exists; carry on with `journey resume {path}`, or give another path with --record"
        )
    user = who(opts.by)
    from journey.walk.engine import Walk, new_record

    rec = new_record(loaded, title=title, owner=user, reference=reference, now=tick())
    shown = console()
    with locked(path):
        if path.exists():  # again under the lock: another start may have made it meanwhile
            raise UsageError(f"{path} already exists; it was made while this walk started")
        walk = Walk(loaded, rec, user=user, clock=tick)
        _run(walk, Saver(path, shown, interactive), opts, shown, interactive)


def resume(path: Path, opts: Options, console: Console) -> None:
    """Carry on a record where it stopped, following the route as it is now."""
    from journey.records.format import FORMAT
    from journey.records.opening import open_record, walk_of
    from journey.records.verify import damaged

    interactive = _interactive(opts)
    with locked(path):
        opened = open_record(path)
        damage = damaged(opened)
        walk = walk_of(opened, user=who(opts.by), clock=clock())
        saver = Saver(path, console, interactive)
        walk.on_change = saver
        _keep_or_refuse(walk, opened, damage, opts.accept_edits, console)
        if opened.record.format < FORMAT:
            why = f"format {opened.record.format} record rewritten as format {FORMAT} on resume"
            walk.upgraded(why, opened.record.digest)
        change = walk.follow_route()
        if change is not None:
            console.print(
                f"The route has changed since this record began (version {change.old_version} → {walk.route.version})."
            )
            console.print(f"  added: {', '.join(change.added) or 'none'}")
            console.print(
                f"  removed (answers kept as retired): {', '.join(change.removed) or 'none'}"
            )
        _run(walk, saver, opts, console, interactive)


class Saver:
    """Rewrites the record after every change; if the disk refuses, keeps the answers and asks
    for another place (or, unattended, rescues the record to the temporary folder)."""

    def __init__(self, path: Path, console: Console, interactive: bool) -> None:
        self.path = path
        self.console = console
        self.interactive = interactive
        self.locks = ExitStack()  # the locks of places the record moved to

    def catch_up(self, walk: Walk) -> None:
        """Write the walk if what is on disk is not all of it (no questions asked)."""
        from journey.records.checklist import render

        text = render(walk)
        try:
            on_disk = self.path.read_bytes()
        except OSError:
            on_disk = b""
        if on_disk != text.encode("utf-8"):
            write_atomic(self.path, text)

    def __call__(self, walk: Walk) -> None:
        from rich.text import Text

        from journey.records.checklist import render

        text = render(walk)
        _fits(self.path, text)
        while True:
            try:
                write_atomic(self.path, text)
                return
            except WriteFailed as exc:
                self.console.print(
                    Text(clean(f"{exc}. Your answers are safe in memory."), style="bold red")
                )
                if not self.interactive:
                    raise WriteFailed(f"{exc}; {_rescue(self.path.name, text)}") from None
                self._move()

    def _move(self) -> None:
        """Ask for another place: an existing file that is not this record is refused, as at
        `start`, and the new place is locked for the rest of the walk."""
        from rich.text import Text

        while True:
            new = Path(_ask_path(f"Save the record where instead? (was {self.path})"))
            if _same_file(new, self.path):
                return
            with ExitStack() as attempt:
                try:
                    attempt.enter_context(locked(new))
                except UsageError as exc:
                    self.console.print(Text(clean(str(exc)), style="bold red"))
                    continue
                if not new.exists():
                    self.locks.enter_context(attempt.pop_all())
                    self.path = new
                    return
            self.console.print(
                Text(
                    clean(f"{new} already exists and is not this record; give another path."),
                    style="bold red",
                )
            )

    def final(self, walk: Walk) -> None:
        """Save once more at the end, if there is anything to save."""
        if walk.record.answers or walk.record.deviations or self.path.exists():
            self(walk)
        self.locks.close()


class TooLarge(JourneyError):
    """An answer that would make a record too large to read back: refused, never written."""


def _fits(path: Path, text: str) -> None:
    """What journey writes, it can read: a record over the reader's limit is not written."""
    from journey.records.opening import MAX_RECORD_BYTES

    size = len(text.encode("utf-8"))
    if size > MAX_RECORD_BYTES:
        limit = MAX_RECORD_BYTES // (1024 * 1024)
        raise TooLarge(
            f"cannot save {path}: with the last answer it would be {size:,} bytes, over the "
            f"{limit} MB journey reads back; shorten that answer (the record keeps the rest)"
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _rescue(name: str, text: str) -> str:
    """Save a record that cannot be written where it belongs to a new folder in the
    temporary folder (never over an earlier rescue), and say where, or that it failed."""
    try:
        folder = Path(tempfile.mkdtemp(prefix="journey-rescued-"))
    except OSError as exc:
        return f"it could not be rescued either ({exc.strerror or exc})"
    try:
        write_atomic(folder / name, text)
    except WriteFailed as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return f"it could not be rescued either ({exc})"
    return f"the record was saved instead to {folder / name}"


def _ask_path(question: str) -> str:
    import questionary

    from journey.cli.asking import STYLE, ask

    answer: str = ask(
        questionary.path(
            question, style=STYLE, validate=lambda t: bool(t.strip()) or "A path is needed"
        )
    )
    return answer.strip()


def _interactive(opts: Options) -> bool:
    return not opts.no_input and sys.stdin.isatty()


def _ask_title(default: str) -> str:
    import questionary

    from journey.cli.asking import STYLE, ask

    title: str = ask(
        questionary.text(
            "Title of this procurement",
            default=default,
            style=STYLE,
            validate=lambda t: bool(t.strip()) or "A title is needed",
        )
    )
    return title.strip()


def _keep_or_refuse(
    walk: Walk, opened: Opened, damage: list[Problem], accept: str | None, console: Console
) -> None:
    """A record that fails its checks is never carried on silently: refused, or kept on
    purpose with `--accept-edits REASON`, which the history then shows like a deviation."""
    from rich.text import Text

    from journey.records.verify import hand_edit

    if not damage:
        if accept is not None:
            raise UsageError("--accept-edits: this record has no edits to accept; it verifies")
        return
    unaccepted = [p for p in damage if not hand_edit(p)]
    if accept is None or unaccepted:
        hint = (
            "the record breaks its route's rules; put the data back as the tool wrote it "
            "(git shows the last good version)"
            if unaccepted
            else "if the edit is meant, keep it with: "
            f'journey resume {opened.path} --accept-edits "REASON"'
        )
        raise Damaged(unaccepted or damage, hint)
    walk.accept_edits(accept, opened.record.digest or "(none)")
    console.print(Text(clean(f"Edits accepted: {accept} (kept in the record's history).")))


class Damaged(InvalidFile):
    """A record that fails its checks, refused by `resume` (exit 1) with what to do."""

    def __init__(self, problems: list[Problem], hint: str) -> None:
        super().__init__(problems)
        self.args = (f"{self}\n{hint}",)

    def __str__(self) -> str:
        return str(self.args[0])


def _run(walk: Walk, saver: Saver, opts: Options, console: Console, interactive: bool) -> None:
    from journey.walk.drive import drive
    from journey.walk.given import Given, apply_given, givens, read_answers

    if interactive:
        _say_where(walk, saver.path, console)
    given: dict[str, Given] = givens(opts.given or {}, via="route-finder")
    if opts.finder is not None and given:
        walk.record.finder = dict(opts.finder)
    if opts.answers is not None:
        given |= read_answers(opts.answers, walk)
    walk.on_change = saver
    for note in apply_given(walk, given):
        print(clean(f"journey: {note}"), file=sys.stderr)
    if not interactive:
        _unattended(walk, saver, opts, console)
        return
    from journey.cli.prompts import TerminalUI

    with _interrupts(saver, walk):
        finished = drive(walk, TerminalUI(console))
    saver.final(walk)
    path = saver.path
    if finished:
        console.print(
            f"\nComplete. The record is {path}; check it any time with `journey verify {path}`."
        )
    else:
        console.print(f"\nSaved to {path}. Carry on with: journey resume {path}")


def _say_where(walk: Walk, path: Path, console: Console) -> None:
    """Before the first answer: which record this walk writes, and a warning when the clock is
    fixed by SOURCE_DATE_EPOCH (meant for tests and builds), so a real record is not back-dated
    unnoticed."""
    from rich.text import Text

    console.print(Text.assemble(("Record: ", "bold"), clean(f"{path} ({walk.record.title})")))
    console.print(Text("Every answer is saved there as you go.", style="dim"))
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        console.print(
            Text(
                f"Note: SOURCE_DATE_EPOCH is set, so this record is dated {walk.clock()}, not "
                "now. It is meant for tests and reproducible builds: unset it for a real "
                "procurement.",
                style="bold yellow",
            )
        )


def _unattended(walk: Walk, saver: Saver, opts: Options, console: Console) -> None:
    missing = walk.missing()
    if not missing:
        walk.finish()
        saver.final(walk)
        console.print(f"Complete. The record is {saver.path}.")
        return
    saver.final(walk)
    kept = (
        f"the answers given are saved in {saver.path}"
        if saver.path.exists()
        else "nothing was saved"
    )
    ids = "\n".join(f"  {c.id}: {c.prompt}" for c in missing)
    count = plural(len(missing), "mandatory answer")
    if not opts.no_input:
        raise UsageError(
            f"no terminal on standard input, and {count} missing ({kept}). "
            f"Give them with --answers FILE, or run in a terminal.\nMissing:\n{ids}"
        )
    raise Missing(f"{count} missing; {kept}:\n{ids}")


@contextmanager
def _interrupts(saver: Saver, walk: Walk) -> Iterator[None]:
    try:
        yield
    except KeyboardInterrupt:
        path = saver.path
        if walk.record.answers or walk.record.deviations:
            try:  # Ctrl-C may have landed in the middle of a save: finish it first
                saver.catch_up(walk)
            except (WriteFailed, KeyboardInterrupt) as exc:
                why = f" ({exc})" if str(exc) else ""
                raise Interrupted(
                    f"interrupted while saving; the last answer is not saved{why}. "
                    f"{path} holds the answers before it.\nCarry on with: journey resume {path}"
                ) from None
            raise Interrupted(
                f"interrupted; every answer given is saved in {path}.\nCarry on with: journey resume {path}"
            ) from None
        raise Interrupted("interrupted before the first answer; nothing was saved") from None
