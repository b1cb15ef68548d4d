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
from dataclasses import dataclass, field

from extractors.abbreviations import expand
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
_TOCHUC_NOUN = re.compile(r"^tổ chức\s+(đảng|chính trị|đoàn thể|cơ sở|hội|thành viên|xã hội|kinh tế|tín dụng|quốc tế|liên quan|có liên quan|,|và|trực thuộc|công đoàn)")
_UNIT_HEAD = vn_compile(
    r"^(?:[Cc]ác\s+|[Mm]ỗi\s+|[Tt]ừng\s+)?(?:đồng chí\s+)?(?:Ban|Bộ|Sở|Ủy ban|Uỷ ban|UBND|HĐND|Hội đồng|Đảng ủy|Đảng uỷ|Đảng đoàn|Đảng bộ|Chi ủy|Chi uỷ|Chi bộ|"
    r"Tỉnh ủy|Tỉnh uỷ|Thành ủy|Thành uỷ|Huyện ủy|Cục|Vụ|Phòng|Văn phòng|Viện|Trường|Đoàn|Hội|Mặt trận|Thường trực|Thường vụ|"
    r"Lãnh đạo|Thủ trưởng|Giám đốc|Chủ tịch|Trung tâm|Khoa|Cơ quan|Công an|Bộ Chỉ huy|Tòa án|Viện kiểm sát|Kho bạc|Ngân hàng|"
    r"Liên đoàn|Liên minh|Hiệp hội|Tổng cục|Thanh tra|Chính phủ|Quốc hội|Cổng|Báo|Đài|Tập đoàn|Tổng công ty|Công ty|Bí thư|"
    r"Người đứng đầu|Trưởng|Phó|Cấp ủy|Cấp uỷ|cấp ủy|cấp uỷ|Ban Thường vụ|UBKT|VPĐU|VKSND|MTTQ|Doanh nghiệp|Tổ|Nhóm|Học viện|Đại học|"
    r"bộ|sở|ban|ngành|địa phương|đơn vị|cơ quan|đảng ủy|đảng uỷ|chi ủy|chi uỷ|tỉnh ủy|tỉnh uỷ|thành ủy|thành uỷ|tổ chức|doanh nghiệp|"
    r"[\p{Lu}]{2,}[\p{Lu}&]*)(?![\w])"
)
_TRAILING_QUALIFIERS = vn_compile(
    r"\s*(?:,\s*)?(?:theo chức năng,? nhiệm vụ|theo chức năng|đã được phân công|được phân công|theo lĩnh vực|"
    r"căn cứ chức năng|trong phạm vi|theo nhiệm vụ|theo thẩm quyền|có trách nhiệm|chịu trách nhiệm|(?:để|nhằm)\s).*$"
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
    return bool(re.match(r"[A-ZĐ]", nxt[:1]) or vn_compile(r"^[\p{Lu}]").match(nxt))


def _join_and(tokens: list[str], seps: list[str]) -> list[str]:
    """Re-join `X và Y` where Y is not a unit of its own (`Ban Tuyên giáo và Dân vận`)."""
    out: list[str] = []
    for k, t in enumerate(tokens):
        sep = seps[k - 1] if k else ""
        if out and sep.strip() == "và" and t and not _UNIT_HEAD.match(t) and not _LOWER_START.match(t):
            out[-1] = out[-1] + " và " + t
        else:
            out.append(t)
    return out


def split_units(value: str, defined: dict[str, str] | None = None) -> list[str]:
    """Canonical unit names in a field value or an assigned span, in order, without duplicates."""
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
        pieces = _split_collective(expanded) if head is None else [p for p in expanded if p.strip()]
        for p in pieces:
            p = p.strip(" .;:,")
            if not p or len(p) < 2:
                continue
            if head:
                noun = head[:1].upper() + head[1:]
                p = f"{noun} {p}"
            names.append(canonical(p, defined))
    seen: set[str] = set()
    out: list[str] = []
    for n in names:
        k = fold(n)
        if k and k not in seen and not re.fullmatch(r"[\d\W]+", n):
            seen.add(k)
            out.append(n)
    return out


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

_GIAO = vn_compile(r"(?:^|(?<=[\s,;(]))(?P<cue>[Gg]iao|[Yy]êu cầu|[Đđ]ề nghị|[Cc]hỉ đạo)\s+(?!(?:cho\s+)?(?:nhiệm vụ|các nội dung|việc)\b)(?P<rest>.+)$")
_COORD = vn_compile(r"(?<![\w])phối hợp(?:\s+(?:chặt chẽ|với|cùng))*\s+(?P<rest>.+)$")


def _span_until_verb(text: str) -> tuple[str, str]:
    """(unit span, the rest starting at the first action verb) of a text that starts with units."""
    pos = 0
    while True:
        m = _VERB_RE.search(text, pos)
        if not m:
            return text, ""
        word = m.group(1)
        if word == "tổ chức" and _TOCHUC_NOUN.match(text[m.start():]):
            pos = m.end()
            continue
        if word in ("tham mưu", "giúp") and re.match(r"^(?:tham mưu,?\s*giúp việc|giúp việc)", text[m.start():]):
            pos = m.end() + (len("giúp việc") + 2 if word == "tham mưu" else len("việc"))
            continue
        # inside a capitalised name (`Cục Kiểm tra`) verbs are capitalised, so only lower-case hits stop
        if m.start() == 0:
            pos = m.end()
            continue
        return text[: m.start()].rstrip(" ,"), text[m.start():]


def _looks_like_units(span: str) -> bool:
    s = span.strip()
    if not s or len(s) > 220:
        return False
    return bool(_UNIT_HEAD.match(s))


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
    if _UNIT_HEAD.match(s):
        span, rest = _span_until_verb(s)
        if rest and _looks_like_units(span) and len(span.split()) <= 30:
            r.lead = split_units(span, defined)
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
