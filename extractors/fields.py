"""Labelled field lines of the genre: `Đơn vị chủ trì: ...`, `Thời gian thực hiện: ...`.

`parse_field(text)` says whether a line (or table header cell) names a field
and which role it fills: `lead`, `support`, `supervisors`, `deadline`,
`product`, `content`. Matching folds case and accents, so `*Đơn vị tham
mưu thực hiện:*` and `ĐƠN VỊ CHỦ TRÌ` are both found. It does not parse the
value (see `extractors.units` and `extractors.deadlines`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from extractors.vntext import fold

# folded label -> role; longer labels first when matching
_LABELS: dict[str, str] = {
    # who leads
    "don vi tham muu thuc hien": "lead",
    "don vi tham muu": "lead",
    "co quan tham muu": "lead",
    "co quan tham muu thuc hien": "lead",
    "don vi thuc hien": "lead",
    "co quan thuc hien": "lead",
    "don vi chu tri": "lead",
    "co quan chu tri": "lead",
    "co quan don vi chu tri": "lead",
    "don vi chu tri thuc hien": "lead",
    "co quan chu tri thuc hien": "lead",
    "co quan don vi thuc hien": "lead",
    "don vi chiu trach nhiem": "lead",
    "trach nhiem thuc hien": "lead",
    "phan cong thuc hien": "lead",
    "chu tri thuc hien": "lead",
    "chu tri": "lead",
    "bo phan thuc hien": "lead",
    "nguoi thuc hien": "lead",
    "don vi ca nhan thuc hien": "lead",
    "to chuc thuc hien": "lead",
    "don vi tham muu chu tri": "lead",
    "co quan tham muu chu tri": "lead",
    # who coordinates
    "don vi phoi hop": "support",
    "co quan phoi hop": "support",
    "co quan don vi phoi hop": "support",
    "don vi phoi hop thuc hien": "support",
    "co quan phoi hop thuc hien": "support",
    "phoi hop thuc hien": "support",
    "phoi hop": "support",
    # who directs
    "lanh dao chi dao": "supervisors",
    "lanh dao phu trach": "supervisors",
    "chi dao": "supervisors",
    "chi dao thuc hien": "supervisors",
    "dong chi phu trach": "supervisors",
    "phu trach": "supervisors",
    "lanh dao chi dao thuc hien": "supervisors",
    # when
    "thoi gian thuc hien": "deadline",
    "thoi gian hoan thanh": "deadline",
    "thoi han hoan thanh": "deadline",
    "thoi han thuc hien": "deadline",
    "thoi han": "deadline",
    "thoi gian": "deadline",
    "tien do thuc hien": "deadline",
    "tien do": "deadline",
    "thoi gian trinh": "deadline",
    "thoi gian to chuc": "deadline",
    "thoi diem hoan thanh": "deadline",
    "so ngay du kien": "deadline",
    # what comes out
    "san pham": "product",
    "san pham du kien": "product",
    "san pham dau ra": "product",
    "ket qua": "product",
    "ket qua san pham": "product",
    "hinh thuc san pham": "product",
    "hinh thuc van ban": "product",
    # agenda
    "noi dung": "content",
}
_SORTED = sorted(_LABELS, key=len, reverse=True)
_BULLET = re.compile(r"^\s*(?:[-–—•+*]\s*)?")


@dataclass(frozen=True)
class Field:
    role: str
    label: str  # as written
    value: str  # text after the colon, stripped
    value_start: int  # offset of the value in the line


def parse_field(text: str) -> Field | None:
    """`- Đơn vị chủ trì: Vụ Pháp luật quốc tế.` -> Field(role="lead", value="Vụ Pháp luật quốc tế.")."""
    m = _BULLET.match(text)
    start = m.end() if m else 0
    colon = text.find(":", start)
    if colon < 0 or colon - start > 60:
        return None
    key = fold(text[start:colon])
    role = _LABELS.get(key)
    if role is None:
        return None
    vstart = colon + 1
    while vstart < len(text) and text[vstart] in " \t*":
        vstart += 1
    value = text[vstart:].strip()
    return Field(role=role, label=text[start:colon].strip(" *"), value=value, value_start=vstart)


_COL_INDICATOR = re.compile(r"\b(chi tieu|don vi tinh|gia tri|muc tieu)\b")
_COL_CONTENT = re.compile(r"\b(noi dung|ten nhiem vu|nhiem vu|cong viec|hoat dong|giai phap|ten de an|ten van ban|de an)\b")
_COL_LEAD = re.compile(r"\bchu tri\b|\bthuc hien\b|\bco quan\b|\bdon vi\b")
_COL_TIME = re.compile(r"\b(thoi gian|thoi han|tien do|hoan thanh)\b")
_COL_PRODUCT = re.compile(r"\b(san pham|ket qua)\b")


@lru_cache(maxsize=4096)
def column_role(header: str) -> str | None:
    """The role of a task-table column from its header cell (`Cơ quan chủ trì` -> lead)."""
    key = fold(header)
    if not key:
        return None
    if key in ("stt", "tt", "so tt", "so thu tu"):
        return "stt"
    if _COL_INDICATOR.search(key):
        return "indicator"
    if key in _LABELS and _LABELS[key] != "content":
        return _LABELS[key]
    if _COL_CONTENT.search(key):
        if "chu tri" in key:
            return "lead"
        return "content"
    if _COL_LEAD.search(key) and "phoi hop" not in key:
        if "thoi gian" in key or "thoi han" in key:
            return "deadline"
        return "lead"
    if "phoi hop" in key:
        return "support"
    if _COL_TIME.search(key):
        return "deadline"
    if _COL_PRODUCT.search(key):
        return "product"
    if "ghi chu" in key:
        return "note"
    return None
