"""Vietnamese text helpers for matching: NFC, one tone-mark spelling, accent folding.

`text` shown to people keeps what the document wrote; these functions build
the keys that rules and comparisons match on. `unify_tones` moves the tone
mark of `oa, oe, uy` syllables to the modern position (`hoà` -> `hòa`,
`Uỷ` -> `Ủy`); `fold` removes all diacritics (`đ` -> `d`), case and
punctuation, as ANNOTATION.md section 7 compares anchors.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE_CHARS = "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u3000\ufeff\u2028\u2029\u0085"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\u00ad"
_SPACE_TABLE = {ord(c): " " for c in _SPACE_CHARS} | {ord(c): None for c in _ZERO_WIDTH}

# combining tone marks (NFD)
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# old style: tone on the second vowel of an open oa/oe/uy syllable (hoà, khoẻ, uỷ);
# the modern spelling puts it on the first (hòa, khỏe, ủy). `qu` is a consonant.
_OLD_TONE = re.compile(
    r"(?<![qQ])([oO])([aAeE])([" + _TONES + r"])(?![\w])"
    r"|(?<![qQ])([uU])([yY])([" + _TONES + r"])(?![\w])"
)


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


_ODD_SPACE = re.compile("[" + _SPACE_CHARS + _ZERO_WIDTH + "]")


def clean_spaces(s: str) -> str:
    """NFC with non-breaking and other odd spaces made plain spaces, zero-widths removed."""
    if _ODD_SPACE.search(s):
        s = s.translate(_SPACE_TABLE)
    return s if unicodedata.is_normalized("NFC", s) else unicodedata.normalize("NFC", s)


_MAYBE_OLD = re.compile("[oO][àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ]|[uU][ỳýỷỹỵỲÝỶỸỴ]")


def unify_tones(s: str) -> str:
    """One spelling of tone marks: `hoà`->`hòa`, `uỷ`->`ủy`, `thuỷ`->`thủy`; NFC out."""
    if s.isascii():
        return s
    s = unicodedata.normalize("NFC", s)
    if not _MAYBE_OLD.search(s):
        return s
    d = unicodedata.normalize("NFD", s)

    def fix(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1) + m.group(3) + m.group(2)
        return m.group(4) + m.group(6) + m.group(5)

    return unicodedata.normalize("NFC", _OLD_TONE.sub(fix, d))


_FOLD_PUNCT = re.compile(r"[^\w]+", re.UNICODE)


def _accent_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x2000):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
        if base != ch and base:
            table[code] = base
    table[ord("đ")] = "d"
    table[ord("Đ")] = "D"
    return table


_ACCENTS = _accent_table()


def strip_accents(s: str) -> str:
    """Vietnamese letters without their marks (`Đảng ủy` -> `Dang uy`)."""
    s = s.translate(_ACCENTS)
    if s.isascii():
        return s
    d = unicodedata.normalize("NFD", s)
    return "".join(c for c in d if unicodedata.category(c) != "Mn")


def is_upper(s: str, ratio: float = 0.85, min_letters: int = 1) -> bool:
    """Mostly capitals: at least `min_letters` letters, more than `ratio` of them upper-case."""
    letters = "".join(filter(str.isalpha, s))
    if len(letters) < max(1, min_letters):
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) > ratio if ratio < 1 else upper == len(letters)


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Case, diacritics (đ = d), punctuation and white space folded: a matching key."""
    s = strip_accents(s).lower().replace("_", " ")
    return " ".join(_FOLD_PUNCT.sub(" ", s).split())


def fold_compact(s: str) -> str:
    """`fold` without spaces: for containment tests that ignore white space."""
    return fold(s).replace(" ", "")


def lower_key(s: str) -> str:
    """Tone-unified, lower-case, single-spaced: keeps accents (for names)."""
    return " ".join(unify_tones(s).lower().split())


def _letters(pred) -> str:  # type: ignore[no-untyped-def]
    chars = [chr(c) for c in range(0x41, 0x1EFA) if chr(c).isalpha() and pred(chr(c))]
    chars = [c for c in chars if c.isascii() or unicodedata.name(c, "").startswith("LATIN")]
    return "".join(chars)


#: every upper-case and lower-case Latin letter Vietnamese uses, for regex classes
#: (`[À-Ỹ]` is not upper-case only: the Vietnamese block interleaves cases)
UPPER = _letters(str.isupper)
LOWER = _letters(str.islower)
U = "[" + UPPER + "]"
L = "[" + LOWER + "]"


def vn_compile(pattern: str, flags: int = 0) -> "re.Pattern[str]":
    r"""`re.compile` that understands `\p{Lu}` and `\p{Ll}` inside a character class."""
    return re.compile(pattern.replace(r"\p{Lu}", UPPER).replace(r"\p{Ll}", LOWER), flags)
