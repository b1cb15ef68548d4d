"""Tasks with their units and deadlines, from the section tree (ANNOTATION.md sections 2-4).

How an item becomes tasks:
- labelled field lines (`Đơn vị chủ trì:`, `Thời gian thực hiện:` ...) are
  fields of the item above them, never tasks; a field line's own sub-bullets
  are field values, unless they assign an action of their own;
- items of purpose, goal and indicator sections are not tasks; a heading
  whose children are tasks is not a task unless its own words assign work;
- an item's own words give one task, split into several where a sentence
  assigns work to its own unit (`Giao ...`, `Yêu cầu ...`, a unit subject),
  where `;` clauses carry different deadlines, and at a meeting's agenda
  items `(1) ... (2) ...` and their `1) ... 2) ...`;
- task-table rows give one task each (`extractors.task_tables`);
- units and deadlines come from the item's own fields, then its own words,
  then the nearest enclosing item; a meeting's agenda falls to the body that
  holds the meeting.
The unit registry of the document is returned beside the tasks.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from extractors.abbreviations import defined_abbreviations
from extractors.deadlines import DeadlineContext, find_deadlines, parse_deadline
from extractors.fields import Field, parse_field
from extractors.labels import parse_label
from extractors.normalise import Layout
from extractors.structure import Node, Structure
from extractors.task_tables import table_tasks
from extractors.task_text import agenda_items, clauses, nested_items, sentences
from extractors.units import Roles, inline_roles, intro_subject, split_units, _UNIT_HEAD, _span_until_verb
from extractors.vntext import fold, is_upper, vn_compile
from models import Deadline, Task, Unit

# headings of sections whose items are not tasks
_NON_TASK_HEADINGS = re.compile(
    r"^(?:muc dich|yeu cau|muc dich,? yeu cau|muc tieu|muc tieu cu the|muc tieu chung|muc tieu tong quat|chi tieu|"
    r"cac chi tieu|mot so chi tieu|chi tieu chu yeu|quan diem|quan diem chi dao|doi tuong|pham vi|doi tuong,? pham vi|"
    r"pham vi,? doi tuong|tinh hinh|ket qua dat duoc|danh gia|nguyen tac|muc dich yeu cau|y nghia|boi canh|nguon kinh phi|"
    r"can cu|can cu xay dung|sau day goi tat)\b"
)
_ACTION = vn_compile(
    r"(?<![\w])(?:triển khai|thực hiện|xây dựng|ban hành|tổ chức|rà soát|nghiên cứu|tham mưu|chủ trì|phối hợp|chỉ đạo|"
    r"lãnh đạo|hướng dẫn|theo dõi|đôn đốc|kiểm tra|giám sát|báo cáo|tổng hợp|chịu trách nhiệm|quán triệt|tuyên truyền|"
    r"đẩy mạnh|tăng cường|tiếp tục|cụ thể hóa|cụ thể hoá|hoàn thành|hoàn thiện|sửa đổi|đánh giá|tập trung|bố trí|đề xuất|"
    r"cho ý kiến|xem xét|thông qua|trình|cung cấp|bảo đảm|đảm bảo|phát huy|thẩm định|gửi|lập|sơ kết|tổng kết|phổ biến|"
    r"vận động|hỗ trợ|định hướng|tiếp nhận|biên soạn|đào tạo|bồi dưỡng|khai thác|củng cố|khuyến khích|vận dụng|cập nhật|"
    r"phát triển|lan tỏa|lan toả|nâng cao|đổi mới|thành lập|ứng dụng|công bố|tiến hành|xử lý|giải quyết|điều chỉnh|"
    r"khắc phục|kiện toàn|sắp xếp|phát động|biểu dương|tôn vinh|khen thưởng|thúc đẩy|huy động|kết nối|chia sẻ|số hóa|"
    r"số hoá|đề nghị|yêu cầu|giao|cử|chuẩn bị|quyết định|duy trì|mở rộng|đầu tư|hợp tác|xúc tiến|học tập|quản lý|"
    r"thẩm tra|tiếp thu|ký|đăng ký|thống kê|phê duyệt|đa dạng hóa|đa dạng hoá|chấn chỉnh|thường xuyên|kịp thời|"
    r"phải|cần|khẩn trương|rút kinh nghiệm|tích cực|vận hành|bổ sung|tăng|giảm|đạt|cắt giảm|tinh giản|làm rõ|"
    r"xác định|tuyển chọn|lựa chọn|hoàn chỉnh|quy định|công khai|làm việc|"
    r"dự thảo|thi hành|tham gia|tạo|nghiêm|tuyên dương|động viên|giới thiệu|đưa|liên kết|"
    r"trao đổi|khảo sát|đăng ký|lưu trữ|in|phát hành|kiểm điểm|xếp loại)(?![\w])",
    re.I,
)
_ACTION_CS = vn_compile(_ACTION.pattern)
_SELF_REFERENCE = vn_compile(r"^(?:Ban hành kèm theo|(?:Quyết định|Nghị quyết|Chỉ thị|Kế hoạch|Thông tư) này có hiệu lực)")
_NOT_TASK_START = vn_compile(r"^(?:Nguồn |(?:Nguồn )?[Kk]inh phí\b)")
_NEW_ACTOR = vn_compile(r"^(?:Giao|Yêu cầu|Đề nghị|Chỉ đạo)\s")
_TITLE_YEAR = re.compile(r"\bnăm (\d{4})\b")
_HEADING_TIME = re.compile(r"(?i)\b(?:năm \d{4}|giai đoạn \d{4}\s*[-–]\s*\d{4}|đến (?:tháng \d{1,2}/)?(?:năm )?\d{4}|từ nay đến)")
_MEETING = vn_compile(r"^(?:Hội nghị|Phiên họp|Kỳ họp|Cuộc họp|Họp)\b", re.I)


@dataclass
class _Fields:
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    supervisors: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    product: str | None = None
    content: Node | None = None

    def roles(self) -> Roles:
        return Roles(list(self.lead), list(self.support), list(self.supervisors))


@dataclass
class _Ctx:
    layout: Layout
    structure: Structure
    defined: dict[str, str]
    dctx: DeadlineContext
    issuer: str | None
    doc_type: str | None
    fields: dict[int, _Fields] = field(default_factory=dict)  # id(node) -> its fields
    field_nodes: set[int] = field(default_factory=set)  # ids of nodes that are field lines
    value_nodes: set[int] = field(default_factory=set)  # ids of nodes whose text is a field value
    descriptive: set[int] = field(default_factory=set)  # ids of sub-bullets that describe their item
    root_intro: list[str] = field(default_factory=list)  # units an opening `..., các X cần ...:` sentence names
    inherited_cache: dict[int, tuple[Roles, Deadline | None, str | None, bool]] = field(default_factory=dict)
    heading_units_cache: dict[int, list[str]] = field(default_factory=dict)
    written: dict[str, set[str]] = field(default_factory=dict)  # canonical unit -> written forms


def _date(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def program_year(title: str | None, issued: dt.date | None) -> int | None:
    if title:
        m = _TITLE_YEAR.search(title)
        if m:
            return int(m.group(1))
    return issued.year if issued else None


def _own_text(ctx: _Ctx, node: Node) -> tuple[str, int]:
    """The item's own words (label removed) and the offset where they start.

    Continuation paragraphs that belong to the item are joined by a newline,
    so the span still indexes the normalised text.
    """
    lines = ctx.layout.lines
    first = lines[node.line]
    text = ctx.layout.text
    if first.kind == "row":
        return "", first.start
    lab = parse_label(text[first.start: first.end])
    start = first.start + (lab.end if lab else 0)
    end = first.end
    if len(node.own_lines) > 1 and is_upper_text(text[start:end]) and lines[node.own_lines[1]].kind == "para":
        # `I. TRIỂN KHAI THỰC HIỆN` then its paragraph: the task is the paragraph, the heading is a heading
        nxt = lines[node.own_lines[1]]
        if parse_field(text[nxt.start: nxt.end]) is None:
            start, end = nxt.start, nxt.end
            own_rest = node.own_lines[2:]
        else:
            own_rest = node.own_lines[1:]
    else:
        own_rest = node.own_lines[1:]
    for li in own_rest:
        ln = lines[li]
        if ln.kind != "para":
            break
        t = text[ln.start: ln.end]
        if parse_field(t) is not None:
            break
        end = ln.end
    return text[start:end], start


def _is_field_node(node: Node, ctx: _Ctx) -> Field | None:
    if node.kind in ("row", "group"):
        return None
    t = ctx.layout.text[ctx.layout.lines[node.line].start: ctx.layout.lines[node.line].end]
    lab = parse_label(t)
    body = t[lab.end:] if lab else t
    f = parse_field(body)
    if f is None or node.kind in ("dash", "plus", "star"):
        return f
    # `1. Nội dung: Tổ chức ...`, `2. Kết quả: Các chi bộ hoàn thành ...`: a numbered item is an item
    if f.role in ("deadline", "product") and not has_action(f.value):
        return f
    return None


def _share_trailing_fields(ctx: _Ctx) -> None:
    """Fields printed once after several sibling items apply to each of them (ANNOTATION.md section 2).

    `3.1. ...`, `3.2. ...`, `3.3. ...` then `- Thời gian thực hiện: ...`: the
    last sibling holds the field lines; earlier siblings that state none of
    their own and have no children of their own take them too.
    """
    groups: dict[int, list[Node]] = {}
    for node in ctx.structure.nodes:
        if id(node) in ctx.field_nodes or node.kind in ("row", "group", "appendix"):
            continue
        groups.setdefault(id(node.parent), []).append(node)
    for siblings in groups.values():
        if len(siblings) < 2:
            continue
        last = siblings[-1]
        fs = ctx.fields.get(id(last))
        if fs is None or not (fs.lead or fs.deadline):
            continue
        for sib in siblings[:-1]:
            if id(sib) in ctx.fields or any(id(c) not in ctx.field_nodes for c in sib.children):
                continue
            if sib.kind != last.kind:
                continue
            ctx.fields[id(sib)] = fs


def _collect_fields(ctx: _Ctx) -> None:
    """Attach every field line to the item it qualifies (its parent)."""
    for node in ctx.structure.nodes:
        f = _is_field_node(node, ctx)
        if f is None:
            continue
        ctx.field_nodes.add(id(node))
        owner = node.parent
        key = id(owner) if owner is not None else 0
        fs = ctx.fields.setdefault(key, _Fields())
        value = f.value
        # sub-bullets of a field line that only list units are part of its value
        extra: list[str] = []
        for ch in node.children:
            ct, _ = _own_text(ctx, ch)
            if f.role in ("lead", "support", "supervisors") and _is_unit_list(ct):
                extra.append(ct)
                ctx.value_nodes.add(id(ch))
            elif f.role == "deadline":
                ctx.value_nodes.add(id(ch))
                extra.append(ct)
        if f.role in ("lead", "support", "supervisors"):
            names: list[str] = []
            for v in ([value] if value else []) + extra:
                names.extend(_units(ctx, v))
            getattr(fs, f.role).extend(n for n in names if n not in getattr(fs, f.role))
        elif f.role == "deadline":
            dl_text = " ".join([value] + extra).strip()
            if dl_text:
                fs.deadline = parse_deadline(dl_text, ctx.dctx)
        elif f.role == "product":
            fs.product = value.rstrip(".;") or None
        elif f.role == "content":
            fs.content = node


def _is_unit_list(text: str) -> bool:
    t = text.strip().rstrip(".;")
    if not t or not _UNIT_HEAD.match(t):
        return False
    span, rest = _span_until_verb(t)
    return not rest.strip()


def _units(ctx: _Ctx, value: str) -> list[str]:
    names = split_units(value, ctx.defined)
    return names


def _in_non_task_section(node: Node) -> bool:
    for anc in [node] + node.ancestors():
        h = fold(anc.heading)[:60]
        if len(anc.heading.split()) > 8:
            continue
        if anc is not node and _NON_TASK_HEADINGS.match(h):
            return True
        if anc is node and (node.children or len(node.own_lines) > 1) and _NON_TASK_HEADINGS.match(h):
            return True
    return False


def _inherited(ctx: _Ctx, node: Node) -> tuple[Roles, Deadline | None, str | None, bool]:
    """Units, deadline and product from the nearest enclosing items; and whether units came from a heading."""
    key = id(node)
    if key not in ctx.inherited_cache:
        ctx.inherited_cache[key] = _inherited_uncached(ctx, node)
    roles, deadline, product, from_heading = ctx.inherited_cache[key]
    return Roles(list(roles.lead), list(roles.support), list(roles.supervisors)), deadline, product, from_heading


def _inherited_uncached(ctx: _Ctx, node: Node) -> tuple[Roles, Deadline | None, str | None, bool]:
    roles = Roles()
    deadline: Deadline | None = None
    product: str | None = None
    from_heading = False
    for anc in node.ancestors():
        fs = ctx.fields.get(id(anc))
        if fs is not None:
            if not roles.lead and fs.lead:
                roles.lead = list(fs.lead)
            if not roles.support and fs.support and not roles.lead or (not roles.support and fs.support and fs.lead == roles.lead):
                roles.support = list(fs.support)
            if not roles.supervisors and fs.supervisors:
                roles.supervisors = list(fs.supervisors)
            if deadline is None and fs.deadline is not None and fs.deadline.kind != "none":
                deadline = fs.deadline
            if product is None and fs.product:
                product = fs.product
        if not roles.lead:
            head_units = _heading_units(ctx, anc)
            if head_units:
                roles.lead = head_units
                from_heading = True
        if deadline is None:
            hd = _heading_deadline(ctx, anc)
            if hd is not None:
                deadline = hd
    if not roles.lead and ctx.root_intro and node.zone == "body":
        roles.lead = list(ctx.root_intro)
        from_heading = True
    return roles, deadline, product, from_heading


_LEADERS_OF = vn_compile(r"^Lãnh đạo\s+(?:các\s+)?[\p{Lu}]")
_INTRO_TAIL = vn_compile(r"\s+(?:có trách nhiệm|chịu trách nhiệm|có nhiệm vụ|thực hiện(?: các| những)? nhiệm vụ(?: sau)?|thực hiện|cần|phải)\s*:?\s*$")


_ASKS = vn_compile(r"(?<![\w])(?:đề nghị|yêu cầu|giao)\s+(?=các\s|[\p{Lu}])", re.I)


def _root_intro_units(ctx: _Ctx) -> list[str]:
    """Units of the sentence that introduces the top-level list (`..., các ngành, các cấp cần ... sau đây:`)."""
    roots = [n for n in ctx.structure.roots if n.zone == "body"]
    if not roots:
        return []
    first = roots[0].line
    if first == 0:
        return []
    prev = ctx.layout.lines[first - 1]
    if prev.kind != "para":
        return []
    t = ctx.layout.text[prev.start: prev.end].strip()
    if not t.endswith(":"):
        return []
    # only an obligation (`các ngành, các cấp cần ...`) or a request (`... đề nghị các đơn vị thực hiện ... sau:`),
    # not `X ban hành Kế hoạch ... như sau:`
    asked = _ASKS.search(t)
    if asked:
        r = inline_roles(t[asked.start():], ctx.defined)
        if r.lead:
            return r.lead
    return intro_subject(t, ctx.defined)


def _heading_units(ctx: _Ctx, node: Node) -> list[str]:
    """Units a heading hands to the tasks under it.

    `1. Sở Khoa học và Công nghệ`, `a) Tổng cục X có trách nhiệm:`, or an
    introductory paragraph (`..., các Bộ, ... cần ...`).
    """
    key = id(node)
    if key not in ctx.heading_units_cache:
        ctx.heading_units_cache[key] = _heading_units_uncached(ctx, node)
    return list(ctx.heading_units_cache[key])


def _heading_units_uncached(ctx: _Ctx, node: Node) -> list[str]:
    if not node.children:
        return []
    h = node.heading.strip()
    if h and len(h) <= 200 and not is_upper_text(h):
        h2 = re.sub(r"^(?:Đề nghị|Giao|Yêu cầu)\s*:?\s*", "", h).rstrip(".:")
        h2 = _INTRO_TAIL.sub("", h2)
        if _UNIT_HEAD.match(h2) and (not _ACTION.match(h2) or _LEADERS_OF.match(h2)):
            span, rest = _span_until_verb(h2)
            if not rest.strip():
                return _units(ctx, h2)
    if h and h.rstrip().endswith(":") and not is_upper_text(h):
        r = inline_roles(h, ctx.defined)
        if r.lead:
            return r.lead
        mid = _mid_sentence_subject(ctx, h)
        if mid:
            return mid
    if node.kind in ("roman", "decimal", "multi", "letter", "part", "article"):
        own, _ = _own_text(ctx, node)
        intro = own[len(node.heading):] if own.startswith(node.heading) else own
        if len(intro) > 30:
            return intro_subject(intro, ctx.defined)
    return []


def _mid_sentence_subject(ctx: _Ctx, text: str) -> list[str]:
    """`Để ..., Đảng đoàn Quốc hội xác định các nhiệm vụ sau:` -> the unit after the comma."""
    for m in re.finditer(r",\s+", text):
        rest = text[m.end():]
        if _UNIT_HEAD.match(rest) and not _ACTION.match(rest):
            span, tail = _span_until_verb(rest)
            if tail and len(span.split()) <= 12:
                return _units(ctx, span)
    return []


def is_upper_text(s: str) -> bool:
    return is_upper(s, ratio=0.8, min_letters=4)


def _heading_deadline(ctx: _Ctx, node: Node) -> Deadline | None:
    h = node.heading
    if not h or len(h) > 160 or not _HEADING_TIME.search(h):
        return None
    found = find_deadlines(h, ctx.dctx, heading=True)
    for d, _span in found:
        if d.kind == "dated":
            return d
    return None


def _own_fields(ctx: _Ctx, node: Node) -> _Fields:
    return ctx.fields.get(id(node), _Fields())


def _is_heading_only(ctx: _Ctx, node: Node, text: str) -> bool:
    """A heading whose children are tasks is not itself a task unless its own words assign work."""
    task_children = [
        c for c in node.children
        if id(c) not in ctx.field_nodes and id(c) not in ctx.value_nodes and id(c) not in ctx.descriptive
    ]
    if not task_children:
        return False
    t = text.strip()
    if t.endswith(":") and len(sentences(t)) <= 1:
        return True  # a one-sentence introduction to the list below
    if any(id(c) in ctx.field_nodes for c in node.children) and _ACTION_CS.match(t[:1].lower() + t[1:80]):
        return False
    if _NEW_ACTOR.match(t) or re.search(r"(?i)\b(?:chịu trách nhiệm|chủ trì)\b", t):
        return len(t.split()) < 8
    return True


_CATCH_ALL = vn_compile(r"^(?:Thực hiện|Làm|Thực hiện tốt) (?:các |những )?(?:nhiệm vụ|công việc) khác\b")


def _mark_descriptive(ctx: _Ctx) -> None:
    """Sub-bullets that only describe how an item with its own fields is done are part of that item.

    `1.1. Xây dựng và ban hành Hướng dẫn ...` followed by `- Bảo đảm thống nhất
    ...` and `- Thời gian hoàn thành: ...`: the item is the task, the notes are
    not tasks of their own unless they name their own unit or deadline.
    """
    for node in ctx.structure.nodes:
        if id(node) in ctx.field_nodes or node.kind in ("row", "group", "appendix"):
            continue
        has_fields = any(id(c) in ctx.field_nodes for c in node.children)
        if not has_fields:
            continue
        own, _ = _own_text(ctx, node)
        first = own.strip()[:1].lower() + own.strip()[1:80]
        if not _ACTION_CS.match(first):
            continue
        for c in node.children:
            if id(c) in ctx.field_nodes or id(c) in ctx.value_nodes or c.kind not in ("dash", "plus", "star"):
                continue
            for d in [c] + c.descendants():
                if id(d) in ctx.field_nodes or id(d) in ctx.value_nodes:
                    continue
                dt_text, _ = _own_text(ctx, d)
                if not _NEW_ACTOR.match(dt_text) and inline_roles(dt_text, ctx.defined).empty() and not find_deadlines(dt_text, ctx.dctx):
                    ctx.descriptive.add(id(d))


def _task_candidates(ctx: _Ctx) -> list[Node]:
    out: list[Node] = []
    for node in ctx.structure.nodes:
        if id(node) in ctx.field_nodes or id(node) in ctx.value_nodes or id(node) in ctx.descriptive:
            continue
        if node.kind in ("row", "group", "appendix"):
            continue
        if _in_non_task_section(node):
            continue
        out.append(node)
    return out


@dataclass
class _Piece:
    start: int
    end: int
    roles: Roles
    deadline: Deadline | None
    own_units: bool
    split: bool = False


@dataclass
class _Seg:
    start: int
    end: int
    sentence_start: bool
    deadline: Deadline | None
    subject: bool  # the segment names its own unit (`Giao X ...`, `UBND các xã ... xây dựng`)


_OWN_OBLIGATION = vn_compile(r"^(?:Đối với|Trường hợp|Ở cấp|Mỗi cấp|Các cấp)\b[^.]{0,120}?\b(?:phải|cần)\s+[\p{Ll}]")


def _signature(d: Deadline | None) -> tuple[object, ...] | None:
    return None if d is None else (d.kind, d.start, d.due, d.day, d.month, tuple(d.recurrence))


def _segments(ctx: _Ctx, text: str) -> list[_Seg]:
    segs: list[_Seg] = []
    for a, b in sentences(text) or [(0, len(text))]:
        for k, (ca, cb) in enumerate(clauses(text[a:b])):
            t = text[a + ca: a + cb]
            found = find_deadlines(t, ctx.dctx)
            d = _pick(found)
            if (
                d is not None and d.kind == "recurring" and not d.recurrence and d.day is None
                and fold(d.text or "") == "dinh ky" and not fold(t).startswith("dinh ky")
            ):
                d = None  # a bare `định kỳ` inside a clause states no period of the action
            subject = bool(_NEW_ACTOR.match(t)) or (
                bool(_UNIT_HEAD.match(t)) and not _ACTION.match(t) and bool(inline_roles(t, ctx.defined).lead)
            ) or (k == 0 and bool(_OWN_OBLIGATION.match(t)))
            segs.append(_Seg(a + ca, a + cb, k == 0, d, subject))
    return segs


def _pure_deadline(text: str, seg: _Seg) -> bool:
    """A clause that only dates the previous one (`hoàn thành trong quý I/2026`)."""
    t = text[seg.start: seg.end].strip()
    return bool(
        re.match(r"^(?:(?:thực hiện\s+)?(?:cơ bản\s+)?hoàn thành|xong|chậm nhất|trước|trong|thời gian|thời hạn|dự kiến)\b", t, re.I)
    ) or len(t.split()) < 4


def _pieces(ctx: _Ctx, text: str, base: int, parent_roles: Roles) -> list[_Piece]:
    """The actions one item's words hold, with units and deadlines stated in them.

    Sentences and `;` clauses are grouped: a new action starts where a
    segment names its own unit, or where an action clause carries a
    different deadline from the one before it (ANNOTATION.md section 2).
    """
    segs = _segments(ctx, text)
    groups: list[list[_Seg]] = []
    for seg in segs:
        if not groups:
            groups.append([seg])
            continue
        cur = groups[-1]
        cur_sig = next((_signature(x.deadline) for x in cur if x.deadline is not None), None)
        seg_text = text[seg.start: seg.end].strip()
        new = False
        if seg.subject and seg.start > 0:
            new = True
        elif not _pure_deadline(text, seg) and _ACTION.match(seg_text) or (seg.sentence_start and seg.deadline is not None and not _pure_deadline(text, seg)):
            sig = _signature(seg.deadline)
            if sig != cur_sig and (sig is not None and cur_sig is not None or seg_text[:1].isupper()):
                # a different deadline: both actions dated, or a new capitalised action after `;`
                new = True
        if new:
            groups.append([seg])
        else:
            cur.append(seg)
    pieces: list[_Piece] = []
    first_roles: Roles | None = None
    for gi, group in enumerate(groups):
        ga, gb = group[0].start, group[-1].end
        gtext = text[ga:gb]
        roles = inline_roles(gtext, ctx.defined)
        own = not roles.empty()
        if first_roles is None:
            first_roles = roles
        elif not roles.lead and first_roles.lead and (not group[0].subject or _OWN_OBLIGATION.match(text[ga:gb])):
            # a later action of the same subject: its lead, not its partners
            roles = Roles(list(first_roles.lead), roles.support, roles.supervisors or list(first_roles.supervisors))
        d = next((x.deadline for x in group if x.deadline is not None), None)
        pieces.append(_Piece(base + ga, base + gb, roles, d, own, split=len(groups) > 1))
    return pieces


def _pick(found: list[tuple[Deadline, tuple[int, int]]]) -> Deadline | None:
    if not found:
        return None
    try:
        from extractors.deadlines import pick_deadline

        d = pick_deadline(found)
        return d if d.kind != "none" else None
    except ImportError:  # pragma: no cover
        return found[0][0]


def _trim_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\n;,:.-–":
        a += 1
    while b > a and text[b - 1] in " \t\n;,":
        b -= 1
    return a, b


def extract_tasks(state: object) -> tuple[list[Task], list[Unit]]:
    layout: Layout = state.layout  # type: ignore[attr-defined]
    structure: Structure = state.structure  # type: ignore[attr-defined]
    md = state.metadata  # type: ignore[attr-defined]
    issued = _date(md.issued_date)
    dctx = DeadlineContext(issued=issued, year=program_year(md.title, issued))
    ctx = _Ctx(
        layout=layout,
        structure=structure,
        defined=defined_abbreviations(layout.text),
        dctx=dctx,
        issuer=md.issuer,
        doc_type=md.doc_type,
    )
    _collect_fields(ctx)
    _share_trailing_fields(ctx)
    _mark_descriptive(ctx)
    ctx.root_intro = _root_intro_units(ctx)
    tasks: list[Task] = []
    for node in _task_candidates(ctx):
        tasks.extend(_node_tasks(ctx, node))
    tasks.extend(table_tasks(ctx.layout, ctx.structure, ctx.defined, ctx.dctx, _inherited_for_tables(ctx)))
    tasks.sort(key=lambda t: (t.span[0], t.span[1]))
    tasks = _apply_handover(ctx, tasks)
    tasks = _assign_ids(tasks)
    from extractors.unit_registry import build_registry

    return tasks, build_registry(tasks, layout.text, ctx.defined)


def _inherited_for_tables(ctx: _Ctx):  # type: ignore[no-untyped-def]
    def get(node: Node) -> tuple[Roles, Deadline | None]:
        roles, dl, _p, _h = _inherited(ctx, node)
        return roles, dl

    return get


_ACKNOWLEDGES = vn_compile(r"^[^.;:]{0,80}?\b(?:ghi nhận|biểu dương|hoan nghênh|đánh giá cao|cơ bản thống nhất|nhất trí với|thống nhất với)\b", re.I)


def has_action(sentence: str) -> bool:
    """An action verb in lower case anywhere, or capitalised as the sentence's first word.

    A sentence whose main verb acknowledges or agrees (`ghi nhận và biểu
    dương ...`, `Cơ bản thống nhất với Báo cáo ...`) states no action.
    """
    s = sentence.strip().lstrip("-–+*•( ")
    if not s or _ACKNOWLEDGES.match(s):
        return False
    m = _ACTION_CS.search(s[:1].lower() + s[1:400])
    if m is None:
        return False
    # `Năm 2025 các chi bộ đã tổ chức ...` reports what was done, it assigns nothing
    return not s[max(0, m.start() - 4): m.start()].endswith("đã ")


def _first_action(text: str) -> int | None:
    """Offset of the first sentence that states an action (statements before it are not tasks)."""
    for a, b in sentences(text) or [(0, len(text))]:
        if has_action(text[a:b]):
            return a
    return None


def _node_tasks(ctx: _Ctx, node: Node) -> list[Task]:
    text, base = _own_text(ctx, node)
    if not text.strip():
        return []
    own = _own_fields(ctx, node)
    inherited_roles, inherited_dl, inherited_product, from_heading = _inherited(ctx, node)
    # a meeting's agenda: the `Nội dung:` field holds the tasks
    if own.content is not None:
        return _agenda_tasks(ctx, node, own, inherited_roles, inherited_dl)
    if node.zone == "outline":
        return _outline_tasks(ctx, node, text, base, inherited_dl)
    if _is_heading_only(ctx, node, text):
        return []
    stripped = text.strip()
    if _SELF_REFERENCE.match(stripped) or _NOT_TASK_START.match(stripped) or _CATCH_ALL.match(stripped):
        return []
    skip = _first_action(text)
    if skip is None:
        return []
    pieces = _pieces(ctx, text[skip:], base + skip, inherited_roles)
    out: list[Task] = []
    for k, p in enumerate(pieces):
        roles = Roles(list(p.roles.lead), list(p.roles.support), list(p.roles.supervisors))
        conf = 0.9
        if not roles.lead:
            if own.lead:
                roles.lead = list(own.lead)
            elif k == 0 or not p.own_units:
                roles.lead = list(inherited_roles.lead)
                conf -= 0.1 if roles.lead else 0.0
        if not roles.support and not p.own_units:
            roles.support = list(own.support or inherited_roles.support)
        if not roles.supervisors:
            roles.supervisors = list(own.supervisors or inherited_roles.supervisors)
        deadline = own.deadline if own.deadline is not None and own.deadline.kind != "none" else None
        if deadline is None or p.split:
            deadline = p.deadline or deadline
        if deadline is None:
            deadline = inherited_dl
            if deadline is not None:
                conf -= 0.05
        if deadline is None:
            deadline = Deadline(kind="none")
            conf -= 0.1
        if not roles.lead:
            conf -= 0.3
        if p.split or len(pieces) > 1:
            conf -= 0.1
        a, b = _trim_span(ctx.layout.text, p.start, p.end)
        if b <= a:
            continue
        out.append(
            Task(
                id="",
                path=node.path,
                text=ctx.layout.text[a:b],
                lead=roles.lead,
                support=[u for u in roles.support if u not in roles.lead],
                supervisors=roles.supervisors,
                deadline=deadline,
                product=own.product or inherited_product,
                confidence=round(max(0.05, min(1.0, conf)), 2),
                span=(a, b),
            )
        )
    return out


_RESPONSIBLE = vn_compile(r"(?:^|[(:;,]\s*)(?P<units>[^():;]{3,160}?)\s+(?:chịu trách nhiệm|có trách nhiệm)\b")
_INSTRUCTION = vn_compile(r"\b(?:chịu trách nhiệm|có trách nhiệm|gửi về|gửi báo cáo|báo cáo về)\b", re.I)


def _outline_tasks(ctx: _Ctx, node: Node, text: str, base: int, inherited_dl: Deadline | None) -> list[Task]:
    """In the outline of a report to be written only the instructions are tasks (`X chịu trách nhiệm tổng hợp`)."""
    if not _INSTRUCTION.search(text):
        return []
    lead: list[str] = []
    m = _RESPONSIBLE.search(text)
    if m and _UNIT_HEAD.match(m.group("units").strip()):
        lead = _units(ctx, m.group("units"))
    if not lead:
        lead = inline_roles(text, ctx.defined).lead
    found = find_deadlines(text, ctx.dctx)
    deadline = _pick(found) or inherited_dl or Deadline(kind="none")
    a, b = _trim_span(ctx.layout.text, base, base + len(text))
    return [
        Task(
            id="", path=node.path, text=ctx.layout.text[a:b], lead=lead, support=[], supervisors=[],
            deadline=deadline, product=None, confidence=0.6 if lead else 0.4, span=(a, b),
        )
    ]


def _agenda_tasks(ctx: _Ctx, node: Node, own: _Fields, inherited_roles: Roles, inherited_dl: Deadline | None) -> list[Task]:
    content = own.content
    assert content is not None
    line = ctx.layout.lines[content.line]
    full = ctx.layout.text[line.start: line.end]
    f = _is_field_node(content, ctx)
    if f is None:
        return []
    vstart = line.start + (len(full) - len(full.lstrip())) + full.lstrip().find(f.value) if f.value else line.end
    value = ctx.layout.text[vstart: line.end]
    # continuation lines of the content field belong to it
    last = content.own_lines[-1] if content.own_lines else content.line
    vend = ctx.layout.lines[last].end
    value = ctx.layout.text[vstart:vend]
    items = agenda_items(value) or [(0, len(value))]
    deadline = own.deadline or inherited_dl or Deadline(kind="none")
    lead = list(own.lead or inherited_roles.lead)
    conf = 0.85
    if not lead and ctx.issuer:
        lead = [ctx.issuer]
        conf = 0.75
    out: list[Task] = []
    for a, b in items:
        sub = value[a:b]
        lead_in_end, nested = nested_items(sub)
        spans = [(a + x, a + y) for x, y in nested] if nested else [(a, b)]
        for x, y in spans:
            s, e = _trim_span(ctx.layout.text, vstart + x, vstart + y)
            if e <= s:
                continue
            out.append(
                Task(
                    id="",
                    path=node.path,
                    text=ctx.layout.text[s:e],
                    lead=lead,
                    support=list(own.support),
                    supervisors=list(own.supervisors or inherited_roles.supervisors),
                    deadline=deadline,
                    product=own.product,
                    confidence=conf,
                    span=(s, e),
                )
            )
    return out


_HANDOVER = vn_compile(
    r"(?P<verb>(?i:chủ trì|phối hợp|thực hiện|phụ trách))[^.;]{0,60}?(?:các\s+)?(?:nhiệm vụ|nội dung|giải pháp|mục|điểm)"
    r"(?:,?\s*(?:nhiệm vụ|giải pháp))?\s*(?:số|tại|tại các|tại mục|ở mục)?\s*(?:mục\s*)?"
    r"(?P<nums>\d{1,2}(?:\s*(?:,|và)\s*\d{1,2})+|\d{1,2})(?![\d/.])"
)


def _apply_handover(ctx: _Ctx, tasks: list[Task]) -> list[Task]:
    """`X chủ trì thực hiện nhiệm vụ, giải pháp số 1, 4, 5` hands earlier numbered items to X.

    The items are the numbered children of the section whose heading names
    tasks (`Nhiệm vụ`, `Giải pháp`); only tasks that state no unit of their
    own receive it (lead for `chủ trì`/`thực hiện`, support for `phối hợp`).
    """
    target = None
    for node in ctx.structure.roots + [n for n in ctx.structure.nodes if n.parent is not None and n.parent.parent is None]:
        h = fold(node.heading)
        if ("nhiem vu" in h or "giai phap" in h) and node.children and not h.startswith("to chuc thuc hien"):
            target = node
            break
    if target is None:
        return tasks
    by_num = {c.key: c for c in target.children if c.kind == "decimal"}
    if not by_num:
        return tasks
    lead_of: dict[str, list[str]] = {}
    support_of: dict[str, list[str]] = {}
    for t in tasks:
        if not t.lead or t.path.startswith(target.path + "."):
            continue
        for m in _HANDOVER.finditer(t.text):
            nums = re.findall(r"\d{1,2}", m.group("nums"))
            verb = m.group("verb")
            for n in nums:
                node = by_num.get(n)
                if node is None:
                    continue
                bucket = support_of if verb.lower() == "phối hợp" else lead_of
                names = bucket.setdefault(node.path, [])
                names.extend(u for u in t.lead if u not in names)
    if not lead_of and not support_of:
        return tasks
    out: list[Task] = []
    for t in tasks:
        upd: dict[str, object] = {}
        for path, names in lead_of.items():
            if (t.path == path or t.path.startswith(path + ".")) and not t.lead:
                upd["lead"] = list(names)
        for path, names in support_of.items():
            if t.path == path or t.path.startswith(path + "."):
                cur = list(upd.get("lead", t.lead))  # type: ignore[arg-type]
                sup = list(t.support) + [u for u in names if u not in t.support and u not in cur]
                upd["support"] = sup
        out.append(t.model_copy(update=upd) if upd else t)
    return out


def _assign_ids(tasks: list[Task]) -> list[Task]:
    counts: dict[str, int] = {}
    out: list[Task] = []
    for t in tasks:
        n = counts.get(t.path, 0) + 1
        counts[t.path] = n
        out.append(t.model_copy(update={"id": f"{t.path}#{n}"}))
    return out
