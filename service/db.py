"""The SQLite store: schema, connections (WAL, foreign keys, busy timeout), transactions.

One database file holds everything (`--db`, `NHIEMVU_DB`, default
`data/nhiemvu.sqlite`). `connect()` opens a connection in autocommit mode
and `transaction()` wraps writes in `BEGIN IMMEDIATE ... COMMIT`, rolling
back on any error, so that a failed write leaves the store as it was.
`ConnectionPool` hands connections to API requests. The tables are defined
here and nowhere else; what goes into them is the ingest module's job.
"""
from __future__ import annotations

import os
import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

SCHEMA_VERSION = 1
DEFAULT_DB = "data/nhiemvu.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);

CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256 TEXT NOT NULL UNIQUE,
    filename TEXT NOT NULL,
    format TEXT,
    pages INTEGER,
    size INTEGER,
    doc_type TEXT,
    doc_type_key TEXT,
    code TEXT,
    code_key TEXT,
    number TEXT,
    symbol TEXT,
    issued_date TEXT,
    year INTEGER,
    place TEXT,
    issuer TEXT,
    issuer_key TEXT,
    org TEXT,
    org_key TEXT,
    title TEXT,
    signer TEXT,
    signer_position TEXT,
    secret INTEGER NOT NULL DEFAULT 0,
    superseded_by INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    n_tasks INTEGER NOT NULL DEFAULT 0,
    n_targets INTEGER NOT NULL DEFAULT 0,
    n_references INTEGER NOT NULL DEFAULT 0,
    n_sections INTEGER NOT NULL DEFAULT 0,
    n_units INTEGER NOT NULL DEFAULT 0,
    indexed_at TEXT NOT NULL,
    reindexed_at TEXT
);
CREATE INDEX IF NOT EXISTS documents_code ON documents(code_key);
CREATE INDEX IF NOT EXISTS documents_type ON documents(doc_type_key, year);
CREATE INDEX IF NOT EXISTS documents_year ON documents(year);
CREATE INDEX IF NOT EXISTS documents_org ON documents(org_key);
CREATE INDEX IF NOT EXISTS documents_superseded ON documents(superseded_by);

CREATE TABLE IF NOT EXISTS document_files (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS document_extractions (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    json TEXT NOT NULL,
    text TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS sections (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    path TEXT, label TEXT, heading TEXT,
    span_start INTEGER, span_end INTEGER
);
CREATE INDEX IF NOT EXISTS sections_document ON sections(document_id, seq);

CREATE TABLE IF NOT EXISTS tasks (
    -- small columns first: the sort of a task list reads them without touching the long text
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0,
    due TEXT,
    sort_due TEXT,  -- due, or a recurring task's next date (refreshed daily): the list order
    status TEXT NOT NULL DEFAULT 'chưa thực hiện',
    dl_kind TEXT NOT NULL DEFAULT 'none',
    dl_start TEXT,
    dl_due TEXT,
    dl_recurrence TEXT,
    dl_day INTEGER,
    dl_month INTEGER,
    dl_offset_days INTEGER,
    dl_working_days INTEGER NOT NULL DEFAULT 0,
    task_key TEXT NOT NULL,
    path TEXT,
    product TEXT,
    confidence REAL,
    span_start INTEGER, span_end INTEGER,
    status_note TEXT,
    status_by TEXT,
    status_at TEXT,
    corrected TEXT,
    dl_text TEXT,
    text TEXT NOT NULL,
    UNIQUE (document_id, task_key)
);
CREATE INDEX IF NOT EXISTS tasks_due ON tasks(due);
CREATE INDEX IF NOT EXISTS tasks_kind ON tasks(dl_kind, due);
CREATE INDEX IF NOT EXISTS tasks_sort ON tasks(sort_due, document_id, seq);
CREATE INDEX IF NOT EXISTS tasks_hidden ON tasks(hidden) WHERE hidden = 1;
CREATE INDEX IF NOT EXISTS tasks_status ON tasks(status, due);

CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    org TEXT NOT NULL DEFAULT '',
    org_key TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'other',
    UNIQUE (org_key, key)
);
CREATE INDEX IF NOT EXISTS units_key ON units(key);

CREATE TABLE IF NOT EXISTS unit_aliases (
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    alias_key TEXT NOT NULL,
    PRIMARY KEY (unit_id, alias)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS unit_aliases_key ON unit_aliases(alias_key);

CREATE TABLE IF NOT EXISTS unit_links (
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    other_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    relation TEXT NOT NULL,
    PRIMARY KEY (unit_id, other_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS unit_links_other ON unit_links(other_id);

CREATE TABLE IF NOT EXISTS document_units (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (document_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS document_units_unit ON document_units(unit_id, document_id);

CREATE TABLE IF NOT EXISTS task_units (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    position INTEGER NOT NULL,
    written TEXT NOT NULL,
    corrected INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, role, unit_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS task_units_unit ON task_units(unit_id, role, task_id);

CREATE TABLE IF NOT EXISTS task_occurrences (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    due TEXT NOT NULL,
    PRIMARY KEY (task_id, due)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS task_occurrences_due ON task_occurrences(due, task_id);

CREATE TABLE IF NOT EXISTS task_corrections (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT,
    note TEXT,
    by TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS task_corrections_task ON task_corrections(task_id, field, id);

CREATE TABLE IF NOT EXISTS targets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    task_id INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
    task_key TEXT,
    text TEXT NOT NULL,
    value REAL, value_max REAL, unit TEXT, comparator TEXT, direction TEXT,
    subject TEXT, period TEXT, baseline TEXT, path TEXT,
    span_start INTEGER, span_end INTEGER,
    hidden INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS targets_document ON targets(document_id, seq);
CREATE INDEX IF NOT EXISTS targets_task ON targets(task_id);

CREATE TABLE IF NOT EXISTS target_units (
    target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    written TEXT NOT NULL,
    PRIMARY KEY (target_id, role, unit_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS target_units_unit ON target_units(unit_id, target_id);

CREATE TABLE IF NOT EXISTS doc_references (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    text TEXT,
    doc_type TEXT,
    code TEXT,
    code_key TEXT,
    title TEXT,
    issued_date TEXT,
    issuer TEXT,
    relation TEXT,
    span_start INTEGER, span_end INTEGER,
    target_id INTEGER REFERENCES documents(id) ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS doc_references_document ON doc_references(document_id, seq);
CREATE INDEX IF NOT EXISTS doc_references_code ON doc_references(code_key);
CREATE INDEX IF NOT EXISTS doc_references_target ON doc_references(target_id, relation);

CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    task_id INTEGER,
    document_id INTEGER,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS audit_task ON audit(task_id, id);
CREATE INDEX IF NOT EXISTS audit_document ON audit(document_id, id);

-- full-text indexes of folded text (service.search); rowid = the row's id
CREATE VIRTUAL TABLE IF NOT EXISTS fts_tasks USING fts5(body, hidden UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_targets USING fts5(body, hidden UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_documents USING fts5(body, hidden UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE IF NOT EXISTS store_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT OR IGNORE INTO store_generation (id, n) VALUES (1, 0);
"""


def default_db_path() -> Path:
    return Path(os.environ.get("NHIEMVU_DB") or DEFAULT_DB)


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -32000")


def connect(path: str | Path, *, create: bool = True) -> sqlite3.Connection:
    """A configured autocommit connection to the store (created with its schema when missing)."""
    p = Path(path)
    if create:
        p.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(p), isolation_level=None, check_same_thread=False, timeout=30)
    conn.row_factory = sqlite3.Row
    _configure(conn)
    if create:
        init_schema(conn)
    return conn


_INIT_LOCK = threading.Lock()
_INITIALISED: set[str] = set()


def init_schema(conn: sqlite3.Connection) -> None:
    """WAL mode and the tables, once per database file per process."""
    name = conn.execute("PRAGMA database_list").fetchone()[2]
    with _INIT_LOCK:
        if name and name in _INITIALISED:
            return
        db = sqlite_utils.Database(conn)
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            db.enable_wal()
        # every statement is IF NOT EXISTS: run them all, so a store made by an earlier build gains new indexes
        with transaction(conn):
            for stmt in _statements(SCHEMA):
                conn.execute(stmt)
            if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if name:
            _INITIALISED.add(name)


def _statements(script: str) -> list[str]:
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    return out


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """`BEGIN IMMEDIATE` ... `COMMIT`; `ROLLBACK` and re-raise on any error."""
    conn.execute("BEGIN IMMEDIATE")
    before = conn.total_changes
    try:
        yield conn
        if conn.total_changes != before:
            conn.execute("UPDATE store_generation SET n = n + 1 WHERE id = 1")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def generation(conn: sqlite3.Connection) -> int:
    """A number every committed write changes: read-side caches are keyed by it."""
    row = conn.execute("SELECT n FROM store_generation WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


class ConnectionPool:
    """Connections to one store for concurrent requests: one per request, reused afterwards."""

    def __init__(self, path: str | Path, keep: int = 16) -> None:
        self.path = Path(path)
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._keep = keep
        connect(self.path).close()  # create the file and schema once, up front

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = connect(self.path)
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if self._idle.qsize() < self._keep:
                self._idle.put(conn)
            else:
                conn.close()

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
