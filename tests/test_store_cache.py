"""Read caches (large unit listings, search results) never serve an answer older than the last write."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from service import ingest, progress, queries
from service.db import connect, generation
from service.queries import TaskFilter, list_tasks
from service.search import results

DOCS = Path(__file__).resolve().parents[1] / "corpus" / "docs"


def _filter(unit: str) -> TaskFilter:
    return TaskFilter(unit=unit, as_of=date(2026, 11, 23))


def test_generation_moves_with_every_write(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.sqlite")
    g0 = generation(conn)
    path = DOCS / "vksnd-nq-trien-khai-kl226.txt"
    doc_id = ingest.store(conn, ingest.prepare(path.read_bytes(), path.name)).id
    g1 = generation(conn)
    assert g1 > g0
    ingest.store(conn, ingest.prepare(path.read_bytes(), path.name))  # the same file again changes nothing
    assert generation(conn) == g1
    ingest.delete(conn, doc_id, "test")
    assert generation(conn) > g1


def test_cached_unit_listing_and_search_follow_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "_LARGE_UNIT", 1)  # every unit query takes the cached path
    conn = connect(tmp_path / "s.sqlite")
    first = DOCS / "vksnd-ctr-btv-2026.txt"
    ingest.store(conn, ingest.prepare(first.read_bytes(), first.name))
    items, total = list_tasks(conn, _filter("Văn phòng Đảng ủy"))
    assert total >= 1
    hits = results(conn, "sơ kết việc thực hiện Quy định")
    # a second document gives the same unit more tasks and matches the search
    second = DOCS / "vksnd-nq-trien-khai-kl226.txt"
    ingest.store(conn, ingest.prepare(second.read_bytes(), second.name))
    items2, total2 = list_tasks(conn, _filter("Văn phòng Đảng ủy"))
    assert total2 > total
    assert len(results(conn, "sơ kết việc thực hiện Quy định")) > len(hits)
    # a status change reorders nothing it should not, and is visible at once
    task_id = items2[0]["id"]
    progress.set_status(conn, task_id, "hoàn thành", "test", "xong")
    again, _ = list_tasks(conn, _filter("Văn phòng Đảng ủy"))
    assert next(t for t in again if t["id"] == task_id)["status"] == "hoàn thành"
