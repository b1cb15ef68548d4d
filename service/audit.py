"""The audit log: who changed what and when (status, corrections, uploads, deletions).

Rows are only ever appended, in the caller's transaction, and survive the
deletion of the task or document they name. Nothing here decides whether a
change is allowed.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import Any


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def record(
    conn: sqlite3.Connection,
    who: str,
    action: str,
    *,
    task_id: int | None = None,
    document_id: int | None = None,
    detail: dict[str, Any] | None = None,
    at: str | None = None,
) -> int:
    cur = conn.execute(
        "INSERT INTO audit (at, who, action, task_id, document_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (at or now_iso(), who or "anonymous", action, task_id, document_id, json.dumps(detail or {}, ensure_ascii=False)),
    )
    return int(cur.lastrowid or 0)


def entries(
    conn: sqlite3.Connection,
    *,
    task_id: int | None = None,
    document_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Newest first."""
    where, params = [], []
    if task_id is not None:
        where.append("task_id = ?")
        params.append(task_id)
    if document_id is not None:
        where.append("document_id = ?")
        params.append(document_id)
    sql = "SELECT id, at, who, action, task_id, document_id, detail FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT ? OFFSET ?"
    rows = conn.execute(sql, [*params, limit, offset]).fetchall()
    return [
        {"id": r[0], "at": r[1], "who": r[2], "action": r[3], "task_id": r[4], "document_id": r[5], "detail": json.loads(r[6] or "{}")}
        for r in rows
    ]
