"""Look up what a Word paragraph or run inherits from its styles (styles.xml).

A property can be set on the run, on its character style, on the paragraph
style (following `w:basedOn`) or in the document defaults. This module
answers the few questions the DOCX reader asks: is a run bold, upper-case
(`w:caps`), hidden (`w:vanish`), which font does it use (for legacy
Vietnamese fonts), and which list numbering (`w:numPr`) a paragraph style
carries. It does not read table styles, themes or conditional formatting.
"""
from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

_FALSE = {"0", "false", "off", "none"}
W_VAL = qn("w:val")


def on(el: Any) -> bool:
    """The value of an OOXML on/off element (present without w:val means on)."""
    if el is None:
        return False
    val = el.get(W_VAL)
    return val is None or val.lower() not in _FALSE


class StyleSheet:
    """The styles of one document, indexed by style id."""

    def __init__(self, styles_el: Any | None) -> None:
        self.by_id: dict[str, Any] = {}
        self.default_para: str | None = None
        self.default_rpr: Any | None = None
        if styles_el is None:
            return
        for st in styles_el.iterchildren(qn("w:style")):
            sid = st.get(qn("w:styleId"))
            if sid is None:
                continue
            self.by_id.setdefault(sid, st)
            if st.get(qn("w:type")) == "paragraph" and st.get(qn("w:default")) in ("1", "true", "on"):
                self.default_para = self.default_para or sid
        defaults = styles_el.find(qn("w:docDefaults"))
        if defaults is not None:
            self.default_rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")

    def chain(self, style_id: str | None) -> list[Any]:
        """The style and those it is based on, nearest first (cycle-safe)."""
        out: list[Any] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and len(out) < 32:
            seen.add(style_id)
            st = self.by_id.get(style_id)
            if st is None:
                break
            out.append(st)
            based = st.find(qn("w:basedOn"))
            style_id = based.get(W_VAL) if based is not None else None
        return out

    def para_style(self, p: Any) -> str | None:
        ppr = p.find(qn("w:pPr"))
        pst = ppr.find(qn("w:pStyle")) if ppr is not None else None
        if pst is not None and pst.get(W_VAL):
            return pst.get(W_VAL)
        return self.default_para

    def run_property(self, r: Any, para_style: str | None, tag: str) -> Any | None:
        """The element `tag` (e.g. "w:b") that applies to run `r`, or None."""
        name = qn(tag)
        rpr = r.find(qn("w:rPr"))
        if rpr is not None:
            el = rpr.find(name)
            if el is not None:
                return el
            rst = rpr.find(qn("w:rStyle"))
            if rst is not None:
                for st in self.chain(rst.get(W_VAL)):
                    el = _in_rpr(st, name)
                    if el is not None:
                        return el
        for st in self.chain(para_style):
            el = _in_rpr(st, name)
            if el is not None:
                return el
        if self.default_rpr is not None:
            return self.default_rpr.find(name)
        return None

    def run_font(self, r: Any, para_style: str | None) -> str:
        """The Latin font name a run is drawn with ("" if only theme fonts are known)."""
        el = self.run_property(r, para_style, "w:rFonts")
        if el is None:
            return ""
        return el.get(qn("w:hAnsi")) or el.get(qn("w:ascii")) or ""

    def style_numpr(self, style_id: str | None) -> tuple[str | None, str | None, str | None]:
        """(numId, ilvl, id of the style that set numId) from a paragraph style chain."""
        num_id: str | None = None
        ilvl: str | None = None
        owner: str | None = None
        for st in self.chain(style_id):
            ppr = st.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if numpr is None:
                continue
            nid = numpr.find(qn("w:numId"))
            lvl = numpr.find(qn("w:ilvl"))
            if num_id is None and nid is not None:
                num_id = nid.get(W_VAL)
                owner = st.get(qn("w:styleId"))
            if ilvl is None and lvl is not None:
                ilvl = lvl.get(W_VAL)
        return num_id, ilvl, owner


def _in_rpr(style: Any, name: str) -> Any | None:
    rpr = style.find(qn("w:rPr"))
    return rpr.find(name) if rpr is not None else None
