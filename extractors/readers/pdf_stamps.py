"""Read the text drawn by PDF annotations (e-signature fields) outside the text layer.

Vietnamese e-signing tools stamp the number and the date of a document into
the appearance of signature fields (page `/Annots`, `/AP /N` form XObjects,
often nested two or three deep) and leave the text layer with a blank
`Số:   /KH-UBND` and `ngày   tháng   năm`. This module renders those
appearance streams with pdfminer's interpreter and returns their text, one
string per field, in document order (page, then top to bottom, then left to
right). Fields that draw only an image (the signature picture, the seal)
give nothing. It does not combine the stamps with the text layer: that is
the metadata step's job.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTChar, LTContainer, LTPage
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral

__all__ = ["StampField", "stamp_fields", "read_stamps"]

_HIDDEN = 2 | 32  # annotation flags Hidden, NoView


@dataclass
class StampField:
    """The text one annotation draws, and where (page coordinates, top-down)."""

    text: str
    page: int  # 1-based
    x0: float
    top: float
    x1: float
    bottom: float
    name: str | None = None  # the field name (/T), e.g. "Signature6"


class _Collector(PDFLayoutAnalyzer):
    """A pdfminer device that keeps the layout of what it renders."""

    def __init__(self, rsrcmgr: PDFResourceManager) -> None:
        super().__init__(rsrcmgr, pageno=1, laparams=None)
        self.result: LTPage | None = None

    def receive_layout(self, ltpage: LTPage) -> None:
        self.result = ltpage


class _FormBox:
    """What `begin_page` needs of a page, for a form XObject."""

    def __init__(self, bbox: list[float]) -> None:
        self.pageid = 0
        self.mediabox = bbox
        self.cropbox = bbox
        self.rotate = 0


def _name(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        return str(value.name)
    if isinstance(value, bytes):
        return value.decode("latin-1", "replace")
    return str(value) if value is not None else ""


def _chars(item: Any) -> list[LTChar]:
    out: list[LTChar] = []
    if isinstance(item, LTChar):
        out.append(item)
    elif isinstance(item, LTContainer):
        for child in item:
            out.extend(_chars(child))
    return out


def _text_of(chars: list[LTChar]) -> str:
    """Chars -> text: lines top to bottom, a space where a gap is wide."""
    lines: list[list[LTChar]] = []
    for ch in sorted(chars, key=lambda c: (-round(c.y0, 0), c.x0)):
        if lines and abs(lines[-1][0].y0 - ch.y0) <= 0.5 * max(ch.height, 1.0):
            lines[-1].append(ch)
        else:
            lines.append([ch])
    parts = []
    for line in lines:
        line.sort(key=lambda c: c.x0)
        buf = ""
        for prev, ch in zip([None, *line[:-1]], line):
            if prev is not None and ch.x0 - prev.x1 > 0.25 * max(ch.size, 1.0):
                buf += " "
            buf += ch.get_text()
        parts.append(buf)
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def _appearance(annot: dict[str, Any]) -> PDFStream | None:
    ap = resolve1(annot.get("AP"))
    if not isinstance(ap, dict):
        return None
    normal = resolve1(ap.get("N"))
    if isinstance(normal, dict):  # appearance states (check boxes): the current one
        normal = resolve1(normal.get(_name(annot.get("AS")))) if annot.get("AS") is not None else None
    return normal if isinstance(normal, PDFStream) else None


def _render(stream: PDFStream, rsrcmgr: PDFResourceManager) -> str:
    bbox = [float(v) for v in (resolve1(stream.attrs.get("BBox")) or [0, 0, 1, 1])]
    resources = resolve1(stream.attrs.get("Resources")) or {}
    device = _Collector(rsrcmgr)
    interpreter = PDFPageInterpreter(rsrcmgr, device)
    box = _FormBox(bbox)
    ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    device.begin_page(box, ctm)  # type: ignore[arg-type]
    interpreter.render_contents(resources, [stream], ctm=ctm)
    device.end_page(box)  # type: ignore[arg-type]
    if device.result is None:
        return ""
    return _text_of(_chars(device.result))


def stamp_fields(pdf: Any) -> list[StampField]:
    """Text-bearing annotation appearances of an open pdfplumber `PDF`."""
    rsrcmgr = pdf.rsrcmgr
    fields: list[StampField] = []
    for number, page in enumerate(pdf.pages, start=1):
        annots = resolve1(page.page_obj.annots)
        if not isinstance(annots, list):
            continue
        x_org, y_org, _, y_top = (float(v) for v in page.page_obj.mediabox)
        for ref in annots:
            annot = resolve1(ref)
            if not isinstance(annot, dict):
                continue
            if _name(annot.get("Subtype")) in ("Link", "Popup"):
                continue
            try:
                flags = int(resolve1(annot.get("F")) or 0)
            except (TypeError, ValueError):
                flags = 0
            if flags & _HIDDEN:
                continue
            stream = _appearance(annot)
            text = ""
            if stream is not None:
                try:
                    text = _render(stream, rsrcmgr)
                except Exception:  # a broken appearance is not the document's text
                    text = ""
            if not text and _name(annot.get("FT")) == "Tx":
                value = resolve1(annot.get("V"))
                if isinstance(value, bytes):
                    text = _decode_pdf_string(value)
            if not text:
                continue
            rect = [float(resolve1(v)) for v in (resolve1(annot.get("Rect")) or [0, 0, 0, 0])]
            ax0, ay0, ax1, ay1 = min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])
            fields.append(
                StampField(
                    text=text,
                    page=number,
                    x0=ax0 - x_org,
                    top=y_top - ay1,
                    x1=ax1 - x_org,
                    bottom=y_top - ay0,
                    name=_decode_pdf_string(resolve1(annot.get("T"))) or None,
                )
            )
    return _in_reading_order(fields)


def _decode_pdf_string(value: Any) -> str:
    if not isinstance(value, bytes):
        return ""
    if value.startswith(b"\xfe\xff"):
        return value[2:].decode("utf-16-be", "replace")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1", "replace")


def _in_reading_order(fields: list[StampField]) -> list[StampField]:
    """Sort by page, then rows (fields overlapping vertically), then x."""
    out: list[StampField] = []
    for page in sorted({f.page for f in fields}):
        rows: list[list[StampField]] = []
        for f in sorted((f for f in fields if f.page == page), key=lambda f: f.top):
            if rows:
                r = rows[-1]
                top, bottom = min(g.top for g in r), max(g.bottom for g in r)
                overlap = min(bottom, f.bottom) - max(top, f.top)
                if overlap >= 0.5 * min(f.bottom - f.top, bottom - top):
                    r.append(f)
                    continue
            rows.append([f])
        for r in rows:
            out.extend(sorted(r, key=lambda f: f.x0))
    return out


def read_stamps(data: bytes) -> list[str]:
    """The stamp texts of a PDF, one string per field, in document order."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [f.text for f in stamp_fields(pdf)]
