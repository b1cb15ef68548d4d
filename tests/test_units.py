"""Unit rules (ANNOTATION.md section 3) pinned on short real excerpts."""
from __future__ import annotations

import pytest

from extractors.abbreviations import defined_abbreviations, expand
from extractors.units import canonical, inline_roles, split_units, unit_kind


@pytest.mark.parametrize(
    "value, expected",
    [
        (
            "Các chi ủy: Vụ 14, Vụ 15, Thanh tra và các đảng ủy: Cơ quan Điều tra, Trường Đại học kiểm sát đã được phân công tại Chương trình hành động",
            ["Chi ủy Vụ 14", "Chi ủy Vụ 15", "Chi ủy Thanh tra", "Đảng ủy Cơ quan Điều tra", "Đảng ủy Trường Đại học kiểm sát"],
        ),
        (
            "Các chi ủy: Vụ 12, Vụ 13 và các đảng ủy: Viện phúc thẩm 1, 2, 3, Cơ quan Điều tra.",
            ["Chi ủy Vụ 12", "Chi ủy Vụ 13", "Đảng ủy Viện phúc thẩm 1", "Đảng ủy Viện phúc thẩm 2", "Đảng ủy Viện phúc thẩm 3", "Đảng ủy Cơ quan Điều tra"],
        ),
        ("các cấp uỷ, tổ chức đảng, các cơ quan, đơn vị, địa phương", ["Các cấp ủy, tổ chức đảng", "Các cơ quan, đơn vị, địa phương"]),
        (
            "Ban Tuyên giáo và Dân vận, Đảng ủy Văn phòng, Đảng ủy Báo Bảo vệ pháp luật và các đoàn thể cơ quan.",
            ["Ban Tuyên giáo và Dân vận", "Đảng ủy Văn phòng", "Đảng ủy Báo Bảo vệ pháp luật", "Các đoàn thể cơ quan"],
        ),
        ("Chi ủy Cục 2, Chi ủy Vụ 13 và Đảng ủy Cục 3 theo chức năng, nhiệm vụ được phân công.", ["Chi ủy Cục 2", "Chi ủy Vụ 13", "Đảng ủy Cục 3"]),
        ("Các sở, ban, ngành tỉnh; UBND các xã, phường", ["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các xã, phường"]),
        ("Vụ Pháp luật quốc tế, Vụ Phổ biến, giáo dục pháp luật", ["Vụ Pháp luật quốc tế", "Vụ Phổ biến, giáo dục pháp luật"]),
        ("Bộ Quốc phòng (Cục Bản đồ Bộ Tổng tham mưu)", ["Bộ Quốc phòng", "Cục Bản đồ Bộ Tổng tham mưu"]),
        ("Ban cán sự đảng Chính phủ (để phối hợp)", ["Ban cán sự đảng Chính phủ"]),
        ("Sở KH&CN", ["Sở Khoa học và Công nghệ"]),
        ("VPĐU, UBKT Đảng ủy", ["Văn phòng Đảng ủy", "Ủy ban Kiểm tra Đảng ủy"]),
        ("Bộ Thông tin và Truyền thông Bộ Khoa học và Công nghệ", ["Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ"]),
    ],
)
def test_split_units(value: str, expected: list[str]) -> None:
    assert split_units(value) == expected


def test_defined_abbreviation_expands_with_alias_kept() -> None:
    text = "Ban Thường vụ Đảng ủy Viện kiểm sát nhân dân (VKSND) tối cao; doanh nghiệp nhỏ và vừa (DNNVV)"
    defined = defined_abbreviations(text)
    assert defined["VKSND"] == "Viện kiểm sát nhân dân" and defined["DNNVV"] == "doanh nghiệp nhỏ và vừa"
    assert canonical("Đảng ủy VKSND cấp tỉnh", defined) == "Đảng ủy Viện kiểm sát nhân dân cấp tỉnh"
    assert expand("Ủy ban KH,CN&MT", defined_abbreviations("Ủy ban Khoa học, Công nghệ và Môi trường (KH,CN&MT)")) == (
        "Ủy ban Khoa học, Công nghệ và Môi trường"
    )


def test_tone_marks_unified() -> None:
    assert canonical("Uỷ ban Kiểm tra") == canonical("Ủy ban Kiểm tra") == "Ủy ban Kiểm tra"
    assert canonical("Sở Văn hoá, Thể thao và Du lịch") == "Sở Văn hóa, Thể thao và Du lịch"


def test_giao_chu_tri_phoi_hop() -> None:
    r = inline_roles("Giao Văn phòng VKSND tối cao chủ trì, phối hợp với Cục Thống kê tội phạm và Chuyển đổi số tham mưu sửa đổi Quy định")
    assert r.lead == ["Văn phòng Viện kiểm sát nhân dân tối cao"]
    assert r.support == ["Cục Thống kê tội phạm và Chuyển đổi số"]


def test_giao_x_lanh_dao_chi_dao_y() -> None:
    r = inline_roles("Giao Đảng uỷ Chính phủ lãnh đạo, chỉ đạo các bộ, ngành tiếp tục phối hợp với Bộ Tư pháp và các cơ quan liên quan khẩn trương rà soát")
    assert r.supervisors == ["Đảng ủy Chính phủ"]
    assert r.lead == ["Các bộ, ngành"]
    assert r.support == ["Bộ Tư pháp", "Các cơ quan liên quan"]


def test_yeu_cau_x_chi_dao_y() -> None:
    r = inline_roles("Yêu cầu Đảng uỷ Chính phủ chỉ đạo các cấp uỷ, tổ chức đảng ở Trung ương theo chức năng, nhiệm vụ được giao khẩn trương lãnh đạo")
    assert r.supervisors == ["Đảng ủy Chính phủ"] and r.lead == ["Các cấp ủy, tổ chức đảng ở Trung ương"]


def test_subject_with_and_without_voi() -> None:
    r = inline_roles("Văn phòng Đảng ủy chủ trì, phối hợp với các Ban tham mưu, giúp việc của Đảng ủy theo dõi, đôn đốc việc chuẩn bị")
    assert r.lead == ["Văn phòng Đảng ủy"] and r.support == ["Các Ban tham mưu, giúp việc của Đảng ủy"]
    r = inline_roles("Các tỉnh uỷ, thành uỷ phối hợp Bộ Y tế, Bộ Giáo dục và Đào tạo, Bộ Nội vụ chỉ đạo rà soát")
    assert r.lead == ["Các tỉnh ủy, thành ủy"] and r.support == ["Bộ Y tế", "Bộ Giáo dục và Đào tạo", "Bộ Nội vụ"]


def test_chiu_trach_nhiem_and_yeu_cau() -> None:
    r = inline_roles("Giao Văn phòng Đảng ủy chịu trách nhiệm theo dõi, đôn đốc, tham mưu việc triển khai Nghị quyết")
    assert r.lead == ["Văn phòng Đảng ủy"]
    r = inline_roles("Yêu cầu các cấp uỷ, tổ chức đảng, các cơ quan, đơn vị, địa phương nghiêm túc triển khai kịp thời")
    assert r.lead == ["Các cấp ủy, tổ chức đảng", "Các cơ quan, đơn vị, địa phương"]


def test_no_units_in_a_plain_action() -> None:
    assert inline_roles("Tổ chức hiệp thương lần thứ nhất: Chậm nhất ngày 10/12/2025").empty()


@pytest.mark.parametrize(
    "name, kind",
    [
        ("Chi ủy Vụ 2", "party_cell"),
        ("Đảng ủy Cục 3", "party_committee"),
        ("Ban Thường vụ Đảng ủy Viện kiểm sát nhân dân tối cao", "party_committee"),
        ("Sở Khoa học và Công nghệ", "state_agency"),
        ("Vụ Pháp luật quốc tế", "department"),
        ("Đoàn Thanh niên – Hội Sinh viên", "mass_organisation"),
        ("Các đồng chí Ủy viên Ban Thường vụ Đảng ủy", "person"),
        ("Các cơ quan, đơn vị, địa phương", "collective"),
    ],
)
def test_unit_kind(name: str, kind: str) -> None:
    assert unit_kind(name) == kind


def test_registry_keeps_the_written_forms_as_aliases() -> None:
    from pathlib import Path

    from extractors.pipeline import extract

    path = Path(__file__).resolve().parents[1] / "corpus" / "docs" / "vksnd-nq-trien-khai-kl226.txt"
    units = {u.name: u for u in extract(path.read_bytes(), path.name).units}
    assert units["Văn phòng Đảng ủy"].aliases == ["VPĐU"]
    assert units["Văn phòng Đảng ủy"].kind == "department"
    assert "Văn phòng VKSND tối cao" in units["Văn phòng Viện kiểm sát nhân dân tối cao"].aliases
    # an action or a cited document is never taken for a unit
    assert not any(n.startswith(("Ban hành", "Báo cáo")) or "/QĐ" in n for n in units)
