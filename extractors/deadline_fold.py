"""Text folding for the deadline matcher: one lower-case, tone-free copy of a text, same length.

`fold(text)` returns a string of exactly `len(text)` characters in which each
character is lower-cased and stripped of its Vietnamese tone mark (sắc, huyền,
hỏi, ngã, nặng) while keeping its vowel quality (`ă`, `â`, `ê`, `ô`, `ơ`, `ư`,
`đ` stay), so `Quý`/`Quí`, `Uỷ`/`Ủy`, `hoà`/`hòa` meet and offsets found in the
folded copy are offsets in the original. Dashes fold to `-`, no-break spaces
to a space. `rx(pattern)` compiles a pattern written in ordinary Vietnamese
against that folded form (tones stripped; a literal space matches any run of
white space or Markdown emphasis, ` ?` an optional one). Text that is not NFC is normalised first
(`prepare`), with a map back to the original offsets.

Nothing here knows about dates; see `deadline_dates` and `deadlines`.
"""
from __future__ import annotations

import re
import unicodedata

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
# What a literal space in a pattern matches: white space and Markdown emphasis.
SP = r"[\s*_]+"
SP_OPT = r"[\s*_]*"


def _strip_tones(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    kept = "".join(c for c in decomposed if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", kept)


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [(0x41, 0x5A), (0xC0, 0x24F), (0x1E00, 0x1EFF)]
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            folded = _strip_tones(ch).lower()
            if len(folded) != 1:
                folded = ch.lower()[:1] or ch
            if folded != ch:
                table[cp] = folded
    for ch in _DASHES:
        table[ord(ch)] = "-"
    table[0xA0] = " "
    table[0x202F] = " "
    return table


_TABLE = _build_table()


def fold(text: str) -> str:
    """Lower-case, tone-free copy of an NFC `text`, character for character."""
    return text.translate(_TABLE)


def prepare(text: str) -> tuple[str, list[int] | None]:
    """Return (folded NFC text, offset map back to `text` or None when identical).

    The map has one entry per folded character plus one for the end.
    """
    if unicodedata.is_normalized("NFC", text):
        return fold(text), None
    out: list[str] = []
    back: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        for ch in cluster:
            out.append(ch)
            back.append(i)
        i = j
    back.append(n)
    return fold("".join(out)), back


def rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a pattern written in plain Vietnamese against folded text."""
    stripped = "".join(_strip_tones(c) if ord(c) > 127 else c for c in pattern)
    return re.compile(stripped.replace(" ?", SP_OPT).replace(" ", SP), flags)


_QUOTE_PAIRS = re.compile(r"“[^”\n]{0,400}”|\"[^\"\n]{0,400}\"|«[^»\n]{0,400}»")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted names (“...”, "...", «...») in `text`."""
    return [m.span() for m in _QUOTE_PAIRS.finditer(text)]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


_LABEL_BEFORE = re.compile(
    r"(?:^|[\n.;:!?(])[\s*_]*(?:[-+•·–][\s*_]*)?"
    r"(?:(?:\d{1,2}\.)+\d{0,2}\.?|\(?\d{1,2}\)|[a-zđ]\)|[ivx]{1,4}\.)?[\s*_]*$"
)


def clause_start(folded: str, pos: int) -> bool:
    """True when `pos` opens a clause: text start, after . ; : ! ? ( or a line's bullet/label."""
    if pos <= 24:
        window = folded[:pos]
    else:  # a sentinel keeps `^` from passing for a cut-off window start
        window = "\x00" + folded[pos - 24 : pos]
    return _LABEL_BEFORE.search(window) is not None
