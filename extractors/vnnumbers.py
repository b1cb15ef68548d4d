"""Numbers and dates as Vietnamese documents write them, for targets and references.

`parse_number("5.000")` is 5000, `parse_number("4,2")` is 4.2 (dot groups
thousands, comma is the decimal mark; `2.3` with no group of three is read as
a decimal, `6.2.4` is a version, not a number). `scale_word` gives the
multiplier of `triệu`, `tỷ`, `nghìn`. `DATE_RE` finds a calendar date written
`22/12/2024`, `22-12-2024` or `22 tháng 12 năm 2024` (white space and line
breaks allowed anywhere inside) and `iso_date` turns its match into
`2024-12-22`.

It does not decide what a number means (target, date, item number): that is
`extractors.targets`' and `extractors.references`' job.
"""
from __future__ import annotations

import datetime as dt
import re

_NUMBER_SHAPE = re.compile(r"^\d+(?:[.,]\d+)*$")

#: multipliers written as words after a number (`4,2 triệu`, `50 nghìn`)
SCALE_WORDS: dict[str, float] = {
    "trăm": 1e2,
    "nghìn": 1e3,
    "ngàn": 1e3,
    "triệu": 1e6,
    "tỷ": 1e9,
    "tỉ": 1e9,
}


def parse_number(s: str) -> float | None:
    """The value of a written number, or None for a shape that is not one (`6.2.4`)."""
    s = s.strip()
    if not _NUMBER_SHAPE.match(s):
        return None
    if "." in s and "," in s:
        head, _, dec = s.rpartition(",")
        if "," in head or not _thousands(head, "."):
            return None
        return float(head.replace(".", "") + "." + dec)
    if "." in s:
        if _thousands(s, "."):
            return float(s.replace(".", ""))
        if s.count(".") == 1:
            return float(s)  # `2.3`, `24.04`: an English decimal point
        return None
    if "," in s:
        if s.count(",") == 1:
            return float(s.replace(",", "."))
        if _thousands(s, ","):
            return float(s.replace(",", ""))
        return None
    return float(s)


def _thousands(s: str, sep: str) -> bool:
    parts = s.split(sep)
    return 1 <= len(parts[0]) <= 3 and len(parts) > 1 and all(len(p) == 3 for p in parts[1:])


def scale_word(word: str) -> float:
    """Multiplier of a scale word (`triệu` -> 1e6), 1 for anything else."""
    return SCALE_WORDS.get(word.lower(), 1.0)


def clean_value(v: float) -> float:
    """Round away float noise (`4.2 * 1e6`)."""
    r = round(v, 6)
    return float(int(r)) if r == int(r) else r


_SP = r"[\s*_]*"  # white space, line breaks and Markdown emphasis inside a date
#: a date: day/month/year with `/`, `-` or `.`, or `ngày D tháng M năm Y`
DATE_PATTERN = (
    r"(?P<d>[0-3]?\d)" + _SP + r"(?:[/\-.]|th[áa]ng)" + _SP + r"(?P<m>[01]?\d)" + _SP
    + r"(?:[/\-.]|,?" + _SP + r"n[ăa]m)" + _SP + r"(?P<y>(?:1[89]|20)\d\d)(?!\d)"
)
DATE_RE = re.compile(r"(?<![\d/])" + DATE_PATTERN, re.IGNORECASE)


def iso_date(m: re.Match[str]) -> str | None:
    """ISO form of a `DATE_RE` match (groups d, m, y), None if it is no real date."""
    try:
        return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
    except ValueError:
        return None
