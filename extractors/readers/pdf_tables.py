"""Cut the ruled tables pdfplumber finds on one page into rows of cell texts.

For each table: one list of cells per row, in column order, a cell's lines
joined by spaces; a cell merged over several rows (a unit or a deadline
shared by a group of rows) repeated in each row it covers, a cell merged
across columns given once (the covered columns are empty); the leading
heading rows counted (bold, short, no item number). A one-cell box is not a
table: its text stays in the running text.

Joining parts of one table across pages is `pdf_layout`'s job; this module
sees one page only and does not read the rest of the page.
"""
from __future__ import annotations

import re
from typing import Any

from extractors.readers.pdf_layout import TablePart

__all__ = ["is_real_table", "table_part", "is_bold_font", "find_tables"]

_BOLD = re.compile(r"bold|black|heavy|semibold|demibold|,b$|-b$", re.IGNORECASE)
_LABEL = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[IVXLCDM]{1,6}|[a-zđ])[.)]?$", re.IGNORECASE)


def is_bold_font(fontname: str) -> bool:
    return bool(_BOLD.search(fontname or ""))


def _is_rule(obj: dict[str, Any]) -> bool:
    """Graphics that can be a table border: stroked lines and boxes, and thin
    filled bars. Filled areas (cell shading, often one per text line in Word
    exports) are not: their edges would cut cells into slivers."""
    kind = obj.get("object_type")
    if kind == "line":
        return True
    if kind in ("rect", "curve"):
        thin = min(float(obj.get("width", 0)), float(obj.get("height", 0))) <= 3.0
        return thin or (kind == "rect" and bool(obj.get("stroke")))
    return True  # chars, images: kept as they are


def find_tables(page: Any) -> list[Any]:
    """The ruled tables of a pdfplumber page, borders only (no shading)."""
    tables = page.filter(_is_rule).find_tables()
    return [t for t in tables if is_real_table(t)]


def is_real_table(table: Any) -> bool:
    """A table has at least two cells; a lone ruled box is a frame."""
    return len(table.cells) >= 2 and (len(table.rows) >= 2 or len(table.rows[0].cells) >= 2)


def _clean(text: str | None) -> str:
    if not text:
        return ""
    return re.sub(r"\s+", " ", text).strip()


def _bold_share(chars: list[dict[str, Any]], bbox: tuple[float, float, float, float]) -> float:
    x0, top, x1, bottom = bbox
    inside = [
        c
        for c in chars
        if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom and not c["text"].isspace()
    ]
    if not inside:
        return 0.0
    return sum(1 for c in inside if is_bold_font(c.get("fontname", ""))) / len(inside)


def _header_rows(rows: list[list[str]], bboxes: list[tuple[float, float, float, float]], chars: list[dict[str, Any]]) -> int:
    """How many leading rows are column headings."""
    n = 0
    for cells, bbox in zip(rows[:3], bboxes[:3]):
        filled = [c for c in cells if c]
        if not filled:
            break
        if any(_LABEL.match(c) for c in filled):
            break  # an item number: a data or group row
        if any(len(c.split()) > 8 for c in filled):
            break
        if _bold_share(chars, bbox) < 0.6:
            break
        n += 1
    if n and n == len(rows):
        return 0  # a table of headings only is rather a bold data table
    return n


def table_part(table: Any, page_number: int, chars: list[dict[str, Any]]) -> TablePart:
    """One pdfplumber `Table` -> `TablePart` (rows aligned on its columns)."""
    texts = table.extract()
    row_objs = table.rows
    col_x = sorted({round(c[0], 1) for c in table.cells})
    # merge near-equal column edges
    merged: list[float] = []
    for x in col_x:
        if not merged or x - merged[-1] > 3.0:
            merged.append(x)
    col_x = merged

    def col_of(x: float) -> int:
        return min(range(len(col_x)), key=lambda k: abs(col_x[k] - x))

    rows: list[list[str]] = []
    bboxes: list[tuple[float, float, float, float]] = []
    # For each column, the last real cell seen: (bottom, text)
    above: dict[int, tuple[float, str]] = {}
    for row_obj, row_text in zip(row_objs, texts):
        if all(c is None for c in row_obj.cells):
            continue
        cells = [""] * len(col_x)
        row_top = min(c[1] for c in row_obj.cells if c is not None)
        row_bottom = max(c[3] for c in row_obj.cells if c is not None)
        covered: set[int] = set()
        for cell, text in zip(row_obj.cells, row_text):
            if cell is None:
                continue
            k = col_of(cell[0])
            cells[k] = _clean(text)
            above[k] = (cell[3], cells[k])
            for j in range(k + 1, len(col_x)):
                if col_x[j] < cell[2] - 3.0:
                    covered.add(j)  # merged across columns: stays empty
        for k in range(len(col_x)):
            if k in covered or cells[k]:
                continue
            if any(c is not None and col_of(c[0]) == k for c in row_obj.cells):
                continue  # a real, empty cell
            prev = above.get(k)
            if prev is not None and prev[0] > row_top + 1.0:
                cells[k] = prev[1]  # merged down from the row above
        rows.append(cells)
        bboxes.append((table.bbox[0], row_top, table.bbox[2], row_bottom))
    x0, top, x1, bottom = table.bbox
    head_bottom = bboxes[min(2, len(bboxes) - 1)][3] if bboxes else top
    head_chars = [c for c in chars if top - 1 <= c["top"] <= head_bottom and x0 - 1 <= c["x0"] <= x1]
    header = _header_rows(rows, bboxes, head_chars)
    return TablePart(page_number, x0, top, x1, bottom, col_x, rows, header)
