"""Read a PDF into a `RawDocument`: paragraphs and table rows in reading order.

One pass over the pages with pdfplumber: per page one `find_tables()` and one
`extract_words()`, then the page's parsed objects are freed. The rest is in
small modules: words and lines `pdf_model`, paragraphs, page numbers and
reading order `pdf_layout`, the two-column header and signature `pdf_zones`,
table cells and tables across pages `pdf_tables`, e-signature stamps
`pdf_stamps`. Pages without a usable text layer (scans) are OCR'd by `ocr`
and the document is marked `ocr=True`. Corrupt, truncated, encrypted and
over-long PDFs raise `ReadError` with a one-line reason. This module does not
clean or interpret the text.
"""
from __future__ import annotations

import io
import re
from typing import Any

from extractors.errors import ReadError
from extractors.readers.base import RawDocument
from extractors.readers.limits import max_pages
from extractors.readers.pdf_layout import assemble
from extractors.readers.pdf_model import PageContent, Word, build_lines
from extractors.readers.pdf_stamps import stamp_fields
from extractors.readers.pdf_tables import find_tables, is_bold_font, table_part

__all__ = ["read_pdf"]

_MIN_CHARS = 10  # fewer text characters than this on a page: no text layer


def _cause(exc: BaseException) -> BaseException:
    """The pdfminer error inside pdfplumber's wrapper."""
    seen = 0
    while seen < 5 and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
        seen += 1
    return exc


def _problem(exc: BaseException) -> str:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = _cause(exc)
    if isinstance(cause, PDFPasswordIncorrect):
        return "encrypted PDF (password protected): remove the password and upload it again"
    if isinstance(cause, PDFEncryptionError):
        return f"encrypted PDF (unsupported encryption: {cause})"
    text = " ".join(str(cause).split())[:160] or type(cause).__name__
    if "No /Root" in text:
        return "corrupt PDF: no document catalog (damaged, truncated or not really a PDF)"
    if "EOF" in text:
        return "corrupt PDF: truncated or damaged (unexpected end of data)"
    return f"corrupt PDF: cannot be parsed ({type(cause).__name__}: {text})"


def _open(data: bytes, filename: str) -> Any:
    import pdfplumber

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        raise ReadError(filename, _problem(exc)) from None


def _truncated(data: bytes) -> bool:
    """The file stops short of its end-of-file marker: either it has none, or
    objects follow the last one (an incremental update or the rest of a
    linearized file cut off). pdfminer would silently read what is left, or
    an earlier revision of the document."""
    if b"%%EOF" in data[-1024:]:
        return False
    last = data.rfind(b"%%EOF")
    if last < 0:
        return True
    return re.search(rb"\d+\s+\d+\s+obj\b", data[last:]) is not None


def _page_count(pdf: Any) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        pages = resolve1(pdf.doc.catalog.get("Pages"))
        return int(resolve1(pages.get("Count")))
    except Exception:
        return None


def _no_text_layer(page: Any) -> bool:
    """A scanned page: (almost) no usable characters, but something drawn."""
    chars = [c for c in page.chars if not c["text"].isspace()]
    cid = sum(1 for c in chars if c["text"].startswith("(cid:"))
    usable = len(chars) - cid
    if usable >= _MIN_CHARS and cid <= 0.3 * max(len(chars), 1):
        return False
    area = float(page.width * page.height) or 1.0
    covered = sum(
        max(0.0, float(im["x1"] - im["x0"])) * max(0.0, float(im["bottom"] - im["top"])) for im in page.images
    )
    return covered >= 0.25 * area or len(page.curves) > 50 or (cid > 0 and usable < _MIN_CHARS * 5)


def _words(page: Any, tables: list[Any]) -> list[Word]:
    boxes = [t.bbox for t in tables]
    out: list[Word] = []
    for w in page.extract_words(extra_attrs=["fontname", "size"]):
        if not w.get("upright", True):
            continue  # vertical margin notes
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        if any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes):
            continue  # table text comes out as rows
        out.append(
            Word(
                text=w["text"],
                x0=float(w["x0"]),
                x1=float(w["x1"]),
                top=float(w["top"]),
                bottom=float(w["bottom"]),
                size=float(w.get("size") or 0.0),
                bold=is_bold_font(w.get("fontname", "")),
            )
        )
    return out


def _read_page(page: Any) -> PageContent | None:
    """One page's lines and tables; None when the page needs OCR."""
    number = page.page_number
    if _no_text_layer(page):
        return None
    tables = find_tables(page)
    content = PageContent(number, float(page.width), float(page.height))
    content.lines = build_lines(_words(page, tables), number)
    chars = page.chars
    content.tables = [table_part(t, number, chars) for t in tables]
    content.tables.sort(key=lambda t: t.top)
    return content


def read_pdf(data: bytes, filename: str) -> RawDocument:
    """Read a PDF's text (or OCR its scanned pages) into blocks."""
    pdf = _open(data, filename)
    warnings: list[str] = []
    try:
        if _truncated(data):
            raise ReadError(filename, "corrupt PDF: truncated (the file ends before its end-of-file marker; upload it again)")
        limit = max_pages()
        count = _page_count(pdf)
        if count is not None and count > limit:
            raise ReadError(filename, f"PDF has {count:,} pages, over the limit of {limit:,} (NHIEMVU_MAX_PAGES)", kind="too_large")
        pages = pdf.pages
        if len(pages) > limit:
            raise ReadError(filename, f"PDF has {len(pages):,} pages, over the limit of {limit:,} (NHIEMVU_MAX_PAGES)", kind="too_large")
        if not pages:
            raise ReadError(filename, "PDF has no pages")
        contents: list[PageContent | None] = []
        sizes: dict[int, tuple[float, float]] = {}
        for page in pages:
            contents.append(_read_page(page))
            sizes[page.page_number] = (float(page.width), float(page.height))
            page.close()  # free the page's parsed objects
        stamps = [f.text for f in stamp_fields(pdf)]
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(filename, _problem(exc)) from None
    finally:
        try:
            pdf.close()
        except Exception:
            pass
    scanned = [i + 1 for i, c in enumerate(contents) if c is None]
    if scanned:
        from extractors.readers.ocr import ocr_pages

        found = ocr_pages(data, scanned, filename)
        for number, words in found.items():
            width, height = sizes[number]
            content = PageContent(number, width, height)
            content.lines = build_lines(words, number)
            contents[number - 1] = content
        if len(scanned) < len(contents):
            warnings.append(f"pages {', '.join(map(str, scanned))} have no text layer and were read by OCR")
    ready = [c for c in contents if c is not None]
    blocks = assemble(ready)
    if not blocks:
        warnings.append("no text found in the PDF")
    return RawDocument("pdf", blocks, pages=len(contents), stamps=stamps, ocr=bool(scanned), warnings=warnings)
