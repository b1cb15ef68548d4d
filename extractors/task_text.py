"""Splitting an item's own words into the actions it holds.

- `agenda_items(text)`: a meeting's `Nội dung: (1) ...; (2) ...` into agenda
  items, and an item's nested `1) ... 2) ...` into sub-items;
- `sentences(text)`: sentence boundaries that respect abbreviations;
- `clauses(text)`: `;`-separated clauses.
All return (start, end) offsets into the text given. No units, no deadlines.
"""
from __future__ import annotations

import re


_AGENDA = re.compile(r"(?:(?<=^)|(?<=[\s;:.]))\((\d{1,2})\)\s+")
_NESTED = re.compile(r"(?:(?<=^)|(?<=[\s;:]))(\d{1,2})\)\s+")


def _runs(text: str, pattern: re.Pattern[str], expect_first: int = 1) -> list[tuple[int, int, int]]:
    """(number, start of marker, start of content) for markers numbered 1, 2, 3... in order."""
    out: list[tuple[int, int, int]] = []
    want = expect_first
    for m in pattern.finditer(text):
        n = int(m.group(1))
        if n == want:
            out.append((n, m.start(), m.end()))
            want += 1
    return out


def _numbered_spans(text: str, pattern: re.Pattern[str]) -> tuple[int, list[tuple[int, int]]]:
    """(where the first marker starts, content spans) of markers numbered 1, 2, 3...; [] below two."""
    runs = _runs(text, pattern)
    if len(runs) < 2:
        return len(text), []
    spans: list[tuple[int, int]] = []
    for k, (_, _mstart, cstart) in enumerate(runs):
        end = runs[k + 1][1] if k + 1 < len(runs) else len(text)
        spans.append((cstart, _trim_end(text, cstart, end)))
    return runs[0][1], spans


def agenda_items(text: str) -> list[tuple[int, int]]:
    """Content spans of `(1) ... (2) ...` agenda items; [] when there are fewer than two."""
    return _numbered_spans(text, _AGENDA)[1]


def nested_items(text: str) -> tuple[int, list[tuple[int, int]]]:
    """(end of the lead-in, content spans) of `1) ... 2) ...` inside one item; spans [] when fewer than two."""
    return _numbered_spans(text, _NESTED)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ;,.\n":
        end -= 1
    return end


_SENT_CANDIDATE = re.compile(r"[.!?…]+[\"”’)]*\s+")
_NO_BREAK_BEFORE = ("TP", "v.v", "TS", "ThS", "PGS", "GS", "Nxb", "Tr", "Th")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: a full stop (or ?, !, …) then space then a capital, quote or bracket.

    A single capital before the stop (`Đ.`, an initial) or a usual abbreviation
    (`TP.`, `v.v.`) does not end a sentence.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    for m in _SENT_CANDIDATE.finditer(text):
        nxt = m.end()
        if nxt >= n:
            break
        ch = text[nxt]
        if not (ch.isupper() or ch in "\"“("):
            continue
        before = text[max(0, m.start() - 4): m.start()]
        word = before.split()[-1] if before.split() else ""
        if (len(word) == 1 and word.isupper()) or word.endswith(_NO_BREAK_BEFORE):
            continue
        end = m.start() + len(m.group(0).rstrip())
        if end - pos > 3:
            spans.append((pos, end))
            pos = m.end()
    if pos < n and text[pos:].strip():
        spans.append((pos, len(text.rstrip())))
    return spans


def clauses(text: str) -> list[tuple[int, int]]:
    """`;`-separated clauses (outside parentheses and quotes)."""
    if ";" not in text:
        return [(0, len(text))] if text.strip() else []
    spans: list[tuple[int, int]] = []
    depth = 0
    quote = False
    pos = 0
    for i, ch in enumerate(text):
        if ch in "(“":
            depth += 1
        elif ch in ")”" and depth:
            depth -= 1
        elif ch == '"':
            quote = not quote
        elif ch == ";" and depth == 0 and not quote:
            spans.append((pos, i))
            pos = i + 1
            while pos < len(text) and text[pos] == " ":
                pos += 1
    if pos < len(text):
        spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]
