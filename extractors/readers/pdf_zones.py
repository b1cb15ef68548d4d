"""Two-column blocks of a PDF page: the header and the signature.

Vietnamese administrative documents set the issuer (left) beside the
national motto and the place and date (right) at the top of the first page,
and the recipients (left) beside the signature (right) at the end. Such a
zone is a run of lines that never cross one vertical gutter; one-sided lines
join it when they keep to their column (centred on it, or aligned with it).
A zone may run over a page break. `column_blocks` emits the left column's
paragraphs, then the right column's, as a Word header table reads. This
module does not decide anything about the other lines.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from extractors.readers.base import Block
from extractors.readers.pdf_model import Geometry, Line, TablePart, Word

__all__ = ["Zone", "find_zones", "column_blocks"]

_BULLETS = ("-", "–", "—", "+", "•", "▪", "*")
_BULLETED = re.compile(r"^[-–—+•▪*]\s+\w")  # a bullet and its item


@dataclass
class Zone:
    """Lines set in two columns side by side, split at a gutter."""

    g0: float
    g1: float
    lines: list[Line] = field(default_factory=list)
    sides: list[tuple[str, str]] = field(default_factory=list)  # (left, right) text per line
    left_x0: list[float] = field(default_factory=list)
    left_c: list[float] = field(default_factory=list)
    right_x0: list[float] = field(default_factory=list)
    right_c: list[float] = field(default_factory=list)
    width: float = 0.0

    def add(self, line: Line, left: list[Word], right: list[Word]) -> None:
        self.lines.append(line)
        self.sides.append((" ".join(w.text for w in left), " ".join(w.text for w in right)))
        if left:
            self.left_x0.append(left[0].x0)
            self.left_c.append((left[0].x0 + max(w.x1 for w in left)) / 2)
        if right:
            self.right_x0.append(right[0].x0)
            self.right_c.append((right[0].x0 + max(w.x1 for w in right)) / 2)


def column_blocks(zone: Zone) -> list[Block]:
    """A zone as its left column's paragraphs, then its right column's.

    Each line is a paragraph of its own (header and signature lines are),
    except a line that continues the one above: one that starts in lower
    case (a wrapped subject line), or a recipient running onto a second line
    (no bullet of its own, after a bulleted line not yet closed by ; or .)."""
    out: list[Block] = []
    for side in (0, 1):
        paras: list[tuple[int, str]] = []
        for ln, pair in zip(zone.lines, zone.sides):
            text = pair[side].strip()
            if not text:
                continue
            first = next((c for c in text if c.isalpha()), "")
            in_item = bool(paras) and _BULLETED.match(paras[-1][1]) is not None and not paras[-1][1].endswith((";", "."))
            if paras and (first.islower() or (in_item and text[:1] not in _BULLETS)):
                paras[-1] = (paras[-1][0], paras[-1][1] + " " + text)
            else:
                paras.append((ln.page, text))
        out.extend(Block.para(text, hard=True, page=page) for page, text in paras)
    return out


def _gutter_of(line: Line, geo: Geometry) -> tuple[float, float] | None:
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


def _try_add(zone: Zone, line: Line) -> bool:
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


def _start_zone(line: Line, geo: Geometry) -> Zone | None:
    gutter = _gutter_of(line, geo)
    if gutter is not None:
        zone = Zone(gutter[0], gutter[1], width=geo.width)
        if _try_add(zone, line):
            return zone
        return None
    # A line wholly in the right half (a signature's "T/M ...") opens a zone
    # whose left column may follow below it.
    if line.x0 >= geo.center + 0.08 * (geo.right - geo.left) and not geo.centered(line):
        zone = Zone(min(geo.left, line.x0 - 1), line.x0 - 0.5, width=geo.width)
        zone.add(line, [], line.words)
        return zone
    return None


def find_zones(
    lines: list[Line], geo: Geometry, tables: list[TablePart], first_page: bool, carry: Zone | None
) -> tuple[dict[int, Zone], Zone | None]:
    """Map line index -> zone for the lines of one page; returns the zone still
    open at the page's end (it may continue on the next page)."""
    cuts = sorted(t.top for t in tables)

    def table_between(a: Line, b: Line) -> bool:
        return any(a.bottom <= c <= b.top for c in cuts)

    member: dict[int, Zone] = {}
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
                        zone.sides.insert(j, (" ".join(w.text for w in left), " ".join(w.text for w in right)))
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
