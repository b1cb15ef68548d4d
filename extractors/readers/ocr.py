"""OCR of scanned PDF pages with the Tesseract command line tool (Vietnamese).

`ocr_pages` renders the requested pages with pypdfium2 (300 dpi by default),
runs `tesseract <png> stdout -l vie tsv` on each and returns the recognised
words with their boxes in PDF points, so that `pdf_layout` can group them
like words of a text layer. The command is `tesseract`, or the path in the
environment variable `NHIEMVU_TESSERACT`. A missing binary or missing
Vietnamese data raises `ReadError(kind="missing_tool")` with the install
command. It does not decide which pages need OCR (the PDF reader does).
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from extractors.errors import ReadError
from extractors.readers.pdf_model import Word

__all__ = ["tesseract_command", "check_tesseract", "ocr_pages"]

LANG = "vie"
DPI = 300
_TIMEOUT = 180  # seconds per page
_MISSING = (
    "scanned PDF with no text layer: OCR needs Tesseract with Vietnamese data; "
    "install it with: apt-get install tesseract-ocr tesseract-ocr-vie"
)


def tesseract_command() -> str:
    """The tesseract executable to run (env NHIEMVU_TESSERACT overrides)."""
    return os.environ.get("NHIEMVU_TESSERACT", "").strip() or "tesseract"


def check_tesseract(filename: str) -> str:
    """The full path of a tesseract that has Vietnamese data, else ReadError."""
    exe = shutil.which(tesseract_command())
    if exe is None:
        raise ReadError(filename, _MISSING, kind="missing_tool")
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        raise ReadError(filename, _MISSING, kind="missing_tool") from None
    langs = {ln.strip() for ln in (out.stdout + "\n" + out.stderr).splitlines()}
    if LANG not in langs:
        raise ReadError(filename, _MISSING, kind="missing_tool")
    return exe


def _words_from_tsv(tsv: str, scale: float) -> list[Word]:
    words: list[Word] = []
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            conf = float(row.get("conf") or -1)
            left, top = int(row["left"]), int(row["top"])
            width, height = int(row["width"]), int(row["height"])
        except (KeyError, TypeError, ValueError):
            continue
        if conf < 0:
            continue
        words.append(
            Word(
                text=text,
                x0=left * scale,
                x1=(left + width) * scale,
                top=top * scale,
                bottom=(top + height) * scale,
            )
        )
    return words


def _with_body_size(words: list[Word]) -> list[Word]:
    """OCR gives no font size; word boxes vary with accents and descenders.
    Give every word the page's usual size so that line spacing compares."""
    if not words:
        return words
    heights = sorted(w.bottom - w.top for w in words)
    size = round(heights[len(heights) // 2] * 0.85, 1)
    for w in words:
        w.size = size
    return words


def _run(exe: str, png: Path, number: int, filename: str) -> list[Word]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one thread per page: pages run side by side
    try:
        done = subprocess.run(
            [exe, str(png), "stdout", "-l", LANG, "--psm", "3", "tsv"],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise ReadError(filename, f"OCR of page {number} took over {_TIMEOUT} s") from None
    except OSError as exc:
        raise ReadError(filename, f"{_MISSING} ({exc.strerror})", kind="missing_tool") from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise ReadError(filename, f"OCR of page {number} failed: {reason}")
    return _with_body_size(_words_from_tsv(done.stdout, 72.0 / _dpi_of(png)))


def _dpi_of(png: Path) -> int:
    return int(png.stem.rsplit("-", 1)[-1])


def ocr_pages(data: bytes, page_numbers: list[int], filename: str, dpi: int = DPI) -> dict[int, list[Word]]:
    """OCR the given 1-based pages of a PDF: page number -> words (points).

    Pages are rendered one after the other, then recognised in parallel (one
    tesseract process per page, as many at a time as there are CPUs, max 4).
    """
    if not page_numbers:
        return {}
    exe = check_tesseract(filename)
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except Exception as exc:  # pdfium could not open what pdfminer could
        raise ReadError(filename, f"cannot render the scanned pages for OCR ({exc})") from None
    with tempfile.TemporaryDirectory(prefix="nhiemvu-ocr-") as tmp:
        pngs: dict[int, Path] = {}
        try:
            for number in page_numbers:
                page = doc[number - 1]
                try:
                    image = page.render(scale=dpi / 72.0, grayscale=True).to_pil()
                finally:
                    page.close()
                png = Path(tmp) / f"page-{number}-{dpi}.png"
                image.save(png)
                pngs[number] = png
        finally:
            doc.close()
        workers = max(1, min(4, os.cpu_count() or 1, len(pngs)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {n: pool.submit(_run, exe, png, n, filename) for n, png in pngs.items()}
            return {n: f.result() for n, f in futures.items()}
