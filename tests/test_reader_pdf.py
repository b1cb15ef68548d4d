"""The PDF reader on the real corpus PDFs, a scan made from one, and bad PDFs."""
from __future__ import annotations

import hashlib
import io
import json
import re
import stat
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from extractors.errors import ReadError
from extractors.readers import read
from extractors.readers.base import Block, RawDocument
from extractors.readers.pdf import read_pdf
from extractors.readers.pdf_stamps import read_stamps

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "corpus" / "docs"
EXTRA = ROOT / "corpus" / "extra"
GOLD = ROOT / "corpus" / "gold"
KH = DOCS / "kh-ubnd-ha-noi-cao-diem-100-ngay-cds.pdf"
CV = DOCS / "cv-6582-syt-ha-noi-di-tru-hssk.pdf"
HD = EXTRA / "hd06-hdtw.pdf"
QD = EXTRA / "qd294-qdtw.pdf"


def _pages_of(path: Path, indexes: list[int]) -> bytes:
    """A real PDF cut down to some of its pages (to keep the tests fast)."""
    src = pdfium.PdfDocument(path.read_bytes())
    dst = pdfium.PdfDocument.new()
    dst.import_pages(src, indexes)
    buf = io.BytesIO()
    dst.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def kh() -> RawDocument:
    return read_pdf(KH.read_bytes(), KH.name)


@pytest.fixture(scope="module")
def cv() -> RawDocument:
    return read_pdf(CV.read_bytes(), CV.name)


@pytest.fixture(scope="module")
def hd() -> RawDocument:
    # first page (header) and the last two (signature block over a page break)
    return read_pdf(_pages_of(HD, [0, 31, 32]), HD.name)


@pytest.fixture(scope="module")
def qd() -> RawDocument:
    return read_pdf(_pages_of(QD, [0, 34]), QD.name)


def paras(doc: RawDocument) -> list[str]:
    return [b.text for b in doc.blocks if b.kind == "para"]


def after(texts: list[str], first: str, n: int) -> list[str]:
    """`n` paragraphs from the one that is `first`."""
    i = texts.index(first)
    return texts[i : i + n]


def table_rows(doc: RawDocument, index: int, header: bool = False) -> list[Block]:
    return [b for b in doc.blocks if b.kind == "row" and b.table == index and b.header == header]


def gold_stamp_parts(name: str) -> tuple[str, int, int]:
    document = json.loads((GOLD / name).read_text(encoding="utf-8"))["document"]
    number = document["code"].split("/")[0]
    year, month, day = (int(x) for x in document["issued_date"].split("-"))
    return number, day, month


# ------------------------------------------------------------ Hà Nội plan


def test_kh_header_split_into_its_two_sides(kh: RawDocument) -> None:
    first = kh.blocks[:6]
    assert all(b.kind == "para" and b.hard and b.page == 1 for b in first)
    # the left column, then the right column
    assert [b.text for b in first] == [
        "ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HÀ NỘI",
        "Số: /KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày tháng năm 2026",
    ]
    assert kh.blocks[6].text == "KẾ HOẠCH"
    assert kh.blocks[7].text.startswith("Triển khai đợt cao điểm 100 ngày") and kh.blocks[7].text.endswith("Hà Nội")


def test_kh_stamps_hold_number_and_date_of_gold(kh: RawDocument) -> None:
    number, day, month = gold_stamp_parts("kh-ubnd-ha-noi-cao-diem-100-ngay-cds.json")
    # page 1 stamps in reading order: the number beside "Số:", then day, month
    assert kh.stamps[0] == number
    assert [int(s) for s in kh.stamps[1:3]] == [day, month]
    assert number in kh.stamps[3:]  # the appendix heading is stamped too
    assert read_stamps(KH.read_bytes()) == kh.stamps
    assert not any(number + "/KH" in t for t in paras(kh))  # not in the text layer


def test_kh_paragraphs_and_page_numbers(kh: RawDocument) -> None:
    texts = paras(kh)
    assert all(b.hard for b in kh.blocks if b.kind == "para")
    assert not any(re.fullmatch(r"\d{1,3}", t) for t in texts)
    # a paragraph running over the break from page 1 to page 2 is whole
    joined = [t for t in texts if "an toàn hệ thống thông tin theo cấp độ, tuân thủ Luật Dữ liệu" in t]
    assert len(joined) == 1 and joined[0].startswith("- Việc triển khai các nhiệm vụ")
    # labels stay at the start of their own paragraph
    assert "I. MỤC ĐÍCH, YÊU CẦU" in texts and "1. Mục đích" in texts and "2. Sở Nội vụ" in texts
    assert sum(t.startswith("- ") for t in texts) >= 15
    # table text is not repeated as paragraphs
    assert not any("Dữ liệu quy hoạch" in t or "Sở Quy hoạch - Kiến trúc" in t for t in texts)


def test_kh_signature_block_split(kh: RawDocument) -> None:
    texts = paras(kh)
    left = after(texts, "Nơi nhận:", 17)
    assert left[1:3] == ["- Ban Chỉ đạo 57 Trung ương;", "- Thủ tướng Chính phủ;"]
    assert left[-1] == "- Lưu: VT, ĐMPT." and all(t.startswith("- ") for t in left[1:])
    # a recipient wrapped onto a second line stays one item
    assert "- VPUB: CVP, PCVP B.V.Thắng, các phòng, đơn vị: ĐMPT, TH, TT TTDL&CNS;" in left
    assert after(texts, "TM. ỦY BAN NHÂN DÂN", 5) == [
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trương Việt Dũng", "Phụ lục"
    ]
    assert texts.index("TM. ỦY BAN NHÂN DÂN") == texts.index("- Lưu: VT, ĐMPT.") + 1
    assert not any(b.kind == "row" and b.table is None for b in kh.blocks)


def test_kh_task_table_one_row_per_task(kh: RawDocument) -> None:
    tables = {b.table for b in kh.blocks if b.kind == "row" and b.table is not None}
    assert tables == {0}  # one table over pages 5-12
    header = table_rows(kh, 0, header=True)
    assert len(header) == 2  # its heading once, not again on every page
    assert header[-1].cells[2:] == ["Tên nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm", "Thời hạn"]
    rows = table_rows(kh, 0)
    assert {b.page for b in rows} == set(range(5, 13))
    numbers = [b.cells[0] for b in rows if b.cells[0]]
    assert numbers == [str(n) for n in range(1, 34)]
    for b in rows:
        assert len(b.cells) == 7
        assert b.cells[0] or b.cells[1], b.cells  # no orphan half of a split row
        assert b.cells[2], b.cells  # every row has its task text
    by_no = {b.cells[0]: b for b in rows if b.cells[0]}
    # task 14 runs from page 7 onto page 8: one row, its product cell whole
    assert by_no["14"].page == 7
    product = by_no["14"].cells[5]
    assert product.startswith("- 100% được cung cấp trực tuyến") and product.endswith("50% thành phần hồ sơ.")
    assert by_no["15"].cells[2].startswith("100% hồ sơ phát sinh của nhóm 05 thủ tục")
    # rows next to the other page breaks are neither cut nor merged
    assert by_no["11"].cells[2].endswith("26/01/2026 của UBND Thành phố).")
    assert by_no["12"].cells[2].startswith("Xây dựng, triển khai hệ thống xác thực")
    assert by_no["33"].cells[2] == "Tăng tỷ lệ giải ngân ngân sách nhà nước chi cho chuyển đổi số."
    # a cell merged over rows 1-8 (coordinating unit, product, deadline) is in each of them
    for n in range(1, 9):
        assert by_no[str(n)].cells[4] == "Sở Khoa học và Công nghệ"
        assert by_no[str(n)].cells[6] == "30/8/2026"
    assert by_no["2"].cells[3] == "Sở Quy hoạch - Kiến trúc"


# ------------------------------------------------------------ Sở Y tế letter


def test_cv_header_stamps_and_signature(cv: RawDocument) -> None:
    texts = paras(cv)
    assert texts[:8] == [
        "UBND THÀNH PHỐ HÀ NỘI",
        "SỞ Y TẾ",
        "Số: /SYT-QLBHYTCNTT",
        # the subject line under the number, wrapped over three lines, is one
        "V/v di trú dữ liệu Hồ sơ sức khỏe điện tử về Trung tâm dữ liệu chính thành phố Hà Nội",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày tháng năm 2026",
        "Kính gửi: Sở Khoa học và Công nghệ Hà Nội.",
    ]
    number, day, month = gold_stamp_parts("cv-6582-syt-ha-noi-di-tru-hssk.json")
    assert cv.stamps[0] == number
    assert [int(s) for s in cv.stamps[1:3]] == [day, month]
    assert after(texts, "- Lưu: VT, QLBHYTCNTT (TĨNH) .", 4) == [
        "- Lưu: VT, QLBHYTCNTT (TĨNH) .", "GIÁM ĐỐC", "Nguyễn Trọng Diện", "Phụ lục I"
    ]


def test_cv_tables(cv: RawDocument) -> None:
    plan = [b for b in cv.blocks if b.kind == "row" and b.header and "Công việc" in b.cells]
    assert len(plan) == 1
    assert plan[0].cells == ["TT", "Công việc", "Đơn vị thực hiện", "Đơn vị phối hợp", "Số ngày dự kiến"]
    rows = table_rows(cv, plan[0].table)  # type: ignore[arg-type]
    assert [b.cells[0] for b in rows] == [str(n) for n in range(1, 13)]
    assert rows[0].cells[1:] == ["Xây dựng kế hoạch di trú dữ liệu sau khi chốt phương án", "Sở Y tế", "Sở KHCN, Tập đoàn Viettel", "7"]
    # the server table runs over pages 4-6 as one table; shading does not cut cells
    servers = [b for b in cv.blocks if b.kind == "row" and b.cells and b.cells[0] == "VI"]
    assert len(servers) == 1
    t = servers[0].table
    assert [b.cells[0] for b in table_rows(cv, t)] == ["I", "1", "2", "II", "3", "III", "4", "IV", "5", "V", "6", "7", "8", "VI", "9", "10", "11"]
    assert [b.cells for b in table_rows(cv, t, header=True)] == [["TT", "Máy chủ ảo hóa", "Cấu hình", "Số lượng"]]
    # a row cut by the page break 7/8 is one row
    master = [b for b in cv.blocks if b.kind == "row" and b.cells[1:2] == ["Kubernetes master"]]
    assert len(master) == 1 and master[0].cells[2].endswith("Cài đặt phiên bản Kubernetes >=1.30")
    assert not any(b.kind == "row" and b.table is not None and not b.cells[0] and not b.header for b in cv.blocks)


# ------------------------------------------------------------ party documents


def test_hd06_header_and_signature_over_page_break(hd: RawDocument) -> None:
    texts = paras(hd)
    assert texts[0] == "BAN CHẤP HÀNH TRUNG ƯƠNG" and texts[2].startswith("Số 06")
    assert texts[3] == "ĐẢNG CỘNG SẢN VIỆT NAM" and texts[5] == "Hà Nội, ngày 09 tháng 6 năm 2025"
    assert texts[6] == "HƯỚNG DẪN"
    # "T/M BAN BÍ THƯ" and "Nơi nhận:" end page 2, the recipients and the
    # signer's name open page 3: one block, left column first
    tail = after(texts, "Nơi nhận:", 7)
    assert tail[4] == "- Lưu Văn phòng Trung ương Đảng."
    assert tail[5:] == ["T/M BAN BÍ THƯ", "Trần Cẩm Tú"]
    assert [b.page for b in hd.blocks if b.kind == "para" and b.text in ("T/M BAN BÍ THƯ", "Trần Cẩm Tú")] == [2, 3]
    assert not any(re.fullmatch(r"\d+", t) for t in texts)  # "32", "33" dropped
    assert "1.1. Về tuổi đời" in texts
    assert "- Căn cứ Quy định số 294 - QĐ/TW, ngày 26/5/2025 của Ban Chấp hành Trung ương Đảng khoá XIII về thi hành Điều lệ Đảng;" in texts
    assert hd.stamps == []


def test_qd294_signature(qd: RawDocument) -> None:
    texts = paras(qd)
    assert texts[-8:] == [
        "Nơi nhận:",
        "- Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương,",
        "- Các ban, cơ quan, đơn vị của Đảng ở Trung ương,",
        "- Các đồng chí Ủy viên Ban Chấp hành Trung ương Đảng,",
        "- Lưu Văn phòng Trung ương Đảng.",
        "T/M BAN CHẤP HÀNH TRUNG ƯƠNG",
        "TỔNG BÍ THƯ",
        "Tô Lâm",
    ]
    assert "1.1.1. Tại thời điểm chi bộ xét kết nạp, người vào Đảng phải đủ 18 tuổi đến đủ 60 tuổi (tính theo tháng)." in texts
    assert "Các quy định trước đây trái với nội dung Quy định này đều bãi bỏ." in texts


def test_dispatcher_reads_pdf() -> None:
    data = _pages_of(QD, [0])
    doc = read(data, "qd294.pdf")
    assert doc.format == "pdf" and doc.pages == 1 and not doc.ocr
    assert [b.text for b in doc.blocks[:4]] == ["BAN CHẤP HÀNH TRUNG ƯƠNG", "*", "Số 294 - QĐ/TW", "ĐẢNG CỘNG SẢN VIỆT NAM"]


# ------------------------------------------------------------ scans and OCR


@pytest.fixture(scope="module")
def scan() -> bytes:
    """Top half of hd06 page 1 rendered to an image, saved as an image-only PDF."""
    page = pdfium.PdfDocument(HD.read_bytes())[0]
    image = page.render(scale=150 / 72).to_pil().convert("L")
    image = image.crop((0, 0, image.width, image.height // 2))
    buf = io.BytesIO()
    image.save(buf, format="PDF", resolution=150.0)
    return buf.getvalue()


def test_scan_is_read_by_ocr(scan: bytes) -> None:
    with pdfplumber.open(io.BytesIO(scan)) as pdf:
        assert pdf.pages[0].chars == []  # really no text layer
    doc = read_pdf(scan, "scan.pdf")
    assert doc.ocr is True
    texts = paras(doc)
    text = " ".join(texts)
    found = [w for w in ("Căn cứ", "Điều lệ Đảng", "Ban Bí thư", "Hà Nội", "HƯỚNG DẪN", "Trung ương") if w in text]
    assert len(found) >= 4, text
    # the header of the scan is still split into its two sides
    assert any(t.startswith("Hà Nội, ngày") and t.endswith("2025") for t in texts[:8]), texts[:8]
    assert not any("VIỆT NAM" in t and "TRUNG" in t for t in texts)


def test_scan_without_tesseract(scan: bytes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NHIEMVU_TESSERACT", str(tmp_path / "no-such-tesseract"))
    with pytest.raises(ReadError) as err:
        read_pdf(scan, "scan.pdf")
    assert err.value.kind == "missing_tool"
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in str(err.value)
    assert str(err.value).startswith("scan.pdf: scanned PDF with no text layer")


def test_scan_with_tesseract_lacking_vietnamese(scan: bytes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "tesseract"
    fake.write_text('#!/bin/sh\necho "List of available languages (2):"\necho eng\necho osd\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("NHIEMVU_TESSERACT", str(fake))
    with pytest.raises(ReadError) as err:
        read_pdf(scan, "scan.pdf")
    assert err.value.kind == "missing_tool"


# ------------------------------------------------------------ bad PDFs


def test_garbage_after_header() -> None:
    with pytest.raises(ReadError) as err:
        read_pdf(b"%PDF-1.7\n" + b"\x00\x13garbage" * 200, "bad.pdf")
    assert err.value.kind == "unreadable"
    assert str(err.value).startswith("bad.pdf: corrupt PDF") and "\n" not in str(err.value)


def test_truncated_pdf() -> None:
    data = CV.read_bytes()
    with pytest.raises(ReadError) as err:
        read_pdf(data[: len(data) // 3], "cut.pdf")
    assert str(err.value).startswith("cut.pdf: corrupt PDF")


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _encrypted_pdf(user: bytes, owner: bytes) -> bytes:
    """A one-page PDF encrypted with the standard handler (RC4 40-bit, R2)."""
    file_id = hashlib.md5(b"nhiemvu-test").digest()
    o = _rc4(hashlib.md5((owner + _PAD)[:32]).digest()[:5], (user + _PAD)[:32])
    p = -4
    key = hashlib.md5((user + _PAD)[:32] + o + p.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
    u = _rc4(key, _PAD)
    content = b"BT /F1 18 Tf 30 100 Td (Mat khau bi mat) Tj ET"
    obj_key = hashlib.md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[:10]
    stream = _rc4(obj_key, content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (o.hex().encode(), u.hex().encode(), p),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    fid = file_id.hex().encode()
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\n" % (len(objects) + 1, fid, fid)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def test_encrypted_pdf() -> None:
    data = _encrypted_pdf(b"secret", b"owner")
    # it is a real encrypted PDF: with the password its text is there
    with pdfplumber.open(io.BytesIO(data), password="secret") as pdf:
        assert "Mat khau bi mat" in pdf.pages[0].extract_text()
    with pytest.raises(ReadError) as err:
        read_pdf(data, "locked.pdf")
    assert "encrypted PDF (password protected)" in str(err.value)
    assert err.value.kind == "unreadable"


def test_too_many_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHIEMVU_MAX_PAGES", "1")
    with pytest.raises(ReadError) as err:
        read_pdf(CV.read_bytes(), CV.name)
    assert err.value.kind == "too_large"
    assert "9 pages" in str(err.value) and "NHIEMVU_MAX_PAGES" in str(err.value)
