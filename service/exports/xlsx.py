"""An Excel workbook of tasks (openpyxl): bold frozen header row, column widths, filters, real dates."""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from service.exports.common import HEADERS, row

_WIDTHS = [6, 70, 32, 32, 28, 24, 14, 14, 16, 9, 36, 12, 10]
_DATE_COLUMNS = {7, 8}  # 1-based: Hạn hoàn thành, Kỳ hạn tiếp theo


def render(tasks: list[dict[str, Any]], *, title: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(HEADERS)
    head_font = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for c in ws[1]:
        c.font = head_font
        c.fill = fill
        c.alignment = Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    for i, t in enumerate(tasks, 1):
        values = row(i, t)
        for col in _DATE_COLUMNS:
            v = values[col - 1]
            if v:
                try:
                    values[col - 1] = date.fromisoformat(v[:10])
                except ValueError:
                    pass
        ws.append(values)
        r = ws.max_row
        for col in range(1, len(HEADERS) + 1):
            cell = ws.cell(row=r, column=col)
            cell.alignment = wrap
            if col in _DATE_COLUMNS and isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    for i, w in enumerate(_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{max(ws.max_row, 1)}"
    if title:
        ws.oddHeader.center.text = title
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
