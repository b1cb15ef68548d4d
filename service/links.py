"""Links between documents: a reference whose code matches an indexed document points to it.

`relink(conn, doc_id)` runs after a document is (re)indexed: its own
references are matched against the store, and earlier references elsewhere
that cite its code now point to it (the cited document may arrive after the
citing one). A code names one document only together with its date, so a
reference and a document that both carry a date must agree on it.
`refresh_superseded` flags a document that a later one amends or replaces
(`documents.superseded_by`), whichever of the two was indexed first.
Reading the links for the API lives in `service.queries`.
"""
from __future__ import annotations

import sqlite3
from typing import Iterable

SUPERSEDING = ("amends", "replaces")


def _pick(conn: sqlite3.Connection, code_key: str, issued: str | None, doc_type: str | None, exclude: int) -> int | None:
    rows = conn.execute(
        "SELECT id, issued_date, doc_type_key FROM documents WHERE code_key = ? AND id != ? ORDER BY id",
        (code_key, exclude),
    ).fetchall()
    if not rows:
        return None
    fitting = [r for r in rows if not (issued and r[1] and r[1][:10] != issued[:10])]
    if not fitting:
        return None
    if issued:
        same = [r for r in fitting if r[1] and r[1][:10] == issued[:10]]
        if same:
            return int(same[0][0])
    if doc_type:
        from service.keys import type_key

        tk = type_key(doc_type)
        same_type = [r for r in fitting if r[2] == tk]
        if same_type:
            return int(same_type[0][0])
    return int(fitting[0][0])


def relink(conn: sqlite3.Connection, doc_id: int) -> dict[str, int]:
    """Resolve this document's references and the store's references to it; refresh superseded flags."""
    before = {r[0] for r in conn.execute("SELECT target_id FROM doc_references WHERE document_id = ? AND target_id IS NOT NULL", (doc_id,))}
    before |= {r[0] for r in conn.execute("SELECT id FROM documents WHERE superseded_by = ?", (doc_id,))}
    outgoing = 0
    refs = conn.execute(
        "SELECT id, code_key, issued_date, doc_type FROM doc_references WHERE document_id = ? AND code_key IS NOT NULL",
        (doc_id,),
    ).fetchall()
    updates: list[tuple[int | None, int]] = []
    for rid, ck, issued, dtype in refs:
        target = _pick(conn, ck, issued, dtype, doc_id)
        updates.append((target, rid))
        outgoing += target is not None
    conn.executemany("UPDATE doc_references SET target_id = ? WHERE id = ?", updates)

    row = conn.execute("SELECT code_key, issued_date FROM documents WHERE id = ?", (doc_id,)).fetchone()
    code_key, issued = (row[0], row[1]) if row else (None, None)
    # references that pointed here under a code this document no longer has
    conn.execute(
        "UPDATE doc_references SET target_id = NULL WHERE target_id = ? AND (code_key IS NULL OR code_key != ?)",
        (doc_id, code_key or ""),
    )
    incoming = 0
    if code_key:
        cands = conn.execute(
            "SELECT id, document_id, issued_date, target_id FROM doc_references WHERE code_key = ? AND document_id != ?",
            (code_key, doc_id),
        ).fetchall()
        for rid, _src, r_issued, current in cands:
            if r_issued and issued and r_issued[:10] != issued[:10]:
                continue
            if current is None or current == doc_id:
                conn.execute("UPDATE doc_references SET target_id = ? WHERE id = ?", (doc_id, rid))
                incoming += 1
    after = {r[0] for r in conn.execute("SELECT target_id FROM doc_references WHERE document_id = ? AND target_id IS NOT NULL", (doc_id,))}
    refresh_superseded(conn, before | after | {doc_id})
    return {"outgoing": outgoing, "incoming": incoming}


def refresh_superseded(conn: sqlite3.Connection, doc_ids: Iterable[int]) -> None:
    """Set each document's `superseded_by` to the newest indexed document that amends or replaces it."""
    conn.executemany(
        """UPDATE documents SET superseded_by = (
               SELECT r.document_id FROM doc_references r JOIN documents s ON s.id = r.document_id
               WHERE r.target_id = documents.id AND r.relation IN ('amends', 'replaces') AND r.document_id != documents.id
               ORDER BY s.issued_date DESC, r.document_id DESC LIMIT 1)
           WHERE id = ?""",
        [(i,) for i in doc_ids if i is not None],
    )
