"""Document metadata from the header, the title, the opening sentence and the signature block.

Reads `doc_type`, `code` (`number`, `symbol`), `issued_date`, `place`,
`issuer`, `title`, `signer`, `signer_position` and `recipients` as
ANNOTATION.md section 1 defines them. Only the header zone (before the body
starts) is searched for the document's own number and date, so a number cited
in the body is never taken as its code; a number or day left blank everywhere
(e-signature stamps included) stays null. It does not read tasks or units.
"""
from __future__ import annotations

import datetime as dt
import re

from extractors.vntext import vn_compile
from dataclasses import dataclass, field

from extractors.abbreviations import defined_abbreviations, expand
from extractors.fields import column_role, parse_field
from extractors.labels import parse_label
from extractors.normalise import Layout
from extractors.orgcase import is_upper, org_case, sentence_case
from extractors.vntext import fold, unify_tones

DOC_TYPES: dict[str, str] = {
    "CHƯƠNG TRÌNH HÀNH ĐỘNG": "Chương trình",
    "CHƯƠNG TRÌNH": "Chương trình",
    "NGHỊ QUYẾT": "Nghị quyết",
    "KẾT LUẬN": "Kết luận",
    "KẾ HOẠCH": "Kế hoạch",
    "CHỈ THỊ": "Chỉ thị",
    "QUYẾT ĐỊNH": "Quyết định",
    "THÔNG BÁO": "Thông báo",
    "HƯỚNG DẪN": "Hướng dẫn",
    "QUY ĐỊNH": "Quy định",
    "QUY CHẾ": "Quy chế",
    "BÁO CÁO": "Báo cáo",
    "CÔNG VĂN": "Công văn",
    "CÔNG ĐIỆN": "Công điện",
    "ĐỀ ÁN": "Đề án",
    "TỜ TRÌNH": "Tờ trình",
    "THÔNG TƯ": "Thông tư",
    "NGHỊ ĐỊNH": "Nghị định",
    "LUẬT": "Luật",
}
# symbol abbreviations (`KH` in `617/KH-UBND`) to document types
SYMBOL_TYPES: dict[str, str] = {
    "KH": "Kế hoạch", "NQ": "Nghị quyết", "KL": "Kết luận", "CT": "Chỉ thị", "QĐ": "Quyết định",
    "TB": "Thông báo", "HD": "Hướng dẫn", "QĐi": "Quy định", "QyĐ": "Quy định", "QC": "Quy chế",
    "BC": "Báo cáo", "CTr": "Chương trình", "ĐA": "Đề án", "TTr": "Tờ trình", "TT": "Thông tư",
    "NĐ": "Nghị định", "CĐ": "Công điện",
}
_TYPE_RE = vn_compile(r"(?<![\wÀ-Ỹ])(" + "|".join(sorted(DOC_TYPES, key=len, reverse=True)) + r")(?![\wÀ-Ỹ])")
_CODE_RE = vn_compile(
    r"(?<![\wÀ-ỹ])Số\s*[:.]?\s*(?P<num>\d+[a-zA-Z]?)?\s*(?P<sep>[/\-])\s*(?P<sym>[A-ZĐ][A-Za-zĐđ0-9\-/&.]*[A-Za-zĐđ0-9])"
)
_DATE_RE = vn_compile(
    r"(?<![\w/])(?P<place>(?:[\p{Lu}][\p{Ll}]+\s+){0,3}[\p{Lu}][\p{Ll}]+)\s*,\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})"
)
_STAMP_DATE = vn_compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_STAMP_DATE_WORDS = vn_compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")
_BODY_START = vn_compile(r"^(?:Căn cứ|Thực hiện|Kính gửi|Tại (?:phiên|hội nghị|cuộc)|Ngày \d|Theo đề nghị|Xét đề nghị|Trên cơ sở)")
_TITLE_STOP = vn_compile(r"^(?:Căn cứ|Thực hiện|Kính gửi|Tại |Ngày \d|Theo |Xét |Trên cơ sở|\(Kèm theo|Kèm theo|Số\s*:)")
_MOTTO = vn_compile(r"(CỘNG HO[ÀA]|CỘNG HÒA|ĐẢNG CỘNG SẢN VIỆT NAM|Độc lập|ĐỘC LẬP)")
_SIG_MARK = vn_compile(r"(?<![\wÀ-ỹ])(T/M|TM\.|TM|KT\.|K/T|KT|TL\.|TL|TUQ\.|Q\.)\s+(?=[\p{Lu}])")
_POSITIONS = [
    "TỔNG BÍ THƯ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "PHÓ BÍ THƯ", "BÍ THƯ", "PHÓ CHỦ TỊCH THƯỜNG TRỰC", "PHÓ CHỦ TỊCH",
    "CHỦ TỊCH", "PHÓ THỦ TƯỚNG THƯỜNG TRỰC", "PHÓ THỦ TƯỚNG", "THỦ TƯỚNG", "THỨ TRƯỞNG", "BỘ TRƯỞNG",
    "PHÓ GIÁM ĐỐC", "GIÁM ĐỐC", "PHÓ VIỆN TRƯỞNG", "VIỆN TRƯỞNG", "PHÓ CHÁNH VĂN PHÒNG", "CHÁNH VĂN PHÒNG",
    "PHÓ TRƯỞNG BAN", "TRƯỞNG BAN", "PHÓ HIỆU TRƯỞNG", "HIỆU TRƯỞNG", "CHỦ NHIỆM", "PHÓ CHỦ NHIỆM",
    "CHÁNH ÁN", "PHÓ CHÁNH ÁN", "TỔNG CỤC TRƯỞNG", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "VỤ TRƯỞNG", "PHÓ VỤ TRƯỞNG",
    "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "ỦY VIÊN", "UỶ VIÊN", "TỔNG THƯ KÝ", "THƯ KÝ",
]
_POS_RE = vn_compile(r"(?:^|\s)(" + "|".join(sorted(_POSITIONS, key=len, reverse=True)) + r")\s*$")
_SUB_BODIES = ("ban thường vụ", "ban thường trực", "thường trực", "ban chấp hành", "ban cán sự", "ban chỉ đạo", "ban chỉ huy", "đảng đoàn")
_LOCALITY = vn_compile(r"^(TỈNH|THÀNH PHỐ|TP\.?|XÃ|PHƯỜNG|HUYỆN|QUẬN|THỊ XÃ|ĐẶC KHU)\b")
_LOCALITY_TAIL = vn_compile(r"\b(TỈNH|THÀNH PHỐ|XÃ|PHƯỜNG|HUYỆN|QUẬN|THỊ XÃ|ĐẶC KHU)\s+.+$")
_NAME = r"[\p{Lu}][\p{Ll}]+(?:\s+[\p{Lu}][\p{Ll}]+){1,4}"
_NAME_RE = vn_compile(r"(?<![\wÀ-ỹ])(" + _NAME + r")")
_RECIPIENT_SPLIT = vn_compile(r"(?:^|\s)[-–•+*]\s+(?=[\p{Lu}\d])")


@dataclass
class Metadata:
    doc_type: str | None = None
    code: str | None = None
    number: str | None = None
    symbol: str | None = None
    issued_date: str | None = None
    place: str | None = None
    issuer: str | None = None
    title: str | None = None
    signer: str | None = None
    signer_position: str | None = None
    recipients: list[str] = field(default_factory=list)
    header_end: int = 0  # index of the first body line
    secret: bool = False  # the header marks the document MẬT / TỐI MẬT / TUYỆT MẬT


@dataclass
class _Seg:
    text: str
    line: int
    cell: int  # -1 for a paragraph
    col_count: int = 1


def _segments(layout: Layout, start: int, end: int) -> list[_Seg]:
    out: list[_Seg] = []
    for i in range(start, min(end, len(layout.lines))):
        ln = layout.lines[i]
        if ln.kind == "row":
            cells = layout.cell_texts(ln)
            for k, c in enumerate(cells):
                if c.strip():
                    out.append(_Seg(c.strip(), i, k, len(cells)))
        else:
            out.append(_Seg(layout.line_text(ln), i, -1))
    return out


def find_header_end(layout: Layout) -> int:
    """Index of the first line of the body: the opening sentence or the first numbered item."""
    for i, ln in enumerate(layout.lines[:60]):
        t = layout.line_text(ln)
        if ln.kind == "row":
            continue
        if _BODY_START.match(t):
            prev = layout.line_text(layout.lines[i - 1]).strip() if i else ""
            title_line = (
                t.startswith("Thực hiện") and len(t) < 160 and not t.rstrip().endswith((",", ";"))
                and bool(_TYPE_RE.fullmatch(prev))
            )
            if not title_line:
                return i
        lab = parse_label(t)
        if lab is not None and lab.kind in ("roman", "decimal", "multi", "article", "part"):
            return i
        if len(t) > 250 and not is_upper(t[:200]):
            # a header run together with the opening (`299/TTg Hà Nội, ngày ... CHỈ THỊ ...`)
            if i < 6 and (_DATE_RE.search(t[:150]) or re.match(r"^\S*\d+[/-]\S+", t)):
                return i + 1
            return i
    return min(len(layout.lines), 12)


def _strip_dashes(s: str) -> str:
    s = re.sub(r"[-_=*]{2,}", " ", s)
    return " ".join(s.strip(" -*_").split())


def _split_mashed_header(s: str) -> list[str]:
    """`PHỦ THỦ TƯỚNG ----- CỘNG HOÀ XÃ HỘI ...` -> the issuer side and the motto side."""
    m = _MOTTO.search(s)
    if m and m.start() > 0:
        return [s[: m.start()], s[m.start():]]
    return [s]


def _header_bodies(segs: list[_Seg]) -> list[str]:
    """The issuer lines of the header's left side, top to bottom (without the motto)."""
    bodies: list[str] = []
    for sg in segs:
        t = sg.text
        if sg.cell > 0 and sg.col_count > 1:
            continue  # right column of a header table: motto, place and date
        if sg.cell >= 0 and column_role(t) is not None:
            return bodies  # a data table's header (`Stt`, `Nội dung`) is no issuer
        for part in _split_mashed_header(t):
            p = _strip_dashes(part)
            if not p or _MOTTO.search(p) or re.match(r"^(Số|V/v|Về việc)\b", p) or "ngày" in p:
                if re.match(r"^(Số|V/v|Về việc)\b", p) or "ngày" in p:
                    return bodies
                continue
            if not is_upper(p):
                return bodies
            if _TYPE_RE.match(p):
                return bodies  # the document's type line ends the issuer lines
            if re.fullmatch(r"(?:TỐI |TUYỆT )?MẬT|KHẨN|HỎA TỐC|THƯỢNG KHẨN", p):
                continue
            bodies.append(p)
    return bodies


def _issuing_body(bodies: list[str]) -> tuple[str | None, str | None]:
    """(full header body, the most specific body) from the header's issuer lines."""
    if not bodies:
        return None, None
    merged: list[str] = []
    for b in bodies:
        if merged and _LOCALITY.match(b):
            merged[-1] = merged[-1] + " " + b
        else:
            merged.append(b)
    child = merged[-1]
    if len(merged) > 1 and fold(child) in {fold(x) for x in _SUB_BODIES}:
        # `BAN THƯỜNG TRỰC` under `ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH`: the standing body of its parent
        return " ".join(merged), child + " " + merged[-2]
    if len(merged) > 1 and not _LOCALITY_TAIL.search(child):
        tail = _LOCALITY_TAIL.search(merged[-2])
        if tail and re.match(r"^(SỞ|BAN|PHÒNG|VĂN PHÒNG|CỤC|CHI CỤC|TRUNG TÂM)\b", child):
            child = child + " " + tail.group(0)
    return " ".join(merged), child


def _parse_signature(block: str) -> tuple[list[tuple[str, str]], str | None, str | None]:
    """Markers with their phrases, the position and the signer's name from a signature block."""
    block = re.sub(r"\[[^\]]*\]|\([^)]*(?:đã ký|ký)[^)]*\)", " ", block)
    block = " ".join(block.split())
    marks = list(_SIG_MARK.finditer(block))
    if not marks:
        return [], None, None
    upper_end = marks[-1].end()
    words = block[upper_end:].split(" ")
    k = 0
    while k < len(words) and (is_upper(words[k]) or not any(c.isalpha() for c in words[k])):
        k += 1
    tail = " ".join(words[k:])
    upper_part = block[: upper_end] + " ".join(words[:k])
    name_m = _NAME_RE.match(tail)
    name = name_m.group(1) if name_m else None
    phrases: list[tuple[str, str]] = []
    pieces = list(_SIG_MARK.finditer(upper_part))
    for j, m in enumerate(pieces):
        end = pieces[j + 1].start() if j + 1 < len(pieces) else len(upper_part)
        phrases.append((m.group(1).replace(".", "").replace("/", "").upper(), upper_part[m.end(): end].strip(" ,.")))
    position = None
    if phrases:
        mark, last = phrases[-1]
        pm = _POS_RE.search(last)
        if pm and last.strip() != pm.group(1):
            position = pm.group(1)
            phrases[-1] = (mark, last[: pm.start()].strip())
        elif pm and mark in ("KT", "TL", "TUQ", "Q"):
            position = None
    return phrases, position, name


def _find_signature(layout: Layout, header_end: int, stop: int) -> tuple[str | None, int | None]:
    segs = _segments(layout, header_end, stop)
    for idx, sg in enumerate(segs):
        t = sg.text
        m = _SIG_MARK.search(t)
        if not m:
            continue
        if m.start() > 0 and not is_upper(t[max(0, m.start() - 30): m.start()] or "A"):
            # a marker inside running prose is not a signature
            if not re.search(r"[.;:!?]\s*$|^\s*$", t[: m.start()]):
                continue
        parts = [t[m.start():]]
        for nxt in segs[idx + 1: idx + 7]:
            if len(nxt.text) > 80 or nxt.text.startswith(("Nơi nhận", "NƠI NHẬN")):
                break
            parts.append(nxt.text)
            if _NAME_RE.fullmatch(nxt.text.strip()):
                break
        return " ".join(parts), sg.line
    return None, None


def _bare_signature(layout: Layout, start: int, stop: int) -> tuple[str | None, str | None, int | None]:
    """A signature with no `T/M`/`KT.` marker: a position line (`GIÁM ĐỐC`) and the signer's name under it."""
    segs = _segments(layout, start, stop)
    for k in range(len(segs) - 1, 0, -1):
        name = segs[k].text.strip()
        if not _NAME_RE.fullmatch(name) or len(name.split()) > 5:
            continue
        pos = " ".join(segs[k - 1].text.split())
        if pos in _POSITIONS or _POS_RE.fullmatch(" " + pos):
            return pos, name, segs[k - 1].line
    return None, None, None


def _recipients(layout: Layout, start: int, stop: int) -> list[str]:
    segs = _segments(layout, start, stop)
    out: list[str] = []
    collecting = False
    for sg in segs:
        t = sg.text
        m = re.match(r"^(?:Nơi nhận|NƠI NHẬN)\s*:?\s*", t)
        if m:
            collecting = True
            t = t[m.end():]
            if not t.strip():
                continue
        elif not collecting:
            continue
        if _SIG_MARK.match(t) or (is_upper(t) and not t.startswith(("-", "+", "*"))):
            if out:
                break
            continue
        items = [p for p in _RECIPIENT_SPLIT.split(" " + t) if p.strip()]
        if not t.lstrip().startswith(("-", "–", "•", "+", "*")) and out and len(items) == 1:
            if len(t) > 120:
                break
            out[-1] = out[-1] + " " + t.strip()
            continue
        for it in items:
            it = it.strip().rstrip(",;.").strip()
            if it:
                out.append(it)
    return out


def _date_iso(d: str | None, m: str | None, y: str | None) -> str | None:
    if not (d and m and y):
        return None
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _stamp_day_month(stamps: list[str]) -> tuple[str, str] | None:
    """Day and month stamped over the blanks of `ngày ... tháng ...`: the small numbers after the number stamp."""
    nums = [x for st in stamps for x in st.split() if x.isdigit()]
    if len(nums) < 3:
        return None
    day, month = nums[1], nums[2]
    if 1 <= int(day) <= 31 and 1 <= int(month) <= 12 and len(day) <= 2 and len(month) <= 2:
        return day, month
    return None


def _stamp_values(stamps: list[str]) -> tuple[str | None, str | None]:
    """(number, ISO date) read from e-signature stamps, where they state them."""
    number = date = None
    for s in stamps:
        s2 = " ".join(s.split())
        if date is None:
            m = _STAMP_DATE.search(s2) or _STAMP_DATE_WORDS.search(s2)
            if m:
                date = _date_iso(m.group(1), m.group(2), m.group(3))
                if date:
                    continue
        if number is None:
            m2 = re.fullmatch(r"(?:Số\s*:?\s*)?(\d{1,6}[a-zA-Z]?)", s2.strip())
            if m2:
                number = m2.group(1)
    return number, date


def _title_from(segs: list[_Seg], start: int, rest: str) -> str | None:
    parts: list[str] = []
    rest = rest.strip(" :-")
    if rest:
        # a title mashed onto the type line: its upper-case run
        words = rest.split(" ")
        k = 0
        while k < len(words) and (is_upper(words[k]) or not any(c.isalpha() for c in words[k]) or words[k].islower() and k == 0):
            k += 1
        if k:
            parts.append(" ".join(words[:k]))
            if k < len(words):
                return _finish_title(parts)
        else:
            parts.append(rest)
    first_case: bool | None = is_upper(parts[0]) if parts else None
    for sg in segs[start:]:
        t = sg.text.strip()
        if not t or re.fullmatch(r"[-_*=\s]+", t):
            if parts:
                break
            continue
        first_line = not parts
        if _TITLE_STOP.match(t) and not (first_line and t.startswith("Thực hiện") and len(t) < 160 and not t.rstrip().endswith((",", ";"))):
            break
        if parse_label(t) is not None or parse_field(t) is not None or _DATE_RE.search(t):
            break
        up = is_upper(t)
        if first_case is not None and up != first_case and parts:
            break
        if len(t) > 300:
            break
        parts.append(_strip_dashes(t))
        first_case = up if first_case is None else first_case
    return _finish_title(parts)


_AUTHORITY_TAIL = vn_compile(
    r"\s+(BỘ TRƯỞNG|CHỦ TỊCH|GIÁM ĐỐC|VIỆN TRƯỞNG|THỦ TƯỚNG|TỔNG CỤC TRƯỞNG|CỤC TRƯỞNG|CHÁNH ÁN|HIỆU TRƯỞNG|TỔNG GIÁM ĐỐC)(?:\s+[\p{Lu}]+)*\s*$"
)


def _finish_title(parts: list[str]) -> str | None:
    title = " ".join(" ".join(parts).split()).strip(" -:")
    if not title:
        return None
    if is_upper(title):
        m = _AUTHORITY_TAIL.search(title)
        if m and not title[: m.start()].endswith(("CỦA", "VỀ")):
            title = title[: m.start()]
    return sentence_case(title)


_SUBJECT_ISSUE = vn_compile(
    r"(?:^|[,;]\s*)(?P<body>[\p{Lu}][\wÀ-ỹ]*(?:\s+[\wÀ-ỹ()]+){0,12}?)\s+(?:ban hành|xây dựng)\s+(?P<type>Kế hoạch|Chương trình|Nghị quyết|Kết luận|Chỉ thị|Quyết định|Hướng dẫn|Quy định|Thông báo|Đề án)\b(?P<after>[^.]{0,600})"
)
_QUOTED = vn_compile(r"[“\"](?P<q>[^”\"]{8,400})[”\"]")


def _body_mention(text: str, head: str) -> str | None:
    """`Ban Thường vụ Đảng ủy X` as the body's own text names it, for a signature that says only `BAN THƯỜNG VỤ`."""
    pat = vn_compile(
        r"(?i)(?<![\wÀ-ỹ])(" + re.escape(head) + r"(?:\s+[\wÀ-ỹ]+|\s*\([A-ZĐ&]{2,10}\)){1,12}?)"
        r"(?=\s*(?:[,.;:]|$|\s(?:năm|về|nhiệm kỳ|xây dựng|ban hành|quyết nghị|kết luận|thông báo|chỉ đạo|yêu cầu|đề nghị|giao|lần thứ)\b))"
    )
    for m in pat.finditer(text):
        cand = re.sub(r"\s*\([A-ZĐ&]{2,10}\)", "", m.group(1))
        if len(cand.split()) > len(head.split()) + 1:
            return cand
    return None


def extract_metadata(layout: Layout) -> Metadata:
    md = Metadata()
    header_end = find_header_end(layout)
    md.header_end = header_end
    segs = _segments(layout, 0, header_end)
    header_text = "\n".join(s.text for s in segs)
    text = layout.text
    defined = defined_abbreviations(layout.text)

    md.secret = bool(re.search(r"(?m)^(?:TỐI |TUYỆT )?MẬT\b", header_text)) or any(
        re.fullmatch(r"(?:TỐI |TUYỆT )?MẬT", _strip_dashes(s.text)) for s in segs
    )

    # code
    cm = _CODE_RE.search(header_text)
    stamp_number, stamp_date = _stamp_values(layout.stamps)
    if cm:
        num = cm.group("num") or stamp_number
        sym = cm.group("sym")
        md.symbol = sym
        md.number = num
        if num:
            md.code = f"{num}{cm.group('sep')}{sym}"
    # date and place
    dm = _DATE_RE.search(header_text)
    if dm:
        md.place = dm.group("place")
        md.issued_date = _date_iso(dm.group("d"), dm.group("m"), dm.group("y"))
        if md.issued_date is None and stamp_date:
            md.issued_date = stamp_date
        if md.issued_date is None and not dm.group("d") and not dm.group("m"):
            # `ngày   tháng   năm 2026` left blank in the text: the e-signature stamps fill day and month
            dmo = _stamp_day_month(layout.stamps)
            if dmo:
                md.issued_date = _date_iso(dmo[0], dmo[1], dm.group("y"))
    elif stamp_date and re.search(r"ngày\s+tháng\s+năm", header_text):
        md.issued_date = stamp_date

    # document type and title
    type_seg = None
    type_rest = ""
    for k, sg in enumerate(segs):
        for tm in _TYPE_RE.finditer(sg.text):
            before = sg.text[: tm.start()]
            if before.strip() and not (dm and dm.group(0) in before) and not re.search(r"\d{4}\s*$", before.strip()):
                continue
            type_seg = k
            md.doc_type = DOC_TYPES[tm.group(1)]
            type_rest = sg.text[tm.end():]
            break
        if type_seg is not None:
            break
    vv = next((k for k, sg in enumerate(segs) if re.match(r"^(V/v|Về việc)\b", sg.text)), None)
    if vv is not None:
        md.title = _title_from(segs, vv + 1, segs[vv].text)
        if md.doc_type is None:
            md.doc_type = "Công văn"
    elif type_seg is not None:
        md.title = _title_from(segs, type_seg + 1, type_rest)
    if md.doc_type is None and md.symbol:
        abbr = re.split(r"[-/]", md.symbol)[0]
        md.doc_type = SYMBOL_TYPES.get(abbr)

    # signature, issuer, recipients
    stop = next((i for i, ln in enumerate(layout.lines) if ln.kind == "para" and re.match(r"^(PHỤ LỤC|Phụ lục)\b", layout.line_text(ln)) and i > header_end), len(layout.lines))
    block, sig_line = _find_signature(layout, header_end, stop)
    phrases: list[tuple[str, str]] = []
    if block:
        phrases, position, name = _parse_signature(block)
        md.signer = name
        md.signer_position = org_case(position) if position else None
    else:
        position, name, sig_line = _bare_signature(layout, header_end, stop)
        md.signer, md.signer_position = name, (org_case(position) if position else None)
    md.recipients = _recipients(layout, header_end, stop if sig_line is None else max(stop, sig_line + 12))
    bodies = _header_bodies(segs)
    full_body, child_body = _issuing_body(bodies)
    md.issuer = _issuer(phrases, full_body, child_body, segs, text, header_end, layout)
    if md.issuer:
        iss = org_case(md.issuer) if is_upper(md.issuer) else md.issuer
        iss = expand(iss, defined)
        md.issuer = iss[:1].upper() + iss[1:]

    # documents with no header: the opening sentence names the body and the type
    if md.doc_type is None or md.title is None or md.issuer is None:
        opening = "\n".join(layout.line_text(ln) for ln in layout.lines[: header_end + 3] if ln.kind == "para")
        sm = _SUBJECT_ISSUE.search(opening)
        if sm:
            if md.doc_type is None:
                md.doc_type = sm.group("type")
            if md.title is None:
                q = _QUOTED.search(sm.group("after"))
                if q:
                    md.title = q.group("q").strip().rstrip(",")
            if md.issuer is None:
                body = sm.group("body").strip()
                body = re.sub(r"^(?:Thực hiện|Căn cứ)\b.*?,\s*", "", body)
                md.issuer = expand(re.sub(r"\s*\([A-ZĐ&]{2,10}\)", "", body), defined)
    if md.title:
        md.title = unify_spaces(md.title)
    return md


def unify_spaces(s: str) -> str:
    return " ".join(s.split())


def _issuer(
    phrases: list[tuple[str, str]],
    full_body: str | None,
    child_body: str | None,
    segs: list[_Seg],
    text: str,
    header_end: int,
    layout: Layout,
) -> str | None:
    tm = next((p for m, p in phrases if m in ("TM", "T/M".replace("/", "")) and p), None)
    other = next((p for m, p in phrases if m not in ("TM",) and p), None)
    if tm:
        return _complete(tm, full_body, child_body, text)
    if other:
        words = other.strip()
        if _POS_RE.fullmatch(" " + words) or words in _POSITIONS:
            return child_body or full_body or words
        return words
    return child_body or full_body


def _complete(phrase: str, full_body: str | None, child_body: str | None, text: str) -> str:
    key = fold(phrase)
    for cand in (child_body, full_body):
        if cand and fold(cand).startswith(key):
            return cand
    low = unify_tones(phrase).lower()
    if any(low == sb for sb in _SUB_BODIES):
        if child_body:
            return f"{phrase} {child_body}" if not is_upper(phrase) or is_upper(child_body) else f"{org_case(phrase)} {child_body}"
        mention = _body_mention(text[:6000], org_case(phrase))
        if mention:
            return mention
    return phrase
