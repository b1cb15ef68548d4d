"""The positioned text of a PDF page: words, visual lines, table parts, page geometry.

`Word` (a word and its box), `Line` (words on one baseline band),
`TablePart` (a table's rows on one page), `PageContent` (what a page holds);
`build_lines` groups words into lines, `geometries` measures the text block
of pages of one size (margins, line pitch). Shared by the PDF reader, the
OCR path and the layout modules; nothing here reads files or emits blocks.
"""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["Word", "Line", "TablePart", "PageContent", "Geometry", "build_lines", "geometries", "percentile"]


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


@dataclass
class Geometry:
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


def percentile(values: list[float], q: float) -> float:
    vals = sorted(values)
    if not vals:
        return 0.0
    k = min(len(vals) - 1, max(0, round(q * (len(vals) - 1))))
    return vals[k]


def geometries(pages: list[PageContent]) -> dict[int, Geometry]:
    """One geometry per page width (portrait and landscape pages differ)."""
    groups: dict[int, list[PageContent]] = {}
    for p in pages:
        groups.setdefault(round(p.width), []).append(p)
    out: dict[int, Geometry] = {}
    for key, group in groups.items():
        long_lines = [ln for p in group for ln in p.lines if len(ln.words) >= 4]
        if not long_lines:
            long_lines = [ln for p in group for ln in p.lines]
        if not long_lines:
            out[key] = Geometry(0.1 * key, 0.9 * key, key, 1.2)
            continue
        left_counts = Counter(round(ln.x0) for ln in long_lines)
        left = float(min(v for v, c in left_counts.items() if c == max(left_counts.values())))
        left = min(left, percentile([ln.x0 for ln in long_lines], 0.1))
        right = percentile([ln.x1 for ln in long_lines], 0.9)
        ratios: list[float] = []
        for p in group:
            for a, b in zip(p.lines, p.lines[1:]):
                if abs(a.size - b.size) < 0.5 and len(a.words) >= 3 and len(b.words) >= 3:
                    r = (b.top - a.top) / max(a.size, 1.0)
                    if 0.8 < r < 3.0:
                        ratios.append(round(r, 2))
        # Pairs inside paragraphs outnumber paragraph gaps; the lower quartile
        # is the line pitch even where paragraphs are spaced apart.
        pitch = percentile(ratios, 0.25) if ratios else 1.2
        out[key] = Geometry(left, right, key, pitch)
    return out
