"""The JSON Schema of route files, generated from the model: there is no second schema."""

from __future__ import annotations

import inspect
import json
from typing import Any

import msgspec


def route_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that editors use to complete and check route files."""
    from journey.routes.model import Route

    schema = msgspec.json.schema(Route)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "journey route",
        "description": "A procurement route for the `journey` command-line guide.",
        **_our_words(schema),
    }


def _our_words(node: Any) -> Any:
    """Descriptions as our docstrings say them, whatever indentation msgspec keeps.

    msgspec copies docstrings into `description`, with or without their indentation
    depending on its version; cleaning them here keeps the schema's bytes ours.
    """
    if isinstance(node, dict):
        return {
            key: inspect.cleandoc(value)
            if key == "description" and isinstance(value, str)
            else _our_words(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_our_words(value) for value in node]
    return node


def dumps(schema: dict[str, Any]) -> str:
    """Stable, readable JSON: the same schema always prints the same bytes."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
