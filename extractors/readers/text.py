"""Reader for `.txt` and `.md` files: decoding, tables, and paragraphs from lines.

Text converted from Word or web pages comes in three shapes, often mixed:
one paragraph per line, paragraphs hard-wrapped at a fixed width, and tables
written either as Markdown rows (`| a | b |`) or one cell per line between
lone `|` lines. This module decodes the bytes (legacy TCVN3/VNI text is
converted), turns table regions into row blocks and rejoins wrapped lines
into paragraphs. Markdown residue is removed by `extractors.markdown`.
It does not interpret content.
"""
from __future__ import annotations

import re

from extractors.vntext import vn_compile

from extractors.errors import ReadError
from extractors.markdown import bold_balance, clean_line, is_all_bold, is_rule
from extractors.readers.base import Block, RawDocument
from extractors.labels import starts_with_label
from extractors.vntext import is_upper

_TERMINAL = vn_compile(r"[.;:!?…]\s*[\"”’)]*\s*$|\./\.\s*$")
_MD_ROW = vn_compile(r"^\s*\|.*\|\s*$")
_MD_SEPARATOR = vn_compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_LOWER_START = vn_compile(r"^[\p{Ll}(,]")


def decode(data: bytes, filename: str) -> tuple[str, str | None]:
    """Text of a file's bytes and the legacy encoding converted from, if any."""
    sample = data[:65536]
    if b"\x00" in sample and not (sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        raise ReadError(filename, "binary content, not text (NUL bytes found)")
    try:
        from extractors.legacy_encoding import decode_text_bytes
    except ImportError:  # pragma: no cover - legacy support is part of the package
        decode_text_bytes = None
    if decode_text_bytes is not None:
        text, legacy = decode_text_bytes(data)
    else:
        text, legacy = data.decode("utf-8", errors="replace"), None
    controls = len(_CONTROL.findall(text, 0, 65536))
    if controls > max(8, len(text[:65536]) // 100):
        raise ReadError(filename, "binary content, not text (control characters found)")
    if not text.strip():
        raise ReadError(filename, "no text in the file (only white space)")
    return text, legacy


def read_text(data: bytes, filename: str, fmt: str = "txt") -> RawDocument:
    text, legacy = decode(data, filename)
    blocks = blocks_from_text(text)
    if not blocks:
        raise ReadError(filename, "no text in the file")
    warnings = [f"converted from legacy encoding {legacy}"] if legacy else []
    return RawDocument(format=fmt, blocks=blocks, warnings=warnings)


def blocks_from_text(text: str) -> list[Block]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    blocks: list[Block] = []
    pending: list[str] = []  # raw lines outside tables
    table_index = 0
    i = 0
    n = len(lines)
    while i < n:
        stripped = lines[i].strip()
        if stripped == "|" and _looks_like_pipe_region(lines, i):
            first_cell: list[str] = []
            if not blocks and pending and pending[-1].strip():
                # a table at the very start whose first cell precedes the first bar
                k = len(pending)
                while k > 0 and pending[k - 1].strip():
                    k -= 1
                first_cell, pending = pending[k:], pending[:k]
            blocks.extend(paragraphs_from_lines(pending))
            pending = []
            j, rows = _pipe_region(lines, i, first_cell)
            blocks.extend(Block.row(r, table=table_index) for r in rows)
            table_index += 1
            i = j
            continue
        if _MD_ROW.match(lines[i]) and lines[i].count("|") >= 3:
            blocks.extend(paragraphs_from_lines(pending))
            pending = []
            j = i
            rows: list[list[str]] = []
            header_done = False
            while j < n and _MD_ROW.match(lines[j]) and lines[j].count("|") >= 2:
                if _MD_SEPARATOR.match(lines[j]):
                    header_done = True
                    j += 1
                    continue
                cells = [clean_line(c) for c in lines[j].strip().strip("|").split("|")]
                rows.append(cells)
                j += 1
            for k, cells in enumerate(rows):
                hdr = header_done and k == 0 and len(rows) > 1
                if any(cells):
                    blocks.append(Block.row(cells, table=table_index, header=hdr))
            table_index += 1
            i = j
            continue
        pending.append(lines[i])
        i += 1
    blocks.extend(paragraphs_from_lines(pending))
    return blocks


def _looks_like_pipe_region(lines: list[str], i: int) -> bool:
    """A lone `|` line that opens a one-cell-per-line table (another lone `|` soon)."""
    for k in range(i + 1, min(i + 40, len(lines))):
        s = lines[k].strip()
        if s == "|":
            return True
        if not s and k + 1 < len(lines) and not lines[k + 1].strip():
            return False
    return False


def _pipe_region(lines: list[str], i: int, first_cell: list[str] | None = None) -> tuple[int, list[list[str]]]:
    """Parse a one-cell-per-line table from the `|` at lines[i]; returns (next index, rows).

    Cells are the line groups between lone `|` lines; two `|` lines in a row
    close a table row and open the next. A blank line after a closing `|`
    ends the table.
    """
    rows: list[list[str]] = []
    row: list[str] = [_join_cell(first_cell)] if first_cell else []
    cell: list[str] = []
    j = i + 1
    n = len(lines)
    prev_pipe = True
    ncols = 0  # cells in the first complete row
    while j < n:
        s = lines[j].strip()
        if s != "|" and prev_pipe and ncols and len(row) >= ncols and not cell:
            # the row is complete and text follows a closing bar: the table is over
            break
        if s == "|":
            if prev_pipe:
                # `|` right after `|`: row boundary (an empty segment)
                if row:
                    rows.append(row)
                    ncols = ncols or len(row)
                row = []
            else:
                row.append(_join_cell(cell))
                cell = []
            prev_pipe = True
            j += 1
            continue
        if not s:
            if prev_pipe:
                # blank after a closing bar: table is over
                break
            # a blank line inside a cell: keep going
            j += 1
            continue
        cell.append(lines[j])
        prev_pipe = False
        j += 1
    if cell:
        row.append(_join_cell(cell))
    if row:
        rows.append(row)
    return j, [r for r in rows if any(c.strip() for c in r)]


def _join_cell(raw: list[str]) -> str:
    parts: list[str] = []
    for line in raw:
        c = clean_line(line)
        if c and not is_rule(c):
            parts.append(c)
    return " ".join(parts).strip()


def paragraphs_from_lines(raw_lines: list[str]) -> list[Block]:
    """Rejoin hard-wrapped lines into paragraph blocks.

    A new paragraph starts after a blank line, at a numbering label or
    bullet, after a line ending in terminal punctuation, and around whole-line
    bold or upper-case headings; a Markdown bold span left open continues on
    the next line.
    """
    items: list[tuple[str, str]] = []  # (raw, cleaned); ("", "") marks a blank line
    for raw in raw_lines:
        if not raw.strip() or is_rule(raw.strip()):
            items.append(("", ""))
            continue
        cleaned = clean_line(raw)
        if not cleaned:
            items.append(("", ""))
            continue
        items.append((raw, cleaned))
    wrapped = _is_wrapped(items)
    paras: list[str] = []
    current: list[str] = []
    open_bold = 0
    prev_raw = ""
    for raw, cleaned in items:
        if not cleaned:
            if current and not open_bold:
                paras.append(" ".join(current))
                current = []
            continue
        if current and not _continues(prev_raw, current[-1], raw, cleaned, open_bold, wrapped):
            paras.append(" ".join(current))
            current = []
            open_bold = 0
        current.append(cleaned)
        open_bold = (open_bold + bold_balance(raw)) % 2
        prev_raw = raw
    if current:
        paras.append(" ".join(current))
    return [Block.para(p) for p in paras if p.strip()]


def _is_upper(s: str) -> bool:
    return is_upper(s, ratio=1.0, min_letters=3)


def _continues(prev_raw: str, prev: str, raw: str, cur: str, open_bold: int, wrapped: bool) -> bool:
    if open_bold:
        return True
    if starts_with_label(cur):
        return False
    if is_all_bold(prev_raw) or is_all_bold(raw):
        return False
    prev_up, cur_up = _is_upper(prev), _is_upper(cur)
    if prev_up != cur_up and len(prev) > 3:
        return False
    if _LOWER_START.match(cur) and not re.search(r"\.[\"”’)]*\s*$", prev):
        return True
    if _TERMINAL.search(prev):
        return False
    if prev_up and cur_up:
        return wrapped or len(prev) > 30
    return wrapped


def _is_wrapped(items: list[tuple[str, str]]) -> bool:
    """Is this text hard-wrapped at a fixed width (rather than a paragraph per line)?"""
    candidates = 0
    wrapped = 0
    for k in range(len(items) - 1):
        cur = items[k][1]
        nxt = items[k + 1][1]
        if not cur or len(cur) < 25 or _is_upper(cur):
            continue
        candidates += 1
        # a wrapped line runs on into a next line that continues its sentence (lower case or a number)
        if nxt and not _TERMINAL.search(cur) and not starts_with_label(nxt) and (_LOWER_START.match(nxt) or nxt[:1].isdigit()):
            wrapped += 1
    return candidates >= 5 and wrapped / candidates > 0.3
