"""Turn a reader's blocks into the one normalised `text` that every span indexes.

Each paragraph becomes one line of `text`; each table row becomes one line
whose cells are joined by ` | ` (the cell offsets are kept). Normalisation
here is: NFC, odd spaces made plain, wrapped lines of formats that do not
know their paragraphs rejoined, and item numbers glued to the end of the
previous item (`... tiến bộ 1.1.`, `... được duyệt.4. Tổ chức`) put back on
their own line. Tone marks stay as written (see `extractors.vntext` for
matching keys). No interpretation of content happens here.
"""
from __future__ import annotations

import re

from extractors.vntext import vn_compile
from dataclasses import dataclass, field

from extractors.labels import parse_label
from extractors.readers.base import Block, RawDocument
from extractors.readers.text import paragraphs_from_lines
from extractors.vntext import clean_spaces

CELL_SEP = " | "

_MULTI_SPACE = vn_compile(r"[ \t]+")
# `... được duyệt.4. Tổ chức`, `... phát triển; 2. Xây dựng`: a label glued after the end of a sentence
_GLUED_INSIDE = vn_compile(
    r"(?<=[\w\)”\"’])([.;])\s*(?P<label>(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2}){0,3})\.)\s+(?=[\p{Lu}][\p{Ll}])"
)
# `... tiến bộ 1.1.` at the very end of a paragraph: the next item's number
_GLUED_END = vn_compile(r"(?<=[\w\)”\"’.;:])\s+(?P<label>\d{1,2}(?:\.\d{1,2}){1,3}\.)\s*$")


@dataclass
class Line:
    """One line of the normalised text: a paragraph or a table row."""

    start: int
    end: int
    kind: str  # "para" or "row"
    cells: list[tuple[int, int]] = field(default_factory=list)  # spans of row cells
    table: int | None = None
    header: bool = False
    page: int | None = None


@dataclass
class Layout:
    text: str
    lines: list[Line]
    format: str
    pages: int | None
    stamps: list[str]
    ocr: bool = False

    def line_text(self, line: Line) -> str:
        return self.text[line.start : line.end]

    def cell_texts(self, line: Line) -> list[str]:
        return [self.text[a:b] for a, b in line.cells]


def _clean(s: str) -> str:
    s = clean_spaces(s).replace("\n", " ").replace("\t", " ")
    return (_MULTI_SPACE.sub(" ", s) if "  " in s else s).strip()


def _split_glued(par: str) -> list[str]:
    """Split a paragraph where the next item's number was glued onto it."""
    out: list[str] = []
    rest = par
    while True:
        m = _GLUED_INSIDE.search(rest, 8)
        if not m:
            break
        out.append(rest[: m.start() + 1].strip())
        rest = rest[m.start("label") :]
    out.append(rest)
    final: list[str] = []
    for p in out:
        m = _GLUED_END.search(p)
        if m and m.start() > 8:
            final.append(p[: m.start()].rstrip())
            final.append(m.group("label"))
        else:
            final.append(p)
    return final


def _merge_lone_labels(paras: list[Block]) -> list[Block]:
    """A paragraph that is only a label (`Điều 1.`, `1.1.`) joins the next one."""
    out: list[Block] = []
    carry: Block | None = None
    for b in paras:
        if carry is not None and b.kind == "para":
            b = Block.para(carry.text + " " + b.text, page=carry.page, hard=b.hard)
            carry = None
        elif carry is not None:
            out.append(carry)
            carry = None
        if b.kind == "para":
            lab = parse_label(b.text)
            if lab is not None and lab.kind not in ("appendix", "part") and len(b.text.strip()) == len(lab.text):
                carry = b
                continue
        out.append(b)
    if carry is not None:
        out.append(carry)
    return out


def normalise(raw: RawDocument) -> Layout:
    blocks: list[Block] = []
    soft: list[Block] = []

    def flush_soft() -> None:
        if not soft:
            return
        joined = paragraphs_from_lines([b.text for b in soft])
        for b in joined:
            b.page = soft[0].page
        blocks.extend(joined)
        soft.clear()

    for b in raw.blocks:
        if b.kind == "para" and not b.hard and raw.format not in ("txt", "md"):
            soft.append(b)
            continue
        flush_soft()
        blocks.append(b)
    flush_soft()

    paras: list[Block] = []
    for b in blocks:
        if b.kind == "row":
            cells = [_clean(c) for c in b.cells]
            if any(cells):
                paras.append(Block.row(cells, table=b.table, page=b.page, header=b.header))
            continue
        text = _clean(b.text)
        if not text:
            continue
        for piece in _split_glued(text):
            if piece:
                paras.append(Block.para(piece, page=b.page, hard=b.hard))
    paras = _merge_lone_labels(paras)

    parts: list[str] = []
    lines: list[Line] = []
    pos = 0
    for b in paras:
        if b.kind == "row":
            spans: list[tuple[int, int]] = []
            row_parts: list[str] = []
            cpos = pos
            for k, c in enumerate(b.cells):
                if k:
                    cpos += len(CELL_SEP)
                spans.append((cpos, cpos + len(c)))
                row_parts.append(c)
                cpos += len(c)
            s = CELL_SEP.join(row_parts)
            lines.append(Line(pos, pos + len(s), "row", spans, b.table, b.header, b.page))
        else:
            s = b.text
            lines.append(Line(pos, pos + len(s), "para", page=b.page))
        parts.append(s)
        pos += len(s) + 1
    text = "\n".join(parts)
    return Layout(text=text, lines=lines, format=raw.format, pages=raw.pages, stamps=list(raw.stamps), ocr=raw.ocr)
