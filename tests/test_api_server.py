"""The real server: `nhiemvu serve` (uvicorn) on a free port of 127.0.0.1, used over HTTP."""
from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import DOCS, ROOT

TOKEN = "may-chu-that-41"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
CORPUS = sorted(p for p in DOCS.iterdir() if p.is_file())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("server") / "served.sqlite"
    port = _free_port()
    env = {**os.environ, "NHIEMVU_TOKEN": TOKEN}
    log = open(db.with_suffix(".log"), "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {db.with_suffix('.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_a_pdf_uploaded_over_http(server: str) -> None:
    pdf = DOCS / "cv-6582-syt-ha-noi-di-tru-hssk.pdf"
    with httpx.Client(base_url=server, timeout=300) as client:
        assert client.post("/documents", files={"file": (pdf.name, pdf.read_bytes(), "application/pdf")}).status_code == 401
        r = client.post("/documents", files={"file": (pdf.name, pdf.read_bytes(), "application/pdf")}, headers=HEADERS)
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["summary"]["format"] == "pdf" and body["summary"]["pages"] >= 1
        doc = client.get(f"/documents/{body['id']}").json()
        assert doc["extraction"]["document"]["source"]["filename"] == pdf.name
        assert client.get(f"/documents/{body['id']}/file").content == pdf.read_bytes()
        tasks = client.get("/tasks", params={"document": body["id"], "limit": 1000}).json()
        assert tasks["total"] == body["summary"]["tasks"] == len(doc["extraction"]["tasks"])


def test_eight_clients_uploading_the_corpus_at_once_lose_and_duplicate_nothing(server: str) -> None:
    results: dict[int, list[tuple[str, int, int]]] = {}
    errors: list[str] = []
    start = threading.Barrier(8)

    def client_run(n: int) -> None:
        order = list(CORPUS)
        random.Random(n).shuffle(order)
        got = []
        with httpx.Client(base_url=server, timeout=600, headers=HEADERS) as client:
            start.wait()
            for path in order:
                r = client.post("/documents", files={"file": (path.name, path.read_bytes())})
                if r.status_code not in (200, 201):
                    errors.append(f"client {n} {path.name}: {r.status_code} {r.text[:200]}")
                    continue
                got.append((path.name, r.status_code, r.json()["id"]))
        results[n] = got

    threads = [threading.Thread(target=client_run, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert all(len(v) == len(CORPUS) for v in results.values())
    by_file: dict[str, set[int]] = {}
    created: dict[str, int] = {}
    for got in results.values():
        for name, status, doc_id in got:
            by_file.setdefault(name, set()).add(doc_id)
            created[name] = created.get(name, 0) + (status == 201)
    assert all(len(ids) == 1 for ids in by_file.values()), by_file
    assert len({next(iter(v)) for v in by_file.values()}) == len(CORPUS)
    assert all(n <= 1 for n in created.values()), created
    listing = httpx.get(f"{server}/documents", params={"limit": 100}, headers=HEADERS).json()
    assert listing["total"] == len(CORPUS)
    assert len({d["sha256"] for d in listing["items"]}) == len(CORPUS)
    assert sorted(d["id"] for d in listing["items"]) == sorted(next(iter(v)) for v in by_file.values())
