"""Full-text search over tasks, targets and documents with SQLite FTS5.

The index holds a folded copy of each text (case, tone marks and `đ`
folded character by character, `service.keys.fold_same_length`), because
FTS5's `remove_diacritics` does not fold `đ`. Queries are folded the same
way and every term is quoted, so FTS syntax characters (`"`, `*`, `:`,
`-`, `(`, `AND`) are searched as text, never parsed. Snippets come from
FTS5 `snippet()` on the folded text and are mapped back onto the original
text (same offsets), escaped, with `<mark>...</mark>` around the matches.

Row ids encode what a row is: `id * 4 + kind`. Nothing here decides what is
indexed; the ingest module calls `index_*`.
"""
from __future__ import annotations

import html
import re
import sqlite3
from dataclasses import dataclass
from typing import Iterable

from service.keys import fold_same_length

TASK, TARGET, DOCUMENT = 0, 1, 2
KINDS = {"task": TASK, "target": TARGET, "document": DOCUMENT}
KIND_NAMES = {v: k for k, v in KINDS.items()}
_OPEN, _CLOSE, _ELLIPSIS = "\x02", "\x03", "\x04"
_TERM = re.compile(r"[^\W_]+")


def rowid(kind: int, ident: int) -> int:
    return ident * 4 + kind


def index(conn: sqlite3.Connection, rows: Iterable[tuple[int, int, str, bool]]) -> None:
    """Add (kind, id, text, hidden) rows to the index."""
    conn.executemany(
        "INSERT INTO search_fts (rowid, body, hidden) VALUES (?, ?, ?)",
        ((rowid(k, i), fold_same_length(t or ""), int(h)) for k, i, t, h in rows),
    )


def unindex(conn: sqlite3.Connection, kind: int, ids: Iterable[int]) -> None:
    conn.executemany("DELETE FROM search_fts WHERE rowid = ?", ((rowid(kind, i),) for i in ids))


def fts_query(q: str) -> str | None:
    """The FTS5 MATCH expression for a user's words (all must occur), or None when there are none."""
    terms = _TERM.findall(fold_same_length(q or ""))
    if not terms:
        return None
    return " ".join(f'"{t}"' for t in terms[:32])


def snippet_html(original: str, fragment: str) -> str:
    """A folded FTS5 snippet (markers \\x02/\\x03, ellipsis \\x04) rewritten on the original text, HTML-escaped."""
    lead = fragment.startswith(_ELLIPSIS)
    trail = fragment.endswith(_ELLIPSIS)
    core = fragment.strip(_ELLIPSIS)
    plain = core.replace(_OPEN, "").replace(_CLOSE, "")
    pos = fold_same_length(original).find(plain) if plain else -1
    out: list[str] = ["…"] if lead else []
    if pos < 0:
        out.append(html.escape(core).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))
    else:
        i = pos
        for ch in core:
            if ch == _OPEN:
                out.append("<mark>")
            elif ch == _CLOSE:
                out.append("</mark>")
            else:
                out.append(html.escape(original[i]))
                i += 1
    if trail:
        out.append("…")
    return "".join(out)


@dataclass
class Hit:
    kind: str
    id: int
    fragment: str
    score: float


def search(
    conn: sqlite3.Connection,
    q: str,
    *,
    kinds: Iterable[str] | None = None,
    include_hidden: bool = False,
    limit: int = 20,
    offset: int = 0,
    tokens: int = 16,
) -> list[Hit]:
    """Best matches first (bm25). Returns raw hits; `snippet_html` renders their fragments."""
    expr = fts_query(q)
    if expr is None:
        return []
    where = ["search_fts MATCH ?"]
    params: list[object] = [expr]
    if not include_hidden:
        where.append("hidden = 0")
    wanted = sorted({KINDS[k] for k in (kinds or []) if k in KINDS})
    if wanted and len(wanted) < len(KINDS):
        where.append(f"(rowid % 4) IN ({','.join(str(k) for k in wanted)})")
    sql = (
        f"SELECT rowid, snippet(search_fts, 0, char(2), char(3), char(4), {int(tokens)}), rank "
        f"FROM search_fts WHERE {' AND '.join(where)} ORDER BY rank LIMIT ? OFFSET ?"
    )
    rows = conn.execute(sql, [*params, limit, offset]).fetchall()
    return [Hit(kind=KIND_NAMES[r[0] % 4], id=r[0] // 4, fragment=r[1] or "", score=float(r[2])) for r in rows]


def task_match_sql() -> str:
    """A subquery of task ids matching `?` (an `fts_query` expression)."""
    return "SELECT rowid / 4 FROM search_fts WHERE search_fts MATCH ? AND rowid % 4 = 0"


def document_match_sql() -> str:
    return "SELECT rowid / 4 FROM search_fts WHERE search_fts MATCH ? AND rowid % 4 = 2"


def target_match_sql() -> str:
    return "SELECT rowid / 4 FROM search_fts WHERE search_fts MATCH ? AND rowid % 4 = 1"


def results(
    conn: sqlite3.Connection,
    q: str,
    *,
    kinds: Iterable[str] | None = None,
    include_hidden: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> list[dict[str, object]]:
    """Search hits with their document and an HTML snippet of the original text."""
    hits = search(conn, q, kinds=kinds, include_hidden=include_hidden, limit=limit, offset=offset)
    out: list[dict[str, object]] = []
    for h in hits:
        if h.kind == "task":
            row = conn.execute(
                "SELECT t.text, t.document_id, d.code, d.title, d.doc_type FROM tasks t JOIN documents d ON d.id = t.document_id WHERE t.id = ?",
                (h.id,),
            ).fetchone()
        elif h.kind == "target":
            row = conn.execute(
                "SELECT g.text, g.document_id, d.code, d.title, d.doc_type FROM targets g JOIN documents d ON d.id = g.document_id WHERE g.id = ?",
                (h.id,),
            ).fetchone()
        else:
            row = conn.execute(
                "SELECT e.text, d.id, d.code, d.title, d.doc_type FROM document_extractions e JOIN documents d ON d.id = e.document_id WHERE d.id = ?",
                (h.id,),
            ).fetchone()
        if row is None:
            continue
        text = row[0] or ""
        out.append({
            "kind": h.kind,
            "id": h.id,
            "document": {"id": row[1], "code": row[2], "title": row[3], "doc_type": row[4]},
            "text": (row[3] or "") if h.kind == "document" else text,
            "snippet": snippet_html(text, h.fragment),
            "score": round(-h.score, 4),
        })
    return out
