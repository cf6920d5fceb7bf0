"""JSON Schema of the declarations, for editors and for validating images written as JSON/YAML data.

The schema describes the list that :func:`dockgen.models.validate_images` accepts: an array of ``Image``
objects. Field descriptions come from the models' docstrings; aliases (``from``, ``as``) are used for names.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from dockgen.models import Image

__all__ = ["SCHEMA_ID", "declarations_schema", "schema_json"]

SCHEMA_ID = "https://dockgen.dev/schema/images.json"


def declarations_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a list of image declarations."""
    schema = TypeAdapter(list[Image]).json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "dockgen image declarations",
        "description": "The images a dockgen project declares (see docs/declarations.md).",
        **schema,
    }


def schema_json(indent: int = 2) -> str:
    """:func:`declarations_schema` as JSON text with sorted keys (stable output) and a final newline."""
    return json.dumps(declarations_schema(), indent=indent, sort_keys=True, ensure_ascii=False) + "\n"
