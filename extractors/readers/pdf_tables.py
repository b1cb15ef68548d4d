"""Cut the ruled tables pdfplumber finds on one page into rows of cell texts.

For each table: one list of cells per row, in column order, a cell's lines
joined by spaces; a cell merged over several rows (a unit or a deadline
shared by a group of rows) repeated in each row it covers, a cell merged
across columns given once (the covered columns are empty); the leading
heading rows counted (bold, short, no item number). A one-cell box is not a
table: its text stays in the running text.

`TableJoiner` then emits the parts as row blocks and joins a part that
continues the table of the previous page (same index, repeated heading rows
dropped, a row cut by the page break merged). This module does not read the
text outside tables.
"""
from __future__ import annotations

import re
from typing import Any

from extractors.readers.base import Block
from extractors.readers.pdf_model import TablePart

__all__ = ["is_real_table", "table_part", "is_bold_font", "find_tables", "TableJoiner"]

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


# ---------------------------------------------------------------- across pages


def _numbering_columns(rows: list[list[str]]) -> list[int]:
    """Columns whose filled cells are mostly item numbers ("1", "a)", "II")."""
    if not rows:
        return []
    ncol = max(len(r) for r in rows)
    out = []
    for c in range(ncol):
        vals = [r[c].strip() for r in rows if c < len(r) and r[c].strip()]
        if len(vals) >= 2 and sum(bool(_LABEL.match(v)) for v in vals) >= 0.7 * len(vals):
            out.append(c)
    return out


def _norm_row(cells: list[str]) -> str:
    return "|".join(re.sub(r"\s+", " ", c).strip().lower() for c in cells)


def _same_grid(prev: TablePart, part: TablePart) -> list[int] | None:
    """Map the columns of `part` onto those of `prev`, when the two parts are
    one table (same outer edges, column edges a subset); else None."""
    if abs(prev.x0 - part.x0) > 4 or abs(prev.x1 - part.x1) > 4:
        return None
    mapping = []
    for x in part.col_x:
        near = [k for k, px in enumerate(prev.col_x) if abs(px - x) <= 4]
        if not near:
            return None
        mapping.append(near[0])
    if len(set(mapping)) != len(mapping):
        return None
    return mapping


def _remap(row: list[str], mapping: list[int], ncol: int) -> list[str]:
    out = [""] * ncol
    for j, text in enumerate(row):
        if j < len(mapping):
            out[mapping[j]] = text
    return out


def _blank_numbers(cells: list[str], numbering: list[int]) -> bool:
    return all(not cells[c].strip() for c in numbering if c < len(cells))


def _merge_cells(a: list[str], b: list[str]) -> list[str]:
    n = max(len(a), len(b))
    a = a + [""] * (n - len(a))
    b = b + [""] * (n - len(b))
    return [(x + " " + y).strip() if x.strip() and y.strip() else (x or y).strip() for x, y in zip(a, b)]


class TableJoiner:
    """Emits table parts as row blocks, joining a part that continues the
    table of the previous page: same index, repeated heading rows dropped,
    a row cut by the page break merged back into one."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.count = 0
        self.index = -1
        self.last: TablePart | None = None  # latest part of the open table
        self.col_x: list[float] = []
        self.header_keys: list[str] = []
        self.data_rows: list[Block] = []

    def _emit(self, rows: list[list[str]], page: int, n_header: int) -> None:
        for r_i, cells in enumerate(rows):
            b = Block.row(cells, table=self.index, page=page, header=r_i < n_header)
            self.blocks.append(b)
            if not b.header:
                self.data_rows.append(b)

    def _continues(self, part: TablePart, rows: list[list[str]]) -> tuple[bool, list[int] | None]:
        if self.last is None:
            return False, None
        mapping = _same_grid(TablePart(self.last.page, self.last.x0, 0, self.last.x1, 0, self.col_x, []), part)
        if mapping is not None:
            return True, mapping
        keys = [_norm_row(r) for r in rows[: len(self.header_keys)]]
        return bool(self.header_keys) and keys == self.header_keys, None

    def add(self, part: TablePart, continues_page: bool) -> None:
        """`continues_page`: the part opens its page right after a page that
        ended with a table."""
        rows = [list(r) for r in part.rows]
        cont, mapping = self._continues(part, rows) if continues_page else (False, None)
        if self.last is None or self.last.page != part.page - 1:
            cont = False
        if not cont:
            self.count += 1
            self.index = self.count - 1
            self.col_x = part.col_x
            self.header_keys = [_norm_row(r) for r in rows[: part.header]]
            self.data_rows = []
            self._emit(rows, part.page, part.header)
            self.last = part
            return
        if mapping is not None:
            rows = [_remap(r, mapping, len(self.col_x)) for r in rows]
        k = 0  # the heading rows Word repeats on each page
        while k < len(rows) and k < len(self.header_keys) and _norm_row(rows[k]) == self.header_keys[k]:
            k += 1
        rows = rows[k:]
        n_header = max(0, part.header - k)
        prev = self.data_rows[-1] if self.data_rows else None
        if rows and prev is not None and n_header == 0 and self.blocks and self.blocks[-1] is prev:
            numbering = _numbering_columns([b.cells for b in self.data_rows]) or [0]
            head = rows[0]
            cut_after = _blank_numbers(head, numbering) and any(c.strip() for c in head)
            # or the number is printed on the second half of the row
            cut_before = _blank_numbers(prev.cells, numbering) and not _blank_numbers(head, numbering)
            if cut_after or cut_before:
                prev.cells = _merge_cells(prev.cells, head)
                rows = rows[1:]
        self._emit(rows, part.page, n_header)
        self.last = part
