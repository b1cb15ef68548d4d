"""Task exports (CSV, XLSX, DOCX, ICS, JSON) of a real corpus document's tasks."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook

from models import Deadline
from service import exports, ingest
from service.db import connect
from service.exports.common import HEADERS
from service.exports.docx import COLUMNS
from service.ingest import Prepared, sha256_of
from service.queries import TaskFilter, list_tasks
from tests.conftest import gold_extraction


@pytest.fixture(scope="module")
def tasks(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    conn = connect(tmp_path_factory.mktemp("export") / "export.sqlite")
    ex, data = gold_extraction("vksnd-nq-trien-khai-kl226")
    quarterly = Deadline(text="trước ngày 25 của tháng kết thúc kỳ báo cáo", kind="recurring", recurrence=["quarter"], day=25)
    dated = Deadline(text="hoàn thành trước tháng 3/2026", kind="dated", due="2026-02-28")
    ex = ex.model_copy(update={"tasks": [
        ex.tasks[0].model_copy(update={"deadline": quarterly}),
        ex.tasks[1].model_copy(update={"deadline": dated, "lead": ["Văn phòng VKSND tối cao"], "support": ["Cục Thống kê tội phạm và Chuyển đổi số"]}),
        *ex.tasks[2:],
    ]})
    ingest.store(conn, Prepared("nq.txt", data, sha256_of(data), ex))
    items, _ = list_tasks(conn, TaskFilter(as_of=date(2026, 1, 1)), limit=1000)
    conn.close()
    assert len(items) == len(ex.tasks)
    return items


def test_csv_opens_in_excel_with_vietnamese_intact(tasks: list[dict]) -> None:
    data, media = exports.render("csv", tasks)
    assert media.startswith("text/csv")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADERS
    assert len(rows) == len(tasks) + 1 and all(len(r) == len(HEADERS) for r in rows)
    by_id = {int(r[-1]): r for r in rows[1:]}
    t = next(t for t in tasks if t["due"] == "2026-02-28")
    assert by_id[t["id"]][1] == t["text"]
    assert by_id[t["id"]][2] == "Văn phòng VKSND tối cao"
    assert by_id[t["id"]][3] == "Cục Thống kê tội phạm và Chuyển đổi số"
    assert by_id[t["id"]][5] == "hoàn thành trước tháng 3/2026"


def test_xlsx_has_a_header_row_widths_and_filters(tasks: list[dict]) -> None:
    data, media = exports.render("xlsx", tasks)
    assert media.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == HEADERS
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:M{len(tasks) + 1}"
    assert ws.column_dimensions["B"].width >= 50
    assert ws.max_row == len(tasks) + 1
    dated = next(r for r in ws.iter_rows(min_row=2) if r[6].value)
    assert dated[6].value.date() == date(2026, 2, 28) and dated[6].number_format == "DD/MM/YYYY"


def test_docx_is_the_task_list_offices_use(tasks: list[dict]) -> None:
    data, media = exports.render("docx", tasks, title="Văn phòng Đảng ủy")
    assert media.endswith("wordprocessingml.document")
    doc = DocxDocument(io.BytesIO(data))
    assert doc.paragraphs[0].text == "DANH MỤC NHIỆM VỤ"
    assert doc.sections[0].page_width > doc.sections[0].page_height
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == COLUMNS
    assert COLUMNS == ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Văn bản giao"]
    assert len(table.rows) == len(tasks) + 1
    assert [r.cells[0].text for r in table.rows[1:4]] == ["1", "2", "3"]
    assert b"tblHeader" in table.rows[0]._tr.xml.encode()
    row = next(r for r in table.rows[1:] if r.cells[2].text == "Văn phòng VKSND tối cao")
    assert row.cells[4].text == "hoàn thành trước tháng 3/2026"
    assert "Nghị quyết" in row.cells[5].text


def _unfold(ics: str) -> list[str]:
    out: list[str] = []
    for line in ics.split("\r\n"):
        if line.startswith(" ") and out:
            out[-1] += line[1:]
        elif line:
            out.append(line)
    return out


def test_ics_has_an_event_per_dated_task_and_a_rule_per_recurring_one(tasks: list[dict]) -> None:
    data, media = exports.render("ics", tasks)
    assert media.startswith("text/calendar")
    text = data.decode("utf-8")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    lines = _unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    dated = [t for t in tasks if t["due"]]
    recurring = [t for t in tasks if t["deadline"]["kind"] == "recurring" and t["next_due"]]
    assert lines.count("BEGIN:VEVENT") == len(dated) + len(recurring)
    assert "RRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=25" in lines
    t = next(t for t in tasks if t["due"] == "2026-02-28")
    event = lines[lines.index(f"UID:task-{t['id']}@nhiemvu") :]
    assert "DTSTART;VALUE=DATE:20260228" in event[:6]
    summary = next(line for line in event if line.startswith("SUMMARY:"))
    assert summary[len("SUMMARY:"):].replace("\\,", ",").replace("\\;", ";") == " ".join(t["text"].split())[:200]


def test_json_lists_the_tasks(tasks: list[dict]) -> None:
    data, _ = exports.render("json", tasks, title="Tất cả")
    payload = json.loads(data)
    assert payload["count"] == len(tasks) and payload["title"] == "Tất cả"
    assert [t["id"] for t in payload["tasks"]] == [t["id"] for t in tasks]
    with pytest.raises(ValueError):
        exports.render("pdf", tasks)
