"""Numeric targets: the quantities a document commits to (ANNOTATION.md section 5).

`find_targets(text, offset)` reads one paragraph (or item, or sentence) and
returns a `Target` per committed number: percentages (`100% cán bộ, đảng viên
... được học tập`, `15 %`), counts (`ít nhất 10 cơ sở`, `01 hội nghị`),
ranges (`20 đến 25 đảng viên`, `03-05 dự án`, `1% - 3%`) and limits (`không
quá 3 ngày`, `tối đa`), with the comparator (`>=` for `tối thiểu, ít nhất,
trở lên, trên, hơn, đạt và vượt, ≥`; `<=` for `không quá, tối đa, dưới, ≤`;
`range`; else `=`), the direction (`giảm, tinh giản, cắt giảm` -> decrease;
`tăng, thêm` -> increase), the unit (`%`, or the counted noun: `đảng viên`,
`xã, phường`, `hộ kinh doanh`, `tỷ đồng`), subject, period (`Hằng năm`,
`đến năm 2025`) and baseline (`so với năm trước`). Its `text` is the clause
that states it (a `;`-item of a list, a sentence), its span that clause.

`targets_from_row(cells, header, cell_spans)` reads one table row: an
indicator row (`Chỉ tiêu | Đơn vị tính | Giá trị | Cơ quan chủ trì | ...`)
gives one target per value (`≤ 3 Đông Nam Á; ≤ 50 Thế giới` gives two), its
text the row's cells joined with ` | `, its unit the unit column, its
`lead`/`support` the responsible-unit columns as written; a task row gives
the targets of its task and result cells (`Ít nhất 10 cơ sở được thành lập`),
a commitment restated in two cells of the row once.

Numbers that are not commitments are left out: dates, years, times, item and
article numbers (`1.1.`, `(2)`, `Điều 3`, `số 1, 4, 5`), ordinals (`lần
thứ`, `Kỳ họp thứ 9`), document codes and numbered documents (`Chỉ thị 18`),
slogans (`05 rõ (rõ người ...)`, `3 Dễ (Dễ hiểu ...)`, `“6 rõ”`), numbers glued
to a measure (`8GB`, `5G`), durations that only schedule (`trong 15 ngày kể
từ`, `sơ kết 01 năm`), the count of a list that follows (`3 Hội nghị`, `3 nhóm
nhiệm vụ:`), numbers in names (`Ban Chỉ đạo 57 Thành ủy`), a number that only
qualifies what a percentage counts (`100% nhóm hộ có doanh thu trên 1 tỷ
đồng`) and, outside tables, plain counts stated as facts (`Số lượng người dùng:
4.231 tài khoản`, `dự kiến 700.000 tin nhắn`). `task_id` and `path` (and
`lead`/`support` of paragraph targets) are left for the pipeline.
"""
from __future__ import annotations

import bisect
import importlib.util
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from extractors.vnnumbers import SCALE_WORDS, clean_value, parse_number
from models import Target

__all__ = ["find_targets", "targets_from_row"]

_UPPER = "".join(
    ch for ch in map(chr, list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)))
    if ch.isupper()
)

# ---------------------------------------------------------------- numbers

_NUM = r"\d+(?:[.,]\d+)*"
_SCALE = r"(?:triệu|tỷ|tỉ|nghìn|ngàn)"
#: a number, its scale word, `%`, and the upper end of a range (`03-05`, `20 đến 25`, `1% - 3%`)
_CAND = re.compile(
    r"(?P<n1>" + _NUM + r")(?:\s*(?P<s1>" + _SCALE + r")(?!\w))?(?P<p1>\s?%)?"
    r"(?:\s*(?P<rsep>-|–|—|÷|đến|tới)\s*(?P<n2>" + _NUM + r")(?:\s*(?P<s2>" + _SCALE + r")(?!\w))?(?P<p2>\s?%)?)?",
    re.IGNORECASE,
)
_NOT_BEFORE_NUM = re.compile(r"[\w/.,\\\-–]")  # a number inside a code, a date, a word or a longer number
_GLUED_AFTER = re.compile(r"[^\W\d_]|/\d|[-/][A-Za-zĐ]|\.\d|:\d|\+")  # `8GB`, `3/2026`, `57-NQ`, `16:00`
_CURRENCY = re.compile(r"\s*(?P<c>đồng|USD|VNĐ|VND)(?!\w)", re.IGNORECASE)
_YEARISH = re.compile(r"(?:19|20)\d\d")
_WS = re.compile(r"[\s*_]*")
_WORD = re.compile(r"\S+")
_DIGIT = re.compile(r"\d")
#: a number followed by `%` or a word: what every target of running text has (a cheap first test)
_QUANTITY_HINT = re.compile(r"\d[\d.,]*\s?(?:%|[^\W\d_]|(?:-|–|đến)\s*\d)")

#: words right before a number that make it an item, article, date, ordinal, name or document number
_NOT_AFTER_1 = {
    "điều", "khoản", "điểm", "mục", "chương", "phần", "số", "thứ", "khóa", "khoá", "kỳ", "năm", "tháng", "quý",
    "quí", "tuần", "ngày", "giờ", "hạng", "loại", "vụ", "cục", "tổ", "đội", "phòng", "ban", "lớp", "đợt", "version",
    "vùng", "quận", "phường", "xã", "huyện", "tỉnh", "bước", "luật",
}
_NOT_AFTER_2 = {
    "phụ lục", "tiểu mục", "lần thứ", "nhiệm kỳ", "giai đoạn", "thời kỳ", "cấp độ", "mức độ", "phiên bản",
    "khu vực", "nghị quyết", "kết luận", "chỉ thị", "quyết định", "kế hoạch", "chương trình", "đề án",
    "thông báo", "hướng dẫn", "quy định", "báo cáo", "công văn", "nghị định", "thông tư", "tờ trình",
}

# ---------------------------------------------------------------- comparators, direction, context

_GE_WORDS = {"tối thiểu", "ít nhất", "không dưới", "không ít hơn", "trên", "hơn", "vượt", "từ", "đạt và vượt"}
_LE_WORDS = {"tối đa", "không quá", "không vượt quá", "dưới", "chưa đến", "chưa tới"}
_APPROX_WORDS = {"khoảng", "gần", "xấp xỉ", "~"}
_FILLERS = {"là", "đạt", "có", "bằng", "mức"}
_GE_SIGNS = ("≥", ">=", ">", "⩾")
_LE_SIGNS = ("≤", "<=", "<", "⩽")
_CMP_AFTER = re.compile(r"(?:\s+[^\W\d_]+){0,5}?\s+(?P<w>trở lên|trở xuống)(?!\w)", re.IGNORECASE)

_DECREASE = re.compile(r"(?<!\w)(?:cắt giảm|tinh giản|giảm thiểu|giảm)(?!\w)", re.IGNORECASE)
_INCREASE = re.compile(r"(?<!\w)(?:tăng(?!\s+cường)|mở rộng thêm|thêm)(?!\w)", re.IGNORECASE)
_INCREASE_AFTER = re.compile(r"\s*(?:và\s+)?tăng(?!\s+cường)", re.IGNORECASE)
_PERIOD = re.compile(
    r"(?<!\w)(?:(?:hằng|hàng) năm|(?:đến hết|đến|trong|cả|cuối) năm \d{4}|năm \d{4}|giai đoạn \d{4}\s*[-–]\s*\d{4}"
    r"|(?:quý|quí) [IV]{1,3}(?:/| năm )\d{4}|\d+ tháng (?:đầu|cuối) năm(?: \d{4})?|(?:hằng|hàng) (?:quý|tháng))(?!\w)",
    re.IGNORECASE,
)
_BASELINE = re.compile(r"(?<!\w)so với\s+[^,;.()\n|]{2,60}", re.IGNORECASE)
_SUBJECT_END = re.compile(r"\s+so với\s|[;.()]|\s-\s")
#: words of a clause that make a plain count a commitment (outside tables)
_CUES = re.compile(
    r"(?<!\w)(?:phấn đấu|đạt|mục tiêu|chỉ tiêu|tổng số|thêm|thí điểm|hoàn thành|hoàn thiện|bảo đảm|đảm bảo|"
    r"triển khai|tổ chức|xây dựng|đưa vào|kết nạp|giới thiệu|tuyển|đào tạo|bồi dưỡng|hỗ trợ|thành lập|"
    r"phát triển|thu hút|trang bị|mở rộng|nâng|tăng|giảm|duy trì|khai thác|bố trí|cấp|ban hành)(?!\w)",
    re.IGNORECASE,
)
#: words of a clause that make a plain count a fact or an estimate
_VETO = re.compile(r"(?<!\w)(?:dự kiến|hiện tại|hiện có|hiện nay|hiện đang|bao gồm|gần)(?!\w)", re.IGNORECASE)
#: clause ends: `;`, a line, a table cell, a sentence end, a bullet run into the line (`... - Mỗi xã`)
#: (a line break ends a clause only after a full stop or before a list item: wrapped lines are joined)
_CLAUSE_SPLIT = re.compile(
    r";|\n(?=[ \t]*(?:\n|[-+•*–]\s|\d{1,2}[.)]\s|[a-zđ]\)\s|\(\d+\)))|(?<=[.:!?])[ \t*_]*\n| \| "
    r"|[.!?](?=[ \t*_]+\S)|\s[-–+•]\s+(?=[" + _UPPER + r"])"
)
_QUOTE_OPEN = re.compile(r"[“\"]\s*$")
_QUOTE_CLOSE = re.compile(r"[^”\"]{0,20}[”\"]")
_LIST_FOLLOWS = re.compile(r"\s*(?::|sau đây|như sau)", re.IGNORECASE)
_SLOGAN_PAREN = re.compile(r"\s*\(\s*(?P<w>[^\W\d_]+)")

# ---------------------------------------------------------------- counted nouns

_TIME_UNITS = {"năm", "tháng", "tuần", "ngày", "giờ", "phút", "quý", "quí", "buổi", "kỳ", "tiếng"}
#: the comparators that make a duration a limit (`không quá 3 ngày`, `trước ít nhất 01 ngày`);
#: `từ 3 tháng`, `dưới 12 tháng` state conditions
_LIMIT_WORDS = {"tối đa", "không quá", "không vượt quá", "ít nhất", "tối thiểu"}
#: words that are never the counted noun (`05 rõ`, `3 Dễ`, a preposition after a bare number)
_NOT_UNITS = {
    "rõ", "dễ", "không", "có", "cùng", "tốt", "và", "hoặc", "của", "cho", "theo", "tại", "trong", "với", "là",
    "được", "đã", "sẽ", "để", "các", "những", "này", "đó", "trên", "dưới", "về", "từ", "đến", "tới", "khi",
    "thì", "nhưng", "hay", "như", "sau", "trước", "thứ", "cấp", "lần thứ", "đối với", "mới", "tuổi",
}
#: words after a comma that end a counted noun rather than add to it (`12 tháng, kể từ`, `1.000 đảng viên, số`)
_LIST_STOP = {
    "trong", "ngoài", "đồng", "nhất", "đặc", "bảo", "đảm", "kể", "số", "do", "nếu", "khi", "mà", "vì", "tuy",
    "riêng", "trừ", "gồm", "bao", "kèm", "tính", "sau", "trước", "tổng", "mỗi", "mọi", "tất", "cả", "ngay",
}
_TECH_UNITS = re.compile(
    r"(?:[KMGT]i?B|[KMGT]Hz|Hz|[KMGT]bps|bps|vCPU|CPU|core|mm|cm|km|kg|kW|MW|GW|kWh|m2|m3|ha)", re.IGNORECASE
)
#: nouns that count together with the word after them (`hộ kinh doanh`, `bộ công cụ`, `tờ gấp`)
_CLASSIFIERS = {"hộ", "bộ", "tờ", "chuỗi", "tuyến", "thửa", "cuốn", "quyển", "chiếc", "căn", "điểm", "con", "cái"}
_SYLLABLE = re.compile(r"[^\W\d_]+|\d+|[/,]|\S")
#: compound nouns of the genre that a general word list lacks
_EXTRA_WORDS = {
    "doanh nghiệp nhỏ và vừa", "hộ kinh doanh", "hộ gia đình", "cơ sở giáo dục", "cơ sở y tế", "trạm y tế",
    "đơn vị hành chính", "thủ tục hành chính", "dịch vụ công", "người dân", "tin nhắn", "máy chủ",
}


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """Vietnamese compound words (lower case), to see where a counted noun ends.

    The general word list of `underthesea` (Viet74K) when installed; a few genre words otherwise.
    """
    words = set(_EXTRA_WORDS)
    spec = importlib.util.find_spec("underthesea")
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(root, "corpus", "data", "Viet74K.txt")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                words.update(w.strip().lower() for w in fh if " " in w.strip())
            break
    return frozenset(words)


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    """Syllables that start a listed word: a cheap test for 'a Vietnamese noun-like syllable'."""
    return frozenset(w.split()[0] for w in _lexicon()) | _CLASSIFIERS | {"xã", "phường", "thôn", "lần", "đợt"}


def _word_end(syls: list[tuple[str, int, int]], i: int) -> int:
    """Index after the longest listed word starting at syllable i (up to 5 syllables)."""
    lex = _lexicon()
    best = i + 1
    phrase = syls[i][0].lower()
    for j in range(i + 2, min(len(syls), i + 5) + 1):
        if not syls[j - 1][0].isalpha():
            break
        phrase += " " + syls[j - 1][0].lower()
        if phrase in lex:
            best = j
    return best


def _item_end(syls: list[tuple[str, int, int]], i: int) -> int:
    j = _word_end(syls, i)
    if j == i + 1 and syls[i][0].lower() in _CLASSIFIERS and j < len(syls) and syls[j][0].isalpha() \
            and syls[j][0].islower():
        j = _word_end(syls, j)  # `hộ kinh doanh`, `bộ công cụ`
    return j


def _noun(text: str, pos: int, limit: int) -> tuple[str | None, int]:
    """The counted noun at `pos` (`xã, phường`, `sản phẩm/dịch vụ`, `hộ kinh doanh`) and where it ends."""
    if pos >= limit or not text[pos].isalpha():
        return None, pos
    syls = [(m.group(), m.start(), m.end()) for m in islice(_SYLLABLE.finditer(text, pos, min(limit, pos + 90)), 16)]
    first = syls[0][0]
    if first.isascii() and first.lower() not in _heads():
        # a foreign word (`01 Storage`), but not a measure (`GB`) nor a short abbreviation (`AI`)
        if _TECH_UNITS.fullmatch(first) or (first.isupper() and len(first) <= 3):
            return None, pos
        return first, syls[0][2]
    j = _item_end(syls, 0)
    parts = [(0, j)]
    while syls[0][0].lower() not in _TIME_UNITS and j + 1 < len(syls) and syls[j][0] in ("/", ",") and syls[j + 1][0].isalpha():
        sep, nxt = syls[j][0], syls[j + 1][0]
        if nxt.lower() in _NOT_UNITS or nxt.lower() in _LIST_STOP or (sep == "," and nxt[0].isupper()):
            break
        k = _item_end(syls, j + 1)
        if sep == "," and k == j + 2 and nxt.lower() not in _heads():
            break  # `..., bảo đảm` runs into a verb phrase
        parts.append((j, k))
        j = k
    unit = ""
    for a, b in parts:
        for s in syls[a:b]:
            if s[0] == "/":
                unit += "/"
            elif s[0] == ",":
                unit += ", "
            else:
                unit += ("" if not unit or unit.endswith(("/", " ")) else " ") + s[0]
    unit = unit.strip(" ,/")
    if not unit or unit.lower() in _NOT_UNITS:
        return None, pos
    return unit, syls[j - 1][2]


# ---------------------------------------------------------------- candidates in one clause


#: a number that defines a class rather than commits to it: `đảng bộ có từ 200 đảng viên`, `chưa đủ 30`
_CONDITION = re.compile(
    r"(?<!\w)(?:có(?:\s+số lượng)?\s+(?:từ|dưới|trên|hơn)(?:\s+đủ)?|(?:chưa|không)\s+đủ|đủ)[\s*_]*$", re.IGNORECASE
)
_HAS_BEFORE = re.compile(r"(?<!\w)có[\s*_]*$", re.IGNORECASE)
_LABEL_START = re.compile(r"[\s*_(\[]*$")


@dataclass
class _Cand:
    start: int  # of the quantity, its comparator included
    num_start: int
    end: int  # after the number, `%` and counted noun
    value: float
    value_max: float | None
    pct: bool
    unit: str | None
    comparator: str
    padded: bool  # written `01`, `05`: the genre's way of writing a committed count
    money: bool  # `50.000 tỷ đồng`
    cmp_words: str = ""  # the comparator as written


def _words_before(text: str, lo: int, pos: int, n: int = 5) -> list[tuple[str, int]]:
    """The last `n` words before `pos` in lower case (stripped of `*_:,()` and quotes), with offsets."""
    out = [(m.group().strip("*_:,()“”\"").lower(), m.start()) for m in _WORD.finditer(text, max(lo, pos - 48), pos)]
    return out[-n:]


def _not_a_quantity(words: list[tuple[str, int]]) -> bool:
    w = [x for x, _ in words]
    if not w:
        return False
    if w[-1] in _NOT_AFTER_1:
        return not (w[-1] == "số" and len(w) > 1 and w[-2] == "tổng")  # `Tổng số: 24` is a count
    return len(w) > 1 and " ".join(w[-2:]) in _NOT_AFTER_2


def _comparator_before(text: str, lo: int, pos: int, words: list[tuple[str, int]] | None = None) -> tuple[str, int]:
    """The comparator written before a number (`tối thiểu`, `không tổ chức quá`, `≥`) and where it starts.

    The words themselves are `_cmp_phrase(text, start, pos)`.
    """
    head_lo = max(lo, pos - 4)
    head = text[head_lo:pos].rstrip(" \t\n*_")
    for signs, cmp in ((_LE_SIGNS, "<="), (_GE_SIGNS, ">=")):
        for sign in signs:
            if head.endswith(sign):
                return cmp, head_lo + head.rfind(sign)
    if words is None:
        words = _words_before(text, lo, pos)
    w = [x for x, _ in words]
    for drop in (0, 1):
        if drop and (not w or w[-1] not in _FILLERS):
            break
        ws = w[: len(w) - drop]
        for n in (3, 2, 1):
            if len(ws) >= n:
                phrase = " ".join(ws[-n:])
                at = words[len(ws) - n][1]
                if phrase in _LE_WORDS:
                    return "<=", at
                if phrase in _GE_WORDS:
                    return ">=", at
                if phrase in _APPROX_WORDS:
                    return "=", at
    if w and w[-1] == "quá" and "không" in w[-4:-1]:
        k = max(i for i in range(max(0, len(w) - 4), len(w) - 1) if w[i] == "không")
        return "<=", words[k][1]  # `không tổ chức quá 40%`
    return "=", pos


def _comparator_after(after: str) -> str:
    m = _CMP_AFTER.match(after) if "trở" in after else None
    if m:
        return ">=" if m.group("w").lower() == "trở lên" else "<="
    return "="


def _candidates(text: str, lo: int, hi: int) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _CAND.finditer(text, lo, hi):
        if m.start() > 0 and _NOT_BEFORE_NUM.match(text, m.start() - 1):
            continue
        n1 = m.group("n1")
        pct = bool(m.group("p1") or m.group("p2"))
        if not pct and _GLUED_AFTER.match(text, m.end(), hi):
            continue
        v1 = parse_number(n1)
        if v1 is None or (not pct and _YEARISH.fullmatch(n1)) or (len(n1) > 2 and n1[0] == "0" and n1.isdigit()):
            continue
        words = _words_before(text, lo, m.start())
        if not pct and _not_a_quantity(words):
            continue
        v2 = parse_number(m.group("n2")) if m.group("n2") else None
        if m.group("n2") and (v2 is None or (v2 <= v1 and m.group("rsep") in ("-", "–", "—"))):
            v2 = None  # not a range: the first number alone
        s1 = (m.group("s1") or "").lower()
        s2 = (m.group("s2") or "").lower()
        if v2 is not None:
            end = m.end()
        else:
            end = m.end("p1") if m.group("p1") else (m.end("s1") if m.group("s1") else m.end("n1"))
        money = False
        unit: str | None
        if pct:
            unit = "%"
        else:
            cur = _CURRENCY.match(text, end, hi)
            if (s1 or s2) and cur:
                unit, end, money = (s2 or s1) + " " + cur.group("c"), cur.end(), True
            else:
                unit, uend = _noun(text, _WS.match(text, end, hi).end(), hi)  # type: ignore[union-attr]
                if unit is None:
                    continue
                end = uend
                v1 *= SCALE_WORDS.get(s1, 1.0)
                if v2 is not None:
                    v2 *= SCALE_WORDS.get(s2 or s1, 1.0)
        cmp, start = _comparator_before(text, lo, m.start(), words)
        if v2 is not None:
            cmp = "range"
        elif cmp == "=":
            cmp = _comparator_after(text[end : min(hi, end + 60)])
        padded = len(n1) > 1 and n1[0] == "0" and n1.isdigit()
        out.append(_Cand(start, m.start(), end, clean_value(v1), clean_value(v2) if v2 is not None else None,
                         pct, unit, cmp, padded, money, text[start : m.start()].strip(" *_").lower()))
    return out


def _is_slogan(text: str, c: _Cand, hi: int) -> bool:
    """`05 rõ (rõ người, ...)`, `3 Dễ (Dễ hiểu - ...)`, `“6 rõ”`, `“45 ngày”`."""
    if _QUOTE_OPEN.search(text, max(0, c.start - 3), c.start) and _QUOTE_CLOSE.match(text, c.num_start, hi):
        return True
    if c.unit:
        p = _SLOGAN_PAREN.match(text, c.end, c.end + 40)
        if p and p.group("w").lower() == c.unit.split()[0].lower():
            return True
    return False


def _in_name(text: str, c: _Cand) -> bool:
    """A number inside a proper name (`Ban Chỉ đạo 57 Thành ủy`): capitalised words on both sides."""
    if not c.unit or not c.unit[0].isupper():
        return False
    return any(w[:1].isupper() for w in _WORD.findall(text, max(0, c.start - 30), c.start)[-2:])


def _accept(text: str, c: _Cand, lo: int, hi: int, lenient: bool, after_pct: bool) -> bool:
    """Is candidate `c` of the clause text[lo:hi] a commitment?"""
    if c.pct:
        return True
    if after_pct or c.unit is None:
        return False  # `100% nhóm hộ có doanh thu trên 1 tỷ đồng`: the count qualifies the percentage
    u = c.unit.lower()
    first = u.split()[0]
    if u in _NOT_UNITS or first in _NOT_UNITS or _TECH_UNITS.fullmatch(c.unit):
        return False
    if u in _TIME_UNITS or first in _TIME_UNITS:
        # `không quá 3 ngày`, `trước ít nhất 01 ngày`; not `sơ kết 01 năm`, `trong 15 ngày kể từ`, `từ 3 tháng`
        return c.cmp_words in _LIMIT_WORDS or c.cmp_words.startswith("không") or c.cmp_words in _LE_SIGNS + _GE_SIGNS
    if _CONDITION.search(text, max(0, c.num_start - 25), c.num_start) or (
        c.comparator != "=" and c.start == c.num_start and _HAS_BEFORE.search(text, max(0, c.num_start - 8), c.num_start)
    ):
        return False  # `đảng bộ có từ 200 đảng viên`, `Chi bộ có 9 đảng viên trở lên`: a condition
    if not c.padded and c.comparator == "=" and c.unit[:1].isupper() and _LABEL_START.fullmatch(text, lo, c.num_start):
        return False  # `11 Đảng viên được ...`: a footnote or item number opening the clause
    if _LIST_FOLLOWS.match(text, c.end, c.end + 20):
        return False  # the count of a list that follows
    if c.comparator != "=" or c.padded or c.money:
        return True
    if _in_name(text, c):
        return False
    return c.value >= 10 and not _VETO.search(text, lo, hi) and (lenient or bool(_CUES.search(text, lo, hi)))


# ---------------------------------------------------------------- building targets


def _clauses(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t*_-–+•()[]“”\"'":
        if text[a] == "(" and ")" in text[a:b]:
            break
        a += 1
    while b > a and text[b - 1] in " \t*_,:(":
        b -= 1
    return a, b


def _direction(before: str, after: str) -> str | None:
    d = [m.end() for m in _DECREASE.finditer(before)]
    i = [m.end() for m in _INCREASE.finditer(before)]
    if d or i:
        return "decrease" if max(d, default=-1) > max(i, default=-1) else "increase"
    return "increase" if _INCREASE_AFTER.match(after) else None


def _period(periods: list[tuple[int, str]], clause: tuple[int, int], pos: int) -> str | None:
    """The period nearest before the number in its clause, else after it, else earlier in the paragraph.

    `periods` are the period expressions of the whole text with their offsets, in order.
    """
    a, b = clause
    i = bisect.bisect_left(periods, (a, ""))  # first period of the clause
    j = bisect.bisect_right(periods, (pos, "\uffff"))  # after the last period that starts by the number
    if j > i:
        return periods[j - 1][1]
    if i < len(periods) and periods[i][0] < b:
        return periods[i][1]
    return periods[i - 1][1] if i else None


def _subject(text: str, c: _Cand, hi: int) -> str | None:
    lo = c.end if c.pct else c.end - len(c.unit or "")
    tail = _SUBJECT_END.split(text[lo:hi], maxsplit=1)[0]
    return " ".join(tail.split()[:14]).strip(" ,*_:") or None


def _build(text: str, cands: list[_Cand], clause: tuple[int, int], offset: int,
           periods: list[tuple[int, str]]) -> list[Target]:
    a, b = _strip_span(text, *clause)
    out: list[Target] = []
    for c in cands:
        base = _BASELINE.search(text, c.end, b)
        out.append(
            Target(
                text=text[a:b],
                value=c.value,
                value_max=c.value_max,
                unit=c.unit,
                comparator=c.comparator,  # type: ignore[arg-type]
                direction=_direction(text[max(a, c.start - 80) : c.start], text[c.end : b]),  # type: ignore[arg-type]
                subject=_subject(text, c, b),
                period=_period(periods, clause, c.start),
                baseline=base.group().strip() if base else None,
                span=(offset + a, offset + b),
            )
        )
    return out


def _find(text: str, offset: int, lenient: bool) -> list[Target]:
    out: list[Target] = []
    if not _QUANTITY_HINT.search(text):
        return out
    prev_lo = None
    periods: list[tuple[int, str]] | None = None
    for lo, hi in _clauses(text):
        span_lo = prev_lo if prev_lo is not None and len(text[lo:hi].split()) <= 3 else lo
        prev_lo = lo  # a fragment (`...; 01 Storage`) is read with the clause before it
        if not _QUANTITY_HINT.search(text, lo, hi):
            continue
        cands = _candidates(text, lo, hi)
        if not cands:
            continue
        kept: list[_Cand] = []
        seen_pct = False
        for c in cands:
            if not _is_slogan(text, c, hi) and _accept(text, c, lo, hi, lenient, seen_pct and not c.pct):
                kept.append(c)
            seen_pct = seen_pct or c.pct
        if kept:
            if periods is None:
                periods = [(m.start(), m.group()) for m in _PERIOD.finditer(text)]
            out += _build(text, kept, (span_lo, hi), offset, periods)
    return out


def find_targets(text: str, offset: int = 0) -> list[Target]:
    """Targets stated in one paragraph, item or sentence; spans are `offset` + index into `text`."""
    return _find(text, offset, lenient=False)


# ---------------------------------------------------------------- table rows

_H_INDEX = re.compile(r"(?:s[ốo]\s*)?(?:stt|tt|số thứ tự)\.?", re.IGNORECASE)
_H_NAME = re.compile(r"chỉ tiêu|tiêu chí", re.IGNORECASE)
_H_UNIT = re.compile(r"(?:đơn vị(?: tính| đo)?|đvt)\.?(?:\s*\(.*\))?", re.IGNORECASE)
_H_VALUE = re.compile(r"giá trị|mục tiêu|^kết quả$|^(?:đến |năm |đến năm )?\d{4}$|^chỉ số", re.IGNORECASE)
_H_LEAD = re.compile(r"chủ trì|thực hiện|phụ trách|chịu trách nhiệm|đầu mối", re.IGNORECASE)
_H_SUPPORT = re.compile(r"phối hợp", re.IGNORECASE)
_H_TIME = re.compile(r"thời gian|thời hạn|tiến độ|hoàn thành|số ngày|thời điểm", re.IGNORECASE)
_H_TASK = re.compile(r"nhiệm vụ|nội dung|công việc|hoạt động|giải pháp|tên", re.IGNORECASE)
_H_PRODUCT = re.compile(r"sản phẩm|kết quả", re.IGNORECASE)
_H_SPACES = re.compile(r"[\s*_]+")
_HAS_YEAR = re.compile(r"\d{4}")
_BARE_VALUE = re.compile(
    r"(?P<n1>" + _NUM + r")\s*(?P<p1>%)?(?:\s*(?:-|–|đến)\s*(?P<n2>" + _NUM + r")\s*(?P<p2>%)?)?", re.IGNORECASE
)
_VALUE_PART = re.compile(
    r"\s*(?P<cmp>≥|>=|>|≤|<=|<|tối thiểu|ít nhất|tối đa|không quá|khoảng)?\s*" + _NUM + r"\s*%?"
    r"(?:\s*(?:-|–|đến)\s*" + _NUM + r"\s*%?)?(?P<rest>(?:\s+[^\d;]*)?)\s*",
    re.IGNORECASE,
)
_ORG_START = re.compile(
    r"(?:Sở|Bộ|Ban|Ủy|Uỷ|UBND|HĐND|Tập đoàn|Tổng cục|Cục|Chi cục|Vụ|Văn phòng|Các|Công an|Thuế|Ngân hàng|Đảng|"
    r"Hội|Trường|Viện|Tòa|Liên|Phòng|Trung tâm|Đoàn|Mặt trận|Thành ủy|Tỉnh ủy)(?!\w)"
)
_LEADING_VALUE = re.compile(r"^[\d.,\s%–\-]+")
_ROW_LABEL = re.compile(r"\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]?\s*")
_UNIT_SPLIT = re.compile(r"\s*;\s*")
_UNIT_COMMA = re.compile(r",\s*(?=[" + _UPPER + r"])")
_COLS = ("index", "name", "unit", "value", "lead", "support", "time", "task", "product")


@lru_cache(maxsize=256)
def _columns(header: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    cols: dict[str, list[int]] = {k: [] for k in _COLS}
    for i, raw in enumerate(header):
        h = _H_SPACES.sub(" ", raw).strip()
        if not h:
            continue
        if _H_INDEX.fullmatch(h):
            cols["index"].append(i)
        elif _H_UNIT.fullmatch(h):
            cols["unit"].append(i)
        elif _H_SUPPORT.search(h):
            cols["support"].append(i)
        elif _H_LEAD.search(h) and not _H_TIME.search(h):
            cols["lead"].append(i)
        elif _H_TIME.search(h):
            cols["time"].append(i)
        elif _H_NAME.search(h) and not cols["name"]:
            cols["name"].append(i)
        elif _H_VALUE.search(h):
            cols["value"].append(i)
        elif _H_PRODUCT.search(h):
            cols["product"].append(i)
        elif _H_TASK.search(h):
            cols["task"].append(i)
    if cols["name"] and not cols["value"] and cols["product"]:
        cols["value"], cols["product"] = cols["product"], []
    return {k: tuple(v) for k, v in cols.items()}


def _usable_header(header: list[str] | None, cells: list[str]) -> bool:
    """A header that names the row's columns (not a group row or a first data row taken for one)."""
    if not header or len(header) != len(cells):
        return False
    return _header_ok(tuple(header))


@lru_cache(maxsize=256)
def _header_ok(header: tuple[str, ...]) -> bool:
    for h in header:
        h = h.strip(" *_")
        if len(h) > 70 or h.endswith(":") or (_ROW_LABEL.fullmatch(h) and not _YEARISH.fullmatch(h.strip())):
            return False
    return sum(1 for role in _columns(header).values() if role) >= 2


def _value_cell(cell: str) -> bool:
    """`≥ 5`, `100%`, `40 - 50`, `≤ 3 Đông Nam Á; ≤ 50 Thế giới`, `≥ 3% và tăng dần ...`."""
    parts = [p for p in cell.split(";") if p.strip()]
    if not parts:
        return False
    for p in parts:
        m = _VALUE_PART.fullmatch(p)
        if not m:
            return False
        rest = m.group("rest").split()
        if len(rest) > (8 if m.group("cmp") else 4) or (rest and rest[0].lower() in _TIME_UNITS):
            return False
    return True


def _unit_like(cell: str, strict: bool) -> bool:
    """A measure cell (`%`, `Thứ bậc`, `Người/vạn dân`); `strict` also refuses what reads as a unit name."""
    c = cell.strip()
    if not 0 < len(c) <= 40 or _DIGIT.search(c.replace("/1000", "")):
        return False
    return not (strict and (len(c) > 30 or _ORG_START.match(c)))


def _guess_columns(cells: list[str]) -> dict[str, tuple[int, ...]]:
    """Column roles of a row without a usable header: `name | measure | value` makes an indicator row.

    A bare integer counts as a value only after a short measure that is not a unit name (`% | 100`,
    `Thứ bậc | 09`), since `03` or `10` may be a quantity or a number of days in any table.
    """
    cols: dict[str, list[int]] = {k: [] for k in _COLS}
    filled = [i for i, c in enumerate(cells) if c.strip()]
    if filled and _ROW_LABEL.fullmatch(cells[filled[0]]):
        cols["index"].append(filled[0])
    rest = [i for i in filled if i not in cols["index"]]
    for k in range(2, len(rest)):
        i, unit = rest[k], rest[k - 1]
        bare = bool(_ROW_LABEL.fullmatch(cells[i]))
        if _value_cell(cells[i]) and _unit_like(cells[unit], strict=bare):
            cols.update(name=[rest[0]], unit=[unit], value=[i], lead=[j for j in rest[k + 1 :]][:1])
            break
    else:
        cols["task"] = rest[::-1]  # result columns stand right of the task: a restated number is kept there
    return {k: tuple(v) for k, v in cols.items()}


def _split_units(cell: str) -> list[str]:
    """Unit names as written: split on `;`, and on `,` before a new capitalised name."""
    out: list[str] = []
    for part in _UNIT_SPLIT.split(cell.strip()):
        for p in _UNIT_COMMA.split(part):
            p = p.strip(" .,*_")
            if p:
                out.append(p)
    return out


def targets_from_row(
    cells: list[str], header: list[str] | None, cell_spans: list[tuple[int, int]]
) -> list[Target]:
    """Targets of one table row: one per value of an indicator row, or those of a task row's cells.

    `header` is the table's column names (None when unknown); `cell_spans` the spans of the cells
    in the normalised text. Returns [] for a row with no numeric commitment.
    """
    if not cells or not any(c.strip() for c in cells):
        return []
    if len(cell_spans) != len(cells):
        cell_spans = _spans_from_cells(cells)
    cols = _columns(tuple(header)) if _usable_header(header, cells) else _guess_columns(cells)  # type: ignore[arg-type]
    if cols["name"] and cols["value"]:
        out = _indicator_row(cells, header, cell_spans, cols)
    else:
        out = _task_row(cells, cell_spans, cols)
    if out:
        lead = [u for i in cols["lead"] for u in _split_units(cells[i])]
        support = [u for i in cols["support"] for u in _split_units(cells[i])]
        for t in out:
            t.lead, t.support = list(lead), list(support)
    return out


def _spans_from_cells(cells: list[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for c in cells:
        spans.append((pos, pos + len(c)))
        pos += len(c) + 3
    return spans


def _indicator_row(
    cells: list[str], header: list[str] | None, spans: list[tuple[int, int]], cols: dict[str, tuple[int, ...]]
) -> list[Target]:
    text = " | ".join(cells)
    span = (spans[0][0], spans[-1][1])
    name = cells[cols["name"][0]].strip()
    unit_col = cells[cols["unit"][0]].strip() if cols["unit"] else ""
    out: list[Target] = []
    for vi in cols["value"]:
        cell = cells[vi]
        period = header[vi].strip() if header and vi < len(header) and _HAS_YEAR.search(header[vi]) else None
        pos = 0
        for part_end in [m.start() for m in re.finditer(";", cell)] + [len(cell)]:
            lo, hi = pos, part_end
            pos = part_end + 1
            for c in _candidates(cell, lo, hi) or _bare_value(cell, lo, hi):
                if not c.pct and c.value == int(c.value) and _YEARISH.fullmatch(str(int(c.value))):
                    continue
                qual = _LEADING_VALUE.sub("", cell[c.num_start : hi]).strip(" ;,*_")
                subject = name + (f" ({qual})" if qual and not qual.startswith(("và", ",")) else "")
                out.append(
                    Target(
                        text=text,
                        value=c.value,
                        value_max=c.value_max,
                        unit=unit_col or ("%" if c.pct else c.unit) or None,
                        comparator=c.comparator,  # type: ignore[arg-type]
                        direction=_direction(name, cell[c.end : hi]),  # type: ignore[arg-type]
                        subject=subject or None,
                        period=period,
                        span=span,
                    )
                )
    return out


def _bare_value(cell: str, lo: int, hi: int) -> list[_Cand]:
    """A value cell with no counted noun (`≥ 5`, `09`, `40 - 50`, `> 0,7`): the number alone."""
    m = _BARE_VALUE.search(cell, lo, hi)
    if not m:
        return []
    v1 = parse_number(m.group("n1"))
    if v1 is None:
        return []
    v2 = parse_number(m.group("n2")) if m.group("n2") else None
    cmp = "range" if v2 is not None else _comparator_before(cell, lo, m.start("n1"))[0]
    return [_Cand(m.start(), m.start(), m.end(), clean_value(v1), clean_value(v2) if v2 is not None else None,
                  bool(m.group("p1") or m.group("p2")), None, cmp, False, False)]


def _task_row(cells: list[str], spans: list[tuple[int, int]], cols: dict[str, tuple[int, ...]]) -> list[Target]:
    order = list(cols["product"] + cols["value"] + cols["task"] + cols["name"])
    if not order:
        skip = set(cols["index"] + cols["lead"] + cols["support"] + cols["time"] + cols["unit"])
        order = [i for i in range(len(cells)) if i not in skip]
    found: list[Target] = []
    seen: set[tuple[float | None, float | None, str, str]] = set()
    for i in order:
        if not cells[i].strip():
            continue
        mine = []
        for t in _find(cells[i], spans[i][0], lenient=True):
            key = (t.value, t.value_max, (t.unit or "").lower(), t.comparator)
            if key not in seen:  # a commitment restated in another cell of the row counts once
                mine.append((key, t))
        seen.update(k for k, _ in mine)
        found += [t for _, t in mine]
    found.sort(key=lambda t: t.span[0])
    return found
