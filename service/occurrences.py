"""The store side of recurring deadlines: `task_occurrences` rows and each task's `sort_due`.

`refresh(conn, task_ids)` recomputes the concrete dates of recurring tasks
(from the task's start, else its document's date, else today, to a year
after today) and sets `sort_due`, the date task lists are ordered by: the
due date, or a recurring task's next date. `refresh_daily` keeps both
current as days pass (run before listing tasks; it does work once a day).
The date arithmetic itself is `service.recurrence`.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date, timedelta

from service.db import transaction
from service.keys import parse_iso
from service.recurrence import normalise_recurrence, occurrences

_DONE_DAYS: set[tuple[str, str]] = set()
_LOCK = threading.Lock()


def refresh(conn: sqlite3.Connection, task_ids: list[int], today: date | None = None) -> None:
    """Recompute occurrences and `sort_due` of these tasks (inside the caller's transaction)."""
    today = today or date.today()
    until = date(today.year + 1, today.month, 1)
    for tid in task_ids:
        conn.execute("DELETE FROM task_occurrences WHERE task_id = ?", (tid,))
        row = conn.execute(
            """SELECT t.dl_kind, t.dl_recurrence, t.dl_day, t.dl_month, t.dl_text, t.dl_start, d.issued_date, t.due
               FROM tasks t JOIN documents d ON d.id = t.document_id WHERE t.id = ?""",
            (tid,),
        ).fetchone()
        if row is None:
            continue
        if row[0] != "recurring":
            conn.execute("UPDATE tasks SET sort_due = due WHERE id = ?", (tid,))
            continue
        anchor = parse_iso(row[5]) or parse_iso(row[6]) or today
        dates = occurrences(
            normalise_recurrence(json.loads(row[1]) if row[1] else []), row[2], row[3], row[4],
            after=anchor, until=max(until, anchor + timedelta(days=366)),
        )
        conn.executemany("INSERT OR IGNORE INTO task_occurrences (task_id, due) VALUES (?, ?)", [(tid, d.isoformat()) for d in dates])
        nxt = next((d.isoformat() for d in dates if d >= today), None)
        conn.execute("UPDATE tasks SET sort_due = COALESCE(due, ?) WHERE id = ?", (nxt, tid))


def refresh_daily(conn: sqlite3.Connection, today: date | None = None) -> bool:
    """Once a day per store: extend recurring tasks that run out of dates and move `sort_due` on."""
    today = today or date.today()
    name = conn.execute("PRAGMA database_list").fetchone()[2] or ""
    key = (name, today.isoformat())
    with _LOCK:
        if key in _DONE_DAYS:
            return False
        _DONE_DAYS.add(key)
    row = conn.execute("SELECT value FROM meta WHERE key = 'occurrences_day'").fetchone()
    if row and row[0] >= today.isoformat():
        return False
    soon = (today + timedelta(days=183)).isoformat()
    with transaction(conn):
        stale = [r[0] for r in conn.execute(
            """SELECT t.id FROM tasks t WHERE t.dl_kind = 'recurring'
               AND COALESCE((SELECT MAX(due) FROM task_occurrences o WHERE o.task_id = t.id), '') < ?""",
            (soon,),
        )]
        refresh(conn, stale, today)
        conn.execute(
            """UPDATE tasks SET sort_due = COALESCE(due,
                   (SELECT MIN(o.due) FROM task_occurrences o WHERE o.task_id = tasks.id AND o.due >= ?))
               WHERE dl_kind = 'recurring'""",
            (today.isoformat(),),
        )
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('occurrences_day', ?)", (today.isoformat(),))
    return True
