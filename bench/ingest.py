"""Bulk ingest through the command line users run: `nhiemvu ingest FOLDER --workers N`.

`bulk()` indexes the 2,000 generated plans (bench/make_corpus.py) into a
fresh store and reports the wall time, documents per second, the peak
memory of the whole process tree (the CLI and its extraction workers,
sampled from /proc) and what the store then holds (documents, tasks,
units). `pdfs()` does the same for the 50 generated PDFs and times
pdfplumber's own text and table extraction of the same files with the same
number of processes, for the ratio. The CLI's start-up (imports) is timed
on an empty folder and reported separately. Run alone:
`python3 bench/ingest.py [--quick] [--only bulk|pdf]`.
"""
from __future__ import annotations

import argparse
import os
import re
import sqlite3
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, ROOT, load, run_monitored, write_json  # noqa: E402

import make_corpus  # noqa: E402

BULK_DB = OUT / "store-bulk.sqlite"
PDF_DB = OUT / "store-pdf.sqlite"


def _fresh(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(db) + suffix)
        if p.exists():
            p.unlink()


def _cli(folder: Path, db: Path, workers: int, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "service.cli", "ingest", str(folder), "--db", str(db), "--workers", str(workers), "--quiet"]
    res = run_monitored(cmd, timeout=timeout)
    m = re.search(r"indexed:\s*(\d+)\s+skipped:\s*(\d+)\s+failed:\s*(\d+)", res["stdout"])
    res["indexed"], res["skipped"], res["failed"] = (int(x) for x in m.groups()) if m else (0, 0, 0)
    res["command"] = " ".join(["nhiemvu", *cmd[3:]])
    if res["returncode"] != 0 or res["failed"]:
        res["failures"] = res["stderr"][-1500:]
    del res["stdout"], res["stderr"]
    return res


def startup(workers: int) -> float:
    """Seconds the CLI takes to start and index nothing (imports, schema)."""
    empty = OUT / "empty"
    empty.mkdir(parents=True, exist_ok=True)
    db = OUT / "store-empty.sqlite"
    _fresh(db)
    res = _cli(empty, db, workers, 120)
    _fresh(db)
    return float(res["wall_s"])


def store_counts(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(str(db))
    try:
        q = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "documents": q("SELECT COUNT(*) FROM documents"),
            "tasks": q("SELECT COUNT(*) FROM tasks"),
            "distinct_task_texts": q("SELECT COUNT(DISTINCT text) FROM tasks"),
            "task_unit_links": q("SELECT COUNT(*) FROM task_units"),
            "units": q("SELECT COUNT(*) FROM units"),
            "unit_aliases": q("SELECT COUNT(*) FROM unit_aliases"),
            "linked_units": q("SELECT COUNT(*) FROM unit_links"),
            "targets": q("SELECT COUNT(*) FROM targets"),
            "references": q("SELECT COUNT(*) FROM doc_references"),
            "resolved_references": q("SELECT COUNT(*) FROM doc_references WHERE target_id IS NOT NULL"),
            "tasks_with_due": q("SELECT COUNT(*) FROM tasks WHERE due IS NOT NULL"),
            "db_mib": round(sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists()) / 2**20, 1),
        }
    finally:
        conn.close()


def bulk_db(quick: bool) -> Path:
    """The bulk store of a full run, or of a quick one (kept apart, so a smoke run does not replace the big store)."""
    return OUT / "store-bulk-quick.sqlite" if quick else BULK_DB


def bulk(n: int = 2000, workers: int = 2, timeout: float = 900, db: Path = BULK_DB) -> dict[str, Any]:
    t = time.perf_counter()
    folder = make_corpus.bulk_corpus(n)
    made_s = time.perf_counter() - t
    files = [p for p in folder.iterdir() if p.suffix in (".txt", ".docx")]
    size = sum(p.stat().st_size for p in files)
    _fresh(db)
    load_before = load()
    res = _cli(folder, db, workers, timeout)
    counts = store_counts(db)
    return {
        "folder": str(folder.relative_to(ROOT)),
        "corpus_s": round(made_s, 1),
        "files": len(files),
        "by_format": {s: sum(1 for p in files if p.suffix == s) for s in (".txt", ".docx")},
        "input_mib": round(size / 2**20, 1),
        "workers": workers,
        "load_before": load_before,
        **res,
        "docs_per_s": round(res["indexed"] / res["wall_s"], 2) if res["wall_s"] else 0.0,
        "store": counts,
        "load_after": load(),
    }


def _floor_one(path: str) -> tuple[float, int]:
    from extraction import floor_pdf

    t = time.process_time()
    pages = floor_pdf(Path(path).read_bytes())
    return time.process_time() - t, pages


def pdf_floor(files: list[Path], workers: int) -> dict[str, Any]:
    """pdfplumber text + tables of every page of every file, `workers` processes, like the ingest."""
    order = sorted(files, key=lambda p: -p.stat().st_size)  # biggest first, as a fair scheduler would
    t = time.perf_counter()
    if workers <= 1:
        out = [_floor_one(str(p)) for p in order]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            out = list(pool.map(_floor_one, [str(p) for p in order]))
    return {"wall_s": round(time.perf_counter() - t, 2), "cpu_s_total": round(sum(c for c, _ in out), 1),
            "pages": sum(p for _, p in out)}


def pdfs(n: int = 50, workers: int = 2, timeout: float = 900) -> dict[str, Any]:
    t = time.perf_counter()
    folder = make_corpus.pdf_corpus(n)
    made_s = time.perf_counter() - t
    files = sorted(folder.glob("*.pdf"))
    load_before = load()
    floor = pdf_floor(files, workers)
    _fresh(PDF_DB)
    res = _cli(folder, PDF_DB, workers, timeout)
    counts = store_counts(PDF_DB)
    return {
        "folder": str(folder.relative_to(ROOT)),
        "corpus_s": round(made_s, 1),
        "files": len(files),
        "pages": floor["pages"],
        "workers": workers,
        "load_before": load_before,
        **res,
        "docs_per_s": round(res["indexed"] / res["wall_s"], 2) if res["wall_s"] else 0.0,
        "floor": floor,
        "ratio_wall": round(res["wall_s"] / floor["wall_s"], 2),
        "ratio_cpu": round(res["cpu_s_total"] / floor["cpu_s_total"], 2) if floor["cpu_s_total"] else None,
        "store": {k: counts[k] for k in ("documents", "tasks", "db_mib")},
        "load_after": load(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", choices=["bulk", "pdf"])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--out", type=Path, default=OUT / "ingest.json")
    args = ap.parse_args()
    res: dict[str, Any] = {"startup_s": startup(args.workers)}
    if args.only in (None, "bulk"):
        res["bulk"] = bulk(200 if args.quick else 2000, args.workers, db=bulk_db(args.quick))
    if args.only in (None, "pdf"):
        res["pdf"] = pdfs(10 if args.quick else 50, args.workers)
    write_json(args.out, res)
    print(res)


if __name__ == "__main__":
    main()
