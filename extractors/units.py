"""Responsible units: splitting unit lists, canonical names, kinds, and inline assignments.

Three jobs, all rules of the genre (ANNOTATION.md section 3):
- `split_units(value)` turns a field value or an assigned span into unit
  names: lists split per unit, collective runs kept up to the next `các`,
  `Các chi ủy: Vụ 1, Vụ 2` and `Viện phúc thẩm 1, 2, 3` expanded;
- `canonical(name)` expands the standard and the document's own
  abbreviations, unifies tone marks and capitalises; `unit_kind` classifies;
- `inline_roles(sentence)` reads `Giao X chủ trì, phối hợp với Y ...`,
  `Yêu cầu X chỉ đạo Y ...`, `X chịu trách nhiệm ...` and a unit subject
  followed by an action verb.
It does not decide what a task is.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from extractors.abbreviations import STANDARD, expand
from extractors.vntext import fold, unify_tones, vn_compile

# action verbs that end a unit span in running text (lower-case words only)
_VERBS = [
    "chủ trì", "phối hợp", "chịu trách nhiệm", "có trách nhiệm", "lãnh đạo", "chỉ đạo", "tham mưu", "tổ chức",
    "triển khai", "thực hiện", "xây dựng", "ban hành", "rà soát", "nghiên cứu", "hướng dẫn", "theo dõi", "đôn đốc",
    "kiểm tra", "giám sát", "báo cáo", "tổng hợp", "quán triệt", "tuyên truyền", "đẩy mạnh", "tăng cường",
    "tiếp tục", "khẩn trương", "nghiêm túc", "chủ động", "căn cứ", "cụ thể hóa", "cụ thể hoá", "hoàn thành",
    "hoàn thiện", "sửa đổi", "đánh giá", "tập trung", "quan tâm", "bố trí", "đề xuất", "cho ý kiến", "xem xét",
    "phải", "cần", "quyết liệt", "kịp thời", "trình", "cung cấp", "bảo đảm", "đảm bảo", "phát huy", "thẩm định",
    "gửi", "lập", "sơ kết", "tổng kết", "phổ biến", "vận động", "hỗ trợ", "định hướng", "tiếp nhận",
    "thường xuyên", "giúp", "làm đầu mối", "là cơ quan", "là đầu mối", "thống nhất", "trực tiếp", "quán xuyến",
    "sớm", "ưu tiên", "rút kinh nghiệm", "tích cực", "cử", "nâng cao", "đổi mới", "thành lập", "cập nhật",
    "ứng dụng", "công bố", "tiến hành", "thông báo", "xử lý", "giải quyết", "điều chỉnh", "khắc phục",
    "kiện toàn", "sắp xếp", "theo chức năng", "trong phạm vi", "căn cứ chức năng", "có kế hoạch", "nghiêm",
    "được giao", "theo dõi", "chuẩn bị", "bám sát", "thẩm tra", "tiếp thu", "dự thảo", "trình", "giao",
    "đề nghị", "phân công", "chấn chỉnh", "quản lý", "nắm", "làm tốt", "thúc đẩy", "huy động", "vận hành",
    "kết nối", "chia sẻ", "số hóa", "số hoá", "tăng", "giảm", "đạt", "duy trì", "ký", "bổ sung",
]
_VERB_RE = vn_compile(
    r"(?<![\w])(" + "|".join(re.escape(v) for v in sorted(set(_VERBS), key=len, reverse=True)) + r")(?![\w])"
)
# `tổ chức` is a noun in these unit names
_TOCHUC_NOUN = re.compile(r"^tổ chức\s+(đảng|chính trị|đoàn thể|cơ sở|hội(?!\s+(?:nghị|thảo|thi|diễn|giảng|chợ|trại))|thành viên|xã hội|kinh tế|tín dụng|quốc tế|liên quan|có liên quan|,|và|trực thuộc|công đoàn)")
_HEAD_WORDS = (
    "Ban|Bộ|Sở|Ủy ban|Uỷ ban|Hội đồng|Đảng ủy|Đảng uỷ|Đảng đoàn|Đảng bộ|Chi ủy|Chi uỷ|Chi bộ|Tỉnh ủy|Tỉnh uỷ|Thành ủy|"
    "Thành uỷ|Huyện ủy|Huyện uỷ|Cục|Vụ|Phòng|Văn phòng|Viện|Trường|Đoàn|Hội|Mặt trận|Thường trực|Thường vụ|Lãnh đạo|"
    "Thủ trưởng|Giám đốc|Chủ tịch|Phó Chủ tịch|Trung tâm|Khoa|Cơ quan|Công an|Bộ Chỉ huy|Tòa án|Toà án|Viện kiểm sát|"
    "Kho bạc|Ngân hàng|Liên đoàn|Liên minh|Hiệp hội|Tổng cục|Thanh tra|Chính phủ|Quốc hội|Cổng|Báo|Đài|Tập đoàn|"
    "Tổng công ty|Công ty|Bí thư|Bộ trưởng|Thứ trưởng|Vụ trưởng|Cục trưởng|Viện trưởng|Chánh Văn phòng|Người đứng đầu|"
    "Trưởng|Phó|Cấp ủy|Cấp uỷ|Ban Thường vụ|Doanh nghiệp|Tổ(?! chức(?! (?:đảng|Đoàn|đoàn|chính trị|thành viên|Công đoàn)))|Nhóm|"
    "Học viện|Đại học|Bệnh viện|Trạm|Chi cục|Ngành|Địa phương|Đơn vị|Tổ chức(?= (?:đảng|Đoàn|đoàn|chính trị|thành viên|Công đoàn))|Ủy viên|Uỷ viên|"
    "Thành viên|Đồng chí|Đ/c|Ủy ban nhân dân|Uỷ ban nhân dân|Hội đồng nhân dân"
)
_ACRONYMS = "|".join(sorted((re.escape(k) for k in STANDARD if k.isupper() and len(k) >= 3), key=len, reverse=True))
_UNIT_HEAD = vn_compile(
    r"^(?:(?:[Cc]ác|[Mm]ỗi|[Tt]ừng)\s+)?(?:(?:đồng chí|đ/c|Đ/c)\s+)?(?:" + _HEAD_WORDS + "|" + _ACRONYMS + r")(?![\w])",
    re.I,
)
_TRAILING_QUALIFIERS = vn_compile(
    r"\s*(?:,\s*)?(?:theo chức năng,? nhiệm vụ|theo chức năng|đã được phân công|được phân công|theo lĩnh vực|"
    r"căn cứ chức năng|trong phạm vi|theo nhiệm vụ|theo thẩm quyền|có trách nhiệm|chịu trách nhiệm|(?:để|nhằm)(?:\s|$)|"
    r"(?<=,\s)phụ trách\b|phụ trách lĩnh vực).*$"
)
_PARENS = re.compile(r"\s*\((?:[^()]*)\)")
_LIST_HEAD = vn_compile(r"(?:^|(?<=[,;]\s)|(?<=\svà\s))(?P<head>(?:các|Các)\s+(?P<noun>[\w\s]{2,30}?))\s*:\s*")
_NUM_LIST = vn_compile(r"^(?P<base>.*?\D)\s*(?P<first>\d+)((?:\s*,\s*\d+)+)(?:\s*(?:,|và)\s*(?P<last>\d+))?$")
_SPLIT_KEEP = vn_compile(r"(\s*;\s*|\s*,\s*|\s+và\s+|\s+cùng\s+|\s+với\s+)")
_LOWER_START = vn_compile(r"^[\p{Ll}]")

_PARTY_COMMITTEE = vn_compile(r"^(?:các\s+)?(Đảng ủy|Đảng uỷ|đảng ủy|đảng uỷ|Tỉnh ủy|Tỉnh uỷ|Thành ủy|Thành uỷ|Huyện ủy|Ban Thường vụ|Ban Chấp hành|Bộ Chính trị|Ban Bí thư|Đảng đoàn|Ban cán sự|Ủy ban Kiểm tra|Uỷ ban Kiểm tra|cấp ủy|cấp uỷ|Cấp ủy|Cấp uỷ)", re.I)
_PARTY_CELL = vn_compile(r"^(?:các\s+)?(Chi ủy|Chi uỷ|Chi bộ|chi ủy|chi bộ|Tổ đảng)", re.I)
_STATE = vn_compile(r"^(?:các\s+)?(Bộ(?! phận)|Sở|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Hội đồng nhân dân|Chính phủ|Quốc hội|Tòa án|Toà án|Viện kiểm sát|Kho bạc|Ngân hàng Nhà nước|Thủ tướng|Ủy ban Dân tộc|Công an|Tổng cục|Ủy ban Thường vụ Quốc hội)", re.I)
_DEPT = vn_compile(r"^(?:các\s+)?(Vụ|Cục|Phòng|Văn phòng|Ban|Viện|Khoa|Trung tâm|Thanh tra|Cơ quan|Trường|Học viện|Báo|Tạp chí|Đài|Cổng)", re.I)
_MASS = vn_compile(r"^(?:các\s+)?(Đoàn Thanh niên|Hội|Mặt trận|Công đoàn|Liên đoàn|Liên minh|Hiệp hội|Đoàn thể|đoàn thể|tổ chức chính trị)", re.I)
_PERSON = vn_compile(r"^(?:các\s+)?(đồng chí|Đồng chí|Bí thư|Phó Bí thư|Chủ tịch|Phó Chủ tịch|Giám đốc|Thủ trưởng|Vụ trưởng|Cục trưởng|Chánh|Viện trưởng|Người đứng đầu|người đứng đầu|Trưởng|Hiệu trưởng|Lãnh đạo|lãnh đạo|Thành viên)", re.I)


@dataclass
class Roles:
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    supervisors: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.lead or self.support or self.supervisors)


def canonical(name: str, defined: dict[str, str] | None = None) -> str:
    """One name per unit: abbreviations expanded, tone marks unified, a capital first letter."""
    s = " ".join(unify_tones(name).split()).strip(" .,;:-–")
    s = expand(s, defined)
    s = re.sub(r"^(?:đ/c|Đ/c)\s+", "đồng chí ", s)
    return s[:1].upper() + s[1:] if s else s


def unit_kind(name: str) -> str:
    s = name.strip()
    low = s.lower()
    if _PERSON.match(s):
        return "person"
    if low.startswith("các ") and not _PARTY_CELL.match(s) and not _PARTY_COMMITTEE.match(s) or ", " in s:
        return "collective"
    if _PARTY_CELL.match(s):
        return "party_cell"
    if _PARTY_COMMITTEE.match(s):
        return "party_committee"
    if _PERSON.match(s):
        return "person"
    if _MASS.match(s):
        return "mass_organisation"
    if _STATE.match(s):
        return "state_agency"
    if _DEPT.match(s):
        return "department"
    if low.startswith("các "):
        return "collective"
    return "other"


def _clean_value(value: str) -> str:
    s = value.strip()
    s = _PARENS.sub("", s)
    s = _TRAILING_QUALIFIERS.sub("", s)
    return s.strip(" .;:,")


def _expand_numbers(piece: str) -> list[str]:
    """`Viện phúc thẩm 1, 2, 3` -> three names (called on a piece before splitting on commas)."""
    m = _NUM_LIST.match(piece)
    if not m:
        return [piece]
    base = m.group("base").rstrip()
    nums = [m.group("first")] + re.findall(r"\d+", m.group(3))
    if m.group("last"):
        nums.append(m.group("last"))
    return [f"{base} {n}" for n in nums]


_PROPER_INSIDE = vn_compile(r"\s(?:[\p{Lu}][\p{Ll}]+|[\p{Lu}]{2,}[\p{Lu}&]*)")


def _split_collective(pieces: list[str]) -> list[str]:
    """Merge lower-case pieces into the unit they continue.

    `các cơ quan, đơn vị, địa phương` is one collective; `Vụ Phổ biến, giáo dục
    pháp luật` one name; but `đảng ủy VKSND tỉnh` after a collective names a
    unit of its own (it carries a proper name).
    """
    out: list[str] = []
    for p in pieces:
        p = p.strip()
        if not p:
            continue
        if out and _LOWER_START.match(p) and not p.lower().startswith(("các ", "mỗi ", "từng ")):
            if not _names_own_unit(p):
                out[-1] = out[-1] + ", " + p
                continue
        out.append(p)
    return out


_GENERIC_HEAD = vn_compile(
    r"^(?:đảng ủy|đảng uỷ|chi ủy|chi uỷ|chi bộ|đảng bộ|cấp ủy|cấp uỷ|ủy ban nhân dân|uỷ ban nhân dân|đơn vị|cơ quan|"
    r"địa phương|tổ chức|ban|ngành|sở|bộ|phòng|doanh nghiệp|trường|viện|hội|đoàn thể|lãnh đạo|thủ trưởng|người đứng đầu)\s+"
)


def _names_own_unit(piece: str) -> bool:
    """A lower-case piece names a unit of its own when a proper name follows its head noun."""
    m = _GENERIC_HEAD.match(piece)
    if not m:
        return False
    nxt = piece[m.end():]
    if re.match(r"^(?:Thành phố|Tỉnh|Trung ương|Nhà nước|Thủ đô|Quận|Huyện|Xã|Phường)\b", nxt):
        return False  # `ngành Thành phố`: a qualifier of the collective, not a name
    return bool(re.match(r"[A-ZĐ]", nxt[:1]) or vn_compile(r"^[\p{Lu}]").match(nxt))


def _join_and(tokens: list[str], seps: list[str]) -> list[str]:
    """Re-join `X và Y` where Y is not a unit of its own (`Ban Tuyên giáo và Dân vận`)."""
    out: list[str] = []
    for k, t in enumerate(tokens):
        sep = seps[k - 1] if k else ""
        joinable = out and t and not _UNIT_HEAD.match(t) and not _LOWER_START.match(t) and not re.match(r"^\d", t)
        if joinable and sep.strip() == "và":
            out[-1] = out[-1] + " và " + t
        elif joinable and sep.strip() == "," and _UNIT_HEAD.match(out[-1]) and len(t.split()) <= 3:
            out[-1] = out[-1] + ", " + t
        else:
            out.append(t)
    return out


_PARTY_HEAD = vn_compile(r"^(?:chi ủy|chi uỷ|chi bộ|đảng ủy|đảng uỷ|đảng bộ|tổ đảng|cấp ủy|cấp uỷ|ban cán sự đảng)\b", re.I)
_UNIT_PARENS = vn_compile(r"\((?P<inner>[^()]{3,200})\)")


def split_units(value: str, defined: dict[str, str] | None = None) -> list[str]:
    """Canonical unit names in a field value or an assigned span (see `_split_units`); cached."""
    return list(_split_units_cached(value, tuple(sorted(defined.items())) if defined else ()))


@lru_cache(maxsize=8192)
def _split_units_cached(value: str, defined_items: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(_split_units(value, dict(defined_items) or None))


def _split_units(value: str, defined: dict[str, str] | None = None) -> list[str]:
    """Canonical unit names in a field value or an assigned span, in order, without duplicates.

    Units named in parentheses (`Bộ Quốc phòng (Cục Bản đồ Bộ Tổng tham mưu)`)
    are units too; other parenthesised words (`(để báo cáo)`) are dropped.
    """
    inner_units: list[str] = []
    for m in _UNIT_PARENS.finditer(value):
        inner = m.group("inner").strip()
        if _UNIT_HEAD.match(inner) and not re.match(r"^(?:để|nếu|theo)\b", inner):
            inner_units.append(inner)
    if inner_units:
        outer = _UNIT_PARENS.sub("", value)
        names = _split_plain(outer, defined)
        for inner in inner_units:
            names.extend(n for n in _split_plain(inner, defined) if n not in names)
        return names
    return _split_plain(value, defined)


_CODE_IN_NAME = re.compile(r"\d+\s*/\s*[A-ZĐ]")


def _plausible_unit(name: str) -> bool:
    """Not an action (`Ban hành kèm theo ...`, `Báo cáo ...`) and not a cited document."""
    if _CODE_IN_NAME.search(name):
        return False
    low = name[:1].lower() + name[1:]
    m = _VERB_RE.match(low)
    if m is None:
        return True
    rest = low[m.end():].lstrip()
    if m.group(1) == "lãnh đạo" and (rest[:1].isupper() or rest.startswith("các")):
        return True
    if m.group(1) == "tổ chức" and _TOCHUC_NOUN.match(low):
        return True
    return False


def _split_plain(value: str, defined: dict[str, str] | None) -> list[str]:
    s = _clean_value(value)
    if not s:
        return []
    names: list[str] = []
    # `Các chi ủy: Vụ 1, Vụ 2 và các đảng ủy: Viện phúc thẩm 1, 2, 3` - lists under a collective head
    heads = list(_LIST_HEAD.finditer(s))
    if heads:
        chunks: list[tuple[str | None, str]] = []
        if heads[0].start() > 0:
            chunks.append((None, s[: heads[0].start()]))
        for k, m in enumerate(heads):
            end = heads[k + 1].start() if k + 1 < len(heads) else len(s)
            chunks.append((m.group("noun").strip(), s[m.end(): end]))
    else:
        chunks = [(None, s)]
    for head, chunk in chunks:
        chunk = re.sub(r"(?:\s*,\s*|\s+)(?:và|cùng)\s*$", "", chunk.strip(" ,;"))
        # expand number lists before splitting on commas
        expanded: list[str] = []
        for part in re.split(r"\s*;\s*", chunk):
            expanded.extend(_number_aware_split(part))
        expanded = [q for p in expanded for q in _split_same_rank(p)]
        pieces = _split_collective(expanded) if head is None else [p for p in expanded if p.strip()]
        for p in pieces:
            p = p.strip(" .;:,")
            if not p or len(p) < 2:
                continue
            if head and (_PARTY_HEAD.match(head) or not _UNIT_HEAD.match(p)):
                noun = head[:1].upper() + head[1:]
                p = f"{noun} {p}"
            names.append(canonical(p, defined))
    seen: set[str] = set()
    out: list[str] = []
    for n in names:
        k = fold(n)
        if not _plausible_unit(n):
            continue
        if k and k not in seen and not re.fullmatch(r"[\d\W]+", n):
            seen.add(k)
            out.append(n)
    return out


_SAME_RANK = vn_compile(r"(?<=[\p{Ll}])\s+(?=(?:Bộ|Sở|Tỉnh ủy|Thành ủy|Ủy ban nhân dân|UBND)\s+[\p{Lu}])")


def _split_same_rank(piece: str) -> list[str]:
    """`Bộ Thông tin và Truyền thông Bộ Khoa học và Công nghệ` (a lost separator) -> two names."""
    m = re.match(r"^(Bộ|Sở|Tỉnh ủy|Thành ủy|Ủy ban nhân dân|UBND)\s", piece)
    if not m:
        return [piece]
    parts = _SAME_RANK.split(piece)
    if len(parts) > 1 and all(p.startswith(m.group(1)) for p in parts):
        return parts
    return [piece]


def _number_aware_split(part: str) -> list[str]:
    """Split on `,`/`và` but keep `Viện phúc thẩm 1, 2, 3` together and expand it."""
    raw = _SPLIT_KEEP.split(part)
    tokens = _join_and(raw[0::2], [x for x in raw[1::2]])
    out: list[str] = []
    k = 0
    while k < len(tokens):
        t = tokens[k].strip()
        if re.search(r"\D\s\d+$", t) and k + 1 < len(tokens) and re.fullmatch(r"\d+", tokens[k + 1].strip()):
            run = [t]
            while k + 1 < len(tokens) and re.fullmatch(r"\d+", tokens[k + 1].strip()):
                run.append(tokens[k + 1].strip())
                k += 1
            out.extend(_expand_numbers(", ".join(run)))
        else:
            out.append(t)
        k += 1
    return out


# --- inline assignments ------------------------------------------------------------

_GIAO = vn_compile(r"(?:^|(?<=[\s,;(]))(?P<cue>[Gg]iao|[Yy]êu cầu|[Đđ]ề nghị|[Cc]hỉ đạo)\s+(?!(?:cho\s+)?(?:nhiệm vụ|các nội dung|việc)\b)(?P<rest>.+)$", re.S)
_DIRECTS = vn_compile(r"^(?:[^.;]*?,\s*)?(?:(?:chủ động|trực tiếp|tiếp tục|thường xuyên)\s+)*(?:lãnh đạo,?\s*)?chỉ đạo\s+(?P<rest>(?:các|Các)\s.+)$")
_COORD = vn_compile(r"(?<![\w])[Pp]hối hợp(?:\s+(?:chặt chẽ|với|cùng))*\s+(?P<rest>.+)$", re.S)


# after these words a verb is part of a name (`Vụ ... về xây dựng pháp luật`, `Tổng cục quản lý ruộng đất`, `Ban chỉ đạo`)
_NAME_PREPOSITIONS = {"về", "của", "và", "hoặc", "việc", "tác", "cho", "đối", "với", "trong", "các", "cục", "ban"}


_CAP_VERBS = vn_compile(
    r"\s(Chủ trì|Phối hợp|Hướng dẫn|Định hướng|Xây dựng|Tổ chức(?! (?:đảng|Đoàn|đoàn|chính trị|thành viên))|Triển khai|Thực hiện|"
    r"Tham mưu|Theo dõi|Chỉ đạo|Hỗ trợ|Bố trí|Rà soát|Nghiên cứu|Tiếp tục|Đẩy mạnh|Tăng cường|Căn cứ|Là|Thẩm định|Đôn đốc|"
    r"Tuyên truyền|Chịu trách nhiệm|Có trách nhiệm|Kiểm tra|Cung cấp|Trên cơ sở|Chủ động|Phối hợp với)(?![\w])"
)
_HEAD_BEFORE = vn_compile(r"(?:^|\s)(?:Vụ|Cục|Ban|Phòng|Sở|Bộ|Trung tâm|Viện|Ủy ban|Uỷ ban|Tổng cục|Hội|Đoàn|Văn phòng|Trường|Khoa)$")


def _span_until_verb(text: str) -> tuple[str, str]:
    """(unit span, the rest starting at the first action verb) of a text that starts with units."""
    nl = text.find("\n")
    if nl > 0:
        head, tail = text[:nl].rstrip(" :"), text[nl + 1:]
        span, rest = _span_until_verb_line(head)
        if not rest:
            return span, tail
        return span, rest + "\n" + tail
    return _span_until_verb_line(text)


def _span_until_verb_line(text: str) -> tuple[str, str]:
    cap = None
    for m in _CAP_VERBS.finditer(text):
        if not _HEAD_BEFORE.search(text[: m.start()]):
            cap = m
            break
    span, rest = _span_lower(text)
    if cap is not None and cap.start() < len(span):
        return text[: cap.start()].rstrip(" ,"), text[cap.start() + 1:]
    return span, rest


def _span_lower(text: str) -> tuple[str, str]:
    pos = 0
    depth_at = 0  # parenthesis depth at `depth_pos`, kept as the scan moves right (no rescans)
    depth_pos = 0
    while True:
        m = _VERB_RE.search(text, pos)
        if not m:
            return text, ""
        word = m.group(1)
        depth_at += text.count("(", depth_pos, m.start()) - text.count(")", depth_pos, m.start())
        depth_pos = m.start()
        if depth_at > 0:
            pos = m.end()
            continue
        if word == "tổ chức" and _TOCHUC_NOUN.match(text[m.start():]):
            pos = m.end()
            continue
        if word in ("tham mưu", "giúp") and re.match(r"^(?:tham mưu,?\s*giúp việc|giúp việc)", text[m.start():]):
            pos = m.end() + (len("giúp việc") + 2 if word == "tham mưu" else len("việc"))
            continue
        # inside a capitalised name (`Cục Kiểm tra`) verbs are capitalised, so only lower-case hits stop;
        # after a preposition (`Vụ Các vấn đề chung về xây dựng pháp luật`) a verb is part of a name
        before = text[: m.start()].rstrip()
        prev_word = before.rsplit(" ", 1)[-1].lower() if before else ""
        if m.start() == 0 or prev_word in _NAME_PREPOSITIONS:
            pos = m.end()
            continue
        if " " not in word and prev_word and before.rsplit(" ", 1)[-1][:1].isupper():
            pos = m.end()  # `Ủy ban Bầu cử xã`: a one-syllable verb after a capitalised syllable is part of a name
            continue
        return text[: m.start()].rstrip(" ,"), text[m.start():]


def _looks_like_units(span: str) -> bool:
    s = span.strip()
    if not s or len(s) > 400:
        return False
    return bool(_UNIT_HEAD.match(s))


_STARTS_WITH_ACTION = vn_compile(r"^(?:Tổ chức|Chủ trì|Phối hợp|Chỉ đạo|Lãnh đạo|Tham mưu|Hướng dẫn|Thực hiện|Triển khai)\b(?!\s+(?:đảng|Đoàn|đoàn|chính trị|thành viên))")
_MID_SUBJECT = vn_compile(
    r",\s+(?P<span>(?:các|Các)\s+[^,;.]{2,40}(?:,\s+[^,;.]{2,60}){0,8}?)\s+(?:cần|phải|có trách nhiệm|chịu trách nhiệm|chủ động|tập trung|khẩn trương)\b"
)


def intro_subject(text: str, defined: dict[str, str] | None = None) -> list[str]:
    """`Nhằm ..., các Bộ, cơ quan ngang Bộ, ... cần ...`: the units an introductory sentence holds to account."""
    m = _MID_SUBJECT.search(text)
    if not m:
        return []
    span = m.group("span")
    return split_units(span, defined) if _looks_like_units(span) else []


def inline_roles(sentence: str, defined: dict[str, str] | None = None) -> Roles:
    """Units a sentence assigns by its own words (`Giao X chủ trì, phối hợp với Y ...`)."""
    r = Roles()
    s = sentence.strip()
    m = _GIAO.search(s[:200])
    if m:
        span, rest = _span_until_verb(m.group("rest"))
        if _looks_like_units(span):
            rest_fold = rest[:40].lower()
            if rest_fold.startswith(("lãnh đạo, chỉ đạo", "lãnh đạo chỉ đạo", "chỉ đạo")):
                inner = re.sub(r"^(lãnh đạo,?\s*chỉ đạo|chỉ đạo)\s*(,\s*)?", "", rest)
                span2, rest2 = _span_until_verb(inner)
                if _looks_like_units(span2) and not inner.lower().startswith(("việc", "thực hiện", "triển khai")):
                    r.supervisors = split_units(span, defined)
                    r.lead = split_units(span2, defined)
                    rest = rest2
                else:
                    r.lead = split_units(span, defined)
            else:
                r.lead = split_units(span, defined)
            _coordination(rest, r, defined)
            return r
    # a unit subject at the start: `Văn phòng Đảng ủy chủ trì, ...`, `Các tỉnh uỷ, thành uỷ phối hợp Bộ Y tế ...`
    if _UNIT_HEAD.match(s) and not _STARTS_WITH_ACTION.match(s):
        span, rest = _span_until_verb(s)
        if rest and _looks_like_units(span) and len(span.split()) <= 60:
            subject = split_units(span, defined)
            d = _DIRECTS.search(rest[:240])
            if d:
                span2, _ = _span_until_verb(d.group("rest"))
                if _looks_like_units(span2):
                    r.supervisors = subject
                    r.lead = split_units(span2, defined)
                    return r
            r.lead = subject
            _coordination(rest, r, defined)
            return r
    _coordination(s, r, defined)
    return r


def _coordination(rest: str, r: Roles, defined: dict[str, str] | None) -> None:
    m = _COORD.search(rest)
    if not m:
        return
    span, _ = _span_until_verb(m.group("rest"))
    span = re.split(r"[.;]", span)[0]
    if _looks_like_units(span):
        r.support = [u for u in split_units(span, defined) if u not in r.lead]
