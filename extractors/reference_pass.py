"""Pipeline component: the documents a document cites (`extractors.references`) over its whole text.

The document's own code, read by the metadata component, is never listed as
a reference to itself.
"""
from __future__ import annotations

from extractors.references import find_references
from models import Reference


def extract_references(state: object) -> list[Reference]:
    layout = state.layout  # type: ignore[attr-defined]
    md = state.metadata  # type: ignore[attr-defined]
    return find_references(layout.text, own_code=md.code)
