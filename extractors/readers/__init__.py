"""Choose the reader for a file by its content (magic bytes), not only its name.

`read(data, filename)` checks the limits and the obvious bad inputs (empty,
too large, a binary file with a text name, a name that lies about the
format) and hands the bytes to the reader of the format. Each reader lives
in its own module; this one only dispatches.
"""
from __future__ import annotations

from pathlib import PurePath

from extractors.errors import ReadError
from extractors.readers.base import Block, RawDocument
from extractors.readers.limits import max_bytes

__all__ = ["Block", "RawDocument", "read", "sniff_format", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = {".txt": "txt", ".md": "md", ".docx": "docx", ".doc": "doc", ".pdf": "pdf"}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(data: bytes, filename: str) -> str:
    """The format the bytes really are: pdf, docx, doc, txt or md.

    Raises ReadError for an unsupported name or bytes that contradict it.
    """
    suffix = PurePath(filename).suffix.lower()
    named = SUPPORTED_SUFFIXES.get(suffix)
    head = data[:1024]
    if head.lstrip()[:5] == b"%PDF-" or data[:5] == b"%PDF-":
        real = "pdf"
    elif data[:4] == b"PK\x03\x04":
        real = "docx"
    elif data[:8] == _OLE_MAGIC:
        real = "doc"
    else:
        real = named if named in ("txt", "md") else "text"
    if named is None:
        if real == "text":
            raise ReadError(filename, f"unsupported format {suffix or '(no extension)'}: nhiemvu reads .pdf, .docx, .doc, .txt and .md", kind="unsupported")
        return real
    if named in ("txt", "md"):
        if real in ("pdf", "docx", "doc"):
            # A PDF or Word file saved with a text name: read what it really is.
            return real
        return named
    if real == "text":
        raise ReadError(filename, f"not a {named.upper()} file: the content does not start like one (corrupt or mislabelled)")
    if named == "docx" and real == "doc" or named == "doc" and real == "docx":
        return real  # Word files are often saved under the other Word extension
    if named != real:
        raise ReadError(filename, f"named .{named} but the content is {real.upper()}")
    return real


def read(data: bytes, filename: str) -> RawDocument:
    """Read any supported document into blocks; ReadError on anything unreadable."""
    if len(data) == 0:
        raise ReadError(filename, "empty file (0 bytes)")
    limit = max_bytes()
    if len(data) > limit:
        raise ReadError(filename, f"file is {len(data):,} bytes, over the limit of {limit:,} bytes (NHIEMVU_MAX_BYTES)", kind="too_large")
    fmt = sniff_format(data, filename)
    if fmt == "pdf":
        from extractors.readers.pdf import read_pdf

        return read_pdf(data, filename)
    if fmt == "docx":
        from extractors.readers.docx import read_docx

        return read_docx(data, filename)
    if fmt == "doc":
        from extractors.readers.doc import read_doc

        return read_doc(data, filename)
    from extractors.readers.text import read_text

    return read_text(data, filename, fmt)
