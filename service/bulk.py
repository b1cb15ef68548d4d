"""Index many files, or re-index the whole store, with an optional process pool.

Files already in the store (same sha256) are skipped before any extraction.
Extraction runs in `workers` processes (in-process when 1); the results are
written by this process in batches, one transaction per batch and a
savepoint per document, so one bad document never spoils the others. A
callback reports each file's outcome (the CLI draws a progress bar with it).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from extractors.errors import ReadError
from extractors.readers import SUPPORTED_SUFFIXES

from service import ingest
from service.db import connect, transaction

Outcome = tuple[str, str, int | None, str]  # (path, outcome, id, reason)


@dataclass
class BulkReport:
    indexed: list[tuple[str, int]] = field(default_factory=list)
    skipped: list[tuple[str, int | None, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    reindexed: list[tuple[str, int]] = field(default_factory=list)
    unchanged: list[tuple[str, int]] = field(default_factory=list)


def collect(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The files to index (folders searched recursively for supported suffixes) and paths that do not exist."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and not f.name.startswith((".", "~$"))
            ))
        elif p.is_file():
            files.append(p)
        else:
            missing.append((str(p), "no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    return unique, missing


def _extract_file(path: str) -> tuple[str, ingest.Prepared | None, str | None]:
    """Worker: read and extract one file; errors come back as text (they must pickle)."""
    try:
        data = Path(path).read_bytes()
        return path, ingest.prepare(data, Path(path).name), None
    except ReadError as err:
        return path, None, err.problem
    except OSError as err:
        return path, None, f"cannot read ({err.strerror})"
    except Exception as err:  # noqa: BLE001 - a bug in one document must not stop the batch
        return path, None, f"extraction failed: {type(err).__name__}: {err}"


def _reextract(item: tuple[str, int]) -> tuple[int, ingest.Prepared | None, str | None]:
    """Worker: read a stored original (its own connection) and extract it again."""
    db_path, doc_id = item
    try:
        conn = connect(db_path, create=False)
        try:
            orig = ingest.original(conn, doc_id)
        finally:
            conn.close()
        if orig is None:
            return doc_id, None, "no such document"
        return doc_id, ingest.prepare(orig[0], orig[1]), None
    except ReadError as err:
        return doc_id, None, err.problem
    except Exception as err:  # noqa: BLE001
        return doc_id, None, f"extraction failed: {type(err).__name__}: {err}"


def _run(func: Callable, items: list, workers: int) -> Iterator:  # type: ignore[type-arg]
    """`map(func, items)` in completion order, with at most 2 x workers items in flight."""
    if workers <= 1 or len(items) <= 1:
        for it in items:
            yield func(it)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: set[Future] = set()  # type: ignore[type-arg]
        queue = iter(items)
        for it in queue:
            pending.add(pool.submit(func, it))
            if len(pending) >= 2 * workers:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                nxt = next(queue, None)
                if nxt is not None:
                    pending.add(pool.submit(func, nxt))
                yield fut.result()


def ingest_paths(
    db_path: str | Path,
    paths: Iterable[str | Path],
    *,
    workers: int = 1,
    batch: int = 25,
    who: str = "cli",
    on_total: Callable[[int], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> BulkReport:
    """Index files and folders; see the module docstring."""
    report = BulkReport()
    files, missing = collect(paths)
    report.failed.extend(missing)
    if on_total:
        on_total(len(files))

    def tell(o: Outcome) -> None:
        if on_outcome:
            on_outcome(o)

    conn = connect(db_path)
    try:
        todo: list[str] = []
        seen: dict[str, str] = {}
        for f in files:
            try:
                sha = ingest.sha256_of(f.read_bytes())
            except OSError as err:
                report.failed.append((str(f), f"cannot read ({err.strerror})"))
                tell((str(f), "failed", None, f"cannot read ({err.strerror})"))
                continue
            existing = ingest.find_by_sha(conn, sha)
            if existing is not None or sha in seen:
                reason = "already indexed" if existing is not None else f"same file as {seen[sha]}"
                report.skipped.append((str(f), existing, reason))
                tell((str(f), "skipped", existing, reason))
                continue
            seen[sha] = str(f)
            todo.append(str(f))

        buffer: list[ingest.Prepared] = []
        paths_of: dict[int, str] = {}

        def flush() -> None:
            if not buffer:
                return
            with transaction(conn):
                for prep in buffer:
                    path = paths_of[id(prep)]
                    conn.execute("SAVEPOINT doc")
                    try:
                        res = ingest.store_in_transaction(conn, prep, who)
                    except Exception as err:  # noqa: BLE001
                        conn.execute("ROLLBACK TO doc")
                        conn.execute("RELEASE doc")
                        report.failed.append((path, f"cannot store: {type(err).__name__}: {err}"))
                        tell((path, "failed", None, str(err)))
                        continue
                    conn.execute("RELEASE doc")
                    if res.status == "duplicate":
                        report.skipped.append((path, res.id, "already indexed"))
                        tell((path, "skipped", res.id, "already indexed"))
                    else:
                        report.indexed.append((path, res.id))
                        tell((path, "indexed", res.id, f"{res.summary.get('tasks', 0)} tasks"))
            buffer.clear()
            paths_of.clear()

        for path, prep, error in _run(_extract_file, todo, workers):
            if prep is None:
                report.failed.append((path, error or "unreadable"))
                tell((path, "failed", None, error or "unreadable"))
                continue
            buffer.append(prep)
            paths_of[id(prep)] = path
            if len(buffer) >= batch:
                flush()
        flush()
    finally:
        conn.close()
    return report


def reindex_all(
    db_path: str | Path,
    ids: Iterable[int] | None = None,
    *,
    workers: int = 1,
    who: str = "cli",
    on_total: Callable[[int], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> BulkReport:
    """Re-extract stored originals and rewrite what changed (ids, statuses and corrections are kept)."""
    report = BulkReport()
    conn = connect(db_path)
    try:
        wanted = list(ids) if ids else [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
        if on_total:
            on_total(len(wanted))
        names = {r[0]: r[1] for r in conn.execute("SELECT id, filename FROM documents")}
        items: list[tuple[str, int]] = []
        for i in wanted:
            if i not in names:
                report.failed.append((f"#{i}", "no such document"))
                if on_outcome:
                    on_outcome((f"#{i}", "failed", i, "no such document"))
                continue
            items.append((str(db_path), i))
        for doc_id, prep, error in _run(_reextract, items, workers):
            label = f"#{doc_id} {names[doc_id]}"
            if prep is None:
                report.failed.append((label, error or "unreadable"))
                outcome: Outcome = (label, "failed", doc_id, error or "unreadable")
            else:
                try:
                    res = ingest.reindex(conn, doc_id, who, prep)
                except Exception as err:  # noqa: BLE001
                    report.failed.append((label, f"{type(err).__name__}: {err}"))
                    outcome = (label, "failed", doc_id, str(err))
                else:
                    target = report.reindexed if res.status == "reindexed" else report.unchanged
                    target.append((label, doc_id))
                    outcome = (label, res.status, doc_id, "")
            if on_outcome:
                on_outcome(outcome)
    finally:
        conn.close()
    return report


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))
