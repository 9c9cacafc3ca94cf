"""JSON Schema of the result, generated from the pydantic models (never written by hand)."""
from __future__ import annotations

import json

from .models import SCHEMA_ID, DocumentResult


def schema_json() -> str:
    schema = DocumentResult.model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
