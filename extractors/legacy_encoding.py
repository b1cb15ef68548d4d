"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC and VNI-Windows) to Unicode NFC.

Before Unicode, Vietnamese offices typed with ".VnTime"-style fonts (TCVN3,
also called ABC, TCVN 5712 VN3) or "VNI-Times"-style fonts (VNI-Windows). The
bytes of such text, seen through Windows-1252, are mojibake: TCVN3 "ThÙc
hiÖn" / "§¶ng", VNI "Nghò quyeát". This module

- tells whether a string is such mojibake (`detect_legacy`), by character
  statistics (characters and character pairs that the legacy encodings produce
  and ordinary text does not), never by a word list;
- converts it (`to_unicode`) and encodes Unicode into it (`from_unicode`, used
  by tests and by anyone who needs a legacy sample);
- decodes the bytes of a text file (`decode_text_bytes`): BOM-aware UTF-8 /
  UTF-16 / UTF-32, strict UTF-8, UTF-16 without BOM, else Windows-1252, then
  legacy detection.

TCVN3 (the ABC standard) has no codes for capital letters with tone marks:
its upper-case fonts (".VnTimeH") draw the lower-case codes as capitals. So
the bytes alone cannot tell "ộ" from "Ộ". `to_unicode` restores them where
the text shows it: inside all-capital words and lines ("CéNG HßA" -> "CỘNG
HÒA") and at the start of a sentence. A capital toned vowel that begins a
word in the middle of a mixed-case sentence ("của Ñy ban" for "của Ủy ban")
stays lower-case: the bytes do not say. VNI encodes case fully and converts
losslessly. Nothing else (no other code pages, no VISCII, no VPS) lives here.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = ["detect_legacy", "to_unicode", "from_unicode", "decode_text_bytes", "decode_cp1252", "has_unicode_vietnamese"]

# The 12 Vietnamese vowels and the tone marks, in the order used below:
# no tone, huyền (grave), hỏi (hook), ngã (tilde), sắc (acute), nặng (dot).
_BASES = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
_TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]


def _letter(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + _TONES[tone])


# ---------------------------------------------------------------- TCVN3 (ABC)
# Code of each vowel with huyền, hỏi, ngã, sắc, nặng (TCVN 5712:1993, VN3).
_TCVN3_TONED: dict[str, tuple[int, int, int, int, int]] = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
# Letters without tone that have their own codes, capitals included.
_TCVN3_PLAIN = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
}

_TCVN3_DECODE: dict[str, str] = {chr(code): letter for code, letter in _TCVN3_PLAIN.items()}
_TCVN3_AMBIGUOUS: set[str] = set()  # codes whose case the bytes do not tell
for _base, _codes in _TCVN3_TONED.items():
    for _i, _code in enumerate(_codes):
        _TCVN3_DECODE[chr(_code)] = _letter(_base, _i + 1)
        _TCVN3_AMBIGUOUS.add(chr(_code))
_TCVN3_ENCODE: dict[str, str] = {}
for _ch, _letter_ in _TCVN3_DECODE.items():
    _TCVN3_ENCODE[_letter_] = _ch
    if _ch in _TCVN3_AMBIGUOUS:
        _TCVN3_ENCODE[_letter_.upper()] = _ch  # the ABC standard: capitals share the code

# ---------------------------------------------------------------- VNI-Windows
# Tone byte after a vowel: huyền, hỏi, ngã, sắc, nặng (lower-case / capital).
_VNI_TONE = ("ø", "û", "õ", "ù", "ï")
_VNI_TONE_UP = ("Ø", "Û", "Õ", "Ù", "Ï")
# Circumflex (â ê ô) + tone: none, huyền, hỏi, ngã, sắc, nặng.
_VNI_CIRC = ("â", "à", "å", "ã", "á", "ä")
_VNI_CIRC_UP = ("Â", "À", "Å", "Ã", "Á", "Ä")
# Breve (ă) + tone.
_VNI_BREVE = ("ê", "è", "ú", "ü", "é", "ë")
_VNI_BREVE_UP = ("Ê", "È", "Ú", "Ü", "É", "Ë")
# i with a tone and ỵ are single bytes.
_VNI_I = {"ì": 1, "æ": 2, "ó": 3, "í": 4, "ò": 5}
_VNI_I_UP = {"Ì": 1, "Æ": 2, "Ó": 3, "Í": 4, "Ò": 5}

_VNI_TONE_OF = {c: i + 1 for i, c in enumerate(_VNI_TONE)} | {c: i + 1 for i, c in enumerate(_VNI_TONE_UP)}
_VNI_CIRC_OF = {c: i for i, c in enumerate(_VNI_CIRC)} | {c: i for i, c in enumerate(_VNI_CIRC_UP)}
_VNI_BREVE_OF = {c: i for i, c in enumerate(_VNI_BREVE)} | {c: i for i, c in enumerate(_VNI_BREVE_UP)}


def _vni_encode_letter(ch: str) -> str | None:
    """VNI bytes (as cp1252 characters) of one Vietnamese letter, or None if not one."""
    if ch in "đĐ":
        return "ñ" if ch == "đ" else "Ñ"
    decomposed = unicodedata.normalize("NFD", ch)
    base_char = decomposed[0]
    marks = decomposed[1:]
    if not base_char.isascii() or not base_char.isalpha() or not marks:
        return None
    upper = base_char.isupper()
    base = base_char.lower()
    tone = 0
    shape = ""
    for m in marks:
        if m in _TONES[1:]:
            tone = _TONES.index(m)
        elif m == "\u0302":
            shape = "circ"
        elif m == "\u0306":
            shape = "breve"
        elif m == "\u031b":
            shape = "horn"
        else:
            return None
    if base not in "aeiouy":
        return None
    tone_seq = (_VNI_TONE_UP if upper else _VNI_TONE)
    if shape == "circ" and base in "aeo":
        return base_char + (_VNI_CIRC_UP if upper else _VNI_CIRC)[tone]
    if shape == "breve" and base == "a":
        return base_char + (_VNI_BREVE_UP if upper else _VNI_BREVE)[tone]
    if shape == "horn" and base in "ou":
        lead = {"o": "ô", "u": "ö"}[base]
        lead = lead.upper() if upper else lead
        return lead + (tone_seq[tone - 1] if tone else "")
    if shape:
        return None
    if base == "i":
        table = _VNI_I_UP if upper else _VNI_I
        return next(k for k, v in table.items() if v == tone)
    if base == "y" and tone == 5:
        return "Î" if upper else "î"
    return base_char + tone_seq[tone - 1]


def _vni_decode(text: str) -> str:
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        low = c.lower()
        up = c != low
        letter: str | None = None
        step = 1
        if low == "a" and nxt in _VNI_CIRC_OF:
            letter, step = _letter("â", _VNI_CIRC_OF[nxt]), 2
        elif low == "a" and nxt in _VNI_BREVE_OF:
            letter, step = _letter("ă", _VNI_BREVE_OF[nxt]), 2
        elif low in "eo" and nxt in _VNI_CIRC_OF:
            letter, step = _letter("ê" if low == "e" else "ô", _VNI_CIRC_OF[nxt]), 2
        elif low in ("ô", "ö"):
            base = "ơ" if low == "ô" else "ư"
            if nxt in _VNI_TONE_OF:
                letter, step = _letter(base, _VNI_TONE_OF[nxt]), 2
            else:
                letter = base
        elif low in "aeiouy" and low.isascii() and nxt in _VNI_TONE_OF:
            letter, step = _letter(low, _VNI_TONE_OF[nxt]), 2
        elif c in _VNI_I or c in _VNI_I_UP:
            letter = _letter("i", (_VNI_I | _VNI_I_UP)[c])
        elif low == "î":
            letter = _letter("y", 5)
        elif low == "ñ":
            letter = "đ"
        if letter is None:
            out.append(c)
        else:
            out.append(letter.upper() if up else letter)
        i += step
    return "".join(out)


# ------------------------------------------------------------------ TCVN3 case
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = ".!?|"
_LINE_END = ".!?:;"
_OPENERS = "\"'“‘«(*-–—•+[ \t"


def _tcvn3_decode(text: str) -> str:
    chars: list[str] = []
    ambiguous: list[bool] = []
    for c in text:
        if c in _TCVN3_DECODE:
            chars.append(_TCVN3_DECODE[c])
            ambiguous.append(c in _TCVN3_AMBIGUOUS)
        else:
            chars.append(c)
            ambiguous.append(False)
    if not any(ambiguous):
        return "".join(chars)
    converted = "".join(chars)
    for line_start, line in _lines(converted):
        words = list(_WORD_RE.finditer(line))
        states = [None if _in_code(line, m) else _word_state(m, line_start, ambiguous) for m in words]
        for w, m in enumerate(words):
            start, end = line_start + m.start(), line_start + m.end()
            if states[w] == "upper":
                _upcase(chars, ambiguous, start, end)
                continue
            if states[w] == "unknown" and _neighbours_upper(line, words, states, w):
                _upcase(chars, ambiguous, start, end)
                continue
            if ambiguous[start] and _sentence_start(converted, start):
                chars[start] = chars[start].upper()
    return "".join(chars)


_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[aeiouyăâêôơư]{1,3}(?:ch|ng|nh|[cmnpt])?$"
)


def _strip_tones(word: str) -> str:
    """Lower-case letters without tone marks, keeping ă â ê ô ơ ư đ."""
    out = []
    for ch in word.lower():
        d = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(m for m in d if m not in _TONES[1:])))
    return "".join(out)


def _word_state(m: re.Match[str], offset: int, ambiguous: list[bool]) -> str | None:
    """"upper" / "lower" when the word's unambiguous letters say so, "unknown", or None (no letters)."""
    word = m.group()
    amb = [ambiguous[offset + m.start() + k] for k in range(len(word))]
    letters = [ch for ch in word if ch.isalpha()]
    if not letters:
        return None
    certain = [ch for k, ch in enumerate(word) if ch.isalpha() and not amb[k]]
    if not _SYLLABLE.match(_strip_tones(word)):
        return None  # an abbreviation ("UBND", "KH"), a number: says nothing about case
    if len(certain) >= 2:
        return "upper" if all(ch.isupper() for ch in certain) else "lower"
    if certain and certain[0].islower():
        return "lower"
    return "unknown" if any(amb) else "neutral"


def _in_code(line: str, m: re.Match[str]) -> bool:
    """Whether a word is part of a reference code or number ("12-NQ/ĐU", "226-KL/TW")."""
    lo = line.rfind(" ", 0, m.start()) + 1
    hi = line.find(" ", m.end())
    token = line[lo : hi if hi >= 0 else len(line)]
    return "/" in token or any(ch.isdigit() for ch in token)


_PUNCT = set(",;:.!?()[]{}\"“”'‘’/")


def _neighbours_upper(line: str, words: list[re.Match[str]], states: list[str | None], w: int) -> bool:
    """Whether an all-ambiguous word sits among all-capital words (the nearest cased words say so).

    When the two sides disagree, the side not cut off by punctuation decides;
    when neither or both are cut off, the word stays as it is.
    """
    sides: list[tuple[str, bool]] = []
    for rng in (range(w - 1, -1, -1), range(w + 1, len(words))):
        for k in rng:
            if states[k] in ("upper", "lower"):
                lo, hi = sorted((words[k].end(), words[w].start())) if k < w else (words[w].end(), words[k].start())
                sides.append((states[k], any(ch in _PUNCT for ch in line[lo:hi])))
                break
    if not sides:
        return False
    if all(state == "upper" for state, _ in sides):
        return True
    if len(sides) == 2 and sides[0][0] != sides[1][0] and sides[0][1] != sides[1][1]:
        return next(state for state, cut in sides if not cut) == "upper"
    return False


def _lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _upcase(chars: list[str], ambiguous: list[bool], start: int, end: int) -> None:
    for k in range(start, end):
        if ambiguous[k]:
            chars[k] = chars[k].upper()


_LIST_LABEL = re.compile(r"^[ \t]*(?:[-+•*–—]|\(?(?:\d+(?:\.\d+)*|[a-zđ]|[ivxlc]{1,5}|[IVXLC]{1,5})[.)]\)?)[ \t]+$")


def _sentence_start(text: str, pos: int) -> bool:
    """Whether position `pos` begins a sentence: start of text or of a list item, after . ! ? |."""
    line_start = text.rfind("\n", 0, pos) + 1
    if _LIST_LABEL.match(text[line_start:pos]):
        return True
    k = pos - 1
    while k >= 0 and text[k] in _OPENERS:
        k -= 1
    if k < 0:
        return True
    if text[k] in _SENTENCE_END and k < pos - 1:
        return True
    if text[k] == "\n":
        j = k - 1
        while j >= 0 and text[j] in " \t\r":
            j -= 1
        return j < 0 or text[j] == "\n" or text[j] in _LINE_END
    return False


# ------------------------------------------------------------------ detection
# Characters TCVN3 uses for its most frequent letters (à á ả ã ạ ă â ê ô ơ ư đ
# ...) that are symbols, not letters, in Windows-1252: ordinary prose in any
# language hardly ever puts them inside a word.
_TCVN3_TELLS = set(chr(c) for c in list(range(0xA1, 0xAF)) + list(range(0xB5, 0xBA)) + list(range(0xBB, 0xBF)))
# A capital Latin-1 letter right after a lower-case letter: TCVN3 lower-case
# toned vowels inside a word ("hiÖn", "nhËn").
_TCVN3_INNER_CAP = re.compile(r"[a-z][\u00c6-\u00d6\u00d7\u00d8\u00dc-\u00de]")
# VNI pairs: a vowel followed by a tone byte, a/e/o + circumflex byte,
# a + breve byte, ô/ö (ơ/ư) + tone byte. (đ, "ñ", is left out: Spanish has it.)
_VNI_PAIR = re.compile(r"[aeouyAEOUYôöÔÖ][ùøûõïÙØÛÕÏ]|[aeoAEO][âáàåãäÂÁÀÅÃÄ]|[aA][êéèúüëÊÉÈÚÜË]")
# An all-capital word holding a lower-case Latin-1 letter: TCVN3 capitals
# written with the lower-case codes ("CéNG", "HßA").
_TCVN3_CAPS_WORD = re.compile(r"^[^a-z]*[A-Z][^a-z]*[A-Z][^a-z]*$")
_LATIN1_LOWER = re.compile(r"[\u00df-\u00ff]")
# Letters only Unicode Vietnamese has (outside Windows-1252).
_UNICODE_VI = re.compile(r"[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]|[aeiouyAEIOUY][\u0300\u0301\u0303\u0309\u0323]")
_TOKEN = re.compile(r"\S+")


# Characters outside what each encoding produces. TCVN3 leaves these codes
# unused; VNI writes its mark bytes only right after the letter they mark.
_TCVN3_UNUSED = set(chr(c) for c in [*range(0xB0, 0xB5), 0xBA, *range(0xBF, 0xC6), 0xCD, 0xD9, 0xDA, 0xDB, 0xE0, 0xF0, 0xFF])
_VNI_MARK_AFTER = {
    **{c: "aeouyAEOUYôöÔÖ" for c in "ùøûõïÙØÛÕÏ"},
    **{c: "aeoAEO" for c in "âáàåãäÂÁÀÅÃÄ"},
    **{c: "aA" for c in "êéèúüëÊÉÈÚÜË"},
}
_VNI_UNUSED = set("çÇýÝþÞðÐßÿ×÷")


def _vni_misplaced(tok: str) -> bool:
    for k, ch in enumerate(tok):
        if ch in _VNI_UNUSED:
            return True
        allowed = _VNI_MARK_AFTER.get(ch)
        if allowed is not None and (k == 0 or tok[k - 1] not in allowed):
            return True
    return False


def _scores(text: str) -> dict[str, int]:
    """Counts of words: all, with TCVN3 / VNI tells, against TCVN3 / VNI, with Unicode Vietnamese."""
    c = dict.fromkeys(("words", "tcvn3", "vni", "not_tcvn3", "not_vni", "unicode"), 0)
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if not any(ch.isalpha() or ch in _TCVN3_TELLS for ch in tok):
            continue
        c["words"] += 1
        if _UNICODE_VI.search(tok):
            c["unicode"] += 1
            continue
        if tok.isascii():
            continue
        if (
            any(ch in _TCVN3_TELLS for ch in tok)
            or _TCVN3_INNER_CAP.search(tok)
            or _TCVN3_CAPS_WORD.match(tok) and _LATIN1_LOWER.search(tok)
        ):
            c["tcvn3"] += 1
        if _VNI_PAIR.search(tok):
            c["vni"] += 1
        if any(ch in _TCVN3_UNUSED for ch in tok):
            c["not_tcvn3"] += 1
        if _vni_misplaced(tok.strip(".,;:!?()[]\"'“”‘’")):
            c["not_vni"] += 1
    return c


def has_unicode_vietnamese(text: str) -> bool:
    """Whether `text` holds letters that only Unicode Vietnamese has (so it is no legacy mojibake)."""
    return _UNICODE_VI.search(text) is not None


def detect_legacy(text: str) -> str | None:
    """"tcvn3" or "vni" when `text` is legacy Vietnamese shown through cp1252, else None.

    Decides on statistics: the share of words showing the encoding's tells,
    against words that the encoding could not have produced and words holding
    Unicode-only Vietnamese letters.
    """
    if not text or text.isascii():
        return None
    if len(_UNICODE_VI.findall(text)) >= 0.05 * (text.count(" ") + 1):
        return None  # plainly Unicode Vietnamese: no need to weigh every word
    c = _scores(text)
    words = c["words"]
    if words == 0:
        return None
    candidates: list[tuple[int, str]] = []
    for enc in ("tcvn3", "vni"):
        hits, against = c[enc], c["not_" + enc]
        if against * 4 > hits:
            continue
        if c["unicode"] >= hits or c["unicode"] >= 0.02 * words and c["unicode"] * 4 >= hits:
            continue
        ratio = hits / words
        if hits >= 3 and ratio >= 0.08 or hits >= 1 and ratio >= 0.3:
            candidates.append((hits - against, enc))
    if not candidates:
        return None
    return max(candidates, key=lambda t: (t[0], t[1] == "tcvn3"))[1]


def to_unicode(text: str, encoding: str) -> str:
    """Convert TCVN3 ("tcvn3") or VNI ("vni") mojibake to Unicode NFC."""
    enc = encoding.lower().replace("-", "").replace("_", "")
    if enc in ("tcvn3", "tcvn", "abc", "vn3"):
        out = _tcvn3_decode(text)
    elif enc in ("vni", "vniwindows", "vniwin"):
        out = _vni_decode(text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}: expected 'tcvn3' or 'vni'")
    return unicodedata.normalize("NFC", out)


def from_unicode(text: str, encoding: str) -> str:
    """Encode Unicode Vietnamese as TCVN3 or VNI mojibake (the cp1252 view of the legacy bytes).

    TCVN3 writes capital toned vowels with the lower-case code, as the ABC
    standard does. Characters the encoding has no code for are kept as they are.
    """
    enc = encoding.lower().replace("-", "").replace("_", "")
    text = unicodedata.normalize("NFC", text)
    if enc in ("tcvn3", "tcvn", "abc", "vn3"):
        return "".join(_TCVN3_ENCODE.get(c, c) for c in text)
    if enc in ("vni", "vniwindows", "vniwin"):
        return "".join(_vni_encode_letter(c) or c for c in text)
    raise ValueError(f"unknown legacy encoding {encoding!r}: expected 'tcvn3' or 'vni'")


# -------------------------------------------------------------------- bytes
_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def decode_cp1252(data: bytes) -> str:
    """Windows-1252, with the five undefined bytes kept as the Latin-1 controls (never fails)."""
    if not any(b in _CP1252_HOLES for b in data):
        return data.decode("cp1252")
    return "".join(chr(b) if b in _CP1252_HOLES else bytes([b]).decode("cp1252") for b in data)


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4000]
    even_zero = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_zero = sample[1::2].count(0) / max(1, len(sample[1::2]))
    codec = "utf-16-le" if odd_zero > 0.3 and even_zero < 0.05 else "utf-16-be" if even_zero > 0.3 and odd_zero < 0.05 else None
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode_text_bytes(data: bytes) -> tuple[str, str | None]:
    """Decode a text file's bytes: (Unicode text, "tcvn3" / "vni" if converted from one, else None).

    Order: BOM (UTF-32, UTF-8, UTF-16), strict UTF-8, UTF-16 without BOM,
    else Windows-1252. Whatever the decoding, legacy TCVN3/VNI mojibake is then
    detected and converted to Unicode NFC.
    """
    text: str | None = None
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        try:
            text = data.decode("utf-32")
        except UnicodeDecodeError:
            text = None
    if text is None and data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if text is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _utf16_without_bom(data)
    if text is None:
        text = decode_cp1252(data)
    enc = detect_legacy(text)
    if enc is None:
        return text, None
    return to_unicode(text, enc), enc
