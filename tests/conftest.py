"""Shared test fixtures: corpus paths and extractions completed from the gold files.

`gold_extraction(name)` runs the real `extract()` on a corpus document and
puts the gold tasks and references into it (anchor as task text), so that
store tests do not depend on how far task extraction has come.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from models import Deadline, Extraction, Reference, Task

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DOCS = CORPUS / "docs"
GOLD = CORPUS / "gold"


def _doc_path(name: str) -> Path:
    hits = sorted(DOCS.glob(name + ".*"))
    assert hits, name
    return hits[0]


def gold_extraction(name: str) -> tuple[Extraction, bytes]:
    """(extraction with gold tasks and references, the file's bytes) for a corpus document."""
    from extractors.pipeline import extract

    path = _doc_path(name)
    data = path.read_bytes()
    ex = extract(data, path.name)
    gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
    tasks: list[Task] = []
    for i, g in enumerate(gold["tasks"]):
        dl = dict(g.get("deadline") or {})
        rec = dl.get("recurrence") or []
        pos = ex.text.find(g["anchor"])
        start = max(pos, 0)
        tasks.append(Task(
            id=f"{g.get('path') or 'G' + str(i)}#{i}",
            path=g.get("path") or f"G{i}",
            text=g["anchor"],
            lead=g.get("lead") or [],
            support=g.get("support") or [],
            supervisors=g.get("supervisors") or [],
            deadline=Deadline(
                text=dl.get("text"), kind=dl.get("kind") or "none", start=dl.get("start"), due=dl.get("due"),
                recurrence=[rec] if isinstance(rec, str) else list(rec), day=dl.get("day"), month=dl.get("month"),
                offset_days=dl.get("offset_days"),
            ),
            product=g.get("product"),
            span=(start, start + len(g["anchor"])),
        ))
    refs = [
        Reference(
            text=r.get("text") or r.get("code") or r.get("title") or "", doc_type=r.get("doc_type"), code=r.get("code"),
            title=r.get("title"), issued_date=r.get("issued_date"), issuer=r.get("issuer"), relation=r.get("relation"), span=(0, 0),
        )
        for r in gold.get("references", [])
    ]
    return ex.model_copy(update={"tasks": tasks, "references": refs}), data


@pytest.fixture(scope="session")
def corpus_docs() -> Path:
    return DOCS
