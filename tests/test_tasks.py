"""Task rules (ANNOTATION.md sections 2-4) pinned on short real excerpts and on corpus documents."""
from __future__ import annotations

from pathlib import Path

import pytest

from extractors.pipeline import extract
from models import Task

DOCS = Path(__file__).resolve().parents[1] / "corpus" / "docs"


def tasks_of(text: str) -> list[Task]:
    return extract(text.encode("utf-8"), "excerpt.txt").tasks


def find(tasks: list[Task], words: str) -> Task:
    hits = [t for t in tasks if words in t.text]
    assert len(hits) == 1, (words, [t.text[:60] for t in tasks])
    return hits[0]


FIELDS_AFTER_ITEM = """QUYẾT NGHỊ

1. Yêu cầu cấp ủy, thủ trưởng các đơn vị tổ chức quán triệt Kết luận. Tập trung lãnh đạo, chỉ đạo thực hiện các nhóm nội dung sau:

1.1. Công tác ban hành văn bản

- Tiếp tục rà soát, hoàn thiện quy chế, quy định trong ngành Kiểm sát.

- Lãnh đạo, chỉ đạo: Các đồng chí Ủy viên Ban Thường vụ Đảng ủy, lãnh đạo VKSND tối cao theo lĩnh vực được giao phụ trách.

- Đơn vị thực hiện: Các đảng ủy, chi ủy trực thuộc, đảng ủy VKSND tỉnh, thành phố.

- Thời gian thực hiện: Thường xuyên.

1.2. Công tác tổ chức các hội nghị

- Đổi mới và cải tiến phương thức tổ chức hội nghị hằng năm theo hướng tiết kiệm.

- Đơn vị thực hiện:

+ Giao Văn phòng VKSND tối cao chủ trì, phối hợp với Cục Thống kê tội phạm và Chuyển đổi số tham mưu sửa đổi Quy định về tổ chức hội nghị, hoàn thành trước tháng 3/2026; tham mưu ban hành Quy chế sử dụng Phần mềm Quản lý văn bản và điều hành, trong tháng 02/2026.

+ Các đảng bộ, chi bộ trực thuộc, đảng bộ VKSND tỉnh, thành phố.

- Thời gian thực hiện: Thường xuyên.
"""


def test_field_lines_qualify_the_items_they_follow() -> None:
    tasks = tasks_of(FIELDS_AFTER_ITEM)
    t = find(tasks, "Tiếp tục rà soát, hoàn thiện quy chế")
    assert t.lead == ["Các đảng ủy, chi ủy trực thuộc", "Đảng ủy Viện kiểm sát nhân dân tỉnh, thành phố"]
    assert t.supervisors == ["Các đồng chí Ủy viên Ban Thường vụ Đảng ủy", "Lãnh đạo Viện kiểm sát nhân dân tối cao"]
    assert t.deadline.kind == "ongoing"
    # field lines and the heading `1.1.` are not tasks
    assert not any(x.text.startswith(("Lãnh đạo, chỉ đạo", "Đơn vị thực hiện", "Thời gian")) for x in tasks)
    assert not any(x.text == "Công tác ban hành văn bản" for x in tasks)


def test_sub_bullet_with_its_own_unit_and_deadlines_gives_its_own_tasks() -> None:
    tasks = tasks_of(FIELDS_AFTER_ITEM)
    parent = find(tasks, "Đổi mới và cải tiến phương thức")
    # the unit-only sub-bullet is the parent's unit; its deadline stays the field's
    assert parent.lead[0] == "Các đảng bộ, chi bộ trực thuộc" and parent.deadline.kind == "ongoing"
    first = find(tasks, "tham mưu sửa đổi Quy định về tổ chức hội nghị")
    second = find(tasks, "tham mưu ban hành Quy chế sử dụng Phần mềm")
    assert first.lead == second.lead == ["Văn phòng Viện kiểm sát nhân dân tối cao"]
    assert first.support == ["Cục Thống kê tội phạm và Chuyển đổi số"] and second.support == []
    assert (first.deadline.kind, first.deadline.start, first.deadline.due) == ("dated", None, "2026-02-28")
    assert (second.deadline.start, second.deadline.due) == ("2026-02-01", "2026-02-28")


def test_assigning_heading_is_a_task_with_its_units() -> None:
    t = find(tasks_of(FIELDS_AFTER_ITEM), "tổ chức quán triệt Kết luận")
    assert t.lead[0].startswith("Cấp ủy")


MEETING = """CHƯƠNG TRÌNH
Công tác của Ban Thường vụ Đảng ủy Viện kiểm sát nhân dân tối cao năm 2026

III. CHƯƠNG TRÌNH LÀM VIỆC CỦA BAN THƯỜNG VỤ

3. Hội nghị thường kỳ tháng 3/2026

- **Thời gian:** Tuần đầu tháng 3/2026.

- **Nội dung:** (1) Đánh giá kết quả thực hiện nhiệm vụ tháng 02/2026; (2) Cho ý kiến đối với các tài liệu trình Hội nghị Ban Chấp hành lần thứ Tư, gồm: 1) Báo cáo kết quả công tác Đảng quý I; 2) Cho ý kiến đối với dự thảo Kế hoạch luân chuyển cán bộ; 3) Thông qua Chương trình hành động; (3) Xem xét, quyết định xếp loại Quý I/2026.

T/M BAN THƯỜNG VỤ
BÍ THƯ

Nguyễn Huy Tiến
"""


def test_meeting_agenda_items_are_tasks_of_the_body_due_at_the_meeting() -> None:
    tasks = tasks_of(MEETING)
    texts = [t.text for t in tasks]
    assert texts == [
        "Đánh giá kết quả thực hiện nhiệm vụ tháng 02/2026",
        "Báo cáo kết quả công tác Đảng quý I",
        "Cho ý kiến đối với dự thảo Kế hoạch luân chuyển cán bộ",
        "Thông qua Chương trình hành động",
        "Xem xét, quyết định xếp loại Quý I/2026",
    ]
    for t in tasks:
        assert t.lead == ["Ban Thường vụ Đảng ủy Viện kiểm sát nhân dân tối cao"]
        assert (t.deadline.start, t.deadline.due) == ("2026-03-01", "2026-03-07")
        assert t.path == "III.3"
    assert [t.id for t in tasks] == [f"III.3#{n}" for n in range(1, 6)]


def test_task_table_rows_with_group_rows() -> None:
    x = extract((DOCS / "kh-617-khubnd-dong-thap-cds-doanh-nghiep.txt").read_bytes(), "kh-617.txt")
    rows = [t for t in x.tasks if t.path.startswith("PL.")]
    assert [t.path for t in rows] == ["PL.I.1", "PL.I.2", "PL.I.3", "PL.II.4", "PL.II.5", "PL.II.6", "PL.II.7", "PL.III.8", "PL.IV.9", "PL.IV.10", "PL.IV.11"]
    row = rows[3]
    assert row.text == "Xây dựng Bộ tiêu chí đánh giá mức độ chuyển đổi số doanh nghiệp."
    assert row.lead == ["Sở Khoa học và Công nghệ"] and row.support == ["Các sở, ban, ngành tỉnh"]
    assert (row.deadline.kind, row.deadline.start, row.deadline.due) == ("dated", "2025-10-01", "2025-12-31")
    assert rows[4].lead == ["Sở Công Thương"]


def test_purpose_section_items_are_not_tasks_and_closing_section_is() -> None:
    x = extract((DOCS / "kh-617-khubnd-dong-thap-cds-doanh-nghiep.txt").read_bytes(), "kh-617.txt")
    assert not any(t.path.startswith(("I.", "II.")) for t in x.tasks)
    # `3. Sở Công Thương` heads the task under it
    t = next(t for t in x.tasks if t.path == "IV.3")
    assert t.lead == ["Sở Công Thương"]


def test_sentence_with_its_own_actor_is_its_own_task() -> None:
    x = extract((DOCS / "kl-221-kltw-bo-may-chinh-quyen-2-cap.txt").read_bytes(), "kl-221.txt")
    t = find(x.tasks, "Yêu cầu các đồng chí bí thư tỉnh uỷ, thành uỷ")
    assert not t.text.startswith("Yêu cầu các cấp uỷ, tổ chức đảng")
    t = find(x.tasks, "Giao Đảng uỷ Chính phủ lãnh đạo, chỉ đạo các bộ, ngành")
    assert t.supervisors == ["Đảng ủy Chính phủ"] and t.lead == ["Các bộ, ngành"]
    # item 1 only agrees with a report: no task
    assert not any("Cơ bản thống nhất với Báo cáo" in t.text for t in x.tasks)


def test_items_handed_to_units_by_their_numbers() -> None:
    x = extract((DOCS / "kh-hust-giao-duc-dao-duc-sinh-vien.txt").read_bytes(), "hust.txt")
    assert find(x.tasks, "Cập nhật chương trình, giáo trình giảng dạy").lead == ["Phòng Công tác Sinh viên"]
    assert find(x.tasks, "Đổi mới nội dung tuyên truyền").lead == ["Đoàn Thanh niên – Hội sinh viên"]


def test_report_outline_gives_only_its_instructions() -> None:
    x = extract((DOCS / "vksnd-nq-trien-khai-kl226.txt").read_bytes(), "nq.txt")
    outline = [t for t in x.tasks if t.path.startswith(("I", "II"))]
    assert outline and all("trách nhiệm" in t.text or "gửi về" in t.text for t in outline)
    assert not any(t.text.startswith("Số lượng hội nghị tổ chức theo hình thức trực tiếp") for t in x.tasks)


@pytest.mark.parametrize("name", sorted(p.name for p in DOCS.glob("*.txt")))
def test_every_task_is_checkable(name: str) -> None:
    x = extract((DOCS / name).read_bytes(), name)
    ids = [t.id for t in x.tasks]
    assert len(ids) == len(set(ids))
    for t in x.tasks:
        assert x.text[t.span[0]: t.span[1]] == t.text
        assert 0.0 <= t.confidence <= 1.0
        if t.deadline.kind == "dated":
            assert t.deadline.due or t.deadline.start


def test_step_durations_in_a_task_table_are_relative() -> None:
    x = extract((DOCS / "cv-6582-syt-ha-noi-di-tru-hssk.pdf").read_bytes(), "cv-6582.pdf")
    t = find(x.tasks, "Cài đặt CSDL và ứng dụng")
    assert (t.deadline.kind, t.deadline.offset_days, t.deadline.due) == ("relative", 10, None)


def test_clause_with_a_later_deadline_splits_only_where_an_action_starts() -> None:
    text = (
        "1. Nhiệm vụ\n"
        "+ Giao Văn phòng VKSND tối cao chủ trì, phối hợp với các đơn vị có liên quan tổ chức sơ kết việc thực hiện "
        "Quy định về công tác hướng dẫn, giải đáp vướng mắc về pháp luật, nghiệp vụ; báo cáo thỉnh thị, trả lời thỉnh thị "
        "trong ngành Kiểm sát nhân dân (ban hành kèm theo Quyết định số 599/QĐ-VKSTC ngày 06/12/2019 của Viện trưởng "
        "VKSND tối cao) để tham mưu, đề xuất sửa đổi Quy định, hoàn thành trước tháng 4/2026.\n"
    )
    tasks = tasks_of(text)
    assert len(tasks) == 1
    assert tasks[0].deadline.due == "2026-03-31" and tasks[0].deadline.kind == "dated"


MEMO = """UBND TỈNH BÌNH PHƯỚC
SỞ Y TẾ
Số: 123/SYT-NVY
V/v triển khai tiêm chủng
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Bình Phước, ngày 05 tháng 3 năm 2026
Kính gửi: Các bệnh viện.
Thực hiện Công văn số 45/BYT-DP, Sở Y tế đề nghị các bệnh viện thực hiện các nội dung sau:
- Rà soát đối tượng, báo cáo trước ngày 15/3/2026.
- Phối hợp với Trung tâm Kiểm soát bệnh tật tổ chức tiêm bù trong tháng 4/2026.
Nơi nhận:
- Như trên;
- Lưu: VT.
GIÁM ĐỐC
Nguyễn Văn Hùng
"""


def test_memo_made_only_of_bullets() -> None:
    x = extract(MEMO.encode("utf-8"), "cv.txt")
    assert (x.document.doc_type, x.document.code, x.document.issued_date) == ("Công văn", "123/SYT-NVY", "2026-03-05")
    assert x.document.title == "V/v triển khai tiêm chủng" and x.document.signer == "Nguyễn Văn Hùng"
    assert [t.text for t in x.tasks] == [
        "Rà soát đối tượng, báo cáo trước ngày 15/3/2026.",
        "Phối hợp với Trung tâm Kiểm soát bệnh tật tổ chức tiêm bù trong tháng 4/2026.",
    ]
    # the request in the opening sentence names who must act
    assert all(t.lead == ["Các bệnh viện"] for t in x.tasks)
    assert x.tasks[0].deadline.due == "2026-03-15"
    assert x.tasks[1].support == ["Trung tâm Kiểm soát bệnh tật"]


def test_signature_after_the_items_is_not_part_of_the_last_task() -> None:
    x = extract("1. Văn phòng chủ trì rà soát quy chế.\n2. Các chi bộ xây dựng kế hoạch.\nT/M ĐẢNG ỦY\nBÍ THƯ\nNguyễn Văn Hùng\n".encode(), "x.txt")
    assert x.tasks[-1].text == "Các chi bộ xây dựng kế hoạch."


def test_units_of_an_item_that_runs_over_two_paragraphs() -> None:
    tasks = tasks_of("1. Giao Sở Y tế chủ trì, phối hợp với Sở Giáo dục và Đào tạo tổ chức khám sức khỏe.\nViệc khám thực hiện tại các trường.\n")
    assert tasks[0].lead == ["Sở Y tế"] and tasks[0].support == ["Sở Giáo dục và Đào tạo"]


def test_assessment_and_goal_parts_give_no_tasks() -> None:
    tasks = tasks_of("PHẦN I\nĐÁNH GIÁ TÌNH HÌNH\nNăm 2025 các chi bộ đã tổ chức nhiều hội nghị.\nPHẦN II\nMỤC TIÊU\nPhấn đấu 100% chi bộ hoàn thành nhiệm vụ.\n")
    assert tasks == []


def test_upper_case_heading_is_not_part_of_the_task() -> None:
    tasks = tasks_of("I. TRIỂN KHAI NGHỊ QUYẾT\nCác chi bộ tổ chức quán triệt nghị quyết trong quý I/2026.\n")
    assert [t.text for t in tasks] == ["Các chi bộ tổ chức quán triệt nghị quyết trong quý I/2026."]
    assert tasks[0].lead == ["Các chi bộ"] and tasks[0].deadline.due == "2026-03-31"


def test_disabling_a_component_does_not_break_the_others() -> None:
    x = extract("1. Giao Sở A chủ trì rà soát.".encode(), "x.txt", disable=["structure"])
    assert x.tasks and x.tasks[0].lead == ["Sở A"]
