"""Full-text search over tasks, targets and documents with SQLite FTS5.

Each kind has its own FTS5 table (`fts_tasks`, `fts_targets`,
`fts_documents`, rowid = the row's id) holding a folded copy of the text:
case, tone marks and `đ` folded character by character
(`service.keys.fold_same_length`), because FTS5's `remove_diacritics` does
not fold `đ`. Queries are folded the same way and every term is quoted, so
FTS syntax characters (`"`, `*`, `:`, `-`, `(`, `AND`, `NEAR`) are searched
as text, never parsed; all terms must occur.

Candidates of each kind are the most recent rows holding the words as a
phrase and the best bm25 rows (over the most recent `RANK_WINDOW` matches
when a common word matches more: scoring every match would cost far more
than it tells). They are then ordered by how close they are to the query:
the words as a phrase, the longest run of them side by side, and, when the
query has tone marks, the words spelt as typed (folding makes `chuyên`
match `chuyển`); bm25 breaks ties. Snippets are cut from the original text
around the densest run of matches, escaped, with the matched words in
`<mark>...</mark>`. The ingest module calls `index` and `unindex`;
nothing here decides what is indexed.
"""
from __future__ import annotations

import html
import re
import copy
import sqlite3
from dataclasses import dataclass
from typing import Iterable

from extractors.vntext import unify_tones
from service.readcache import LRU

from service.keys import fold_same_length

TABLES = {"task": "fts_tasks", "target": "fts_targets", "document": "fts_documents"}
TASK, TARGET, DOCUMENT = "task", "target", "document"
_KIND_ORDER = {TASK: 0, TARGET: 1, DOCUMENT: 2}  # on a tie, what an office acts on comes first
RANK_WINDOW = 400
RANK_WINDOW_DOCUMENTS = 100  # long texts: bm25 costs more per row
SNIPPET_CHARS = 220
_TERM = re.compile(r"[^\W_]+")


def index(conn: sqlite3.Connection, kind: str, rows: Iterable[tuple[int, str, bool]]) -> None:
    """Add (id, text, hidden) rows of one kind to its index."""
    conn.executemany(
        f"INSERT INTO {TABLES[kind]} (rowid, body, hidden) VALUES (?, ?, ?)",
        ((i, fold_same_length(t or ""), int(h)) for i, t, h in rows),
    )


def unindex(conn: sqlite3.Connection, kind: str, ids: Iterable[int]) -> None:
    conn.executemany(f"DELETE FROM {TABLES[kind]} WHERE rowid = ?", ((i,) for i in ids))


def terms(q: str) -> list[str]:
    """The folded words of a query (at most 32)."""
    return _TERM.findall(fold_same_length(q or ""))[:32]


def fts_query(q: str) -> str | None:
    """The FTS5 MATCH expression for a user's words (all must occur), or None when there are none."""
    ts = terms(q)
    if not ts:
        return None
    return " ".join(f'"{t}"' for t in ts)


def match_sql(kind: str) -> str:
    """A subquery of the ids of one kind matching `?` (an `fts_query` expression)."""
    t = TABLES[kind]
    return f"SELECT rowid FROM {t} WHERE {t} MATCH ?"


def snippet(original: str, words: list[str], width: int = SNIPPET_CHARS, folded: str | None = None) -> str:
    """HTML: the part of `original` with the most query words close together, the words marked.

    `folded` is `fold_same_length(original)` when the caller has it (the index stores it).
    """
    if not original:
        return ""
    if folded is None or len(folded) != len(original):
        folded = fold_same_length(original)
    uniq = sorted(set(words), key=len, reverse=True)
    if not uniq:
        return html.escape(original[:width])
    pat = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(w) for w in uniq) + r")(?![^\W_])")
    found = _matches(pat, folded, 0, _REGION)
    if len({m.group(0) for m in found}) < len(uniq) and len(folded) > _REGION:
        # not every word in the opening part of a long text: look through all of it
        found = _matches(pat, folded, 0, len(folded))
    if len(original) <= width + 40:
        start, end = 0, len(original)
    elif not found:
        start, end = 0, width
    else:
        best, best_n = found[0], 0.0
        j = 0
        order = {w: k for k, w in enumerate(words)}
        for i, m in enumerate(found[:400]):
            j = max(j, i)
            while j + 1 < len(found) and found[j + 1].end() <= m.start() + width:
                j += 1
            window = found[i : j + 1]
            # distinct words, and a half point per pair of query words standing side by side in order
            side = sum(
                1 for a, b in zip(window, window[1:])
                if b.start() - a.end() <= 3 and order.get(b.group(0), -9) == order.get(a.group(0), -9) + 1
            )
            n = len({f.group(0) for f in window}) + 0.5 * side
            if n > best_n:
                best, best_n = m, n
        start = max(0, best.start() - 40)
        sp = original.rfind(" ", max(0, start - 15), start)
        start = sp + 1 if sp >= 0 and start > 0 else start
        end = min(len(original), best.start() + width)
        sp = original.find(" ", end, min(len(original), end + 15))
        end = sp if sp >= 0 else end
    out: list[str] = ["…"] if start > 0 else []
    pos = start
    for m in found:
        if m.start() < start:
            continue
        if m.end() > end:
            break
        out.append(html.escape(original[pos : m.start()]))
        out.append("<mark>" + html.escape(original[m.start() : m.end()]) + "</mark>")
        pos = m.end()
    out.append(html.escape(original[pos:end]))
    if end < len(original):
        out.append("…")
    return " ".join("".join(out).split()) if "\n" in original[start:end] else "".join(out)


_REGION = 20_000


def _matches(pat: re.Pattern[str], folded: str, start: int, end: int) -> list[re.Match[str]]:
    found = []
    for m in pat.finditer(folded, start, end):
        found.append(m)
        if len(found) >= 2000:
            break
    return found


@dataclass
class Hit:
    kind: str
    id: int
    score: float  # bm25: lower is better


def _ranked(conn: sqlite3.Connection, table: str, expr: str, hid: str, n: int, window: int) -> list[tuple[int, float]]:
    """bm25 order, over the most recent `window` matches when there are more."""
    low = conn.execute(
        f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET {window - 1}", (expr,)
    ).fetchone()
    if low is None:
        sql, params = f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ?{hid} ORDER BY rank LIMIT ?", [expr, n]
    else:
        sql = f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? AND rowid >= ?{hid} ORDER BY rank LIMIT ?"
        params = [expr, low[0], n]
    return [(int(r[0]), float(r[1])) for r in conn.execute(sql, params)]


_PHRASE_BONUS = -1000.0  # rows with the words side by side, in order, come before the others


def _kind_hits(conn: sqlite3.Connection, kind: str, words: list[str], include_hidden: bool, n: int) -> list[Hit]:
    """Candidates of one kind: the most recent rows with the words as a phrase, then the best bm25 rows."""
    table = TABLES[kind]
    hid = "" if include_hidden else " AND hidden = 0"
    window = RANK_WINDOW_DOCUMENTS if kind == DOCUMENT else RANK_WINDOW
    hits: list[Hit] = []
    seen: set[int] = set()
    if len(words) > 1:
        phrase = '"' + " ".join(words) + '"'
        for r in conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?{hid} ORDER BY rowid DESC LIMIT ?", (phrase, n)):
            hits.append(Hit(kind, int(r[0]), _PHRASE_BONUS))
            seen.add(int(r[0]))
    if len(hits) < n:
        for rid, score in _ranked(conn, table, " ".join(f'"{w}"' for w in words), hid, n + len(seen), window):
            if rid not in seen:
                hits.append(Hit(kind, rid, score))
    return hits[:n]


def _word(w: str) -> str:
    return r"(?<![^\W_])" + re.escape(w) + r"(?![^\W_])"


def _longest_run(words: list[str], folded: str) -> tuple[int, int]:
    """(the longest run of query words found side by side in order, how many adjacent pairs are found)."""
    found = [bool(re.search(_word(a) + r"[\W_]+" + _word(b), folded)) for a, b in zip(words, words[1:])]
    best = run = 0
    for f in found:
        run = run + 1 if f else 0
        best = max(best, run)
    return best, sum(found)


def _order_key(conn: sqlite3.Connection, hit: Hit, words: list[str], exact: list[str] | None) -> tuple[float, ...]:
    """(phrase, longest run of query words side by side, adjacent pairs, words spelt as typed, bm25).

    Folding makes `chuyên` match `chuyển`; query words standing side by side
    (`chuyen doi so`) and, for a task or target when the query has tone
    marks, the words spelt the same way tell the intended text from the
    accidental one.
    """
    row = conn.execute(f"SELECT body FROM {TABLES[hit.kind]} WHERE rowid = ?", (hit.id,)).fetchone()
    folded = row[0] if row else ""
    run, pairs = _longest_run(words, folded[:_REGION] if hit.kind == DOCUMENT else folded)
    spelt = 0
    if exact and hit.kind != DOCUMENT:
        table = "tasks" if hit.kind == TASK else "targets"
        orig = conn.execute(f"SELECT text FROM {table} WHERE id = ?", (hit.id,)).fetchone()
        text = unify_tones(orig[0]).lower() if orig and orig[0] else ""
        spelt = sum(1 for w in set(exact) if re.search(_word(w), text))
    phrase = 1 if hit.score < _PHRASE_BONUS / 2 else 0
    return (-phrase, -run, -pairs, -spelt, hit.score)


def search(
    conn: sqlite3.Connection,
    q: str,
    *,
    kinds: Iterable[str] | None = None,
    include_hidden: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> list[Hit]:
    """Best matches first across the kinds asked for (all by default)."""
    words = terms(q)
    if not words:
        return []
    typed = _TERM.findall(unify_tones(q).lower())
    exact = typed if typed != words else None  # the query carries tone marks
    want = offset + limit
    candidates = want + 15
    hits: list[Hit] = []
    for kind in [k for k in TABLES if not kinds or k in set(kinds)]:
        hits.extend(_kind_hits(conn, kind, words, include_hidden, candidates if kind != DOCUMENT else want))
    if len(words) > 1 or exact:
        keyed = [(_order_key(conn, h, words, exact), h) for h in hits]
        keyed.sort(key=lambda kh: (kh[0], _KIND_ORDER[kh[1].kind], -kh[1].id))
        hits = [h for _k, h in keyed]
    else:
        hits.sort(key=lambda h: (h.score, _KIND_ORDER[h.kind], -h.id))
    return hits[offset : offset + limit]


# Results per store generation: the same searches recur (a dashboard, paging back and forth), and any
# committed write changes the generation, so a cached answer is never stale.
_RESULTS_CACHE = LRU(256)


def results(
    conn: sqlite3.Connection,
    q: str,
    *,
    kinds: Iterable[str] | None = None,
    include_hidden: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> list[dict[str, object]]:
    """Search hits with their document and an HTML snippet of the original text (cached per store generation)."""
    from service.db import generation

    key = (generation(conn), q, tuple(sorted(kinds)) if kinds else None, include_hidden, limit, offset)
    hit = _RESULTS_CACHE.get(key)
    if hit is None:
        hit = _results(conn, q, kinds, include_hidden, limit, offset)
        _RESULTS_CACHE.put(key, hit)
    return copy.deepcopy(hit)


def _results(
    conn: sqlite3.Connection, q: str, kinds: Iterable[str] | None, include_hidden: bool, limit: int, offset: int
) -> list[dict[str, object]]:
    words = terms(q)
    out: list[dict[str, object]] = []
    for h in search(conn, q, kinds=kinds, include_hidden=include_hidden, limit=limit, offset=offset):
        if h.kind == TASK:
            row = conn.execute(
                "SELECT t.text, t.document_id, d.code, d.title, d.doc_type FROM tasks t JOIN documents d ON d.id = t.document_id WHERE t.id = ?",
                (h.id,),
            ).fetchone()
        elif h.kind == TARGET:
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
        folded = None
        if h.kind == DOCUMENT:
            f = conn.execute(f"SELECT body FROM {TABLES[DOCUMENT]} WHERE rowid = ?", (h.id,)).fetchone()
            folded = f[0] if f else None
        out.append({
            "kind": h.kind,
            "id": h.id,
            "document": {"id": row[1], "code": row[2], "title": row[3], "doc_type": row[4]},
            "text": (row[3] or "") if h.kind == DOCUMENT else text,
            "snippet": snippet(text, words, folded=folded),
            "score": round(-h.score - (1000 if h.score < _PHRASE_BONUS / 2 else 0), 4),
        })
    return out
