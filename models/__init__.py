"""Domain types of nhiemvu: what an extraction is made of.

This package holds the pydantic models for a document, its sections, tasks,
units, deadlines, targets and references (ANNOTATION.md section 8), and the
JSON schema generated from them. It holds no logic: no reading, no
extraction, no storage.
"""
from models.domain import (
    Deadline,
    Document,
    Extraction,
    Reference,
    Section,
    Source,
    Target,
    Task,
    Unit,
    UNIT_KINDS,
    DEADLINE_KINDS,
    RELATIONS,
)

__all__ = [
    "Deadline",
    "Document",
    "Extraction",
    "Reference",
    "Section",
    "Source",
    "Target",
    "Task",
    "Unit",
    "UNIT_KINDS",
    "DEADLINE_KINDS",
    "RELATIONS",
]
