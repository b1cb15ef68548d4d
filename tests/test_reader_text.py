"""The text reader and normalisation on the real text documents of the corpus."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractors.normalise import CELL_SEP, normalise
from extractors.readers import read
from extractors.readers.text import blocks_from_text

DOCS = Path(__file__).resolve().parents[1] / "corpus" / "docs"


def layout_of(name: str):
    path = DOCS / name
    return normalise(read(path.read_bytes(), path.name))


def test_one_cell_per_line_table_becomes_rows() -> None:
    lay = layout_of("kh-617-khubnd-dong-thap-cds-doanh-nghiep.txt")
    rows = [lay.cell_texts(ln) for ln in lay.lines if ln.kind == "row"]
    # the two-column header table: issuer left, motto right; number left, place and date right
    assert rows[0][0] == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    assert rows[0][1].startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert rows[1] == ["Số: 617/KH-UBND", "Đồng Tháp, ngày 01 tháng 12 năm 2025"]
    # the appendix task table: header, then rows numbered 1..11 with five cells each, group rows alone
    header = next(r for r in rows if r[0] == "STT")
    assert header == ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]
    numbered = [r for r in rows if r[0].isdigit()]
    assert [r[0] for r in numbered] == [str(n) for n in range(1, 12)]
    assert all(len(r) == 5 for r in numbered)
    assert numbered[3][1] == "Xây dựng Bộ tiêu chí đánh giá mức độ chuyển đổi số doanh nghiệp."
    assert numbered[3][4] == "Quí IV-2025"
    groups = [r[0] for r in rows if len(r) == 1]
    assert groups[:2] == ["I. NÂNG CAO NHẬN THỨC VÀ ĐỔI MỚI TƯ DUY", "II. HOÀN THIỆN CƠ CHẾ, CHÍNH SÁCH HỖ TRỢ CHUYỂN ĐỔI SỐ DOANH NGHIỆP"]


def test_table_without_leading_bar_and_hard_wrapped_body() -> None:
    lay = layout_of("kl-221-kltw-bo-may-chinh-quyen-2-cap.txt")
    first_rows = [lay.cell_texts(ln) for ln in lay.lines[:2]]
    assert first_rows[0][1] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert first_rows[1] == ["Số 221-KL/TW", "Hà Nội, ngày 28 tháng 11 năm 2025"]
    paras = [lay.line_text(ln) for ln in lay.lines if ln.kind == "para"]
    # a paragraph wrapped over five lines of the file comes back as one line
    opening = next(p for p in paras if p.startswith("Tại phiên họp"))
    assert "sau khi nghe Báo cáo của Ban Tổ chức Trung ương" in opening
    assert opening.endswith("Bộ Chính trị, Ban Bí thư kết luận như sau:")
    assert any(p.startswith("5. Giao Ban Tổ chức Trung ương tiếp tục chủ trì") for p in paras)


def test_markdown_residue_is_removed() -> None:
    lay = layout_of("kh-3260-khddqh15-dang-doan-quoc-hoi-nq57.txt")
    assert "**" not in lay.text and "##" not in lay.text and "\\" not in lay.text
    lines = [lay.line_text(ln) for ln in lay.lines]
    assert "T/M ĐẢNG ĐOÀN QUỐC HỘI" in lines
    assert "- Ban Bí thư Trung ương Đảng (để b/c)," in lines  # `*   ` list markers become dashes


def test_emphasis_inside_field_labels() -> None:
    lay = layout_of("vksnd-ctr-btv-2026.txt")
    assert "- Đơn vị tham mưu thực hiện: Ủy ban Kiểm tra Đảng ủy VKSND tối cao." in lay.text
    assert "- Thời gian: Tuần đầu tháng 01/2026." in lay.text


def test_item_number_glued_to_previous_item_gets_its_own_line() -> None:
    lay = layout_of("kh-hust-giao-duc-dao-duc-sinh-vien.txt")
    lines = [lay.line_text(ln) for ln in lay.lines]
    glued = next(i for i, t in enumerate(lines) if t.startswith("f) Triển khai hiệu quả Chương trình giáo dục"))
    assert lines[glued].endswith("được duyệt.")
    assert lines[glued + 1].startswith("4. Tổ chức các hoạt động tư vấn tâm lý")


def test_spans_index_the_normalised_text() -> None:
    lay = layout_of("nq-03-nqcp-chuong-trinh-hanh-dong-nq57.txt")
    for ln in lay.lines:
        assert lay.text[ln.start: ln.end] == lay.line_text(ln)
        if ln.kind == "row":
            assert CELL_SEP.join(lay.cell_texts(ln)) == lay.line_text(ln)


def test_odd_spaces_and_decomposed_marks_are_normalised() -> None:
    # the opening of a real document, written with NBSPs and decomposed (NFD) tone marks
    import unicodedata

    raw = "Căn cứ\u00a0Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n"
    data = unicodedata.normalize("NFD", raw).encode("utf-8")
    lay = normalise(read(data, "x.txt"))
    assert lay.text == "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;"


@pytest.mark.parametrize(
    "raw, expected",
    [
        # a hard-wrapped list item continues on a line that starts lower-case
        ("- Vùng đồng bằng sông Cửu Long:\ncuối năm 1982;\n- Vùng Đông Nam bộ: cuối năm 1983;", 2),
        # a lone label line joins the paragraph after it
        ("Điều 1.\nBan hành kèm theo Quyết định này Kế hoạch.\nĐiều 2.\nQuyết định này có hiệu lực.", 4),
    ],
)
def test_paragraph_rebuilding(raw: str, expected: int) -> None:
    blocks = blocks_from_text(raw)
    assert len(blocks) == expected


def test_lone_article_labels_join_their_text() -> None:
    lay = layout_of("qd-173-qdbtp-ke-hoach-phoi-hop.txt")
    lines = [lay.line_text(ln) for ln in lay.lines]
    assert "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký." in lines
