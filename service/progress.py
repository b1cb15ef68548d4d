"""A task's progress: the status a person sets (with a note), and overdue as of a date.

Statuses are `chưa thực hiện`, `đang thực hiện`, `hoàn thành`; common
spellings without tone marks and English words are accepted on input.
A task is overdue on a date when its due date is before that date and it is
not `hoàn thành`. Every change goes to the audit log with who and when.
"""
from __future__ import annotations

import sqlite3
from datetime import date

from extractors.vntext import fold

from service import audit

NOT_STARTED, IN_PROGRESS, DONE = "chưa thực hiện", "đang thực hiện", "hoàn thành"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE)
_SYNONYMS = {
    "chua thuc hien": NOT_STARTED, "not started": NOT_STARTED, "not_started": NOT_STARTED, "todo": NOT_STARTED, "open": NOT_STARTED,
    "dang thuc hien": IN_PROGRESS, "in progress": IN_PROGRESS, "in_progress": IN_PROGRESS, "doing": IN_PROGRESS,
    "hoan thanh": DONE, "da hoan thanh": DONE, "done": DONE, "completed": DONE, "complete": DONE,
}


def normalise_status(value: str) -> str:
    """The canonical status for what a person typed; ValueError when it is none of them."""
    key = fold(value or "").replace("_", " ")
    if key in _SYNONYMS:
        return _SYNONYMS[key]
    raise ValueError(f"unknown status {value!r}: one of {', '.join(STATUSES)}")


def is_overdue(due: str | None, status: str, as_of: date) -> bool:
    return bool(due) and str(due)[:10] < as_of.isoformat() and status != DONE


def set_status(conn: sqlite3.Connection, task_id: int, status: str, who: str, note: str | None = None) -> str:
    """Set a task's status inside the caller's transaction; KeyError for an unknown task."""
    canonical = normalise_status(status)
    row = conn.execute("SELECT status, status_note, document_id FROM tasks WHERE id = ?", (task_id,)).fetchone()
    if row is None:
        raise KeyError(task_id)
    at = audit.now_iso()
    conn.execute(
        "UPDATE tasks SET status = ?, status_note = ?, status_by = ?, status_at = ? WHERE id = ?",
        (canonical, note, who, at, task_id),
    )
    audit.record(
        conn, who, "status", task_id=task_id, document_id=row[2],
        detail={"before": row[0], "after": canonical, "note": note}, at=at,
    )
    return canonical
