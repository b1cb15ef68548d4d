"""Read a Word 97-2003 file (.doc) by converting it to .docx with LibreOffice.

The bytes are first checked as an OLE container (`ole.inspect_ole`): a
password-protected Office file (a Word 97 document with the FIB's encrypted
flag, or an Office 2007+ file wrapped in an OLE "EncryptedPackage"), an Excel
or PowerPoint file, or a broken container is refused with a one-line
`ReadError`. Otherwise LibreOffice runs headless (`soffice --convert-to
docx`) with a private profile, so that concurrent conversions do not clash,
and a timeout (NHIEMVU_SOFFICE_TIMEOUT, default 120 s); the result is read by
`read_docx` and labelled format "doc". The binary is `soffice` or
`libreoffice` from PATH, or NHIEMVU_SOFFICE. Nothing here parses Word 97
text itself.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extractors.errors import ReadError
from extractors.readers.base import RawDocument
from extractors.readers.docx import read_docx
from extractors.readers.ole import OleError, inspect_ole

__all__ = ["read_doc", "soffice_binary", "convert_to_docx"]

INSTALL_HINT = "legacy Word .doc needs LibreOffice; install it with: apt-get install libreoffice-writer-nogui"


def soffice_binary() -> str | None:
    """Path of the LibreOffice binary, or None when it is not installed."""
    override = os.environ.get("NHIEMVU_SOFFICE")
    if override is not None:
        return shutil.which(override) if override.strip() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _timeout() -> float:
    try:
        return max(1.0, float(os.environ.get("NHIEMVU_SOFFICE_TIMEOUT", "120")))
    except ValueError:
        return 120.0


def _check_container(data: bytes, filename: str) -> None:
    try:
        info = inspect_ole(data)
    except OleError as exc:
        raise ReadError(filename, f"corrupt Word 97-2003 document: {exc}") from None
    if info.encrypted_package or "EncryptionInfo" in info.streams:
        raise ReadError(filename, "encrypted Word document (password protected)")
    if "WordDocument" not in info.streams:
        if {"Workbook", "Book"} & info.streams:
            raise ReadError(filename, "an Excel workbook (.xls), not a Word document", kind="unsupported")
        if "PowerPoint Document" in info.streams:
            raise ReadError(filename, "a PowerPoint presentation (.ppt), not a Word document", kind="unsupported")
        raise ReadError(filename, "an OLE file but not a Word document (no WordDocument stream)")
    if info.word_encrypted:
        raise ReadError(filename, "encrypted Word document (password protected)")


def convert_to_docx(data: bytes, filename: str, binary: str) -> bytes:
    """The .docx bytes LibreOffice makes of a .doc; ReadError if it fails or times out."""
    with tempfile.TemporaryDirectory(prefix="nhiemvu-doc-") as tmp:
        root = Path(tmp)
        src = root / "input.doc"
        src.write_bytes(data)
        outdir = root / "out"
        outdir.mkdir()
        cmd = [
            binary,
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "docx",
            "--outdir",
            str(outdir),
            str(src),
        ]
        env = dict(os.environ, HOME=str(root))
        try:
            proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
            )
        except OSError as exc:
            raise ReadError(filename, f"{INSTALL_HINT} (could not start {binary}: {exc.strerror})", kind="missing_tool") from None
        limit = _timeout()
        try:
            _, err = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.communicate()
            raise ReadError(filename, f"LibreOffice took more than {limit:g} s to convert the .doc file (NHIEMVU_SOFFICE_TIMEOUT)") from None
        result = outdir / "input.docx"
        if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            detail = err.decode("utf-8", errors="replace").strip().splitlines()
            reason = next((line for line in detail if "Error" in line or "error" in line), "")
            raise ReadError(filename, "LibreOffice could not convert the .doc file (corrupt or unsupported Word version)" + (f": {reason[:120]}" if reason else ""))
        return result.read_bytes()


def read_doc(data: bytes, filename: str) -> RawDocument:
    """Read a Word 97-2003 .doc (via LibreOffice); ReadError with a one-line reason otherwise."""
    _check_container(data, filename)
    binary = soffice_binary()
    if binary is None:
        raise ReadError(filename, INSTALL_HINT, kind="missing_tool")
    converted = convert_to_docx(data, filename, binary)
    doc = read_docx(converted, filename, fmt="doc")
    return doc
