"""The JSON Schema of route files, generated from the model: there is no second schema."""

from __future__ import annotations

import json
from typing import Any

import msgspec

SCHEMA_ID = "https://journey.invalid/schema/route.json"


def route_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that editors use to complete and check route files."""
    from journey.model import Route

    schema = msgspec.json.schema(Route)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "journey route",
        "description": "A procurement route for the `journey` command-line guide.",
        **schema,
    }


def dumps(schema: dict[str, Any]) -> str:
    """Stable, readable JSON: the same schema always prints the same bytes."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
