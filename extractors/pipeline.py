"""The extraction pipeline: bytes in, `models.Extraction` out.

Like a spaCy pipeline, extraction is a list of named components that each
read the shared `DocState` and fill their part: `metadata`, `structure`,
`tasks` (with units and deadlines), `targets`, `references`. Readers and
normalisation run first and are not components. `extract()` is the public
entry point; `PIPELINE` lists the components in order, and `extract(...,
disable=[...])` skips some (the benchmarks use this).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Iterable

from extractors.metadata import Metadata, extract_metadata
from extractors.normalise import Layout, normalise
from extractors.readers import RawDocument, read
from extractors.structure import Structure, build_structure, sections
from models import Document, Extraction, Reference, Source, Target, Task, Unit


@dataclass
class DocState:
    """What the components share while one document is extracted."""

    filename: str
    sha256: str
    raw: RawDocument
    layout: Layout
    metadata: Metadata = field(default_factory=Metadata)
    structure: Structure | None = None
    tasks: list[Task] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    extras: dict[str, object] = field(default_factory=dict)


Component = Callable[[DocState], None]


def _metadata(state: DocState) -> None:
    state.metadata = extract_metadata(state.layout)


def _structure(state: DocState) -> None:
    state.structure = build_structure(state.layout, body_start=state.metadata.header_end)


def _tasks(state: DocState) -> None:
    from extractors.tasks import extract_tasks

    if state.structure is None:
        _structure(state)
    state.tasks, state.units = extract_tasks(state)


def _targets(state: DocState) -> None:
    from extractors.target_pass import extract_targets

    if state.structure is None:
        _structure(state)
    state.targets = extract_targets(state)


def _references(state: DocState) -> None:
    from extractors.reference_pass import extract_references

    state.references = extract_references(state)


PIPELINE: list[tuple[str, Component]] = [
    ("metadata", _metadata),
    ("structure", _structure),
    ("tasks", _tasks),
    ("targets", _targets),
    ("references", _references),
]


def _optional(name: str) -> bool:
    """Components whose module may not exist yet in a partial checkout are skipped, not fatal."""
    return name in ("tasks", "targets", "references")


def extract(data: bytes, filename: str, *, disable: Iterable[str] = ()) -> Extraction:
    """Read and extract one document. Raises `extractors.errors.ReadError` on unreadable input."""
    raw = read(data, filename)
    return extract_raw(raw, data, filename, disable=disable)


def extract_raw(raw: RawDocument, data: bytes, filename: str, *, disable: Iterable[str] = ()) -> Extraction:
    skip = set(disable)
    state = DocState(
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        raw=raw,
        layout=normalise(raw),
    )
    for name, component in PIPELINE:
        if name in skip:
            continue
        try:
            component(state)
        except ModuleNotFoundError as err:
            if not _optional(name) or not (err.name or "").startswith("extractors."):
                raise
    return to_extraction(state)


def to_extraction(state: DocState) -> Extraction:
    md = state.metadata
    doc = Document(
        doc_type=md.doc_type,
        code=md.code,
        number=md.number,
        symbol=md.symbol,
        issued_date=md.issued_date,
        place=md.place,
        issuer=md.issuer,
        title=md.title,
        signer=md.signer,
        signer_position=md.signer_position,
        recipients=md.recipients,
        source=Source(
            filename=state.filename.replace("\\", "/").rsplit("/", 1)[-1],
            sha256=state.sha256,
            format=state.raw.format,
            pages=state.raw.pages,
        ),
    )
    return Extraction(
        document=doc,
        sections=sections(state.structure) if state.structure else [],
        tasks=state.tasks,
        targets=state.targets,
        references=state.references,
        units=state.units,
        text=state.layout.text,
    )
