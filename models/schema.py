"""The JSON schema of `nhiemvu extract` output, generated from the models.

`python -m models.schema` rewrites `models/extraction.schema.json`; a test
checks that the committed file matches the models.
"""
from __future__ import annotations

import json
from pathlib import Path

from models.domain import Extraction

SCHEMA_PATH = Path(__file__).with_name("extraction.schema.json")


def extraction_schema() -> dict:
    return Extraction.model_json_schema()


def render() -> str:
    return json.dumps(extraction_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(render(), encoding="utf-8")
