"""The OCDS release fields a route may feed, worked out from the vendored release schema.

`python tests/ocds_paths.py > src/journey/routes/ocdsfields.py` regenerates the table the
route checker uses; tests/records/test_export.py fails when the two drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA = Path(__file__).parent / "ocds" / "release-schema.json"
SECTIONS = ("planning", "tender", "awards", "contracts")
ARRAYS = ("awards", "contracts", "awards.suppliers")  # one entry each: what a record can fill
SET_BY_EXPORT = {"id", "awardID", "currency", "scheme", "uri", "url", "procuringEntity"}


def _resolve(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["definitions"][node["$ref"].removeprefix("#/definitions/")]
    return node


def ocds_fields(schema: dict[str, Any]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Dotted field path -> (type, closed codes) for every scalar field a checkpoint may feed."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}

    def walk(node: dict[str, Any], path: list[str]) -> None:
        if node.get("deprecated") or path[-1] in SET_BY_EXPORT:
            return
        node = _resolve(node, schema)
        if node.get("deprecated"):
            return
        types = node.get("type", [])
        types = [types] if isinstance(types, str) else types
        if "array" in types:
            if ".".join(path) in ARRAYS:
                walk(node["items"], path)
            return
        if "object" in types:
            for key, sub in node.get("properties", {}).items():
                walk(sub, [*path, key])
            return
        kind = next(t for t in types if t != "null")
        if node.get("format") == "date-time":
            kind = "date-time"
        codes = tuple(c for c in node.get("enum", ()) if c is not None)
        out[".".join(path)] = (kind, codes)

    for section in SECTIONS:
        walk(schema["properties"][section], [section])
    return out


def module_text(fields: dict[str, tuple[str, tuple[str, ...]]]) -> str:
    lines = [
        '"""The OCDS 1.1.5 release fields a checkpoint may feed: path -> (type, closed codes).',
        "",
        "Generated from the release schema by tests/ocds_paths.py; do not edit by hand.",
        'Arrays (awards, contracts, suppliers) hold one entry each."""',
        "",
        "FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {",
    ]
    lines += [f"    {path!r}: ({kind!r}, {codes!r})," for path, (kind, codes) in fields.items()]
    return "\n".join([*lines, "}", ""])


if __name__ == "__main__":
    print(module_text(ocds_fields(json.loads(SCHEMA.read_text(encoding="utf-8")))), end="")
