"""Extraction speed per format on the real corpus, one warm process, against its floor.

For `.txt` and `.docx` the floor is reading and normalising the file alone
(`extractors.readers.read` + `extractors.normalise.normalise`); for `.pdf` it
is pdfplumber's own `page.extract_text()` + `page.extract_tables()` for every
page of the same file. nhiemvu and its floor are timed alternately, file by
file, in the same process, so that their ratio holds on a noisy machine.
Pages: a PDF's real page count; for text and Word files one page per 3,000
characters of normalised text. A breakdown by pipeline component says where
the time goes. Run alone: `python3 bench/extraction.py [--quick] [--out FILE]`.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import io
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, load, write_json  # noqa: E402

CHARS_PER_PAGE = 3000
FORMATS = ("txt", "docx", "pdf")


def corpus_files() -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {f: [] for f in FORMATS}
    for folder in (ROOT / "corpus" / "docs", ROOT / "corpus" / "extra"):
        for p in sorted(folder.iterdir()):
            fmt = p.suffix.lower().lstrip(".")
            if fmt in out:
                out[fmt].append(p)
    return out


def page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return len(pdf.pages)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    r = fn()
    return time.perf_counter() - t, r


def _timed_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, result): CPU time is what other processes' load cannot inflate."""
    c = time.process_time()
    t = time.perf_counter()
    r = fn()
    return time.perf_counter() - t, time.process_time() - c, r


def floor_text(data: bytes, name: str) -> Any:
    from extractors.normalise import normalise
    from extractors.readers import read

    return normalise(read(data, name))


def floor_pdf(data: bytes) -> int:
    """pdfplumber's own text and table extraction of every page."""
    import pdfplumber

    n = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()
            n += 1
    return n


def components(data: bytes, name: str) -> dict[str, float]:
    """Seconds per stage of one extraction: read, normalise, each pipeline component, the model building.

    Mirrors `extractors.pipeline.extract_raw` with a timer around each step (same functions, same order).
    """
    from extractors import pipeline
    from extractors.normalise import normalise
    from extractors.readers import read

    t: dict[str, float] = {}
    dt, raw = _timed(lambda: read(data, name))
    t["read"] = dt
    dt, layout = _timed(lambda: normalise(raw))
    t["normalise"] = dt
    state = pipeline.DocState(filename=name, sha256=hashlib.sha256(data).hexdigest(), raw=raw, layout=layout)
    for cname, comp in pipeline.PIPELINE:
        dt, _ = _timed(lambda: comp(state))
        t[cname] = dt
    dt, _ = _timed(lambda: pipeline.to_extraction(state))
    t["to_extraction"] = dt
    return t


def _record(path: Path, fmt: str) -> dict[str, Any]:
    return {"file": path.name, "format": fmt, "bytes": path.stat().st_size, "nhiemvu_s": [], "floor_s": [],
            "nhiemvu_cpu_s": [], "floor_cpu_s": []}


def bench_text(files: list[Path], fmt: str, rounds: int) -> list[dict[str, Any]]:
    """Each file extracted `rounds` times after a warm-up, alternating with its floor."""
    from extractors.pipeline import extract

    recs = []
    blobs = {p: p.read_bytes() for p in files}
    for p in files:  # warm-up: imports, models, regex caches
        ex = extract(blobs[p], p.name)
        floor_text(blobs[p], p.name)
        rec = _record(p, fmt)
        rec["chars"] = len(ex.text)
        rec["pages"] = max(len(ex.text) / CHARS_PER_PAGE, 0.1)
        rec["tasks"] = len(ex.tasks)
        recs.append(rec)
    gc.collect()
    for r in range(rounds):
        for p, rec in zip(files, recs):
            order = ("floor", "nhiemvu") if r % 2 == 0 else ("nhiemvu", "floor")
            for what in order:
                if what == "floor":
                    dt, cpu, _ = _timed_cpu(lambda: floor_text(blobs[p], p.name))
                    rec["floor_s"].append(dt)
                    rec["floor_cpu_s"].append(cpu)
                else:
                    dt, cpu, _ = _timed_cpu(lambda: extract(blobs[p], p.name))
                    rec["nhiemvu_s"].append(dt)
                    rec["nhiemvu_cpu_s"].append(cpu)
    for p, rec in zip(files, recs):
        rec["components_s"] = components(blobs[p], p.name)
    return recs


def bench_pdf(files: list[Path], rounds: int) -> list[dict[str, Any]]:
    """Each PDF: pdfplumber's floor and nhiemvu (`read` then `extract_raw`), alternately."""
    from extractors.pipeline import extract_raw
    from extractors.readers import read
    import pdfplumber

    # warm-up: imports and pdfminer's caches, on the first page of the smallest file
    smallest = min(files, key=lambda p: p.stat().st_size)
    with pdfplumber.open(io.BytesIO(smallest.read_bytes())) as pdf:
        pdf.pages[0].extract_text()
        pdf.pages[0].extract_tables()
    import extractors.readers.pdf  # noqa: F401

    recs = []
    for p in files:
        data = p.read_bytes()
        rec = _record(p, "pdf")
        rec["read_s"] = []
        for r in range(rounds):
            order = ("floor", "nhiemvu") if r % 2 == 0 else ("nhiemvu", "floor")
            for what in order:
                gc.collect()
                if what == "floor":
                    dt, cpu, pages = _timed_cpu(lambda: floor_pdf(data))
                    rec["floor_s"].append(dt)
                    rec["floor_cpu_s"].append(cpu)
                    rec["pages"] = pages
                else:
                    c0 = time.process_time()
                    t0 = time.perf_counter()
                    raw = read(data, p.name)
                    t1 = time.perf_counter()
                    ex = extract_raw(raw, data, p.name)
                    t2 = time.perf_counter()
                    rec["read_s"].append(t1 - t0)
                    rec["nhiemvu_s"].append(t2 - t0)
                    rec["nhiemvu_cpu_s"].append(time.process_time() - c0)
                    rec["tasks"] = len(ex.tasks)
                    rec["chars"] = len(ex.text)
                    rec["ocr"] = raw.ocr
        recs.append(rec)
    return recs


def summarise(fmt: str, recs: list[dict[str, Any]]) -> dict[str, Any]:
    nh = [t for r in recs for t in r["nhiemvu_s"]]
    fl = [t for r in recs for t in r["floor_s"]]
    cpu_nh = [t for r in recs for t in r["nhiemvu_cpu_s"]]
    cpu_fl = [t for r in recs for t in r["floor_cpu_s"]]
    rounds = len(recs[0]["nhiemvu_s"]) if recs else 0
    pages = sum(r["pages"] for r in recs) * rounds
    out: dict[str, Any] = {
        "files": len(recs),
        "mean_kb": round(statistics.fmean(r["bytes"] for r in recs) / 1024, 1),
        "rounds": rounds,
        "docs_per_s": round(len(nh) / sum(nh), 2),
        "ms_per_doc_mean": round(1000 * statistics.fmean(nh), 1),
        "ms_per_doc_median": round(1000 * statistics.median(nh), 1),
        "ms_per_page": round(1000 * sum(nh) / pages, 1),
        "pages_note": "real PDF pages" if fmt == "pdf" else f"1 page = {CHARS_PER_PAGE} characters of normalised text",
        "floor_ms_per_doc_mean": round(1000 * statistics.fmean(fl), 1),
        "floor_ms_per_page": round(1000 * sum(fl) / pages, 1),
        "ratio_to_floor": round(sum(nh) / sum(fl), 2),
        "cpu_docs_per_s": round(len(nh) / sum(cpu_nh), 2) if sum(cpu_nh) else None,
        "cpu_ratio_to_floor": round(sum(cpu_nh) / sum(cpu_fl), 2) if sum(cpu_fl) else None,
        "ratio_to_floor_by_file": {r["file"]: round(sum(r["nhiemvu_s"]) / sum(r["floor_s"]), 2) for r in recs},
        "ms_by_file": {r["file"]: round(1000 * statistics.median(r["nhiemvu_s"]), 1) for r in recs},
        "floor": "pdfplumber extract_text + extract_tables, every page" if fmt == "pdf" else "readers.read + normalise",
    }
    if fmt == "txt":
        per_20kb = [1000 * statistics.median(r["nhiemvu_s"]) / r["bytes"] * 20480 for r in recs]
        out["ms_per_20kb_median"] = round(statistics.median(per_20kb), 1)
        out["docs_per_s_at_20kb"] = round(1000 / out["ms_per_20kb_median"], 1)
        out["ms_per_20kb_by_file"] = {r["file"]: round(x, 1) for r, x in zip(recs, per_20kb)}
    if fmt == "pdf":
        read = sum(t for r in recs for t in r["read_s"])
        out["reader_share"] = round(read / sum(nh), 3)
        out["reader_ratio_to_floor"] = round(read / sum(fl), 2)
        out["ocr_files"] = [r["file"] for r in recs if r.get("ocr")]
    comp = [r["components_s"] for r in recs if "components_s" in r]
    if comp:
        total = sum(sum(c.values()) for c in comp)
        out["component_share"] = {k: round(sum(c[k] for c in comp) / total, 3) for k in comp[0]}
    return out


def run(quick: bool = False) -> dict[str, Any]:
    files = corpus_files()
    result: dict[str, Any] = {"load_before": load()}
    t0 = time.perf_counter()
    rounds = 2 if quick else 5
    per_file: list[dict[str, Any]] = []
    for fmt in ("txt", "docx"):
        recs = bench_text(files[fmt], fmt, rounds)
        per_file += recs
        result[fmt] = summarise(fmt, recs)
    pdfs = files["pdf"]
    if quick:
        pdfs = [min(pdfs, key=page_count)]
    recs = bench_pdf(pdfs, 1)
    per_file += recs
    result["pdf"] = summarise("pdf", recs)
    result["per_file"] = [{k: (v if not isinstance(v, list) else [round(x, 4) for x in v]) for k, v in r.items()} for r in per_file]
    result["wall_s"] = round(time.perf_counter() - t0, 1)
    result["load_after"] = load()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "extraction.json")
    args = ap.parse_args()
    res = run(args.quick)
    write_json(args.out, res)
    for fmt in FORMATS:
        r = res[fmt]
        print(f"{fmt:5s} {r['docs_per_s']:7.2f} docs/s  {r['ms_per_doc_mean']:8.1f} ms/doc  {r['ms_per_page']:7.1f} ms/page  "
              f"floor {r['floor_ms_per_doc_mean']:8.1f} ms/doc  ratio {r['ratio_to_floor']:.2f}")


if __name__ == "__main__":
    main()
