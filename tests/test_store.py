"""The store on real corpus documents (tasks and references from the gold files): identity, links, corrections."""
from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from models import Deadline, Extraction, Reference
from service import corrections, ingest, links, progress
from service.db import connect, transaction
from service.ingest import Prepared, sha256_of
from service.queries import TaskFilter, document_links, get_unit, list_tasks
from service.search import results
from service.units_registry import find_units, identify, organisation_of
from tests.conftest import gold_extraction

TABLES = ["documents", "tasks", "task_units", "units", "unit_aliases", "unit_links", "doc_references", "sections",
          "targets", "task_occurrences", "fts_tasks", "fts_documents", "audit"]


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def _rename_units(ex: Extraction, old: str, new: str) -> Extraction:
    tasks = [
        t.model_copy(update={r: [new if n == old else n for n in getattr(t, r)] for r in ("lead", "support", "supervisors")})
        for t in ex.tasks
    ]
    return ex.model_copy(update={"tasks": tasks})


def _prep(ex: Extraction, data: bytes, name: str) -> Prepared:
    return Prepared(name, data, sha256_of(data), ex)


def _add_reference(ex: Extraction, code: str, relation: str, issued: str | None = None) -> Extraction:
    ref = Reference(text=f"Kết luận số {code}", doc_type="Kết luận", code=code, issued_date=issued, relation=relation, span=(0, 0))
    return ex.model_copy(update={"references": [*ex.references, ref]})


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[sqlite3.Connection, dict[str, int]]:
    """Four corpus documents; the VKSND resolution writes `VPĐU` and the old tone spelling `Uỷ`,
    and the Ministry of Justice plan gives one task to a bare `Vụ 2`."""
    conn = connect(tmp_path_factory.mktemp("store") / "store.sqlite")
    ids: dict[str, int] = {}
    ex, data = gold_extraction("vksnd-ctr-btv-2026")
    ids["ctr"] = ingest.store(conn, _prep(ex, data, "ctr.txt")).id
    ex, data = gold_extraction("vksnd-nq-trien-khai-kl226")
    ex = _rename_units(ex, "Văn phòng Đảng ủy", "VPĐU")
    ex = ex.model_copy(update={"tasks": [
        ex.tasks[0].model_copy(update={"lead": ["Uỷ ban Kiểm tra Đảng ủy VKSND tối cao"]}), *ex.tasks[1:]
    ]})
    ids["nq"] = ingest.store(conn, _prep(ex, data, "nq.txt")).id
    ex, data = gold_extraction("qd-173-qdbtp-ke-hoach-phoi-hop")
    ex = ex.model_copy(update={"tasks": [ex.tasks[0].model_copy(update={"lead": ["Vụ 2"]}), *ex.tasks[1:]]})
    ids["btp"] = ingest.store(conn, _prep(ex, data, "btp.txt")).id
    ex, data = gold_extraction("kl-221-kltw-bo-may-chinh-quyen-2-cap")
    ids["kl"] = ingest.store(conn, _prep(ex, data, "kl.txt")).id
    return conn, ids


def test_the_same_file_twice_changes_nothing(store: tuple[sqlite3.Connection, dict[str, int]]) -> None:
    conn, ids = store
    before = counts(conn)
    ex, data = gold_extraction("vksnd-ctr-btv-2026")
    again = ingest.store(conn, _prep(ex, data, "renamed.txt"))
    assert again.status == "duplicate"
    assert again.id == ids["ctr"]
    assert counts(conn) == before
    assert ingest.ingest_bytes(conn, data, "again.txt").status == "duplicate"
    assert counts(conn) == before


def test_abbreviation_and_tone_variants_are_one_unit(store: tuple[sqlite3.Connection, dict[str, int]]) -> None:
    conn, ids = store
    vpdu = find_units(conn, "VPĐU", linked=False)
    assert vpdu and vpdu == find_units(conn, "Văn phòng Đảng ủy", linked=False)
    items, _ = list_tasks(conn, TaskFilter(unit="VPĐU"), limit=500)
    assert {t["document"]["id"] for t in items} >= {ids["ctr"], ids["nq"]}
    written = {u["name"] for t in items for r in ("lead", "support") for u in t[r] if u["id"] in vpdu}
    assert written == {"VPĐU", "Văn phòng Đảng ủy"}
    old = find_units(conn, "Uỷ ban Kiểm tra Đảng ủy VKSND tối cao", linked=False)
    assert old and old == find_units(conn, "Ủy ban Kiểm tra Đảng ủy Viện kiểm sát nhân dân tối cao", linked=False)
    docs = {t["document"]["id"] for t in list_tasks(conn, TaskFilter(unit_id=old[0]), limit=500)[0]}
    assert docs == {ids["ctr"], ids["nq"]}
    aliases = set(get_unit(conn, old[0])["aliases"])
    assert {"Uỷ ban Kiểm tra Đảng ủy VKSND tối cao", "Ủy ban Kiểm tra Đảng ủy VKSND tối cao"} <= aliases


def test_party_cell_and_department_are_linked(store: tuple[sqlite3.Connection, dict[str, int]]) -> None:
    conn, ids = store
    items, total = list_tasks(conn, TaskFilter(unit="Vụ 2", org="VKSND tối cao"), limit=100)
    assert total == len(items) >= 1
    assert all(any(u["name"] == "Chi ủy Vụ 2" for u in t["lead"]) for t in items)
    cell = find_units(conn, "Chi ủy Vụ 2", linked=False)
    dept = find_units(conn, "Vụ 2", org="VKSND tối cao", linked=False)
    assert len(cell) == 1 and len(dept) == 1
    detail = get_unit(conn, dept[0])
    assert [u["id"] for u in detail["linked"]] == cell
    assert detail["org"] == "Viện kiểm sát nhân dân tối cao"
    # without the link, the department alone has no task
    assert list_tasks(conn, TaskFilter(unit_id=dept[0], linked=False))[1] == 0


def test_a_bare_department_belongs_to_the_issuers_organisation(store: tuple[sqlite3.Connection, dict[str, int]]) -> None:
    conn, ids = store
    units = {get_unit(conn, u)["org"] for u in find_units(conn, "Vụ 2", linked=False)}
    assert units == {"Viện kiểm sát nhân dân tối cao", "Bộ Tư pháp"}
    ministry = list_tasks(conn, TaskFilter(unit="Vụ 2", org="Bộ Tư pháp"), limit=100)[0]
    assert {t["document"]["id"] for t in ministry} == {ids["btp"]}
    vksnd = list_tasks(conn, TaskFilter(unit="Vụ 2", org="Viện kiểm sát nhân dân tối cao"), limit=100)[0]
    assert {t["document"]["id"] for t in vksnd} == {ids["ctr"]}
    both = list_tasks(conn, TaskFilter(unit="Vụ 2"), limit=100)[0]
    assert {t["document"]["id"] for t in both} == {ids["ctr"], ids["btp"]}


def test_a_name_with_its_own_organisation_is_not_rescoped() -> None:
    scope = organisation_of("Ban Thường vụ Đảng ủy Viện kiểm sát nhân dân tối cao")
    assert scope == "Viện kiểm sát nhân dân tối cao"
    assert organisation_of("Ủy ban nhân dân tỉnh Đồng Tháp") == "tỉnh Đồng Tháp"
    own = identify("Sở Y tế thành phố Hà Nội", scope)
    assert own.org == "thành phố Hà Nội" and own.own_org
    same = identify("Sở Y tế", "thành phố Hà Nội")
    assert (same.key, same.org_key) == (own.key, own.org_key)
    assert identify("Bộ Khoa học và Công nghệ", scope).org == "Bộ Khoa học và Công nghệ"
    assert identify("Vụ 2", scope).org == scope
    a, b = identify("Văn phòng VKSND tối cao", "Bộ Tư pháp"), identify("Văn phòng", scope)
    assert (a.key, a.org_key) == (b.key, b.org_key)


def test_a_reference_links_when_the_cited_document_arrives_later(tmp_path: Path) -> None:
    conn = connect(tmp_path / "links.sqlite")
    ex, data = gold_extraction("vksnd-nq-trien-khai-kl226")
    citing = ingest.store(conn, _prep(_add_reference(ex, "221-KL/TW", "implements", "2025-11-28"), data, "nq.txt")).id
    out = document_links(conn, citing)["outgoing"]
    assert [r["document"] for r in out if r["code"] == "221-KL/TW"] == [None]
    ex, data = gold_extraction("kl-221-kltw-bo-may-chinh-quyen-2-cap")
    cited = ingest.store(conn, _prep(ex, data, "kl.txt"))
    assert cited.summary["links"]["incoming"] == 1
    out = document_links(conn, citing)["outgoing"]
    assert [r["document"]["id"] for r in out if r["code"] == "221-KL/TW"] == [cited.id]
    incoming = document_links(conn, cited.id)["incoming"]
    assert [(r["document"]["id"], r["relation"]) for r in incoming] == [(citing, "implements")]
    assert document_links(conn, cited.id, relation="amends")["incoming"] == []
    # deleting the cited document unlinks the reference, and the store says so
    assert ingest.delete(conn, cited.id, "tester")
    out = document_links(conn, citing)["outgoing"]
    assert [r["document"] for r in out if r["code"] == "221-KL/TW"] == [None]


def test_a_reference_with_another_date_does_not_link(tmp_path: Path) -> None:
    conn = connect(tmp_path / "dates.sqlite")
    ex, data = gold_extraction("kl-221-kltw-bo-may-chinh-quyen-2-cap")
    cited = ingest.store(conn, _prep(ex, data, "kl.txt")).id
    ex, data = gold_extraction("vksnd-nq-trien-khai-kl226")
    citing = ingest.store(conn, _prep(_add_reference(ex, "221-KL/TW", "implements", "2019-01-01"), data, "nq.txt")).id
    assert document_links(conn, cited)["incoming"] == []
    assert all(r["document"] is None for r in document_links(conn, citing)["outgoing"])


@pytest.mark.parametrize("amending_first", [False, True])
def test_tasks_of_an_amended_document_are_flagged(tmp_path: Path, amending_first: bool) -> None:
    conn = connect(tmp_path / "amend.sqlite")
    old_ex, old_data = gold_extraction("kl-221-kltw-bo-may-chinh-quyen-2-cap")
    new_ex, new_data = gold_extraction("vksnd-nq-trien-khai-kl226")
    new_ex = _add_reference(new_ex, "221-KL/TW", "amends")
    order = [("new", new_ex, new_data), ("old", old_ex, old_data)]
    if not amending_first:
        order.reverse()
    ids = {label: ingest.store(conn, _prep(ex, data, f"{label}.txt")).id for label, ex, data in order}
    flagged, total = list_tasks(conn, TaskFilter(document=ids["old"]), limit=100)
    assert total == len(old_ex.tasks) > 0
    assert all(t["superseded_by"] and t["superseded_by"]["id"] == ids["new"] for t in flagged)
    assert all(t["superseded_by"] is None for t in list_tasks(conn, TaskFilter(document=ids["new"]), limit=100)[0])
    assert list_tasks(conn, TaskFilter(superseded=False, document=ids["old"]))[1] == 0
    ingest.delete(conn, ids["new"])
    assert all(t["superseded_by"] is None for t in list_tasks(conn, TaskFilter(document=ids["old"]), limit=100)[0])


def test_corrections_and_status_survive_reindexing(tmp_path: Path) -> None:
    conn = connect(tmp_path / "reindex.sqlite")
    ex, data = gold_extraction("vksnd-nq-trien-khai-kl226")
    doc = ingest.store(conn, _prep(ex, data, "nq.txt")).id
    tasks, _ = list_tasks(conn, TaskFilter(document=doc), limit=100)
    target = tasks[3]
    with transaction(conn):
        corrections.correct(conn, target["id"], {"lead": ["Văn phòng Đảng ủy", "Vụ 2"], "due": "2026-03-31"}, "Nguyễn Văn A", "theo chỉ đạo")
        progress.set_status(conn, target["id"], "đang thực hiện", "Trần Thị B", "đã giao chuyên viên")
    # the extraction changes: the task's units and every deadline are different now
    changed = ex.model_copy(update={"tasks": [
        t.model_copy(update={"lead": ["Các đơn vị"], "deadline": Deadline(kind="ongoing", text="Thường xuyên")}) for t in ex.tasks
    ]})
    result = ingest.reindex(conn, doc, "tester", _prep(changed, data, "nq.txt"))
    assert result.status == "reindexed" and result.id == doc
    after = {t["id"]: t for t in list_tasks(conn, TaskFilter(document=doc), limit=100)[0]}
    assert set(after) == {t["id"] for t in tasks}
    kept = after[target["id"]]
    assert [u["name"] for u in kept["lead"]] == ["Văn phòng Đảng ủy", "Vụ 2"]
    assert all(u["corrected"] for u in kept["lead"])
    assert kept["due"] == "2026-03-31" and kept["deadline"]["kind"] == "dated"
    assert set(kept["corrected"]) == {"lead", "due"}
    assert kept["status"] == "đang thực hiện" and kept["status_by"] == "Trần Thị B"
    other = next(t for i, t in after.items() if i != target["id"])
    assert [u["name"] for u in other["lead"]] == ["Các đơn vị"] and other["deadline"]["kind"] == "ongoing"
    actions = [r[0] for r in conn.execute("SELECT action FROM audit WHERE task_id = ? ORDER BY id", (target["id"],))]
    assert actions == ["correct", "status"]
    # re-extracting the same thing again changes nothing
    assert ingest.reindex(conn, doc, "tester", _prep(changed, data, "nq.txt")).status == "unchanged"


def test_overdue_first_then_by_due_date(store: tuple[sqlite3.Connection, dict[str, int]]) -> None:
    conn, ids = store
    as_of = date(2026, 3, 1)
    items, total = list_tasks(conn, TaskFilter(document=ids["btp"], as_of=as_of), limit=500)
    flags = [t["overdue"] for t in items]
    assert True in flags and flags == sorted(flags, reverse=True)
    overdue = [t for t in items if t["overdue"]]
    assert all(t["due"] < as_of.isoformat() and t["status"] != progress.DONE for t in overdue)
    dues = [t["next_due"] for t in items if not t["overdue"] and t["next_due"]]
    assert dues == sorted(dues)
    assert [t["due"] for t in overdue] == sorted(t["due"] for t in overdue)
    n = list_tasks(conn, TaskFilter(document=ids["btp"], as_of=as_of, overdue=True))[1]
    assert n == len(overdue)
    with transaction(conn):
        progress.set_status(conn, overdue[0]["id"], "hoàn thành", "tester", "xong")
    assert list_tasks(conn, TaskFilter(document=ids["btp"], as_of=as_of, overdue=True))[1] == n - 1
    with pytest.raises(ValueError):
        progress.set_status(conn, overdue[0]["id"], "sắp xong", "tester")


def test_a_recurring_deadline_expands_into_deadline_windows(tmp_path: Path) -> None:
    conn = connect(tmp_path / "recurring.sqlite")
    ex, data = gold_extraction("vksnd-nq-trien-khai-kl226")
    text = "trước ngày 25 của tháng kết thúc kỳ báo cáo"
    assert text in ex.text
    quarterly = Deadline(text=text, kind="recurring", recurrence=["year", "half_year", "quarter"], day=25)
    tasks = [ex.tasks[0].model_copy(update={"deadline": quarterly}), *ex.tasks[1:]]
    doc = ingest.store(conn, _prep(ex.model_copy(update={"tasks": tasks}), data, "nq.txt")).id
    task_id = next(t["id"] for t in list_tasks(conn, TaskFilter(document=doc), limit=100)[0] if t["key"] == tasks[0].id)
    dates = [date.fromisoformat(r[0]) for r in conn.execute("SELECT due FROM task_occurrences WHERE task_id = ? ORDER BY due", (task_id,))]
    assert len(dates) >= 4
    assert all(d.day == 25 and d.month in (3, 6, 9, 12) for d in dates)
    d = dates[-1]
    window = list_tasks(conn, TaskFilter(due_after=d.replace(day=1), due_before=d))[0]
    assert task_id in {t["id"] for t in window}
    outside = list_tasks(conn, TaskFilter(due_after=d.replace(day=26), due_before=d.replace(day=28)))[0]
    assert task_id not in {t["id"] for t in outside}


def test_search_ignores_tone_marks_and_d(store: tuple[sqlite3.Connection, dict[str, int]]) -> None:
    conn, ids = store
    plain = results(conn, "dang uy chuyen doi so", limit=500)
    marked = results(conn, "Đảng ủy chuyển đổi số", limit=500)
    assert plain and {(h["kind"], h["id"]) for h in plain} == {(h["kind"], h["id"]) for h in marked}
    # words side by side come first: `chuyển đổi số`, not `chuyên ... đối ... sở`
    top = results(conn, "chuyen doi so", limit=3)
    assert top and all("chuyển đổi số" in re.sub("</?mark>", "", h["snippet"]).lower() for h in top)
    assert any("<mark>Đảng</mark>" in h["snippet"] or "<mark>đảng</mark>" in h["snippet"] for h in plain)
    for q in ['"chuyển đổi', "NEAR(a b)", "số*", "a OR b AND", "-:^(", "'; DROP TABLE tasks; --"]:
        results(conn, q)
    assert results(conn, "   ") == []
    assert list_tasks(conn, TaskFilter(q='"chuyển đổi số'))[1] == list_tasks(conn, TaskFilter(q="chuyen doi so"))[1] > 0


def test_a_failed_write_leaves_the_store_as_it_was(store: tuple[sqlite3.Connection, dict[str, int]], monkeypatch: pytest.MonkeyPatch) -> None:
    conn, ids = store
    before = counts(conn)

    def broken(conn: sqlite3.Connection, doc_id: int) -> dict[str, int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(links, "relink", broken)
    ex, data = gold_extraction("kh-617-khubnd-dong-thap-cds-doanh-nghiep")
    with pytest.raises(RuntimeError):
        ingest.store(conn, _prep(ex, data, "617.txt"))
    assert counts(conn) == before
    assert not conn.in_transaction


def test_delete_removes_the_document_and_its_units(tmp_path: Path) -> None:
    conn = connect(tmp_path / "delete.sqlite")
    ex, data = gold_extraction("qd-173-qdbtp-ke-hoach-phoi-hop")
    doc = ingest.store(conn, _prep(ex, data, "qd.txt")).id
    assert counts(conn)["units"] > 0
    assert ingest.delete(conn, doc, "tester")
    c = counts(conn)
    assert c["documents"] == c["tasks"] == c["units"] == c["fts_tasks"] == c["fts_documents"] == 0
    assert conn.execute("SELECT action, who FROM audit ORDER BY id DESC").fetchone()[:] == ("delete", "tester")
    assert not ingest.delete(conn, doc, "tester")
