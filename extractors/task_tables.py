"""Task tables: one task per row, columns named like `Nội dung`, `Cơ quan chủ trì`, `Thời hạn`.

A table is a task table when a header row names a content column and at
least one of the unit or time columns (`extractors.fields.column_role`).
Group rows (`I. ...` spanning the table) are headings the rows below
inherit; a row's `text` is its content cell. Indicator tables (`Chỉ tiêu`,
`Đơn vị tính`) are not task tables. Nothing here reads prose.
"""
from __future__ import annotations

import re
from typing import Callable

from extractors.deadlines import DeadlineContext, parse_deadline
from extractors.fields import column_role
from extractors.normalise import Layout
from extractors.structure import Node, Structure
from extractors.units import Roles, split_units
from models import Deadline, Task

Inherit = Callable[[Node], tuple[Roles, Deadline | None]]


def _duration(value: str, header: str) -> Deadline | None:
    """A bare number under a `Số ngày ...` column: the step's duration, not a date (ANNOTATION.md section 4)."""
    from extractors.vntext import fold

    if not fold(header).startswith("so ngay") or not re.fullmatch(r"\d{1,4}", value.strip()):
        return None
    return Deadline(text=f"{value.strip()} ({header.strip().lower()})", kind="relative", offset_days=int(value), working_days="lam viec" in fold(header))


def _header_roles(cells: list[str]) -> list[str | None] | None:
    roles = [column_role(c) for c in cells]
    if "content" not in roles:
        return None
    if not any(r in ("lead", "support", "deadline", "product") for r in roles):
        return None
    if "indicator" in roles:
        return None
    return roles


def table_tasks(layout: Layout, structure: Structure, defined: dict[str, str], dctx: DeadlineContext, inherit: Inherit) -> list[Task]:
    tasks: list[Task] = []
    roles_of_table: dict[int, list[str | None]] = {}
    headers_of: dict[int, list[str]] = {}
    for idx, line in enumerate(layout.lines):
        if line.kind != "row" or line.table is None:
            continue
        cells = layout.cell_texts(line)
        if line.table not in roles_of_table:
            hr = _header_roles(cells)
            if hr is not None:
                roles_of_table[line.table] = hr
                headers_of[line.table] = cells
                continue
        roles = roles_of_table.get(line.table)
        if roles is None:
            continue
        if not (cells and cells[0].strip()[:1].isdigit()) and _header_roles(cells) is not None:
            continue  # a header repeated after a page break
        node = structure.node_of_line.get(idx)
        if node is None or node.kind != "row" or node.line != idx:
            continue
        content_i = roles.index("content")
        # rows with fewer cells than the header: align from the left
        if content_i >= len(line.cells):
            continue
        a, b = line.cells[content_i]
        text = layout.text[a:b].strip()
        if not text:
            continue
        lead: list[str] = []
        support: list[str] = []
        deadline: Deadline | None = None
        product: str | None = None
        for k, role in enumerate(roles):
            if k >= len(line.cells) or role is None:
                continue
            ca, cb = line.cells[k]
            value = layout.text[ca:cb].strip()
            if not value:
                continue
            if role == "lead":
                lead.extend(u for u in split_units(value, defined) if u not in lead)
            elif role == "support":
                support.extend(u for u in split_units(value, defined) if u not in support)
            elif role == "deadline":
                deadline = _duration(value, headers_of.get(line.table, [])[k] if k < len(headers_of.get(line.table, [])) else "")
                if deadline is None:
                    deadline = parse_deadline(value, dctx)
            elif role == "product":
                product = value
        inh_roles, inh_dl = inherit(node)
        conf = 0.9
        if not lead and inh_roles.lead:
            lead = list(inh_roles.lead)
            conf -= 0.1
        if deadline is None or deadline.kind == "none":
            if inh_dl is not None:
                deadline = inh_dl
                conf -= 0.05
        if deadline is None:
            deadline = Deadline(kind="none")
            conf -= 0.1
        if not lead:
            conf -= 0.3
        tasks.append(
            Task(
                id="",
                path=node.path,
                text=layout.text[a:b],
                lead=lead,
                support=[s for s in support if s not in lead],
                supervisors=list(inh_roles.supervisors),
                deadline=deadline,
                product=product,
                confidence=round(max(0.05, conf), 2),
                span=(a, b),
            )
        )
    return tasks
