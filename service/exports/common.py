"""The columns every tabular export shares, computed from one task dict."""
from __future__ import annotations

from datetime import date
from typing import Any

HEADERS = [
    "STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Lãnh đạo, chỉ đạo", "Thời hạn",
    "Hạn hoàn thành", "Kỳ hạn tiếp theo", "Trạng thái", "Quá hạn", "Văn bản giao", "Mục", "Mã nhiệm vụ",
]


def names(task: dict[str, Any], role: str) -> str:
    return "; ".join(u["name"] for u in task.get(role) or [])


def vn_date(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def deadline_label(task: dict[str, Any]) -> str:
    """What the `Thời hạn` column shows: the document's words, else the date."""
    dl = task.get("deadline") or {}
    text = (dl.get("text") or "").strip()
    if text:
        return text
    if task.get("due"):
        return vn_date(task["due"])
    return {"ongoing": "Thường xuyên", "per_plan": "Theo kế hoạch", "recurring": "Định kỳ"}.get(dl.get("kind") or "", "")


def document_label(task: dict[str, Any]) -> str:
    d = task.get("document") or {}
    parts = [p for p in (d.get("doc_type"), f"số {d['code']}" if d.get("code") else None) if p]
    label = " ".join(parts)
    if d.get("issued_date"):
        label += f" ngày {vn_date(d['issued_date'])}"
    if not d.get("code") and d.get("title"):
        label = f"{label} {d['title']}".strip()
    return label.strip()


def row(i: int, task: dict[str, Any]) -> list[Any]:
    return [
        i,
        task.get("text") or "",
        names(task, "lead"),
        names(task, "support"),
        names(task, "supervisors"),
        deadline_label(task),
        task.get("due") or "",
        task.get("next_due") or "",
        task.get("status") or "",
        "x" if task.get("overdue") else "",
        document_label(task),
        task.get("path") or "",
        task.get("id"),
    ]
