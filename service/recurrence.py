"""Recurring deadlines to concrete dates, and to iCalendar recurrence rules.

A `recurring` deadline (ANNOTATION.md section 4) carries `recurrence`
(`month`, `quarter`, `half_year`, `year`, `week`, `two_weeks`), `day` and
`month`. `occurrences()` lists its dates after an anchor date (quarterly
with day 25 is the 25th of the quarter's last month: `trước ngày 25 của
tháng kết thúc kỳ báo cáo`; a period's first month when the text says
`tháng đầu`/`kỳ sau`); `rrule()` writes the matching RRULE. Nothing here
touches the store.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from extractors.vntext import fold

PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
_ALIASES = {
    "monthly": "month", "quarterly": "quarter", "half-year": "half_year", "halfyear": "half_year",
    "six_months": "half_year", "6_months": "half_year", "yearly": "year", "annual": "year", "annually": "year",
    "weekly": "week", "biweekly": "two_weeks", "fortnight": "two_weeks", "2_weeks": "two_weeks",
}
MAX_OCCURRENCES = 60


@dataclass(frozen=True)
class Rule:
    """Every `interval` months on `day` (None: the month's last day), the first in `first_month`; or every `days` days."""

    months: int = 0
    first_month: int = 1
    day: int | None = None
    days: int = 0


def normalise_recurrence(recurrence: list[str] | str | None) -> list[str]:
    if not recurrence:
        return []
    items = [recurrence] if isinstance(recurrence, str) else list(recurrence)
    out: list[str] = []
    for r in items:
        k = _ALIASES.get(str(r).strip().lower(), str(r).strip().lower())
        if k and k not in out:
            out.append(k)
    return out


def rules(recurrence: list[str] | str | None, day: int | None = None, month: int | None = None, text: str | None = None) -> list[Rule]:
    """The rules a recurring deadline stands for; the finest period decides when several are given."""
    rec = normalise_recurrence(recurrence)
    folded = fold(text or "")
    if not rec and day:
        rec = ["quarter"] if "ky bao cao" in folded or "quy" in folded.split() else ["month"]
    if not rec:
        return []
    if "week" in rec:
        return [Rule(days=7)]
    if "two_weeks" in rec:
        return [Rule(days=14)]
    monthly = [r for r in rec if r in PERIOD_MONTHS]
    if not monthly:
        return []
    finest = min(monthly, key=lambda r: PERIOD_MONTHS[r])
    n = PERIOD_MONTHS[finest]
    if day and not (1 <= day <= 31):
        day = None
    if finest == "year":
        m = month if month and 1 <= month <= 12 else 12
        return [Rule(months=12, first_month=m, day=day)]
    starts_next = any(w in folded for w in ("thang dau", "ky sau", "quy sau", "thang sau", "nam sau"))
    first = 1 if starts_next and n > 1 else n
    return [Rule(months=n, first_month=first, day=day)]


def _on(year: int, month: int, day: int | None) -> date:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day, last) if day else last)


def _dates(rule: Rule, start: date, until: date) -> list[date]:
    out: list[date] = []
    if rule.days:
        d = start
        while d <= until and len(out) < 10 * MAX_OCCURRENCES:
            out.append(d)
            d += timedelta(days=rule.days)
        return out
    # months counted from January of the start year, aligned on first_month
    idx = start.year * 12 + (rule.first_month - 1)
    while idx > start.year * 12 + start.month - 1:
        idx -= rule.months
    while True:
        y, m0 = divmod(idx, 12)
        d = _on(y, m0 + 1, rule.day)
        if d > until:
            break
        if d >= start:
            out.append(d)
        idx += rule.months
    return out


def occurrences(
    recurrence: list[str] | str | None,
    day: int | None = None,
    month: int | None = None,
    text: str | None = None,
    *,
    after: date,
    until: date | None = None,
    limit: int = MAX_OCCURRENCES,
) -> list[date]:
    """Dates of the deadline from `after` (inclusive) to `until` (default: a year on), the last `limit` kept."""
    end = until or (after + timedelta(days=366))
    found: set[date] = set()
    for rule in rules(recurrence, day, month, text):
        found.update(_dates(rule, after, end))
    return sorted(found)[-limit:]


def rrule(recurrence: list[str] | str | None, day: int | None = None, month: int | None = None, text: str | None = None) -> str | None:
    """The iCalendar RRULE value of a recurring deadline, or None when it has no period."""
    rs = rules(recurrence, day, month, text)
    if not rs:
        return None
    r = rs[0]
    if r.days:
        return "FREQ=WEEKLY" + (";INTERVAL=2" if r.days == 14 else "")
    bymonthday = str(r.day) if r.day else "-1"
    if r.months == 12:
        return f"FREQ=YEARLY;BYMONTH={r.first_month};BYMONTHDAY={bymonthday}"
    if r.months == 1:
        return f"FREQ=MONTHLY;BYMONTHDAY={bymonthday}"
    return f"FREQ=MONTHLY;INTERVAL={r.months};BYMONTHDAY={bymonthday}"
