"""Corrections a person makes to a task's units or deadline, kept apart from the extraction.

Each correction is a row of `task_corrections` (field, value, who, when,
note) and an audit entry; the task's columns and unit rows are rewritten and
marked (`tasks.corrected`, `task_units.corrected`). Re-indexing rewrites a
task from the new extraction and then calls `reapply`, so the latest
correction of each field wins over any extraction. Status changes are the
progress module's; this one only corrects.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from service import audit
from service.occurrences import refresh as refresh_occurrences
from service.units_registry import UnitRegistry

UNIT_FIELDS = ("lead", "support", "supervisors")
DEADLINE_FIELDS = ("due", "start", "deadline_text", "deadline_kind")
FIELDS = UNIT_FIELDS + DEADLINE_FIELDS
_COLUMN = {"due": "dl_due", "start": "dl_start", "deadline_text": "dl_text", "deadline_kind": "dl_kind"}


class CorrectionError(ValueError):
    """A correction that names an unknown field or gives a value of the wrong shape."""


def _validate(field: str, value: Any) -> Any:
    if field in UNIT_FIELDS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CorrectionError(f"{field}: expected a list of unit names")
        return [" ".join(v.split()) for v in value if v.strip()]
    if field in ("due", "start"):
        if value is None:
            return None
        try:
            return date.fromisoformat(str(value)[:10]).isoformat()
        except ValueError as err:
            raise CorrectionError(f"{field}: expected an ISO date (YYYY-MM-DD)") from err
    if field == "deadline_kind":
        from models.domain import DEADLINE_KINDS

        if value not in DEADLINE_KINDS:
            raise CorrectionError(f"deadline_kind: one of {', '.join(DEADLINE_KINDS)}")
        return value
    if field == "deadline_text":
        return None if value is None else str(value)
    raise CorrectionError(f"unknown field {field!r}: one of {', '.join(FIELDS)}")


def corrected_fields(conn: sqlite3.Connection, task_id: int) -> list[str]:
    row = conn.execute("SELECT corrected FROM tasks WHERE id = ?", (task_id,)).fetchone()
    return json.loads(row[0]) if row and row[0] else []


def latest(conn: sqlite3.Connection, task_id: int) -> dict[str, Any]:
    """The latest corrected value of each field."""
    out: dict[str, Any] = {}
    for field, value in conn.execute("SELECT field, value FROM task_corrections WHERE task_id = ? ORDER BY id", (task_id,)):
        out[field] = json.loads(value) if value is not None else None
    return out


def _set_units(conn: sqlite3.Connection, registry: UnitRegistry, task_id: int, role: str, names: list[str], scope: str) -> None:
    conn.execute("DELETE FROM task_units WHERE task_id = ? AND role = ?", (task_id, role))
    seen: set[int] = set()
    for pos, name in enumerate(names):
        uid = registry.resolve(name, scope)
        if uid is None or uid in seen:
            continue
        seen.add(uid)
        conn.execute(
            "INSERT INTO task_units (task_id, role, unit_id, position, written, corrected) VALUES (?, ?, ?, ?, ?, 1)",
            (task_id, role, uid, pos, name),
        )


def _apply_deadline(conn: sqlite3.Connection, task_id: int, values: dict[str, Any]) -> None:
    sets = {_COLUMN[f]: v for f, v in values.items() if f in _COLUMN}
    if not sets:
        return
    if "dl_due" in sets and "dl_kind" not in sets and sets["dl_due"]:
        kind = conn.execute("SELECT dl_kind FROM tasks WHERE id = ?", (task_id,)).fetchone()[0]
        if kind in ("none", "ongoing", "per_plan"):
            sets["dl_kind"] = "dated"
    cols = ", ".join(f"{c} = ?" for c in sets)
    conn.execute(f"UPDATE tasks SET {cols} WHERE id = ?", [*sets.values(), task_id])
    conn.execute("UPDATE tasks SET due = dl_due WHERE id = ?", (task_id,))
    refresh_occurrences(conn, [task_id])


def correct(conn: sqlite3.Connection, task_id: int, changes: dict[str, Any], who: str, note: str | None = None) -> list[str]:
    """Apply and keep a person's corrections (inside the caller's transaction); returns the fields changed."""
    if not changes:
        raise CorrectionError("nothing to correct: give at least one of " + ", ".join(FIELDS))
    clean = {f: _validate(f, v) for f, v in changes.items()}
    row = conn.execute(
        "SELECT d.org FROM tasks t JOIN documents d ON d.id = t.document_id WHERE t.id = ?", (task_id,)
    ).fetchone()
    if row is None:
        raise KeyError(task_id)
    scope = row[0] or ""
    before = _current(conn, task_id)
    at = audit.now_iso()
    registry = UnitRegistry(conn)
    for field, value in clean.items():
        conn.execute(
            "INSERT INTO task_corrections (task_id, field, value, note, by, at) VALUES (?, ?, ?, ?, ?, ?)",
            (task_id, field, json.dumps(value, ensure_ascii=False), note, who, at),
        )
        if field in UNIT_FIELDS:
            _set_units(conn, registry, task_id, field, value, scope)
    _apply_deadline(conn, task_id, {f: v for f, v in clean.items() if f in DEADLINE_FIELDS})
    fields = sorted(set(corrected_fields(conn, task_id)) | set(clean))
    conn.execute("UPDATE tasks SET corrected = ? WHERE id = ?", (json.dumps(fields), task_id))
    audit.record(
        conn, who, "correct", task_id=task_id,
        document_id=conn.execute("SELECT document_id FROM tasks WHERE id = ?", (task_id,)).fetchone()[0],
        detail={"before": {f: before.get(f) for f in clean}, "after": clean, "note": note}, at=at,
    )
    return sorted(clean)


def _current(conn: sqlite3.Connection, task_id: int) -> dict[str, Any]:
    out: dict[str, Any] = {f: [] for f in UNIT_FIELDS}
    for role, written in conn.execute("SELECT role, written FROM task_units WHERE task_id = ? ORDER BY role, position", (task_id,)):
        out.setdefault(role, []).append(written)
    row = conn.execute("SELECT dl_due, dl_start, dl_text, dl_kind FROM tasks WHERE id = ?", (task_id,)).fetchone()
    out.update({"due": row[0], "start": row[1], "deadline_text": row[2], "deadline_kind": row[3]})
    return out


def reapply(conn: sqlite3.Connection, task_ids: list[int]) -> None:
    """After re-indexing: the latest correction of each deadline field overrides the new extraction.

    Corrected unit roles are not rewritten by re-indexing in the first place.
    """
    for tid in task_ids:
        values = latest(conn, tid)
        deadline = {f: v for f, v in values.items() if f in DEADLINE_FIELDS}
        if deadline:
            _apply_deadline(conn, tid, deadline)
