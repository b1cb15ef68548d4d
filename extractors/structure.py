"""The numbered hierarchy of a document: which item contains which.

Labels (`extractors.labels`) are nested by the order in which their kinds
first appear under a parent, the way a reader nests them: a kind already
open closes back to its level, a new kind opens a level below. Table rows
become items too (the STT cell is the label; a one-cell `I. ...` row is a
group heading). Wrong numbering (`VI` before `V`, a repeated `3.2.`) is
tolerated: the item is kept and its path made unique. The recipients and
signature zone (`Nơi nhận:`) is not structure; an appendix (`PHỤ LỤC`) or a
new document heading inside the file starts a new root.
This module knows nothing about tasks or units.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.labels import Label, parse_label
from extractors.normalise import Layout
from extractors.vntext import is_upper, vn_compile
from models import Section

_ROW_LABEL = re.compile(r"^\s*(?P<num>[IVXLC]+|\d{1,3}(?:\.\d{1,3}){0,3}|[a-zđ])\s*[.)]?\s*$")
_SIGNATURE_START = vn_compile(r"^(?:Nơi nhận|NƠI NHẬN)\s*:?|^(?:T/M|TM\.|KT\.|K/T|TL\.|TUQ\.)\s*[\p{Lu}]{2,}")
_DOC_HEADING = re.compile(
    r"^(?:KẾ HOẠCH|CHƯƠNG TRÌNH|QUY CHẾ|QUY ĐỊNH|HƯỚNG DẪN|ĐỀ ÁN|DANH MỤC|NGHỊ QUYẾT|KẾT LUẬN|CHỈ THỊ|QUYẾT ĐỊNH)\b"
)
_BULLET_KINDS = {"dash", "plus", "star"}
_OUTLINE = re.compile(r"^(?:ĐỀ CƯƠNG|Đề cương)(?:\s+(?:BÁO CÁO|báo cáo|GỢI Ý|gợi ý))?\b")


@dataclass
class Node:
    """One numbered item (or table row) and where it sits."""

    key: str  # path component (`II`, `1.1`, `a)`, `-3`, `14`)
    kind: str  # label kind, or `row` / `group` for table rows
    label: str  # the label as written (`1.1.`, `a)`, `-`, `14`)
    line: int  # index of its first line in layout.lines
    start: int
    end: int = 0  # end of the whole item, children included
    own_end: int = 0  # end of its own text (before its first child)
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    own_lines: list[int] = field(default_factory=list)
    heading: str = ""
    path: str = ""
    zone: str = "body"  # body | appendix | outline

    def descendants(self) -> list["Node"]:
        out: list[Node] = []
        for c in self.children:
            out.append(c)
            out.extend(c.descendants())
        return out

    def ancestors(self) -> list["Node"]:
        out: list[Node] = []
        p = self.parent
        while p is not None:
            out.append(p)
            p = p.parent
        return out


@dataclass
class Structure:
    roots: list[Node]
    nodes: list[Node]  # in document order
    node_of_line: dict[int, Node]  # the innermost item each line belongs to
    signature_line: int | None  # first line of the recipients/signature zone
    signature_lines: set[int] = field(default_factory=set)  # every line of recipients/signature zones


def _kind_key(lab: Label) -> str:
    if lab.kind == "multi":
        return f"multi{lab.depth}"
    if lab.kind == "letter_dot":
        return "letter"
    return lab.kind


def _is_upper_heading(s: str) -> bool:
    return is_upper(s, ratio=0.9, min_letters=5)


def _close_to(stack: list[tuple[str, Node]], kind_key: str) -> list[tuple[str, Node]]:
    """Close back to the open level of the same kind, if one is open (its sibling comes next)."""
    pos = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == kind_key), None)
    return stack if pos is None else stack[:pos]


def build_structure(layout: Layout, body_start: int = 0) -> Structure:
    """The section tree of a layout; `body_start` is the first line after the header (metadata's `header_end`).

    Bullets open items only once a numbered label has appeared or the body has
    started, so a header's dashes are not structure but a memo made only of
    `- ...` items still has its items.
    """
    roots: list[Node] = []
    nodes: list[Node] = []
    node_of_line: dict[int, Node] = {}
    stack: list[tuple[str, Node]] = []  # (kind key, node)
    bullet_counts: dict[tuple[int, str], int] = {}
    used_paths: dict[str, int] = {}
    signature_line: int | None = None
    signature_lines: set[int] = set()
    in_signature = False
    zone = "body"
    seen_body_label = False
    table_base: list[tuple[str, Node]] | None = None
    table_id: int | None = None
    table_stack: list[tuple[str, Node]] = []

    def attach(node: Node, parent: Node | None) -> None:
        node.parent = parent
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
        if node.kind in _BULLET_KINDS:
            k = (id(parent), node.kind)
            bullet_counts[k] = bullet_counts.get(k, 0) + 1
            node.key = f"{node.label[:1]}{bullet_counts[k]}"
        base = node.key
        if (
            parent is not None
            and node.kind.startswith("multi")
            and parent.kind in ("decimal", "multi")
            and node.label.startswith(parent.label.rstrip(".") + ".")
        ):
            # `1.1.` under `1.`: the longer number replaces its parent's part
            prefix = parent.path.rsplit(".", parent.key.count(".") + 1)[0] if "." in parent.path else ""
            path = f"{prefix}.{base}" if prefix and parent.path != parent.key else base
            if parent.path == parent.key:
                path = base
        else:
            path = f"{parent.path}.{base}" if parent is not None else base
        n = used_paths.get(path, 0) + 1
        used_paths[path] = n
        node.path = path if n == 1 else f"{path}~{n}"
        nodes.append(node)

    for idx, line in enumerate(layout.lines):
        text = layout.line_text(line)
        if line.kind == "para":
            table_id = None
            if _SIGNATURE_START.match(text) and (seen_body_label or (body_start and idx >= body_start)):
                in_signature = True
                signature_lines.add(idx)
                if signature_line is None:
                    signature_line = idx
                stack = []
                continue
            lab = parse_label(text)
            if lab is None and _OUTLINE.match(text):
                # the outline of a report to be written: its items are not tasks
                zone = "outline"
                in_signature = False
                stack = []
                continue
            if lab is not None and lab.kind == "appendix":
                in_signature = False
                zone = "appendix"
                node = Node(key=lab.key, kind="appendix", label=lab.text, line=idx, start=line.start)
                node.heading = text[lab.end:].strip() or text
                node.own_lines.append(idx)
                attach(node, None)
                stack = [("appendix", node)]
                node_of_line[idx] = node
                continue
            if in_signature:
                if _OUTLINE.match(text):
                    zone = "outline"
                    in_signature = False
                    stack = []
                    continue
                if (_DOC_HEADING.match(text) and _is_upper_heading(text)) or (
                    lab is not None and lab.kind in ("roman", "part") and _is_upper_heading(text[: 60])
                ):
                    in_signature = False
                    stack = []
                else:
                    signature_lines.add(idx)
                    continue
            if lab is None or (lab.kind in _BULLET_KINDS and not stack and not seen_body_label and not (body_start and idx >= body_start)):
                if stack:
                    node_of_line[idx] = stack[-1][1]
                    stack[-1][1].own_lines.append(idx)
                continue
            seen_body_label = True
            kk = _kind_key(lab)
            stack = _close_to(stack, kk)
            node = Node(key=lab.key, kind=lab.kind, label=lab.text, line=idx, start=line.start, zone=zone)
            node.heading = text[lab.end:].strip()
            if not node.heading and idx + 1 < len(layout.lines) and layout.lines[idx + 1].kind == "para":
                # `PHẦN I` alone on its line: the upper-case title under it is its heading
                nxt = layout.line_text(layout.lines[idx + 1])
                if _is_upper_heading(nxt) and parse_label(nxt) is None:
                    node.heading = nxt.strip()
            node.own_lines.append(idx)
            attach(node, stack[-1][1] if stack else None)
            stack.append((kk, node))
            node_of_line[idx] = node
            continue
        # table rows
        if in_signature:
            signature_lines.add(idx)
            continue
        if line.header:
            continue
        cells = layout.cell_texts(line)
        if line.table != table_id:
            table_id = line.table
            table_stack = []
            table_base = list(stack)
        parent_base = table_base[-1][1] if table_base else None
        first = cells[0].strip() if cells else ""
        rest = [c for c in cells[1:] if c.strip()]
        group_lab = parse_label(first) if first else None
        m = _ROW_LABEL.match(first)
        roman_row = bool(m) and bool(re.fullmatch(r"[IVXLC]+", m.group("num"))) if m else False
        if roman_row and group_lab is None:
            group_lab = parse_label(m.group("num") + ". X")  # type: ignore[union-attr]
        if (not rest or roman_row) and group_lab is not None and group_lab.kind in ("roman", "decimal", "multi", "letter"):
            table_stack = _close_to(table_stack, "g:" + _kind_key(group_lab))
            kk = "g:" + _kind_key(group_lab)
            node = Node(key=group_lab.key, kind="group", label=group_lab.text, line=idx, start=line.start, zone=zone)
            node.heading = first[group_lab.end:].strip() if not rest else rest[0]
            node.own_lines.append(idx)
            attach(node, table_stack[-1][1] if table_stack else parent_base)
            table_stack.append((kk, node))
            node_of_line[idx] = node
            seen_body_label = True
            continue
        if m and rest:
            num = m.group("num")
            # a lettered or sub-numbered row nests under the numbered row above it
            kk = "r:" + ("letter" if num.isalpha() and num.islower() else "num")
            table_stack = _close_to(table_stack, kk)
            node = Node(key=num, kind="row", label=first, line=idx, start=line.start, zone=zone)
            node.heading = rest[0] if rest else ""
            node.own_lines.append(idx)
            attach(node, table_stack[-1][1] if table_stack else parent_base)
            table_stack.append((kk, node))
            node_of_line[idx] = node
            seen_body_label = True
            continue
        # an unnumbered data row: part of the enclosing item
        owner = table_stack[-1][1] if table_stack else parent_base
        if owner is not None:
            node_of_line[idx] = owner

    _compute_extents(layout, nodes)
    return Structure(
        roots=roots, nodes=nodes, node_of_line=node_of_line, signature_line=signature_line, signature_lines=signature_lines
    )


def _compute_extents(layout: Layout, nodes: list[Node]) -> None:
    lines = layout.lines
    for node in nodes:
        last_own = max(node.own_lines) if node.own_lines else node.line
        node.own_end = lines[last_own].end
    # an item ends where its own text or its last descendant ends (children come after parents)
    for node in reversed(nodes):
        end = node.own_end
        for ch in node.children:
            end = max(end, ch.end)
        node.end = end


def sections(structure: Structure) -> list[Section]:
    return [
        Section(path=n.path, label=n.label, heading=n.heading[:300], span=(n.start, n.end))
        for n in structure.nodes
    ]

