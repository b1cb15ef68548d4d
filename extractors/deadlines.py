"""Deadlines: a time field's value or a task sentence -> `models.Deadline` (ANNOTATION.md section 4).

`parse_deadline` reads the value of a labelled time field or a task table's
time cell, where the whole text is a time expression (`Quý I/2026`,
`Thường xuyên`, `100 ngày kể từ ngày ban hành Kế hoạch`). `find_deadlines`
finds the time expressions inside running prose (`... hoàn thành trước tháng
3/2026`) with their spans; it is conservative: a calendar expression counts
only behind a deadline word (`trước`, `chậm nhất`, `trong`, `từ ... đến`,
`hoàn thành`, `dự kiến`, ...), never inside quotes, never as the date of a
cited document, a term of office (`nhiệm kỳ 2025 - 2030`), a programme's
horizon (`tầm nhìn đến năm 2050`) or a date already past at issue.
`merge_deadlines` joins several dated rounds of one task (first start, last
end); `pick_deadline` chooses one deadline from what `find_deadlines` found.

Missing years come from `DeadlineContext.year` (the programme's year), else
the issue date's year, and move one year on when the date would fall before
the issue date. This module does not decide which task a deadline belongs to,
nor inherit deadlines from headings; the task builder does.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from models import Deadline

from extractors.deadline_dates import Atom, Group, atoms, groups
from extractors.deadline_fold import clause_start, fold, inside, prepare, quoted_spans, rx
from extractors.deadline_kinds import (
    Hit,
    infer_recurrence,
    no_time,
    ongoing,
    per_plan,
    recurring,
    relative,
)


@dataclass
class DeadlineContext:
    """What a deadline needs to know about its document."""

    issued: dt.date | None = None  # the document's issue date
    year: int | None = None  # the year of its programme (title), else the issue date's year

    @property
    def default_year(self) -> int | None:
        if self.year is not None:
            return self.year
        return self.issued.year if self.issued else None


_PREFIX = rx(
    r"(?<![^\W_])(?:(?P<label>thời gian(?: thực hiện| hoàn thành| tổ chức)?|thời hạn(?: hoàn thành| thực hiện)?) ?: ?)?"
    r"(?:(?P<verb>phấn đấu|dự kiến|hoàn thành(?: dứt điểm| xong| cơ bản)?|xong) ?:? ?)?"
    r"(?P<prep>chậm nhất(?: là)?(?: vào)?(?: trước)?|muộn nhất(?: là)?|hạn chót(?: là)?|không muộn hơn|trước"
    r"|trong(?: vòng| cả| suốt)?|vào(?: khoảng)?|cả|cuối|đầu|giữa|tuần (?:đầu|cuối|thứ (?:nhất|hai|ba|tư|[1-5]))(?: của)?"
    r"|kể từ|bắt đầu từ|từ nay đến(?: hết)?|từ|đến(?: hết)?|tới|cho đến(?: hết)?|sau(?: ngày(?: [^\W\d_]+){0,3})?)?"
    r"(?: ?(?P<span>giai đoạn|những năm|các năm))? ?$"
)
_WS = re.compile(r"[\s*_]+")
_NEG_BEFORE = rx(
    r"(?<![^\W_])(?:nhiệm kỳ|khóa|khoá|thời kỳ|tầm nhìn|định hướng|niên khóa|niên độ|kỷ niệm|hiệu lực(?: thi hành)?"
    r"|ngày thành lập) ?(?:kể )?$"
)
_CODE_BEFORE = re.compile(r"\d[\w.]*(?:[/-][^\W_][\w.]*)+,?[\s*_]*(?:ngay[\s*_]*)?$")
_CITED_AFTER = re.compile(r",?[\s*_]*của[\s*_]+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ]")
_BACKWARD_AFTER = rx(r" trở về (?:trước|sau)")
_YEARLY_AFTER = rx(r" (?:hằng|hàng|mỗi) năm(?![^\W_])")
_PARENS = re.compile(r"\([^()]*\)")
_LABEL = rx(
    r"^(?:thời gian(?: thực hiện| hoàn thành| tổ chức)?|thời hạn(?: hoàn thành| thực hiện)?|tiến độ(?: thực hiện| hoàn thành)?)"
    r" ?: ?"
)
_LEAD_JUNK = re.compile(r"^[\s*_\-+•·–:]+|[\s*_.;,]+$")
_ISSUANCE = rx(r"(?<![^\W_])(?:ban hành|ký|kí)(?![^\W_])")
_NOT_ISSUANCE = rx(r"(?<![^\W_])(?:nhận|chuyển|kết nạp|giới thiệu)(?![^\W_])")

_RANK = {"dated": 6, "relative": 5, "recurring": 4, "ongoing": 3, "per_plan": 2, "none": 0}


# --------------------------------------------------------------------------- dated


@dataclass
class _Dated:
    start: int  # folded offsets, prefix included
    end: int
    deadline: Deadline
    yearless_days: bool  # only days without a year: may be a yearly date in a recurring sentence
    day_month: tuple[int, int] | None
    binding: bool  # behind "chậm nhất", "hạn chót": the latest allowed date, not a planned one


def _norm(s: str | None) -> str:
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


def _compute(group: Group, prep: str, ctx: DeadlineContext) -> tuple[dt.date | None, dt.date | None] | None:
    """Start and due of a group, read through the word in front of it."""
    b = group.bounds(ctx.default_year, ctx.issued)
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


_WORD_START = re.compile(r"(?<![^\W_])[^\W_]")


def _prefix(folded: str, end: int) -> re.Match[str] | None:
    """The longest run of deadline words (`hoàn thành trước`) that ends where an atom starts."""
    lo = max(0, end - 70)
    for w in _WORD_START.finditer(folded, lo, end):
        m = _PREFIX.match(folded, w.start(), end)
        if m and m.end() == end and m.group(0).strip(" *_:"):
            return m
    return None


def _dated(folded: str, original: str, ctx: DeadlineContext, cell: bool) -> list[_Dated]:
    out: list[_Dated] = []
    found = atoms(folded)
    if not found:
        return out
    quotes = [] if cell else quoted_spans(original)
    for g in groups(folded, found, cell):
        m = _prefix(folded, g.start)
        label = _norm(m.group("label")) if m else ""
        verb = _norm(m.group("verb")) if m else ""
        prep = _norm(m.group("prep")) if m else ""
        span_word = _norm(m.group("span")) if m else ""
        pstart = g.start
        if m and (verb or prep or span_word):
            pstart = m.end("label") if label else m.start()
            while pstart < g.start and not folded[pstart].isalnum():
                pstart += 1
        if label and not verb:
            verb = label  # a field label is a trigger, not part of the words
        if not cell and not _prose_ok(folded, original, g, verb, prep, span_word, pstart, quotes):
            continue
        if prep == _WHOLE and g.atoms[0].kind not in ("year", "years"):
            prep = ""
        dates = _compute(g, prep, ctx)
        if dates is None:
            continue
        start, due = dates
        if not cell and _past(start, due, g, ctx):
            continue
        end = g.end
        yearless_days = not g.has_year and all(a.kind == "day" for a in g.atoms)
        dm = (g.atoms[0].day or 0, g.atoms[0].months[0]) if yearless_days and len(g.atoms) == 1 else None
        y = _YEARLY_AFTER.match(folded, end)
        if yearless_days and y:
            end = y.end()
            dl = Deadline(kind="recurring", recurrence=["year"], day=dm[0] if dm else None, month=dm[1] if dm else None)
        else:
            dl = Deadline(kind="dated", start=start.isoformat() if start else None, due=due.isoformat() if due else None)
        out.append(_Dated(pstart, end, dl, yearless_days, dm, prep.startswith(_BINDING)))
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
) -> bool:
    head: Atom = g.atoms[0]
    if not (verb or prep or span_word):
        return False
    if quotes and inside(quotes, g.start, g.end):
        return False
    before = folded[max(0, pstart - 40) : pstart]
    if _NEG_BEFORE.search(before) or _CODE_BEFORE.search(folded, max(0, g.start - 40), g.start):
        return False
    if _BACKWARD_AFTER.match(folded, g.end):
        return False
    if head.kind == "day" and _CITED_AFTER.match(original, g.end):
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


def _past(start: dt.date | None, due: dt.date | None, g: Group, ctx: DeadlineContext) -> bool:
    """A written date that had passed when the document was issued is not its deadline."""
    if not g.has_year:
        return False
    ref_year = ctx.default_year
    if due is not None:
        if ctx.issued is not None:
            return due < ctx.issued
        return ref_year is not None and due.year < ref_year - 1
    if start is not None and ref_year is not None:
        return start.year < ref_year - 1
    return False


# --------------------------------------------------------------------------- relative


def _relative_deadline(h: Hit, ctx: DeadlineContext, folded_anchor: str) -> Deadline:
    due: dt.date | None = None
    if h.offset_days is not None and not h.working_days and h.anchor:
        anchor_atoms = [a for a in atoms(folded_anchor) if a.kind == "day" and a.year is not None]
        if anchor_atoms:
            a = anchor_atoms[0]
            b = a.bounds(a.year or 0)
            if b:
                due = b[0] + dt.timedelta(days=h.offset_days)
        elif ctx.issued and _ISSUANCE.search(folded_anchor) and not _NOT_ISSUANCE.search(folded_anchor):
            due = ctx.issued + dt.timedelta(days=h.offset_days)
    elif h.months is not None and h.anchor and ctx.issued:
        if _ISSUANCE.search(folded_anchor) and not _NOT_ISSUANCE.search(folded_anchor):
            due = _add_months(ctx.issued, h.months)
    return Deadline(
        kind="relative",
        due=due.isoformat() if due else None,
        offset_days=h.offset_days,
        working_days=h.working_days,
    )


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


# --------------------------------------------------------------------------- collecting


@dataclass
class _Cand:
    start: int
    end: int
    deadline: Deadline
    yearless_days: bool = False
    infer: bool = False
    day_month: tuple[int, int] | None = None
    binding: bool = False


def _hit_deadline(h: Hit, ctx: DeadlineContext, folded: str) -> Deadline:
    if h.kind == "relative":
        return _relative_deadline(h, ctx, h.anchor or "")
    if h.kind == "recurring":
        return Deadline(kind="recurring", recurrence=list(h.recurrence), day=h.day, month=h.month)
    return Deadline(kind=h.kind)  # type: ignore[arg-type]


def _candidates(folded: str, original: str, ctx: DeadlineContext, cell: bool) -> list[_Cand]:
    cands: list[_Cand] = []
    for d in _dated(folded, original, ctx, cell):
        yearless = d.yearless_days and d.deadline.kind == "dated"
        cands.append(_Cand(d.start, d.end, d.deadline, yearless, day_month=d.day_month, binding=d.binding))
    for h in ongoing(folded, cell) + per_plan(folded, cell) + recurring(folded, cell, original) + relative(folded, cell):
        cands.append(_Cand(h.start, h.end, _hit_deadline(h, ctx, folded), infer=h.infer_recurrence))
    return cands


def _resolve(cands: list[_Cand]) -> list[_Cand]:
    """Drop candidates that overlap a longer (or, equal in length, higher-ranked) one."""
    order = sorted(cands, key=lambda c: (-(c.end - c.start), -_RANK[c.deadline.kind], c.start))
    kept: list[_Cand] = []
    for c in order:
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _recurrence_context(kept: list[_Cand], folded: str) -> list[str]:
    rec: list[str] = []
    for c in kept:
        if c.deadline.kind == "recurring":
            for r in c.deadline.recurrence:
                if r not in rec:
                    rec.append(r)
    return rec or infer_recurrence(folded)


def _finish(kept: list[_Cand], folded: str) -> None:
    """Fill in recurrences read from the whole sentence; yearless days in a recurring sentence recur."""
    has_recurring = any(c.deadline.kind == "recurring" for c in kept)
    rec = _recurrence_context(kept, folded) if has_recurring or any(c.infer for c in kept) else []
    for c in kept:
        if c.infer and not c.deadline.recurrence:
            c.deadline.recurrence = list(rec)
        if c.yearless_days and has_recurring:
            dm = c.day_month
            c.deadline = Deadline(
                kind="recurring", recurrence=list(rec), day=dm[0] if dm else None, month=dm[1] if dm else None
            )


def _text(original: str, back: list[int] | None, start: int, end: int) -> tuple[str, tuple[int, int]]:
    if back is not None:
        start, end = back[start], back[end]
    return _norm(original[start:end].replace("*", " ")), (start, end)


# --------------------------------------------------------------------------- public


def find_deadlines(text: str, ctx: DeadlineContext) -> list[tuple[Deadline, tuple[int, int]]]:
    """Time expressions in running prose, with their spans in `text`, in order."""
    folded, back = prepare(text)
    source = text if back is None else _nfc(text)
    kept = _resolve(_candidates(folded, source, ctx, cell=False))
    _finish(kept, folded)
    out: list[tuple[Deadline, tuple[int, int]]] = []
    for c in kept:
        written, span = _text(text, back, c.start, c.end)
        dl = c.deadline.model_copy(update={"text": written})
        out.append((dl, span))
    return out


def parse_deadline(text: str, ctx: DeadlineContext) -> Deadline:
    """The deadline a time field's value (or a task table's time cell) states."""
    value = _LEAD_JUNK.sub("", _norm(unicodedata.normalize("NFC", text).replace("*", " ")))
    folded = fold(value)
    label = _LABEL.match(folded)
    if label:
        value, folded = value[label.end() :], folded[label.end() :]
    if not folded:
        return Deadline(text=value or None, kind="none")
    kept = _resolve(_candidates(folded, value, ctx, cell=True))
    _finish(kept, folded)
    return _choose_cell(kept, folded, value)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _paren_spans(folded: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PARENS.finditer(folded)]


def _choose_cell(kept: list[_Cand], folded: str, written: str | None) -> Deadline:
    parens = _paren_spans(folded)
    outside = [c for c in kept if not inside(parens, c.start, c.end)]
    if outside:  # a parenthesis explains; it decides only when nothing else does, or when it sets the limit
        kept = outside + [c for c in kept if c.binding and c not in outside]
    by_kind: dict[str, list[_Cand]] = {}
    for c in kept:
        by_kind.setdefault(c.deadline.kind, []).append(c)
    ongoing_c = by_kind.get("ongoing", [])
    if any(c.start == 0 for c in ongoing_c):
        return Deadline(text=written, kind="ongoing")
    if "recurring" in by_kind:
        best = max(by_kind["recurring"], key=lambda c: (c.deadline.day is not None, len(c.deadline.recurrence)))
        return best.deadline.model_copy(update={"text": written})
    with_offset = [c for c in by_kind.get("relative", []) if c.deadline.offset_days is not None]
    if with_offset:
        return with_offset[0].deadline.model_copy(update={"text": written})
    if "dated" in by_kind:
        merged = merge_deadlines([c.deadline for c in by_kind["dated"]])
        return merged.model_copy(update={"text": written})
    if ongoing_c:
        return Deadline(text=written, kind="ongoing")
    if "relative" in by_kind:
        return by_kind["relative"][0].deadline.model_copy(update={"text": written})
    if no_time(folded):
        return Deadline(text=written, kind="none")
    if "per_plan" in by_kind:
        return Deadline(text=written, kind="per_plan")
    return Deadline(text=written, kind="none")


def merge_deadlines(parts: list[Deadline]) -> Deadline:
    """Several rounds of one task -> one deadline: the first start and the last end.

    Dated parts win over undated ones; among undated parts the most specific
    kind wins (relative, recurring, ongoing, per-plan). Texts are joined with `; `.
    """
    parts = [p for p in parts if p is not None]
    if not parts:
        return Deadline()
    texts = [p.text for p in parts if p.text]
    text = "; ".join(dict.fromkeys(texts)) or None
    dated = [p for p in parts if p.kind == "dated" and (p.start or p.due)]
    if not dated:
        best = max(parts, key=lambda p: _RANK[p.kind])
        if best.kind == "recurring":
            recs: list[str] = []
            for p in parts:
                if p.kind == "recurring":
                    recs += [r for r in p.recurrence if r not in recs]
            return best.model_copy(update={"text": text, "recurrence": recs})
        return best.model_copy(update={"text": text})
    dated.sort(key=lambda p: p.start or p.due or "")
    first = dated[0]
    start = first.start
    if any(p.due is None for p in dated):
        due = None
    else:
        due = max(p.due for p in dated if p.due)
    return Deadline(text=text, kind="dated", start=start, due=due)


def pick_deadline(found: list[tuple[Deadline, tuple[int, int]]]) -> Deadline:
    """One deadline for a sentence from what `find_deadlines` returned (none when empty)."""
    items = [d for d, _ in found]
    if not items:
        return Deadline()
    if any(d.kind == "dated" for d in items):
        return merge_deadlines([d for d in items if d.kind == "dated"])
    rel = [d for d in items if d.kind == "relative" and d.offset_days is not None]
    if rel:
        return rel[0]
    rec = [d for d in items if d.kind == "recurring"]
    if rec:
        best = max(rec, key=lambda d: (d.day is not None, len(d.recurrence)))
        return best
    return max(items, key=lambda d: _RANK[d.kind])
