"""Open an Office ZIP container only after checking it cannot blow up.

`open_zip(data, filename)` reads the ZIP central directory (no member is
decompressed) and refuses, with a one-line `ReadError`, a corrupt archive, an
encrypted one, one with an absurd number of members, one whose members would
expand past `limits.max_unzipped()` (NHIEMVU_MAX_UNZIPPED), or one with a
member compressed at a ratio no real Office file reaches (a ZIP bomb).
Python's zipfile never returns more than a member's declared size, so the
declared sizes checked here bound what reading can produce. It does not look
inside the members: that is the Word reader's job.
"""
from __future__ import annotations

import io
import zipfile

from extractors.errors import ReadError
from extractors.readers.limits import max_unzipped

__all__ = ["open_zip", "MAX_MEMBERS", "MAX_RATIO"]

MAX_MEMBERS = 10_000
# Word XML compresses 5-30:1; a member bigger than RATIO_MIN_SIZE compressed
# more than MAX_RATIO:1 is filler, not a document.
MAX_RATIO = 200
RATIO_MIN_SIZE = 2 * 1024 * 1024


def open_zip(data: bytes, filename: str, what: str = "DOCX") -> zipfile.ZipFile:
    """A ZipFile over `data`, or ReadError if it is corrupt, encrypted or a ZIP bomb."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError, NotImplementedError) as exc:
        raise ReadError(filename, f"corrupt {what}: not a readable ZIP archive ({_short(exc)})") from None
    if len(infos) > MAX_MEMBERS:
        raise ReadError(filename, f"{what} holds {len(infos):,} files, more than {MAX_MEMBERS:,}: refusing it as a possible ZIP bomb", kind="too_large")
    limit = max_unzipped()
    total = sum(max(0, i.file_size) for i in infos)
    if total > limit:
        raise ReadError(
            filename,
            f"{what} would expand to {total:,} bytes, over the limit of {limit:,} bytes (NHIEMVU_MAX_UNZIPPED): refusing it as a possible ZIP bomb",
            kind="too_large",
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError(filename, f"encrypted {what}: the ZIP archive is password protected")
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(1, info.compress_size):
            ratio = info.file_size // max(1, info.compress_size)
            raise ReadError(
                filename,
                f"{what} member {info.filename!r} expands {ratio:,}:1 to {info.file_size:,} bytes: refusing it as a possible ZIP bomb",
                kind="too_large",
            )
    return zf


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
