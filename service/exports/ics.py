"""An iCalendar file: one all-day event per dated task, a recurrence rule per recurring one.

Events fall on the due date (or, for a recurring task, on its first date
with an RRULE from `service.recurrence`). Text is escaped and lines folded
at 75 octets as RFC 5545 requires; line ends are CRLF.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from service.exports.common import document_label, names
from service.recurrence import rrule

_PRODID = "-//nhiemvu//Danh muc nhiem vu//VI"


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    out: list[str] = []
    data = line.encode("utf-8")
    limit = 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # do not split a UTF-8 sequence
            cut -= 1
        out.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = 74  # continuation lines start with a space
    out.append(data.decode("utf-8"))
    return [out[0]] + [" " + s for s in out[1:]]


def _event(task: dict[str, Any], start: date, rule: str | None, stamp: str) -> list[str]:
    summary = " ".join((task.get("text") or "").split())
    if len(summary) > 200:
        summary = summary[:197] + "..."
    desc = [task.get("text") or ""]
    for label, role in (("Chủ trì", "lead"), ("Phối hợp", "support"), ("Chỉ đạo", "supervisors")):
        if task.get(role):
            desc.append(f"{label}: {names(task, role)}")
    if (task.get("deadline") or {}).get("text"):
        desc.append(f"Thời hạn: {task['deadline']['text']}")
    desc.append(f"Văn bản: {document_label(task)}")
    desc.append(f"Trạng thái: {task.get('status') or ''}")
    lines = [
        "BEGIN:VEVENT",
        f"UID:task-{task['id']}@nhiemvu",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(start + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(chr(10).join(desc))}",
        f"CATEGORIES:{_escape(task.get('status') or '')}",
    ]
    if rule:
        lines.append(f"RRULE:{rule}")
    if task.get("status") == "hoàn thành":
        lines.append("STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def render(tasks: list[dict[str, Any]], *, title: str | None = None) -> bytes:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_escape(title or 'Nhiệm vụ')}"]
    for t in tasks:
        dl = t.get("deadline") or {}
        if dl.get("kind") == "recurring":
            rule = rrule(dl.get("recurrence"), dl.get("day"), dl.get("month"), dl.get("text"))
            first = t.get("first_occurrence") or t.get("next_due")
            if rule and first:
                lines += _event(t, date.fromisoformat(first[:10]), rule, stamp)
            continue
        due = t.get("due")
        if due:
            lines += _event(t, date.fromisoformat(due[:10]), None, stamp)
    lines.append("END:VCALENDAR")
    out: list[str] = []
    for line in lines:
        out.extend(_fold(line))
    return ("\r\n".join(out) + "\r\n").encode("utf-8")
