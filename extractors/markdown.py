"""Remove Markdown residue from one line of text converted from Word or a web page.

Handles emphasis markers (`**3\\.**`, `*Đơn vị chủ trì: *`), heading hashes,
backslash escapes, list markers written as `*   `, and horizontal rules.
It works line by line and knows nothing about paragraphs or tables (see
`extractors.readers.text`).
"""
from __future__ import annotations

import re

_RULE = re.compile(r"^\s*(?:[-_*=]\s*){3,}$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_LIST_STAR = re.compile(r"^(\s*)\*(\s{2,}|\t)(?=\S)")
_EMPH_OPEN = re.compile(r"(?<![\w*])(\*{1,3}|_{2,3})(?=\S)")
_EMPH_CLOSE = re.compile(r"(?<=\S)(\*{1,3}|_{2,3})(?![\w*])")
_STRAY_STARS = re.compile(r"\*{2,}")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")


def is_rule(line: str) -> bool:
    """A horizontal rule (`---`, `***`, `-----`) or a decorative dash line."""
    return bool(_RULE.match(line))


def bold_balance(line: str) -> int:
    """Parity of `**` markers in a raw line: 1 when a bold span stays open."""
    return line.count("**") % 2


def is_all_bold(line: str) -> bool:
    s = line.strip()
    return len(s) > 4 and s.startswith("**") and s.endswith("**") and s.count("**") == 2


_MARKDOWN_CHARS = re.compile(r"[*#\\_]|^\s*(?:[-=]\s*){3,}$")


def clean_line(line: str) -> str:
    """One line with its Markdown markers removed; list stars become `- `."""
    s = line.replace("\u00a0", " ")
    if not _MARKDOWN_CHARS.search(s):
        s = s.replace("\t", " ")
        return (_SPACES.sub(" ", s) if "  " in s or "\u2007" in s or "\u202f" in s else s).strip()
    if is_rule(s):
        return ""
    s = _HEADING.sub("", s.strip())
    s = _LIST_STAR.sub(r"\1- ", s)
    s = _ESCAPE.sub(r"\1", s)
    # `*** Lưu ý:**` style: markers around the start of a line
    s = _EMPH_OPEN.sub("", s)
    s = _EMPH_CLOSE.sub("", s)
    s = _STRAY_STARS.sub("", s)
    s = _SPACES.sub(" ", s)
    # `*Đơn vị chủ trì: *` leaves `Đơn vị chủ trì: ` -> strip
    return s.strip()
