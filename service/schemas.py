"""Pydantic models of the API's requests and responses (they make the OpenAPI page at `/docs`).

The extraction itself is `models.Extraction`; these describe the store's
views of it (ids, status, corrections, links). No logic here.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from models import Deadline, Extraction

StatusValue = Literal["chưa thực hiện", "đang thực hiện", "hoàn thành"]


class DocumentRef(BaseModel):
    id: int
    code: str | None = None
    doc_type: str | None = None
    title: str | None = None
    issued_date: str | None = None
    issuer: str | None = None


class UnitRef(BaseModel):
    id: int
    name: str
    corrected: bool = False


# a task's deadline is returned exactly as `nhiemvu extract` writes it (ANNOTATION.md section 8)
DeadlineOut = Deadline


class SupersededBy(BaseModel):
    id: int
    code: str | None = None


class TaskOut(BaseModel):
    id: int
    document: DocumentRef
    key: str = Field(description="the extraction's task id (path#n)")
    path: str | None = None
    text: str
    product: str | None = None
    confidence: float | None = None
    span: list[int | None]
    deadline: DeadlineOut
    due: str | None = Field(None, description="the due date in force (a correction wins over the extraction)")
    next_due: str | None = Field(None, description="the due date, or a recurring task's next date on or after as_of")
    lead: list[UnitRef]
    support: list[UnitRef]
    supervisors: list[UnitRef]
    status: StatusValue
    status_note: str | None = None
    status_by: str | None = None
    status_at: str | None = None
    overdue: bool
    corrected: list[str] = Field(default_factory=list, description="fields a person corrected")
    superseded_by: SupersededBy | None = Field(None, description="a later document that amends or replaces this task's document")
    occurrences: list[str] | None = None


class TaskPage(BaseModel):
    total: int
    limit: int
    offset: int
    as_of: str
    items: list[TaskOut]


class StatusIn(BaseModel):
    status: str = Field(description="chưa thực hiện, đang thực hiện or hoàn thành")
    note: str | None = None
    by: str | None = Field(None, description="who sets it (else the X-User header, else 'anonymous')")


class CorrectionIn(BaseModel):
    lead: list[str] | None = None
    support: list[str] | None = None
    supervisors: list[str] | None = None
    due: str | None = Field(None, description="YYYY-MM-DD")
    start: str | None = Field(None, description="YYYY-MM-DD")
    deadline_text: str | None = None
    deadline_kind: Literal["ongoing", "per_plan", "relative", "recurring", "dated", "none"] | None = None
    note: str | None = None
    by: str | None = None


class LinkCounts(BaseModel):
    outgoing: int = 0
    incoming: int = 0


class UploadSummary(BaseModel):
    filename: str | None = None
    sha256: str | None = None
    doc_type: str | None = None
    code: str | None = None
    title: str | None = None
    issuer: str | None = None
    issued_date: str | None = None
    format: str | None = None
    pages: int | None = None
    secret: bool = False
    sections: int = 0
    tasks: int = 0
    targets: int = 0
    references: int = 0
    units: int = 0
    links: LinkCounts = Field(default_factory=LinkCounts)
    superseded_by: int | None = None


class UploadOut(BaseModel):
    id: int
    status: Literal["indexed", "duplicate", "reindexed", "unchanged"]
    message: str
    summary: UploadSummary


class DocumentOut(BaseModel):
    id: int
    filename: str
    format: str | None = None
    pages: int | None = None
    size: int | None = None
    sha256: str
    doc_type: str | None = None
    code: str | None = None
    issued_date: str | None = None
    issuer: str | None = None
    org: str | None = None
    title: str | None = None
    signer: str | None = None
    secret: bool = False
    superseded_by: int | None = None
    n_tasks: int = 0
    n_targets: int = 0
    n_references: int = 0
    n_sections: int = 0
    n_units: int = 0
    indexed_at: str
    reindexed_at: str | None = None


class DocumentPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[DocumentOut]


class DocumentDetail(DocumentOut):
    extraction: Extraction


class OutgoingLink(BaseModel):
    reference_id: int
    text: str | None = None
    doc_type: str | None = None
    code: str | None = None
    title: str | None = None
    issued_date: str | None = None
    issuer: str | None = None
    relation: str | None = None
    document: DocumentRef | None = Field(None, description="the indexed document the reference resolves to")


class IncomingLink(BaseModel):
    reference_id: int
    text: str | None = None
    relation: str | None = None
    document: DocumentRef


class LinksOut(BaseModel):
    outgoing: list[OutgoingLink]
    incoming: list[IncomingLink]


class UnitCounts(BaseModel):
    lead: int = 0
    support: int = 0
    supervisors: int = 0
    tasks: int = 0
    targets: int = 0
    documents: int | None = None


class UnitOut(BaseModel):
    id: int
    name: str
    org: str
    kind: str
    counts: UnitCounts


class UnitPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[UnitOut]


class LinkedUnit(BaseModel):
    id: int
    name: str
    org: str
    relation: str


class UnitDetail(UnitOut):
    aliases: list[str]
    linked: list[LinkedUnit]


class TargetUnit(BaseModel):
    id: int
    name: str


class TargetOut(BaseModel):
    id: int
    document_id: int
    document_code: str | None = None
    document_title: str | None = None
    task_id: int | None = None
    text: str
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    comparator: str | None = None
    direction: str | None = None
    subject: str | None = None
    period: str | None = None
    baseline: str | None = None
    path: str | None = None
    lead: list[TargetUnit] = Field(default_factory=list)
    support: list[TargetUnit] = Field(default_factory=list)


class TargetPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[TargetOut]


class ReferenceOut(BaseModel):
    id: int
    document_id: int
    document_code: str | None = None
    text: str | None = None
    doc_type: str | None = None
    code: str | None = None
    title: str | None = None
    issued_date: str | None = None
    issuer: str | None = None
    relation: str | None = None
    target: SupersededBy | None = Field(None, description="the indexed document it links to")


class ReferencePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ReferenceOut]


class SearchHit(BaseModel):
    kind: Literal["task", "target", "document"]
    id: int
    document: DocumentRef
    text: str
    snippet: str = Field(description="HTML: the matching words in <mark>...</mark>, the rest escaped")
    score: float


class SearchPage(BaseModel):
    q: str
    limit: int
    offset: int
    items: list[SearchHit]


class AuditEntry(BaseModel):
    id: int
    at: str
    who: str
    action: str
    task_id: int | None = None
    document_id: int | None = None
    detail: dict[str, Any] = Field(default_factory=dict)


class Problem(BaseModel):
    detail: str
