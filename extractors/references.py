"""References to other documents in a document's normalised text.

`find_references(text, own_code)` returns one `Reference` per mention, in
text order: coded citations (`Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ
Chính trị`, `Quyết định 201-CP`, `văn bản số 1552/BTTTT-TTH và
708/BTTTT-CATTT`, `Luật ... số 85/2015/QH13`), numbered short forms (`Kết
luận số 226`, `Chỉ thị 18`; resolved to the full code the text cites with the
same type and number), and named documents without a number (`Nghị quyết Đại
hội ... lần thứ XIV của Đảng`, `Luật Dân chủ ở cơ sở`, `Hiến pháp`, a quoted
`Đề án “...”`, a `Chiến lược ... đến năm 2030`). Each carries its canonical
`doc_type`, a normalised `code` (no `Số`, spaces or Markdown escapes, NFC),
`issued_date` (ISO, written after the code or as `Ngày X, Y đã ban hành Z`),
`issuer` (the words after `của`) and `relation`, read from the verb that
governs the mention in its own sentence: `implements` (thực hiện, triển
khai, quán triệt, theo), `reviews` (sơ kết, tổng kết ... thực hiện), `amends`
(sửa đổi, bổ sung), `replaces` (thay thế), `based_on` (căn cứ, theo đề nghị,
theo Điều ...), `mentions` (any other verb), and null when the mention sits
inside the description of another cited document (`Kế hoạch số 09-KH/ĐU ...
về thực hiện Nghị quyết số 57-NQ/TW`). `resolve_relations` gives every
mention of a code the strongest relation found for it; a code's date, issuer
and type stated at one mention hold for all of its mentions.

Not references: the document's own number (`own_code`, a code printed after
`Số:` at the start of a line, or cited in an annex's `(Kèm theo ...)` line),
`Kế hoạch này` / `Nghị quyết này`, a bare type word (`Kế hoạch`), and named
documents the text is drafting (`xây dựng Đề án “...”`). Named references are
found by conservative patterns only and are not exhaustive.
"""
from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from dataclasses import dataclass

from extractors.vnnumbers import DATE_PATTERN, iso_date
from models import Reference

__all__ = ["find_references", "resolve_relations", "normalise_code", "RELATION_RANK", "DOC_TYPES"]

_UPPER = "".join(
    ch for ch in map(chr, list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)))
    if ch.isupper()
)
_U = "[" + _UPPER + "]"

# ---------------------------------------------------------------- document types

#: canonical names of document types, longest first (`Thông tư liên tịch` before `Thông tư`)
DOC_TYPES = [
    "Nghị quyết liên tịch", "Thông tư liên tịch", "Hướng dẫn liên tịch", "Quyết định liên tịch",
    "Nghị quyết", "Kết luận", "Chỉ thị", "Quyết định", "Kế hoạch", "Chương trình", "Thông báo",
    "Hướng dẫn", "Quy định", "Báo cáo", "Công văn", "Đề án", "Tờ trình", "Nghị định", "Thông tư",
    "Bộ luật", "Luật", "Hiến pháp", "Pháp lệnh", "Chiến lược", "Quy chế", "Quy hoạch", "Công điện",
    "Thông tri", "Điều lệ", "Biên bản", "Đề cương",
]
_TYPE_ALT = "|".join(re.escape(t) for t in DOC_TYPES) + "|Văn bản"
_CANON = {t.lower(): t for t in DOC_TYPES} | {"văn bản": "Công văn"}

#: type abbreviations that open the symbol of a code (`57-NQ/TW`, `599/QĐ-VKSTC`, `03/QyĐ-VKSTC`)
_SYMBOL_TYPES = {
    "NQ": "Nghị quyết", "NQLT": "Nghị quyết liên tịch", "KL": "Kết luận", "CT": "Chỉ thị",
    "QĐ": "Quyết định", "QD": "Quyết định", "QĐi": "Quy định", "QyĐ": "Quy định", "QY": "Quy định",
    "KH": "Kế hoạch", "CTr": "Chương trình", "CTR": "Chương trình", "CTPH": "Chương trình",
    "CTHĐ": "Chương trình", "TB": "Thông báo", "HD": "Hướng dẫn", "HDLT": "Hướng dẫn liên tịch",
    "BC": "Báo cáo", "CV": "Công văn", "ĐA": "Đề án", "TTr": "Tờ trình", "NĐ": "Nghị định",
    "ND": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "QC": "Quy chế", "CĐ": "Công điện",
    "PL": "Pháp lệnh", "BB": "Biên bản", "CL": "Chiến lược", "TTri": "Thông tri",
}

# ---------------------------------------------------------------- patterns

_SEG = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
#: a document code: `57-NQ/TW`, `599/QĐ-VKSTC`, `22/2013/NĐ-CP`, `1249a/CTPH-UBDT-BTP`, `169-CP`,
#: `6582 /SYT-QLBHYTCNTT`, `57\-NQ/TW`; `20-KH/BCĐ 57 ngày` keeps its split tail
_CODE = re.compile(
    r"(?P<num>\d{1,5}[a-zđ]?)(?: ?\\?(?P<sep>/)|\\?-)"
    r"(?:(?P<year>(?:19|20)\d\d)\\?/)?"
    r"(?P<sym>" + _SEG + r"(?:\\?[-/]" + _SEG + r")*)"
    r"(?:\s(?P<tail>\d{1,3})(?=\s+ngày))?"
    r"(?![\w&])"
)
#: a numbered short form: `Kết luận số 226`, `Chỉ thị 18`, `Đề án 06`
_BARE = re.compile(
    r"(?P<type>Nghị quyết|Kết luận|Chỉ thị|Quyết định|Kế hoạch|Chương trình|Đề án|Thông báo|"
    r"Hướng dẫn|Quy định|Báo cáo|Nghị định|Thông tư|Tờ trình)"
    r"(?:[ \t]+(?:hành động|liên tịch))?[ \t]+(?:số[ \t]+)?(?P<num>\d{1,5}[a-z]?)(?![\w/\\\-]|[.,]\d)"
    r"(?!\s*(?:%|ngày|tháng|năm|tuần|quý|giờ|lần|người|đơn vị|cơ quan|nội dung|nhiệm vụ)(?!\w))"
)
_SO_HEADER = re.compile(r"(?:^|[\n|])[\s*#_]*Số[\s*_]*:?[\s*_]*$")
_SELF_ANNEX = re.compile(r"(?:^|[\n|])[\s*_]*\(?[\s*_]*(?:ban hành\s+)?kèm theo[\s*_]*$", re.IGNORECASE)
_TYPE_BEFORE = re.compile(
    r"(?<!\w)(?P<type>" + _TYPE_ALT + r")(?:\s+(?:hành động|phối hợp|liên tịch|công tác|liên ngành))?"
    r"[\s*_]*(?:số[\s*_]*:?)?[\s*_\\]*$",
    re.IGNORECASE,
)
_FORM_BEFORE = re.compile(r"(?<!\w)(?:mẫu|biểu|phụ lục)[\s*_]*(?:số)?[\s*_:]*$", re.IGNORECASE)
_SO_BEFORE = re.compile(r"(?<!\w)số[\s*_]*:?[\s*_(\\]*$", re.IGNORECASE)
_TYPE_ANY = re.compile(r"(?<!\w)(?P<type>" + _TYPE_ALT + r")(?!\w)")  # case-sensitive: a capitalised type
_DATE_AFTER = re.compile(r"[\s*_,(]*(?:ngày)?[\s*_]*" + DATE_PATTERN, re.IGNORECASE)
_ISSUER_AFTER = re.compile(r"[\s*_,]*(?:của|do)\s+(?P<iss>[^,;.()\n|:]{2,120})", re.IGNORECASE)
_ISSUER_STOP = re.compile(
    r"\s+(?:về|ban hành|phê duyệt|quy định|thực hiện|triển khai|hướng dẫn|đã|trong đó|tại|theo|để|nhằm|"
    r"đối với|ngày|số|gồm|giao|là|thì|và các)(?!\w).*$"
    r"|\s+(?:và\s+)?(?:" + _TYPE_ALT + r")(?!\w).*$",
    re.IGNORECASE | re.DOTALL,
)
_ABOUT_AFTER = re.compile(r"[\s*_,]*(?:về|V/v)\s+(?P<about>[^;.\n|()]{3,200})", re.IGNORECASE)
_DATE_BEFORE = re.compile(
    r"(?:^|(?<=[\s.;*_]))(?:Ngày|NGÀY)[\s*_]*(?i:" + DATE_PATTERN
    + r")[\s*_,]+(?P<iss>[^.;\n]{2,90}?)\s+(?i:(?:đã\s+)?(?:ban hành|ra|ký|thông qua))\s*$"
)
_DIGIT_RE = re.compile(r"\d")
_CONJ_GAP = re.compile(r"[\s,;]*(?:và|hoặc)?\s*")
_YEAR = re.compile(r"(?:19|20)\d\d")

# named documents (no number); each pattern is tried where `_NAMED_HIT` finds its first word
_NAMED_HIT = re.compile(r"Nghị quyết Đại hội|Hiến pháp|Bộ luật|Luật|Đề án|Chương trình|Chiến lược|Quy hoạch")
_NAMED = [
    re.compile(
        r"(?<!\w)(?P<type>Nghị quyết) (?P<name>Đại hội(?:[^.;,()\n|]|\([^()\n]{1,20}\)){0,160}?lần thứ "
        r"(?:[IVXLC]+|" + _U + r"?\w+)(?: của Đảng(?! bộ))?)"
    ),
    re.compile(r"(?<!\w)(?P<type>Hiến pháp)(?P<name>(?: năm \d{4})?)(?!\w)"),
    re.compile(
        r"(?<!\w)(?P<type>Bộ luật|Luật) (?P<name>" + _U + r"\w*(?:(?: |, (?=[a-zđ]))(?!(?:số|ngày|năm|để|theo|"
        r"nhằm|trình|được|đã|và các|có liên quan|trong đó|với|tại|của Quốc hội|Luật|Bộ luật)(?!\w))"
        r"[\w\-]+){0,11}(?: \(sửa đổi\))?)"
    ),
    re.compile(r"(?<!\w)(?P<type>Đề án|Chương trình|Chiến lược|Quy hoạch)[\s*_]*(?P<name>[“\"][^”\"\n]{5,300}[”\"])"),
    re.compile(
        r"(?<!\w)(?P<type>Chiến lược|Quy hoạch|Chương trình|Đề án) (?P<name>[^.;:()\n|“\"]{3,200}?"
        r"(?:giai đoạn|thời kỳ|đến năm) \d{4}(?:\s*[-–]\s*\d{4})?(?:, (?:tầm nhìn|định hướng) đến(?: năm)? \d{4})?)"
    ),
]
_CREATING = {"xây dựng", "ban hành", "soạn thảo", "dự thảo", "cho ý kiến", "thông qua", "nghiên cứu", "đề xuất"}
_CREATE_BEFORE = re.compile(
    r"(?:xây dựng|ban hành|soạn thảo|dự thảo|cho ý kiến|thông qua|phê duyệt)\s+(?:và\s+\w+\s+)?(?:các\s+)?$",
    re.IGNORECASE,
)

# ---------------------------------------------------------------- relation verbs

RELATION_RANK: dict[str | None, int] = {
    "implements": 5, "amends": 4, "replaces": 4, "reviews": 3, "based_on": 2, "mentions": 1, None: 0,
}
#: verb phrases and the relation they give their object; "theo" and "đáp ứng yêu cầu" look at the words
#: after them; "block" verbs govern their object but relate nothing (it is a `mentions`); "skip" phrases
#: (`ban hành kèm theo`) introduce a document that belongs to the object before them
_VERB_PHRASES: dict[str, str] = {
    **dict.fromkeys(["theo đề nghị", "xét đề nghị", "căn cứ", "trên cơ sở"], "based_on"),
    **dict.fromkeys(["theo tinh thần", "thực hiện", "triển khai", "quán triệt", "cụ thể hóa", "cụ thể hoá"],
                    "implements"),
    "đáp ứng yêu cầu": "need_object",
    **dict.fromkeys(["sơ kết", "tổng kết"], "reviews"),
    **dict.fromkeys(["sửa đổi", "bổ sung"], "amends"),
    "thay thế": "replaces",
    "theo": "theo",
    **dict.fromkeys(["kèm theo", "ban hành kèm theo"], "skip"),
    **dict.fromkeys(["xây dựng", "ban hành", "tuân thủ", "cho ý kiến", "soạn thảo", "thẩm định", "thẩm tra",
                     "nghiên cứu", "đề xuất", "kiến nghị", "kết nối", "dự thảo", "nghe", "thống nhất với",
                     "giám sát", "kiểm tra", "theo dõi", "đôn đốc"], "block"),
}


def _phrase_pattern(phrases: list[str]) -> str:
    """An alternation of literal phrases grouped by first letter, longest first: fast to scan."""
    groups: dict[str, list[str]] = {}
    for p in sorted(phrases, key=len, reverse=True):
        groups.setdefault(p[0], []).append(re.escape(p[1:]))
    return "|".join(re.escape(k) + "(?:" + "|".join(v) + ")" for k, v in groups.items())


#: matched on lower-cased text; word boundaries are checked by hand (a look-behind would slow the scan)
_VERB_LOW = re.compile(_phrase_pattern(list(_VERB_PHRASES)))
_THEO_ARTICLE = re.compile(r"\s+(?:điểm|khoản|điều)\s")
_THEO_NOT = re.compile(r"\s+(?:đó|hướng(?! dẫn)|chức năng|từng|tiến độ|lộ trình)(?!\w)")
_NEED_OBJECT = re.compile(r"\s+(?:tại|của)(?!\w)")
_CLASSIFIED = r"(?:sửa đổi|bổ sung|thay thế|thực hiện|triển khai|quán triệt|sơ kết|tổng kết)"
_PASSIVE = re.compile(r"(?<!\w)(?:được|bị)\s+(?:" + _CLASSIFIED + r"\s*,?\s*(?:và\s+|hoặc\s+)?)*$", re.IGNORECASE)
_CHAIN_GAP = re.compile(r"\s*(?:,|và|hoặc|hay)?\s*", re.IGNORECASE)
_REVIEW_BEFORE = re.compile(r"(?<!\w)(?:sơ kết|tổng kết)(?!\w)[^;]{0,60}$", re.IGNORECASE)
_DESCRIPTION = re.compile(r"(?<!\w)(?:về|của|ban hành|phê duyệt|quy định)(?!\w)", re.IGNORECASE)
#: a line that starts a new paragraph even after a line with no final punctuation
_LIST_START = re.compile(r"[ \t]*(?:$|[-+•*–]|\d{1,2}[.)]|[a-zđ]\)|\(\d+\)|[IVX]{1,4}\.)", re.MULTILINE)
#: where a sentence ends inside a paragraph: a table cell, `. X`
_IN_SENT_END = re.compile(r" \| |[.!?](?=[ \t*_]+" + _U + r")")


@dataclass(eq=False)
class _Verb:
    start: int
    end: int
    rel: str


@dataclass(eq=False)
class _Mention:
    start: int
    end: int  # end of the whole mention (code, date, issuer)
    code_start: int
    code_end: int
    doc_type: str | None
    code: str | None
    title: str | None = None
    issued_date: str | None = None
    issuer: str | None = None
    relation: str | None = None
    coded: bool = True
    num: str | None = None  # the number part of a code, for short forms
    verb: str | None = None  # the verb the relation was read from


def normalise_code(code: str) -> str:
    """`Số 57\\-NQ/TW` -> `57-NQ/TW`: no `Số`, white space or Markdown escapes; NFC."""
    c = unicodedata.normalize("NFC", code).replace("\\", "")
    c = re.sub(r"^\s*số\s*:?\s*", "", c, flags=re.IGNORECASE)
    return re.sub(r"[\s*_]+", "", c)


def _symbol_type(sym: str, year: str | None) -> str | None:
    first = re.split(r"[-/\\]", sym, maxsplit=1)[0]
    t = _SYMBOL_TYPES.get(first) or _SYMBOL_TYPES.get(first.upper())
    if t:
        return t
    if year and re.fullmatch(r"QH\d+", sym):
        return "Luật"  # `85/2015/QH13`
    if year and re.fullmatch(r"UBTVQH\d+", sym):
        return "Pháp lệnh"
    return None


def _code_type(code: str | None) -> str | None:
    m = _CODE.match(code) if code else None
    return _symbol_type(m.group("sym"), m.group("year")) if m else None


# ---------------------------------------------------------------- finding mentions


_NOT_BEFORE_CODE = re.compile(r"[\w/\\.\-]")


def _coded_mentions(text: str, own: str | None) -> list[_Mention]:
    out: list[_Mention] = []
    for m in _CODE.finditer(text):
        if m.start() and _NOT_BEFORE_CODE.match(text, m.start() - 1):
            continue  # inside a longer number or word
        sym = m.group("sym") + (m.group("tail") or "")
        year = m.group("year")
        code = normalise_code(m.group("num") + ("/" if m.group("sep") else "-") + (year + "/" if year else "") + sym)
        before = text[max(0, m.start() - 60) : m.start()]
        if (own and code == own) or ("Số" in before and _SO_HEADER.search(before)) or _FORM_BEFORE.search(before):
            continue
        start, title = m.start(), None
        sym_type = _symbol_type(sym, year)
        tb = _TYPE_BEFORE.search(before)
        if tb:
            start = m.start() - (len(before) - tb.start())
            word = tb.group("type").lower()
            doc_type = (sym_type or "Công văn") if word == "văn bản" else _CANON[word]
        else:
            doc_type = sym_type
            sb = _SO_BEFORE.search(before)
            named = _named_lookback(text, m.start() - (len(before) - sb.start())) if sb else None
            if named and (sym_type is None or named[1] == sym_type):
                start, doc_type, title = named
        if doc_type is None and not year and "-" not in sym and "/" not in sym:
            continue  # `02/HNMT`: a form or a page reference, not a document number
        if "kèm" in text[max(0, start - 40) : start].lower() and _SELF_ANNEX.search(text[max(0, start - 40) : start]):
            continue  # `(Kèm theo Kế hoạch số ...)` under an annex: the document itself
        mn = _Mention(start, m.end(), m.start(), m.end(), doc_type, code, title=title, num=m.group("num"))
        _read_tail(text, mn)
        out.append(mn)
    return out


def _named_lookback(text: str, so_start: int) -> tuple[int, str, str] | None:
    """`Luật Bầu cử ... số 85/...`, `Quy định về ... (số 03/...)`: the type word opening a title."""
    lo = max(0, so_start - 220)
    window = text[lo:so_start]
    cut = max(window.rfind(";"), window.rfind("\n"), window.rfind(". "), window.rfind(" | "))
    if cut >= 0:
        window, lo = window[cut + 1 :], lo + cut + 1
    found = list(_TYPE_ANY.finditer(window))
    if not found:
        return None
    t = found[-1]
    return lo + t.start(), _CANON[t.group("type").lower()], window[t.start() :].strip(" (*_,")


def _read_tail(text: str, mn: _Mention) -> None:
    """Date and issuer written after the code (either order), the subject (`về ...`), or a date before."""
    pos = mn.end
    for _ in range(2):
        d = _DATE_AFTER.match(text, pos, pos + 60)
        if d and mn.issued_date is None:
            mn.issued_date = iso_date(d)
            pos = d.end()
            continue
        i = _ISSUER_AFTER.match(text, pos, pos + 200)
        if i and mn.issuer is None:
            iss = _ISSUER_STOP.sub("", i.group("iss")).strip(" *_")
            if iss:
                mn.issuer = iss
                pos = i.start("iss") + len(iss)
                continue
        break
    mn.end = pos
    about = _ABOUT_AFTER.match(text, pos, pos + 260)
    if about and mn.title is None:
        mn.title = "về " + about.group("about").strip(" *_")
    if mn.issued_date is None and ("Ngày" in text[max(0, mn.start - 200) : mn.start]
                                   or "NGÀY" in text[max(0, mn.start - 200) : mn.start]):
        d = _DATE_BEFORE.search(text, max(0, mn.start - 200), mn.start)
        if d:
            mn.issued_date = iso_date(d)
            mn.issuer = mn.issuer or d.group("iss").strip(" ,*_")


def _bare_mentions(text: str, taken: list[tuple[int, int]], coded: list[_Mention], own: str | None) -> list[_Mention]:
    """`Kết luận số 226`, `Chỉ thị 18`: the full code of that type and number if the text cites it."""
    full = {(m.doc_type, m.num): m.code for m in coded if m.num}
    own_m = _CODE.match(own) if own else None
    own_key = (_symbol_type(own_m.group("sym"), own_m.group("year")), own_m.group("num")) if own_m else None
    out: list[_Mention] = []
    busy = _SpanSet(taken)
    for m in _BARE.finditer(text):
        if m.start() and text[m.start() - 1].isalnum():
            continue
        num = m.group("num")
        if busy.hit(m.start(), m.end()) or _YEAR.fullmatch(num):
            continue
        doc_type = _CANON[m.group("type").lower()]
        if own_key == (doc_type, num):
            continue
        mn = _Mention(m.start(), m.end(), m.start("num"), m.end(), doc_type, full.get((doc_type, num), num), num=num)
        _read_tail(text, mn)
        out.append(mn)
    return out


def _named_mentions(text: str, taken: list[tuple[int, int]]) -> list[_Mention]:
    out: list[_Mention] = []
    busy = _SpanSet(taken)
    last_end = -1  # named mentions are found in text order: only the last one can overlap the next
    for hit in _NAMED_HIT.finditer(text):
        if hit.start() < last_end or busy.hit(hit.start(), hit.end()):
            continue
        for rx in _NAMED:
            m = rx.match(text, hit.start())
            if not m:
                continue
            if _CREATE_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                break
            name = m.group("type") + ("" if m.group("name")[:1] in ("", " ") else " ") + m.group("name")
            if m.group("type").endswith(("Luật", "luật")) and len(name.split()) < 2:
                break
            mn = _Mention(m.start(), m.end(), m.start(), m.end(), _CANON[m.group("type").lower()], None,
                          title=name.strip(), coded=False)
            _read_tail(text, mn)
            last_end = mn.end
            out.append(mn)
            break
    return out


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < e and s < b for s, e in spans)


class _SpanSet:
    """Sorted spans with a fast 'does [a, b) overlap any' test."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.maxlen = max((e - s for s, e in self.spans), default=0)

    def hit(self, a: int, b: int) -> bool:
        i = bisect.bisect_left(self.starts, b)
        j = bisect.bisect_left(self.starts, a - self.maxlen)
        return any(a < e for _, e in self.spans[j:i])


_ALIAS_DEF = re.compile(
    r"\(\s*(?:sau đây|dưới đây)\s+(?:gọi|viết)(?:\s+tắt)?\s+là\s*:?\s*[“\"]?(?P<alias>[^()“”\"\n]{2,60}?)[”\"]?\s*\)",
    re.IGNORECASE,
)
#: what may follow a later use of a defined short name (`Kế hoạch`), so that `Kế hoạch này` or
#: `Kế hoạch hỗ trợ doanh nghiệp` (another plan) is not taken for it
_ALIAS_USE_END = re.compile(r"(?:[\s*_]*[,.;:)]|[\s*_]*$|\s+(?:của|và|đã|được|đề ra|nêu trên|trên|về|tại)(?!\w))")


def _alias_mentions(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Later uses of a short name defined for a citation: `... (sau đây gọi tắt là Kế hoạch) ... Kế hoạch`.

    Short names with a number (`Kết luận số 226`) are numbered short forms already; this adds the
    others, when the definition follows a coded citation in the same sentence with no other
    document (`ban hành Kế hoạch ...`) named in between.
    """
    out: list[_Mention] = []
    coded = [m for m in mentions if m.coded and m.code]
    taken = _SpanSet([(m.start, m.end) for m in mentions])
    for d in _ALIAS_DEF.finditer(text):
        alias = d.group("alias").strip(" *_")
        t = _TYPE_ANY.match(alias)
        if _DIGIT_RE.search(alias) or not t:
            continue
        s_start = _sentence_start(text, d.start())
        before = [m for m in coded if s_start <= m.start and m.end <= d.start()]
        same = [m for m in before if m.doc_type == _CANON.get(t.group("type").lower())]
        if not same:
            continue
        p = same[-1]
        gap = text[p.end : d.start()]
        for m in before:  # other citations in between are not another document named here
            if m.start >= p.end:
                gap = gap.replace(text[m.start : m.end], " ")
        if "ban hành" in gap.lower() or _TYPE_ANY.search(gap):
            continue
        for u in re.finditer(r"(?<!\w)" + re.escape(alias) + r"(?!\w)", text[d.end() :]):
            a, b = d.end() + u.start(), d.end() + u.end()
            if taken.hit(a, b) or not _ALIAS_USE_END.match(text, b):
                continue
            out.append(_Mention(a, b, a, b, p.doc_type, p.code, title=p.title, issued_date=p.issued_date,
                                issuer=p.issuer, num=p.num))
    return out


# ---------------------------------------------------------------- relations


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence around `pos`: its paragraph (wrapped lines rejoined), cut at `. X` and cells."""
    floor = max(0, pos - 800)
    p = text.rfind("\n", floor, pos) + 1 or floor
    while p > floor + 1:
        q = text.rfind("\n", floor, p - 1) + 1 or floor
        prev_line = text[q : p - 1].rstrip(" \t*_")
        if not prev_line or prev_line[-1] in ".;:!?" or _LIST_START.match(text, p):
            break
        p = q
    start = p
    for m in _IN_SENT_END.finditer(text, p, pos):
        start = m.end()
    return start


def _verbs(text: str, windows: list[tuple[int, int]], masked: _SpanSet) -> list[_Verb]:
    """Relation verbs in the windows, outside citations, not passive (`được sửa đổi`), in text order."""
    out: list[_Verb] = []
    low = text.lower()
    if len(low) != len(text):  # a letter whose lower case is longer: keep offsets right
        low = "".join(c.lower()[:1] or c for c in text)
    merged: list[list[int]] = []
    for a, b in sorted(windows):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    for lo, hi in merged:
        for m in _VERB_LOW.finditer(low, lo, hi):
            a, b = m.start(), m.end()
            if (a and low[a - 1].isalnum()) or (b < len(low) and low[b].isalnum()) or masked.hit(a, b):
                continue
            rel = _VERB_PHRASES[m.group()]
            if rel == "skip":
                continue
            if rel == "theo":
                if _THEO_ARTICLE.match(low, b):
                    rel = "based_on_near"  # `theo Điều 39 Luật số ...`
                elif _THEO_NOT.match(low, b):
                    continue  # `theo đó`, `theo hướng`, `theo chức năng`: no document follows
                else:
                    rel = "implements_near"
            elif rel == "need_object":
                if not _NEED_OBJECT.match(low, b):
                    continue
                rel = "implements"  # `đáp ứng yêu cầu tại văn bản số ...`
            if rel != "block" and ("được" in low[max(0, a - 60) : a] or "bị" in low[max(0, a - 60) : a]) \
                    and _PASSIVE.search(text, max(0, a - 60), a):
                continue
            out.append(_Verb(a, b, rel))
    return out


def _relation_of(text: str, verb: _Verb, verbs: list[_Verb]) -> str:
    rel = verb.rel
    if rel == "block":
        return "mentions"
    if rel.endswith("_near"):
        return rel[: -len("_near")]
    # one object of a chain of verbs (`Sửa đổi hoặc ban hành thay thế X`) is read from the first verb
    k = verbs.index(verb)
    while k > 0:
        j = k - 1
        if verbs[j].rel == "block" and text[verbs[j].start : verbs[j].end].lower() == "ban hành" and j > 0:
            j -= 1
        prev = verbs[j]
        if prev.rel not in ("implements", "amends", "replaces"):
            break
        gap = text[prev.end : verbs[k].start]
        gap = re.sub(r"(?i)ban hành\s*$", "", gap)
        if not _CHAIN_GAP.fullmatch(gap):
            break
        k, rel = j, prev.rel
    if rel == "implements" and _REVIEW_BEFORE.search(text, max(0, verb.start - 80), verb.start):
        return "reviews"  # `sơ kết 01 năm thực hiện X`
    return rel


def _describes(text: str, prev: _Mention, v: _Verb) -> bool:
    """Is verb `v` part of the description of the earlier citation `prev` (`X của Y về thực hiện ...`)?"""
    between = text[prev.end : v.start]
    if ";" in between or not _DESCRIPTION.search(text, prev.code_end, v.start):
        return False
    return "," not in between or bool(_DESCRIPTION.search(between))


def _assign_relations(text: str, mentions: list[_Mention]) -> None:
    spans = [(m.start, m.end) for m in mentions]
    starts = [m.start for m in mentions]
    prevs: list[_Mention | None] = []
    los: list[int] = []
    for i, mn in enumerate(mentions):
        s_start = _sentence_start(text, mn.start)
        first = bisect.bisect_left(starts, s_start)
        before = [p for p in mentions[first:i] if p.coded and p.end <= mn.start]
        prevs.append(before[-1] if before else None)
        los.append(before[-1].end if before else s_start)
    # only the text between a citation and the one before it in its sentence (or the sentence start) is read
    all_verbs = _verbs(text, [(lo, m.start) for lo, m in zip(los, mentions)], _SpanSet(spans))
    vstarts = [v.start for v in all_verbs]
    for i, mn in enumerate(mentions):
        prev, lo = prevs[i], los[i]
        verbs = all_verbs[: bisect.bisect_left(vstarts, mn.start)]
        region = [v for v in verbs[bisect.bisect_left(vstarts, lo) :]
                  if v.end <= mn.start and (not v.rel.endswith("_near") or mn.start - v.end <= 30)]
        if prev is not None and region:
            # a verb in an earlier citation's description governs what follows it in that clause
            desc = [v for v in region if _describes(text, prev, v)]
            if any(v.rel != "block" and ";" not in text[v.end : mn.start] for v in desc):
                mn.relation = None
                continue
            region = [v for v in region if v not in desc]
        if region:
            mn.relation = _relation_of(text, region[-1], verbs)
            mn.verb = text[region[-1].start : region[-1].end].lower()
        elif prev is not None:
            mn.relation = prev.relation  # one of a list of citations under one verb
        else:
            mn.relation = "mentions"


def resolve_relations(refs: list[Reference]) -> list[Reference]:
    """Give every mention of one code (or one named title) the strongest relation found for it.

    Strength: implements > amends = replaces > reviews > based_on > mentions > null. The
    references are updated in place; the same list is returned.
    """
    best: dict[str, str | None] = {}
    for r in refs:
        key = r.code or "title:" + (r.title or "").lower()
        if key not in best or RELATION_RANK[r.relation] > RELATION_RANK[best[key]]:
            best[key] = r.relation
    for r in refs:
        r.relation = best[r.code or "title:" + (r.title or "").lower()]  # type: ignore[assignment]
    return refs


def _share_fields(refs: list[Reference]) -> None:
    """A code's date, issuer and type, stated at one mention, hold for all its mentions."""
    first: dict[str, Reference] = {}
    for r in refs:
        if not r.code:
            continue
        f = first.setdefault(r.code, r)
        f.issued_date = f.issued_date or r.issued_date
        f.issuer = f.issuer or r.issuer
        f.doc_type = f.doc_type or r.doc_type
    for r in refs:
        if r.code:
            f = first[r.code]
            r.issued_date = r.issued_date or f.issued_date
            r.issuer = r.issuer or f.issuer
            r.doc_type = r.doc_type or f.doc_type


def find_references(text: str, own_code: str | None = None) -> list[Reference]:
    """Every cited document in a document's normalised `text`, one `Reference` per mention, in order."""
    own = normalise_code(own_code) if own_code else None
    coded = _coded_mentions(text, own)
    taken = [(m.start, m.end) for m in coded]
    bare = _bare_mentions(text, taken, coded, own)
    taken += [(m.start, m.end) for m in bare]
    mentions = sorted(coded + bare + _named_mentions(text, taken), key=lambda m: m.start)
    mentions = sorted(mentions + _alias_mentions(text, mentions), key=lambda m: m.start)
    for a, b in zip(mentions, mentions[1:]):
        # a code with no type word of its own after another (`văn bản số 1552/... và 708/...`)
        if b.coded and b.start == b.code_start and _CONJ_GAP.fullmatch(text, a.end, b.start):
            if b.doc_type is None or _code_type(b.code) is None:
                b.doc_type = a.doc_type
    for m in mentions:
        if m.coded and m.doc_type is None:
            m.doc_type = "Công văn"  # `83/BKHCN-BTTTT-VP`: an official letter's number
    _assign_relations(text, mentions)
    mentions = [m for m in mentions if m.coded or m.verb not in _CREATING]
    refs = [
        Reference(
            text=text[m.start : m.end].strip(),
            doc_type=m.doc_type,
            code=m.code,
            title=m.title,
            issued_date=m.issued_date,
            issuer=m.issuer,
            relation=m.relation,  # type: ignore[arg-type]
            span=(m.start, m.end),
        )
        for m in mentions
    ]
    _share_fields(refs)
    return resolve_relations(refs)


if __name__ == "__main__":  # pragma: no cover - a quick look at one text file
    for ref in find_references(open(sys.argv[1], encoding="utf-8").read(), sys.argv[2] if len(sys.argv) > 2 else None):
        print(ref.span, ref.doc_type, ref.code, ref.issued_date, ref.relation, "|", ref.issuer, "|", ref.title)
