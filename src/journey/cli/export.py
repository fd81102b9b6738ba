"""`journey export`: records as open data, an OCDS 1.1 release package.

Each record is verified first, as `journey verify` would: a damaged record is
refused with its problem and the others are still exported (exit status 1).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from journey.errors import JourneyError, UsageError
from journey.records import ocds, settings
from journey.records.atomicfile import write_atomic
from journey.records.opening import MAX_RECORD_BYTES, open_record, walk_of
from journey.records.rows import find_records, marked
from journey.records.verify import verify
from journey.safeyaml import read_capped
from journey.text import clean, plural, to_json

FORMATS = ("ocds",)


def run_export(
    paths: list[Path], *, fmt: str, output: Path | None, people: bool, uri: str | None,
    settings_file: Path | None,
) -> int:  # fmt: skip
    """Write the package (to `output`, else standard output); 1 when any record was refused."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; use {', '.join(FORMATS)}")
    found = settings_file or settings.find()
    if found is None:
        raise UsageError(f"no {settings.NAME} here or in a folder above; run `journey init` first")
    config = settings.load(found)
    files = records_in(paths or [found.parent / config.records])
    releases, refused = [], 0
    owners: dict[str, Path] = {}  # ocid -> the record that gave it
    for path in files:
        release = _release(path, config, people)
        first = owners.setdefault(release["ocid"], path) if release else path
        if release is not None and first != path:
            print(f"refused: {clean(str(path))}: same ocid {release['ocid']} as {clean(str(first))}: "
                  "give each procurement its own --reference", file=sys.stderr)  # fmt: skip
            release = None
        if release is None:
            refused += 1
        else:
            releases.append(release)
    if not releases:  # a package needs at least one release
        what = "every record was refused" if refused else "no records found"
        raise JourneyError(f"nothing exported: {what}")
    text = to_json(ocds.package(releases, config, uri)) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
    print(f"exported {plural(len(releases), 'release')}" + (f", refused {refused}" if refused else ""),
          file=sys.stderr)  # fmt: skip
    return 1 if refused else 0


def records_in(paths: list[Path]) -> list[Path]:
    """The record files named; folders searched as `journey report` searches them."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += [p for rel in find_records(path) if _is_record(p := path / rel)]
        else:
            out.append(path)
    return out


def _is_record(path: Path) -> bool:
    """A file holding a record's data block (other Markdown files are left alone)."""
    try:
        with path.open("rb") as fh:
            return marked(read_capped(fh, MAX_RECORD_BYTES))
    except OSError:
        return True  # verify says why it cannot be read


def _release(path: Path, config: settings.Settings, people: bool) -> dict[str, Any] | None:
    """One record's release, or None after saying on standard error why it was refused."""
    try:
        problems = verify(path)
        if not problems:
            walk = walk_of(open_record(path))
            return ocds.release(walk, config, fallback=path.stem, people=people)
    except JourneyError as exc:
        problems = [exc]  # type: ignore[list-item]
    for problem in problems:
        print(f"refused: {clean(str(problem))}", file=sys.stderr)
    return None
