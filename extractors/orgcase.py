"""Write an upper-case body or position name the way Vietnamese prose writes it.

`ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP` -> `Ủy ban nhân dân tỉnh Đồng Tháp`,
`BAN THƯỜNG VỤ` -> `Ban Thường vụ`, `THỦ TƯỚNG CHÍNH PHỦ` -> `Thủ tướng
Chính phủ`. A heuristic for display: comparisons fold case anyway.
"""
from __future__ import annotations

import re

from extractors.vntext import is_upper as _is_upper
from extractors.vntext import unify_tones

# multi-word proper parts kept capitalised as a whole
_PROPER = [
    "Đảng Cộng sản Việt Nam", "Mặt trận Tổ quốc Việt Nam", "Mặt trận Tổ quốc", "Bộ Chính trị", "Ban Bí thư",
    "Ban Chấp hành Trung ương", "Ban Chấp hành", "Ban Thường vụ", "Ban Thường trực", "Ban Chỉ đạo", "Ủy ban Kiểm tra",
    "Quốc hội", "Chính phủ", "Trung ương", "Việt Nam", "Thủ tướng", "Đảng ủy", "Đảng đoàn", "Tỉnh ủy", "Thành ủy",
    "Văn phòng", "Hội đồng Dân tộc", "Đoàn Thanh niên", "Hội Liên hiệp Phụ nữ", "Công đoàn", "Hội Cựu chiến binh",
    "Hội Nông dân", "Ủy ban", "Đảng",
]
_PROPER_MAP = {p.lower(): p for p in _PROPER}
_PROPER_RE = re.compile(r"(?<!\w)(" + "|".join(re.escape(p.lower()) for p in sorted(_PROPER, key=len, reverse=True)) + r")(?!\w)")
# after these words, the next words are a proper name (`Bộ Tư pháp`, `tỉnh Đồng Tháp`)
_NAME_HEADS = re.compile(r"(?<!\w)((?<![ủỦ]y )(?<![uU]ỷ )ban|bộ|sở|tỉnh|thành phố|xã|phường|huyện|quận|thị xã|đặc khu|cục|vụ|viện|trường|học viện|đại học|báo|tạp chí)\s+(\w+)")


def is_upper(s: str) -> bool:
    return _is_upper(s, 0.85)


def org_case(name: str) -> str:
    """Sentence-case an upper-case name, keeping the proper parts capitalised."""
    s = " ".join(unify_tones(name).split())
    if not is_upper(s):
        return s[:1].upper() + s[1:] if s else s
    from extractors.abbreviations import STANDARD

    keep = {w for w in s.split() if w in STANDARD}
    low = " ".join(w if w in keep else w.lower() for w in s.split())
    low = _PROPER_RE.sub(lambda m: _PROPER_MAP[m.group(1)], low)

    def cap_place(m: re.Match[str]) -> str:
        head, word = m.group(1), m.group(2)
        if head in ("tỉnh", "thành phố", "xã", "phường", "huyện", "quận", "thị xã", "đặc khu"):
            # place names: every following word capitalised
            return m.group(0)
        return head[:1].upper() + head[1:] + " " + word[:1].upper() + word[1:]

    low = _NAME_HEADS.sub(cap_place, low)
    low = re.sub(
        r"(?<!\w)(tỉnh|thành phố|xã|phường|huyện|quận|thị xã|đặc khu)\s+((?:\w+)(?:\s+\w+){0,3})$",
        lambda m: m.group(1) + " " + " ".join(w[:1].upper() + w[1:] for w in m.group(2).split()),
        low,
    )
    return low[:1].upper() + low[1:]


def sentence_case(title: str) -> str:
    """An all-caps title in sentence case; other titles unchanged."""
    s = " ".join(title.split())
    if not is_upper(s):
        return s[:1].upper() + s[1:] if s else s
    low = _PROPER_RE.sub(lambda m: _PROPER_MAP[m.group(1)], s.lower())
    return low[:1].upper() + low[1:]
