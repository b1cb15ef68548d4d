"""Pydantic models for one extraction, exactly the JSON of ANNOTATION.md section 8.

Every key is always present (null or empty when unknown), so the field names
here are a contract with other tools: do not rename them. Offsets (`span`)
are Python string indices into `Extraction.text`.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Span = tuple[int, int]

UNIT_KINDS = (
    "party_committee",
    "party_cell",
    "state_agency",
    "department",
    "mass_organisation",
    "person",
    "collective",
    "other",
)
DEADLINE_KINDS = ("ongoing", "per_plan", "relative", "recurring", "dated", "none")
RELATIONS = ("implements", "reviews", "amends", "replaces", "based_on", "mentions")

UnitKind = Literal[
    "party_committee",
    "party_cell",
    "state_agency",
    "department",
    "mass_organisation",
    "person",
    "collective",
    "other",
]
DeadlineKind = Literal["ongoing", "per_plan", "relative", "recurring", "dated", "none"]
Relation = Literal["implements", "reviews", "amends", "replaces", "based_on", "mentions"]
Comparator = Literal["=", ">=", "<=", "range"]
Direction = Literal["increase", "decrease"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    filename: str
    sha256: str
    format: str
    pages: int | None = None


class Document(_Model):
    doc_type: str | None = None
    code: str | None = None
    number: str | None = None
    symbol: str | None = None
    issued_date: str | None = None
    place: str | None = None
    issuer: str | None = None
    title: str | None = None
    signer: str | None = None
    signer_position: str | None = None
    recipients: list[str] = Field(default_factory=list)
    source: Source


class Section(_Model):
    path: str
    label: str
    heading: str
    span: Span


class Deadline(_Model):
    text: str | None = None
    kind: DeadlineKind = "none"
    start: str | None = None
    due: str | None = None
    recurrence: list[str] = Field(default_factory=list)
    day: int | None = None
    month: int | None = None
    offset_days: int | None = None
    working_days: bool = False


class Task(_Model):
    id: str
    path: str
    text: str
    lead: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)
    supervisors: list[str] = Field(default_factory=list)
    deadline: Deadline = Field(default_factory=Deadline)
    product: str | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    span: Span


class Target(_Model):
    text: str
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    comparator: Comparator = "="
    direction: Direction | None = None
    subject: str | None = None
    period: str | None = None
    baseline: str | None = None
    lead: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)
    task_id: str | None = None
    path: str | None = None
    span: Span


class Reference(_Model):
    text: str
    doc_type: str | None = None
    code: str | None = None
    title: str | None = None
    issued_date: str | None = None
    issuer: str | None = None
    relation: Relation | None = None
    span: Span


class Unit(_Model):
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: UnitKind = "other"


class Extraction(_Model):
    document: Document
    sections: list[Section] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    text: str
