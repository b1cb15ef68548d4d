"""Read a Word 2007+ file (.docx, also .docm/.dotx) into blocks, in reading order.

What it reads: the body's paragraphs and tables in document order (including
content controls and tracked insertions; not tracked deletions, hidden text or
field codes), Word's automatic list numbers as the reader sees them
(`docx_numbering`), `w:caps` as capitals, text boxes (after the paragraph that
anchors them), and runs typed in legacy Vietnamese fonts (".VnTime" = TCVN3,
"VNI-Times" = VNI) converted to Unicode; a document whose text as a whole is
TCVN3/VNI mojibake is converted too. Tabs become spaces. A soft line break is
a space, unless the paragraph is clearly a list of lines (every line after the
first starts with a list mark, or a blank line sits inside it): then each line
is its own paragraph.

Tables: layout tables (heading and signature blocks) become paragraphs, left
column then right; data tables become row blocks (`docx_tables`). Nested
tables are flattened into their cell's text.

Not read: page headers and footers, footnotes, endnotes, comments, embedded
objects and `altChunk` imports (a warning says so). Safety: the ZIP is
checked before anything is decompressed (`zipguard`), and every failure is a
one-line `ReadError`.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any, Iterator

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from extractors.errors import ReadError
from extractors.legacy_encoding import detect_legacy, has_unicode_vietnamese, to_unicode
from extractors.readers.base import Block, RawDocument
from extractors.readers.docx_numbering import Numbering
from extractors.readers.docx_styles import StyleSheet, on
from extractors.readers.docx_tables import Cell, Row, data_blocks, is_layout_table, layout_blocks
from extractors.readers.zipguard import open_zip

__all__ = ["read_docx"]

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"

P, R, T, TBL, TR, TC = (qn(t) for t in ("w:p", "w:r", "w:t", "w:tbl", "w:tr", "w:tc"))
SDT, SDT_CONTENT, CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
TXBX = qn("w:txbxContent")
ALT, CHOICE, FALLBACK = f"{{{_MC}}}AlternateContent", f"{{{_MC}}}Choice", f"{{{_MC}}}Fallback"
OMATH, OMATH_PARA, MATH_T = f"{{{_MATH}}}oMath", f"{{{_MATH}}}oMathPara", f"{{{_MATH}}}t"
_INLINE_CONTAINERS = {qn(t) for t in ("w:hyperlink", "w:ins", "w:smartTag", "w:customXml", "w:fldSimple", "w:dir", "w:bdo", "w:moveTo")}
_BREAKS = {qn("w:br"), qn("w:cr")}
_SPACES = {qn("w:tab"), qn("w:ptab")}

_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_LIST_MARK = re.compile(
    r"^\s*(?:[-+•*–—]|\(?\d+(?:\.\d+)*[.)]|\(?[a-zđ][.)]|\(?[IVXLC]{1,6}[.)]|\(\d+\)|Điều\s+\d|Chương\s+[IVXLC\d]|Mục\s+\d|Phần\s+[IVXLC\d])",
)


@dataclass
class _Piece:
    text: str
    legacy: str | None = None  # "tcvn3" / "vni" when typed in a legacy font
    upper: bool = False  # drawn in capitals (w:caps, or an upper-case legacy font)
    bold: bool = False


def _legacy_font(font: str) -> tuple[str | None, bool]:
    """The legacy encoding of a font name and whether it is an all-capitals font."""
    name = font.strip()
    low = name.lower()
    if low.startswith(".vn"):
        return "tcvn3", name.endswith("H")
    if low.startswith("vni-") or low.startswith("vni "):
        return "vni", False
    return None, False


class _Reader:
    """One pass over a document's body, keeping list counters and warnings."""

    def __init__(self, document: Any) -> None:
        part = document.part
        self.styles = StyleSheet(_related_element(part, RT.STYLES))
        self.numbering = Numbering(_related_element(part, RT.NUMBERING), self.styles)
        self.body = document.element.body
        self.warnings: list[str] = []
        self.legacy_runs: set[str] = set()
        self.tables = 0
        self.seen_body_text = False
        # A document typed in a legacy encoding but with ordinary font names
        # (converted or re-styled files): decided once, on all of its text.
        sample = "\n".join("".join(t.text or "" for t in p.iter(T)) for p in self.body.iter(P))
        self.legacy_default = detect_legacy(sample)
        if self.legacy_default:
            self.warnings.append(f"text in legacy {self.legacy_default.upper()} encoding converted to Unicode")

    # ------------------------------------------------------------ blocks
    def read(self) -> list[Block]:
        blocks = list(self._blocks(self.body))
        for enc in sorted(self.legacy_runs):
            self.warnings.append(f"text typed in legacy {enc.upper()} fonts converted to Unicode")
        return blocks

    def _children(self, container: Any) -> Iterator[Any]:
        """Block-level children, looking through content controls and custom XML."""
        for child in container:
            if child.tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    yield from self._children(content)
            elif child.tag == CUSTOM_XML:
                yield from self._children(child)
            elif child.tag == ALT:
                chosen = _choose(child)
                if chosen is not None:
                    yield from self._children(chosen)
            else:
                yield child

    def _blocks(self, container: Any) -> Iterator[Block]:
        for child in self._children(container):
            if child.tag == P:
                yield from self._paragraph_blocks(child)
            elif child.tag == TBL:
                yield from self._table_blocks(child)
            elif child.tag == qn("w:altChunk"):
                self._warn("embedded document (altChunk) not read")

    def _paragraph_blocks(self, p: Any) -> Iterator[Block]:
        text, boxes, _ = self._paragraph(p)
        for line in _split_lines(text):
            self.seen_body_text = self.seen_body_text or len(line) > 30
            yield Block.para(line, hard=True)
        for box in boxes:
            yield from self._blocks(box)

    def _table_blocks(self, tbl: Any) -> list[Block]:
        rows = self._rows(tbl)
        if is_layout_table(rows, before_body=not self.seen_body_text):
            return layout_blocks(rows)
        blocks = data_blocks(rows, self.tables)
        if blocks:
            self.tables += 1
            self.seen_body_text = True
        return blocks

    # ------------------------------------------------------------ tables
    def _rows(self, tbl: Any) -> list[Row]:
        rows: list[Row] = []
        for tr in self._children(tbl):
            if tr.tag != TR:
                continue
            trpr = tr.find(qn("w:trPr"))
            before = _int_val(trpr.find(qn("w:gridBefore")) if trpr is not None else None, 0)
            header = trpr is not None and on(trpr.find(qn("w:tblHeader")))
            cells: list[Cell] = []
            col = before
            for tc in self._children(tr):
                if tc.tag != TC:
                    continue
                tcpr = tc.find(qn("w:tcPr"))
                span = max(1, _int_val(tcpr.find(qn("w:gridSpan")) if tcpr is not None else None, 1))
                vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                hmerge = tcpr.find(qn("w:hMerge")) if tcpr is not None else None
                vcont = vmerge is not None and (vmerge.get(qn("w:val")) or "continue") == "continue"
                lines, bold = self._cell_lines(tc)
                if hmerge is not None and (hmerge.get(qn("w:val")) or "continue") == "continue" and cells:
                    # legacy horizontal merge: this cell is part of the previous one
                    cells[-1].lines.extend(lines)
                    cells[-1].span += span
                    col += span
                    continue
                cells.append(Cell(lines=[] if vcont else lines, span=span, col=col, vcont=vcont,
                                  vstart=vmerge is not None and not vcont, bold=bold))
                col += span
            rows.append(Row(cells=cells, header=header, before=before))
        return rows

    def _cell_lines(self, tc: Any) -> tuple[list[str], bool]:
        """Lines of a cell: its paragraphs (split at line breaks), nested tables flattened."""
        lines: list[str] = []
        bold_all = True
        for child in self._children(tc):
            if child.tag == P:
                text, boxes, bold = self._paragraph(child)
                if text.strip():
                    bold_all = bold_all and bold
                lines.extend(seg.strip() for seg in text.split("\n") if seg.strip())
                for box in boxes:
                    lines.extend(b.text if b.kind == "para" else " ".join(c for c in b.cells if c) for b in self._blocks(box))
            elif child.tag == TBL:
                for row in self._rows(child):
                    texts = [c.text for c in row.cells if c.text]
                    if texts:
                        lines.append(" ".join(texts))
        return lines, bold_all and bool(lines)

    # ------------------------------------------------------------ paragraphs
    def _paragraph(self, p: Any) -> tuple[str, list[Any], bool]:
        """(text with "\\n" at line breaks, text boxes anchored in it, all bold?)."""
        label = self.numbering.label(p)
        pieces: list[_Piece] = []
        boxes: list[Any] = []
        self._inline(p, self.styles.para_style(p), pieces, boxes)
        text = self._assemble(pieces)
        bold = all(pc.bold for pc in pieces if pc.text.strip()) and any(pc.text.strip() for pc in pieces)
        if label and text.strip():
            text = label + text.lstrip(" ")
        return text, boxes, bold

    def _inline(self, el: Any, pstyle: str | None, out: list[_Piece], boxes: list[Any]) -> None:
        for child in el:
            tag = child.tag
            if tag == R:
                self._run(child, pstyle, out, boxes)
            elif tag in _INLINE_CONTAINERS:
                self._inline(child, pstyle, out, boxes)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self._inline(content, pstyle, out, boxes)
            elif tag == ALT:
                chosen = _choose(child)
                if chosen is not None:
                    self._inline(chosen, pstyle, out, boxes)
            elif tag in (OMATH, OMATH_PARA):
                out.append(_Piece("".join(t.text or "" for t in child.iter(MATH_T))))

    def _run(self, r: Any, pstyle: str | None, out: list[_Piece], boxes: list[Any]) -> None:
        styles = self.styles
        if on(styles.run_property(r, pstyle, "w:vanish")):
            return
        legacy, upper_font = _legacy_font(styles.run_font(r, pstyle))
        caps = on(styles.run_property(r, pstyle, "w:caps"))
        bold = on(styles.run_property(r, pstyle, "w:b"))
        buf: list[str] = []
        for c in r:
            tag = c.tag
            if tag == T:
                buf.append(c.text or "")
            elif tag in _SPACES:
                buf.append(" ")
            elif tag in _BREAKS:
                buf.append(" " if c.get(qn("w:type")) in ("page", "column") else "\n")
            elif tag == qn("w:noBreakHyphen"):
                buf.append("-")
            elif tag == qn("w:softHyphen"):
                # TCVN3 writes "ư" with the soft-hyphen code; elsewhere it is invisible
                buf.append("\xad" if legacy or self.legacy_default == "tcvn3" else "")
            elif tag == qn("w:sym"):
                buf.append(_symbol(c))
            elif tag in (qn("w:drawing"), qn("w:pict"), qn("w:object"), ALT):
                _find_boxes(c, boxes)
        if buf:
            if legacy:
                self.legacy_runs.add(legacy)
            out.append(_Piece("".join(buf), legacy, caps or upper_font, bold))

    def _assemble(self, pieces: list[_Piece]) -> str:
        out: list[str] = []
        i = 0
        while i < len(pieces):
            j = i
            while j + 1 < len(pieces) and (pieces[j + 1].legacy, pieces[j + 1].upper) == (pieces[i].legacy, pieces[i].upper):
                j += 1
            text = "".join(pc.text for pc in pieces[i : j + 1])
            legacy = pieces[i].legacy
            if legacy is None and self.legacy_default and not has_unicode_vietnamese(text):
                legacy = self.legacy_default
            if legacy:
                text = to_unicode(text, legacy)
            if pieces[i].upper:
                text = text.upper()
            out.append(text)
            i = j + 1
        return "".join(out).replace("\xad", "")

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


# ---------------------------------------------------------------- helpers
def _choose(alt: Any) -> Any | None:
    """The branch of an mc:AlternateContent to read: the first Choice, else the Fallback."""
    choice = alt.find(CHOICE)
    return choice if choice is not None else alt.find(FALLBACK)


def _find_boxes(el: Any, boxes: list[Any]) -> None:
    """Text boxes under a drawing, once (a Choice and its Fallback hold the same box)."""
    if el.tag == ALT:
        chosen = _choose(el)
        if chosen is not None:
            _find_boxes(chosen, boxes)
        return
    for child in el:
        if child.tag == TXBX:
            boxes.append(child)
        elif child.tag == ALT:
            chosen = _choose(child)
            if chosen is not None:
                _find_boxes(chosen, boxes)
        else:
            _find_boxes(child, boxes)


def _symbol(sym: Any) -> str:
    """A w:sym character: private-use symbol-font codes map to their low byte when printable."""
    code = sym.get(qn("w:char")) or ""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF:
        value -= 0xF000
    if value in (0xB7, 0xA7, 0xD8, 0x6C, 0x6E, 0xFC, 0x76):  # Symbol/Wingdings bullets and ticks
        return "-"
    return chr(value) if 0x20 <= value < 0x7F else ""


def _int_val(el: Any | None, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(qn("w:val")))
    except (TypeError, ValueError):
        return default


def _related_element(part: Any, reltype: str) -> Any | None:
    """The root element of a part related to the document part, or None."""
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            target = rel.target_part
            element = getattr(target, "element", None)
            if element is None:
                blob = getattr(target, "blob", None)
                if blob:
                    element = etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
            return element
    return None


def _split_lines(text: str) -> list[str]:
    """A paragraph's lines: one line, or several when it is clearly a list of lines."""
    if "\n" not in text:
        return [text.strip()] if text.strip() else []
    segments = [seg.strip() for seg in text.split("\n")]
    while segments and not segments[0]:
        segments.pop(0)
    while segments and not segments[-1]:
        segments.pop()
    if not segments:
        return []
    non_empty = [s for s in segments if s]
    blank_inside = len(non_empty) < len(segments)
    if len(non_empty) > 1 and (blank_inside or all(_LIST_MARK.match(s) for s in non_empty[1:])):
        return non_empty
    return [" ".join(non_empty)]


def _check_word_zip(zf: zipfile.ZipFile, filename: str) -> str:
    """The content type of the main part; ReadError if the ZIP is not a Word document."""
    names = set(zf.namelist())
    if "[Content_Types].xml" not in names:
        if "mimetype" in names and b"opendocument.text" in zf.read("mimetype")[:200]:
            raise ReadError(filename, "an OpenDocument text (.odt), not a Word document: save it as .docx", kind="unsupported")
        raise ReadError(filename, "a ZIP file but not a Word document (no word/document.xml)")
    types = zf.read("[Content_Types].xml").decode("utf-8", errors="replace")
    for ct in _MAIN_TYPES:
        m = re.search(r'PartName="/?([^"]+)"\s+ContentType="' + re.escape(ct) + '"', types) or re.search(
            r'ContentType="' + re.escape(ct) + r'"\s+PartName="/?([^"]+)"', types
        )
        if m:
            if m.group(1) not in names:
                raise ReadError(filename, f"corrupt Word document: its main part {m.group(1)} is missing")
            return ct
    if "spreadsheetml" in types:
        raise ReadError(filename, "an Excel workbook, not a Word document", kind="unsupported")
    if "presentationml" in types:
        raise ReadError(filename, "a PowerPoint presentation, not a Word document", kind="unsupported")
    raise ReadError(filename, "a ZIP file but not a Word document (no word/document.xml)")


def _as_plain_document(zf: zipfile.ZipFile, data: bytes, main_type: str) -> bytes:
    """Re-label a macro-enabled document or a template as a plain document, which python-docx opens."""
    if main_type == _MAIN_TYPES[0]:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in zf.infolist():
            blob = zf.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(main_type.encode(), _MAIN_TYPES[0].encode())
            dst.writestr(info, blob)
    return out.getvalue()


def read_docx(data: bytes, filename: str, *, fmt: str = "docx") -> RawDocument:
    """Read a .docx (or .docm/.dotx) file; ReadError with a one-line reason if it cannot be read."""
    zf = open_zip(data, filename, "DOCX")
    try:
        main_type = _check_word_zip(zf, filename)
        data = _as_plain_document(zf, data, main_type)
        document = docx.Document(io.BytesIO(data))
        reader = _Reader(document)
        blocks = reader.read()
    except ReadError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ReadError(filename, f"corrupt Word document: damaged ZIP data ({_short(exc)})") from None
    except etree.LxmlError as exc:
        raise ReadError(filename, f"corrupt Word document: malformed XML ({_short(exc)})") from None
    except (KeyError, ValueError, AttributeError, TypeError, IndexError, OSError, NotImplementedError, RecursionError) as exc:
        raise ReadError(filename, f"corrupt Word document: {_short(exc)}") from None
    warnings = reader.warnings
    if not blocks:
        warnings.append("no text found in the Word document")
    return RawDocument(format=fmt, blocks=blocks, warnings=warnings)


def _short(exc: BaseException) -> str:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return first[:160]
