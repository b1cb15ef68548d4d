"""The task list as JSON: `{"count": n, "tasks": [...]}` with the API's task objects."""
from __future__ import annotations

import json
from typing import Any


def render(tasks: list[dict[str, Any]], *, title: str | None = None) -> bytes:
    payload = {"title": title, "count": len(tasks), "tasks": tasks}
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
