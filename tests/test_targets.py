"""Targets: every number form, comparator and non-target pinned on short excerpts of the corpus."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from extractors.targets import find_targets, targets_from_row
from extractors.vnnumbers import parse_number

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def one(text: str) -> object:
    found = find_targets(text)
    assert len(found) == 1, [(t.value, t.unit, t.text) for t in found]
    return found[0]


def values(text: str) -> list[tuple[float | None, float | None, str | None, str]]:
    return [(t.value, t.value_max, t.unit, t.comparator) for t in find_targets(text)]


# ---------------------------------------------------------------- number forms


def test_percentage_with_minimum_decrease_period_and_baseline() -> None:
    t = one(
        "Hằng năm, mỗi cơ quan, đơn vị trong ngành Kiểm sát thực hiện giảm tối thiểu 15% số lượng văn bản, "
        "báo cáo hành chính so với năm trước."
    )
    assert (t.value, t.unit, t.comparator, t.direction) == (15, "%", ">=", "decrease")
    assert t.baseline == "so với năm trước"
    assert t.period == "Hằng năm"
    assert t.subject.startswith("số lượng văn bản, báo cáo hành chính")
    assert "giảm tối thiểu 15% số lượng văn bản" in t.text


def test_percentage_written_with_a_space() -> None:
    # the phrase above as some converters write it: `15 %`
    t = one("thực hiện giảm tối thiểu 15 % số lượng văn bản, báo cáo hành chính so với năm trước.")
    assert (t.value, t.unit, t.comparator) == (15, "%", ">=")


def test_plain_percentage_and_streamlining_is_a_decrease() -> None:
    t = one("Đổi mới và cải tiến phương thức tổ chức hội nghị hằng năm theo hướng tiết kiệm, thực chất, hiệu quả, "
            "tinh giản 10% số lượng hội nghị hằng năm.")
    assert (t.value, t.comparator, t.direction) == (10, "=", "decrease")


def test_negated_verb_with_qua_is_an_upper_limit() -> None:
    t = one("Tăng cường tổ chức hội nghị trực tuyến, giảm hội nghị trực tiếp (không tổ chức quá 40% tổng số hội nghị "
            "theo hình thức trực tiếp)")
    assert (t.value, t.unit, t.comparator) == (40, "%", "<=")


def test_several_targets_in_one_paragraph_each_with_its_clause() -> None:
    text = ("- Hằng năm, phấn đấu 99% đảng viên trở lên được xếp loại hoàn thành tốt nhiệm vụ, trong đó 20% đảng viên "
            "hoàn thành xuất sắc nhiệm vụ; phấn đấu 100% tổ chức đảng trực thuộc xếp loại hoàn thành tốt nhiệm vụ, "
            "trong đó 20% hoàn thành xuất sắc nhiệm vụ; phấn đấu giảm tối đa số lượng đảng viên bị kỷ luật.")
    found = find_targets(text, offset=1000)
    assert [(t.value, t.comparator) for t in found] == [(99, ">="), (20, "="), (100, "="), (20, "=")]
    assert found[0].text == found[1].text and "99% đảng viên trở lên" in found[0].text
    assert "tổ chức đảng trực thuộc" in found[2].text and "99%" not in found[2].text
    a, b = found[2].span
    assert text[a - 1000 : b - 1000] == found[2].text  # spans are offset + local index
    assert all(t.period == "Hằng năm" for t in found)


def test_range_with_den_and_counted_noun() -> None:
    t = one("100% cấp ủy các cấp được bồi dưỡng, tập huấn nghiệp vụ công tác Đảng; kết nạp mới 20 đến 25 đảng viên.".split(";")[1])
    assert (t.value, t.value_max, t.unit, t.comparator) == (20, 25, "đảng viên", "range")


def test_zero_padded_range_with_hyphen() -> None:
    t = one("- Phấn đấu 03-05 dự án quy mô lớn được chấp thuận chủ trương đầu tư, cấp giấy chứng nhận đăng ký đầu tư")
    assert (t.value, t.value_max, t.unit, t.comparator) == (3, 5, "dự án", "range")


def test_percentage_range() -> None:
    t = one("có đầu tư Trung tâm nghiên cứu và phát triển tại Việt Nam với tỷ lệ 1% - 3% doanh thu.")
    assert (t.value, t.value_max, t.unit, t.comparator) == (1, 3, "%", "range")


def test_sign_comparator_split_across_a_line() -> None:
    t = one("a) Đến hết năm 2025: Có ≥\n30% DNNVV, HTX, HKD trên địa bàn Tỉnh ứng dụng công nghệ số.")
    assert (t.value, t.comparator, t.period) == (30, ">=", "Đến hết năm 2025")


def test_tren_and_it_nhat() -> None:
    assert values("- Đến năm 2025 đạt trên 90% sinh viên tham gia các hoạt động văn hóa, thể dục thể thao") == [
        (90, None, "%", ">=")
    ]
    assert values(
        "- Đến năm 2025, phấn đấu giới thiệu 1500 đoàn viên ưu tú cho Đảng, trong đó đến năm 2024, ít nhất 100 đoàn "
        "viên ưu tú được kết nạp vào Đảng và đến năm 2025 ít nhất 120 đoàn viên ưu tú được kết nạp vào Đảng."
    ) == [(1500, None, "đoàn viên", "="), (100, None, "đoàn viên", ">="), (120, None, "đoàn viên", ">=")]


def test_toi_thieu_with_a_list_of_counted_nouns_and_thousands_dot() -> None:
    t = one("- Tối thiểu 1.000 hộ kinh doanh, hợp tác xã, doanh nghiệp nhỏ và vừa được hướng dẫn sử dụng.")
    assert (t.value, t.unit, t.comparator) == (1000, "hộ kinh doanh, hợp tác xã, doanh nghiệp nhỏ và vừa", ">=")


def test_scale_words_and_money() -> None:
    t = one("Hoàn thiện cơ sở dữ liệu đối với toàn bộ khoảng 4,2 triệu thửa đất trên địa bàn Thành phố")
    assert (t.value, t.unit) == (4_200_000, "thửa đất")
    t = one("- Tổng vốn đầu tư mục tiêu khoảng 50.000 tỷ đồng.")
    assert (t.value, t.unit, t.comparator) == (50_000, "tỷ đồng", "=")


def test_counts_per_period_and_padded_counts() -> None:
    assert values("- 126 xã, phường tổ chức sự kiện livestreams (duy trì tối thiểu 01 lần/tuần)") == [
        (126, None, "xã, phường", "="),
        (1, None, "lần/tuần", ">="),
    ]
    assert values("b) Biên soạn, phát hành các tài liệu pháp luật phục vụ công tác phổ biến, giáo dục pháp luật cho đồng "
                  "bào dân tộc thiểu số (06 tờ gấp pháp luật và 01 sổ tay nghiệp vụ phổ biến pháp luật dành cho cán "
                  "bộ làm công tác dân tộc)") == [
        (6, None, "tờ gấp", "="),
        (1, None, "sổ tay", "="),
    ]


def test_a_fragment_after_a_semicolon_keeps_its_context() -> None:
    found = find_targets("Tổng số: 24 máy chủ ảo hóa; 01 Storage")
    assert [(t.value, t.unit) for t in found] == [(24, "máy chủ"), (1, "Storage")]
    assert found[1].text == "Tổng số: 24 máy chủ ảo hóa; 01 Storage"


def test_durations_as_limits() -> None:
    t = one("tài liệu hội nghị phải được gửi cho các đại biểu trước ít nhất 01 ngày để nghiên cứu, thảo luận tại hội nghị")
    assert (t.value, t.unit, t.comparator) == (1, "ngày", ">=")
    t = one("trường hợp đặc biệt có thể gia hạn tối đa 15 ngày làm việc")
    assert (t.value, t.unit, t.comparator) == (15, "ngày", "<=")


def test_only_the_percentage_when_a_number_qualifies_what_it_counts() -> None:
    assert values("- 100% nhóm hộ có doanh thu trên 1 tỷ đồng sử dụng hóa đơn điện tử khởi tạo từ máy tính tiền;") == [
        (100, None, "%", "=")
    ]
    assert values("100% hồ sơ phát sinh của nhóm 05 thủ tục giao dịch bảo đảm bằng quyền sử dụng đất") == [
        (100, None, "%", "=")
    ]


def test_increase() -> None:
    t = one("- Mở rộng thêm 5.000 hộ kinh doanh đăng ký sử dụng hóa đơn điện tử;")
    assert (t.value, t.unit, t.direction) == (5000, "hộ kinh doanh", "increase")


# ---------------------------------------------------------------- what is not a target


@pytest.mark.parametrize(
    "text",
    [
        "bảo đảm nguyên tắc, cơ chế thực hiện 05 rõ (rõ người, rõ việc, rõ thời hạn, rõ nguồn lực, rõ trách nhiệm)",
        "bảo đảm 3 Dễ (Dễ hiểu - Dễ nhớ - Dễ thực hiện), 3 Không (Không đúng thẩm quyền), 5 Rõ (Rõ người - Rõ việc)",
        "- Việc triển khai phải bảo đảm nguyên tắc “6 rõ”: rõ việc, rõ người chịu trách nhiệm, rõ thời hạn",
        "Tập trung cao điểm “45 ngày” về hoàn thiện cơ sở dữ liệu quốc gia về đất đai",
        "(3) Cho ý kiến đối với dự thảo Báo cáo sơ kết 01 năm thực hiện Kế hoạch số 09-KH/ĐU ngày 29/4/2025",
        "3. Hội nghị thường kỳ tháng 3/2026",
        "(1) Đánh giá kết quả thực hiện nhiệm vụ tháng 12/2025 và phương hướng, nhiệm vụ trọng tâm Quý I/2026",
        "tình hình, kết quả hoạt động của bộ máy hệ thống chính trị và chính quyền địa phương 2 cấp tháng 11/2025",
        "Cho ý kiến đối với các tài liệu trình Hội nghị Ban Chấp hành lần thứ Tư",
        "2.1. Chuẩn bị các văn bản về nhân sự và tổ chức 3 Hội nghị hiệp thương công tác bầu cử",
        "Bảng theo dõi tiến độ trên Không gian làm việc số HanoiWork, hoàn thành trong 15 ngày kể từ ngày Kế hoạch "
        "được ban hành",
        "- Số lượng người dùng : 4.231 tài khoản",
        "CPU ≥ 8vCPU, Intel Xeon Processor (Skylake, IBRS), 2.3 GHz hoặc tương đương; RAM ≥ 8GB DDR4; HDD ≥ 100GB",
        "Chi phí SMS hàng năm để xác thực OTP: Dự kiến 700.000 tin nhắn SMS/1 năm",
        "(10) Đẩy mạnh thực hiện Chỉ thị 18 chống thất thu thuế",
        "(trước ngày bầu cử 95 ngày theo Điều 39, Điều 50 Luật số 85/2015/QH13 về Bầu cử đại biểu Quốc hội)",
        "Tích hợp Không gian làm việc số HanoiWork với các hệ thống quản lý văn bản của 4 trục cơ quan",
        "căn cứ các mục tiêu tại Kế hoạch hành động số 20-KH/BCĐ57 ngày 19/01/2026 của Ban Chỉ đạo 57 Thành ủy",
        "Nghị quyết Đại hội đại biểu Đảng bộ VKSND tối cao lần thứ I, nhiệm kỳ 2025 - 2030",
        "Để phục vụ kế hoạch phát triển kinh tế 5 năm lần thứ 3 (1981-1985) và kế hoạch dài hạn",
        "- Hơn nữa, Quy hoạch hạ tầng thông tin và truyền thông thời kỳ 2021 - 2030, tầm nhìn đến năm 2050",
        "Ở cơ quan, doanh nghiệp, hợp tác xã có từ 3 đảng viên chính thức trở lên thì lập tổ chức cơ sở đảng",
    ],
)
def test_not_targets(text: str) -> None:
    assert find_targets(text) == []


# ---------------------------------------------------------------- table rows

INDICATOR_HEADER = ["TT", "Chỉ tiêu", "Đơn vị", "Kết quả", "Cơ quan chủ trì theo dõi, đánh giá"]


def row(cells: list[str], start: int = 0) -> tuple[list[str], list[tuple[int, int]]]:
    spans, pos = [], start
    for c in cells:
        spans.append((pos, pos + len(c)))
        pos += len(c) + 3
    return cells, spans


def test_indicator_row_gives_one_target_per_value() -> None:
    cells, spans = row(["4", "Xếp hạng năng lực cạnh tranh số", "Thứ bậc", "≤ 3 Đông Nam Á; ≤ 50 Thế giới",
                        "Bộ Thông tin và Truyền thông"], start=500)
    found = targets_from_row(cells, INDICATOR_HEADER, spans)
    assert [(t.value, t.unit, t.comparator) for t in found] == [(3, "Thứ bậc", "<="), (50, "Thứ bậc", "<=")]
    assert found[0].text == " | ".join(cells)
    assert found[0].span == (500, spans[-1][1])
    assert found[0].lead == ["Bộ Thông tin và Truyền thông"] and found[0].support == []
    assert "Đông Nam Á" in found[0].subject and "Thế giới" in found[1].subject


@pytest.mark.parametrize(
    "cells, expected",
    [
        (["19", "Tổ chức khoa học và công nghệ được xếp hạng khu vực và thế giới", "Tổ chức", "40 - 50",
          "Bộ Khoa học và Công nghệ"], [(40, 50, "Tổ chức", "range")]),
        (["14", "Khoa học, công nghệ và đổi mới sáng tạo góp phần quan trọng", "Chỉ số phát triển con người (HDI)",
          "> 0,7", "Bộ Khoa học và Công nghệ"], [(0.7, None, "Chỉ số phát triển con người (HDI)", ">=")]),
        (["23.2", "Số tuyến cáp quang biển mới đưa vào hoạt động", "Tuyến cáp quang biển", "09",
          "Bộ Thông tin và Truyền thông"], [(9, None, "Tuyến cáp quang biển", "=")]),
        (["41", "Làm chủ một số công nghệ chíp và vi mạch bán dẫn", "%", "20% - 50%", "Bộ Công an"],
         [(20, 50, "%", "range")]),
        (["1", "Tiềm lực, trình độ khoa học, công nghệ và đổi mới sáng tạo", "Thứ bậc",
          "Đạt mức tiên tiến ở nhiều lĩnh vực quan trọng", "Bộ Khoa học và Công nghệ"], []),
        (["I", "Đến năm 2030", "", "", ""], []),
    ],
)
def test_indicator_row_values(cells: list[str], expected: list[tuple]) -> None:
    cells, spans = row(cells)
    assert [(t.value, t.value_max, t.unit, t.comparator) for t in targets_from_row(cells, INDICATOR_HEADER, spans)] == expected


def test_indicator_row_direction_and_responsible_units() -> None:
    cells, spans = row(["29", "Hình thành các Trung tâm dữ liệu quốc gia", "Trung tâm dữ liệu quốc gia", "≥ 03",
                        "Bộ Công an, Bộ Thông tin và Truyền thông và các bộ, ngành"])
    (t,) = targets_from_row(cells, INDICATOR_HEADER, spans)
    assert (t.value, t.comparator) == (3, ">=")
    assert t.lead == ["Bộ Công an", "Bộ Thông tin và Truyền thông và các bộ, ngành"]
    cells, spans = row(["17", "Chi ngân sách hàng năm cho phát triển khoa học, công nghệ, đổi mới sáng tạo",
                        "% tổng chi NSNN", "≥ 3% và tăng dần theo yêu cầu phát triển", "Bộ Tài chính"])
    (t,) = targets_from_row(cells, INDICATOR_HEADER, spans)
    assert (t.value, t.unit, t.comparator, t.direction) == (3, "% tổng chi NSNN", ">=", "increase")


TASK_HEADER = ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành"]


def test_task_row_with_a_numeric_result() -> None:
    cells, spans = row(["138.", "Lập các cơ sở nghiên cứu chính sách về công nghệ số và chuyển giao những thành tựu "
                        "công nghệ số hiện đại từ nước ngoài vào trong nước.", "Tập đoàn, doanh nghiệp công nghệ số",
                        "Bộ Khoa học và Công nghệ, Bộ Thông tin và Truyền thông", "Ít nhất 10 cơ sở được thành lập",
                        "2030"], start=100)
    (t,) = targets_from_row(cells, TASK_HEADER, spans)
    assert (t.value, t.unit, t.comparator) == (10, "cơ sở", ">=")
    assert t.text == "Ít nhất 10 cơ sở được thành lập" and t.span == spans[4]
    assert t.lead == ["Tập đoàn, doanh nghiệp công nghệ số"]
    assert t.support == ["Bộ Khoa học và Công nghệ", "Bộ Thông tin và Truyền thông"]


def test_task_row_without_a_number_gives_nothing() -> None:
    cells, spans = row(["1.", "Xây dựng, trình Thủ tướng Chính phủ ban hành và tổ chức triển khai chương trình tuyên "
                        "truyền thường xuyên, sâu rộng về nội dung Nghị quyết 57-NQ/TW", "Bộ Thông tin và Truyền thông",
                        "Ban Tuyên giáo Trung ương; các bộ, ngành, địa phương", "Quyết định của Thủ tướng Chính phủ",
                        "6/2025"])
    assert targets_from_row(cells, TASK_HEADER, spans) == []


def test_task_row_counts_a_commitment_restated_in_two_cells_once() -> None:
    header = ["Stt", "", "Tên nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm", "Thời hạn"]
    cells, spans = row(["28", "8", "Phát triển kinh tế đêm sáng tạo Triển khai thí điểm 02 mô hình kinh tế đêm sáng tạo "
                        "(gồm 01 mô hình tại khu vực nội thành và 01 mô hình tại khu vực ngoại thành)",
                        "Sở Văn hóa và Thể thao", "Sở Du lịch, Sở Khoa học và Công nghệ",
                        "02 mô hình kinh tế đêm sáng tạo được triển khai thí điểm trên thực tế.",
                        "100 ngày kể từ ngày ban hành Kế hoạch"])
    found = targets_from_row(cells, header, spans)
    assert [(t.value, t.unit) for t in found] == [(1, "mô hình"), (1, "mô hình"), (2, "mô hình")]
    assert found[-1].text.startswith("02 mô hình kinh tế đêm sáng tạo được triển khai thí điểm")


def test_indicator_row_without_a_header() -> None:
    cells, spans = row(["7", "Số doanh nghiệp công nghệ số ngang tầm các nước tiên tiến", "Doanh nghiệp", "≥ 5",
                        "Bộ Thông tin và Truyền thông"])
    (t,) = targets_from_row(cells, None, spans)
    assert (t.value, t.unit, t.comparator, t.lead) == (5, "Doanh nghiệp", ">=", ["Bộ Thông tin và Truyền thông"])


# ---------------------------------------------------------------- numbers, whole documents, speed


@pytest.mark.parametrize("written, value", [("5.000", 5000), ("4,2", 4.2), ("0,7", 0.7), ("2.729", 2729),
                                            ("1.500.000", 1_500_000), ("2.3", 2.3), ("6.2.4", None)])
def test_parse_number(written: str, value: float | None) -> None:
    assert parse_number(written) == value


def _paragraph_targets(path: Path) -> list:
    text = path.read_text(encoding="utf-8")
    found, pos = [], 0
    for par in text.split("\n\n"):
        found += find_targets(par, pos)
        pos += len(par) + 2
    return found


def test_whole_document_against_its_gold() -> None:
    """Every gold target of a plain-text document is found, with its value, and nothing more."""
    gold = json.loads((CORPUS / "gold" / "vksnd-ctr-btv-2026.json").read_text(encoding="utf-8"))
    found = _paragraph_targets(CORPUS / "docs" / "vksnd-ctr-btv-2026.txt")
    assert [(t.value, t.value_max, t.unit, t.comparator) for t in found] == [
        (g["value"], g["value_max"], g["unit"], g["comparator"]) for g in gold["targets"]
    ]


def test_speed_on_a_25_kb_document() -> None:
    text = (CORPUS / "docs" / "vksnd-ctr-btv-2026.txt").read_text(encoding="utf-8")
    pars = text.split("\n")
    find_targets("phấn đấu 100% sinh viên")  # loads the word list once
    t0 = time.perf_counter()
    for _ in range(5):
        pos = 0
        for par in pars:
            find_targets(par, pos)
            pos += len(par) + 1
    assert (time.perf_counter() - t0) / 5 < 0.05
