"""The service commands of `nhiemvu`: ingest, tasks, export, reindex, backup."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from service.cli import app
from service.db import connect
from tests.conftest import DOCS

NAMES = ["vksnd-ctr-btv-2026.txt", "vksnd-nq-trien-khai-kl226.txt", "kl-221-kltw-bo-may-chinh-quyen-2-cap.txt"]
runner = CliRunner()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three corpus documents, a copy of one of them in a subfolder, and a broken PDF."""
    root = tmp_path_factory.mktemp("inbox")
    for n in NAMES:
        shutil.copy(DOCS / n, root / n)
    (root / "cu").mkdir()
    shutil.copy(DOCS / NAMES[2], root / "cu" / "ban-sao.txt")
    (root / "hong.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    (root / "ghi-chu.xlsx.tmp").write_bytes(b"ignored: not a document suffix")
    return root


@pytest.fixture(scope="module")
def db(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "cli.sqlite"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(path), "--quiet"])
    assert result.exit_code == 1, result.output
    assert "indexed: 3   skipped: 1   failed: 1" in result.output
    return path


def test_ingest_reports_indexed_skipped_and_failed(db: Path, folder: Path) -> None:
    again = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--quiet"])
    assert again.exit_code == 1
    assert "indexed: 0   skipped: 4   failed: 1" in again.output
    assert "hong.pdf" in again.output and "already indexed" in again.output
    one = runner.invoke(app, ["ingest", str(folder / NAMES[0]), "--db", str(db), "--quiet"])
    assert one.exit_code == 0 and "indexed: 0   skipped: 1   failed: 0" in one.output
    missing = runner.invoke(app, ["ingest", str(folder / "khong-co.txt"), "--db", str(db), "--quiet"])
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_ingest_with_worker_processes(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "pool.sqlite"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(path), "--quiet", "--workers", "2"])
    assert "indexed: 3   skipped: 1   failed: 1" in result.output
    conn = connect(path)
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 3
    assert conn.execute("SELECT COUNT(DISTINCT sha256) FROM documents").fetchone()[0] == 3


def test_tasks_of_a_unit_as_json_csv_and_table(db: Path) -> None:
    r = runner.invoke(app, ["tasks", "--unit", "Vụ 2", "--format", "json", "--db", str(db)])
    assert r.exit_code == 0, r.output
    payload = json.loads(r.output)
    assert payload["total"] >= 1
    assert all(any(u["name"] == "Chi ủy Vụ 2" for u in t["lead"] + t["support"]) for t in payload["items"])
    r = runner.invoke(app, ["tasks", "--unit", "Vụ 2", "--format", "csv", "--db", str(db)])
    assert r.exit_code == 0 and r.output.splitlines()[0].startswith("STT,Nội dung nhiệm vụ,Đơn vị chủ trì")
    assert len(r.output.strip().splitlines()) >= payload["total"] + 1
    r = runner.invoke(app, ["tasks", "--due-before", "2026-03-31", "--format", "json", "--limit", "0", "--db", str(db)])
    due = json.loads(r.output)
    assert due["total"] > 0 and all(t["due"] <= "2026-03-31" or t["deadline"]["kind"] == "recurring" for t in due["items"])
    r = runner.invoke(app, ["tasks", "--unit", "Vụ 2", "--db", str(db)])
    assert r.exit_code == 0 and "task(s)" in r.output
    bad = runner.invoke(app, ["tasks", "--due-before", "31/03/2026", "--db", str(db)])
    assert bad.exit_code != 0 and "--due-before" in bad.output
    assert runner.invoke(app, ["tasks", "--format", "xml", "--db", str(db)]).exit_code != 0


def test_export_writes_the_file_its_suffix_names(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "vp" / "nhiem-vu.xlsx"
    r = runner.invoke(app, ["export", str(out), "--unit", "Văn phòng Đảng ủy", "--db", str(db)])
    assert r.exit_code == 0, r.output
    n = json.loads(runner.invoke(app, ["tasks", "--unit", "Văn phòng Đảng ủy", "--format", "json", "--limit", "0", "--db", str(db)]).output)["total"]
    assert n > 0 and load_workbook(out).active.max_row == n + 1
    ics = tmp_path / "lich.ics"
    assert runner.invoke(app, ["export", str(ics), "--db", str(db)]).exit_code == 0
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert runner.invoke(app, ["export", str(tmp_path / "x.pdf"), "--db", str(db)]).exit_code != 0


def test_reindex_keeps_ids(db: Path) -> None:
    conn = connect(db)
    before = [r[0] for r in conn.execute("SELECT id FROM tasks ORDER BY id")]
    conn.close()
    r = runner.invoke(app, ["reindex", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "unchanged: 3" in r.output or "reindexed: 3" in r.output
    conn = connect(db)
    assert [r[0] for r in conn.execute("SELECT id FROM tasks ORDER BY id")] == before
    assert runner.invoke(app, ["reindex", "999", "--db", str(db)]).exit_code == 1


def test_backup_is_safe_while_a_writer_holds_the_store(db: Path, tmp_path: Path) -> None:
    writer = connect(db)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO meta (key, value) VALUES ('in-flight', 'not committed')")
    try:
        out = tmp_path / "sao-luu.sqlite"
        r = runner.invoke(app, ["backup", str(out), "--db", str(db)])
        assert r.exit_code == 0, r.output
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    copy = sqlite3.connect(out)
    live = sqlite3.connect(db)
    for table in ("documents", "tasks", "units", "task_units"):
        assert copy.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == live.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    assert copy.execute("SELECT COUNT(*) FROM meta WHERE key = 'in-flight'").fetchone()[0] == 0
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert runner.invoke(app, ["backup", str(out), "--db", str(tmp_path / "khong-co.sqlite")]).exit_code != 0
