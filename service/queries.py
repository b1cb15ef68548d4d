"""Read queries over the store: tasks, documents, units, targets, references, links.

Every function takes an open connection and returns plain dicts (the API's
pydantic models and the exports are built from them). Task queries resolve
a unit to ids first (`units_registry.find_units`), then use the
`task_units(unit_id, role, task_id)` index; the order is overdue first, then
due date (a recurring task's next date), then document order. Hidden
(secret) documents and their tasks appear only with `include_hidden`.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from extractors.vntext import fold

from service import search
from service.db import generation
from service.readcache import LRU
from service.keys import code_key, type_key
from service.progress import DONE, normalise_status
from service.units_registry import find_units

ROLES = ("lead", "support", "supervisors")
_ROLE_SYNONYMS = {
    "lead": "lead", "chu tri": "lead", "leads": "lead", "thuc hien": "lead",
    "support": "support", "phoi hop": "support", "supports": "support",
    "supervisors": "supervisors", "supervisor": "supervisors", "chi dao": "supervisors", "lanh dao chi dao": "supervisors",
}


def normalise_role(role: str) -> str:
    key = fold(role).replace("_", " ")
    if key in _ROLE_SYNONYMS:
        return _ROLE_SYNONYMS[key]
    raise ValueError(f"unknown role {role!r}: one of {', '.join(ROLES)}")


@dataclass
class TaskFilter:
    """The filters of `GET /tasks`, `nhiemvu tasks` and the exports."""

    unit: str | None = None
    unit_id: int | None = None
    org: str | None = None
    role: str | None = None
    linked: bool = True
    document: int | None = None
    kind: str | None = None
    status: str | None = None
    due_after: date | None = None
    due_before: date | None = None
    overdue: bool | None = None
    as_of: date = field(default_factory=date.today)
    q: str | None = None
    superseded: bool | None = None
    include_hidden: bool = False


class NoMatch(Exception):
    """The filter cannot match any task (an unknown unit, an empty text query)."""


def _task_where(conn: sqlite3.Connection, f: TaskFilter) -> tuple[list[str], list[Any], bool, list[int] | None]:
    where: list[str] = []
    params: list[Any] = []
    needs_doc = False
    unit_ids: list[int] | None = None
    if not f.include_hidden:
        where.append("t.hidden = 0")
    role = normalise_role(f.role) if f.role else None
    if f.unit or f.org or f.unit_id is not None:
        ids: set[int] = set()
        if f.unit_id is not None:
            ids.add(f.unit_id)
            if f.linked:
                ids.update(r[0] for r in conn.execute("SELECT other_id FROM unit_links WHERE unit_id = ?", (f.unit_id,)))
        if f.unit or (f.org and f.unit_id is None):
            ids.update(find_units(conn, f.unit, f.org, linked=f.linked))
        if not ids:
            raise NoMatch
        unit_ids = sorted(ids)
        marks = ",".join("?" * len(ids))
        sub = f"SELECT task_id FROM task_units WHERE unit_id IN ({marks})"
        params.extend(sorted(ids))
        if role:
            sub += " AND role = ?"
            params.append(role)
        where.append(f"t.id IN ({sub})")
    elif role:
        where.append("t.id IN (SELECT task_id FROM task_units WHERE role = ?)")
        params.append(role)
    if f.document is not None:
        where.append("t.document_id = ?")
        params.append(f.document)
    if f.kind:
        where.append("t.dl_kind = ?")
        params.append(f.kind)
    if f.status:
        where.append("t.status = ?")
        params.append(normalise_status(f.status))
    if f.due_after or f.due_before:
        lo = f.due_after.isoformat() if f.due_after else "0000-00-00"
        hi = f.due_before.isoformat() if f.due_before else "9999-12-31"
        where.append(
            "t.id IN (SELECT id FROM tasks WHERE due >= ? AND due <= ? UNION SELECT task_id FROM task_occurrences WHERE due >= ? AND due <= ?)"
        )
        params.extend([lo, hi, lo, hi])
    if f.overdue is not None:
        cond = "(t.due IS NOT NULL AND t.due < ? AND t.status != ?)"
        where.append(cond if f.overdue else f"NOT {cond}")
        params.extend([f.as_of.isoformat(), DONE])
    if f.q is not None and f.q.strip():
        expr = search.fts_query(f.q)
        if expr is None:
            raise NoMatch
        where.append(f"t.id IN ({search.match_sql(search.TASK)})")
        params.append(expr)
    if f.superseded is not None:
        needs_doc = True
        where.append("d.superseded_by IS NOT NULL" if f.superseded else "d.superseded_by IS NULL")
    return where, params, needs_doc, unit_ids


def _only_units(f: TaskFilter) -> bool:
    """The filter is a unit (and role) alone: the count can come from the task_units index."""
    return not (f.document is not None or f.kind or f.status or f.due_after or f.due_before or f.overdue is not None
                or (f.q and f.q.strip()) or f.superseded is not None)


def _count_by_units(conn: sqlite3.Connection, unit_ids: list[int], role: str | None, include_hidden: bool) -> int:
    marks = ",".join("?" * len(unit_ids))
    extra = " AND role = ?" if role else ""
    params: list[Any] = [*unit_ids, *([role] if role else [])]
    total = conn.execute(f"SELECT COUNT(DISTINCT task_id) FROM task_units WHERE unit_id IN ({marks}){extra}", params).fetchone()[0]
    if not include_hidden and conn.execute("SELECT EXISTS (SELECT 1 FROM tasks WHERE hidden = 1)").fetchone()[0]:
        total -= conn.execute(
            f"SELECT COUNT(*) FROM tasks WHERE hidden = 1 AND id IN (SELECT task_id FROM task_units WHERE unit_id IN ({marks}){extra})",
            params,
        ).fetchone()[0]
    return total


_SELECT = """
SELECT t.id, t.document_id, t.task_key, t.path, t.text, t.product, t.confidence, t.span_start, t.span_end,
       t.dl_text, t.dl_kind, t.dl_start, t.dl_due, t.dl_recurrence, t.dl_day, t.dl_month, t.dl_offset_days, t.dl_working_days,
       t.due, t.status, t.status_note, t.status_by, t.status_at, t.corrected,
       d.code, d.doc_type, d.title, d.issued_date, d.superseded_by, sd.code, d.issuer,
       CASE WHEN t.dl_kind = 'recurring'
            THEN (SELECT MIN(o.due) FROM task_occurrences o WHERE o.task_id = t.id AND o.due >= :as_of) END AS next_occ
FROM tasks t JOIN documents d ON d.id = t.document_id LEFT JOIN documents sd ON sd.id = d.superseded_by
"""
# the order: overdue first, then by the due date in force (a recurring task's next date), then document order
_SORT = """
SELECT t.id FROM tasks t{join}{where}
ORDER BY CASE WHEN t.due < :as_of AND t.status != :done THEN 0 ELSE 1 END, t.sort_due IS NULL, t.sort_due, t.document_id, t.seq
LIMIT :limit OFFSET :offset
"""


def _named(where: list[str], params: list[Any]) -> tuple[str, dict[str, Any]]:
    """Positional `?` to named parameters so that the clauses mix with `:as_of`."""
    out: dict[str, Any] = {}
    parts: list[str] = []
    i = 0
    for clause in where:
        pieces = clause.split("?")
        rebuilt = pieces[0]
        for piece in pieces[1:]:
            name = f"p{i}"
            out[name] = params[i]
            rebuilt += f":{name}" + piece
            i += 1
        parts.append(rebuilt)
    return (" WHERE " + " AND ".join(parts)) if parts else "", out


def list_tasks(conn: sqlite3.Connection, f: TaskFilter, limit: int = 50, offset: int = 0, count: bool = True) -> tuple[list[dict[str, Any]], int]:
    """A page of tasks and the number of tasks the filter matches.

    The ids of the page are chosen on the tasks table alone (its small
    columns come first); only the page's rows are then read in full.
    """
    try:
        where, params, needs_doc, unit_ids = _task_where(conn, f)
    except NoMatch:
        return [], 0
    clause, named = _named(where, params)
    named.update(as_of=f.as_of.isoformat(), done=DONE, limit=limit, offset=offset)
    join = " JOIN documents d ON d.id = t.document_id" if needs_doc else ""
    if unit_ids is not None and _only_units(f):
        ordered = _ordered_unit_ids(conn, clause, named, join, unit_ids, f)
        if ordered is not None:
            page = ordered[offset: offset + limit]
            return _page(conn, page, named, f.as_of), len(ordered)
    ids: list[int] = []
    if unit_ids is None and not (f.q and f.q.strip()) and f.overdue is not False:
        # no index narrows the rows: a page that lies among the overdue tasks is read in index order
        over = f"{clause} AND " if clause else " WHERE "
        over += "t.sort_due < :as_of AND t.due < :as_of AND t.status != :done"
        ids = [r[0] for r in conn.execute(
            f"SELECT t.id FROM tasks t{join}{over} ORDER BY t.sort_due, t.document_id, t.seq LIMIT :limit OFFSET :offset", named
        )]
        if len(ids) < limit:
            ids = []
    if not ids:
        ids = [r[0] for r in conn.execute(_SORT.format(join=join, where=clause), named)]
    total = 0
    if count:
        if offset == 0 and len(ids) < limit:
            total = len(ids)
        elif unit_ids is not None and _only_units(f):
            total = _count_by_units(conn, unit_ids, normalise_role(f.role) if f.role else None, f.include_hidden)
        elif where == ["t.hidden = 0"] or not where:
            total = conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
            if where:
                total -= conn.execute("SELECT COUNT(*) FROM tasks WHERE hidden = 1").fetchone()[0]
        else:
            total = conn.execute(f"SELECT COUNT(*) FROM tasks t{join}{clause}", named).fetchone()[0]
    if not ids:
        return [], total
    return _page(conn, ids, named, f.as_of), total


def _page(conn: sqlite3.Connection, ids: list[int], named: dict[str, Any], as_of: date) -> list[dict[str, Any]]:
    """The full rows of a page of task ids, in the page's order."""
    if not ids:
        return []
    rows = conn.execute(
        _SELECT + f" WHERE t.id IN ({','.join(str(int(i)) for i in ids)})", {"as_of": named["as_of"]}
    ).fetchall()
    by_id = {r[0]: r for r in rows}
    return _task_dicts(conn, [by_id[i] for i in ids if i in by_id], as_of)


# The ordered task ids of a large unit query, per store generation: offices page through a collective
# unit's thousands of tasks and ask for the same unit again and again, and sorting them all (overdue
# first) costs tens of milliseconds. Any committed write changes the generation and so empties it.
_LARGE_UNIT = 2000
_ORDER_CACHE = LRU(64)
_ASKED_ONCE = LRU(256)


def _ordered_unit_ids(
    conn: sqlite3.Connection, clause: str, named: dict[str, Any], join: str, unit_ids: list[int], f: TaskFilter
) -> list[int] | None:
    """All ids of a large unit query in page order (cached), or None for a small one (the page query is cheap)."""
    gen = generation(conn)
    key = (gen, clause, tuple(sorted((k, v) for k, v in named.items() if k not in ("limit", "offset"))))
    hit = _ORDER_CACHE.get(key)
    if hit is not None:
        return hit
    if not _ASKED_ONCE.seen(key):
        return None  # a first request is answered by the page query alone; the list is built when it is asked again
    total = _count_by_units(conn, unit_ids, normalise_role(f.role) if f.role else None, f.include_hidden)
    if total < _LARGE_UNIT:
        return None
    full = dict(named, limit=-1, offset=0)
    ordered = [r[0] for r in conn.execute(_SORT.format(join=join, where=clause), full)]
    _ORDER_CACHE.put(key, ordered)
    return ordered


def get_task(conn: sqlite3.Connection, task_id: int, include_hidden: bool = False, as_of: date | None = None) -> dict[str, Any] | None:
    as_of = as_of or date.today()
    clause = " WHERE t.id = :id" + ("" if include_hidden else " AND t.hidden = 0")
    rows = conn.execute(_SELECT + clause, {"id": task_id, "as_of": as_of.isoformat()}).fetchall()
    items = _task_dicts(conn, rows, as_of)
    return items[0] if items else None


def _task_dicts(conn: sqlite3.Connection, rows: list[sqlite3.Row], as_of: date) -> list[dict[str, Any]]:
    if not rows:
        return []
    ids = [r[0] for r in rows]
    marks = ",".join("?" * len(ids))
    units: dict[int, dict[str, list[dict[str, Any]]]] = {i: {r: [] for r in ROLES} for i in ids}
    for tid, role, uid, written, corrected in conn.execute(
        f"SELECT task_id, role, unit_id, written, corrected FROM task_units WHERE task_id IN ({marks}) ORDER BY task_id, role, position",
        ids,
    ):
        units[tid].setdefault(role, []).append({"id": uid, "name": written, "corrected": bool(corrected)})
    asof = as_of.isoformat()
    out = []
    for r in rows:
        due = r[18]
        status = r[19]
        out.append({
            "id": r[0],
            "document": {"id": r[1], "code": r[24], "doc_type": r[25], "title": r[26], "issued_date": r[27], "issuer": r[30]},
            "key": r[2],
            "path": r[3],
            "text": r[4],
            "product": r[5],
            "confidence": r[6],
            "span": [r[7], r[8]],
            "deadline": {
                "text": r[9], "kind": r[10], "start": r[11], "due": r[12],
                "recurrence": json.loads(r[13]) if r[13] else [], "day": r[14], "month": r[15],
                "offset_days": r[16], "working_days": bool(r[17]),
            },
            "due": due,
            "next_due": due or r[31],
            "lead": units[r[0]]["lead"],
            "support": units[r[0]]["support"],
            "supervisors": units[r[0]]["supervisors"],
            "status": status,
            "status_note": r[20],
            "status_by": r[21],
            "status_at": r[22],
            "overdue": bool(due) and due < asof and status != DONE,
            "corrected": json.loads(r[23]) if r[23] else [],
            "superseded_by": {"id": r[28], "code": r[29]} if r[28] else None,
        })
    return out


def occurrences_of(conn: sqlite3.Connection, task_id: int) -> list[str]:
    return [r[0] for r in conn.execute("SELECT due FROM task_occurrences WHERE task_id = ? ORDER BY due", (task_id,))]


# documents ------------------------------------------------------------------------------------------------

_DOC_COLS = """id, filename, format, pages, size, doc_type, code, issued_date, issuer, org, title, signer, secret,
               superseded_by, n_tasks, n_targets, n_references, n_sections, n_units, indexed_at, reindexed_at, sha256"""


def _doc_dict(r: sqlite3.Row) -> dict[str, Any]:
    d = {k: r[k] for k in r.keys()}
    d["secret"] = bool(d["secret"])
    return d


def list_documents(
    conn: sqlite3.Connection, *, doc_type: str | None = None, issuer: str | None = None, year: int | None = None,
    q: str | None = None, include_hidden: bool = False, limit: int = 50, offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    where: list[str] = []
    params: list[Any] = []
    if not include_hidden:
        where.append("secret = 0")
    if doc_type:
        where.append("doc_type_key = ?")
        params.append(type_key(doc_type))
    if issuer:
        k = fold(issuer)
        where.append("(issuer_key LIKE ? OR org_key LIKE ?)")
        params.extend([f"%{k}%", f"%{k}%"])
    if year is not None:
        where.append("year = ?")
        params.append(year)
    if q and q.strip():
        expr = search.fts_query(q)
        ck = code_key(q)
        conds = []
        if expr:
            conds.append(f"id IN ({search.match_sql(search.DOCUMENT)})")
            params.append(expr)
        if ck:
            conds.append("code_key = ?")
            params.append(ck)
        if not conds:
            return [], 0
        where.append("(" + " OR ".join(conds) + ")")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = conn.execute(f"SELECT COUNT(*) FROM documents{clause}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT {_DOC_COLS} FROM documents{clause} ORDER BY issued_date IS NULL, issued_date DESC, id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [_doc_dict(r) for r in rows], total


def get_document(conn: sqlite3.Connection, doc_id: int, include_hidden: bool = False) -> dict[str, Any] | None:
    r = conn.execute(f"SELECT {_DOC_COLS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if r is None or (r["secret"] and not include_hidden):
        return None
    return _doc_dict(r)


def get_extraction(conn: sqlite3.Connection, doc_id: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT json, text FROM document_extractions WHERE document_id = ?", (doc_id,)).fetchone()
    if row is None:
        return None
    payload = json.loads(row[0])
    payload["text"] = row[1]
    return payload


def document_links(conn: sqlite3.Connection, doc_id: int, include_hidden: bool = False, relation: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """What this document cites (with the indexed document each reference resolves to) and what cites it."""
    rel = " AND r.relation = ?" if relation else ""
    extra = [relation] if relation else []
    outgoing = []
    for r in conn.execute(
        f"""SELECT r.id, r.text, r.doc_type, r.code, r.title, r.issued_date, r.issuer, r.relation, r.target_id,
                   d.code, d.doc_type, d.title, d.issued_date, d.secret
            FROM doc_references r LEFT JOIN documents d ON d.id = r.target_id
            WHERE r.document_id = ?{rel} ORDER BY r.seq""",
        [doc_id, *extra],
    ):
        target = None
        if r[8] is not None and (include_hidden or not r[13]):
            target = {"id": r[8], "code": r[9], "doc_type": r[10], "title": r[11], "issued_date": r[12]}
        outgoing.append({
            "reference_id": r[0], "text": r[1], "doc_type": r[2], "code": r[3], "title": r[4], "issued_date": r[5],
            "issuer": r[6], "relation": r[7], "document": target,
        })
    incoming = []
    for r in conn.execute(
        f"""SELECT r.id, r.text, r.relation, d.id, d.code, d.doc_type, d.title, d.issued_date, d.secret
            FROM doc_references r JOIN documents d ON d.id = r.document_id
            WHERE r.target_id = ?{rel} ORDER BY d.issued_date, d.id, r.seq""",
        [doc_id, *extra],
    ):
        if r[8] and not include_hidden:
            continue
        incoming.append({
            "reference_id": r[0], "text": r[1], "relation": r[2],
            "document": {"id": r[3], "code": r[4], "doc_type": r[5], "title": r[6], "issued_date": r[7]},
        })
    return {"outgoing": outgoing, "incoming": incoming}


# units -----------------------------------------------------------------------------------------------------

def _unit_counts(conn: sqlite3.Connection, ids: list[int], include_hidden: bool) -> dict[int, dict[str, int]]:
    out = {i: {"lead": 0, "support": 0, "supervisors": 0, "tasks": 0, "targets": 0} for i in ids}
    if not ids:
        return out
    marks = ",".join("?" * len(ids))
    hid = "" if include_hidden else " AND t.hidden = 0"
    for uid, role, n in conn.execute(
        f"SELECT tu.unit_id, tu.role, COUNT(*) FROM task_units tu JOIN tasks t ON t.id = tu.task_id WHERE tu.unit_id IN ({marks}){hid} GROUP BY tu.unit_id, tu.role",
        ids,
    ):
        out[uid][role] = n
    for uid, n in conn.execute(
        f"SELECT tu.unit_id, COUNT(DISTINCT tu.task_id) FROM task_units tu JOIN tasks t ON t.id = tu.task_id WHERE tu.unit_id IN ({marks}){hid} GROUP BY tu.unit_id",
        ids,
    ):
        out[uid]["tasks"] = n
    hid_g = "" if include_hidden else " AND g.hidden = 0"
    for uid, n in conn.execute(
        f"SELECT gu.unit_id, COUNT(DISTINCT gu.target_id) FROM target_units gu JOIN targets g ON g.id = gu.target_id WHERE gu.unit_id IN ({marks}){hid_g} GROUP BY gu.unit_id",
        ids,
    ):
        out[uid]["targets"] = n
    return out


def list_units(
    conn: sqlite3.Connection, *, q: str | None = None, org: str | None = None, kind: str | None = None,
    include_hidden: bool = False, limit: int = 50, offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    where: list[str] = []
    params: list[Any] = []
    if q or org:
        ids = find_units(conn, q, org, linked=False)
        if not ids:
            return [], 0
        where.append(f"id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    if kind:
        where.append("kind = ?")
        params.append(kind)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = conn.execute(f"SELECT COUNT(*) FROM units{clause}", params).fetchone()[0]
    rows = conn.execute(f"SELECT id, name, org, kind FROM units{clause} ORDER BY org_key, key LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    counts = _unit_counts(conn, [r[0] for r in rows], include_hidden)
    return [{"id": r[0], "name": r[1], "org": r[2], "kind": r[3], "counts": counts[r[0]]} for r in rows], total


def get_unit(conn: sqlite3.Connection, unit_id: int, include_hidden: bool = False) -> dict[str, Any] | None:
    r = conn.execute("SELECT id, name, org, kind, key FROM units WHERE id = ?", (unit_id,)).fetchone()
    if r is None:
        return None
    aliases = [a[0] for a in conn.execute("SELECT alias FROM unit_aliases WHERE unit_id = ? ORDER BY alias", (unit_id,))]
    linked = [
        {"id": x[0], "name": x[1], "org": x[2], "relation": x[3]}
        for x in conn.execute(
            "SELECT u.id, u.name, u.org, l.relation FROM unit_links l JOIN units u ON u.id = l.other_id WHERE l.unit_id = ? ORDER BY u.key",
            (unit_id,),
        )
    ]
    docs = conn.execute(
        "SELECT COUNT(*) FROM document_units du JOIN documents d ON d.id = du.document_id WHERE du.unit_id = ?"
        + ("" if include_hidden else " AND d.secret = 0"),
        (unit_id,),
    ).fetchone()[0]
    counts = _unit_counts(conn, [unit_id], include_hidden)[unit_id]
    counts["documents"] = docs
    return {"id": r[0], "name": r[1], "org": r[2], "kind": r[3], "aliases": aliases, "linked": linked, "counts": counts}


# targets and references ----------------------------------------------------------------------------------

def list_targets(
    conn: sqlite3.Connection, *, document: int | None = None, unit: str | None = None, org: str | None = None,
    q: str | None = None, include_hidden: bool = False, limit: int = 50, offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    where: list[str] = []
    params: list[Any] = []
    if not include_hidden:
        where.append("g.hidden = 0")
    if document is not None:
        where.append("g.document_id = ?")
        params.append(document)
    if unit or org:
        ids = find_units(conn, unit, org)
        if not ids:
            return [], 0
        where.append(f"g.id IN (SELECT target_id FROM target_units WHERE unit_id IN ({','.join('?' * len(ids))}))")
        params.extend(ids)
    if q and q.strip():
        expr = search.fts_query(q)
        if expr is None:
            return [], 0
        where.append(f"g.id IN ({search.match_sql(search.TARGET)})")
        params.append(expr)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = conn.execute(f"SELECT COUNT(*) FROM targets g{clause}", params).fetchone()[0]
    rows = conn.execute(
        f"""SELECT g.id, g.document_id, d.code, d.title, g.task_id, g.text, g.value, g.value_max, g.unit, g.comparator,
                   g.direction, g.subject, g.period, g.baseline, g.path
            FROM targets g JOIN documents d ON d.id = g.document_id{clause}
            ORDER BY g.document_id, g.seq LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    ).fetchall()
    ids = [r[0] for r in rows]
    units: dict[int, dict[str, list[dict[str, Any]]]] = {i: {"lead": [], "support": []} for i in ids}
    if ids:
        for gid, role, uid, written in conn.execute(
            f"SELECT target_id, role, unit_id, written FROM target_units WHERE target_id IN ({','.join('?' * len(ids))})", ids
        ):
            units[gid].setdefault(role, []).append({"id": uid, "name": written})
    keys = ["id", "document_id", "document_code", "document_title", "task_id", "text", "value", "value_max", "unit",
            "comparator", "direction", "subject", "period", "baseline", "path"]
    return [dict(zip(keys, r)) | units[r[0]] for r in rows], total


def list_references(
    conn: sqlite3.Connection, *, document: int | None = None, code: str | None = None, relation: str | None = None,
    linked: bool | None = None, include_hidden: bool = False, limit: int = 50, offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    where: list[str] = []
    params: list[Any] = []
    if not include_hidden:
        where.append("d.secret = 0")
    if document is not None:
        where.append("r.document_id = ?")
        params.append(document)
    if code:
        where.append("r.code_key = ?")
        params.append(code_key(code))
    if relation:
        where.append("r.relation = ?")
        params.append(relation)
    if linked is not None:
        where.append("r.target_id IS NOT NULL" if linked else "r.target_id IS NULL")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    base = " FROM doc_references r JOIN documents d ON d.id = r.document_id LEFT JOIN documents t ON t.id = r.target_id"
    total = conn.execute(f"SELECT COUNT(*){base}{clause}", params).fetchone()[0]
    rows = conn.execute(
        f"""SELECT r.id, r.document_id, d.code, r.text, r.doc_type, r.code, r.title, r.issued_date, r.issuer, r.relation,
                   r.target_id, t.code, t.secret{base}{clause} ORDER BY r.document_id, r.seq LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    ).fetchall()
    out = []
    for r in rows:
        visible = r[10] is not None and (include_hidden or not r[12])
        out.append({
            "id": r[0], "document_id": r[1], "document_code": r[2], "text": r[3], "doc_type": r[4], "code": r[5],
            "title": r[6], "issued_date": r[7], "issuer": r[8], "relation": r[9],
            "target": {"id": r[10], "code": r[11]} if visible else None,
        })
    return out, total
