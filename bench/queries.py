"""Query latency through the HTTP API on the bulk store (100,000+ tasks), as a client sees it.

Starts the real server (`nhiemvu serve --db STORE --port P`, uvicorn on
127.0.0.1) and sends sequential requests over one keep-alive httpx
connection: tasks of a unit (`GET /tasks?unit=` by name or alias, linked
units included), overdue tasks as of a date (`GET /tasks?overdue=true&as_of=`),
full-text search (`GET /search?q=`, words with and without tone marks) and a
document's links (`GET /documents/{id}/links`). The parameters are drawn
from the store itself (seeded); the kinds are interleaved so that noise
falls on all of them alike; a warm-up round is not counted. Reports p50 and
p95 (and mean, max) per kind, the number of results, and any non-200
answer. Run alone: `python3 bench/queries.py [--runs N] [--db STORE]`.
"""
from __future__ import annotations

import argparse
import random
import re
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, ROOT, load, summary_ms, write_json  # noqa: E402

KINDS = ("unit_tasks", "overdue", "search", "links")
WARMUP = 20  # requests per kind before the measured ones, with parameters of their own
REPEAT = 50  # requests per kind asked a second time at once, to show what the service's caches give
_WORD = re.compile(r"[^\W\d_]+")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, wait: float = 90.0) -> subprocess.Popen[bytes]:
    import httpx

    cmd = [sys.executable, "-m", "service.cli", "serve", "--db", str(db), "--port", str(port), "--host", "127.0.0.1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}: {' '.join(cmd)}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"the server did not answer /health within {wait:.0f} s")


def _dedupe(items: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> list[dict[str, Any]]:
    seen: set[Any] = set()
    out = []
    for it in items:
        k = key(it)
        if k not in seen:
            seen.add(k)
            out.append(it)
    return out


def parameters(db: Path, n: int, seed: int = 3) -> dict[str, list[dict[str, Any]]]:
    """n distinct request parameters of each kind (and more for the warm-up), drawn from what the store holds.

    Distinct, because the service caches answers per store generation: a repeated request measures the cache.
    """
    rng = random.Random(seed)
    want = n + WARMUP
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        # units: the 40 with most tasks, 20 with linked units, the rest at random; by name or by an alias
        units = conn.execute(
            """SELECT u.id, u.name, COUNT(*) AS n FROM task_units tu JOIN units u ON u.id = tu.unit_id
               GROUP BY u.id ORDER BY n DESC"""
        ).fetchall()
        aliases: dict[int, list[str]] = {}
        for uid, alias in conn.execute("SELECT unit_id, alias FROM unit_aliases"):
            aliases.setdefault(uid, []).append(alias)
        linked = {r[0] for r in conn.execute("SELECT unit_id FROM unit_links")}
        unit_q = [{"unit": rng.choice([name, *aliases.get(uid, [])]), "limit": 50, "_tasks": count, "_linked": uid in linked}
                  for uid, name, count in units]
        top = unit_q[:40]
        with_links = [u for u in unit_q if u["_linked"]][:20]
        rest = unit_q[40:]
        pool = _dedupe(top + with_links + rng.sample(rest, len(rest)), lambda u: u["unit"].lower())
        unit_params = pool[:want]

        # overdue as of dates spread over the due dates the store holds, each date once
        dues = [r[0] for r in conn.execute("SELECT due FROM tasks WHERE due IS NOT NULL ORDER BY due")]
        days: set[str] = set()
        if dues:
            lo, hi = date.fromisoformat(dues[len(dues) // 20]), date.fromisoformat(dues[-len(dues) // 20])
            span = max(1, (hi - lo).days)
            while len(days) < min(want, span):
                days.add((lo + timedelta(days=rng.randrange(span))).isoformat())
        overdue_params = [{"overdue": "true", "as_of": d, "limit": 50} for d in sorted(days, key=lambda _: rng.random())]

        # what a user types: one word of four letters or more, or two or three consecutive syllables of a task
        n_tasks = conn.execute("SELECT MAX(id) FROM tasks").fetchone()[0] or 0
        from extractors.vntext import fold

        search_params: list[dict[str, Any]] = []
        seen_q: set[str] = set()
        tries = 0
        while len(search_params) < want and tries < 50 * want and n_tasks:
            tries += 1
            row = conn.execute("SELECT text FROM tasks WHERE id >= ? LIMIT 1", (rng.randint(1, n_tasks),)).fetchone()
            words = _WORD.findall(row[0]) if row else []
            if len(words) < 4:
                continue
            k = rng.choice((1, 2, 2, 3))
            i = rng.randrange(0, len(words) - k + 1)
            if k == 1 and len(words[i]) < 4:
                continue
            q = " ".join(words[i:i + k]).lower()
            if rng.random() < 0.3:
                q = fold(q)
            if q not in seen_q:
                seen_q.add(q)
                search_params.append({"q": q, "limit": 20})

        # documents: some that cite or are cited by an indexed document, the rest at random
        docs = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
        linked_docs = [r[0] for r in conn.execute(
            "SELECT DISTINCT target_id FROM doc_references WHERE target_id IS NOT NULL UNION "
            "SELECT DISTINCT document_id FROM doc_references WHERE target_id IS NOT NULL")]
        ids = rng.sample(linked_docs, min(len(linked_docs), want // 4))
        ids += [d for d in rng.sample(docs, len(docs)) if d not in set(ids)][: want - len(ids)]
        links_params = [{"_id": i} for i in ids]
    finally:
        conn.close()
    out = {"unit_tasks": unit_params, "overdue": overdue_params, "search": search_params, "links": links_params}
    for k, v in out.items():
        rng.shuffle(v)
    return out


def _request(client: Any, kind: str, p: dict[str, Any]) -> Any:
    if kind == "links":
        return client.get(f"/documents/{p['_id']}/links")
    public = {k: v for k, v in p.items() if not k.startswith("_")}
    if kind == "search":
        return client.get("/search", params=public)
    return client.get("/tasks", params=public)


def _count(kind: str, body: Any) -> int:
    if kind == "links":
        return len(body.get("outgoing", [])) + len(body.get("incoming", []))
    if kind == "search":
        return len(body.get("items", []))
    return int(body.get("total", 0))


def _label(kind: str, p: dict[str, Any]) -> str:
    if kind == "links":
        return f"/documents/{p['_id']}/links"
    return "&".join(f"{k}={v}" for k, v in p.items() if not k.startswith("_") and k != "limit")


def measure(base_url: str, params: dict[str, list[dict[str, Any]]], runs: int, server_pid: int | None = None) -> dict[str, Any]:
    """Latency per kind over distinct requests (each asked once: the first ask, what a cache cannot answer),
    the server's CPU time per request (from /proc: what the load of other processes cannot inflate), and then
    the latency of the first `REPEAT` requests asked again at once (what the service's caches give)."""
    import httpx

    from common import cpu_seconds

    times: dict[str, list[float]] = {k: [] for k in KINDS}
    repeat: dict[str, list[float]] = {k: [] for k in KINDS}
    cpu: dict[str, float] = {k: 0.0 for k in KINDS}
    took: dict[tuple[str, int], float] = {}
    matched: dict[tuple[str, int], int] = {}
    results: dict[str, list[int]] = {k: [] for k in KINDS}
    errors: dict[str, list[str]] = {k: [] for k in KINDS}
    measured = {k: params[k][WARMUP:WARMUP + runs] for k in KINDS}
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for kind in KINDS:  # warm-up with parameters of its own: imports, connections, SQLite's page cache
            for p in params[kind][:WARMUP]:
                _request(client, kind, p)
        for i in range(runs):
            for kind in KINDS:  # interleaved, so that noise falls on every kind alike
                if i >= len(measured[kind]):
                    continue
                c0 = cpu_seconds(server_pid) if server_pid else 0.0
                t = time.perf_counter()
                r = _request(client, kind, measured[kind][i])
                dt = time.perf_counter() - t
                if server_pid:
                    cpu[kind] += cpu_seconds(server_pid) - c0
                if r.status_code != 200:
                    if len(errors[kind]) < 5:
                        errors[kind].append(f"{r.status_code} {r.text[:200]}")
                    continue
                times[kind].append(dt)
                took[(kind, i)] = dt
                results[kind].append(_count(kind, r.json()))
                matched[(kind, i)] = results[kind][-1]
                if i < REPEAT:  # the same request at once again (a page reloaded): what the caches give
                    t = time.perf_counter()
                    r = _request(client, kind, measured[kind][i])
                    if r.status_code == 200:
                        repeat[kind].append(time.perf_counter() - t)
    out: dict[str, Any] = {}
    for kind in KINDS:
        rs = results[kind]
        slow = sorted(((t, j) for (k, j), t in took.items() if k == kind), reverse=True)[:5]
        rep = summary_ms(repeat[kind])
        out[kind] = {
            **summary_ms(times[kind]),
            "server_cpu_ms_per_request": round(1000 * cpu[kind] / len(times[kind]), 2) if times[kind] and server_pid else None,
            "repeated": {"n": rep["n"], "p50_ms": rep["p50_ms"], "p95_ms": rep["p95_ms"]},
            "slowest_requests": [{"request": _label(kind, measured[kind][j]), "ms": round(1000 * t, 1),
                                  "results": matched.get((kind, j))} for t, j in slow],
            "distinct_parameters": len(measured[kind]),
            "results_median": sorted(rs)[len(rs) // 2] if rs else 0,
            "empty_results": sum(1 for x in rs if x == 0),
            "errors": errors[kind],
        }
    # tasks of a unit by how many tasks the query matches (the unit, its aliases and linked units):
    # a catch-all unit (`các bộ, ngành`) has far more rows to order than a department
    sizes = [("under 1,000 tasks", 0, 1000), ("1,000-5,000 tasks", 1000, 5000), ("over 5,000 tasks", 5000, 10**9)]
    buckets = {}
    for label, lo, hi in sizes:
        ts = [took[key] for key, n in matched.items() if key[0] == "unit_tasks" and lo <= n < hi]
        if ts:
            buckets[label] = {**summary_ms(ts), "units": len(ts)}
    out["unit_tasks"]["by_unit_size"] = buckets
    return out


def run(db: Path, runs: int = 300) -> dict[str, Any]:
    if not db.exists():
        raise FileNotFoundError(f"{db}: run the bulk ingest first (bench/ingest.py)")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    tasks = conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
    docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    conn.close()
    params = parameters(db, runs)
    port = free_port()
    t = time.perf_counter()
    proc = start_server(db, port)
    started = time.perf_counter() - t
    try:
        load_before = load()
        res = measure(f"http://127.0.0.1:{port}", params, runs, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    examples = {k: [{x: y for x, y in p.items() if not x.startswith("_")} or p for p in v[WARMUP:WARMUP + 3]] for k, v in params.items()}
    return {"store": str(db.relative_to(ROOT)) if db.is_relative_to(ROOT) else str(db), "tasks": tasks, "documents": docs,
            "runs_per_kind": runs, "server": "uvicorn via `nhiemvu serve`, 127.0.0.1, one keep-alive client, sequential",
            "method": f"each measured request has its own parameters (asked once; {WARMUP} warm-up requests per kind not counted); "
                      f"`repeated` asks each of the first {REPEAT} a second time at once",
            "server_start_s": round(started, 2), "load_before": load_before, **res, "examples": examples, "load_after": load()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, default=OUT / "store-bulk.sqlite")
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--out", type=Path, default=OUT / "queries.json")
    args = ap.parse_args()
    res = run(args.db, args.runs)
    write_json(args.out, res)
    for k in KINDS:
        r = res[k]
        print(f"{k:11s} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  server CPU {r['server_cpu_ms_per_request']} ms  "
              f"results {r['results_median']}  errors {len(r['errors'])}")
        for x in r["slowest_requests"]:
            print(f"    {x['ms']:7.1f} ms  {x['request']}  ({x['results']} results)")


if __name__ == "__main__":
    main()
