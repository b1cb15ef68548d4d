"""CSV that Excel opens with Vietnamese intact: UTF-8 with a byte-order mark, CRLF line ends."""
from __future__ import annotations

import csv
import io
from typing import Any

from service.exports.common import HEADERS, row


def render(tasks: list[dict[str, Any]], *, title: str | None = None) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADERS)
    for i, t in enumerate(tasks, 1):
        w.writerow(row(i, t))
    return buf.getvalue().encode("utf-8-sig")
