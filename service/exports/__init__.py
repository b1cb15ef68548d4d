"""Task lists as files offices use: CSV, XLSX, DOCX, ICS and JSON.

`render(fmt, tasks)` takes the task dicts of `service.queries.list_tasks`
and returns (bytes, media type, file suffix). Each format lives in its own
module; the shared column layout is in `common`.
"""
from __future__ import annotations

from typing import Any, Callable

FORMATS = ("csv", "xlsx", "docx", "ics", "json")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ics": "text/calendar; charset=utf-8",
    "json": "application/json",
}


def _renderer(fmt: str) -> Callable[..., bytes]:
    if fmt == "csv":
        from service.exports.csv import render
    elif fmt == "xlsx":
        from service.exports.xlsx import render
    elif fmt == "docx":
        from service.exports.docx import render
    elif fmt == "ics":
        from service.exports.ics import render
    elif fmt == "json":
        from service.exports.json import render
    else:
        raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
    return render


def render(fmt: str, tasks: list[dict[str, Any]], *, title: str | None = None) -> tuple[bytes, str]:
    """The file and its media type."""
    return _renderer(fmt)(tasks, title=title), MEDIA_TYPES[fmt]
