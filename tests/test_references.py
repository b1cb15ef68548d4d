"""References: each citation form, date form, issuer and relation pinned on short excerpts of the corpus."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from extractors.references import find_references, normalise_code, resolve_relations
from models import Reference

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def by_code(text: str, own: str | None = None) -> dict[str, Reference]:
    out: dict[str, Reference] = {}
    for r in find_references(text, own):
        if r.code:
            out.setdefault(r.code, r)
    return out


# ---------------------------------------------------------------- citation forms, dates, issuers


def test_full_citation_and_its_short_form() -> None:
    text = (
        "Thực hiện Kết luận số 226-KL/TW, ngày 11/12/2025 của Ban Bí thư về việc chấn chỉnh lề lối làm việc, nâng cao "
        "hiệu quả hoạt động của hệ thống chính trị (Kết luận số 226), Ban Thường vụ Đảng ủy Viện kiểm sát nhân dân "
        "(VKSND) tối cao,\n"
        "1. Yêu cầu cấp ủy, thủ trưởng các đơn vị thuộc VKSND tối cao tổ chức quán triệt, triển khai thực hiện Kết "
        "luận số 226 tới toàn thể đảng viên."
    )
    refs = find_references(text)
    assert [r.code for r in refs] == ["226-KL/TW"] * 3
    first = refs[0]
    assert (first.doc_type, first.issued_date, first.issuer, first.relation) == (
        "Kết luận", "2025-12-11", "Ban Bí thư", "implements")
    assert first.text == "Kết luận số 226-KL/TW, ngày 11/12/2025 của Ban Bí thư"
    assert text[first.span[0] : first.span[1]] == first.text
    assert refs[1].text == "Kết luận số 226" and refs[2].issued_date == "2025-12-11"
    assert first.title.startswith("về việc chấn chỉnh lề lối làm việc")


@pytest.mark.parametrize(
    "text, code, doc_type, date, issuer",
    [
        ("Căn cứ Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát triển khoa học",
         "57-NQ/TW", "Nghị quyết", "2024-12-22", "Bộ Chính trị"),
        # the same as a Markdown converter escapes it
        ("Căn cứ Nghị quyết số 57\\-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học",
         "57-NQ/TW", "Nghị quyết", "2024-12-22", "Bộ Chính trị"),
        # the same date written with hyphens
        ("Căn cứ Nghị quyết số 57-NQ/TW ngày 22-12-2024 của Bộ Chính trị về đột phá phát triển khoa học",
         "57-NQ/TW", "Nghị quyết", "2024-12-22", "Bộ Chính trị"),
        ("Thực hiện Kế hoạch số\n283/KH-UBND ngày 24/9/2025 của Uỷ ban nhân dân Tỉnh về thực hiện",
         "283/KH-UBND", "Kế hoạch", "2025-09-24", "Uỷ ban nhân dân Tỉnh"),
        ("Thực hiện Quyết định số 585/QĐ-BGDĐT ngày 28 tháng 2 năm 2022 của Bộ Giáo dục và Đào tạo ban hành Kế hoạch",
         "585/QĐ-BGDĐT", "Quyết định", "2022-02-28", "Bộ Giáo dục và Đào tạo"),
        ("Căn cứ Chương trình số 1249a/CTPH-UBDT-BTP ngày 13/11/2014 của Ủy ban Dân tộc và Bộ Tư pháp về phối hợp "
         "công tác", "1249a/CTPH-UBDT-BTP", "Chương trình", "2014-11-13", "Ủy ban Dân tộc và Bộ Tư pháp"),
        ("Căn cứ Nghị định số 22/2013/NĐ-CP ngày 13/3/2013 của Chính phủ quy định chức năng, nhiệm vụ",
         "22/2013/NĐ-CP", "Nghị định", "2013-03-13", "Chính phủ"),
        ("Để quản lý chặt chẻ và thống nhất được đất đai trong cả nước theo Quyết định 201-CP ngày 01 tháng 7 năm "
         "1980 của Hội đồng Chính phủ, đồng thời", "201-CP", "Quyết định", "1980-07-01", "Hội đồng Chính phủ"),
        ("+ Giao Văn phòng VKSND tối cao chủ trì tham mưu sửa đổi Quy định về tổ chức hội nghị, hội thảo của VKSND "
         "tối cao (số 03/QyĐ-VKSTC, ngày 24/10/2019 của Viện trưởng VKSND tối cao)", "03/QyĐ-VKSTC", "Quy định",
         "2019-10-24", "Viện trưởng VKSND tối cao"),
        ("Căn cứ Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân số 85/2015/QH13, ngày 25/6/2015",
         "85/2015/QH13", "Luật", "2015-06-25", None),
        ("căn cứ các mục tiêu tại Kế hoạch hành động số 20-KH/BCĐ 57 ngày 19/01/2026 của Ban Chỉ đạo 57 Thành ủy",
         "20-KH/BCĐ57", "Kế hoạch", "2026-01-19", "Ban Chỉ đạo 57 Thành ủy"),
        ("Thực hiện Nghị quyết 185/NQ-CP ngày 07/11/2023 của Chính phủ, trong đó giao",
         "185/NQ-CP", "Nghị quyết", "2023-11-07", "Chính phủ"),
        ("Căn cứ Công văn số 3947/SKHCN-DL&CQS ngày 11/6/2026 của Sở Khoa học và Công nghệ về việc triển khai",
         "3947/SKHCN-DL&CQS", "Công văn", "2026-06-11", "Sở Khoa học và Công nghệ"),
    ],
)
def test_citation_forms(text: str, code: str, doc_type: str, date: str, issuer: str | None) -> None:
    r = by_code(text)[code]
    assert (r.doc_type, r.issued_date, r.issuer) == (doc_type, date, issuer)


def test_date_written_before_the_citation() -> None:
    text = ("Ngày 24 tháng 6 năm 1977 Hội đồng Chính phủ đã ra Quyết định số 169-CP về công tác điều tra và thống kê "
            "tình hình cơ bản về ruộng đất trong cả nước.")
    r = by_code(text)["169-CP"]
    assert (r.issued_date, r.issuer, r.relation) == ("1977-06-24", "Hội đồng Chính phủ", "mentions")


def test_conjoined_codes_share_the_type_word() -> None:
    text = ("Nâng cấp, hoàn thiện hạ tầng công nghệ thông tin đáp ứng yêu cầu tại văn bản số 1552/BTTTT-TTH và "
            "708/BTTTT-CATTT; hoàn thành kết nối")
    refs = by_code(text)
    assert {c: (r.doc_type, r.relation) for c, r in refs.items()} == {
        "1552/BTTTT-TTH": ("Công văn", "implements"), "708/BTTTT-CATTT": ("Công văn", "implements")}


def test_own_number_and_annex_line_are_not_references() -> None:
    head = "Số: 617/KH-UBND\nĐồng Tháp, ngày 01 tháng 12 năm 2025\nKẾ HOẠCH"
    assert find_references(head) == []
    annex = "PHỤ LỤC\n(Kèm theo Nghị quyết số 03/NQ-CP ngày 09 tháng 01 năm 2025 của Chính phủ)"
    assert find_references(annex) == []
    text = "Ban hành kèm theo Nghị quyết này Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW"
    assert list(by_code(text, "03/NQ-CP")) == ["57-NQ/TW"]
    assert find_references("Điều 2. Nghị quyết này có hiệu lực thi hành kể từ ngày ký ban hành.") == []


def test_form_numbers_are_not_references() -> None:
    assert by_code("Biên bản Hội nghị hiệp thương lần thứ hai (Mẫu số 03/HNMT)") == {}


# ---------------------------------------------------------------- relations


def test_description_of_another_citation_relates_nothing() -> None:
    text = (
        "Thực hiện Kế hoạch số 283/KH-UBND ngày 24/9/2025 của Uỷ ban nhân dân Tỉnh về thực hiện Nghị quyết số "
        "71/NQ-CP ngày 01/5/2025 của Chính phủ và Chương trình hành động số 10-CTr/TU ngày 13/8/2025 của Ban Thường "
        "vụ Tỉnh uỷ về thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa "
        "học, công nghệ đổi mới sáng tạo và chuyển đổi số trên địa bàn tỉnh Đồng Tháp;"
    )
    refs = by_code(text)
    assert {c: r.relation for c, r in refs.items()} == {
        "283/KH-UBND": "implements", "71/NQ-CP": None, "10-CTr/TU": None, "57-NQ/TW": None}
    assert refs["10-CTr/TU"].doc_type == "Chương trình" and refs["71/NQ-CP"].issuer == "Chính phủ"


def test_reviews_and_the_plan_it_reviews() -> None:
    text = ("(3) Cho ý kiến đối với dự thảo Báo cáo sơ kết 01 năm thực hiện Kế hoạch số 09-KH/ĐU ngày 29/4/2025 của "
            "Đảng ủy VKSND tối cao về thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá")
    assert {c: r.relation for c, r in by_code(text).items()} == {"09-KH/ĐU": "reviews", "57-NQ/TW": None}


def test_a_list_after_one_verb_shares_it() -> None:
    text = ("(3) Cho ý kiến đối với Báo cáo sơ kết 01 năm thực hiện Nghị quyết số 59-NQ/TW ngày 24/01/2025 của Bộ "
            "Chính trị về hội nhập quốc tế trong tình hình mới; Nghị quyết số 66-NQ/TW ngày 30/4/2025 của Bộ Chính trị "
            "về đổi mới công tác xây dựng pháp luật và thi hành pháp luật đáp ứng yêu cầu phát triển đất nước trong kỷ "
            "nguyên mới và Nghị quyết số 68-NQ/TW ngày 04/5/2025 của Bộ Chính trị về phát triển kinh tế tư nhân.")
    assert {c: r.relation for c, r in by_code(text).items()} == {
        "59-NQ/TW": "reviews", "66-NQ/TW": "reviews", "68-NQ/TW": "reviews"}


def test_passive_amendment_does_not_govern_and_the_list_is_based_on() -> None:
    text = ("Căn cứ Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân số 85/2015/QH13, ngày 25/6/2015 và được "
            "sửa đổi, bổ sung một số điều tại Luật số 83/2025/QH15, ngày 24/6/2025; Luật Mặt trận Tổ quốc Việt Nam số "
            "75/2015/QH13, ngày 09/6/2015 và Luật số 97/2025/QH15, ngày 27/6/2025 về sửa đổi, bổ sung một số điều của "
            "Luật Mặt trận Tổ quốc Việt Nam, Luật Công đoàn; Chỉ thị số 46-CT/TW, ngày 16/5/2025 của Bộ Chính trị về "
            "lãnh đạo cuộc bầu cử;")
    refs = by_code(text)
    assert {c: r.relation for c, r in refs.items()} == dict.fromkeys(
        ["85/2015/QH13", "83/2025/QH15", "75/2015/QH13", "97/2025/QH15", "46-CT/TW"], "based_on")
    assert refs["83/2025/QH15"].doc_type == "Luật"


@pytest.mark.parametrize(
    "text, code, relation",
    [
        ("+ Giao Văn phòng VKSND tối cao chủ trì tham mưu sửa đổi Quy định về tổ chức hội nghị, hội thảo của VKSND "
         "tối cao (số 03/QyĐ-VKSTC, ngày 24/10/2019 của Viện trưởng VKSND tối cao)", "03/QyĐ-VKSTC", "amends"),
        ("Xây dựng Nghị định quy định về cơ chế thu, quản lý học phí (thay thế Nghị định số 87/2021/NĐ-CP và Nghị định "
         "số 97/2023/NĐ-CP)", "97/2023/NĐ-CP", "replaces"),
        ("Sửa đổi hoặc ban hành thay thế Quyết định số 37/2018/QĐ-TTg của Thủ tướng Chính phủ quy định tiêu chuẩn",
         "37/2018/QĐ-TTg", "amends"),
        ("Giao Văn phòng VKSND tối cao chủ trì tổ chức sơ kết việc thực hiện Quy định về công tác hướng dẫn, giải đáp "
         "vướng mắc về pháp luật, nghiệp vụ; báo cáo thỉnh thị, trả lời thỉnh thị trong ngành Kiểm sát nhân dân (ban "
         "hành kèm theo Quyết định số 599/QĐ-VKSTC ngày 06/12/2019 của Viện trưởng VKSND tối cao)", "599/QĐ-VKSTC",
         "reviews"),
        ("Theo đề nghị của Bộ trưởng Bộ Khoa học và Công nghệ tại Tờ trình số 04/TTr-BKHCN-BTTTT ngày 02 tháng 01 năm "
         "2025 và công văn số 83/BKHCN-BTTTT-VP ngày 08 tháng 01 năm 2025", "83/BKHCN-BTTTT-VP", "based_on"),
        ("(1) Tổ chức hiệp thương lần thứ nhất: Chậm nhất ngày 10/12/2025 (trước ngày bầu cử 95 ngày theo Điều 39, "
         "Điều 50 Luật số 85/2015/QH13 về Bầu cử đại biểu Quốc hội)", "85/2015/QH13", "based_on"),
        ("Tại phiên họp ngày 28/11/2025, sau khi nghe Báo cáo của Ban Tổ chức Trung ương về tình hình (Báo cáo số "
         "565-BC/BTCTW, ngày 27/11/2025), Bộ Chính trị, Ban Bí thư kết luận như sau:", "565-BC/BTCTW", "mentions"),
        ("Tổng Cục Quản lý ruộng đất ... chấn chỉnh và thành lập ngay theo tinh thần Nghị định 404-CP ngày 09/11/1979 "
         "của Hội đồng Chính phủ", "404-CP", "implements"),
        ("- Việc triển khai các nhiệm vụ phải bảo đảm an toàn hệ thống thông tin theo cấp độ, tuân thủ Luật Dữ liệu số "
         "60/2024/QH15 và Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15;", "91/2025/QH15", "mentions"),
        ("Hạ tầng đảm bảo ATTT cấp độ 3 để kết nối CSDL Quốc gia về Dân cư theo hướng dẫn tại Công văn số "
         "708/BTTTT-CATTT ngày 02/03/2024 của Bộ Thông tin và truyền thông", "708/BTTTT-CATTT", "implements"),
    ],
)
def test_relation_from_the_governing_verb(text: str, code: str, relation: str) -> None:
    assert by_code(text)[code].relation == relation


def test_strongest_relation_wins_for_all_mentions() -> None:
    text = ("Căn cứ Chương trình số 1249a/CTPH-UBDT-BTP ngày 13/11/2014 của Ủy ban Dân tộc và Bộ Tư pháp về phối hợp "
            "công tác giữa Ủy ban Dân tộc và Bộ Tư pháp giai đoạn 2014 - 2020,\n"
            "a) Triển khai kịp thời, có hiệu quả Chương trình số 1249a/CTPH-UBDT-BTP ngày 13/11/2014 của Ủy ban Dân "
            "tộc và Bộ Tư pháp.")
    refs = find_references(text)
    assert [r.relation for r in refs] == ["implements", "implements"]


def test_resolve_relations_helper() -> None:
    refs = [
        Reference(text="a", code="57-NQ/TW", relation=None, span=(0, 1)),
        Reference(text="b", code="57-NQ/TW", relation="based_on", span=(2, 3)),
        Reference(text="c", code="57-NQ/TW", relation="reviews", span=(4, 5)),
        Reference(text="d", code="45-NQ/TW", relation="mentions", span=(6, 7)),
    ]
    assert [r.relation for r in resolve_relations(refs)] == ["reviews", "reviews", "reviews", "mentions"]


# ---------------------------------------------------------------- named and numbered short forms


def test_named_documents_without_a_number() -> None:
    text = ("Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n"
            "2.6. Tăng cường lãnh đạo, chỉ đạo công tác tuyên giáo - dân vận, đoàn thể. Tăng cường thực hiện Luật Dân "
            "chủ ở cơ sở.\n"
            "1. Đảm bảo sự thống nhất trong tổ chức triển khai, thực hiện Nghị quyết Đại hội lần thứ XIV của Đảng, các "
            "nghị quyết, kết luận.")
    refs = [r for r in find_references(text) if r.code is None]
    assert [(r.title, r.doc_type, r.issued_date, r.relation) for r in refs] == [
        ("Luật Tổ chức Chính phủ", "Luật", "2015-06-19", "based_on"),
        ("Luật Dân chủ ở cơ sở", "Luật", None, "implements"),
        ("Nghị quyết Đại hội lần thứ XIV của Đảng", "Nghị quyết", None, "implements"),
    ]


def test_numbered_short_forms_without_a_full_code() -> None:
    text = ("108. Hoàn thành việc triển khai các nhiệm vụ phục vụ chuyển đổi số, bảo đảm kết nối với Đề án 06, gồm: "
            "(10) Đẩy mạnh thực hiện Chỉ thị 18 chống thất thu thuế")
    refs = by_code(text)
    assert {c: (r.doc_type, r.relation) for c, r in refs.items()} == {
        "06": ("Đề án", "mentions"), "18": ("Chỉ thị", "implements")}


def test_a_document_being_drafted_is_not_cited() -> None:
    text = ("Tập trung xây dựng Đề án “Tăng cường sự lãnh đạo của Đảng đối với VKSND trong giai đoạn mới”; "
            "a) Triển khai tốt Đề án “Tăng cường hiệu quả công tác hỗ trợ, tư vấn học tập và tâm lý cho sinh viên giai "
            "đoạn 2021 – 2025”.")
    refs = find_references(text)
    assert [(r.doc_type, r.relation) for r in refs] == [("Đề án", "implements")]
    assert "tư vấn học tập" in refs[0].title


def test_a_defined_short_name_and_its_later_uses() -> None:
    text = ("Thực hiện Kế hoạch số 283/KH-UBND ngày 24/9/2025 của Uỷ ban nhân dân Tỉnh về thực hiện Nghị quyết số "
            "71/NQ-CP (sau đây gọi tắt là Kế hoạch), Sở Khoa học và Công nghệ hướng dẫn như sau:\n"
            "1. Các đơn vị tổ chức triển khai Kế hoạch.\n2. Báo cáo kết quả thực hiện Kế hoạch này.")
    refs = find_references(text)
    assert [(r.code, r.text) for r in refs if r.code == "283/KH-UBND"][-1] == ("283/KH-UBND", "Kế hoạch")
    assert sum(r.code == "283/KH-UBND" for r in refs) == 2  # `Kế hoạch này` is the document itself
    self_alias = ("Đại học Bách khoa Hà Nội ban hành Kế hoạch “Tăng cường hiệu quả công tác giáo dục”, (sau đây gọi "
                  "tắt là Kế hoạch) cụ thể như sau: Chủ trì theo dõi, đánh giá tình hình thực hiện Kế hoạch.")
    assert find_references(self_alias) == []


def test_normalise_code() -> None:
    assert normalise_code("Số: 57\\-NQ/TW") == "57-NQ/TW"
    assert normalise_code("6582 /SYT-QLBHYTCNTT") == "6582/SYT-QLBHYTCNTT"


# ---------------------------------------------------------------- whole documents, speed


@pytest.mark.parametrize("name", ["vksnd-nq-trien-khai-kl226", "vksnd-ctr-btv-2026", "qd-173-qdbtp-ke-hoach-phoi-hop",
                                  "kh-617-khubnd-dong-thap-cds-doanh-nghiep"])
def test_whole_document_codes_dates_relations(name: str) -> None:
    """On the raw text file, the cited codes, dates and relations are the gold ones (kh-617's 80/2021/NĐ-CP aside:
    its gold `mentions` reads `theo` differently from the corpus' other documents)."""
    gold = json.loads((CORPUS / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    text = (CORPUS / "docs" / f"{name}.txt").read_text(encoding="utf-8")
    found = by_code(text, gold["document"]["code"])
    want = {normalise_code(g["code"]): g for g in gold["references"] if g.get("code")}
    assert set(found) == set(want)
    for code, g in want.items():
        assert found[code].issued_date == g.get("issued_date"), code
        assert found[code].doc_type == g["doc_type"], code
        if code != "80/2021/NĐ-CP":
            assert found[code].relation == g.get("relation"), code


def test_speed_on_a_25_kb_document() -> None:
    text = (CORPUS / "docs" / "kh-3260-khddqh15-dang-doan-quoc-hoi-nq57.txt").read_text(encoding="utf-8")
    find_references(text)
    t0 = time.perf_counter()
    for _ in range(5):
        find_references(text, "3260-KH/ĐĐQH15")
    assert (time.perf_counter() - t0) / 5 < 0.05
