"""Calendar expressions in folded text: atoms, groups, and the days they cover.

An *atom* is one calendar unit as written: a day (`ngày 15/3/2026`, `15/3`,
`ngày 22 tháng 12 năm 2024`), month(s) (`tháng 02/2026`, `tháng 11, 12/2025`,
`6/2025`), quarter(s) (`Quý II, III/2026`, `Quí IV-2025`, `quý I và quý II năm
2026`), part of a year (`6 tháng đầu năm 2026`), a year (`năm 2026`, `2025`,
`cuối năm`) or a run of years (`2025-2026`). Atoms joined by `đến`, `-`, `tới`
(a range) or `và` (a union; `,` too in a time cell) form a *group*;
`Group.bounds` resolves missing years (borrowed from the right-hand atom, else
the context year, moved one year on when the date would fall before the issue
date) and returns the first and last day covered. Dates are always valid
calendar dates; an impossible day or month is not an atom.

This module does not decide whether a group is a deadline (trigger words,
cited documents): `deadlines` does.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from extractors.deadline_fold import rx

_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_MON = r"(?:1[0-2]|0?[1-9])"
_YEAR = r"(?:19|20)\d\d"
_ROM = r"(?:iv|i{1,3}|[1-4])(?![^\W_])"
_END = r"(?![^\W_]|/|[.,]\d)"  # a number ends here: no letter, digit, slash or decimal after it
_NB = r"(?<![\w/.,])"  # no word, slash, dot or comma before a bare number

_ATOMS = rx(
    # the lookahead lets the scan skip, at C speed, every position where no atom can start
    r"(?=\d|ngày|tháng|qu[iy]|năm|nửa|ba|sáu|chín)(?:"
    + "|".join(
        [
            # ngày 22 tháng 12 năm 2024 / ngày 15 tháng 6
            rf"(?P<L>ngày (?P<ld>{_DAY}) tháng (?P<lm>{_MON})(?: năm (?P<ly>{_YEAR}))?{_END})",
            # (ngày) 15/3/2026, 15-3-2026, 15.3.2026
            rf"(?P<N>(?:ngày )?{_NB}(?P<nd>{_DAY})(?P<ns>[/.-])(?P<nm>{_MON})(?P=ns)(?P<ny>{_YEAR}){_END})",
            # 6 tháng đầu năm (2026), nửa cuối năm
            rf"(?P<H>(?:(?P<hn>0?[369]|ba|sáu|chín) tháng|(?P<half>nửa)) (?P<hp>đầu|cuối) năm"
            rf"(?: (?P<hy>{_YEAR}))?{_END})",
            # tháng 02/2026, tháng 3 năm 2026, tháng 11, 12/2025, tháng 12
            rf"(?P<M>tháng (?P<m1>{_MON})(?P<ml>(?:(?:, ?| và (?:tháng )?){_MON}(?![^\W_]))*)"
            rf"(?:(?: ?[/-] ?| năm )(?P<my>{_YEAR}))?{_END})",
            # Quý II, III/2026; Quí IV-2025; quý I và quý II năm 2026
            rf"(?P<Q>qu[iy] (?P<q1>{_ROM})(?P<ql>(?:(?:, ?| và (?:qu[iy] )?){_ROM})*)"
            rf"(?:(?: ?[/-] ?| năm )(?P<qy>{_YEAR}))?{_END})",
            # 2025-2026, năm 2026 - 2030
            rf"(?P<R>(?:năm )?{_NB}(?P<ya>{_YEAR}) ?- ?(?:năm )?(?P<yb>{_YEAR}){_END})",
            # 6/2025 (month/year, bare)
            rf"(?P<B>{_NB}(?P<bm>{_MON})/(?P<by>{_YEAR}){_END})",
            # ngày 15/3 (no year), 15/11 (bare, only after another date)
            rf"(?P<D>(?P<dw>ngày )?{_NB}(?P<dd>{_DAY})/(?P<dm>{_MON}){_END})",
            # năm 2026, 2025, cuối năm
            rf"(?P<Y>(?P<yw>năm )?{_NB}(?P<yy>{_YEAR}){_END})",
            r"(?P<E>(?<=cuối\s)năm(?![^\W_]| (?:19|20)\d\d| hoc| tai chinh))",
        ]
    )
    + ")"
)

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_WORD_NUM = {"ba": 3, "sau": 6, "chin": 9}
_LIST_NUM = re.compile(r"iv|i{1,3}|\d+")

_CONNECT = rx(r"^ ?(?:(?P<range>-|đến(?: hết)?|tới|cho đến(?: hết)?)|(?P<union>và|,)) ?$")


@dataclass
class Atom:
    """One calendar unit as written, with its span in the folded text."""

    start: int
    end: int
    kind: str  # day | month | quarter | half | year | years
    worded: bool  # written with its word (ngày, tháng, quý, năm), not as bare numbers
    day: int | None = None
    months: tuple[int, ...] = ()
    quarters: tuple[int, ...] = ()
    year: int | None = None
    year2: int | None = None
    half: tuple[int, int] | None = None  # first and last month of a part of a year

    def span_months(self) -> tuple[int, int]:
        if self.kind == "day" or self.kind == "month":
            return (min(self.months), max(self.months))
        if self.kind == "quarter":
            return (3 * min(self.quarters) - 2, 3 * max(self.quarters))
        if self.kind == "half" and self.half:
            return self.half
        return (1, 12)

    def bounds(self, year: int) -> tuple[dt.date, dt.date] | None:
        """First and last day covered when the (missing) year is `year`."""
        y = self.year if self.year is not None else year
        if self.kind == "day":
            d = valid_date(y, self.months[0], self.day or 0)
            return (d, d) if d else None
        if self.kind == "years":
            return (dt.date(y, 1, 1), dt.date(self.year2 or y, 12, 31))
        m1, m2 = self.span_months()
        if self.kind == "quarter" and list(self.quarters) != sorted(self.quarters):
            # "Quý IV và I/2026": the quarters before the drop belong to the year before
            first_q = self.quarters[0]
            return (dt.date(y - 1, 3 * first_q - 2, 1), month_end(y, 3 * self.quarters[-1]))
        return (dt.date(y, m1, 1), month_end(y, m2))


@dataclass
class Group:
    """Atoms joined by range or union connectors."""

    atoms: list[Atom]
    joins: list[str] = field(default_factory=list)  # "range" | "union", one per gap

    @property
    def start(self) -> int:
        return self.atoms[0].start

    @property
    def end(self) -> int:
        return self.atoms[-1].end

    @property
    def has_year(self) -> bool:
        return any(a.year is not None for a in self.atoms)

    @property
    def is_range(self) -> bool:
        return "range" in self.joins

    def years(self, default: int | None) -> list[int | None]:
        """Year for each atom: its own, else borrowed from the right, else `default`."""
        out: list[int | None] = [None] * len(self.atoms)
        carry: int | None = None
        carry_atom: Atom | None = None
        for i in range(len(self.atoms) - 1, -1, -1):
            a = self.atoms[i]
            if a.year is not None:
                out[i] = a.year
                carry, carry_atom = (a.year2 or a.year), a
                continue
            if carry is not None and carry_atom is not None:
                later = a.span_months()[0] > carry_atom.span_months()[0] and carry_atom.kind != "years"
                out[i] = carry - 1 if later else carry
            else:
                out[i] = default
        return out

    def bounds(
        self, default_year: int | None, issued: dt.date | None
    ) -> tuple[dt.date, dt.date, dt.date, dt.date] | None:
        """(first day, last day, first atom's last day, last atom's first day), or None."""
        ys = self.years(default_year)
        if any(y is None for y in ys):
            return None
        spans = [a.bounds(y) for a, y in zip(self.atoms, ys)]  # type: ignore[arg-type]
        if any(s is None for s in spans):
            return None
        first = spans[0][0]  # type: ignore[index]
        last = max(s[1] for s in spans)  # type: ignore[index]
        if not self.has_year and issued is not None and last < issued:
            shifted = [a.bounds(y + 1) for a, y in zip(self.atoms, ys)]  # type: ignore[operator]
            if all(s is not None for s in shifted):
                spans = shifted
                first = spans[0][0]  # type: ignore[index]
                last = max(s[1] for s in spans)  # type: ignore[index]
        return (first, last, spans[0][1], spans[-1][0])  # type: ignore[index]


def valid_date(y: int, m: int, d: int) -> dt.date | None:
    if not (1 <= m <= 12) or d < 1 or d > calendar.monthrange(y, m)[1]:
        return None
    return dt.date(y, m, d)


def month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _nums(s: str | None) -> list[int]:
    if not s:
        return []
    return [_ROMAN[t] if t in _ROMAN else int(t) for t in _LIST_NUM.findall(s)]


def _atom(m: re.Match[str]) -> Atom | None:
    g = m.group
    s, e = m.span()
    if g("L"):
        d, mo = int(g("ld")), int(g("lm"))
        y = int(g("ly")) if g("ly") else None
        if valid_date(y or 2000, mo, d) is None:  # 2000 is a leap year: 29/2 passes
            return None
        return Atom(s, e, "day", True, day=d, months=(mo,), year=y)
    if g("N"):
        d, mo, y = int(g("nd")), int(g("nm")), int(g("ny"))
        if valid_date(y, mo, d) is None:
            return None
        return Atom(s, e, "day", g("N").startswith("ngay"), day=d, months=(mo,), year=y)
    if g("H"):
        n = g("hn")
        count = 6 if g("half") else (_WORD_NUM[n] if n in _WORD_NUM else int(n))
        part = (1, count) if g("hp") == "đâu" else (13 - count, 12)
        y = int(g("hy")) if g("hy") else None
        return Atom(s, e, "half", True, half=part, year=y)
    if g("M"):
        months = [int(g("m1"))] + _nums(g("ml"))
        if any(not 1 <= x <= 12 for x in months):
            return None
        y = int(g("my")) if g("my") else None
        return Atom(s, e, "month", True, months=tuple(months), year=y)
    if g("Q"):
        qs = [_ROMAN[g("q1")]] + _nums(g("ql"))
        y = int(g("qy")) if g("qy") else None
        return Atom(s, e, "quarter", True, quarters=tuple(qs), year=y)
    if g("R"):
        a, b = int(g("ya")), int(g("yb"))
        if not a < b <= a + 50:
            return None
        return Atom(s, e, "years", g("R").startswith("năm"), year=a, year2=b)
    if g("B"):
        return Atom(s, e, "month", False, months=(int(g("bm")),), year=int(g("by")))
    if g("D"):
        d, mo = int(g("dd")), int(g("dm"))
        if valid_date(2000, mo, d) is None:
            return None
        return Atom(s, e, "day", bool(g("dw")), day=d, months=(mo,))
    if g("Y"):
        return Atom(s, e, "year", bool(g("yw")), year=int(g("yy")))
    if g("E"):
        return Atom(s, e, "year", True)
    return None


# Every atom holds a digit, a quarter (`quý IV`), `cuối năm` or a spelt-out part of a year (`nửa đầu năm`):
# only the text around these seeds is scanned.
_SEEDS = re.compile(
    r"\d+|qu[iy][\s*_]+(?:iv|i{1,3})(?![^\W_])|cuôi[\s*_]+năm|(?:nưa|ba|sau|chin)[\s*_]+(?:thang[\s*_]+)?(?:đâu|cuôi)"
)
_BEFORE_SEED = 32  # "6 tháng đầu năm 2026", "quý I và quý II năm 2026": words an atom holds before its seed
_AFTER_SEED = 24


def atoms(folded: str) -> list[Atom]:
    """Every calendar atom in folded text, in order."""
    windows: list[list[int]] = []
    for m in _SEEDS.finditer(folded):
        lo, hi = max(0, m.start() - _BEFORE_SEED), m.end() + _AFTER_SEED
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    out: list[Atom] = []
    for lo, hi in windows:
        for m in _ATOMS.finditer(folded, lo, min(hi, len(folded))):
            if out and m.start() < out[-1].end:
                continue
            a = _atom(m)
            if a is not None:
                out.append(a)
    return out


def groups(folded: str, found: list[Atom], cell: bool) -> list[Group]:
    """Join neighbouring atoms whose gap is a connector (`,` joins in prose only a bare atom of the same kind)."""
    out: list[Group] = []
    for a in found:
        if out:
            prev = out[-1]
            gap = folded[prev.end : a.start]
            c = _CONNECT.match(gap) if len(gap) <= 14 else None
            bare_same = a.kind == prev.atoms[-1].kind and not a.worded  # "năm 2026, 2027", "ngày 01/6, 15/11"
            if c and (c.group("range") or cell or gap.strip(" *_") != "," or bare_same):
                prev.atoms.append(a)
                prev.joins.append("range" if c.group("range") else "union")
                continue
        out.append(Group([a]))
    return out
