"""A consistent copy of the store with SQLite's online backup API, safe while the service runs.

The copy is written next to the destination and renamed into place when
complete, so a failed backup never leaves a half-written file under the
destination name. Readers and writers of the live store are not blocked
for more than one step of pages at a time.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from service.db import connect


def backup(db_path: str | Path, dest: str | Path, pages: int = 4096) -> dict[str, int]:
    """Copy the store at `db_path` to `dest`; returns the copy's size and document count."""
    src_path = Path(db_path)
    if not src_path.exists():
        raise FileNotFoundError(f"{src_path}: no such database")
    dest_path = Path(dest)
    if dest_path.resolve() == src_path.resolve():
        raise ValueError("the backup must not overwrite the database itself")
    dest_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest_path.with_name(dest_path.name + ".partial")
    if tmp.exists():
        tmp.unlink()
    src = connect(src_path, create=False)
    try:
        out = sqlite3.connect(str(tmp))
        try:
            src.backup(out, pages=pages)
            out.execute("PRAGMA journal_mode = DELETE")
            docs = out.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            tasks = out.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
        finally:
            out.close()
    finally:
        src.close()
    os.replace(tmp, dest_path)
    return {"bytes": dest_path.stat().st_size, "documents": docs, "tasks": tasks}
