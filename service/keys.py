"""Matching keys the store indexes on: folded text, unit names, document codes.

`fold_same_length` folds case, diacritics and `đ` character by character, so
an offset into the folded text is an offset into the original (the search
module maps FTS5 snippets back with it). `name_key` is the ANNOTATION.md
comparison key of a unit name; `code_key` makes `03/NQ-CP` and `3/NQ-CP`
one key. The folding itself comes from `extractors.vntext`; nothing here
reads the database.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from datetime import date

from extractors.abbreviations import expand
from extractors.vntext import clean_spaces, fold, unify_tones


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [(0x41, 0x5B), (0xC0, 0x250), (0x1E00, 0x1F00)]
    for lo, hi in ranges:
        for cp in range(lo, hi):
            c = chr(cp)
            base = unicodedata.normalize("NFD", c)[0]
            low = base.lower()
            if len(low) != 1:
                continue
            if low == "đ":
                low = "d"
            if low != c:
                table[cp] = low
    table[ord("đ")] = "d"
    table[ord("Đ")] = "d"
    table[ord("\u0110")] = "d"
    return table


_FOLD_TABLE = _build_table()
_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold_same_length(s: str) -> str:
    """Lower case, no diacritics, `đ` -> `d`, one output character per input character.

    Input is expected in NFC (extraction text is); a stray combining mark is
    replaced by a space so that lengths still agree.
    """
    out = s.translate(_FOLD_TABLE)
    if _COMBINING.search(out):
        out = _COMBINING.sub(" ", out)
    return out


_LEADING = re.compile(r"^(?:cac|dong chi|cac dong chi)\s+")


def frozen(defined: dict[str, str] | None) -> tuple[tuple[str, str], ...]:
    """A hashable form of a document's defined abbreviations (for the caches)."""
    return tuple(sorted(defined.items())) if defined else ()


@lru_cache(maxsize=1 << 16)
def _name_key(name: str, defined: tuple[tuple[str, str], ...]) -> str:
    expanded = expand(unify_tones(clean_spaces(name)), dict(defined) if defined else None)
    return _LEADING.sub("", fold(expanded))


def name_key(name: str, defined: dict[str, str] | None = None) -> str:
    """The comparison key of a unit name: abbreviations expanded, folded, leading `các`/`đồng chí` dropped."""
    return _name_key(name, frozen(defined))


@lru_cache(maxsize=1 << 16)
def alias_key(written: str) -> str:
    """Key of a name as written (no expansion): `VPĐU` -> `vpdu`."""
    return _LEADING.sub("", fold(written))


def code_key(code: str | None) -> str | None:
    """`226-KL/TW`, `226/KL-TW` and `0226-KL/TW` share one key; None for no code."""
    if not code:
        return None
    parts = re.findall(r"[0-9a-z]+", fold(code))
    if not parts:
        return None
    parts = [p.lstrip("0") or "0" if p.isdigit() else p for p in parts]
    return "-".join(parts)


def type_key(doc_type: str | None) -> str | None:
    return fold(doc_type) if doc_type else None


def year_of(iso: str | None) -> int | None:
    if not iso or len(iso) < 4 or not iso[:4].isdigit():
        return None
    return int(iso[:4])


def parse_iso(iso: str | None) -> date | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None
