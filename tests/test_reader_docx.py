"""Word readers (.docx, .doc via LibreOffice) on the real corpus files and on small built documents."""
from __future__ import annotations

import io
import shutil
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from extractors.errors import ReadError
from extractors.legacy_encoding import from_unicode
from extractors.readers import read
from extractors.readers.base import RawDocument
from extractors.readers.doc import read_doc
from extractors.readers.docx import read_docx

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
KH16 = CORPUS / "docs" / "kh-16-khmttq-luongminh-bau-cu.docx"
HIEPTHUONG = CORPUS / "extra" / "kh-hiepthuong-luongminh.docx"
TIEPCONGDAN = CORPUS / "extra" / "kh-tiepcongdan-luongminh.docx"
NQ99_DOC = CORPUS / "extra" / "nq99-hdnd-quangninh.doc"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def paras(doc: RawDocument) -> list[str]:
    return [b.text for b in doc.blocks if b.kind == "para"]


@pytest.fixture(scope="module")
def kh16() -> RawDocument:
    return read(KH16.read_bytes(), KH16.name)


@pytest.fixture(scope="module")
def hiepthuong() -> RawDocument:
    return read(HIEPTHUONG.read_bytes(), HIEPTHUONG.name)


@pytest.fixture(scope="module")
def tiepcongdan() -> RawDocument:
    return read(TIEPCONGDAN.read_bytes(), TIEPCONGDAN.name)


# ----------------------------------------------------------------- real files
def test_heading_table_reads_left_column_then_right(kh16: RawDocument) -> None:
    assert kh16.format == "docx"
    assert paras(kh16)[:8] == [
        "ỦY BAN MTTQ VIỆT NAM",
        "XÃ LƯƠNG MINH",
        "BAN THƯỜNG TRỰC",
        "Số: 16/KH-MTTQ-BTT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lương Minh, ngày 18 tháng 11 năm 2025",
        "KẾ HOẠCH",
    ]
    assert all(b.kind == "para" and b.hard for b in kh16.blocks)  # no data table in this plan


def test_signature_table_reads_recipients_then_signer(kh16: RawDocument) -> None:
    texts = paras(kh16)
    start = texts.index("Nơi nhận:")
    assert texts[start - 1].startswith("Trên đây là Kế hoạch")
    assert texts[start:] == [
        "Nơi nhận:",
        "- BTT Ủy ban MTTQ Việt Nam tỉnh;",
        "- Thường trực Đảng ủy xã;",
        "- Ủy ban bầu cử xã;",
        "- Thường trực HĐND, UBND xã;",
        "- BTT Ủy ban MTTQ VN xã;",
        # two recipients wrapped by hand onto a second paragraph are joined again
        "- Uỷ ban Kiểm tra Đảng uỷ, Ban xây dựng Đảng, VP Đảng uỷ;",
        "- Văn phòng HĐND, UBND xã;",
        "- Các tổ chức thành viên MTTQ xã;",
        "- Bí thư Chi bộ, Trưởng thôn, Ban công tác MT thôn;",
        "- Lưu: MTTQ",
        "TM. BAN THƯỜNG TRỰC",
        "CHỦ TỊCH",
        "Lan Thị Vân",
    ]


def test_numbers_come_out_as_the_reader_sees_them(kh16: RawDocument) -> None:
    texts = paras(kh16)
    # Typed numbering in this file; as on the rendered page.
    for expected in ("I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG TRÁCH NHIỆM THỰC HIỆN", "8. Ban công tác Mặt trận các thôn trên địa bàn xã"):
        assert expected in texts
    assert any(t.startswith("1.1. Xây dựng và ban hành Hướng dẫn") for t in texts)
    assert any(t.startswith("(1) Tổ chức hiệp thương lần thứ nhất: Chậm nhất ngày 10/12/2025") for t in texts)
    assert texts.index("I. MỤC ĐÍCH, YÊU CẦU") < texts.index("II. NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG TRÁCH NHIỆM THỰC HIỆN")
    assert not any(t != t.strip() or not t for t in texts)
    assert not any("\n" in t for t in texts)


def test_second_plan_header_and_signature(tiepcongdan: RawDocument) -> None:
    texts = paras(tiepcongdan)
    assert texts[:7] == [
        "ỦY BAN MTTQ VIỆT NAM",
        "XÃ LƯƠNG MINH",
        "BAN THƯỜNG TRỰC",
        "Số:      /KH-MTTQ-BTT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lương Minh, ngày 10 tháng 12 năm 2025",
    ]
    assert texts[-3:] == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Lan Thị Vân"]
    assert "+ Lắng nghe, ghi chép đầy đủ ý kiến, kiến nghị của cử tri." in texts


def test_forms_appendix_tables(hiepthuong: RawDocument) -> None:
    texts = paras(hiepthuong)
    assert texts[6] == "Lương Minh, ngày 25 tháng 11 năm 2025"
    # the main plan's signature, before the appendix
    sig = texts.index("Lan Thị Vân")
    assert texts[sig - 2 : sig + 2] == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Lan Thị Vân", "PHỤ LỤC"]
    # form headings with soft line breaks: one line each in a layout table
    assert texts.count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == 1 + 8
    # a title broken over lines by soft breaks stays one paragraph
    assert "BIÊN BẢN HỘI NGHỊ CỬ TRI LẤY Ý KIẾN CỬ TRI NƠI CƯ TRÚ" in texts
    # signature blocks of the forms: left column then right column
    i = texts.index("THƯ KÝ HỘI NGHỊ")
    assert texts[i : i + 6] == ["THƯ KÝ HỘI NGHỊ", "(ký tên)", "(ghi rõ họ tên)", "CHỦ TRÌ HỘI NGHỊ", "(ký tên, đóng dấu)", "(ghi rõ chức vụ và họ tên)"]
    rows = [b for b in hiepthuong.blocks if b.kind == "row"]
    headers = [b.cells for b in rows if b.header]
    assert headers == [["Stt", "Họ và tên (3)", "Chức vụ công tác", "Tín nhiệm", "Không tín nhiệm"], ["Stt", "Họ và tên", "Chức vụ công tác"]]
    last = max(b.table for b in rows)
    assert [b.cells for b in rows if b.table == last and not b.header] == [["1", "", ""], ["2", "", ""], ["3", "", ""], ["…", "", ""]]
    assert all(b.cells and all("\n" not in c for c in b.cells) for b in rows)
    assert len({b.table for b in rows}) == 3


# --------------------------------------------------------------- numbering
NUMBERING_XML = f"""<w:numbering {NS}>
<w:abstractNum w:abstractNumId="10">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2.%3."/></w:lvl>
 <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%4)"/></w:lvl>
 <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>
 <w:lvl w:ilvl="5"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl>
 <w:lvl w:ilvl="6"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="11">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="12">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="DieuKhoan"/><w:lvlText w:val="Điều %1."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="13">
 <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/><w:lvlText w:val="%1.%2."/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%3."/><w:suff w:val="space"/></w:lvl>
 <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimalZero"/><w:lvlText w:val="%4/"/><w:lvlRestart w:val="1"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="11"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="11"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="11"/></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="12"/></w:num>
<w:num w:numId="7"><w:abstractNumId w:val="13"/></w:num>
<w:num w:numId="8"><w:abstractNumId w:val="11"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>"""

# (numId, ilvl, text, what the reader sees). Checked against LibreOffice's
# rendering (soffice --convert-to pdf); LibreOffice 7.4 ignores isLgl and
# lvlRestart, where the expected values follow Word and ECMA-376 instead.
NUMBERED = [
    (1, 0, "MỤC ĐÍCH, YÊU CẦU", "I. MỤC ĐÍCH, YÊU CẦU"),
    (1, 1, "Mục đích", "1. Mục đích"),
    (1, 4, "Quán triệt nghị quyết", "- Quán triệt nghị quyết"),
    (1, 5, "Cấp ủy các cấp", "+ Cấp ủy các cấp"),
    (1, 1, "Yêu cầu", "2. Yêu cầu"),
    (1, 0, "NHIỆM VỤ", "II. NHIỆM VỤ"),
    (1, 1, "Nhiệm vụ chung", "1. Nhiệm vụ chung"),
    (1, 2, "Rà soát văn bản", "1.1. Rà soát văn bản"),
    (1, 2, "Tổ chức hội nghị", "1.2. Tổ chức hội nghị"),
    (1, 3, "Sở Tư pháp chủ trì", "a) Sở Tư pháp chủ trì"),
    (1, 3, "Các sở phối hợp", "b) Các sở phối hợp"),
    (1, 3, "Thời gian", "c) Thời gian"),
    (1, 3, "Kinh phí", "d) Kinh phí"),
    (1, 3, "Báo cáo", "e) Báo cáo"),
    (1, 6, "Dấu chấm", "- Dấu chấm"),
    (3, 0, "Danh sách một", "1. Danh sách một"),
    (3, 0, "Danh sách hai", "2. Danh sách hai"),
    (4, 0, "Bắt đầu lại", "1. Bắt đầu lại"),
    (4, 0, "Tiếp theo", "2. Tiếp theo"),
    (5, 0, "Tiếp tục danh sách", "3. Tiếp tục danh sách"),
    (8, 0, "Bắt đầu từ năm", "5. Bắt đầu từ năm"),
    (7, 0, "Chương ba", "III. Chương ba"),
    (7, 1, "Mục pháp lý", "3.1. Mục pháp lý"),
    (7, 2, "Ý thứ nhất", "i. Ý thứ nhất"),
    (7, 3, "Khoản không một", "01/ Khoản không một"),
    (7, 1, "Mục pháp lý hai", "3.2. Mục pháp lý hai"),
    (7, 3, "Khoản sau mục", "02/ Khoản sau mục"),
    (7, 0, "Chương bốn", "IV. Chương bốn"),
    (7, 3, "Khoản sau chương", "01/ Khoản sau chương"),
]


def _numpr(num_id: int, ilvl: int | None = None) -> str:
    lvl = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    return f'<w:numPr {NS}>{lvl}<w:numId w:val="{num_id}"/></w:numPr>'


def _save(document: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def numbering_docx() -> bytes:
    document = docx.Document()
    document.part.numbering_part._element = parse_xml(NUMBERING_XML)
    style = document.styles.add_style("DieuKhoan", 1)
    style.element.get_or_add_pPr().append(parse_xml(_numpr(6)))
    for num_id, ilvl, text, _ in NUMBERED:
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(_numpr(num_id, ilvl)))
    document.add_paragraph("Phạm vi điều chỉnh", style="DieuKhoan")
    document.add_paragraph("Đối tượng áp dụng", style="DieuKhoan")
    p = document.add_paragraph("Không đánh số", style="DieuKhoan")
    p._p.get_or_add_pPr().append(parse_xml(_numpr(0)))
    document.add_paragraph("Hiệu lực thi hành", style="DieuKhoan")
    document.add_paragraph("", style="DieuKhoan")  # an empty numbered paragraph still counts
    document.add_paragraph("Tổ chức thực hiện", style="DieuKhoan")
    return _save(document)


def test_automatic_numbering_rendered() -> None:
    texts = paras(read_docx(numbering_docx(), "numbering.docx"))
    assert texts == [seen for *_, seen in NUMBERED] + [
        "Điều 1. Phạm vi điều chỉnh",  # numbering from the paragraph style
        "Điều 2. Đối tượng áp dụng",
        "Không đánh số",  # numId 0 switches the style's numbering off
        "Điều 3. Hiệu lực thi hành",
        "Điều 5. Tổ chức thực hiện",
    ]


def test_default_template_list_styles_are_numbered() -> None:
    document = docx.Document()
    for text in ("Rà soát văn bản", "Tổ chức hội nghị"):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("Báo cáo kết quả", style="List Bullet")
    assert paras(read_docx(_save(document), "list.docx")) == ["1. Rà soát văn bản", "2. Tổ chức hội nghị", "- Báo cáo kết quả"]


# ------------------------------------------------------------ built features
def _append_body(document: docx.document.Document, xml: str) -> None:
    body = document.element.body
    sect = body[-1]
    for el in parse_xml(f"<w:body {NS}>{xml}</w:body>"):
        sect.addprevious(el)


def _r(text: str, props: str = "") -> str:
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _tc(inner: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{inner}</w:tc>"


def _p(*runs: str, props: str = "") -> str:
    return f"<w:p><w:pPr>{props}</w:pPr>{''.join(runs)}</w:p>"


TEXTBOX = (
    "<w:r><mc:AlternateContent>"
    '<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData>'
    "<wps:wsp><wps:txbx><w:txbxContent>" + _p(_r("DỰ THẢO")) + "</w:txbxContent></wps:txbx></wps:wsp>"
    "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>" + _p(_r("DỰ THẢO")) + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
    "</mc:AlternateContent></w:r>"
)


def features_docx() -> bytes:
    document = docx.Document()
    document.part.numbering_part._element = parse_xml(NUMBERING_XML)
    tcvn = '<w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/>'
    tcvn_caps = '<w:rFonts w:ascii=".VnTimeH" w:hAnsi=".VnTimeH"/>'
    vni = '<w:rFonts w:ascii="VNI-Times" w:hAnsi="VNI-Times"/>'
    body = [
        _p(_r("kế hoạch", "<w:caps/>")),
        _p(_r("BIÊN BẢN HỘI NGHỊ CỬ TRI"), "<w:r><w:br/></w:r>", _r("LẤY Ý KIẾN CỬ TRI NƠI CƯ TRÚ")),
        _p(_r("Nơi nhận:"), "<w:r><w:br/></w:r>", _r("- Thường trực Đảng ủy xã;"), "<w:r><w:br/></w:r>", _r("- Lưu: MTTQ")),
        _p(_r("TM. BAN THƯỜNG TRỰC"), "<w:r><w:br/><w:t>CHỦ TỊCH</w:t><w:br/><w:br/><w:br/></w:r>", _r("Lan Thị Vân")),
        _p(_r("Số: 16/KH-MTTQ-BTT"), "<w:r><w:tab/><w:tab/></w:r>", _r("Lương Minh, ngày 18 tháng 11 năm 2025")),
        _p(_r("Thời gian hoàn thành: "), _r("ẩn", "<w:vanish/>"), '<w:del w:id="1" w:author="x"><w:r><w:delText>Quý III/2025</w:delText></w:r></w:del>',
           '<w:ins w:id="2" w:author="x">' + _r("Quý IV/2025") + "</w:ins>"),
        _p(_r("Căn cứ Kế hoạch này"), TEXTBOX),
        _p(_r(from_unicode("Thực hiện nghiêm túc, dân chủ, công khai", "tcvn3"), tcvn)),
        _p(_r(from_unicode("kế hoạch", "tcvn3"), tcvn_caps), _r(" số 16")),
        _p(_r(from_unicode("Nghị quyết của Đảng ủy xã", "vni"), vni)),
        _p(_r("   ")),
    ]
    header = "".join(_tc(_p(_r(t)), '<w:vMerge w:val="restart"/>' if t == "STT" else "") for t in ("STT", "Nội dung", "Đơn vị chủ trì", "Thời gian"))
    table = (
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        f"<w:tr>{header}</w:tr>"
        "<w:tr>"
        + _tc(_p(_r("1")), '<w:vMerge w:val="restart"/>')
        + _tc(_p(_r("Tổ chức hội nghị hiệp thương")))
        + _tc(_p(_r("Sở Tư pháp;"), props=_numpr(1, 4)) + _p(_r("Công an tỉnh"), props=_numpr(1, 4)))
        + _tc(_p(_r("Quý I/2026")))
        + "</w:tr><w:tr>"
        + _tc(_p(), "<w:vMerge/>")
        + _tc(_p(_r("Báo cáo kết quả")) + _p(_r("tới Ban Thường trực")), '<w:gridSpan w:val="2"/>')
        + _tc(
            "<w:tbl><w:tr>" + _tc(_p(_r("Đợt 1"))) + _tc(_p(_r("tháng 3"))) + "</w:tr><w:tr>"
            + _tc(_p(_r("Đợt 2"))) + _tc(_p(_r("tháng 6"))) + "</w:tr></w:tbl>" + _p()
        )
        + "</w:tr></w:tbl>"
    )
    schedule = (
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        "<w:tr>" + _tc(_p(_r("PHỤ LỤC: LỊCH TRÌNH")), '<w:gridSpan w:val="3"/>') + "</w:tr>"
        "<w:tr>" + "".join(_tc(_p(_r(t, "<w:b/>"))) for t in ("Việc", "Người làm", "Hạn")) + "</w:tr>"
        "<w:tr>" + "".join(_tc(_p(_r(t))) for t in ("(1)", "(2)", "(3)")) + "</w:tr>"
        "<w:tr>" + "".join(_tc(_p(_r(t))) for t in ("Lập danh sách cử tri", "UBND xã", "Tháng 2/2026")) + "</w:tr>"
        "</w:tbl>"
    )
    _append_body(document, "".join(body) + table + schedule + _p(_r("Trên đây là Kế hoạch")))
    return _save(document)


@pytest.fixture(scope="module")
def features() -> tuple[RawDocument, bytes]:
    data = features_docx()
    return read_docx(data, "features.docx"), data


def test_runs_breaks_hidden_and_tracked_text(features: tuple[RawDocument, bytes]) -> None:
    texts = paras(features[0])
    assert texts[:13] == [
        "KẾ HOẠCH",  # w:caps
        "BIÊN BẢN HỘI NGHỊ CỬ TRI LẤY Ý KIẾN CỬ TRI NƠI CƯ TRÚ",  # soft break inside a title: a space
        "Nơi nhận:",  # soft breaks before list marks: separate lines
        "- Thường trực Đảng ủy xã;",
        "- Lưu: MTTQ",
        "TM. BAN THƯỜNG TRỰC",  # blank lines inside: separate lines
        "CHỦ TỊCH",
        "Lan Thị Vân",
        "Số: 16/KH-MTTQ-BTT  Lương Minh, ngày 18 tháng 11 năm 2025",  # tabs as spaces
        "Thời gian hoàn thành: Quý IV/2025",  # no hidden text, no deleted text
        "Căn cứ Kế hoạch này",
        "DỰ THẢO",  # the text box once (Choice, not its Fallback), after its anchor
        "Thực hiện nghiêm túc, dân chủ, công khai",
    ]
    assert texts.count("DỰ THẢO") == 1


def test_legacy_font_runs_are_converted(features: tuple[RawDocument, bytes]) -> None:
    doc = features[0]
    texts = paras(doc)
    assert "Thực hiện nghiêm túc, dân chủ, công khai" in texts
    assert "KẾ HOẠCH số 16" in texts  # .VnTimeH draws capitals
    assert "Nghị quyết của Đảng ủy xã" in texts
    assert any("TCVN3" in w for w in doc.warnings) and any("VNI" in w for w in doc.warnings)


def test_table_merged_cells_not_duplicated(features: tuple[RawDocument, bytes]) -> None:
    doc, data = features
    rows = [b for b in doc.blocks if b.kind == "row"]
    assert [(b.cells, b.header, b.table) for b in rows] == [
        (["STT", "Nội dung", "Đơn vị chủ trì", "Thời gian"], True, 0),
        (["1", "Tổ chức hội nghị hiệp thương", "- Sở Tư pháp; - Công an tỉnh", "Quý I/2026"], False, 0),
        (["", "Báo cáo kết quả tới Ban Thường trực", "Đợt 1 tháng 3 Đợt 2 tháng 6"], False, 0),
        # a title row across the table, bold column names, column numbers
        (["PHỤ LỤC: LỊCH TRÌNH"], False, 1),
        (["Việc", "Người làm", "Hạn"], True, 1),
        (["(1)", "(2)", "(3)"], True, 1),
        (["Lập danh sách cử tri", "UBND xã", "Tháng 2/2026"], False, 1),
    ]
    # python-docx alone repeats a merged cell for every grid column it covers
    naive = [c.text for c in docx.Document(io.BytesIO(data)).tables[0].rows[2].cells]
    assert naive.count("Báo cáo kết quả\ntới Ban Thường trực") == 2
    assert paras(doc)[-1] == "Trên đây là Kế hoạch"


# ---------------------------------------------------------------- bad input
def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return buf.getvalue()


def test_zip_bomb_is_refused_before_decompressing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHIEMVU_MAX_UNZIPPED", str(8 * 1024 * 1024))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/document.xml", "w") as f:
            for _ in range(10):
                f.write(b"\0" * (1 << 20))
    data = buf.getvalue()
    assert len(data) < 100_000
    with pytest.raises(ReadError) as err:
        read(data, "bomb.docx")
    assert err.value.kind == "too_large"
    assert "10,485,760 bytes" in str(err.value) and "ZIP bomb" in str(err.value)


def test_zip_header_claiming_a_huge_size_is_refused() -> None:
    data = bytearray(_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}))
    # claim ~4 GB uncompressed for every member in the central directory
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        data[pos + 24 : pos + 28] = struct.pack("<I", 0xFFFFFFF0)
        pos = data.find(b"PK\x01\x02", pos + 4)
    with pytest.raises(ReadError) as err:
        read(bytes(data), "claims.docx")
    assert err.value.kind == "too_large"
    assert str(err.value).startswith("claims.docx: DOCX would expand to 8,589,934,560 bytes")


def test_member_with_absurd_compression_ratio_is_refused() -> None:
    real = zipfile.ZipFile(io.BytesIO(KH16.read_bytes()))
    members = {name: real.read(name) for name in real.namelist()}
    members["word/media/filler.bin"] = b"\0" * (6 * 1024 * 1024)
    with pytest.raises(ReadError) as err:
        read(_zip(members), "ratio.docx")
    assert "word/media/filler.bin" in str(err.value) and "ZIP bomb" in str(err.value)


def test_corrupt_docx() -> None:
    good = KH16.read_bytes()
    with pytest.raises(ReadError) as err:
        read(good[: len(good) // 2], "cut.docx")
    assert str(err.value) == "cut.docx: corrupt DOCX: not a readable ZIP archive (File is not a zip file)"
    info = zipfile.ZipFile(io.BytesIO(good)).getinfo("word/document.xml")
    damaged = bytearray(good)
    start = info.header_offset + 30 + len(info.filename.encode()) + 200
    for i in range(start, start + 64):
        damaged[i] ^= 0x55
    with pytest.raises(ReadError) as err:
        read(bytes(damaged), "damaged.docx")
    assert str(err.value).startswith("damaged.docx: corrupt Word document:")
    assert "\n" not in str(err.value)


def test_zip_that_is_not_a_word_document() -> None:
    with pytest.raises(ReadError) as err:
        read(_zip({"notes.txt": b"hello"}), "notes.docx")
    assert str(err.value) == "notes.docx: a ZIP file but not a Word document (no word/document.xml)"
    xlsx = _zip({"[Content_Types].xml": b'<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>', "xl/workbook.xml": b"<x/>"})
    with pytest.raises(ReadError) as err:
        read(xlsx, "sheet.docx")
    assert str(err.value) == "sheet.docx: an Excel workbook, not a Word document"


def test_macro_enabled_document_is_read() -> None:
    real = zipfile.ZipFile(io.BytesIO(TIEPCONGDAN.read_bytes()))
    members = {name: real.read(name) for name in real.namelist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", b"application/vnd.ms-word.document.macroEnabled.main+xml"
    )
    texts = paras(read(_zip(members), "macro.docm.docx"))
    assert texts[-1] == "Lan Thị Vân"


# ---------------------------------------------------------------- OLE / .doc
def _ole(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors) holding the given streams (each >= 4096 bytes)."""
    sector = 512
    names = list(streams)
    chunks = [streams[n] + b"\0" * (-len(streams[n]) % sector) for n in names]
    n_data = sum(len(c) // sector for c in chunks)
    fat = [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0: FAT, sector 1: directory
    starts = []
    sid = 2
    for c in chunks:
        n = len(c) // sector
        starts.append(sid)
        fat.extend(list(range(sid + 1, sid + n)) + [0xFFFFFFFE])
        sid += n
    assert len(fat) <= 128 and n_data
    fat += [0xFFFFFFFF] * (128 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1) + struct.pack("<III", 0xFFFFFFFF, right, child)
                + b"\0" * 36 + struct.pack("<II", start, size) + b"\0" * 4)

    dirs = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)
    for i, n in enumerate(names):
        dirs += entry(n, 2, starts[i], len(streams[n]), right=i + 2 if i + 1 < len(names) else 0xFFFFFFFF)
    dirs = dirs.ljust(sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIII", 0, 1, 1, 0) + struct.pack("<IIIII", 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<109I", 0, *([0xFFFFFFFF] * 108)))
    return header + struct.pack("<128I", *fat) + dirs + b"".join(chunks)


def test_encrypted_office_file_in_ole_container() -> None:
    data = _ole({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 4092, "EncryptedPackage": b"\x01" * 5000})
    with pytest.raises(ReadError) as err:
        read(data, "secret.docx")
    assert str(err.value) == "secret.docx: encrypted Word document (password protected)"


def test_encrypted_word97_document() -> None:
    fib = struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0, 0, 0x0100 | 0x0200)  # flags: fEncrypted
    data = _ole({"WordDocument": fib + b"\0" * 5000, "1Table": b"\0" * 4096})
    with pytest.raises(ReadError) as err:
        read(data, "secret.doc")
    assert str(err.value) == "secret.doc: encrypted Word document (password protected)"


def test_ole_file_that_is_not_word() -> None:
    with pytest.raises(ReadError) as err:
        read(_ole({"Workbook": b"\0" * 4096}), "table.doc")
    assert str(err.value) == "table.doc: an Excel workbook (.xls), not a Word document"
    with pytest.raises(ReadError) as err:
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600, "broken.doc")
    assert str(err.value).startswith("broken.doc: corrupt Word 97-2003 document:")


def test_doc_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHIEMVU_SOFFICE", "nhiemvu-no-such-soffice")
    with pytest.raises(ReadError) as err:
        read_doc(NQ99_DOC.read_bytes(), NQ99_DOC.name)
    assert err.value.kind == "missing_tool"
    assert str(err.value) == (
        "nq99-hdnd-quangninh.doc: legacy Word .doc needs LibreOffice; install it with: apt-get install libreoffice-writer-nogui"
    )


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None, reason="LibreOffice not installed")
def test_word97_doc_via_libreoffice() -> None:
    doc = read(NQ99_DOC.read_bytes(), NQ99_DOC.name)
    assert doc.format == "doc"
    texts = paras(doc)
    assert texts[:8] == [
        "HỘI ĐỒNG NHÂN DÂN",
        "TỈNH QUẢNG NINH",
        "-------",
        "Số: 99/2025/NQ-HĐND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "---------------",
        "Quảng Ninh, ngày 16 tháng 12 năm 2025",
    ]
    assert "Điều 1. Đối tượng áp dụng" in texts
    assert any(t.startswith("đ) Chi xây dựng báo cáo tổng hợp kết quả") for t in texts)
    assert texts[-2:] == ["CHỦ TỊCH", "Trịnh Thị Minh Thanh"]
    assert texts[texts.index("Nơi nhận:") + 1] == "- Ủy ban Thường vụ Quốc hội (báo cáo);"
    assert not [b for b in doc.blocks if b.kind == "row"]


def test_tcvn3_document_with_ordinary_fonts_is_converted() -> None:
    """A TCVN3 document whose runs name no legacy font: detected on its whole text, then read as usual."""
    sample = (CORPUS / "docs" / "vksnd-nq-trien-khai-kl226.txt").read_text(encoding="utf-8")[:3000]
    body = [line for line in sample.split("\n") if line.strip() and "Ủy" not in line and "*" not in line]
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    heading = [["ĐẢNG ỦY VIỆN KIỂM SÁT", "ĐẢNG CỘNG SẢN VIỆT NAM"], ["Số: 12-NQ/ĐU", "Hà Nội, ngày 20 tháng 12 năm 2025"]]
    for r, row in enumerate(heading):
        for c, text in enumerate(row):
            table.cell(r, c).text = from_unicode(text, "tcvn3")
    for line in body:
        document.add_paragraph(from_unicode(line, "tcvn3"))
    doc = read_docx(_save(document), "tcvn3.docx")
    assert paras(doc) == ["ĐẢNG ỦY VIỆN KIỂM SÁT", "Số: 12-NQ/ĐU", "ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Nội, ngày 20 tháng 12 năm 2025"] + body
    assert doc.warnings == ["text in legacy TCVN3 encoding converted to Unicode"]
