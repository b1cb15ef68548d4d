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
`find_deadlines(..., heading=True)` also takes a heading's bare time frame
(`NHIỆM VỤ TRỌNG TÂM NĂM 2024`). `merge_deadlines` joins several dated rounds
of one task (first start, last end); `pick_deadline` chooses one deadline from
what `find_deadlines` found in one task's words.

Missing years come from `DeadlineContext.year` (the programme's year), else
the issue date's year, and move one year on when the date would fall before
the issue date. This module does not decide which task a deadline belongs to,
nor inherit deadlines from headings; the task builder does. The work is split:
`deadline_fold` (tone-free matching copy), `deadline_dates` (calendar atoms),
`deadline_dated` (their trigger words and the prose gate), `deadline_kinds`
(undated wording).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache
import unicodedata
from dataclasses import dataclass

from models import Deadline

from extractors.deadline_dated import dated_expressions, norm
from extractors.deadline_dates import atoms
from extractors.deadline_fold import fold, inside, prepare, rx
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


_PARENS = re.compile(r"\([^()]*\)")
_LABEL = rx(
    r"^(?:thời gian(?: thực hiện| hoàn thành| tổ chức)?|thời hạn(?: hoàn thành| thực hiện)?"
    r"|tiến độ(?: thực hiện| hoàn thành)?) ?: ?"
)
_LEAD_JUNK = re.compile(r"^[\s*_\-+•·–:]+|[\s*_.;,]+$")
_ISSUANCE = rx(r"(?<![^\W_])(?:ban hành|ký|kí)(?![^\W_])")
_NOT_ISSUANCE = rx(r"(?<![^\W_])(?:nhận|chuyển|kết nạp|giới thiệu)(?![^\W_])")

_RANK = {"dated": 6, "relative": 5, "recurring": 4, "ongoing": 3, "per_plan": 2, "none": 0}


# --------------------------------------------------------------------------- relative


def _relative_deadline(h: Hit, ctx: DeadlineContext, folded: str) -> Deadline:
    """Offset from the issue date (`kể từ ngày ký`, `ban hành`, or no starting point written), from a written
    date, or from an event (no due). Working days and step durations get no due date."""
    due: dt.date | None = None
    anchor = h.anchor or ""
    from_issue = bool(ctx.issued) and (
        (h.anchor is not None and _ISSUANCE.search(anchor) is not None and not _NOT_ISSUANCE.search(anchor))
        or (h.anchor is None and not h.duration and not _after_event(folded, h.start))
    )
    if h.offset_days is not None and not h.working_days and not h.duration:
        anchor_atoms = [a for a in atoms(anchor) if a.kind == "day" and a.year is not None]
        if anchor_atoms:
            b = anchor_atoms[0].bounds(anchor_atoms[0].year or 0)
            if b:
                due = b[0] + dt.timedelta(days=h.offset_days)
        elif from_issue and ctx.issued:
            due = ctx.issued + dt.timedelta(days=h.offset_days)
    elif h.months is not None and from_issue and ctx.issued:
        due = _add_months(ctx.issued, h.months)
    return Deadline(
        kind="relative",
        due=due.isoformat() if due else None,
        offset_days=h.offset_days,
        working_days=h.working_days,
    )


_EVENT_BEFORE = rx(r"(?<![^\W_])(?:khi|sau khi|kể từ khi)(?![^\W_])")
_SENTENCE_END = re.compile(r"[.;\n]")


def _after_event(folded: str, pos: int) -> bool:
    """`Khi nhận được ..., trong thời hạn 15 ngày ...`: the offset counts from that event, not from issue."""
    start = max((m.end() for m in _SENTENCE_END.finditer(folded, max(0, pos - 300), pos)), default=0)
    return _EVENT_BEFORE.search(folded, start, pos) is not None


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
        return _relative_deadline(h, ctx, folded)
    if h.kind == "recurring":
        return Deadline(kind="recurring", recurrence=list(h.recurrence), day=h.day, month=h.month)
    return Deadline(kind=h.kind)


def _candidates(
    folded: str, original: str, ctx: DeadlineContext, cell: bool, heading: bool = False
) -> list[_Cand]:
    cands: list[_Cand] = []
    for d in dated_expressions(folded, original, ctx.default_year, ctx.issued, cell, heading):
        yearless = d.yearless_days and d.deadline.kind == "dated"
        cands.append(_Cand(d.start, d.end, d.deadline, yearless, day_month=d.day_month, binding=d.binding))
    hits = ongoing(folded, cell) + per_plan(folded, cell) + recurring(folded, cell, original) + relative(folded, cell)
    for h in hits:
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


def _with_text(d: Deadline, text: str | None) -> Deadline:
    return d.model_copy(update={"text": text})


def _text(original: str, back: list[int] | None, start: int, end: int) -> tuple[str, tuple[int, int]]:
    if back is not None:
        start, end = back[start], back[end]
    return norm(original[start:end].replace("*", " ")), (start, end)


# --------------------------------------------------------------------------- public


def find_deadlines(
    text: str, ctx: DeadlineContext, *, heading: bool = False
) -> list[tuple[Deadline, tuple[int, int]]]:
    """Time expressions in running prose, with their spans in `text`, in order.

    `heading=True` is for a section heading whose time frame its tasks inherit: there a
    bare `năm 2024`, `tháng 3/2026` or `Quý I/2026` counts without a deadline word. Never pass
    the document's title (its year is not a deadline).
    """
    folded, back = prepare(text)
    source = text if back is None else _nfc(text)
    kept = _resolve(_candidates(folded, source, ctx, cell=False, heading=heading))
    _finish(kept, folded)
    out: list[tuple[Deadline, tuple[int, int]]] = []
    for c in kept:
        written, span = _text(text, back, c.start, c.end)
        dl = _with_text(c.deadline, written)
        out.append((dl, span))
    return out


def parse_deadline(text: str, ctx: DeadlineContext) -> Deadline:
    """The deadline a time field's value (or a task table's time cell) states (cached per value and context)."""
    return _parse_deadline_cached(text, ctx.issued, ctx.year).model_copy(deep=True)


@lru_cache(maxsize=8192)
def _parse_deadline_cached(text: str, issued: dt.date | None, year: int | None) -> Deadline:
    return _parse_deadline(text, DeadlineContext(issued=issued, year=year))


def _parse_deadline(text: str, ctx: DeadlineContext) -> Deadline:
    value = _LEAD_JUNK.sub("", norm(unicodedata.normalize("NFC", text).replace("*", " ")))
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
