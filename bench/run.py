"""The nhiemvu benchmarks, one command: `python3 bench/run.py` (add `--quick` for a smoke run).

Runs, in order: the generated corpora (made once, cached in bench/out/),
extraction speed per format against its floor (bench/extraction.py, its own
process), bulk ingest of 2,000 plans and of 50 PDFs through `nhiemvu
ingest` (bench/ingest.py), and query latency through the real HTTP server
on the bulk store (bench/queries.py). Prints one table with every figure,
the machine, the load average and the targets of the issue, and writes
everything to bench/out/results.json. `--only` runs some parts (queries
reuse the last bulk store).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, ROOT, load, machine, write_json  # noqa: E402

PARTS = ("corpus", "extraction", "ingest", "pdf", "queries")


def _log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def part_corpus(quick: bool) -> dict[str, Any]:
    import make_corpus

    t = time.perf_counter()
    bulk = make_corpus.bulk_corpus(200 if quick else 2000)
    t1 = time.perf_counter()
    pdf = make_corpus.pdf_corpus(10 if quick else 50)
    t2 = time.perf_counter()
    return {"bulk_folder": str(bulk.relative_to(ROOT)), "bulk_s": round(t1 - t, 1),
            "pdf_folder": str(pdf.relative_to(ROOT)), "pdf_s": round(t2 - t1, 1), "version": make_corpus.VERSION}


def part_extraction(quick: bool) -> dict[str, Any]:
    out = OUT / "extraction.json"
    cmd = [sys.executable, str(ROOT / "bench" / "extraction.py"), "--out", str(out)] + (["--quick"] if quick else [])
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text(encoding="utf-8"))


def part_ingest(quick: bool, workers: int) -> dict[str, Any]:
    import ingest

    return {"startup_s": ingest.startup(workers), **ingest.bulk(200 if quick else 2000, workers, db=ingest.bulk_db(quick))}


def part_pdf(quick: bool, workers: int) -> dict[str, Any]:
    import ingest

    return ingest.pdfs(10 if quick else 50, workers)


def part_queries(quick: bool) -> dict[str, Any]:
    import ingest
    import queries

    return queries.run(ingest.bulk_db(quick), 60 if quick else 300)


# -- the report ---------------------------------------------------------------------------------------------

def checks(res: dict[str, Any], quick: bool) -> list[tuple[str, str, str, bool | None]]:
    """(what, target, measured, met) for each target of the issue."""
    out: list[tuple[str, str, str, bool | None]] = []
    ex = res.get("extraction")
    if ex:
        txt = ex["txt"]
        out.append((f"text documents per second, one core (corpus, mean {txt['mean_kb']} KB)", ">= 20", f"{txt['docs_per_s']:.1f}",
                    txt["docs_per_s"] >= 20))
        out.append(("text: ms per 20 KB document (median over files)", "< 50 ms", f"{txt['ms_per_20kb_median']:.1f}",
                    txt["ms_per_20kb_median"] < 50))
        pdf = ex["pdf"]
        out.append(("PDF: time / pdfplumber text+tables (corpus PDFs)", "<= 1.5", f"{pdf['ratio_to_floor']:.2f}",
                    pdf["ratio_to_floor"] <= 1.5))
    ing = res.get("ingest")
    if ing:
        full = not quick
        out.append((f"bulk ingest of {ing['files']} documents, wall", "< 300 s", f"{ing['wall_s']:.0f} s",
                    ing["wall_s"] < 300 if full else None))
        out.append(("bulk ingest peak memory, process tree", "< 1024 MiB", f"{ing['peak_tree_rss_mib']:.0f} MiB",
                    ing["peak_tree_rss_mib"] < 1024))
        out.append(("tasks in the store", "> 100,000", f"{ing['store']['tasks']:,}", ing["store"]["tasks"] > 100_000 if full else None))
    pdf_ing = res.get("pdf")
    if pdf_ing:
        out.append((f"PDF ingest of {pdf_ing['files']} files / pdfplumber, CPU s", "<= 1.5",
                    f"{pdf_ing['ratio_cpu']:.2f}", pdf_ing["ratio_cpu"] <= 1.5))
    q = res.get("queries")
    if q:
        big = q["tasks"] >= 100_000
        out.append((f"tasks of a unit p95 at {q['tasks']:,} tasks", "< 20 ms", f"{q['unit_tasks']['p95_ms']:.1f} ms",
                    q["unit_tasks"]["p95_ms"] < 20 if big else None))
        out.append((f"full-text search p95 at {q['tasks']:,} tasks", "< 50 ms", f"{q['search']['p95_ms']:.1f} ms",
                    q["search"]["p95_ms"] < 50 if big else None))
    total = res.get("total_s")
    if total is not None and set(res.get("parts", [])) == set(PARTS):
        out.append(("whole benchmark, wall", "< 600 s", f"{total:.0f} s", total < 600 if not quick else None))
    return out


def table(res: dict[str, Any], quick: bool) -> str:
    m = res["machine"]
    lines = [
        "",
        f"nhiemvu benchmarks{' (QUICK: small sizes, not the issue figures)' if quick else ''}",
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}, commit {m['commit']}",
        f"load average (1/5/15 min): start {m['load_at_start']}, end {res.get('load_at_end')}",
        f"command: {res['command']}",
        "",
    ]
    ex = res.get("extraction")
    if ex:
        lines.append("1. Extraction, one warm process (corpus/docs + corpus/extra)")
        lines.append(f"   {'format':6} {'files':>5} {'docs/s':>8} {'ms/doc':>9} {'ms/page':>8} {'floor ms/doc':>13} {'ratio':>6} "
                     f"{'CPU docs/s':>10} {'CPU ratio':>9}  floor")
        for fmt in ("txt", "docx", "pdf"):
            r = ex[fmt]
            lines.append(f"   {fmt:6} {r['files']:>5} {r['docs_per_s']:>8.2f} {r['ms_per_doc_mean']:>9.1f} {r['ms_per_page']:>8.1f} "
                         f"{r['floor_ms_per_doc_mean']:>13.1f} {r['ratio_to_floor']:>6.2f} {r['cpu_docs_per_s']:>10.2f} "
                         f"{r['cpu_ratio_to_floor']:>9.2f}  {r['floor']}")
        lines.append("   (docs/s and ratio from wall time; CPU columns from this process's CPU time, which the load of other processes does not inflate)")
        lines.append(f"   mean file size: txt {ex['txt']['mean_kb']} KB, docx {ex['docx']['mean_kb']} KB, pdf {ex['pdf']['mean_kb']} KB; "
                     "pages of txt/docx = 3,000 characters of text")
        lines.append(f"   txt: {ex['txt']['ms_per_20kb_median']:.1f} ms per 20 KB (median over files of ms/KB x 20), "
                     f"i.e. {ex['txt']['docs_per_s_at_20kb']} documents of 20 KB per second")
        lines.append(f"   pdf: the reader is {100 * ex['pdf'].get('reader_share', 0):.0f}% of nhiemvu's PDF time; per file ratio "
                     + ", ".join(f"{k} {v}" for k, v in ex["pdf"]["ratio_to_floor_by_file"].items()))
        for fmt in ("txt", "docx"):
            share = ex[fmt].get("component_share", {})
            lines.append(f"   {fmt} time by stage: " + ", ".join(f"{k} {100 * v:.0f}%" for k, v in share.items()))
        lines.append(f"   load before/after: {ex['load_before']} / {ex['load_after']}")
        lines.append("")
    ing = res.get("ingest")
    if ing:
        s = ing["store"]
        lines.append(f"2a. Bulk ingest: `{ing['command']}`")
        lines.append(f"   {ing['files']} files ({ing['by_format']}), {ing['input_mib']} MiB: {ing['wall_s']:.1f} s wall, "
                     f"{ing['docs_per_s']:.1f} docs/s, indexed {ing['indexed']}, failed {ing['failed']}")
        lines.append(f"   peak memory of the process tree ({ing['processes']} processes): RSS {ing['peak_tree_rss_mib']:.0f} MiB, "
                     f"PSS {ing['peak_tree_pss_mib']:.0f} MiB; largest process {ing['largest_process_hwm_mib']:.0f} MiB")
        lines.append(f"   CPU seconds by process {ing['cpu_s_by_process']} (total {ing['cpu_s_total']}); CLI start-up {ing['startup_s']:.1f} s")
        lines.append(f"   store: {s['documents']:,} documents, {s['tasks']:,} tasks ({s['distinct_task_texts']:,} distinct texts), "
                     f"{s['units']:,} units, {s['unit_aliases']:,} aliases, {s['linked_units']} unit links, "
                     f"{s['references']:,} references ({s['resolved_references']:,} resolved), {s['db_mib']} MiB")
        lines.append(f"   load before/after: {ing['load_before']} / {ing['load_after']}")
        lines.append("")
    p = res.get("pdf")
    if p:
        lines.append(f"2b. PDF ingest: {p['files']} PDFs, {p['pages']} pages, {p['workers']} workers")
        lines.append(f"   nhiemvu ingest {p['wall_s']:.1f} s wall ({p['cpu_s_total']} CPU s); pdfplumber text+tables {p['floor']['wall_s']:.1f} s wall "
                     f"({p['floor']['cpu_s_total']} CPU s); ratio {p['ratio_wall']:.2f} wall, {p['ratio_cpu']} CPU")
        lines.append(f"   peak memory RSS {p['peak_tree_rss_mib']:.0f} MiB; {p['store']['tasks']:,} tasks; load before/after {p['load_before']} / {p['load_after']}")
        lines.append("")
    q = res.get("queries")
    if q:
        lines.append(f"3. Queries through HTTP ({q['server']}), {q['tasks']:,} tasks, {q['documents']:,} documents, "
                     f"{q['runs_per_kind']} requests per kind")
        lines.append(f"   each request has its own parameters (first ask: no cached answer); 'again' = the first {q['unit_tasks']['repeated']['n']} asked a second time at once")
        lines.append(f"   {'query':12} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'max ms':>8} {'server CPU ms':>13} {'requests':>8} "
                     f"{'results':>8} {'errors':>6} {'again p50/p95 ms':>17}")
        for kind in ("unit_tasks", "overdue", "search", "links"):
            r = q[kind]
            cpu = r.get("server_cpu_ms_per_request")
            again = f"{r['repeated']['p50_ms']:.1f} / {r['repeated']['p95_ms']:.1f}"
            lines.append(f"   {kind:12} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['mean_ms']:>8.1f} {r['max_ms']:>8.1f} "
                         f"{cpu if cpu is not None else float('nan'):>13.1f} {r['distinct_parameters']:>8} {r['results_median']:>8} "
                         f"{len(r['errors']):>6} {again:>17}")
        for label, b in q["unit_tasks"].get("by_unit_size", {}).items():
            lines.append(f"   unit_tasks matching {label:19} ({b['units']:>3} units): p50 {b['p50_ms']:.1f} ms, p95 {b['p95_ms']:.1f} ms")
        for kind in ("unit_tasks", "overdue", "search"):
            slow = q[kind].get("slowest_requests", [])[:3]
            if slow:
                lines.append(f"   slowest {kind}: " + "; ".join(f"{x['request']} {x['ms']:.0f} ms ({x.get('results')} results)" for x in slow))
        lines.append("   results = median of `total` (tasks), items (search) or outgoing+incoming (links); server CPU = mean per request")
        lines.append(f"   load before/after: {q['load_before']} / {q['load_after']}")
        lines.append("")
    lines.append("Targets of the issue")
    for what, target, got, ok in checks(res, quick):
        mark = "n/a (quick)" if ok is None else ("met" if ok else "NOT MET")
        lines.append(f"   {what:58} {target:>12} {got:>12}  {mark}")
    lines.append(f"total: {res.get('total_s', 0):.0f} s; parts {res.get('part_s')}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (200 plans, 10 PDFs, fewer rounds): a smoke run")
    ap.add_argument("--only", nargs="+", choices=PARTS, help="run only these parts")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="extraction processes of the ingest (default: cores)")
    ap.add_argument("--out", type=Path, help="where the figures go (default bench/out/results.json, or results-quick.json)")
    args = ap.parse_args()
    if args.out is None:
        args.out = OUT / ("results-quick.json" if args.quick else "results.json")
    parts = args.only or list(PARTS)
    res: dict[str, Any] = {"machine": machine(), "quick": args.quick, "parts": parts, "part_s": {},
                           "command": " ".join(["python3", "bench/run.py", *sys.argv[1:]])}
    t0 = time.perf_counter()
    for part in PARTS:
        if part not in parts:
            continue
        _log(f"{part} ...")
        t = time.perf_counter()
        try:
            if part == "corpus":
                res["corpus"] = part_corpus(args.quick)
            elif part == "extraction":
                res["extraction"] = part_extraction(args.quick)
            elif part == "ingest":
                res["ingest"] = part_ingest(args.quick, args.workers)
            elif part == "pdf":
                res["pdf"] = part_pdf(args.quick, args.workers)
            elif part == "queries":
                res["queries"] = part_queries(args.quick)
        except Exception as err:  # noqa: BLE001 - report the part that failed, keep the others
            res.setdefault("errors", {})[part] = f"{type(err).__name__}: {err}"
            _log(f"{part} FAILED: {type(err).__name__}: {err}")
        res["part_s"][part] = round(time.perf_counter() - t, 1)
        _log(f"{part} done in {res['part_s'][part]:.0f} s")
    res["total_s"] = round(time.perf_counter() - t0, 1)
    res["load_at_end"] = load()
    res["targets"] = [{"what": w, "target": t, "measured": g, "met": ok} for w, t, g, ok in checks(res, args.quick)]
    write_json(args.out, res)
    print(table(res, args.quick))
    if res.get("errors"):
        print("\nerrors: " + json.dumps(res["errors"], ensure_ascii=False))
    print(f"\nall figures: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
