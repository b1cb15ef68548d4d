"""Word automatic list numbering (numbering.xml) rendered as the reader sees it.

A Word paragraph can carry its number as a list property (`w:numPr`: numId
and ilvl, directly or through its paragraph style) instead of typed text. The
number is then drawn by Word from `numbering.xml`: the level's format
(`numFmt`: decimal, lowerLetter, upperRoman, bullet, ...), its text pattern
(`lvlText`, e.g. "%1.%2."), its start value, restarts (`lvlRestart`,
`lvlOverride/startOverride`) and legal numbering (`isLgl`).

`Numbering.label(p)` advances the counters for paragraph `p` (call it on every
paragraph in document order) and returns the label Word shows ("1.", "a)",
"II.", "1.2.", "Điều 3.") followed by its separator, or "" when the paragraph
is not numbered. Counters are kept per abstract list, as Word does: list
instances (w:num) that share an abstract definition continue one another
unless a startOverride restarts them. Bullets come out as "-" (filled marks)
or "+" (hollow marks and "+"). Letters follow Word: a..z then aa, bb, ...
(Word has no "đ"). It does not render picture bullets (shown as "-"),
number fonts, or East Asian counting systems (shown as decimal).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn

from extractors.readers.docx_styles import W_VAL, StyleSheet, on

__all__ = ["Numbering", "format_number"]

_HOLLOW_BULLETS = set("o◦○□◇◊▫❍❏❐❑❒\uf0a8\uf06f\uf071\uf0a1+")
_DASH_BULLETS = set("-–—−‐‑\uf02d")


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # lvlRestart (1-based level after which it restarts; 0 never)
    legal: bool = False
    suffix: str = "tab"
    hidden: bool = False
    pstyle: str | None = None


@dataclass
class _Num:
    abstract: str
    overrides: dict[int, int] = field(default_factory=dict)  # ilvl -> startOverride
    levels: dict[int, Level] = field(default_factory=dict)  # ilvl -> replaced level


def _int(el: Any, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W_VAL))
    except (TypeError, ValueError):
        return default


def _level(lvl: Any) -> Level:
    fmt_el = lvl.find(qn("w:numFmt"))
    text_el = lvl.find(qn("w:lvlText"))
    restart_el = lvl.find(qn("w:lvlRestart"))
    suff_el = lvl.find(qn("w:suff"))
    rpr = lvl.find(qn("w:rPr"))
    pst = lvl.find(qn("w:pStyle"))
    picture = lvl.find(qn("w:lvlPicBulletId")) is not None
    fmt = fmt_el.get(W_VAL) if fmt_el is not None and fmt_el.get(W_VAL) else "decimal"
    text = text_el.get(W_VAL) if text_el is not None and text_el.get(W_VAL) is not None else ""
    if picture:
        fmt, text = "bullet", "-"
    return Level(
        fmt=fmt,
        text=text,
        start=_int(lvl.find(qn("w:start")), 0 if fmt in ("decimalZero",) else 1),
        restart=_int(restart_el, -1) if restart_el is not None else None,
        legal=on(lvl.find(qn("w:isLgl"))),
        suffix=suff_el.get(W_VAL) if suff_el is not None and suff_el.get(W_VAL) else "tab",
        hidden=rpr is not None and on(rpr.find(qn("w:vanish"))),
        pstyle=pst.get(W_VAL) if pst is not None else None,
    )


# ------------------------------------------------------------------ formats
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
_VI_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    """Word's letter numbering: a..z, then aa..zz, aaa..."""
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _vietnamese_counting(n: int) -> str:
    if 0 <= n < 10:
        return _VI_DIGITS[n]
    if 10 <= n < 100:
        tens, unit = divmod(n, 10)
        head = "mười" if tens == 1 else _VI_DIGITS[tens] + " mươi"
        if unit == 0:
            return head
        tail = "lăm" if unit == 5 else ("mốt" if unit == 1 and tens > 1 else _VI_DIGITS[unit])
        return f"{head} {tail}"
    return str(n)


def format_number(n: int, fmt: str) -> str:
    """One counter value in a Word number format (ST_NumberFormat)."""
    if fmt in ("lowerLetter",):
        return _letters(n)
    if fmt in ("upperLetter",):
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}" if 0 <= n < 10 else str(n)
    if fmt in ("none", "bullet"):
        return ""
    if fmt == "ordinal":
        return f"{n}."
    if fmt == "vietnameseCounting":
        return _vietnamese_counting(n)
    if fmt in ("decimalEnclosedParen",):
        return f"({n})"
    if fmt in ("decimalEnclosedFullstop",):
        return f"{n}."
    return str(n)


def _bullet(text: str, ilvl: int) -> str:
    mark = text.strip()[:1]
    if mark in _DASH_BULLETS:
        return "-"
    if mark in _HOLLOW_BULLETS:
        return "+"
    return "-" if mark or ilvl == 0 else "+"


# ------------------------------------------------------------------ state
class Numbering:
    """The list definitions of a document and the running counters."""

    def __init__(self, numbering_el: Any | None, styles: StyleSheet) -> None:
        self.styles = styles
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.abstract_links: dict[str, str] = {}  # abstractNumId -> numStyleLink style id
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self._seen_nums: set[str] = set()
        if numbering_el is None:
            return
        for ab in numbering_el.iterchildren(qn("w:abstractNum")):
            aid = ab.get(qn("w:abstractNumId"))
            if aid is None:
                continue
            self.abstracts[aid] = {_int_attr(lvl): _level(lvl) for lvl in ab.iterchildren(qn("w:lvl"))}
            link = ab.find(qn("w:numStyleLink"))
            if link is not None and link.get(W_VAL):
                self.abstract_links[aid] = link.get(W_VAL)
        for num in numbering_el.iterchildren(qn("w:num")):
            nid = num.get(qn("w:numId"))
            ab = num.find(qn("w:abstractNumId"))
            if nid is None or ab is None:
                continue
            entry = _Num(abstract=ab.get(W_VAL) or "")
            for ov in num.iterchildren(qn("w:lvlOverride")):
                ilvl = _int_attr(ov)
                so = ov.find(qn("w:startOverride"))
                if so is not None:
                    entry.overrides[ilvl] = _int(so, 1)
                lvl = ov.find(qn("w:lvl"))
                if lvl is not None:
                    entry.levels[ilvl] = _level(lvl)
                    if so is None:
                        entry.overrides[ilvl] = entry.levels[ilvl].start
            self.nums[nid] = entry

    # -------------------------------------------------------------- lookup
    def _abstract_of(self, num_id: str, depth: int = 0) -> str | None:
        num = self.nums.get(num_id)
        if num is None:
            return None
        aid = num.abstract
        link = self.abstract_links.get(aid)
        if link and depth < 4:
            # A list that points at a numbering style: follow the style's own numId.
            linked_num, _, _ = self.styles.style_numpr(link)
            if linked_num and linked_num != num_id:
                target = self._abstract_of(linked_num, depth + 1)
                if target is not None:
                    return target
        return aid

    def _levels(self, num_id: str, aid: str) -> dict[int, Level]:
        levels = dict(self.abstracts.get(aid, {}))
        levels.update(self.nums[num_id].levels)
        return levels

    def numpr(self, p: Any) -> tuple[str, int] | None:
        """(numId, ilvl) of a paragraph, from its own properties or its style."""
        ppr = p.find(qn("w:pPr"))
        direct = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id: str | None = None
        ilvl: str | None = None
        if direct is not None:
            nid = direct.find(qn("w:numId"))
            lvl = direct.find(qn("w:ilvl"))
            num_id = nid.get(W_VAL) if nid is not None else None
            ilvl = lvl.get(W_VAL) if lvl is not None else None
        style_id = self.styles.para_style(p)
        s_num, s_ilvl, owner = self.styles.style_numpr(style_id)
        if num_id is None:
            num_id = s_num
            if ilvl is None:
                ilvl = s_ilvl
            if ilvl is None and num_id is not None and owner is not None:
                aid = self._abstract_of(num_id)
                for k, level in self.abstracts.get(aid or "", {}).items():
                    if level.pstyle == owner:
                        ilvl = str(k)
                        break
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        try:
            level = int(ilvl) if ilvl is not None else 0
        except ValueError:
            level = 0
        return num_id, max(0, min(level, 8))

    # -------------------------------------------------------------- render
    def label(self, p: Any) -> str:
        """Advance the counters for paragraph `p`; its number and separator, or ""."""
        found = self.numpr(p)
        if found is None:
            return ""
        num_id, ilvl = found
        aid = self._abstract_of(num_id)
        if aid is None:
            return ""
        levels = self._levels(num_id, aid)
        level = levels.get(ilvl)
        if level is None:
            return ""
        overrides = self.nums[num_id].overrides
        counters = self.counters.setdefault(aid, {})
        if num_id not in self._seen_nums:
            # A list instance that restarts numbering (startOverride) restarts
            # the overridden levels the first time it is used.
            self._seen_nums.add(num_id)
            for k in overrides:
                counters.pop(k, None)
        if ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = overrides.get(ilvl, level.start)
        for k in list(counters):
            if k <= ilvl:
                continue
            deeper = levels.get(k)
            threshold = k if deeper is None or deeper.restart is None or deeper.restart < 0 else deeper.restart
            if ilvl < threshold:
                del counters[k]
        if level.hidden:
            return ""
        if level.fmt == "bullet":
            text = _bullet(level.text, ilvl)
        else:
            text = self._render(level, levels, counters, overrides)
        if not text.strip():
            return ""
        sep = "" if level.suffix == "nothing" else " "
        return text.strip() + sep

    def _render(self, level: Level, levels: dict[int, Level], counters: dict[int, int], overrides: dict[int, int]) -> str:
        out: list[str] = []
        pattern = level.text
        i = 0
        while i < len(pattern):
            ch = pattern[i]
            if ch == "%" and i + 1 < len(pattern) and pattern[i + 1].isdigit():
                k = int(pattern[i + 1]) - 1
                ref = levels.get(k, Level())
                value = counters.get(k, overrides.get(k, ref.start))
                fmt = "decimal" if level.legal and ref.fmt not in ("decimalZero",) else ref.fmt
                out.append(format_number(value, fmt))
                i += 2
                continue
            out.append(ch)
            i += 1
        return "".join(out)


def _int_attr(el: Any) -> int:
    try:
        return int(el.get(qn("w:ilvl")) or 0)
    except ValueError:
        return 0
