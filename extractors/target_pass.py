"""Pipeline component: the numeric targets of a whole document, placed in its structure.

Runs `extractors.targets` over every body paragraph and every table row,
then attaches each target to the task whose span holds it (`task_id`,
`path`, and that task's units when the target names none) or to the
innermost section. The header, title and signature zone are skipped.
"""
from __future__ import annotations

from bisect import bisect_right

from extractors.fields import column_role
from extractors.targets import find_targets, targets_from_row
from extractors.units import split_units
from models import Target


def _is_header_row(cells: list[str]) -> bool:
    roles = [column_role(c) for c in cells]
    return sum(r is not None for r in roles) >= 2 and any(r in ("content", "indicator", "stt") for r in roles)


def extract_targets(state: object) -> list[Target]:
    layout = state.layout  # type: ignore[attr-defined]
    structure = state.structure  # type: ignore[attr-defined]
    md = state.metadata  # type: ignore[attr-defined]
    tasks = state.tasks  # type: ignore[attr-defined]
    skip = structure.signature_lines if structure is not None else set()
    found: list[tuple[int, Target]] = []
    headers: dict[int, list[str]] = {}
    for idx, line in enumerate(layout.lines):
        if idx < md.header_end or idx in skip:
            continue
        if line.kind == "row":
            cells = layout.cell_texts(line)
            if line.header or (line.table not in headers and _is_header_row(cells)):
                headers[line.table] = cells  # type: ignore[index]
                continue
            for t in targets_from_row(cells, headers.get(line.table), line.cells):  # type: ignore[arg-type]
                found.append((idx, t))
        else:
            for t in find_targets(layout.line_text(line), line.start):
                found.append((idx, t))
    out: list[Target] = []
    by_start = sorted(tasks, key=lambda k: k.span[0])
    starts = [k.span[0] for k in by_start]
    for idx, t in found:
        # the innermost task whose span holds the target: look back from the last task starting before it
        holder = None
        i = bisect_right(starts, t.span[0]) - 1
        while i >= 0 and holder is None and t.span[0] - starts[i] < 20000:
            k = by_start[i]
            if k.span[0] <= t.span[0] and t.span[1] <= k.span[1]:
                holder = k
            i -= 1
        updates: dict[str, object] = {}
        if holder is not None:
            updates["task_id"] = holder.id
            updates["path"] = holder.path
            if not t.lead and not t.support:
                updates["lead"] = list(holder.lead)
                updates["support"] = list(holder.support)
        else:
            node = structure.node_of_line.get(idx) if structure is not None else None
            updates["path"] = node.path if node is not None else None
        if t.lead and holder is None:
            updates["lead"] = [u for v in t.lead for u in split_units(v)] or t.lead
            updates["support"] = [u for v in t.support for u in split_units(v)] or t.support
        out.append(t.model_copy(update=updates))
    return out
