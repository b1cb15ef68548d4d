"""Put one document into the store, re-index it, or delete it.

`prepare(data, filename)` runs the extraction (CPU-bound, outside any
transaction). `store(conn, prepared)` writes the document, its original
file, the extraction JSON and the normalised tables (sections, tasks with
their units and recurring dates, targets, references, the search index) in
one transaction, then links it to the documents it cites and that cite it.
The same bytes twice (same sha256) change nothing: the existing id comes
back with status `duplicate`. `reindex(conn, doc_id)` re-extracts the kept
original and rewrites the document under the same id; tasks keep their ids
(matched by extraction id, then by text), their status, and every
correction. Bulk ingest of many files is `service.bulk`.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Literal

from extractors.abbreviations import STANDARD, defined_abbreviations
from extractors.vntext import fold
from models import Extraction

from service import audit, links, search
from service.corrections import UNIT_FIELDS, reapply
from service.occurrences import refresh as refresh_occurrences
from service.db import transaction
from service.keys import code_key, name_key, type_key, year_of
from service.secrecy import is_secret
from service.units_registry import UnitRegistry, organisation_of

Status = Literal["indexed", "duplicate", "reindexed", "unchanged"]


@dataclass
class Prepared:
    """A document read and extracted, ready to be written."""

    filename: str
    data: bytes
    sha256: str
    extraction: Extraction


@dataclass
class IngestResult:
    id: int
    status: Status
    summary: dict[str, Any] = field(default_factory=dict)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_by_sha(conn: sqlite3.Connection, sha: str) -> int | None:
    row = conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha,)).fetchone()
    return int(row[0]) if row else None


def prepare(data: bytes, filename: str) -> Prepared:
    """Extract a document; raises `extractors.errors.ReadError` for what cannot be read."""
    from extractors.pipeline import extract

    ex = extract(data, filename)
    return Prepared(filename=filename, data=data, sha256=ex.document.source.sha256 or sha256_of(data), extraction=ex)


def _extraction_json(ex: Extraction) -> str:
    payload = ex.model_dump(mode="json", exclude={"text"})
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


_CAPS = re.compile(r"(?<![\wÀ-ỹ])[A-ZĐ][A-ZĐ&]{1,11}(?![\wÀ-ỹ])")


def document_abbreviations(ex: Extraction) -> dict[str, str]:
    """The abbreviations the document defines, read only when a unit name uses one that is not standard."""
    names = [n for t in ex.tasks for n in (*t.lead, *t.support, *t.supervisors)]
    names += [n for g in ex.targets for n in (*g.lead, *g.support)]
    names += [n for u in ex.units for n in (u.name, *u.aliases)]
    if any(tok not in STANDARD for n in set(names) for tok in _CAPS.findall(n)):
        return defined_abbreviations(ex.text[:20000])
    return {}


def _doc_columns(ex: Extraction, secret: bool, defined: dict[str, str]) -> dict[str, Any]:
    d = ex.document
    org = organisation_of(d.issuer, defined)
    return {
        "filename": d.source.filename,
        "format": d.source.format,
        "pages": d.source.pages,
        "doc_type": d.doc_type,
        "doc_type_key": type_key(d.doc_type),
        "code": d.code,
        "code_key": code_key(d.code),
        "number": d.number,
        "symbol": d.symbol,
        "issued_date": d.issued_date,
        "year": year_of(d.issued_date),
        "place": d.place,
        "issuer": d.issuer,
        "issuer_key": fold(d.issuer) if d.issuer else None,
        "org": org,
        "org_key": fold(org) if org else "",
        "title": d.title,
        "signer": d.signer,
        "signer_position": d.signer_position,
        "secret": int(secret),
        "n_tasks": len(ex.tasks),
        "n_targets": len(ex.targets),
        "n_references": len(ex.references),
        "n_sections": len(ex.sections),
        "n_units": len(ex.units),
    }


class _UnitInfo:
    """Kinds and aliases the extraction gives for its unit names, looked up by any written form."""

    def __init__(self, ex: Extraction, defined: dict[str, str]) -> None:
        self.by_key: dict[str, tuple[str, list[str]]] = {}
        for u in ex.units:
            info = (u.kind, [u.name, *u.aliases])
            for n in (u.name, *u.aliases):
                self.by_key.setdefault(name_key(n, defined), info)

    def get(self, name: str, defined: dict[str, str]) -> tuple[str | None, list[str]]:
        return self.by_key.get(name_key(name, defined), (None, []))


def _write_sections(conn: sqlite3.Connection, doc_id: int, ex: Extraction) -> None:
    conn.execute("DELETE FROM sections WHERE document_id = ?", (doc_id,))
    conn.executemany(
        "INSERT INTO sections (document_id, seq, path, label, heading, span_start, span_end) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(doc_id, i, s.path, s.label, s.heading, s.span[0], s.span[1]) for i, s in enumerate(ex.sections)],
    )


def _unique_keys(ex: Extraction) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for t in ex.tasks:
        k = t.id or t.path or "task"
        if k in seen:
            seen[k] += 1
            k = f"{k}~{seen[k]}"
        else:
            seen[k] = 0
        out.append(k)
    return out


def _next_id(conn: sqlite3.Connection, table: str) -> int:
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    top = conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
    return max(int(row[0]) if row else 0, int(top)) + 1


def _write_tasks(
    conn: sqlite3.Connection,
    doc_id: int,
    ex: Extraction,
    hidden: bool,
    registry: UnitRegistry,
    scope: str,
    defined: dict[str, str],
    info: _UnitInfo,
) -> dict[str, int]:
    """Insert or update the tasks; returns extraction task id -> store id."""
    existing = conn.execute("SELECT id, task_key, text, corrected FROM tasks WHERE document_id = ?", (doc_id,)).fetchall()
    by_key = {r[1]: r for r in existing}
    by_text: dict[str, list[Any]] = {}
    for r in existing:
        by_text.setdefault(fold(r[2]), []).append(r)
    keys = _unique_keys(ex)
    used: set[int] = set()
    plan: list[tuple[int | None, str, Any, list[str]]] = []
    for key, t in zip(keys, ex.tasks):
        old = by_key.get(key)
        if old is not None and old[0] in used:
            old = None
        if old is None:
            for cand in by_text.get(fold(t.text), []):
                if cand[0] not in used:
                    old = cand
                    break
        if old is not None:
            used.add(old[0])
        plan.append((old[0] if old is not None else None, key, t, json.loads(old[3]) if old is not None and old[3] else []))
    gone = [r[0] for r in existing if r[0] not in used]
    if gone:
        search.unindex(conn, search.TASK, gone)
        conn.executemany("DELETE FROM tasks WHERE id = ?", [(i,) for i in gone])
    # move matched tasks out of the way of the new keys (UNIQUE(document_id, task_key))
    conn.executemany("UPDATE tasks SET task_key = '~' || id WHERE id = ?", [(p[0],) for p in plan if p[0] is not None])

    next_id = _next_id(conn, "tasks")
    rows_new: list[tuple[Any, ...]] = []
    rows_upd: list[tuple[Any, ...]] = []
    ids: dict[str, int] = {}
    id_list: list[int] = []
    corrected_roles: dict[int, set[str]] = {}
    for seq, (old_id, key, t, corrected) in enumerate(plan):
        dl = t.deadline
        cols = (
            key, seq, t.path, t.text, t.product, t.confidence, t.span[0], t.span[1],
            dl.text, dl.kind, dl.start, dl.due, json.dumps(dl.recurrence) if dl.recurrence else None,
            dl.day, dl.month, dl.offset_days, int(dl.working_days), dl.due, dl.due, int(hidden),
        )
        if old_id is None:
            tid = next_id
            next_id += 1
            rows_new.append((tid, doc_id, *cols))
        else:
            tid = old_id
            rows_upd.append((*cols, tid))
            corrected_roles[tid] = {f for f in corrected if f in UNIT_FIELDS}
        ids.setdefault(t.id, tid)
        id_list.append(tid)
    conn.executemany(
        """INSERT INTO tasks (id, document_id, task_key, seq, path, text, product, confidence, span_start, span_end,
               dl_text, dl_kind, dl_start, dl_due, dl_recurrence, dl_day, dl_month, dl_offset_days, dl_working_days, due, sort_due,
               hidden)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        rows_new,
    )
    conn.executemany(
        """UPDATE tasks SET task_key = ?, seq = ?, path = ?, text = ?, product = ?, confidence = ?, span_start = ?, span_end = ?,
               dl_text = ?, dl_kind = ?, dl_start = ?, dl_due = ?, dl_recurrence = ?, dl_day = ?, dl_month = ?,
               dl_offset_days = ?, dl_working_days = ?, due = ?, sort_due = ?, hidden = ? WHERE id = ?""",
        rows_upd,
    )

    # units: rewrite the roles nobody corrected
    unit_rows: list[tuple[Any, ...]] = []
    clear: list[tuple[int, str]] = []
    for tid, (old_id, _key, t, _c) in zip(id_list, plan):
        locked = corrected_roles.get(tid, set())
        for role in UNIT_FIELDS:
            if role in locked:
                continue
            if old_id is not None:
                clear.append((tid, role))
            seen: set[int] = set()
            for pos, name in enumerate(getattr(t, role)):
                kind, aliases = info.get(name, defined)
                uid = registry.resolve(name, scope, defined, kind, aliases)
                if uid is None or uid in seen:
                    continue
                seen.add(uid)
                unit_rows.append((tid, role, uid, pos, name))
    conn.executemany("DELETE FROM task_units WHERE task_id = ? AND role = ?", clear)
    conn.executemany("INSERT INTO task_units (task_id, role, unit_id, position, written) VALUES (?, ?, ?, ?, ?)", unit_rows)

    # search index, recurring dates, corrections
    matched = [tid for tid, p in zip(id_list, plan) if p[0] is not None]
    search.unindex(conn, search.TASK, matched)
    search.index(conn, search.TASK, ((tid, t.text, hidden) for tid, (_o, _k, t, _c) in zip(id_list, plan)))
    recurring = [tid for tid, p in zip(id_list, plan) if p[2].deadline.kind == "recurring"]
    conn.executemany("DELETE FROM task_occurrences WHERE task_id = ?", [(i,) for i in matched])
    refresh_occurrences(conn, recurring)
    reapply(conn, [tid for tid, p in zip(id_list, plan) if p[3]])
    return ids


def _write_targets(
    conn: sqlite3.Connection, doc_id: int, ex: Extraction, hidden: bool, task_ids: dict[str, int],
    registry: UnitRegistry, scope: str, defined: dict[str, str], info: _UnitInfo,
) -> None:
    old = [r[0] for r in conn.execute("SELECT id FROM targets WHERE document_id = ?", (doc_id,))]
    if old:
        search.unindex(conn, search.TARGET, old)
        conn.execute("DELETE FROM targets WHERE document_id = ?", (doc_id,))
    next_id = _next_id(conn, "targets")
    rows, unit_rows, fts = [], [], []
    for seq, g in enumerate(ex.targets):
        gid = next_id + seq
        rows.append((
            gid, doc_id, seq, task_ids.get(g.task_id) if g.task_id else None, g.task_id, g.text, g.value, g.value_max,
            g.unit, g.comparator, g.direction, g.subject, g.period, g.baseline, g.path, g.span[0], g.span[1], int(hidden),
        ))
        fts.append((gid, g.text, hidden))
        for role in ("lead", "support"):
            seen: set[int] = set()
            for name in getattr(g, role):
                kind, aliases = info.get(name, defined)
                uid = registry.resolve(name, scope, defined, kind, aliases)
                if uid is not None and uid not in seen:
                    seen.add(uid)
                    unit_rows.append((gid, role, uid, name))
    conn.executemany(
        """INSERT INTO targets (id, document_id, seq, task_id, task_key, text, value, value_max, unit, comparator, direction,
               subject, period, baseline, path, span_start, span_end, hidden) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        rows,
    )
    conn.executemany("INSERT INTO target_units (target_id, role, unit_id, written) VALUES (?, ?, ?, ?)", unit_rows)
    search.index(conn, search.TARGET, fts)


def _write_references(conn: sqlite3.Connection, doc_id: int, ex: Extraction) -> None:
    conn.execute("DELETE FROM doc_references WHERE document_id = ?", (doc_id,))
    conn.executemany(
        """INSERT INTO doc_references (document_id, seq, text, doc_type, code, code_key, title, issued_date, issuer, relation,
               span_start, span_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (doc_id, i, r.text, r.doc_type, r.code, code_key(r.code), r.title, r.issued_date, r.issuer, r.relation, r.span[0], r.span[1])
            for i, r in enumerate(ex.references)
        ],
    )


def _write_content(conn: sqlite3.Connection, doc_id: int, ex: Extraction, secret: bool, defined: dict[str, str]) -> dict[str, int]:
    scope = conn.execute("SELECT org FROM documents WHERE id = ?", (doc_id,)).fetchone()[0] or ""
    registry = UnitRegistry(conn)
    info = _UnitInfo(ex, defined)
    conn.execute(
        "INSERT OR REPLACE INTO document_extractions (document_id, json, text) VALUES (?, ?, ?)",
        (doc_id, _extraction_json(ex), ex.text),
    )
    _write_sections(conn, doc_id, ex)
    task_ids = _write_tasks(conn, doc_id, ex, secret, registry, scope, defined, info)
    _write_targets(conn, doc_id, ex, secret, task_ids, registry, scope, defined, info)
    _write_references(conn, doc_id, ex)
    # units the extraction lists without a task still join the registry (with their aliases)
    for u in ex.units:
        registry.resolve(u.name, scope, defined, u.kind, u.aliases)
    conn.execute("DELETE FROM document_units WHERE document_id = ?", (doc_id,))
    conn.executemany("INSERT INTO document_units (document_id, unit_id) VALUES (?, ?)", [(doc_id, u) for u in sorted(registry.touched)])
    conn.execute("UPDATE documents SET n_units = ? WHERE id = ?", (len(registry.touched), doc_id))
    search.unindex(conn, search.DOCUMENT, [doc_id])
    search.index(conn, search.DOCUMENT, [(doc_id, ex.text, secret)])
    return links.relink(conn, doc_id)


def store_in_transaction(conn: sqlite3.Connection, prep: Prepared, who: str = "system") -> IngestResult:
    """Write a prepared document inside the caller's open transaction."""
    existing = find_by_sha(conn, prep.sha256)
    if existing is not None:
        return IngestResult(existing, "duplicate", summary(conn, existing))
    ex = prep.extraction
    secret = is_secret(ex)
    defined = document_abbreviations(ex)
    cols = _doc_columns(ex, secret, defined)
    cols.update(sha256=prep.sha256, size=len(prep.data), indexed_at=audit.now_iso())
    names = ", ".join(cols)
    cur = conn.execute(f"INSERT INTO documents ({names}) VALUES ({', '.join('?' * len(cols))})", list(cols.values()))
    doc_id = int(cur.lastrowid or 0)
    conn.execute("INSERT INTO document_files (document_id, data) VALUES (?, ?)", (doc_id, prep.data))
    linked = _write_content(conn, doc_id, ex, secret, defined)
    audit.record(conn, who, "ingest", document_id=doc_id, detail={"filename": cols["filename"], "sha256": prep.sha256})
    return IngestResult(doc_id, "indexed", summary(conn, doc_id, linked))


def store(conn: sqlite3.Connection, prep: Prepared, who: str = "system") -> IngestResult:
    """Write a prepared document in its own transaction (all or nothing)."""
    with transaction(conn):
        return store_in_transaction(conn, prep, who)


def ingest_bytes(conn: sqlite3.Connection, data: bytes, filename: str, who: str = "system") -> IngestResult:
    """Index one file's bytes: a duplicate is recognised before any extraction."""
    existing = find_by_sha(conn, sha256_of(data))
    if existing is not None:
        return IngestResult(existing, "duplicate", summary(conn, existing))
    return store(conn, prepare(data, filename), who)


def original(conn: sqlite3.Connection, doc_id: int) -> tuple[bytes, str] | None:
    row = conn.execute(
        "SELECT f.data, d.filename FROM document_files f JOIN documents d ON d.id = f.document_id WHERE f.document_id = ?",
        (doc_id,),
    ).fetchone()
    return (bytes(row[0]), row[1]) if row else None


def reindex(conn: sqlite3.Connection, doc_id: int, who: str = "system", prep: Prepared | None = None) -> IngestResult:
    """Re-extract a stored document and rewrite it under the same id, keeping status and corrections."""
    if prep is None:
        orig = original(conn, doc_id)
        if orig is None:
            raise KeyError(doc_id)
        prep = prepare(orig[0], orig[1])
    ex = prep.extraction
    with transaction(conn):
        row = conn.execute(
            "SELECT e.json, e.text FROM document_extractions e WHERE e.document_id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            raise KeyError(doc_id)
        if row[0] == _extraction_json(ex) and row[1] == ex.text:
            return IngestResult(doc_id, "unchanged", summary(conn, doc_id))
        secret = is_secret(ex)
        defined = document_abbreviations(ex)
        cols = _doc_columns(ex, secret, defined)
        cols["reindexed_at"] = audit.now_iso()
        conn.execute(
            f"UPDATE documents SET {', '.join(f'{k} = ?' for k in cols)} WHERE id = ?",
            [*cols.values(), doc_id],
        )
        linked = _write_content(conn, doc_id, ex, secret, defined)
        audit.record(conn, who, "reindex", document_id=doc_id, detail={"tasks": len(ex.tasks)})
        return IngestResult(doc_id, "reindexed", summary(conn, doc_id, linked))


def delete(conn: sqlite3.Connection, doc_id: int, who: str = "system") -> bool:
    """Remove a document and everything extracted from it; references to it are unlinked."""
    with transaction(conn):
        row = conn.execute("SELECT filename, code FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return False
        affected = [r[0] for r in conn.execute("SELECT id FROM documents WHERE superseded_by = ?", (doc_id,))]
        units = [r[0] for r in conn.execute("SELECT unit_id FROM document_units WHERE document_id = ?", (doc_id,))]
        search.unindex(conn, search.TASK, [r[0] for r in conn.execute("SELECT id FROM tasks WHERE document_id = ?", (doc_id,))])
        search.unindex(conn, search.TARGET, [r[0] for r in conn.execute("SELECT id FROM targets WHERE document_id = ?", (doc_id,))])
        search.unindex(conn, search.DOCUMENT, [doc_id])
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        links.refresh_superseded(conn, affected)
        _drop_orphan_units(conn, units)
        audit.record(conn, who, "delete", document_id=doc_id, detail={"filename": row[0], "code": row[1]})
        return True


def _in_use(conn: sqlite3.Connection, uid: int) -> bool:
    return bool(conn.execute(
        """SELECT EXISTS (SELECT 1 FROM task_units WHERE unit_id = ?) OR EXISTS (SELECT 1 FROM target_units WHERE unit_id = ?)
                  OR EXISTS (SELECT 1 FROM document_units WHERE unit_id = ?)""",
        (uid, uid, uid),
    ).fetchone()[0])


def _drop_orphan_units(conn: sqlite3.Connection, unit_ids: list[int]) -> None:
    """Units no task or target uses any more, and none of whose linked units is used, leave the registry."""
    for uid in unit_ids:
        group = [uid, *[r[0] for r in conn.execute("SELECT other_id FROM unit_links WHERE unit_id = ?", (uid,))]]
        if any(_in_use(conn, u) for u in group):
            continue
        conn.executemany("DELETE FROM units WHERE id = ?", [(u,) for u in group])


def summary(conn: sqlite3.Connection, doc_id: int, linked: dict[str, int] | None = None) -> dict[str, Any]:
    """What an upload reports: the document's metadata and how much was extracted."""
    r = conn.execute(
        """SELECT doc_type, code, title, issuer, issued_date, format, pages, secret, n_sections, n_tasks, n_targets,
                  n_references, n_units, filename, sha256, superseded_by FROM documents WHERE id = ?""",
        (doc_id,),
    ).fetchone()
    if r is None:
        return {}
    if linked is None:
        linked = {
            "outgoing": conn.execute("SELECT COUNT(*) FROM doc_references WHERE document_id = ? AND target_id IS NOT NULL", (doc_id,)).fetchone()[0],
            "incoming": conn.execute("SELECT COUNT(*) FROM doc_references WHERE target_id = ?", (doc_id,)).fetchone()[0],
        }
    return {
        "filename": r[13], "sha256": r[14], "doc_type": r[0], "code": r[1], "title": r[2], "issuer": r[3],
        "issued_date": r[4], "format": r[5], "pages": r[6], "secret": bool(r[7]), "sections": r[8], "tasks": r[9],
        "targets": r[10], "references": r[11], "units": r[12], "links": linked, "superseded_by": r[15],
    }

