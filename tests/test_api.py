"""The HTTP API with FastAPI's TestClient, on the real corpus uploaded through the real extraction."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from extractors.vntext import fold
from service.api import create_app
from tests.conftest import DOCS

TOKEN = "kiem-thu-9f2c"
AUTH = {"Authorization": f"Bearer {TOKEN}", "X-User": quote("Nguyễn Văn Kiểm")}
CORPUS = sorted(p for p in DOCS.iterdir() if p.is_file())


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, dict]]]:
    """A store with the corpus uploaded once; `uploaded[name]` is each upload's response."""
    app = create_app(tmp_path_factory.mktemp("api") / "api.sqlite", token=TOKEN)
    with TestClient(app) as client:
        uploaded = {}
        for path in CORPUS:
            r = client.post("/documents", files={"file": (path.name, path.read_bytes())}, headers=AUTH)
            uploaded[path.name] = {**r.json(), "http": r.status_code}
        yield client, uploaded


def _doc_id(uploaded: dict[str, dict], prefix: str) -> int:
    return next(v["id"] for k, v in uploaded.items() if k.startswith(prefix))


def _total(client: TestClient) -> int:
    return client.get("/documents", headers=AUTH).json()["total"]


def test_uploading_the_corpus_indexes_every_file(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, uploaded = api
    assert {v["http"] for v in uploaded.values()} == {201}, {k: v.get("detail") for k, v in uploaded.items() if v["http"] != 201}
    assert len({v["id"] for v in uploaded.values()}) == len(CORPUS)
    for name, v in uploaded.items():
        assert v["status"] == "indexed" and v["summary"]["filename"] == name
        detail = client.get(f"/documents/{v['id']}").json()
        assert detail["extraction"]["document"]["source"]["sha256"] == v["summary"]["sha256"]
        assert len(detail["extraction"]["tasks"]) == v["summary"]["tasks"] == detail["n_tasks"]
    assert sum(v["summary"]["tasks"] for v in uploaded.values()) > 0


def test_the_same_file_again_is_200_with_the_same_id(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, uploaded = api
    path = DOCS / "kl-221-kltw-bo-may-chinh-quyen-2-cap.txt"
    before = _total(client)
    r = client.post("/documents", files={"file": ("ten-khac.txt", path.read_bytes())}, headers=AUTH)
    assert r.status_code == 200
    assert r.json()["id"] == uploaded[path.name]["id"] and r.json()["status"] == "duplicate"
    assert "already indexed" in r.json()["message"]
    assert _total(client) == before


def test_writes_need_the_token(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, uploaded = api
    path = DOCS / "kl-221-kltw-bo-may-chinh-quyen-2-cap.txt"
    task_id = client.get("/tasks").json()["items"][0]["id"]
    doc_id = uploaded[path.name]["id"]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"X-Token": "wrong"}):
        assert client.post("/documents", files={"file": (path.name, path.read_bytes())}, headers=headers).status_code == 401
        assert client.delete(f"/documents/{doc_id}", headers=headers).status_code == 401
        assert client.put(f"/tasks/{task_id}/status", json={"status": "hoàn thành"}, headers=headers).status_code == 401
        assert client.patch(f"/tasks/{task_id}", json={"due": "2026-01-01"}, headers=headers).status_code == 401
    assert client.get(f"/documents/{doc_id}").status_code == 200
    assert client.post("/documents", files={"file": (path.name, path.read_bytes())}, headers={"X-Token": TOKEN}).status_code == 200


def test_an_upload_over_the_size_limit_is_413(api: tuple[TestClient, dict[str, dict]], monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = api
    monkeypatch.setenv("NHIEMVU_MAX_BYTES", "2000")
    before = _total(client)
    data = (DOCS / "qd-173-qdbtp-ke-hoach-phoi-hop.txt").read_bytes() + b"\n"
    assert len(data) > 2000
    r = client.post("/documents", files={"file": ("qd.txt", data)}, headers=AUTH)
    assert r.status_code == 413 and "2,000" in r.json()["detail"]
    assert _total(client) == before


def test_an_unsupported_format_is_415(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, _ = api
    before = _total(client)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    r = client.post("/documents", files={"file": ("so-do.png", png)}, headers=AUTH)
    assert r.status_code == 415 and "so-do.png" in r.json()["detail"]
    assert _total(client) == before


@pytest.mark.parametrize("name,data", [
    ("hong.pdf", b"this is not a PDF at all"),
    ("rong.txt", b""),
    ("cat-ngang.docx", b"PK\x03\x04" + b"\x00" * 40),
])
def test_an_unreadable_file_is_422_with_the_reason(api: tuple[TestClient, dict[str, dict]], name: str, data: bytes) -> None:
    client, _ = api
    before = _total(client)
    r = client.post("/documents", files={"file": (name, data)}, headers=AUTH)
    assert r.status_code == 422
    assert r.json()["detail"].startswith(f"{name}: ") and len(r.json()["detail"]) > len(name) + 5
    assert _total(client) == before


def test_a_declared_size_over_the_limit_is_refused_before_reading(api: tuple[TestClient, dict[str, dict]], monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = api
    monkeypatch.setenv("NHIEMVU_MAX_BYTES", "1000")
    r = client.post("/documents", files={"file": ("lon.txt", b"x" * 200_000)}, headers=AUTH)
    assert r.status_code == 413 and "over the limit" in r.json()["detail"]


def test_a_failed_write_leaves_the_store_as_it_was(api: tuple[TestClient, dict[str, dict]], monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = api
    from service import links

    def broken(conn: object, doc_id: int) -> dict[str, int]:
        raise RuntimeError("the disk is full")

    before = client.get("/documents", params={"limit": 100}, headers=AUTH).json()
    tasks_before = client.get("/tasks", headers=AUTH).json()["total"]
    monkeypatch.setattr(links, "relink", broken)
    data = (DOCS / "kl-221-kltw-bo-may-chinh-quyen-2-cap.txt").read_bytes() + "\nBản sao lưu.\n".encode()
    with pytest.raises(RuntimeError):
        client.post("/documents", files={"file": ("ban-sao.txt", data)}, headers=AUTH)
    assert client.get("/documents", params={"limit": 100}, headers=AUTH).json() == before
    assert client.get("/tasks", headers=AUTH).json()["total"] == tasks_before
    monkeypatch.undo()
    r = client.post("/documents", files={"file": ("ban-sao.txt", data)}, headers=AUTH)
    assert r.status_code == 201
    assert client.delete(f"/documents/{r.json()['id']}", headers=AUTH).status_code == 204


def test_an_upload_without_a_file_is_422(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, _ = api
    assert client.post("/documents", data={"x": "1"}, headers=AUTH).status_code == 422


def test_documents_can_be_filtered(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, uploaded = api
    everything = client.get("/documents", params={"limit": 100}).json()
    assert everything["total"] == len(CORPUS)
    plans = client.get("/documents", params={"type": "kế hoạch"}).json()
    assert plans["total"] == sum(1 for d in everything["items"] if d["doc_type"] == "Kế hoạch") > 0
    assert {d["doc_type"] for d in plans["items"]} == {"Kế hoạch"}
    y2025 = client.get("/documents", params={"year": 2025}).json()
    assert y2025["total"] > 0 and all(d["issued_date"].startswith("2025") for d in y2025["items"])
    vks = client.get("/documents", params={"issuer": "Viện kiểm sát"}).json()
    assert {d["id"] for d in vks["items"]} == {_doc_id(uploaded, "vksnd-ctr"), _doc_id(uploaded, "vksnd-nq")}
    by_code = client.get("/documents", params={"text": "617/KH-UBND"}).json()
    assert _doc_id(uploaded, "kh-617") in {d["id"] for d in by_code["items"]}
    words = client.get("/documents", params={"text": "do dac ruong dat"}).json()
    assert [d["id"] for d in words["items"]] == [_doc_id(uploaded, "ct-299")]
    page = client.get("/documents", params={"limit": 5, "offset": 5}).json()
    assert len(page["items"]) == 5 and page["total"] == len(CORPUS)


def test_a_document_its_file_and_its_links(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, uploaded = api
    for path in CORPUS:
        doc_id = uploaded[path.name]["id"]
        r = client.get(f"/documents/{doc_id}/file")
        assert r.status_code == 200 and r.content == path.read_bytes()
        assert "attachment" in r.headers["content-disposition"]
        links = client.get(f"/documents/{doc_id}/links").json()
        detail = client.get(f"/documents/{doc_id}").json()
        assert len(links["outgoing"]) == len(detail["extraction"]["references"])
    assert client.get("/documents/999999").status_code == 404
    assert client.get("/documents/999999/file").status_code == 404
    assert client.get("/documents/999999/links").status_code == 404


def test_tasks_of_a_unit_include_its_party_cell(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, uploaded = api
    r = client.get("/tasks", params={"unit": "Vụ 2", "org": "VKSND tối cao"}).json()
    assert r["total"] >= 1
    assert all(any(u["name"] == "Chi ủy Vụ 2" for u in t["lead"] + t["support"]) for t in r["items"])
    assert {t["document"]["id"] for t in r["items"]} == {_doc_id(uploaded, "vksnd-ctr")}
    # the written abbreviation finds the same unit as the full name
    full = client.get("/tasks", params={"unit": "Văn phòng Đảng ủy"}).json()
    assert full["total"] > 0
    assert client.get("/tasks", params={"unit": "VPĐU"}).json()["total"] == full["total"]
    assert client.get("/tasks", params={"unit": "Đơn vị không có trong văn bản nào"}).json()["total"] == 0


def test_tasks_are_overdue_first_then_by_due_date_and_paginated(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, _ = api
    as_of = "2026-01-01"
    first = client.get("/tasks", params={"as_of": as_of, "limit": 40}).json()
    second = client.get("/tasks", params={"as_of": as_of, "limit": 40, "offset": 40}).json()
    assert first["total"] == second["total"] > 80
    assert not {t["id"] for t in first["items"]} & {t["id"] for t in second["items"]}
    items = first["items"] + second["items"]
    flags = [t["overdue"] for t in items]
    assert flags == sorted(flags, reverse=True) and flags[0]
    overdue_dues = [t["due"] for t in items if t["overdue"]]
    assert overdue_dues == sorted(overdue_dues) and all(d < as_of for d in overdue_dues)
    only = client.get("/tasks", params={"as_of": as_of, "overdue": True, "limit": 1000}).json()
    assert only["total"] == len(only["items"]) and all(t["overdue"] for t in only["items"])
    assert only["total"] == sum(1 for t in client.get("/tasks", params={"as_of": as_of, "limit": 1000}).json()["items"] if t["overdue"])


def test_task_filters(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, uploaded = api
    dated = client.get("/tasks", params={"kind": "dated", "limit": 1000}).json()
    assert dated["total"] > 0 and {t["deadline"]["kind"] for t in dated["items"]} == {"dated"}
    window = client.get("/tasks", params={"due_after": "2026-01-01", "due_before": "2026-03-31", "limit": 1000}).json()
    assert window["total"] > 0
    for t in window["items"]:
        assert "2026-01-01" <= (t["due"] or "") <= "2026-03-31" or t["deadline"]["kind"] == "recurring"
    doc = _doc_id(uploaded, "qd-173")
    mine = client.get("/tasks", params={"document": doc, "limit": 1000}).json()
    assert mine["total"] == uploaded["qd-173-qdbtp-ke-hoach-phoi-hop.txt"]["summary"]["tasks"]
    support = client.get("/tasks", params={"role": "support", "unit": "Bộ Tư pháp", "limit": 1000}).json()
    assert all(any("Bộ Tư pháp" in u["name"] for u in t["support"]) for t in support["items"])
    text = client.get("/tasks", params={"text": "chuyen doi so", "limit": 1000}).json()
    assert text["total"] > 0
    assert all({"chuyen", "doi", "so"} <= set(fold(t["text"]).split()) for t in text["items"])
    assert client.get("/tasks", params={"role": "boss"}).status_code == 422
    assert client.get("/tasks", params={"due_before": "31/03/2026"}).status_code == 422
    assert client.get("/tasks", params={"kind": "soon"}).status_code == 422
    assert client.get("/tasks", params={"limit": 0}).status_code == 422


def test_units(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, _ = api
    found = client.get("/units", params={"q": "Vụ 2", "org": "VKSND tối cao"}).json()
    assert [u["name"] for u in found["items"]] == ["Vụ 2"]
    unit = client.get(f"/units/{found['items'][0]['id']}").json()
    assert [u["name"] for u in unit["linked"]] == ["Chi ủy Vụ 2"]
    assert unit["org"] == "Viện kiểm sát nhân dân tối cao"
    cell = client.get(f"/units/{unit['linked'][0]['id']}").json()
    assert cell["counts"]["tasks"] >= 1 and "Chi ủy Vụ 2" in cell["aliases"]
    tasks = client.get(f"/units/{cell['id']}/tasks", params={"linked": False}).json()
    assert tasks["total"] == cell["counts"]["tasks"]
    assert client.get(f"/units/{unit['id']}/tasks").json()["total"] == tasks["total"]
    listing = client.get("/units", params={"limit": 500}).json()
    assert listing["total"] >= len(listing["items"]) > 10
    assert client.get("/units/999999").status_code == 404
    assert client.get("/units/999999/tasks").status_code == 404


def test_targets_and_references(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, uploaded = api
    docs = client.get("/documents", params={"limit": 100}).json()["items"]
    targets = client.get("/targets", params={"limit": 1000}).json()
    assert targets["total"] == sum(d["n_targets"] for d in docs)
    refs = client.get("/references", params={"limit": 1000}).json()
    assert refs["total"] == sum(d["n_references"] for d in docs)
    nq = _doc_id(uploaded, "vksnd-nq")
    mine = client.get("/references", params={"document": nq}).json()
    assert mine["total"] == next(d["n_references"] for d in docs if d["id"] == nq)


def test_search(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, _ = api
    plain = client.get("/search", params={"q": "dang uy chuyen doi so", "limit": 200}).json()["items"]
    toned = client.get("/search", params={"q": "Đảng ủy chuyển đổi số", "limit": 200}).json()["items"]
    assert plain and {(h["kind"], h["id"]) for h in plain} == {(h["kind"], h["id"]) for h in toned}
    assert all("<mark>" in h["snippet"] for h in plain)
    assert any("<mark>Đảng</mark>" in h["snippet"] or "<mark>đảng</mark>" in h["snippet"] for h in plain)
    tasks_only = client.get("/search", params={"q": "báo cáo", "kind": "task"}).json()["items"]
    assert tasks_only and {h["kind"] for h in tasks_only} == {"task"}
    top = client.get("/search", params={"q": "chuyen doi so", "limit": 5}).json()["items"]
    assert top and all("chuyển đổi số" in re.sub("</?mark>", "", h["snippet"]).lower() for h in top)
    for q in ['"chuyển đổi', "NEAR(báo cáo)", "số*", "a OR b AND", "-:^("]:
        assert client.get("/search", params={"q": q}).status_code == 200
    assert client.get("/search").status_code == 422


def test_corrections_and_status_are_kept_with_who_and_when(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, _ = api
    task = client.get("/tasks", params={"limit": 1, "offset": 3}).json()["items"][0]
    r = client.patch(f"/tasks/{task['id']}", json={"support": ["Văn phòng Đảng ủy"], "due": "2026-06-30", "note": "bổ sung"}, headers=AUTH)
    assert r.status_code == 200
    fixed = r.json()
    assert fixed["due"] == "2026-06-30" and set(fixed["corrected"]) == {"support", "due"}
    assert [(u["name"], u["corrected"]) for u in fixed["support"]] == [("Văn phòng Đảng ủy", True)]
    r = client.put(f"/tasks/{task['id']}/status", json={"status": "dang thuc hien", "note": "đã giao"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["status"] == "đang thực hiện" and r.json()["status_by"] == "Nguyễn Văn Kiểm"
    history = client.get(f"/tasks/{task['id']}/history").json()
    assert [(h["action"], h["who"]) for h in history] == [("status", "Nguyễn Văn Kiểm"), ("correct", "Nguyễn Văn Kiểm")]
    assert history[0]["detail"]["note"] == "đã giao" and history[0]["at"]
    assert client.put(f"/tasks/{task['id']}/status", json={"status": "gần xong"}, headers=AUTH).status_code == 422
    assert client.patch(f"/tasks/{task['id']}", json={"due": "30/06/2026"}, headers=AUTH).status_code == 422
    assert client.patch(f"/tasks/{task['id']}", json={}, headers=AUTH).status_code == 422
    assert client.put("/tasks/999999/status", json={"status": "hoàn thành"}, headers=AUTH).status_code == 404
    assert client.get("/tasks/999999").status_code == 404
    # the correction survives re-indexing the document
    r = client.post(f"/documents/{task['document']['id']}/reindex", headers=AUTH)
    assert r.status_code == 200 and r.json()["id"] == task["document"]["id"]
    again = client.get(f"/tasks/{task['id']}").json()
    assert again["due"] == "2026-06-30" and again["status"] == "đang thực hiện"


def test_a_secret_document_is_shown_only_with_the_token(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, _ = api
    data = (DOCS / "vksnd-nq-trien-khai-kl226.txt").read_bytes()
    secret = data.replace("NGHỊ QUYẾT".encode(), "MẬT\n\nNGHỊ QUYẾT".encode(), 1)
    r = client.post("/documents", files={"file": ("nq-mat.txt", secret)}, headers=AUTH)
    assert r.status_code == 201 and r.json()["summary"]["secret"] is True
    doc = r.json()["id"]
    assert client.get(f"/documents/{doc}").status_code == 404
    assert client.get(f"/documents/{doc}/file").status_code == 404
    assert client.get(f"/documents/{doc}", headers=AUTH).json()["secret"] is True
    assert doc not in {d["id"] for d in client.get("/documents", params={"limit": 100}).json()["items"]}
    assert doc in {d["id"] for d in client.get("/documents", params={"limit": 100}, headers=AUTH).json()["items"]}
    assert client.get("/tasks", params={"document": doc}).json()["total"] == 0
    n = client.get("/tasks", params={"document": doc}, headers=AUTH).json()["total"]
    assert n == r.json()["summary"]["tasks"]
    hits = client.get("/search", params={"q": "Kết luận số 226", "kind": "document", "limit": 50}).json()["items"]
    assert doc not in {h["id"] for h in hits}
    hits = client.get("/search", params={"q": "Kết luận số 226", "kind": "document", "limit": 50}, headers=AUTH).json()["items"]
    assert doc in {h["id"] for h in hits}
    # deleting it: 204, then 404, and the same bytes come back as a new document
    assert client.delete(f"/documents/{doc}", headers=AUTH).status_code == 204
    assert client.get(f"/documents/{doc}", headers=AUTH).status_code == 404
    assert client.delete(f"/documents/{doc}", headers=AUTH).status_code == 404
    r = client.post("/documents", files={"file": ("nq-mat.txt", secret)}, headers=AUTH)
    assert r.status_code == 201 and r.json()["id"] != doc
    assert client.delete(f"/documents/{r.json()['id']}", headers=AUTH).status_code == 204


def test_a_citing_document_links_to_the_indexed_one(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, uploaded = api
    cited = _doc_id(uploaded, "kl-221")
    text = (
        "BAN THƯỜNG VỤ ĐẢNG ỦY\nVIỆN KIỂM SÁT NHÂN DÂN TỐI CAO\n\nSố 12-KH/ĐU\n\nHà Nội, ngày 05 tháng 01 năm 2026\n\n"
        "KẾ HOẠCH\nthực hiện Kết luận số 221-KL/TW, ngày 28/11/2025 của Bộ Chính trị, Ban Bí thư\n\n"
        "Thực hiện Kết luận số 221-KL/TW, ngày 28/11/2025 của Bộ Chính trị, Ban Bí thư, Ban Thường vụ Đảng ủy ban hành "
        "Kế hoạch thực hiện như sau:\n\n1. Văn phòng Đảng ủy chủ trì tham mưu báo cáo kết quả thực hiện, hoàn thành trước ngày 31/3/2026.\n"
    ).encode()
    r = client.post("/documents", files={"file": ("kh-12.txt", text)}, headers=AUTH)
    assert r.status_code == 201
    citing = r.json()["id"]
    try:
        out = client.get(f"/documents/{citing}/links").json()["outgoing"]
        assert cited in {o["document"]["id"] for o in out if o["document"]}
        incoming = client.get(f"/documents/{cited}/links").json()["incoming"]
        assert citing in {i["document"]["id"] for i in incoming}
        assert client.get("/references", params={"code": "221-KL/TW", "linked": True}).json()["total"] >= 1
    finally:
        client.delete(f"/documents/{citing}", headers=AUTH)


def test_exports_take_the_task_filters(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, _ = api
    params = {"unit": "Văn phòng Đảng ủy"}
    listed = client.get("/tasks", params={**params, "limit": 1000}).json()
    assert listed["total"] > 0
    r = client.get("/export/tasks.json", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert [t["id"] for t in r.json()["tasks"]] == [t["id"] for t in listed["items"]]
    r = client.get("/export/tasks.csv", params=params)
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp"]
    assert len(rows) == listed["total"] + 1
    r = client.get("/export/tasks.xlsx", params=params)
    assert r.status_code == 200 and zipfile.is_zipfile(io.BytesIO(r.content))
    r = client.get("/export/tasks.docx", params=params)
    assert r.status_code == 200 and b"word/document.xml" in r.content[:2000] or zipfile.is_zipfile(io.BytesIO(r.content))
    r = client.get("/export/tasks.ics", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    body = r.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == sum(
        1 for t in listed["items"] if t["due"] or (t["deadline"]["kind"] == "recurring" and t["next_due"])
    )
    assert client.get("/export/tasks.pdf").status_code == 404


def test_openapi_and_health(api: tuple[TestClient, dict[str, dict]]) -> None:
    client, _ = api
    spec = client.get("/openapi.json").json()
    for path in ("/documents", "/documents/{doc_id}", "/documents/{doc_id}/file", "/documents/{doc_id}/links", "/tasks",
                 "/units", "/units/{unit_id}", "/units/{unit_id}/tasks", "/targets", "/references", "/search", "/export/tasks.{fmt}"):
        assert path in spec["paths"], path
    assert client.get("/docs").status_code == 200
    assert client.get("/health").json()["documents"] == len(CORPUS)
