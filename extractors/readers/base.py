"""What every reader returns: a `RawDocument`, a flat list of blocks in reading order.

A block is a paragraph (`kind="para"`) or a table row (`kind="row"`, with its
cells). Readers keep the words as the file has them; cleaning (NFC, Markdown
residue, rejoining wrapped lines) is `extractors.normalise`'s job. Readers do
not interpret content (no metadata, no structure) beyond marking table rows,
header cells and page numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass
class Block:
    """One paragraph or one table row, in reading order."""

    kind: Literal["para", "row"]
    text: str = ""
    cells: list[str] = field(default_factory=list)
    table: int | None = None  # index of the table a row belongs to (per document)
    page: int | None = None  # 1-based page the block starts on, where known
    header: bool = False  # a row of a table's header (column names)
    # For paras from formats that know their own paragraphs (docx, pdf),
    # `hard=True` says the block is a whole paragraph: normalise must not join
    # it with its neighbours. Plain text leaves this False.
    hard: bool = False

    @staticmethod
    def para(text: str, **kw: object) -> "Block":
        return Block("para", text=text, **kw)  # type: ignore[arg-type]

    @staticmethod
    def row(cells: list[str], **kw: object) -> "Block":
        return Block("row", cells=list(cells), **kw)  # type: ignore[arg-type]


@dataclass
class RawDocument:
    """A reader's result."""

    format: str  # "txt", "md", "docx", "doc", "pdf"
    blocks: list[Block]
    pages: int | None = None
    # Text found outside the text layer that still belongs to the document:
    # the appearance of PDF e-signature fields ("Số: 277/KH-UBND",
    # "ngày 14/07/2026", the signer's name). Metadata reads these.
    stamps: list[str] = field(default_factory=list)
    ocr: bool = False  # the text came from OCR
    warnings: list[str] = field(default_factory=list)
