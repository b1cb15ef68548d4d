"""A Word `Danh mục nhiệm vụ` in the layout offices use.

Landscape A4, Times New Roman, a title, then one table: STT, Nội dung nhiệm
vụ, Đơn vị chủ trì, Đơn vị phối hợp, Thời hạn, Văn bản giao; the header row
repeats on every page.
"""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from service.exports.common import deadline_label, document_label, names

COLUMNS = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Văn bản giao"]
_WIDTHS_CM = [1.2, 10.5, 4.5, 4.5, 3.2, 4.0]


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def render(tasks: list[dict[str, Any]], *, title: str | None = None) -> bytes:
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(1.5))
    sec.top_margin = sec.bottom_margin = Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")

    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run("DANH MỤC NHIỆM VỤ")
    run.bold = True
    run.font.size = Pt(14)
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub_text = title or ""
    sub.add_run(f"{sub_text}{' - ' if sub_text else ''}(Tổng hợp ngày {date.today().strftime('%d/%m/%Y')})").italic = True

    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    hdr = table.rows[0]
    _repeat_header(hdr)
    for cell, text, w in zip(hdr.cells, COLUMNS, _WIDTHS_CM):
        cell.width = Cm(w)
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = True
    for i, t in enumerate(tasks, 1):
        values = [str(i), t.get("text") or "", names(t, "lead"), names(t, "support"), deadline_label(t), document_label(t)]
        cells = table.add_row().cells
        for j, (cell, text, w) in enumerate(zip(cells, values, _WIDTHS_CM)):
            cell.width = Cm(w)
            cell.text = text
            if j == 0:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
