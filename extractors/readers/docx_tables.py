"""Turn a Word table (already reduced to rows of cells of text lines) into blocks.

Two kinds of tables live in Vietnamese administrative documents:

- layout tables, used to place text side by side: the heading block (issuer
  on the left, national or party motto on the right, then "Số: ..." and
  "<place>, ngày ... tháng ... năm ...") and the signature block ("Nơi nhận:"
  list on the left, "TM. ..." / position / name on the right). They come out
  as paragraphs, column by column: the left column's lines, then the right's;
- data tables (task lists, schedules): one `row` block per table row, one
  cell per Word cell (a horizontally merged cell once, a vertical-merge
  continuation as ""), cells single-line, the first row marked `header` when
  it holds column names.

This module decides which kind a table is and builds the blocks. It knows
nothing of XML: `docx.py` extracts the cells.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.readers.base import Block

__all__ = ["Cell", "Row", "is_layout_table", "layout_blocks", "data_blocks", "looks_like_header"]


@dataclass
class Cell:
    lines: list[str] = field(default_factory=list)
    span: int = 1  # grid columns covered (gridSpan)
    col: int = 0  # first grid column
    vcont: bool = False  # continuation of a vertical merge
    vstart: bool = False  # start of a vertical merge
    bold: bool = False  # all its text is bold

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines if line.strip())


@dataclass
class Row:
    cells: list[Cell]
    header: bool = False  # marked as a repeating header row in Word (tblHeader)
    before: int = 0  # grid columns skipped before the first cell (gridBefore)


_MOTTO = re.compile(
    r"C[ỘO]NG\s+H[ÒOÀ]A\s+X[ÃA]\s+H[ỘO]I|Đ[ẢA]NG\s+C[ỘO]NG\s+S[ẢA]N\s+VI[ỆE]T\s+NAM|Độc\s+lập\s*[-–—]\s*Tự\s+do\s*[-–—]\s*Hạnh\s+phúc",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"(?m)^\s*(?:Nơi\s+nhận\b|T\s*/\s*M\b|TM\.|KT\.|K\s*/\s*T\b|TL\.|T\s*/\s*L\b|TUQ\.|Q\.\s*[A-ZĐ])"
    r"|\(\s*(?:[Kk]ý|[Đđ]ã\s+ký)\b",
)
_NUMBER_LINE = re.compile(r"(?m)^\s*Số\s*:?\s*\S*\d")
_DATE_LINE = re.compile(r"ngày\s*\S*\s*tháng\s*\S*\s*năm", re.IGNORECASE)
_HEADER_WORD = re.compile(
    r"^\s*(?:stt|tt|số\s*tt|số\s+thứ\s+tự|nội\s+dung|nhiệm\s+vụ|công\s+việc|tên\b|đơn\s+vị|cơ\s+quan|chủ\s+trì|"
    r"phối\s+hợp|thời\s+gian|thời\s+hạn|tiến\s+độ|sản\s+phẩm|kết\s+quả|ghi\s+chú|họ\s+(?:và\s+)?tên|chức\s+vụ|"
    r"kinh\s+phí|nguồn|lộ\s+trình|mục\s+tiêu|chỉ\s+tiêu|trách\s+nhiệm|phân\s+công|hình\s+thức|địa\s+điểm|"
    r"số\s+lượng|đơn\s+giá|thành\s+tiền|dự\s+toán|cấp\s+trình|hoàn\s+thành|lĩnh\s+vực|nhóm|giải\s+pháp|hoạt\s+động)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[-+•*–]\s*")


def grid_width(rows: list[Row]) -> int:
    return max((r.before + sum(c.span for c in r.cells) for r in rows), default=0)


def looks_like_header(cells: list[Cell]) -> bool:
    """Whether a row's cells read as column names (short labels, known names or all bold)."""
    texts = [c.text for c in cells if c.text]
    if len(texts) < 2:
        return False
    if any(len(t) > 80 or len(t.split()) > 10 or t.rstrip().endswith((";", ".")) for t in texts):
        return False
    if all(re.fullmatch(r"[\d\s.,()IVXivx…-]+", t) for t in texts):
        return False
    if any(_HEADER_WORD.match(t) for t in texts):
        return True
    return all(c.bold for c in cells if c.text)


def is_layout_table(rows: list[Row], before_body: bool) -> bool:
    """A table that only places text side by side (heading or signature block)."""
    if not rows or grid_width(rows) > 3 or len(rows) > 8:
        return False
    if looks_like_header(rows[0].cells) and any(_HEADER_WORD.match(c.text) for c in rows[0].cells if c.text):
        return False
    text = "\n".join(line for r in rows for c in r.cells for line in c.lines)
    if _MOTTO.search(text) or _SIGNATURE.search(text):
        return True
    if before_body and grid_width(rows) == 2 and len(rows) <= 3:
        return bool(_NUMBER_LINE.search(text) or _DATE_LINE.search(text))
    return False


def _join_wrapped(lines: list[str]) -> list[str]:
    """Rejoin a list item that the author wrapped by hand onto a second paragraph."""
    out: list[str] = []
    for line in lines:
        if out and _BULLET.match(out[-1]) and not _BULLET.match(line):
            prev = out[-1].rstrip()
            if prev.endswith(",") or (prev[-1:] not in ".;:!?" and line[:1].islower()):
                out[-1] = prev + " " + line.strip()
                continue
        out.append(line)
    return out


def layout_blocks(rows: list[Row]) -> list[Block]:
    """Paragraphs of a layout table, column by column (left column first)."""
    width = grid_width(rows)
    blocks: list[Block] = []
    columns: dict[int, list[str]] = {}

    def flush() -> None:
        for col in sorted(columns):
            for line in _join_wrapped(columns[col]):
                blocks.append(Block.para(line, hard=True))
        columns.clear()

    for row in rows:
        for cell in row.cells:
            lines = [ln.strip() for ln in cell.lines if ln.strip()]
            if cell.vcont or not lines:
                continue
            if width > 1 and cell.col == 0 and cell.span >= width:
                flush()
                for line in lines:
                    blocks.append(Block.para(line, hard=True))
                continue
            columns.setdefault(cell.col, []).extend(lines)
    flush()
    return blocks


def _column_numbers(texts: list[str]) -> bool:
    """A row that only numbers the columns: "1 2 3 4" or "(1) (2) (3)"."""
    values = [t.strip().strip("()") for t in texts if t.strip()]
    return len(values) >= 2 and all(v.isdigit() for v in values) and [int(v) for v in values] == list(range(1, len(values) + 1))


def data_blocks(rows: list[Row], table: int) -> list[Block]:
    """One row block per non-empty table row; header rows marked."""
    blocks: list[Block] = []
    width = grid_width(rows)
    looking = True  # still before the first row of data
    prev_header = False
    prev_row: Row | None = None
    for row in rows:
        cells = [""] * row.before + ["" if c.vcont else c.text for c in row.cells]
        if not any(t.strip() for t in cells):
            continue
        header = row.header
        filled = [c for c in row.cells if c.text]
        title = len(filled) == 1 and filled[0].span >= width > 1
        if not header and looking and not title:
            header = looks_like_header(row.cells)
        elif not header and prev_header and prev_row is not None:
            # column numbers under the names, or the second line of a
            # two-level header under vertically merged names
            header = _column_numbers(cells) or (
                any(c.vstart for c in prev_row.cells) and looks_like_header([c for c in row.cells if not c.vcont])
            )
        blocks.append(Block.row(cells, table=table, header=header))
        looking = looking and title
        prev_header = header
        prev_row = row
    return blocks
