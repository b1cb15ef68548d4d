"""Calendar groups read through the words in front of them, and the gate that keeps prose conservative.

`dated_expressions(folded, original, year, issued, cell)` turns the groups of
`deadline_dates` into start/due pairs: `trước tháng 3/2026` is due the last
day of February, `chậm nhất ngày 10/12/2025` is due that day, `từ ...` opens a
start, `sau ngày bầu cử 15/3/2026` starts the day after, `tuần đầu tháng
01/2026` is its first seven days, `cuối năm 2026` is due 31 December. In
prose (`cell=False`) a group counts only behind such a deadline word (or a
`Thời gian:` label), and never inside quotes, after a document's number
(`Kết luận số 226-KL/TW, ngày 11/12/2025`), before `của <Body>`, after
`nhiệm kỳ`/`thời kỳ`/`tầm nhìn`/`định hướng`/`hiệu lực`, nor when the date had
passed at issue. Yearless days followed by `hằng năm` become a yearly
recurrence. Undated wording is `deadline_kinds`' job; the choice between
expressions is `deadlines`'.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from models import Deadline

from extractors.deadline_dates import Atom, Group, atoms, groups
from extractors.deadline_fold import clause_start, fold, inside, quoted_spans, rx

_PREFIX = rx(
    r"(?<![^\W_])(?:(?P<label>thời gian(?: thực hiện| hoàn thành| tổ chức)?|thời hạn(?: hoàn thành| thực hiện)?) ?: ?)?"
    r"(?:(?P<verb>phấn đấu|dự kiến|hoàn thành(?: dứt điểm| xong| cơ bản)?|xong) ?:? ?)?"
    r"(?P<prep>chậm nhất(?: là)?(?: vào)?(?: trước)?|muộn nhất(?: là)?|hạn chót(?: là)?|không muộn hơn|trước"
    r"|trong(?: vòng| cả| suốt)?|vào(?: khoảng)?|cả|cuối|đầu|giữa"
    r"|tuần (?:đầu|cuối|thứ (?:nhất|hai|ba|tư|[1-5]))(?: của)?"
    r"|kể từ|bắt đầu từ|từ nay đến(?: hết)?|từ|đến(?: hết)?|tới|cho đến(?: hết)?|sau(?: ngày(?: [^\W\d_]+){0,3})?)?"
    r"(?: \d{1,2} ?(?:giờ|h)(?: ?\d{2})?(?: phút)?,?)?"  # "trước 16 giờ ngày 20/12/2025"
    r"(?: ?(?P<span>giai đoạn|những năm|các năm|những|các))? ?$"
)
_WS = re.compile(r"[\s*_]+")
_NEG_BEFORE = rx(
    r"(?<![^\W_])(?:nhiệm kỳ|khóa|khoá|thời kỳ|tầm nhìn|định hướng|niên khóa|niên độ|kỷ niệm|hiệu lực(?: thi hành)?"
    r"|ngày thành lập) ?(?:kể )?$"
)
_CODE_BEFORE = re.compile(r"\d[\w.]*(?:[/-][^\W_][\w.]*)+,?[\s*_]*(?:ngay[\s*_]*)?$")
_CITED_AFTER = re.compile(r",?[\s*_]*của[\s*_]+(\w)")  # "ngày 11/12/2025 của Ban Bí thư": a capital follows
_BACKWARD_AFTER = rx(r" trở về (?:trước|sau)")
_YEARLY_AFTER = rx(r" (?:hằng|hàng|mỗi) năm(?![^\W_])")


@dataclass
class Dated:
    """One dated (or yearly) expression, its span in the folded text with the words in front of it."""

    start: int  # folded offsets, prefix included
    end: int
    deadline: Deadline
    yearless_days: bool  # only days without a year: may be a yearly date in a recurring sentence
    day_month: tuple[int, int] | None
    binding: bool  # behind "chậm nhất", "hạn chót": the latest allowed date, not a planned one


def norm(s: str | None) -> str:
    """Runs of white space and Markdown emphasis as one space, trimmed."""
    return _WS.sub(" ", s).strip() if s else ""


def _f(*words: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in words)


_DUE_LAST = _f("chậm nhất", "muộn nhất", "hạn chót", "không muộn hơn", "đến", "tới", "cho đến", "từ nay đến", "cuối")
_FROM = _f("từ", "kể từ", "bắt đầu từ")
_STRONG_PREPS = _f("trước", "chậm nhất", "muộn nhất", "hạn chót", "không muộn hơn", "đến", "từ nay đến", "cho đến")
_WITHIN = _f("trong", "vào")
_BINDING = _f("chậm nhất", "muộn nhất", "hạn chót", "không muộn hơn")
_TO_PREPS = _f("đến", "tới", "cho đến", "đến hết", "cho đến hết")
_BEFORE, _WEEK, _EARLY, _MID, _LATE, _AFTER, _WHOLE = _f("trước", "tuần", "đầu", "giữa", "cuối", "sau", "cả")
_WEEK_NO = dict(zip(_f("nhất", "hai", "ba", "tư", "1", "2", "3", "4", "5"), (1, 2, 3, 4, 1, 2, 3, 4, 5)))


def _part_of_month(group: Group, prep: str, first: dt.date) -> tuple[dt.date, dt.date] | None:
    """`đầu`/`giữa tháng` (days 1-10, 11-20) and `tuần đầu/cuối/thứ n tháng` of a single month."""
    head = group.atoms[0]
    if len(group.atoms) != 1 or head.kind != "month" or len(head.months) != 1:
        return None
    mdays = calendar.monthrange(first.year, first.month)[1]
    if prep in (_EARLY, _MID):
        lo = 1 if prep == _EARLY else 11
        return (first.replace(day=lo), first.replace(day=lo + 9))
    words = prep.split()
    if len(words) > 1 and words[1] == _LATE:
        return (first.replace(day=mdays - 6), first.replace(day=mdays))
    n = 1 if len(words) < 3 or words[1] == _EARLY else _WEEK_NO.get(words[2], 0)
    lo = 7 * (n - 1) + 1
    if n < 1 or lo > mdays:
        return None
    return (first.replace(day=lo), first.replace(day=min(lo + 6, mdays)))


def _compute(
    group: Group, prep: str, year: int | None, issued: dt.date | None
) -> tuple[dt.date | None, dt.date | None] | None:
    """Start and due of a group, read through the word in front of it."""
    b = group.bounds(year, issued)
    if b is None:
        return None
    first, last = b[0], b[1]
    if prep.startswith(_WEEK) or prep in (_EARLY, _MID):
        return _part_of_month(group, prep, first)
    if prep == _BEFORE:
        if group.atoms[-1].kind == "day":
            return (None, last)
        return (None, first - dt.timedelta(days=1))
    if prep.startswith(_DUE_LAST):
        return (None, last)
    if prep in _FROM:
        return (first, last if group.is_range else None)
    if prep.startswith(_AFTER):
        return (last + dt.timedelta(days=1), None)
    if all(a.kind == "day" for a in group.atoms) and not group.is_range:
        return (None, last)
    return (first, last)


# The words a run of deadline words can open with; `_prefix` tries `_PREFIX` only where one of them starts.
_FIRST_WORDS = rx(
    r"thời|phấn|dự|hoàn|xong|chậm|muộn|hạn|không|trước|trong|vào|cả|cuối|đầu|giữa|tuần|kể|bắt|từ|đến|tới|cho|sau"
    r"|giai|những|các"
)


def _prefix(folded: str, end: int) -> re.Match[str] | None:
    """The longest run of deadline words (`hoàn thành trước`) that ends where an atom starts."""
    for w in _FIRST_WORDS.finditer(folded, max(0, end - 70), end):
        i = w.start()
        if i and folded[i - 1].isalnum():
            continue
        m = _PREFIX.match(folded, i, end)
        if m and m.group(0).strip(" *_:"):
            return m
    return None


def dated_expressions(
    folded: str, original: str, year: int | None, issued: dt.date | None, cell: bool, heading: bool = False
) -> list[Dated]:
    """Dated expressions of a folded text (`original`: the same text unfolded, for quotes and capitals).

    `year` fills a missing year (moved on by one when that falls before `issued`). In prose a
    `heading` may also state its time frame bare (`NHIỆM VỤ TRỌNG TÂM NĂM 2024`).
    """
    out: list[Dated] = []
    found = atoms(folded)
    if not found:
        return out
    quotes = [] if cell else quoted_spans(original)
    for g in groups(folded, found, cell):
        m = _prefix(folded, g.start)
        label = norm(m.group("label")) if m else ""
        verb = norm(m.group("verb")) if m else ""
        prep = norm(m.group("prep")) if m else ""
        span_word = norm(m.group("span")) if m else ""
        pstart = g.start
        if m and (verb or prep or span_word):
            pstart = m.end("label") if label else m.start()
            while pstart < g.start and not folded[pstart].isalnum():
                pstart += 1
        if label and not verb:
            verb = label  # a field label is a trigger, not part of the words
        if not cell and not _prose_ok(folded, original, g, verb, prep, span_word, pstart, quotes, heading):
            continue
        if prep == _WHOLE and g.atoms[0].kind not in ("year", "years"):
            prep = ""
        dates = _compute(g, prep, year, issued)
        if dates is None:
            continue
        start, due = dates
        if not cell and _past(start, due, g, year, issued):
            continue
        end = g.end
        yearless_days = not g.has_year and all(a.kind == "day" for a in g.atoms)
        dm = (g.atoms[0].day or 0, g.atoms[0].months[0]) if yearless_days and len(g.atoms) == 1 else None
        y = _YEARLY_AFTER.match(folded, end)
        if yearless_days and y:
            end = y.end()
            dl = Deadline(
                kind="recurring", recurrence=["year"], day=dm[0] if dm else None, month=dm[1] if dm else None
            )
        else:
            dl = Deadline(
                kind="dated", start=start.isoformat() if start else None, due=due.isoformat() if due else None
            )
        out.append(Dated(pstart, end, dl, yearless_days, dm, prep.startswith(_BINDING)))
    return out


def _prose_ok(
    folded: str,
    original: str,
    g: Group,
    verb: str,
    prep: str,
    span_word: str,
    pstart: int,
    quotes: list[tuple[int, int]],
    heading: bool,
) -> bool:
    head: Atom = g.atoms[0]
    if not (verb or prep or span_word or (heading and head.worded)):
        return False
    if quotes and inside(quotes, g.start, g.end):
        return False
    before = folded[max(0, pstart - 40) : pstart]
    if _NEG_BEFORE.search(before) or _CODE_BEFORE.search(folded, max(0, g.start - 40), g.start):
        return False
    if _BACKWARD_AFTER.match(folded, g.end):
        return False
    cited = _CITED_AFTER.match(original, g.end) if head.kind == "day" else None
    if cited and cited.group(1).isupper():
        return False
    if span_word and not prep and not verb and not clause_start(folded, pstart):
        return False
    if head.kind == "day" and head.year is None and not head.worded and not prep.startswith(_STRONG_PREPS):
        return False
    if not head.worded and head.kind in ("year", "month") and not g.is_range:
        # a bare 2027 or 6/2025 in prose: only behind a deadline word, never "Từ 2027"
        if not (prep.startswith(_STRONG_PREPS) or prep.startswith(_WITHIN) or verb):
            return False
    if prep in _TO_PREPS and head.kind in ("year", "years"):
        if not verb and not clause_start(folded, pstart):
            return False
    if prep == _LATE and head.year is None and head.kind == "year" and not clause_start(folded, pstart):
        return False
    return True


def _past(start: dt.date | None, due: dt.date | None, g: Group, ref_year: int | None, issued: dt.date | None) -> bool:
    """A written date that had passed when the document was issued is not its deadline."""
    if not g.has_year:
        return False
    if due is not None:
        if issued is not None:
            return due < issued
        return ref_year is not None and due.year < ref_year - 1
    if start is not None and ref_year is not None:
        return start.year < ref_year - 1
    return False
