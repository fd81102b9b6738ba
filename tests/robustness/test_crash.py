"""Crashes and failed writes: a record on disk is always a whole version, and no answer is lost.

A walk on a route of 2,000 checkpoints, saving after every answer through the real
atomic saver on a slowed-down disk, is killed with SIGKILL at seeded random moments,
most of them in the middle of a write: each time the record must read, verify, and
hold every answer acknowledged before the kill (and at most the one being saved).
Writes that fail (no such folder, a full disk) keep the answers, say so, and rescue
the record; lock and temporary files never overwrite or follow anything.
"""

from __future__ import annotations

import errno
import fcntl
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import journey.cli.start
import journey.records.atomicfile
import journey.records.opening
from conftest import BASE, WALK, Run, ticking
from journey.records.atomicfile import WriteFailed, lock_path, locked, write_atomic
from journey.records.checklist import render
from journey.records.format import read
from journey.records.verify import verify
from journey.routes.loader import load_route
from journey.walk.drive import apply_given
from journey.walk.engine import Walk, new_record

CHECKPOINTS = 2000
PRE_ANSWERED = 300
TRIALS = 30


pytestmark = pytest.mark.usefixtures("walk_route")


def use_routes(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("JOURNEY_PATH", str(folder))
    journey.records.opening._routes.cache_clear()


def answers_file(entries: dict[str, Any], path: Path = Path("answers.yaml")) -> Path:
    path.write_text("".join(f"{json.dumps(k)}: {json.dumps(v)}\n" for k, v in entries.items()))
    return path


def sound(path: Path) -> Any:
    """The record at `path`, which must read and verify."""
    assert verify(path) == [], verify(path)
    return read(path.read_text(encoding="utf-8"), str(path))[0]


def others(folder: Path, keep: set[str]) -> dict[str, bytes]:
    """Every file in a folder but those in `keep`, with its bytes (symlinks as their target)."""
    out = {}
    for p in sorted(folder.iterdir()):
        if p.name not in keep:
            out[p.name] = str(p.readlink()).encode() if p.is_symlink() else p.read_bytes()
    return out


# -- SIGKILL during record writes ------------------------------------------------------------

# The walk, in a child process: the real Saver, on a disk slowed down so that a kill can
# land in the middle of a write. It prints "writing" as each write begins and "saved N"
# once N answers are safely on disk.
CHILD = """
import os, random, sys, time
from pathlib import Path
from rich.console import Console
import journey.records.atomicfile as store
from journey.routes.loader import load_route
from journey.walk.engine import Walk, new_record
from journey.cli.start import Saver

route, record, seed, pre = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
real = os


class SlowFile:
    def __init__(self, fh):
        self.fh = fh

    def write(self, data):
        for i in range(0, len(data), 16384):
            self.fh.write(data[i : i + 16384])
            self.fh.flush()
            time.sleep(rng.uniform(0, 0.001))
        return len(data)

    def __getattr__(self, name):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.fh.__exit__(*exc)


class SlowOS:
    def __getattr__(self, name):
        return getattr(real, name)

    def fdopen(self, fd, mode="r"):
        print("writing", flush=True)
        return SlowFile(real.fdopen(fd, mode))

    def fsync(self, fd):
        time.sleep(rng.uniform(0, 0.004))
        real.fsync(fd)


store.os = SlowOS()
loaded = load_route(route)
ids = [c.id for c in loaded.route.checkpoints()]
clock = iter(range(10**9))
walk = Walk(
    loaded,
    new_record(loaded, title="Crash", owner="Ann", reference="", now="2026-11-23T09:00:00Z"),
    user="Ann",
    clock=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1795424400 + next(clock))),
)
for i in range(pre):
    walk.answer(ids[i], f"answer {i}")
with store.locked(record):
    saver = Saver(record, Console(file=open(os.devnull, "w")), interactive=False)
    saver(walk)
    print("saved", pre, flush=True)
    walk.on_change = saver
    for i in range(pre, len(ids)):
        walk.answer(ids[i], f"answer {i}")
        print("saved", i + 1, flush=True)
"""


@pytest.fixture(scope="module")
def big_route(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid route of 2,000 text checkpoints: 20 stages of 10 steps of 10."""
    folder = tmp_path_factory.mktemp("big-route")
    lines = [
        "id: big",
        "title: Big",
        'version: "1"',
        "jurisdiction: Test",
        "summary: Many.",
        "stages:",
    ]
    n = 0
    for s in range(20):
        lines += [f"  - id: s{s}", f"    title: Stage {s}", "    steps:"]
        for t in range(10):
            lines += [f"      - id: s{s}-t{t}", f"        title: Step {t}", "        checkpoints:"]
            for _ in range(10):
                lines += [f"          - id: c{n}", f"            prompt: Checkpoint {n}?"]
                lines += ["            kind: text"]
                n += 1
    path = folder / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(load_route(path).route.checkpoints()) == CHECKPOINTS
    return path


def _kill_one(route: Path, folder: Path, rng: random.Random) -> tuple[int, int, bool]:
    """Run the walk, kill it during its k-th write after the first save; (pid, acked, mid-write)."""
    record = folder / "rec.md"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(route),
            str(record),
            str(rng.randrange(10**6)),
            str(PRE_ANSWERED),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    try:
        acked = -1
        writes = 0
        target = rng.randint(1, 3)
        for line in child.stdout:
            if line.startswith("saved"):
                acked = int(line.split()[1])
            elif line.startswith("writing") and acked >= PRE_ANSWERED:
                writes += 1
                if writes == target:
                    break
        time.sleep(rng.uniform(0, 0.012))
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
    for line in rest.splitlines():
        if line.startswith("saved"):
            acked = int(line.split()[1])
    mid_write = any(folder.glob(".rec.md.*.tmp"))
    return child.pid, acked, mid_write


def test_sigkill_during_writes_leaves_a_whole_record_with_every_acknowledged_answer(
    big_route: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_routes(monkeypatch, big_route.parent)
    rng = random.Random(20261123)
    started = time.monotonic()
    mid_writes = 0
    for trial in range(TRIALS):
        folder = tmp_path / f"trial-{trial}"
        folder.mkdir()
        pid, acked, mid_write = _kill_one(big_route, folder, rng)
        mid_writes += mid_write
        record = folder / "rec.md"
        rec = sound(record)
        kept = len(rec.answers)
        assert acked <= kept <= acked + 1, (trial, acked, kept)  # at most the one being saved
        assert all(rec.answers[f"c{i}"].value == f"answer {i}" for i in range(kept)), trial
        leftovers = {p.name for p in folder.iterdir()} - {"rec.md"}
        temps = {n for n in leftovers if n.startswith(".rec.md.") and n.endswith(".tmp")}
        assert len(temps) <= 1 and leftovers - temps <= {".rec.md.lock"}, (trial, leftovers)
        assert not any(name.endswith(".md") for name in leftovers)
        with locked(record):  # the dead walk's lock does not hold a new walk back
            pass
    print(f"{mid_writes} of {TRIALS} kills landed inside a write")
    assert mid_writes >= 3, f"only {mid_writes} of {TRIALS} kills landed inside a write"
    assert time.monotonic() - started < 120


# -- writes that fail -------------------------------------------------------------------------


def test_a_record_under_a_file_is_refused_before_any_answer_is_taken(run: Run) -> None:
    Path("afile").write_text("not a folder\n")
    answers_file(BASE)
    code, out, err = run(
        "start", "walk-test", "--record", "afile/rec.md", "--title", "T", "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip
    assert code == 2
    assert err.startswith("journey: cannot lock afile/rec.md: ")
    assert Path("afile").read_text() == "not a folder\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_record_in_a_read_only_folder_is_refused_before_any_answer_is_taken(run: Run) -> None:
    Path("ro").mkdir()
    Path("ro").chmod(0o555)
    answers_file(BASE)
    try:
        code, out, err = run(
            "start", "walk-test", "--record", "ro/rec.md", "--title", "T", "--no-input",
            "--answers", "answers.yaml",
        )  # fmt: skip
    finally:
        Path("ro").chmod(0o755)
    assert code == 2 and err.startswith("journey: cannot lock ro/rec.md: ")
    assert list(Path("ro").iterdir()) == []


class FullDisk:
    """`os` for journey.records.atomicfile, on a disk where every folder in `full` has no space left:
    a write there gets half way, then fails with ENOSPC, as a real full disk does."""

    def __init__(self, full: list[Path]) -> None:
        self.full = [p.resolve() for p in full]
        self.paths: dict[int, Path] = {}
        self.refused = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def open(self, path: Any, flags: int, mode: int = 0o777) -> int:
        fd = os.open(path, flags, mode)
        self.paths[fd] = Path(path).resolve()
        return fd

    def fdopen(self, fd: int, mode: str = "r") -> Any:
        where = self.paths.get(fd) or Path(f"/proc/self/fd/{fd}").readlink()  # mkstemp's too
        fh = os.fdopen(fd, mode)
        if any(folder in where.parents for folder in self.full):  # subfolders are full too
            disk = self

            class Half:
                def __enter__(self) -> Any:
                    return self

                def __exit__(self, *exc: Any) -> Any:
                    return fh.__exit__(*exc)

                def write(self, data: bytes) -> int:
                    fh.write(data[: len(data) // 2])
                    fh.flush()
                    disk.refused += 1
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

                def __getattr__(self, name: str) -> Any:
                    return getattr(fh, name)

            return Half()
        return fh


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder a rescued record goes to."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder


def full_disk(monkeypatch: pytest.MonkeyPatch, *folders: Path) -> FullDisk:
    disk = FullDisk(list(folders))
    monkeypatch.setattr(journey.records.atomicfile, "os", disk)
    return disk


def test_a_full_disk_keeps_the_answers_says_so_and_rescues_the_record(
    run: Run, monkeypatch: pytest.MonkeyPatch, temp_folder: Path
) -> None:
    Path("records").mkdir()
    answers_file(dict(BASE, notes={"skip": "Nothing to add"}))
    disk = full_disk(monkeypatch, Path("records"))
    code, out, err = run(
        "start", "walk-test", "--record", "records/rec.md", "--title", "T", "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip
    assert disk.refused >= 1
    rescued = rescued_to(err)
    assert rescued.parent.parent == temp_folder and rescued.name == "rec.md"
    assert code == 1
    said = " ".join(out.split())
    assert (
        "cannot write records/rec.md: No space left on device. Your answers are safe in memory."
        in said
    )
    assert err == (
        "journey: cannot write records/rec.md: No space left on device; "
        f"the record was saved instead to {rescued}\n"
    )
    assert "Traceback" not in out + err
    assert list(Path("records").iterdir()) == []  # no record, no temporary file, no lock
    rec = sound(rescued)
    assert set(rec.answers) == set(BASE) - {"notes"} and rec.deviations["notes"].kind == "skip"


def rescued_to(err: str) -> Path:
    """Where an unattended walk says it rescued the record."""
    found = re.search(r"saved instead to (\S+)\n", err)
    assert found, err
    return Path(found.group(1))


def _in_progress_record(path: Path) -> bytes:
    loaded = load_route(WALK)
    rec = new_record(loaded, title="T", owner="Ann", reference="", now="2026-11-23T09:00:00Z")
    walk = Walk(loaded, rec, user="Ann", clock=ticking())
    apply_given(walk, {k: BASE[k] for k in ("value", "what", "critical")})
    path.write_text(render(walk), encoding="utf-8")
    return path.read_bytes()


def test_a_full_disk_on_resume_leaves_the_old_record_whole_and_rescues_the_new(
    run: Run, monkeypatch: pytest.MonkeyPatch, temp_folder: Path
) -> None:
    Path("records").mkdir()
    before = _in_progress_record(Path("records/rec.md"))
    answers_file(BASE)
    full_disk(monkeypatch, Path("records"))
    code, out, err = run("resume", "records/rec.md", "--no-input", "--answers", "answers.yaml")
    assert code == 1 and "Traceback" not in out + err
    assert "saved instead to" in err
    assert Path("records/rec.md").read_bytes() == before
    assert sorted(p.name for p in Path("records").iterdir()) == ["rec.md"]
    assert set(sound(rescued_to(err)).answers) == set(BASE)
    assert len(sound(Path("records/rec.md")).answers) == 3


def test_a_full_disk_everywhere_is_a_clear_message_and_the_old_record_stays(
    run: Run, monkeypatch: pytest.MonkeyPatch, temp_folder: Path
) -> None:
    Path("records").mkdir()
    before = _in_progress_record(Path("records/rec.md"))
    answers_file(BASE)
    full_disk(monkeypatch, Path("records"), temp_folder)
    code, out, err = run("resume", "records/rec.md", "--no-input", "--answers", "answers.yaml")
    assert code == 1 and "Traceback" not in out + err
    assert err.startswith("journey: cannot write ") and "No space left on device" in err
    assert Path("records/rec.md").read_bytes() == before
    assert list(temp_folder.iterdir()) == []


def test_a_rescue_never_overwrites_an_earlier_rescued_record(
    run: Run, monkeypatch: pytest.MonkeyPatch, temp_folder: Path
) -> None:
    earlier = temp_folder / "journey-rescued-rec.md"
    earlier.write_text("the record rescued yesterday\n")
    Path("records").mkdir()
    answers_file(BASE)
    full_disk(monkeypatch, Path("records"))
    code, _, err = run(
        "start", "walk-test", "--record", "records/rec.md", "--title", "T", "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip
    assert code == 1 and "saved instead to" in err
    assert earlier.read_text() == "the record rescued yesterday\n"


def test_a_failed_write_in_a_terminal_asks_for_another_place_and_keeps_every_answer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    full, elsewhere = tmp_path / "full", tmp_path / "elsewhere"
    full.mkdir()
    asked: list[str] = []

    def ask_path(question: str) -> str:
        asked.append(question)
        return str(elsewhere / "rec.md")

    monkeypatch.setattr(journey.cli.start, "_ask_path", ask_path)
    full_disk(monkeypatch, full)
    console = Console(record=True, width=200, file=io.StringIO())
    saver = journey.cli.start.Saver(full / "rec.md", console, interactive=True)
    loaded = load_route(WALK)
    rec = new_record(loaded, title="T", owner="Ann", reference="", now="2026-11-23T09:00:00Z")
    walk = Walk(loaded, rec, user="Ann", clock=ticking(), on_change=saver)
    for cid in ("value", "what", "critical", "notice-date"):
        walk.answer(cid, BASE[cid])
    assert asked == [f"Save the record where instead? (was {full / 'rec.md'})"]
    shown = console.export_text()
    assert "No space left on device. Your answers are safe in memory." in shown
    assert list(full.iterdir()) == []
    assert set(sound(elsewhere / "rec.md").answers) == {"value", "what", "critical", "notice-date"}


# -- Ctrl-C ---------------------------------------------------------------------------------


class AnsweringUI:
    """Gives walk.yaml's answers in order; Ctrl-C (KeyboardInterrupt) after the third."""

    def __init__(self, console: Any) -> None:
        self.given = 0

    def step(self, walk: Walk, place: Any) -> None:
        pass

    def ask(self, walk: Walk, cp: Any, current: Any) -> Any:
        from journey.walk.drive import Give

        if self.given == 3:
            raise KeyboardInterrupt
        self.given += 1
        return Give(BASE[cp.id])

    def reason(self, question: str) -> str:
        raise AssertionError(question)

    def problem(self, message: str) -> None:
        raise AssertionError(message)

    def review(self, walk: Walk) -> Any:
        raise AssertionError("review")


def test_ctrl_c_in_a_walk_keeps_every_answer_and_exits_130(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journey.cli.start, "_interactive", lambda opts: True)
    monkeypatch.setattr("journey.cli.prompts.TerminalUI", AnsweringUI)
    code, out, err = run("start", "walk-test", "--record", "rec.md", "--title", "T")
    assert code == 130
    assert err == (
        "interrupted; every answer given is saved in rec.md.\nCarry on with: journey resume rec.md\n"
    )
    assert set(sound(Path("rec.md")).answers) == {"value", "what", "critical"}
    assert sorted(p.name for p in Path.cwd().iterdir()) == ["rec.md"]


# -- paths: `..`, symlinks, and files already where the lock and temporary files go ------------


def test_a_record_path_through_dot_dot_is_stored_as_given(run: Run) -> None:
    Path("sub").mkdir()
    answers_file(BASE)
    code, out, err = run(
        "start", "walk-test", "--record", "sub/../rec.md", "--title", "T", "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert set(sound(Path("rec.md")).answers) == set(BASE)
    assert sorted(p.name for p in Path.cwd().iterdir()) == ["answers.yaml", "rec.md", "sub"]
    assert list(Path("sub").iterdir()) == []


def test_a_record_path_through_a_symlink_outside_is_stored_as_given_and_touches_nothing_else(
    run: Run, tmp_path: Path
) -> None:
    chosen, outside = tmp_path / "chosen", tmp_path / "outside"
    chosen.mkdir()
    outside.mkdir()
    (outside / "other.md").write_text("another team's record\n")
    (outside / ".other.md.lock").write_text("pid 1 on elsewhere")
    (chosen / "link").symlink_to(outside, target_is_directory=True)
    before = others(outside, set())
    answers_file(BASE)
    code, out, err = run(
        "start", "walk-test", "--record", "chosen/link/rec.md", "--title", "T", "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert set(sound(Path("chosen/link/rec.md")).answers) == set(BASE)
    assert others(outside, {"rec.md"}) == before  # nothing else written, no lock or temp left


def test_a_symlinked_record_is_rewritten_where_given_and_its_target_is_not_written_through(
    run: Run, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.md"
    before = _in_progress_record(target)
    Path("rec.md").symlink_to(target)
    answers_file(BASE)
    code, out, err = run("resume", "rec.md", "--no-input", "--answers", "answers.yaml")
    assert (code, err) == (0, ""), err
    assert target.read_bytes() == before
    assert not Path("rec.md").is_symlink()
    assert set(sound(Path("rec.md")).answers) == set(BASE)


def test_a_symlink_at_the_lock_name_is_not_followed(run: Run, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    lock_path(Path("rec.md")).symlink_to(victim)
    answers_file(BASE)
    code, out, err = run(
        "start", "walk-test", "--record", "rec.md", "--title", "T", "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip
    assert code == 2 and err.startswith("journey: cannot lock rec.md: ")
    assert victim.read_text() == "precious\n"
    assert not Path("rec.md").exists()


def test_a_file_already_at_the_lock_name_is_not_clobbered(run: Run) -> None:
    lock = lock_path(Path("rec.md"))
    lock.write_text("my notes, unluckily named\n")
    answers_file(BASE)
    code, out, err = run(
        "start", "walk-test", "--record", "rec.md", "--title", "T", "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip
    assert code == 0, out + err  # the walk went ahead, holding a lock on the file as it was
    assert Path("rec.md").is_file()
    assert lock.read_text() == "my notes, unluckily named\n"


def test_a_stale_lock_of_a_killed_walk_does_not_block_the_next(run: Run) -> None:
    lock_path(Path("rec.md")).write_text("pid 999999 on a-machine-that-crashed")
    answers_file(BASE)
    code, out, err = run(
        "start", "walk-test", "--record", "rec.md", "--title", "T", "--no-input",
        "--answers", "answers.yaml",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert sorted(p.name for p in Path.cwd().iterdir()) == ["answers.yaml", "rec.md"]


@pytest.fixture
def first_temp_name(monkeypatch: pytest.MonkeyPatch) -> str:
    """Make the first random name mkstemp tries predictable, so a test can plant a file there.

    (tempfile's candidate names are private: if they move, this fixture fails loudly.)
    """
    names = iter(["planted", "fresh001", "fresh002", "fresh003"])
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: names)
    return "planted"


@pytest.mark.parametrize("squatter", ["file", "symlink"])
def test_a_file_or_symlink_at_the_temp_name_is_neither_clobbered_nor_followed(
    tmp_path: Path, first_temp_name: str, squatter: str
) -> None:
    record = tmp_path / "rec.md"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    planted = tmp_path / f".rec.md.{first_temp_name}.tmp"
    if squatter == "file":
        planted.write_text("someone else's file\n")
    else:
        planted.symlink_to(victim)
    write_atomic(record, "new record\n")
    assert record.read_text() == "new record\n"
    assert victim.read_text() == "precious\n"
    if squatter == "file":
        assert planted.read_text() == "someone else's file\n"
    else:
        assert planted.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["rec.md", "victim.txt", planted.name]
    )


# -- never overwrite what is not ours ---------------------------------------------------------


def test_save_elsewhere_refuses_an_existing_file_that_is_not_this_record(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    full, elsewhere = tmp_path / "full", tmp_path / "elsewhere"
    full.mkdir()
    elsewhere.mkdir()
    notes = elsewhere / "notes.txt"
    notes.write_text("Important notes that are not a journey record\n")
    places = iter([notes, elsewhere / "rec.md"])
    asked: list[str] = []

    def ask_path(question: str) -> str:
        asked.append(question)
        return str(next(places))

    monkeypatch.setattr(journey.cli.start, "_ask_path", ask_path)
    full_disk(monkeypatch, full)
    console = Console(record=True, width=200, file=io.StringIO())
    saver = journey.cli.start.Saver(full / "rec.md", console, interactive=True)
    loaded = load_route(WALK)
    rec = new_record(loaded, title="T", owner="Ann", reference="", now="2026-11-23T09:00:00Z")
    walk = Walk(loaded, rec, user="Ann", clock=ticking(), on_change=saver)
    walk.answer("value", BASE["value"])
    walk.answer("what", BASE["what"])
    saver.final(walk)
    assert notes.read_text() == "Important notes that are not a journey record\n"
    assert len(asked) == 2
    assert f"{notes} already exists and is not this record" in console.export_text()
    assert set(sound(elsewhere / "rec.md").answers) == {"value", "what"}
    assert sorted(p.name for p in elsewhere.iterdir()) == ["notes.txt", "rec.md"]  # lock gone


def test_two_starts_on_one_path_never_both_succeed(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other start makes the record after this one looked, before it locked (a slow git)."""
    answers_file(dict(BASE, notes={"skip": "Nothing to add"}))
    real_who = journey.cli.start.who

    def slow_who(by: str | None) -> str:
        Path("rec.md").write_text("the record the other start finished\n")
        return real_who(by)

    monkeypatch.setattr(journey.cli.start, "who", slow_who)
    code, out, err = run(
        "start", "walk-test", "--record", "rec.md", "--no-input", "--answers", "answers.yaml"
    )
    assert code == 2, out + err
    assert "rec.md already exists" in err
    assert Path("rec.md").read_text() == "the record the other start finished\n"
    assert not lock_path(Path("rec.md")).exists()


def test_a_walk_that_locked_a_lock_file_just_removed_starts_again_and_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """B opens the lock file A holds; A finishes and removes it; C makes a new one and holds
    it; only then does B get its flock, on the removed file. B must not think it holds the lock."""
    record = Path("rec.md")
    real_flock = fcntl.flock  # the module atomicfile locks with
    a = locked(record)
    a.__enter__()
    c = locked(record)
    step = iter(["b", "c"])

    def flock(fd: int, op: int) -> None:
        if next(step, "") == "b":  # B is descheduled between open and flock
            a.__exit__(None, None, None)
            c.__enter__()
        real_flock(fd, op)

    monkeypatch.setattr(fcntl, "flock", flock)
    with pytest.raises(journey.records.atomicfile.Busy), locked(record):
        pass
    c.__exit__(None, None, None)
    assert not lock_path(record).exists()


def test_a_fifo_at_the_lock_name_is_refused_not_waited_on() -> None:
    Path("rec.md").write_text("x")
    os.mkfifo(".rec.md.lock")
    child = subprocess.run(
        [sys.executable, "-m", "journey", "resume", "rec.md", "--no-input"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert child.returncode == 2, child.stderr
    assert (
        child.stderr == "journey: cannot lock rec.md: .rec.md.lock is not a plain file; remove it\n"
    )


def test_a_full_disk_when_the_lock_is_made_is_a_clear_message_and_leaves_no_lock(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(fd: int, data: bytes, offset: int) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "pwrite", no_space)  # the module atomicfile writes with
    answers_file(dict(BASE, notes={"skip": "Nothing to add"}))
    code, out, err = run(
        "start", "walk-test", "--record", "rec.md", "--no-input", "--answers", "answers.yaml"
    )
    assert (code, err) == (2, "journey: cannot lock rec.md: No space left on device\n")
    assert sorted(p.name for p in Path.cwd().iterdir()) == ["answers.yaml"]


# -- Ctrl-C during a save: say only what is true -------------------------------------------


def interrupted_save(monkeypatch: pytest.MonkeyPatch, *, then: BaseException | None) -> None:
    """Ctrl-C lands in the middle of the third save; later saves do `then` (or work)."""
    real = write_atomic  # what journey.cli.start saves with
    calls = iter(range(10**6))

    def write(path: Path, text: str) -> None:
        n = next(calls)
        if n == 2:
            raise KeyboardInterrupt
        if n > 2 and then is not None:
            raise then
        real(path, text)

    monkeypatch.setattr(journey.cli.start, "write_atomic", write)
    monkeypatch.setattr(journey.cli.start, "_interactive", lambda opts: True)
    monkeypatch.setattr("journey.cli.prompts.TerminalUI", AnsweringUI)


def test_ctrl_c_during_a_save_finishes_the_save_before_saying_every_answer_is_saved(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupted_save(monkeypatch, then=None)
    code, out, err = run("start", "walk-test", "--record", "rec.md", "--title", "T")
    assert code == 130
    assert err.startswith("interrupted; every answer given is saved in rec.md.")
    assert set(sound(Path("rec.md")).answers) == {"value", "what", "critical"}


def test_ctrl_c_during_a_save_that_cannot_finish_says_the_last_answer_is_not_saved(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupted_save(monkeypatch, then=WriteFailed("cannot write rec.md: No space left on device"))
    code, out, err = run("start", "walk-test", "--record", "rec.md", "--title", "T")
    assert code == 130
    assert "every answer given is saved" not in err
    assert err.startswith(
        "interrupted while saving; the last answer is not saved "
        "(cannot write rec.md: No space left on device). rec.md holds the answers before it."
    ), err
    assert set(sound(Path("rec.md")).answers) == {"value", "what"}


# -- file modes: private stays private ---------------------------------------------------------


@pytest.fixture
def umask_077() -> Any:
    old = os.umask(0o077)
    yield
    os.umask(old)


def test_a_new_record_follows_the_umask(run: Run, umask_077: None) -> None:
    answers_file(dict(BASE, notes={"skip": "Nothing to add"}))
    code, _, err = run(
        "start", "walk-test", "--record", "rec.md", "--no-input", "--answers", "answers.yaml"
    )
    assert code == 0, err
    assert Path("rec.md").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444, 0o664])
def test_a_record_keeps_its_mode_across_saves(run: Run, mode: int) -> None:
    part = {k: BASE[k] for k in ("value", "what", "critical")}
    answers_file(part, Path("part.yaml"))
    answers_file(dict(BASE, notes={"skip": "Nothing to add"}))
    run("start", "walk-test", "--record", "rec.md", "--no-input", "--answers", "part.yaml")
    Path("rec.md").chmod(mode)
    code, _, err = run("resume", "rec.md", "--no-input", "--answers", "answers.yaml")
    assert code == 0, err
    assert Path("rec.md").stat().st_mode & 0o777 == mode
    assert len(sound(Path("rec.md")).answers) > len(part)
