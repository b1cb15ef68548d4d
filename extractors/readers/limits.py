"""Input limits shared by every reader: size, decompressed size, page count.

The limits are read from the environment so that an office can raise them:
`NHIEMVU_MAX_BYTES` (default 50 MB) for an uploaded file,
`NHIEMVU_MAX_UNZIPPED` (default 200 MB) for what a DOCX may expand to, and
`NHIEMVU_MAX_PAGES` (default 500) for a PDF. Nothing else lives here.
"""
from __future__ import annotations

import os


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def max_bytes() -> int:
    return _env_int("NHIEMVU_MAX_BYTES", 50 * 1024 * 1024)


def max_unzipped() -> int:
    return _env_int("NHIEMVU_MAX_UNZIPPED", 200 * 1024 * 1024)


def max_pages() -> int:
    return _env_int("NHIEMVU_MAX_PAGES", 500)
