"""`journey export`: records as open data, an OCDS 1.1 release package.

Each record is verified first, as `journey verify` would: a damaged record is
refused with its problem and the others are still exported (exit status 1).
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path
from typing import Any

from journey.errors import JourneyError, UsageError
from journey.records import ocds, settings
from journey.records.atomicfile import write_atomic
from journey.records.rows import candidate, in_parallel, named_and_found
from journey.records.verify import checked
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
    files = named_and_found(paths or [found.parent / config.records])
    releases, refused = [], 0
    owners: dict[str, Path] = {}  # ocid -> the record that gave it
    for path, release, problems in in_parallel(partial(_releases, config, people), files):
        for problem in problems:
            print(f"refused: {problem}", file=sys.stderr)
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


def _releases(
    config: settings.Settings, people: bool, files: list[tuple[str, bool]]
) -> list[tuple[Path, dict[str, Any] | None, list[str]]]:
    """Each record's release (None when refused, with its problems as shown), in a worker:
    read once, verified as `journey verify` verifies it. Files found in folders that are not
    records are left out."""
    out: list[tuple[Path, dict[str, Any] | None, list[str]]] = []
    for name, given in files:
        record, raw, _ = candidate(name, given)
        if record:
            path = Path(name)
            out.append((path, *_release(path, config, people, raw)))
    return out


def _release(
    path: Path, config: settings.Settings, people: bool, raw: bytes | None = None
) -> tuple[dict[str, Any] | None, list[str]]:
    """One record's release, or None and why it was refused."""
    try:
        problems, walk = checked(path, raw)
        if walk is not None:
            return ocds.release(walk, config, fallback=path.stem, people=people), []
    except JourneyError as exc:
        problems = [exc]  # type: ignore[list-item]
    return None, [clean(str(problem)) for problem in problems]
