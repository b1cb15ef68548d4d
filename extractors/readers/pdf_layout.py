"""Turn positioned words of PDF pages into blocks in reading order.

Input: per page, the words outside tables (from the text layer or from OCR)
and the table parts already cut into rows (`pdf_tables`). Output: `Block`s.
This module does the geometry only:

- words -> visual lines (by vertical overlap, no chaining across columns);
- running page numbers and repeated running headers/footers removed;
- two-column zones (the issuer / national-motto header at the top of the
  first page, the recipients / signature block at the end) emitted as the
  left column's paragraphs, then the right column's (as a Word file's
  header table reads), never interleaved;
- the other lines grouped into paragraphs (vertical gap, first-line indent,
  outdent, a short previous line the next word would have fitted on, a change
  of style), also across page breaks, emitted with `hard=True`;
- table parts continued on the next page joined into one table (same index),
  their repeated header rows dropped and a row split by the page break merged.

It does not read PDF files, OCR, or interpret the words (no metadata).
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from extractors.readers.base import Block

__all__ = ["Word", "Line", "TablePart", "PageContent", "build_lines", "assemble"]


@dataclass
class Word:
    """One word with its box in page coordinates (points, top-down)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 0.0  # font size; 0 when unknown (OCR)
    bold: bool = False


@dataclass
class Line:
    """One visual line: words sharing a baseline band, sorted left to right."""

    words: list[Word]
    page: int

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def size(self) -> float:
        sizes = [w.size for w in self.words if w.size > 0]
        if sizes:
            return statistics.median(sizes)
        return max(1.0, (self.bottom - self.top) * 0.8)

    @property
    def bold(self) -> bool:
        chars = sum(len(w.text) for w in self.words)
        bold = sum(len(w.text) for w in self.words if w.bold)
        return chars > 0 and bold >= 0.9 * chars

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class TablePart:
    """The piece of one table that lies on one page, already cut into rows."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    col_x: list[float]  # left edge of each column
    rows: list[list[str]]  # one list of cell texts per row, aligned to col_x
    header: int = 0  # number of leading rows that are column headings


@dataclass
class PageContent:
    """What one page holds: lines outside tables, and table parts."""

    number: int  # 1-based
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[TablePart] = field(default_factory=list)


# A line that is only a page number: "2", "- 2 -", "Trang 2", "2/12".
_PAGE_NO = re.compile(r"^[-–—]?\s*(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?\s*[-–—]?$", re.IGNORECASE)
# A numbering label or bullet that opens an item.
_LABEL = re.compile(
    r"^(?:[-–—+•▪◦*]\s|\(?\d{1,3}(?:\.\d{1,3})*[.)]|\(?[a-zđ]\)|[IVXLCDM]{1,6}[.)]|(?:điều|chương|mục|phần)\s+\w+)",
    re.IGNORECASE,
)
_BULLETS = ("-", "–", "—", "+", "•", "▪", "*")
_NUMBER_LABEL = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ]\)|[IVXLCDM]{1,6}[.)])\s", re.IGNORECASE)
_TABLE_LABEL = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[IVXLCDM]{1,6}|[a-zđ])[.)]?$", re.IGNORECASE)


# ---------------------------------------------------------------- lines


def build_lines(words: list[Word], page: int) -> list[Line]:
    """Group words into visual lines.

    A word joins a line when it overlaps the band of the line's first word by
    at least half of the smaller height: bands are not extended, so lines of
    two columns set in different sizes do not chain into one.
    """
    lines: list[tuple[float, float, list[Word]]] = []  # seed band + words
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        h = max(w.bottom - w.top, 0.1)
        placed = False
        for i in range(len(lines) - 1, max(-1, len(lines) - 8), -1):
            top, bottom, ws = lines[i]
            overlap = min(bottom, w.bottom) - max(top, w.top)
            seed = ws[0]
            marker = len(w.text) <= 3 and 0 < w.size < 0.8 * seed.size and overlap > 0
            if overlap >= 0.5 * min(h, bottom - top) or marker:
                ws.append(w)
                placed = True
                break
        if not placed:
            lines.append((w.top, w.bottom, [w]))
    out = [Line(sorted(ws, key=lambda w: w.x0), page) for _, _, ws in lines]
    out.sort(key=lambda ln: (ln.top, ln.x0))
    return out


# ---------------------------------------------------------------- geometry


@dataclass
class _Geometry:
    """The text block of pages of one size: margins, line pitch, body size."""

    left: float
    right: float
    width: float  # page width
    pitch: float  # usual distance between tops of lines, per point of size

    @property
    def center(self) -> float:
        return (self.left + self.right) / 2

    def centered(self, line: Line) -> bool:
        tol = max(4.0, 0.03 * (self.right - self.left))
        return (
            abs(line.center - self.center) <= tol
            and line.x0 > self.left + 12
            and line.x1 < self.right - 12
        )


def _percentile(values: list[float], q: float) -> float:
    vals = sorted(values)
    if not vals:
        return 0.0
    k = min(len(vals) - 1, max(0, round(q * (len(vals) - 1))))
    return vals[k]


def _geometries(pages: list[PageContent]) -> dict[int, _Geometry]:
    """One geometry per page width (portrait and landscape pages differ)."""
    groups: dict[int, list[PageContent]] = {}
    for p in pages:
        groups.setdefault(round(p.width), []).append(p)
    out: dict[int, _Geometry] = {}
    for key, group in groups.items():
        long_lines = [ln for p in group for ln in p.lines if len(ln.words) >= 4]
        if not long_lines:
            long_lines = [ln for p in group for ln in p.lines]
        if not long_lines:
            out[key] = _Geometry(0.1 * key, 0.9 * key, key, 1.2)
            continue
        left_counts = Counter(round(ln.x0) for ln in long_lines)
        left = float(min(v for v, c in left_counts.items() if c == max(left_counts.values())))
        left = min(left, _percentile([ln.x0 for ln in long_lines], 0.1))
        right = _percentile([ln.x1 for ln in long_lines], 0.9)
        ratios: list[float] = []
        for p in group:
            for a, b in zip(p.lines, p.lines[1:]):
                if abs(a.size - b.size) < 0.5 and len(a.words) >= 3 and len(b.words) >= 3:
                    r = (b.top - a.top) / max(a.size, 1.0)
                    if 0.8 < r < 3.0:
                        ratios.append(round(r, 2))
        # Pairs inside paragraphs outnumber paragraph gaps; the lower quartile
        # is the line pitch even where paragraphs are spaced apart.
        pitch = _percentile(ratios, 0.25) if ratios else 1.2
        out[key] = _Geometry(left, right, key, pitch)
    return out


# ---------------------------------------------------------------- furniture


def _is_page_number(line: Line, geo: _Geometry, neighbour_gap: float) -> bool:
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


def _remove_furniture(pages: list[PageContent], geos: dict[int, _Geometry]) -> None:
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


# ---------------------------------------------------------------- zones


@dataclass
class _Zone:
    """Lines set in two columns side by side, split at a gutter."""

    g0: float
    g1: float
    lines: list[Line] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    left_x0: list[float] = field(default_factory=list)
    left_c: list[float] = field(default_factory=list)
    right_x0: list[float] = field(default_factory=list)
    right_c: list[float] = field(default_factory=list)
    width: float = 0.0

    def add(self, line: Line, left: list[Word], right: list[Word]) -> None:
        self.lines.append(line)
        self.rows.append([" ".join(w.text for w in left), " ".join(w.text for w in right)])
        if left:
            self.left_x0.append(left[0].x0)
            self.left_c.append((left[0].x0 + max(w.x1 for w in left)) / 2)
        if right:
            self.right_x0.append(right[0].x0)
            self.right_c.append((right[0].x0 + max(w.x1 for w in right)) / 2)


def _column_blocks(zone: _Zone) -> list[Block]:
    """A zone as its left column's paragraphs, then its right column's.

    Each line is a paragraph of its own (header and signature lines are),
    except a line that continues the one above: one that starts in lower
    case (a wrapped subject line), or a recipient running onto a second line
    (no bullet of its own, after a bulleted line not yet closed by ; or .)."""
    out: list[Block] = []
    for side in (0, 1):
        paras: list[tuple[int, str]] = []
        for ln, row in zip(zone.lines, zone.rows):
            text = row[side].strip()
            if not text:
                continue
            first = next((c for c in text if c.isalpha()), "")
            in_item = bool(paras) and paras[-1][1][:1] in _BULLETS and not paras[-1][1].rstrip().endswith((";", "."))
            if paras and (first.islower() or (in_item and text[:1] not in _BULLETS)):
                paras[-1] = (paras[-1][0], paras[-1][1] + " " + text)
            else:
                paras.append((ln.page, text))
        out.extend(Block.para(text, hard=True, page=page) for page, text in paras)
    return out


def _gutter_of(line: Line, geo: _Geometry) -> tuple[float, float] | None:
    """The wide gap splitting a line into a left and a right column, if any."""
    lo = geo.left + 0.25 * (geo.right - geo.left)
    hi = geo.left + 0.75 * (geo.right - geo.left)
    need = max(12.0, 1.5 * line.size)
    best: tuple[float, float] | None = None
    for a, b in zip(line.words, line.words[1:]):
        g0, g1 = a.x1, b.x0
        if g1 - g0 >= need and g1 > lo and g0 < hi:
            if best is None or g1 - g0 > best[1] - best[0]:
                best = (g0, g1)
    return best


def _free_part(words: list[Word], g0: float, g1: float) -> tuple[float, float]:
    """The widest part of the gutter [g0, g1] that no word covers."""
    spans = sorted((max(g0, w.x0), min(g1, w.x1)) for w in words if w.x1 > g0 and w.x0 < g1)
    best = (g0, g0)
    cur = g0
    for s0, s1 in spans:
        if s0 - cur > best[1] - best[0]:
            best = (cur, s0)
        cur = max(cur, s1)
    if g1 - cur > best[1] - best[0]:
        best = (cur, g1)
    return best


def _aligned_base(xs: list[float]) -> float | None:
    """The left edge that at least two lines of a column share, if any."""
    best: float | None = None
    best_n = 1
    for x in xs:
        n = sum(1 for y in xs if abs(x - y) <= 2.0)
        if n > best_n or (n == best_n and best is not None and x < best):
            best, best_n = x, n
    return best


def _side_fits(x0: float, c: float, xs: list[float], cs: list[float], width: float) -> bool:
    """A one-sided line continues a column: centred on it or aligned with it."""
    if not xs:
        return True
    if abs(c - statistics.median(cs)) <= max(6.0, 0.03 * width):
        return True
    base = _aligned_base(xs)  # a left-aligned column (a list of recipients)
    if base is None and len(xs) == 1:
        base = xs[0] if abs(x0 - xs[0]) <= 3.0 else None
    return base is not None and -3.0 <= x0 - base <= 30.0


def _try_add(zone: _Zone, line: Line) -> bool:
    """Add `line` to the zone if it keeps to the columns; False ends the zone."""
    f0, f1 = _free_part(line.words, zone.g0, zone.g1)
    if f1 - f0 < 4.0:
        return False
    left = [w for w in line.words if w.x1 <= f0 + 0.5]
    right = [w for w in line.words if w.x0 >= f1 - 0.5]
    if len(left) + len(right) != len(line.words):
        return False
    if left and not right:
        c = (left[0].x0 + max(w.x1 for w in left)) / 2
        if not _side_fits(left[0].x0, c, zone.left_x0, zone.left_c, zone.width):
            return False
    if right and not left:
        c = (right[0].x0 + max(w.x1 for w in right)) / 2
        if zone.right_x0:
            centred = abs(c - statistics.median(zone.right_c)) <= max(6.0, 0.03 * zone.width)
            base = _aligned_base(zone.right_x0)
            aligned = base is not None and abs(right[0].x0 - base) <= 3.0
            if not (centred or aligned):
                return False
    zone.g0, zone.g1 = f0, f1
    zone.add(line, left, right)
    return True


def _start_zone(line: Line, geo: _Geometry) -> _Zone | None:
    gutter = _gutter_of(line, geo)
    if gutter is not None:
        zone = _Zone(gutter[0], gutter[1], width=geo.width)
        if _try_add(zone, line):
            return zone
        return None
    # A line wholly in the right half (a signature's "T/M ...") opens a zone
    # whose left column may follow below it.
    if line.x0 >= geo.center + 0.08 * (geo.right - geo.left) and not geo.centered(line):
        zone = _Zone(min(geo.left, line.x0 - 1), line.x0 - 0.5, width=geo.width)
        zone.add(line, [], line.words)
        return zone
    return None


def _find_zones(
    lines: list[Line], geo: _Geometry, tables: list[TablePart], first_page: bool, carry: _Zone | None
) -> tuple[dict[int, _Zone], _Zone | None]:
    """Map line index -> zone for the lines of one page; returns the zone still
    open at the page's end (it may continue on the next page)."""
    cuts = sorted(t.top for t in tables)

    def table_between(a: Line, b: Line) -> bool:
        return any(a.bottom <= c <= b.top for c in cuts)

    member: dict[int, _Zone] = {}
    zone = carry
    if zone is not None and lines and cuts and cuts[0] < lines[0].top:
        zone = None
    i = 0
    while i < len(lines):
        ln = lines[i]
        if zone is not None and i > 0 and table_between(lines[i - 1], ln):
            zone = None
        if zone is not None and _try_add(zone, ln):
            member[i] = zone
            i += 1
            continue
        zone = _start_zone(ln, geo)
        if zone is not None:
            member[i] = zone
            # At the top of the first page, a one-sided line above the first
            # two-sided one (an issuer set one line higher) belongs to it too.
            if first_page and 0 < i <= 3 and all(j not in member for j in range(i)):
                above = [lines[j] for j in range(i)]
                if all(_free_part(a.words, zone.g0, zone.g1) == (zone.g0, zone.g1) for a in above):
                    for j, a in enumerate(above):
                        left = [w for w in a.words if w.x1 <= zone.g0 + 0.5]
                        right = [w for w in a.words if w.x0 >= zone.g1 - 0.5]
                        zone.lines.insert(j, a)
                        zone.rows.insert(j, [" ".join(w.text for w in left), " ".join(w.text for w in right)])
                        member[j] = zone
        i += 1
    open_zone = zone if (zone is not None and lines and member.get(len(lines) - 1) is zone) else None
    if open_zone is not None and cuts and cuts[-1] > lines[-1].bottom:
        open_zone = None
    # One line alone is no two-column block (a centred line with a blank to
    # fill in, a right-aligned note): it stays in the running text.
    for idx, z in list(member.items()):
        if z is not carry and z is not open_zone and len(z.lines) == 1:
            del member[idx]
    return member, open_zone


# ---------------------------------------------------------------- paragraphs


def _caps(line: Line) -> bool:
    letters = [c for c in line.text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _hanging(first: Line, b: Line) -> bool:
    """`b` is aligned with the text after the label of `first` (hanging indent)."""
    if len(first.words) < 2 or not _LABEL.match(first.text):
        return False
    return abs(b.x0 - first.words[1].x0) <= 3.0


def _breaks(para: list[Line], b: Line, geo: _Geometry, same_page: bool) -> bool:
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


# ---------------------------------------------------------------- tables


def _numbering_columns(rows: list[list[str]]) -> list[int]:
    """Columns whose filled cells are mostly item numbers ("1", "a)", "II")."""
    if not rows:
        return []
    ncol = max(len(r) for r in rows)
    out = []
    for c in range(ncol):
        vals = [r[c].strip() for r in rows if c < len(r) and r[c].strip()]
        if len(vals) >= 2 and sum(bool(_TABLE_LABEL.match(v)) for v in vals) >= 0.7 * len(vals):
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


class _Tables:
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


# ---------------------------------------------------------------- assembly


def assemble(pages: list[PageContent]) -> list[Block]:
    """Blocks of the whole document, in reading order."""
    geos = _geometries(pages)
    _remove_furniture(pages, geos)
    blocks: list[Block] = []
    tables = _Tables(blocks)
    para: list[Line] = []
    carry: _Zone | None = None
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
                blocks.extend(_column_blocks(carry))
            carry = None
        prev_width = p.width
        members, carry_out = _find_zones(p.lines, geo, p.tables, p.number == 1, carry)
        if carry is not None and carry not in members.values():
            blocks.extend(_column_blocks(carry))  # the zone ended with the last page
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
                    blocks.extend(_column_blocks(zone))  # emitted whole, once complete
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
        blocks.extend(_column_blocks(carry))
    return blocks
