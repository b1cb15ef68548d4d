"""Undated time phrases: ongoing, per-plan, recurring, relative and no-time wording.

Each finder takes the folded text (see `deadline_fold`) and yields `Hit`s:
a span in that text, a kind, and the fields ANNOTATION.md section 4 gives
that kind (`recurrence`, `day`, `month`, `offset_days`, `working_days`). In
running prose (`cell=False`) the finders that would otherwise fire on common
adjectives (`thường xuyên`, `hằng năm`) need the phrase to open a clause; in a
time cell (`cell=True`) they take the phrase wherever it stands.

Calendar dates are not read here (`deadline_dates`, `deadline_dated`), and
which hit becomes a task's deadline is decided in `deadlines`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.deadline_fold import clause_start, fold, rx


@dataclass
class Hit:
    """One undated time phrase: its span in the folded text, its kind and that kind's fields."""

    start: int
    end: int
    kind: str
    recurrence: list[str] = field(default_factory=list)
    day: int | None = None
    month: int | None = None
    offset_days: int | None = None
    working_days: bool = False
    infer_recurrence: bool = False  # recurrence to be read from the rest of the sentence
    anchor: str | None = None  # relative: the folded words after "kể từ"
    months: int | None = None  # relative offset counted in months
    duration: bool = False  # relative: a step's expected duration ("Số ngày dự kiến: 7"), from no date


_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_PERIOD = r"(?:(?:\d{1,2}|hai|ba|sáu) (?:tháng|tuần)(?: (?:một|1) lần)?|nửa năm|năm(?! ?\d)|quý|tháng|tuần)"
_LIST = rf"(?:(?:,| và| hoặc)? \(?(?:hằng |hàng |mỗi )?{_PERIOD}\)?(?![^\W_]))*"

_ONGOING_CLAUSE = rx(r"(?:thường xuyên(?:, liên tục)?|(?:hằng|hàng) ngày|liên tục)(?![^\W_])")
# Each pattern opens with a plain word or digit: the scan for it then runs at C speed. Words that may
# stand in front of the match (`kể từ`, `năm 2025 và ...`, `trước ngày 25 ...`) are read backwards.
_ONGOING_ANY = [
    rx(r"xuyên suốt (?:từ nay )?(?:đến|tới|cho đến) (?:khi )?[^.;,\n()]{1,60}"),
    rx(r"từ (?:nay|ngày (?:ban hành|ký)[^.;,\n()]{0,40}?) trở đi"),
    rx(r"(?:19|20)\d\d (?:và|đến) (?:những|các) năm (?:tiếp theo|sau)(?: đó)?"),
]
_ONGOING_BEFORE = rx(r"(?:kể|năm) $")
_ONGOING_CELL = rx(
    r"^(?:nhiệm vụ |công việc |thực hiện |duy trì |triển khai )?(?:thường xuyên|liên tục|hằng ngày|hàng ngày)(?![^\W_])"
)
_PER_PLAN = rx(
    r"theo (?:đúng )?(?:lộ trình|thời gian quy định|thời hạn quy định|tiến độ (?:quy định|đề ra|được giao))"
    r"|theo yêu cầu,? tiến độ|theo chương trình,? kế hoạch(?: công tác)?"
)
_PER_PLAN_CELL = rx(
    r"^(?:thực hiện |triển khai )?theo (?:đúng )?(?:kế hoạch|chương trình|lộ trình|tiến độ|quy định|thời gian|thời hạn"
    r"|hướng dẫn|yêu cầu,? tiến độ)|(?<![^\W_])(?:kế hoạch|lộ trình)(?![^\W_])"
)
_NONE_CELL = rx(r"^(?:ngay|kịp thời|khẩn trương|khi có yêu cầu|đột xuất|theo yêu cầu(?!,? tiến độ))(?![^\W_])")

_REC_DK = rx(rf"định k[yi](?P<list>{_LIST})")
_NOT_BY = rx(r"không theo $")
_PREV_WORD = re.compile(r"([^\W\d_]+)[\s*_]+$")
_DINH_COMPOUNDS = frozenset(  # quyết định, xác định, ổn định ...: "định" that is no "định kỳ"
    fold(w)
    for w in ("quyết", "xác", "ấn", "ổn", "thẩm", "khẳng", "quy", "nhất", "giả", "chỉ", "cố", "phủ", "bình", "kiên",
              "dự")
)
_AFTER_KY = rx(r" (?:luật|hạn|vọng|thuật)(?![^\W_])")
_REC_EVERY = rx(
    r"(?:hằng|hàng|mỗi) (?:năm|quý|tháng|tuần)(?:(?:,| và| hoặc) (?:hằng |hàng |mỗi )?"
    r"(?:\d{1,2} tháng|năm|quý|tháng|tuần))*(?![^\W_])"
)
_REC_DAY_BEFORE = rx(r"(?:trước|chậm nhất(?: là)?|vào|hạn chót|không muộn hơn) $")
_REC_DAY = rx(
    rf"ngày (?P<d>{_DAY}) (?:của )?"
    r"(?P<per>tháng (?:cuối|kết thúc|cuối cùng|đầu|đầu tiên)(?: của)?"
    r"(?: (?:kỳ báo cáo|kỳ|quý|năm|6 tháng|06 tháng|học kỳ))*"
    r"|(?:hằng|hàng|mỗi) (?:tháng|quý))"
)
_PERIOD_TOKEN = re.compile(
    r"(?<![^\W_])(?:(\d{1,2}|hai|ba|sau)[\s*_]+(thang|tuân)|nưa[\s*_]+năm|năm|quy|thang|tuân)(?![^\W_])"
)
_PERIOD_NAME = {"năm": "year", "quy": "quarter", "thang": "month", "tuân": "week"}
_INFER = rx(r"(?:báo cáo|kỳ|định kỳ|hằng|hàng|mỗi) (?P<p>quý|6 tháng|06 tháng|sáu tháng|năm|tháng)(?! ?\d)")

_REL_BEFORE = rx(
    r"(?<![^\W_])(?P<pre>trong vòng|trong thời hạn|trong thời gian|trong|chậm nhất(?: là)?|không quá|tối đa"
    r"|hết thời hạn|sau(?: khoảng)?) $"
)
_REL = rx(
    r"(?P<n>\d{1,3}) (?P<unit>ngày|tháng|tuần)(?P<wd> làm việc)?"
    r"(?! (?:đầu|cuối) năm)(?P<anc>,? (?:kể|tính) từ (?P<body>[^.;,\n()]{1,80}))?"
)
_REL_STRONG = {
    fold(w)
    for w in ("trong vòng", "trong thời hạn", "trong thời gian", "chậm nhất", "chậm nhất là", "không quá", "tối đa",
              "hết thời hạn")
}
_WS = re.compile(r"[\s*_]+")
_ANCHOR_STOP = rx(r" (?:phải|cần|thì|để|và|hoặc|sẽ|mới|có trách nhiệm|các|đồng thời|trình|báo cáo|gửi)(?![^\W_])")
_WORD = re.compile(r"[^\s*_]+")
_ANCHOR_HEAD = re.compile(r"ngay|khi|thơi|luc|hôm|\d")
_BEFORE_WORD = rx(r"(?:trước|quá hạn) ?$")
_AFTER_BEFORE = rx(r" trước(?![^\W_])")
_EXPECTED_DAYS = rx(r"số ngày(?: dự kiến| thực hiện)? ?:? ?(?P<n>\d{1,3})(?!\d)|(?P<m>\d{1,3}) ?\(số ngày[^)]*\)")
_BARE_DAYS = rx(r"^(?P<n>\d{1,3}) (?P<unit>ngày|tuần)(?P<wd> làm việc)?(?![^\W_])")
_EVENT_CELL = rx(r"^(?:ngay )?(?:sau khi|trước khi|kể từ khi|ngay khi)(?![^\W_])")


def _at_word(folded: str, pattern: re.Pattern[str], extra: str = "") -> list[re.Match[str]]:
    """Matches of `pattern` that start a word (no letter or digit, nor any of `extra`, just before).

    Patterns start with plain words rather than look-behinds so that the scan for them runs at C speed.
    """
    out = []
    for m in pattern.finditer(folded):
        i = m.start()
        if i == 0 or not (folded[i - 1].isalnum() or folded[i - 1] in extra):
            out.append(m)
    return out


def _extend(folded: str, start: int, before: re.Pattern[str], width: int = 24) -> int:
    """Move `start` back over the words `before` matches right in front of it."""
    m = before.search(folded, max(0, start - width), start)
    return m.start() if m else start


def _anchor(folded: str, m: re.Match[str]) -> tuple[str | None, int]:
    """The event a relative offset counts from (`kể từ ngày ký`), cut before the clause goes on."""
    if not m.group("anc"):
        return None, m.end()
    body_start = m.start("body")
    words = list(_WORD.finditer(folded, body_start, m.end()))
    if not words or not _ANCHOR_HEAD.match(words[0].group(0)):
        return None, -1  # "kể từ" + something that is no moment (columns of a table run together)
    cut = words[min(len(words), 9) - 1].end()
    if len(words) > 2:
        stop = _ANCHOR_STOP.search(folded, words[1].end(), cut)
        if stop:
            cut = stop.start()
    return folded[m.start("anc") : cut], cut


def recurrence_of(folded: str) -> list[str]:
    """Recurrence names for the periods named in a folded phrase, in written order."""
    out: list[str] = []
    for m in _PERIOD_TOKEN.finditer(folded):
        name: str | None
        if m.group(1):
            n = {"hai": 2, "ba": 3, "sau": 6}.get(m.group(1)) or int(m.group(1))
            if m.group(2) == "thang":
                name = {1: "month", 3: "quarter", 6: "half_year", 12: "year"}.get(n)
            else:
                name = {1: "week", 2: "two_weeks"}.get(n)
        else:
            word = m.group(0)
            name = "half_year" if word.startswith("nưa") else _PERIOD_NAME[word]
        if name and name not in out:
            out.append(name)
    return out


def infer_recurrence(folded: str) -> list[str]:
    """Periods a sentence names for its reporting cycle (`báo cáo quý`, `hằng năm`)."""
    return recurrence_of(" ".join(m.group("p") for m in _at_word(folded, _INFER)))


def ongoing(folded: str, cell: bool) -> list[Hit]:
    hits: list[Hit] = []
    for pattern in _ONGOING_ANY:
        for m in _at_word(folded, pattern):
            hits.append(Hit(_extend(folded, m.start(), _ONGOING_BEFORE), m.end(), "ongoing"))
    if cell:
        m = _ONGOING_CELL.search(folded)
        if m:
            hits.append(Hit(m.start(), m.end(), "ongoing"))
        return hits
    for m in _at_word(folded, _ONGOING_CLAUSE):
        if clause_start(folded, m.start()):
            hits.append(Hit(m.start(), m.end(), "ongoing"))
    return hits


def per_plan(folded: str, cell: bool) -> list[Hit]:
    hits = [Hit(m.start(), m.end(), "per_plan") for m in _at_word(folded, _PER_PLAN)]
    if cell:
        hits += [Hit(m.start(), m.end(), "per_plan") for m in _PER_PLAN_CELL.finditer(folded)]
    return hits


def no_time(folded: str) -> bool:
    """A time cell that states no time (`ngay`, `kịp thời`, `khi có yêu cầu`)."""
    return _NONE_CELL.search(folded) is not None


def _not_periodic(folded: str, original: str | None, m: re.Match[str]) -> bool:
    """`quyết định kỷ luật`, `xác định kỳ hạn`: `định` + `kỷ`/`kỳ` that is not `định kỳ` (periodic)."""
    k = folded.find("k", m.start() + 4)
    if original is not None and 0 <= k + 1 < len(original) and original[k + 1] in "ỷỶỉỈ":
        return True
    before = _PREV_WORD.search(folded, max(0, m.start() - 12), m.start())
    return bool(before and before.group(1) in _DINH_COMPOUNDS) or _AFTER_KY.match(folded, m.end()) is not None


def recurring(folded: str, cell: bool, original: str | None = None) -> list[Hit]:
    hits: list[Hit] = []
    for m in _at_word(folded, _REC_DK):
        if _not_periodic(folded, original, m) or _NOT_BY.search(folded, max(0, m.start() - 12), m.start()):
            continue
        hits.append(Hit(m.start(), m.end(), "recurring", recurrence_of(m.group("list"))))
    for m in _at_word(folded, _REC_EVERY):
        if cell or clause_start(folded, m.start()):
            hits.append(Hit(m.start(), m.end(), "recurring", recurrence_of(m.group(0))))
    for m in _at_word(folded, _REC_DAY):
        start = _extend(folded, m.start(), _REC_DAY_BEFORE)
        per = m.group("per")
        if per.startswith(("hăng", "hang", "môi")):
            rec = recurrence_of(per)
        elif "ky" in per:
            rec = []
        else:  # "tháng cuối quý": the period is the last word, not the month
            rec = recurrence_of(per.replace("thang", "", 1))
        hits.append(Hit(start, m.end(), "recurring", rec, day=int(m.group("d")), infer_recurrence=not rec))
    return hits


def relative(folded: str, cell: bool) -> list[Hit]:
    hits: list[Hit] = []
    for m in _at_word(folded, _REL, "/.,"):
        before = _REL_BEFORE.search(folded, max(0, m.start() - 20), m.start())
        pre = before.group("pre") if before else None
        start = before.start() if before else m.start()
        strong = pre is not None and _WS.sub(" ", pre) in _REL_STRONG
        if not (m.group("anc") or strong or m.group("wd")):
            continue
        if before is None and _BEFORE_WORD.search(folded, max(0, m.start() - 12), m.start()):
            continue
        if _AFTER_BEFORE.match(folded, m.end()):
            continue
        n = int(m.group("n"))
        unit = m.group("unit")
        offset = n if unit == "ngay" else (7 * n if unit == "tuân" else None)
        anc, end = _anchor(folded, m)
        if end < 0:  # an anchor that is no moment: keep the offset only when it stands on its own
            if not (strong or m.group("wd")):
                continue
            end = m.start("anc")
        hits.append(
            Hit(
                start,
                end,
                "relative",
                offset_days=offset,
                working_days=bool(m.group("wd")),
                anchor=anc,
                months=n if unit == "thang" else None,
            )
        )
    if cell:
        m = _EXPECTED_DAYS.search(folded)
        if m:
            n = int(m.group("n") or m.group("m"))
            hits.append(Hit(m.start(), m.end(), "relative", offset_days=n, duration=True))
        m = _BARE_DAYS.match(folded)
        if m:
            n = int(m.group("n"))
            hits.append(
                Hit(m.start(), m.end(), "relative", offset_days=n if m.group("unit") == "ngay" else 7 * n,
                    working_days=bool(m.group("wd")))
            )
        m = _EVENT_CELL.search(folded)
        if m:
            hits.append(Hit(m.start(), len(folded), "relative"))
    return hits
