"""Turn the positioned lines of PDF pages into blocks in reading order.

Input: per page, the lines outside tables (from the text layer or from OCR)
and the table parts already cut into rows. Output: `Block`s. Steps:

- running page numbers and repeated running headers/footers removed;
- two-column zones (header, signature) emitted column by column (`pdf_zones`);
- the other lines grouped into paragraphs (vertical gap, first-line indent,
  outdent, a short previous line the next word would have fitted on, a change
  of style), also across page breaks, emitted with `hard=True`;
- table parts emitted as rows, joined across pages (`pdf_tables`).

It does not read PDF files, OCR, or interpret the words (no metadata).
"""
from __future__ import annotations

import re
from collections import Counter

from extractors.readers.base import Block
from extractors.readers.pdf_model import Geometry, Line, PageContent, TablePart, geometries
from extractors.readers.pdf_tables import TableJoiner
from extractors.readers.pdf_zones import Zone, column_blocks, find_zones

__all__ = ["assemble"]

# A line that is only a page number: "2", "- 2 -", "Trang 2", "2/12".
_PAGE_NO = re.compile(r"^[-–—]?\s*(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?\s*[-–—]?$", re.IGNORECASE)
# A numbering label or bullet that opens an item.
_LABEL = re.compile(
    r"^(?:[-–—+•▪◦*]\s|\(?\d{1,3}(?:\.\d{1,3})*[.)]|\(?[a-zđ]\)|[IVXLCDM]{1,6}[.)]|(?:điều|chương|mục|phần)\s+\w+)",
    re.IGNORECASE,
)
_NUMBER_LABEL = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ]\)|[IVXLCDM]{1,6}[.)])\s", re.IGNORECASE)


# ---------------------------------------------------------------- furniture


def _is_page_number(line: Line, geo: Geometry, neighbour_gap: float) -> bool:
    if not _PAGE_NO.match(line.text.strip()):
        return False
    # Content that happens to be a number sits at the left margin and close to
    # its neighbour; a page number is centred / right-aligned or set apart.
    return line.x0 > geo.left + 20 or neighbour_gap > 1.5 * geo.pitch * line.size


def _norm_furniture(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _items_bounds(page: PageContent) -> tuple[float, float]:
    tops = [t.top for t in page.tables]
    bottoms = [t.bottom for t in page.tables]
    return (min(tops) if tops else float("inf"), max(bottoms) if bottoms else float("-inf"))


def _remove_furniture(pages: list[PageContent], geos: dict[int, Geometry]) -> None:
    """Drop running page numbers and running headers/footers, in place."""
    for p in pages:
        geo = geos[round(p.width)]
        table_top, table_bottom = _items_bounds(p)
        if p.lines and p.lines[0].bottom <= table_top:
            first = p.lines[0]
            nxt = p.lines[1].top if len(p.lines) > 1 else min(table_top, p.height)
            if _is_page_number(first, geo, nxt - first.top):
                p.lines.pop(0)
        if p.lines and p.lines[-1].top >= table_bottom:
            last = p.lines[-1]
            prev = p.lines[-2].top if len(p.lines) > 1 else max(table_bottom, 0.0)
            if _is_page_number(last, geo, last.top - prev):
                p.lines.pop()
    if len(pages) < 3:
        return

    def set_apart(p: PageContent, i: int, j: int) -> bool:
        """Line i is separated from its neighbour j like a margin line."""
        if not 0 <= j < len(p.lines):
            return True
        a, b = p.lines[i], p.lines[j]
        geo = geos[round(p.width)]
        return abs(b.top - a.top) > 1.4 * geo.pitch * max(a.size, b.size) or a.size < 0.85 * b.size

    def candidates(p: PageContent) -> list[int]:
        n = len(p.lines)
        out = []
        if n and set_apart(p, 0, 1):
            out.append(0)
        if n > 2 and 0 in out and set_apart(p, 1, 2):
            out.append(1)
        if n > 1 and set_apart(p, n - 1, n - 2):
            out.append(n - 1)
        if n > 3 and n - 1 in out and set_apart(p, n - 2, n - 3):
            out.append(n - 2)
        return [i for i in out if len(p.lines[i].words) <= 15]

    counts: Counter[str] = Counter()
    for p in pages:
        counts.update({_norm_furniture(p.lines[i].text) for i in candidates(p)})
    limit = max(3, int(0.3 * len(pages) + 0.5))
    running = {t for t, c in counts.items() if c >= limit and t}
    if not running:
        return
    for p in pages:
        drop = {i for i in candidates(p) if _norm_furniture(p.lines[i].text) in running}
        p.lines = [ln for i, ln in enumerate(p.lines) if i not in drop]


# ---------------------------------------------------------------- paragraphs


def _caps(line: Line) -> bool:
    letters = [c for c in line.text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _hanging(first: Line, b: Line) -> bool:
    """`b` is aligned with the text after the label of `first` (hanging indent)."""
    if len(first.words) < 2 or not _LABEL.match(first.text):
        return False
    return abs(b.x0 - first.words[1].x0) <= 3.0


def _breaks(para: list[Line], b: Line, geo: Geometry, same_page: bool) -> bool:
    """Does line `b` start a new paragraph after the lines of `para`?"""
    a = para[-1]
    first = para[0]
    size = max(a.size, b.size)
    if abs(a.size - b.size) > 1.0 or a.bold != b.bold:
        return True
    if same_page:
        if b.top < a.bottom - 0.5 * size:
            return True
        pitch = b.top - a.top
        if pitch > geo.pitch * size * 1.3 + 1.0:
            return True
    ca, cb = geo.centered(a), geo.centered(b)
    if ca or cb:
        # A centred title wraps onto centred lines of the same style and case;
        # a bold title's first line may fill the whole width.
        wrapped = a.x1 - a.x0 >= 0.5 * (geo.right - geo.left)
        same_axis = abs(a.center - b.center) <= max(4.0, 0.03 * (geo.right - geo.left))
        title = ca or (a.bold and b.bold and same_axis)
        return not (title and cb and wrapped and _caps(a) == _caps(b))
    if b.x0 > a.x0 + 6.0:
        if not (_hanging(first, b) or (a is not first and abs(b.x0 - a.x0) <= 3.0)):
            return True
    if b.x0 < a.x0 - 6.0 and a is not first:
        return True  # back out to the margin after a hanging-indented block
    space = 0.25 * size
    first_word = b.words[0].x1 - b.words[0].x0
    if geo.right - a.x1 > first_word + space + 0.5 * size:
        return True  # the next word would have fitted: the line ended on purpose
    tail = a.text.rstrip()[-1:]
    if tail in (".", ";", ":", "!", "?") and _LABEL.match(b.text):
        return True
    if _NUMBER_LABEL.match(b.text) and (a.bold or a.x1 < geo.right - 0.5 * size):
        return True  # "1. ..." after a heading or a line that stops short
    return False


def _para_block(lines: list[Line]) -> Block:
    text = " ".join(ln.text for ln in lines)
    return Block.para(re.sub(r"\s+", " ", text).strip(), hard=True, page=lines[0].page)


# ---------------------------------------------------------------- assembly


def assemble(pages: list[PageContent]) -> list[Block]:
    """Blocks of the whole document, in reading order."""
    geos = geometries(pages)
    _remove_furniture(pages, geos)
    blocks: list[Block] = []
    tables = TableJoiner(blocks)
    para: list[Line] = []
    carry: Zone | None = None
    prev_width: float | None = None
    last_kind = ""  # what the previous item was: "line", "zone", "table"

    def flush() -> None:
        nonlocal para
        if para:
            blocks.append(_para_block(para))
            para = []

    for p in pages:
        geo = geos[round(p.width)]
        if prev_width is not None and abs(prev_width - p.width) > 1:
            flush()
            if carry is not None:
                blocks.extend(column_blocks(carry))
            carry = None
        prev_width = p.width
        members, carry_out = find_zones(p.lines, geo, p.tables, p.number == 1, carry)
        if carry is not None and carry not in members.values():
            blocks.extend(column_blocks(carry))  # the zone ended with the last page
        pending = carry
        items: list[tuple[float, int, object]] = [(ln.top, 0, (i, ln)) for i, ln in enumerate(p.lines)]
        items += [(t.top, 1, t) for t in p.tables]
        items.sort(key=lambda it: (it[0], it[1]))
        for pos, (_, kind, obj) in enumerate(items):
            if isinstance(obj, TablePart):
                flush()
                tables.add(obj, continues_page=pos == 0 and last_kind == "table")
                last_kind = "table"
                continue
            i, ln = obj  # type: ignore[misc]
            zone = members.get(i)
            if zone is not None:
                flush()
                pending = zone
                if ln is zone.lines[-1] and zone is not carry_out:
                    blocks.extend(column_blocks(zone))  # emitted whole, once complete
                    pending = None
                last_kind = "zone"
                continue
            if para and (last_kind != "line" or _breaks(para, ln, geo, para[-1].page == p.number)):
                flush()
            para.append(ln)
            last_kind = "line"
        carry = carry_out if pending is carry_out else None
    flush()
    if carry is not None:
        blocks.extend(column_blocks(carry))
    return blocks
