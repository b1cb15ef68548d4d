"""Recurring deadlines (ANNOTATION.md section 4) to concrete dates and iCalendar rules."""
from __future__ import annotations

from datetime import date

from service.recurrence import occurrences, rrule


def test_quarterly_report_before_the_25th_of_the_quarters_last_month() -> None:
    text = "trước ngày 25 của tháng kết thúc kỳ báo cáo"
    got = occurrences(["quarter"], 25, None, text, after=date(2026, 1, 10), until=date(2027, 1, 1))
    assert got == [date(2026, 3, 25), date(2026, 6, 25), date(2026, 9, 25), date(2026, 12, 25)]
    # several periods at once: the finest one decides
    assert occurrences(["year", "half_year", "quarter"], 25, None, text, after=date(2026, 1, 10), until=date(2027, 1, 1)) == got
    assert rrule(["quarter"], 25, None, text) == "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=25"


def test_yearly_day_and_month() -> None:
    # `trước ngày 15/11 hằng năm`
    got = occurrences(["year"], 15, 11, "trước ngày 15/11 hằng năm", after=date(2026, 11, 16), until=date(2029, 1, 1))
    assert got == [date(2027, 11, 15), date(2028, 11, 15)]
    assert rrule("year", 15, 11) == "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=15"


def test_periods_without_a_day_end_on_the_last_day() -> None:
    assert occurrences(["month"], None, None, "hằng tháng", after=date(2026, 1, 15), until=date(2026, 4, 30)) == [
        date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)
    ]
    assert occurrences(["half_year"], None, None, "định kỳ 6 tháng", after=date(2026, 7, 1), until=date(2027, 7, 1)) == [
        date(2026, 12, 31), date(2027, 6, 30)
    ]
    assert rrule(["month"]) == "FREQ=MONTHLY;BYMONTHDAY=-1"


def test_next_period_and_weeks() -> None:
    got = occurrences(["quarter"], 10, None, "trước ngày 10 tháng đầu quý sau", after=date(2026, 2, 1), until=date(2026, 12, 31))
    assert got == [date(2026, 4, 10), date(2026, 7, 10), date(2026, 10, 10)]
    assert occurrences("two_weeks", None, None, "Định kỳ 02 tuần một lần", after=date(2026, 7, 3), until=date(2026, 8, 1)) == [
        date(2026, 7, 3), date(2026, 7, 17), date(2026, 7, 31)
    ]
    assert rrule("two_weeks") == "FREQ=WEEKLY;INTERVAL=2"


def test_no_period_no_dates() -> None:
    assert occurrences([], None, None, "Định kỳ", after=date(2026, 1, 1)) == []
    assert rrule([], None, None, "Định kỳ") is None
