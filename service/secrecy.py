"""Whether a document's header marks it secret (`MẬT`, `TỐI MẬT`, `TUYỆT MẬT`).

The confidentiality stamp is a line (or a header-table cell) of its own
before the document type line; a `mật` inside the body (`trừ văn bản mật`)
does not count. Read from the extraction's normalised text. Nothing else.
"""
from __future__ import annotations

import re

from models import Extraction

_STAMP = re.compile(r"^(?:ĐỘ MẬT:?\s*)?(?:TỐI |TUYỆT )?MẬT$")
_HEADER_LINES = 25


def is_secret(extraction: Extraction) -> bool:
    """True when the header carries a secrecy stamp."""
    lines = extraction.text.splitlines()[:_HEADER_LINES]
    stop = (extraction.document.doc_type or "").upper()
    for line in lines:
        for cell in line.split("|"):
            c = " ".join(re.sub(r"[-_=*#>`]+", " ", cell).split()).upper()
            if _STAMP.match(c):
                return True
        if stop and line.strip().upper().startswith(stop) and len(line.strip()) < 80:
            break
    return False
