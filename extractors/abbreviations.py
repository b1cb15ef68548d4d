"""Standard abbreviations of Vietnamese party and state bodies, and those a document defines.

`STANDARD` maps a written abbreviation to its expansion (`UBKT` -> `Ủy ban
Kiểm tra`). `defined_abbreviations(text)` finds the ones a document defines
itself (`Viện kiểm sát nhân dân (VKSND)`), and `expand` rewrites a name with
both. Matching is on whole tokens; nothing here decides what is a unit.
"""
from __future__ import annotations

import re
from functools import lru_cache

from extractors.vntext import vn_compile

STANDARD: dict[str, str] = {
    "BCHTW": "Ban Chấp hành Trung ương",
    "BCH": "Ban Chấp hành",
    "BTV": "Ban Thường vụ",
    "BTT": "Ban Thường trực",
    "BCĐ": "Ban Chỉ đạo",
    "BCS": "Ban cán sự",
    "UBKT": "Ủy ban Kiểm tra",
    "VPĐU": "Văn phòng Đảng ủy",
    "VPTU": "Văn phòng Tỉnh ủy",
    "VPTW": "Văn phòng Trung ương Đảng",
    "VPCP": "Văn phòng Chính phủ",
    "VPQH": "Văn phòng Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "ĐĐQH": "Đảng đoàn Quốc hội",
    "ĐBQH": "đại biểu Quốc hội",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "VKSND": "Viện kiểm sát nhân dân",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
    "TAND": "Tòa án nhân dân",
    "TANDTC": "Tòa án nhân dân tối cao",
    "ĐU": "Đảng ủy",
    "TW": "Trung ương",
    
    "CQ": "cơ quan",
    "KH&CN": "Khoa học và Công nghệ",
    "KHCN": "Khoa học và Công nghệ",
    "KH,CN": "khoa học, công nghệ",
    "TT&TT": "Thông tin và Truyền thông",
    "TTTT": "Thông tin và Truyền thông",
    "GD&ĐT": "Giáo dục và Đào tạo",
    "GDĐT": "Giáo dục và Đào tạo",
    "LĐTB&XH": "Lao động - Thương binh và Xã hội",
    "VH,TT&DL": "Văn hóa, Thể thao và Du lịch",
    "VHTTDL": "Văn hóa, Thể thao và Du lịch",
    "TN&MT": "Tài nguyên và Môi trường",
    "NN&PTNT": "Nông nghiệp và Phát triển nông thôn",
    "CT-XH": "chính trị - xã hội",
    "TMGV": "tham mưu, giúp việc",
    "HĐDT": "Hội đồng Dân tộc",
    "CNTT": "công nghệ thông tin",
    "CĐS": "chuyển đổi số",
    "VTV": "Đài Truyền hình Việt Nam",
    "VOV": "Đài Tiếng nói Việt Nam",
    "TTXVN": "Thông tấn xã Việt Nam",
}

_DEFINITION = re.compile(
    r"\((?:sau đây gọi (?:tắt )?là\s*|gọi tắt là\s*|viết tắt là\s*)?(?P<abbr>[A-ZĐ][A-ZĐ&,\-]{1,12})\)"
)
_SKIP_INITIAL = {"và", "của", "các"}


@lru_cache(maxsize=16)
def defined_abbreviations(text: str) -> dict[str, str]:
    """Abbreviations the document defines: `Viện kiểm sát nhân dân (VKSND)` -> {VKSND: ...}.

    The expansion is the shortest run of words before the parenthesis whose
    initials (ignoring `và`, `của`) spell the abbreviation's letters.
    """
    found: dict[str, str] = {}
    for m in _DEFINITION.finditer(text):
        abbr = m.group("abbr")
        if abbr in found:
            continue
        letters = "".join(c for c in abbr if c.isalpha()).upper()
        raw_words = text[max(0, m.start() - 200): m.start()].split()[-14:]
        best: str | None = None
        for k in range(1, len(raw_words) + 1):
            cand = raw_words[-k:]
            clean = [w.strip(",;:“”\"()") for w in cand]
            all_initials = "".join(w[0] for w in clean if w and w[0].isalpha()).upper()
            content_initials = "".join(w[0] for w in clean if w and w[0].isalpha() and w.lower() not in _SKIP_INITIAL).upper()
            if letters in (all_initials, content_initials) and clean and clean[0][:1].isalpha():
                best = " ".join(cand).strip(",;:“”\" ")
                break
            if len(content_initials) > len(letters):
                break
        if best:
            found[abbr] = best
    return found


_TOKEN_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    pat = _TOKEN_CACHE.get(keys)
    if pat is None:
        alts = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
        pat = vn_compile(r"(?<![\wÀ-ỹ&])(" + alts + r")(?![\wÀ-ỹ&])")
        _TOKEN_CACHE[keys] = pat
    return pat


def expand(name: str, defined: dict[str, str] | None = None) -> str:
    """The name with defined and standard abbreviations written out."""
    table = dict(STANDARD)
    if defined:
        table.update(defined)
    pat = _pattern(tuple(sorted(table)))
    out = pat.sub(lambda m: table[m.group(1)], name)
    return " ".join(out.split())
