"""Numbering labels of the genre: `I.`, `1.`, `1.1.`, `a)`, `đ)`, `(1)`, `1)`, `-`, `+`, `*`, `Điều 1.`.

`parse_label(text)` says whether a paragraph starts with a label and which
kind it is; `starts_with_label` is the quick test the text reader uses to
decide where paragraphs begin. Deciding how labels nest is
`extractors.structure`'s job, not this module's.
"""
from __future__ import annotations

import re
from functools import lru_cache

from extractors.vntext import vn_compile
from dataclasses import dataclass

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_LETTERS = "abcdđefghiklmnopqrstuvxy"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("part", vn_compile(r"^(?:PHẦN|Phần|CHƯƠNG|Chương)\s+(?P<num>(?:THỨ\s+)?[IVXLC]+|\d+|THỨ\s+\w+|[A-ZĐ]{3,}(?:\s[A-ZĐ]{2,})?)\b[.:]?\s*", re.UNICODE)),
    ("article", vn_compile(r"^(?:Điều|ĐIỀU)\s+(?P<num>\d+[a-z]?)\s*[.:]\s*")),
    ("clause", vn_compile(r"^(?:Khoản|KHOẢN)\s+(?P<num>\d+)\s*[.:]\s*")),
    ("appendix", vn_compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:số\s+)?(?P<num>[IVXLC]+|\d+[a-z]?))?\s*[.:]?\s*(?=$|\s)")),
    ("roman", vn_compile(r"^(?P<num>" + _ROMAN + r")\s*[.\-–/)]\s*(?=\S)")),
    ("multi", vn_compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){1,4})\.?(?=\s|$)\s*")),
    ("decimal", vn_compile(r"^(?P<num>\d{1,3})\s*[.]\s*(?=\S)(?!\d)")),
    ("decimal_paren", vn_compile(r"^(?P<num>\d{1,3})\)\s*(?=\S)")),
    ("paren_decimal", vn_compile(r"^\((?P<num>\d{1,3})\)\s*(?=\S)")),
    ("letter", vn_compile(r"^(?P<num>[" + _LETTERS + r"])\s*\)\s*(?=\S)")),
    ("letter_dot", vn_compile(r"^(?P<num>[" + _LETTERS + r"])\.\s+(?=[\p{Lu}])")),
    ("dash", vn_compile(r"^(?P<num>[-–—•●◦▪])\s*(?=\S)")),
    ("plus", vn_compile(r"^(?P<num>\+)\s*(?=\S)")),
    ("star", vn_compile(r"^(?P<num>\*)\s*(?=\S)")),
]


@dataclass(frozen=True)
class Label:
    kind: str  # part, article, clause, appendix, roman, multi, decimal, decimal_paren, paren_decimal, letter, dash, plus, star
    text: str  # the label as written, without surrounding spaces (`1.1.`, `a)`, `Điều 3.`)
    num: str  # the number part (`1.1`, `a`, `3`, `-`)
    end: int  # offset in the paragraph where the label and its spaces end

    @property
    def depth(self) -> int:
        """For `multi` labels, how many numbers they have (`1.3.2.` -> 3)."""
        return self.num.count(".") + 1 if self.kind == "multi" else 1

    @property
    def key(self) -> str:
        """The label as a path component: without its trailing dot (`III`, `1.1`, `a)`, `(2)`, `Điều 3`)."""
        if self.kind in ("roman", "decimal", "multi"):
            return self.num
        if self.kind == "letter_dot":
            return self.num + ")"
        if self.kind == "decimal_paren":
            return self.num + ")"
        if self.kind == "paren_decimal":
            return f"({self.num})"
        if self.kind == "letter":
            return self.num + ")"
        if self.kind == "article":
            return f"Điều {self.num}"
        if self.kind == "clause":
            return f"Khoản {self.num}"
        if self.kind == "part":
            word = "Chương" if self.text[:1] in "Cc" else "Phần"
            return f"{word} {self.num}"
        if self.kind == "appendix":
            return "PL" + (self.num or "")
        return self.num


def parse_label(text: str) -> Label | None:
    """The numbering label a paragraph starts with, if any."""
    s = text.lstrip()
    lead = len(text) - len(s)
    if not s:
        return None
    lab = _parse_prefix(s[:80])
    if lab is None or lead == 0:
        return lab
    return Label(kind=lab.kind, text=lab.text, num=lab.num, end=lab.end + lead)


@lru_cache(maxsize=8192)
def _parse_prefix(s: str) -> Label | None:
    lead = 0
    for kind, pat in _PATTERNS:
        m = pat.match(s)
        if not m:
            continue
        num = m.group("num") or ""
        if kind == "roman" and (not num or not _plausible_roman(s, num)):
            continue
        if kind == "multi" and _looks_like_number(s, m):
            continue
        raw = s[: m.end()].strip()
        return Label(kind=kind, text=raw, num=num.strip(), end=lead + m.end())
    return None


def _plausible_roman(s: str, num: str) -> bool:
    # `I.` `V.` `X.` alone could start a sentence only in odd cases; accept when
    # followed by an upper-case word or any word after `.`/`-`
    rest = s[len(num):].lstrip(" .-–/)")
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit())


def _looks_like_number(s: str, m: re.Match[str]) -> bool:
    # `1.500 cán bộ` or `2.5 lần`: a thousands separator or a decimal, not a label
    num = m.group("num")
    parts = num.split(".")
    if len(parts) == 2 and len(parts[1]) == 3:
        return True
    rest = s[m.end():]
    return bool(re.match(r"^(?:%|lần|triệu|tỷ|nghìn|người)\b", rest))


def starts_with_label(text: str) -> bool:
    return parse_label(text) is not None
