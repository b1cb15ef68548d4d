"""Deadlines (ANNOTATION.md section 4) on phrases as the corpus documents write them."""
from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from extractors.deadlines import (
    DeadlineContext,
    find_deadlines,
    merge_deadlines,
    parse_deadline,
    pick_deadline,
)
from models import Deadline

DOCS = Path(__file__).resolve().parent.parent / "corpus" / "docs"

# The documents the excerpts come from, as their headers date them.
VKSND_2026 = DeadlineContext(issued=dt.date(2025, 12, 11), year=2026)  # programme for 2026, after KL 226 of 11/12/2025
KH16 = DeadlineContext(issued=dt.date(2025, 11, 18))
KH617 = DeadlineContext(issued=dt.date(2025, 12, 1))
KL221 = DeadlineContext(issued=dt.date(2025, 11, 28))
NQ03 = DeadlineContext(issued=dt.date(2025, 1, 9))
HANOI = DeadlineContext(issued=dt.date(2026, 7, 14))
QD173 = DeadlineContext(issued=dt.date(2015, 1, 29))
QD294 = DeadlineContext(issued=dt.date(2025, 5, 26))
CT299 = DeadlineContext(issued=dt.date(1980, 11, 10))


def _fields(d: Deadline) -> tuple:
    return (d.kind, d.start, d.due)


# --------------------------------------------------------------------------- parse_deadline: time fields and cells

PARSE_CASES = [
    # ongoing
    ("Thường xuyên", VKSND_2026, ("ongoing", None, None)),
    ("Thường xuyên, liên tục", VKSND_2026, ("ongoing", None, None)),
    ("Thường xuyên, hằng năm", KH617, ("ongoing", None, None)),
    ("Nhiệm vụ thường xuyên", NQ03, ("ongoing", None, None)),
    ("hằng ngày", VKSND_2026, ("ongoing", None, None)),
    ("2025 và những năm tiếp theo", NQ03, ("ongoing", None, None)),
    ("Từ ngày ban hành Kế hoạch trở đi", HANOI, ("ongoing", None, None)),
    ("xuyên suốt từ nay đến khi kết thúc cuộc bầu cử", KH16, ("ongoing", None, None)),
    # per plan
    ("Theo kế hoạch", VKSND_2026, ("per_plan", None, None)),
    ("Theo chương trình, kế hoạch công tác", VKSND_2026, ("per_plan", None, None)),
    ("theo lộ trình (chi tiết tại phần II. Phụ lục I kèm theo)", HANOI, ("per_plan", None, None)),
    ("theo yêu cầu, tiến độ", KL221, ("per_plan", None, None)),
    ("theo đúng thời gian quy định", CT299, ("per_plan", None, None)),
    # months, weeks
    ("Tuần đầu tháng 01/2026", VKSND_2026, ("dated", "2026-01-01", "2026-01-07")),
    ("Tuần đầu tháng 3/2026", VKSND_2026, ("dated", "2026-03-01", "2026-03-07")),
    ("trong tháng 02/2026", VKSND_2026, ("dated", "2026-02-01", "2026-02-28")),
    ("Tháng 02/2026", VKSND_2026, ("dated", "2026-02-01", "2026-02-28")),
    ("Tháng 10/2025", NQ03, ("dated", "2025-10-01", "2025-10-31")),
    ("6/2025", NQ03, ("dated", "2025-06-01", "2025-06-30")),
    ("2/2025", NQ03, ("dated", "2025-02-01", "2025-02-28")),
    ("12/2028", NQ03, ("dated", "2028-12-01", "2028-12-31")),
    ("tháng 12", VKSND_2026, ("dated", "2026-12-01", "2026-12-31")),
    ("hoàn thành trước tháng 3/2026", VKSND_2026, ("dated", None, "2026-02-28")),
    ("Dự kiến tháng 11/2025 (sau khi Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh ban hành Hướng dẫn)", KH16,
     ("dated", "2025-11-01", "2025-11-30")),
    ("ngày Tháng 11/2025 (sau khi Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh ban hành Hướng dẫn);", KH16,
     ("dated", "2025-11-01", "2025-11-30")),
    ("Từ tháng 12/2025 đến quý I/2026.", KH16, ("dated", "2025-12-01", "2026-03-31")),
    ("tháng 11/2025 đến tháng 4/2026;", KH16, ("dated", "2025-11-01", "2026-04-30")),
    ("từ tháng 3 đến tháng 6/2026", VKSND_2026, ("dated", "2026-03-01", "2026-06-30")),
    ("từ tháng 01 năm 1981 đến tháng 12 năm 1982", CT299, ("dated", "1981-01-01", "1982-12-31")),
    # quarters
    ("Quý I/2026", KH16, ("dated", "2026-01-01", "2026-03-31")),
    ("trong quý I năm 2026", VKSND_2026, ("dated", "2026-01-01", "2026-03-31")),
    ("Quý II/2025", NQ03, ("dated", "2025-04-01", "2025-06-30")),
    ("Quí IV-2025", KH617, ("dated", "2025-10-01", "2025-12-31")),
    ("Quý IV/2025", KH16, ("dated", "2025-10-01", "2025-12-31")),
    ("Quý II, III/2015", QD173, ("dated", "2015-04-01", "2015-09-30")),
    ("Quý II và III/2015", QD173, ("dated", "2015-04-01", "2015-09-30")),
    ("Quý I, II/2015", QD173, ("dated", "2015-01-01", "2015-06-30")),
    ("trước Quý II/2026", VKSND_2026, ("dated", None, "2026-03-31")),
    ("Quý I và Quý II năm 2026", VKSND_2026, ("dated", "2026-01-01", "2026-06-30")),
    ("Quý IV/2025 và Quý I/2026", KH16, ("dated", "2025-10-01", "2026-03-31")),
    # parts of a year, years
    ("6 tháng đầu năm", VKSND_2026, ("dated", "2026-01-01", "2026-06-30")),
    ("6 tháng cuối năm 2026", VKSND_2026, ("dated", "2026-07-01", "2026-12-31")),
    ("năm 2026", VKSND_2026, ("dated", "2026-01-01", "2026-12-31")),
    ("trong năm 2026", VKSND_2026, ("dated", "2026-01-01", "2026-12-31")),
    ("6 tháng đầu năm 2026", VKSND_2026, ("dated", "2026-01-01", "2026-06-30")),
    ("Năm 2025", NQ03, ("dated", "2025-01-01", "2025-12-31")),
    ("Cả năm 2015", QD173, ("dated", "2015-01-01", "2015-12-31")),
    ("vào năm 2025", NQ03, ("dated", "2025-01-01", "2025-12-31")),
    ("2025", NQ03, ("dated", "2025-01-01", "2025-12-31")),
    ("2025-2026", NQ03, ("dated", "2025-01-01", "2026-12-31")),
    ("2025 - 2026", NQ03, ("dated", "2025-01-01", "2026-12-31")),
    ("2026 - 2030", VKSND_2026, ("dated", "2026-01-01", "2030-12-31")),
    ("giai đoạn 2026 - 2030", VKSND_2026, ("dated", "2026-01-01", "2030-12-31")),
    ("đến năm 2030", VKSND_2026, ("dated", None, "2030-12-31")),
    ("cuối năm 2026", VKSND_2026, ("dated", None, "2026-12-31")),
    ("cuối năm 1982", CT299, ("dated", None, "1982-12-31")),
    ("Cuối năm", QD173, ("dated", None, "2015-12-31")),
    # days
    ("Chậm nhất ngày 10/12/2025", KH16, ("dated", None, "2025-12-10")),
    ("chậm nhất ngày 15/3/2026", VKSND_2026, ("dated", None, "2026-03-15")),
    ("trước ngày 15/3/2026", VKSND_2026, ("dated", None, "2026-03-15")),
    ("ngày 15/3/2026", VKSND_2026, ("dated", None, "2026-03-15")),
    ("Ngày 09/11/2015", QD173, ("dated", None, "2015-11-09")),
    ("30/8/2026", HANOI, ("dated", None, "2026-08-30")),
    ("Trước 31/12/2025", KL221, ("dated", None, "2025-12-31")),
    ("Dự kiến: ngày 20/12/2025", KH16, ("dated", None, "2025-12-20")),
    ("Từ ngày 01/7/2025", NQ03, ("dated", "2025-07-01", None)),
    ("Sau ngày bầu cử 15/3/2026", KH16, ("dated", "2026-03-16", None)),
    ("Từ ngày 01/12/2025 đến ngày 20/02/2026", KH16, ("dated", "2025-12-01", "2026-02-20")),
    ("Từ ngày 10/12/2025 - 15/01/2026", KH16, ("dated", "2025-12-10", "2026-01-15")),
    ("ngày 22 tháng 12 năm 2024", NQ03, ("dated", None, "2024-12-22")),
    # the parenthesis explains; "chậm nhất" inside one still sets the limit
    ("Chậm nhất ngày 10/12/2025 (trước ngày bầu cử 95 ngày theo Điều 39, Điều 50 Luật số 85/2015/QH13 về Bầu cử "
     "đại biểu Quốc hội và đại biểu Hội đồng nhân dân).", KH16, ("dated", None, "2025-12-10")),
    ("Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025 - 95 ngày trước bầu cử).", KH16,
     ("dated", None, "2025-12-10")),
    # no time
    ("ngay", KH16, ("none", None, None)),
    ("kịp thời", KH16, ("none", None, None)),
    ("khẩn trương", KH16, ("none", None, None)),
    ("khi có yêu cầu", KH16, ("none", None, None)),
    ("Kết thúc cuộc bầu cử", KH16, ("none", None, None)),
]


@pytest.mark.parametrize("text,ctx,expected", PARSE_CASES, ids=[c[0][:40] for c in PARSE_CASES])
def test_parse_deadline_forms(text: str, ctx: DeadlineContext, expected: tuple) -> None:
    d = parse_deadline(text, ctx)
    assert _fields(d) == expected
    assert d.text == " ".join(text.split()).strip(" ;.") or d.text == text.strip(" ;.")


def test_parse_missing_year_is_the_programme_year_and_moves_on_past_the_issue_date() -> None:
    issued_dec = DeadlineContext(issued=dt.date(2025, 12, 1), year=2025)
    assert _fields(parse_deadline("trước ngày 15/3", issued_dec)) == ("dated", None, "2026-03-15")
    assert _fields(parse_deadline("tháng 12", DeadlineContext(issued=dt.date(2025, 12, 11), year=2025))) == (
        "dated", "2025-12-01", "2025-12-31")
    # the programme's year wins over the issue date's year
    assert _fields(parse_deadline("tháng 12", DeadlineContext(issued=dt.date(2025, 12, 11), year=2026))) == (
        "dated", "2026-12-01", "2026-12-31")
    # no year anywhere: nothing is invented
    assert _fields(parse_deadline("tháng 12", DeadlineContext())) == ("none", None, None)


def test_parse_relative() -> None:
    d = parse_deadline("100 ngày kể từ ngày ban hành Kế hoạch", HANOI)
    assert (d.kind, d.offset_days, d.due, d.working_days) == ("relative", 100, "2026-10-22", False)
    d = parse_deadline("100 ngày kể từ ngày ban hành Kế hoạch", DeadlineContext(year=2026))
    assert (d.kind, d.offset_days, d.due) == ("relative", 100, None)
    # a plan's own span with no starting point written counts from its issue (as the 100-day plan does)
    d = parse_deadline("100 ngày", HANOI)
    assert (d.kind, d.offset_days, d.due) == ("relative", 100, "2026-10-22")
    d = parse_deadline("Hết thời hạn 100 ngày", HANOI)
    assert (d.kind, d.offset_days, d.due) == ("relative", 100, "2026-10-22")
    d = parse_deadline("trong vòng 30 ngày kể từ ngày ký", KH16)
    assert (d.kind, d.offset_days, d.due) == ("relative", 30, "2025-12-18")
    d = parse_deadline("10 ngày làm việc", QD294)
    assert (d.kind, d.offset_days, d.working_days, d.due) == ("relative", 10, True, None)
    d = parse_deadline("Số ngày dự kiến: 7", HANOI)
    assert (d.kind, d.offset_days, d.due) == ("relative", 7, None)
    d = parse_deadline("7 (số ngày dự kiến)", HANOI)
    assert (d.kind, d.offset_days, d.due) == ("relative", 7, None)
    d = parse_deadline("sau khi có hướng dẫn của Bộ", NQ03)
    assert (d.kind, d.offset_days, d.due) == ("relative", None, None)


def test_parse_recurring() -> None:
    cases = [
        ("Định kỳ hằng năm", ["year"], None, None),
        ("Định kỳ hằng quý", ["quarter"], None, None),
        ("Định kỳ 6 tháng, hằng năm", ["half_year", "year"], None, None),
        ("hằng tháng", ["month"], None, None),
        ("Hằng năm", ["year"], None, None),
        ("Hàng năm", ["year"], None, None),
        ("Định kỳ 02 tuần một lần (trước 16 giờ thứ Sáu)", ["two_weeks"], None, None),
        ("trước ngày 25 của tháng kết thúc kỳ báo cáo", [], 25, None),
        ("trước ngày 15/11 hằng năm", ["year"], 15, 11),
        ("trước ngày 01/6 và 15/11 hằng năm (hoặc đột xuất khi có yêu cầu)", ["year"], None, None),
    ]
    for text, rec, day, month in cases:
        d = parse_deadline(text, KH617)
        got = (d.kind, d.recurrence, d.day, d.month, d.start, d.due)
        assert got == ("recurring", rec, day, month, None, None), text


def test_parse_strips_a_field_label_and_keeps_the_words() -> None:
    d = parse_deadline("- Thời gian thực hiện: Quý I/2026.", KH16)
    assert (d.text, d.kind, d.start, d.due) == ("Quý I/2026", "dated", "2026-01-01", "2026-03-31")
    d = parse_deadline("**Thời gian:** Tuần đầu tháng 01/2026.", VKSND_2026)
    assert (d.text, d.start, d.due) == ("Tuần đầu tháng 01/2026", "2026-01-01", "2026-01-07")


def test_parse_tone_and_spacing_variants() -> None:
    decomposed = unicodedata.normalize("NFD", "Quý II, III/2026")
    assert _fields(parse_deadline(decomposed, VKSND_2026)) == ("dated", "2026-04-01", "2026-09-30")
    assert _fields(parse_deadline("QUÍ  IV -  2025", KH617)) == ("dated", "2025-10-01", "2025-12-31")
    assert _fields(parse_deadline("Quý 2/2026", VKSND_2026)) == ("dated", "2026-04-01", "2026-06-30")
    assert _fields(parse_deadline("tháng\n02 năm 2026", VKSND_2026)) == ("dated", "2026-02-01", "2026-02-28")


def test_impossible_dates_are_not_dates() -> None:
    assert parse_deadline("ngày 30/02/2026", VKSND_2026).kind == "none"
    assert parse_deadline("tháng 13/2026", VKSND_2026).kind == "none"
    assert _fields(parse_deadline("ngày 29/02/2028", VKSND_2026)) == ("dated", None, "2028-02-29")
    assert _fields(parse_deadline("tháng 02/2028", VKSND_2026)) == ("dated", "2028-02-01", "2028-02-29")


# --------------------------------------------------------------------------- find_deadlines: prose


def _found(text: str, ctx: DeadlineContext) -> list[tuple[str, str | None, str | None, str]]:
    out = []
    for d, (a, b) in find_deadlines(text, ctx):
        assert " ".join(text[a:b].replace("*", " ").split()) == d.text
        out.append((d.kind, d.start, d.due, d.text))
    return out


def test_two_actions_two_deadlines_with_their_spans() -> None:
    text = (
        "+ Giao Văn phòng VKSND tối cao chủ trì, phối hợp với Cục Thống kê tội phạm và Chuyển đổi số và các đơn vị "
        "có liên quan nghiên cứu, đề xuất việc xây dựng Hệ thống Báo cáo trực tuyến trong ngành Kiểm sát nhân dân, "
        "hoàn thành\n\ntrước tháng 3/2026; tham mưu ban hành Quy chế sử dụng Phần mềm Quản lý văn bản và điều hành "
        "ngành Kiểm sát nhân dân trong tháng 02/2026."
    )
    assert _found(text, VKSND_2026) == [
        ("dated", None, "2026-02-28", "hoàn thành trước tháng 3/2026"),
        ("dated", "2026-02-01", "2026-02-28", "trong tháng 02/2026"),
    ]


@pytest.mark.parametrize(
    "text,ctx,expected",
    [
        ("Các tỉnh uỷ, thành uỷ phối hợp Bộ Y tế, Bộ Giáo dục và Đào tạo và Bộ Nội vụ khẩn trương sắp xếp các cơ sở "
         "giáo dục công lập cấp xã và các trạm y tế cấp xã, hoàn thành dứt điểm trước ngày 31/12/2025.", KL221,
         [("dated", None, "2025-12-31", "hoàn thành dứt điểm trước ngày 31/12/2025")]),
        ("khẩn trương lãnh đạo, chỉ đạo giải quyết, xử lý các kiến nghị cụ thể của các cơ quan, đơn vị, địa phương "
         "*(có phân công cụ thể tại phụ lục gửi kèm theo)*, hoàn thành trong năm 2025.", KL221,
         [("dated", "2025-01-01", "2025-12-31", "hoàn thành trong năm 2025")]),
        ("(1) Tổ chức hiệp thương lần thứ nhất: Chậm nhất ngày 10/12/2025 (trước ngày bầu cử 95 ngày theo Điều 39, "
         "Điều 50 Luật số 85/2015/QH13 về Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân).", KH16,
         [("dated", None, "2025-12-10", "Chậm nhất ngày 10/12/2025")]),
        ("Các bộ, cơ quan ngang bộ ... xây dựng và tổ chức thực hiện kế hoạch triển khai Nghị quyết số 57-NQ/TW và "
         "Chương trình hành động của Chính phủ trong tháng 01 năm 2025.", NQ03,
         [("dated", "2025-01-01", "2025-01-31", "trong tháng 01 năm 2025")]),
        ("Thực hiện các chương trình, dự án thúc đẩy các lĩnh vực công nghệ, đổi mới sáng tạo trong tầm của Trung tâm "
         "Đổi mới sáng tạo Quốc gia. Phấn đấu đến năm 2030, có ít nhất 05 dự án, chương trình", NQ03,
         [("dated", None, "2030-12-31", "Phấn đấu đến năm 2030")]),
        ("Cuối năm, báo cáo kết quả hoạt động phối hợp về Vụ Các vấn đề chung về xây dựng pháp luật", QD173,
         [("dated", None, "2015-12-31", "Cuối năm")]),
        ("Để thực hiện được kế hoạch tiến độ đo đạc, phân hạng và đăng ký thống kê ruộng đât từ tháng 01 năm 1981 "
         "đến tháng 12 năm 1982.", CT299,
         [("dated", "1981-01-01", "1982-12-31", "từ tháng 01 năm 1981 đến tháng 12 năm 1982")]),
        ("Chủ trì tổ chức tổng kết Kế hoạch và đề xuất xây dựng các nhiệm vụ của giai đoạn tiếp theo vào năm 2025.",
         NQ03, [("dated", "2025-01-01", "2025-12-31", "vào năm 2025")]),
        ("- Vùng đồng bằng sông Cửu Long: cuối năm 1982;", CT299,
         [("dated", None, "1982-12-31", "cuối năm 1982")]),
        ("Hội nghị thường kỳ tháng 01/2026 - **Thời gian:** Tuần đầu tháng 01/2026.", VKSND_2026,
         [("dated", "2026-01-01", "2026-01-07", "Tuần đầu tháng 01/2026")]),
    ],
)
def test_find_dated_in_prose(text: str, ctx: DeadlineContext, expected: list) -> None:
    assert _found(text, ctx) == expected


def test_find_undated_kinds_in_prose() -> None:
    assert _found("Thường xuyên nắm tình hình, định kỳ báo cáo UBTVQH, Đảng đoàn Quốc hội", NQ03) == [
        ("ongoing", None, None, "Thường xuyên"),
        ("recurring", None, None, "định kỳ"),
    ]
    assert _found(
        "khẩn trương hoàn thành việc sắp xếp các đơn vị sự nghiệp công lập theo yêu cầu, tiến\nđộ. Các tỉnh uỷ",
        KL221,
    ) == [("per_plan", None, None, "theo yêu cầu, tiến độ")]
    assert _found("tập trung lực lượng để hoàn thành công tác này theo đúng thời gian quy định.", CT299) == [
        ("per_plan", None, None, "theo đúng thời gian quy định")
    ]
    found = find_deadlines(
        "Định kỳ hằng năm, 6 tháng, quý, các đơn vị chịu trách nhiệm báo cáo Đảng ủy VKSND tối cao", VKSND_2026
    )
    assert [(d.kind, d.recurrence, d.text) for d, _ in found] == [
        ("recurring", ["year", "half_year", "quarter"], "Định kỳ hằng năm, 6 tháng, quý")
    ]


def test_heading_time_frames() -> None:
    assert _found("II. NHIỆM VỤ TRỌNG TÂM NĂM 2024", DeadlineContext(issued=dt.date(2024, 1, 5))) == []
    found = find_deadlines("II. NHIỆM VỤ TRỌNG TÂM NĂM 2024", DeadlineContext(issued=dt.date(2024, 1, 5)), heading=True)
    assert [_fields(d) for d, _ in found] == [("dated", "2024-01-01", "2024-12-31")]
    found = find_deadlines("1. Hội nghị thường kỳ tháng 3/2026", VKSND_2026, heading=True)
    assert [_fields(d) for d, _ in found] == [("dated", "2026-03-01", "2026-03-31")]
    found = find_deadlines("Các nhiệm vụ trọng tâm từ nay đến tháng 6/2027", VKSND_2026)
    assert [(d.kind, d.start, d.due, d.text) for d, _ in found] == [
        ("dated", None, "2027-06-30", "từ nay đến tháng 6/2027")
    ]
    # a heading's cited document or term of office is still no time frame
    assert find_deadlines(
        "Thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ I, nhiệm kỳ 2025 - 2030", VKSND_2026, heading=True
    ) == []


def test_find_recurring_day_takes_the_sentences_cycle() -> None:
    alone = find_deadlines(
        "- Các đơn vị xây dựng báo cáo, gửi về các đơn vị có liên quan trước **ngày 25 của tháng kết thúc kỳ báo "
        "cáo**.", VKSND_2026)
    assert [(d.kind, d.day, d.recurrence, d.text) for d, _ in alone] == [
        ("recurring", 25, [], "trước ngày 25 của tháng kết thúc kỳ báo cáo")
    ]
    with_cycle = pick_deadline(find_deadlines(
        "Định kỳ hằng quý, các đơn vị xây dựng báo cáo, gửi về các đơn vị có liên quan trước ngày 25 của tháng kết "
        "thúc kỳ báo cáo.", VKSND_2026))
    assert (with_cycle.kind, with_cycle.day, with_cycle.recurrence) == ("recurring", 25, ["quarter"])


def test_find_yearly_dates() -> None:
    text = ("Ủy ban nhân dân các xã, phường căn cứ nhiệm vụ được giao, xây dựng kế hoạch, chương trình cụ thể để "
            "triển khai thực hiện; định kỳ **trước\nngày 01/6 và 15/11 hằng năm ***(hoặc đột xuất khi có yêu cầu) "
            "*báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ")
    d = pick_deadline(find_deadlines(text, KH617))
    assert (d.kind, d.recurrence, d.day, d.month) == ("recurring", ["year"], None, None)
    text = ("định kỳ 6 tháng báo cáo kết quả thực hiện về Bộ Khoa học và Công nghệ, Bộ Thông tin và Truyền thông "
            "trước ngày 15 tháng 6 và trước ngày 01 tháng 12 để tổng hợp, báo cáo Chính phủ.")
    found = find_deadlines(text, NQ03)
    assert all(d.kind == "recurring" and d.recurrence == ["half_year"] for d, _ in found)
    assert [(d.day, d.month) for d, _ in found] == [(None, None), (15, 6), (1, 12)]


def test_find_relative_in_prose() -> None:
    found = find_deadlines(
        "Các cơ quan, đơn vị cập nhật tiến độ trên Không gian làm việc số HanoiWork, hoàn thành trong 15 ngày kể từ "
        "ngày Kế hoạch được ban hành; số liệu báo cáo của các cơ quan", HANOI)
    assert [(d.kind, d.offset_days, d.due, d.text) for d, _ in found] == [
        ("relative", 15, "2026-07-29", "trong 15 ngày kể từ ngày Kế hoạch được ban hành")
    ]
    found = find_deadlines("- Hết thời hạn 100 ngày, Sở Khoa học và Công nghệ chủ trì tổng hợp kết quả,", HANOI)
    assert [(d.kind, d.offset_days, d.due, d.text) for d, _ in found] == [
        ("relative", 100, "2026-10-22", "Hết thời hạn 100 ngày")
    ]
    found = find_deadlines(
        "- Đối với khiếu nại về danh sách cử tri: Hướng dẫn công dân hoặc chuyển đơn đến Ủy ban nhân dân xã Lương Minh "
        "để giải quyết theo thẩm quyền (trong thời hạn 05 ngày kể từ ngày nhận đơn).", KH16)
    assert [(d.kind, d.offset_days, d.due) for d, _ in found] == [("relative", 5, None)]  # from an event
    found = find_deadlines(
        "c) Trong vòng 30 ngày làm việc kể từ ngày giới thiệu chuyển đi, đảng viên phải xuất trình giấy giới thiệu",
        QD294)
    assert [(d.kind, d.offset_days, d.working_days, d.due) for d, _ in found] == [("relative", 30, True, None)]
    # "trước ngày bầu cử 95 ngày", "trong 02 ngày bầu cử": counted back from an event, or no time limit
    assert find_deadlines("d) Riêng trong 02 ngày bầu cử (trước ngày bầu cử và ngày bầu cử): Những người", KH16) == []


# --------------------------------------------------------------------------- find_deadlines: what is not a deadline


@pytest.mark.parametrize(
    "text,ctx",
    [
        # the date of a cited document
        ("Thực hiện Kết luận số 226-KL/TW, ngày 11/12/2025 của Ban Bí thư về việc chấn chỉnh lề lối làm việc, nâng "
         "cao hiệu quả hoạt động của hệ thống chính trị", VKSND_2026),
        ("Căn cứ Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát triển khoa học, "
         "công nghệ", NQ03),
        ("Căn cứ Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân số 85/2015/QH13, ngày 25/6/2015 và được "
         "sửa đổi, bổ sung một số điều tại Luật số 83/2025/QH15, ngày 24/6/2025", KH16),
        ("*(Kèm theo Báo cáo số 565-BC/BTCTW, ngày\n27/11/2025 của Ban Tổ chức Trung ương).*", KL221),
        ("Sửa đổi hoặc ban hành thay thế Quyết định số 37/2018/QĐ-TTg ngày 31 tháng 8 năm 2018", NQ03),
        # a term of office, a cited programme's period or horizon
        ("Căn cứ Nghị quyết Đại hội đại biểu Đảng bộ Viện kiểm sát nhân dân (VKSND) tối cao lần thứ I, nhiệm kỳ 2025 - "
         "2030 và Chương trình làm việc toàn khóa của Ban Chấp hành Đảng bộ, nhiệm kỳ 2025-2030", VKSND_2026),
        ("Rà soát, sửa đổi, bổ sung Đề án nâng cao năng lực đội ngũ giảng viên, cán bộ quản lý các cơ sở giáo dục đại "
         "học đáp ứng yêu cầu đổi mới căn bản, toàn diện giáo dục và đào tạo giai đoạn 2019-2030", NQ03),
        ("Triển khai khu công viên phần mềm/khu công nghiệp công nghệ số tập trung theo Quy hoạch hạ tầng thông tin và "
         "truyền thông thời kỳ 2021 - 2030, tầm nhìn đến năm 2050.", KH617),
        ("Chủ trì giám sát việc thực hiện Chiến lược phát triển KH,CN&ĐMST đến năm 2025, định hướng đến năm 2030; "
         "chương trình chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030", NQ03),
        ("kế hoạch 5 năm lần thứ 3 (1981 – 1985)", CT299),
        # a year in the title, a year inside a quoted name
        ("CHƯƠNG TRÌNH Công tác của Ban Thường vụ Đảng ủy Viện kiểm sát nhân dân tối cao năm 2026", VKSND_2026),
        ("Quyết định số 1895/QĐ-TTg ngày 11/11/2021 của Thủ tướng Chính phủ phê duyệt Chương trình “Tăng cường giáo "
         "dục chính trị, đạo đức, lối sống và khơi dậy khát vọng cống hiến cho thanh niên, thiếu niên, nhi đồng giai "
         "đoạn 2021-2030”", NQ03),
        ("hưởng ứng Phong trào thi đua “Cả nước chung tay xóa nhà tạm, nhà dột nát trong năm 2025”", NQ03),
        # topics of a meeting, not its time
        ("(1) Đánh giá kết quả thực hiện nhiệm vụ tháng 12/2025 và phương hướng, nhiệm vụ trọng tâm Quý I/2026 của "
         "Ban Thường vụ Đảng ủy VKSND tối cao", VKSND_2026),
        # dates long past at issue, dates that frame a rule
        ("Đảng viên được kết nạp trước Đại hội đại biểu toàn quốc lần thứ III của Đảng (ngày 05/9/1960) và trước "
         "ngày 30/4/1975 (ở các địa phương từ phía Nam sông Bến Hải trở vào)", QD294),
        ("hoạt động bí mật (từ tháng 02/1951 trở về trước), sau đó được tham gia sinh hoạt chi bộ", QD294),
        ("Nghị quyết này có hiệu lực thi hành kể từ ngày ký ban hành.", NQ03),
        ("Ghi chú: Từ 2027 tăng trưởng lưu trữ hàng năm khoảng 1TB HDD/1 năm", HANOI),
        # adjectives and homographs
        ("Xây dựng, triển khai và tổ chức triển khai chương trình tuyên truyền thường xuyên, sâu rộng về nội dung "
         "Nghị quyết số 57-NQ/TW", NQ03),
        ("Sau khi cấp ủy có thẩm quyền quyết định kỷ luật giải tán hoặc giải thể một chi bộ", QD294),
    ],
)
def test_not_deadlines(text: str, ctx: DeadlineContext) -> None:
    assert [(d.kind, d.text) for d, _ in find_deadlines(text, ctx)] == []


def test_whole_documents_give_only_their_deadlines() -> None:
    kl221 = (DOCS / "kl-221-kltw-bo-may-chinh-quyen-2-cap.txt").read_text(encoding="utf-8")
    assert [(d.kind, d.start, d.due) for d, _ in find_deadlines(kl221, KL221)] == [
        ("dated", "2025-01-01", "2025-12-31"),
        ("per_plan", None, None),
        ("dated", None, "2025-12-31"),
    ]
    vksnd = (DOCS / "vksnd-nq-trien-khai-kl226.txt").read_text(encoding="utf-8")
    found = find_deadlines(vksnd, VKSND_2026)
    assert [(d.start, d.due) for d, _ in found if d.kind == "dated"] == [
        (None, "2026-02-28"), (None, "2026-03-31"), (None, "2026-02-28"), ("2026-02-01", "2026-02-28"),
    ]
    cited = vksnd.index("11/12/2025")
    assert all(not (a <= cited < b) for _, (a, b) in found)
    for d, (a, b) in found:
        assert " ".join(vksnd[a:b].replace("*", " ").split()) == d.text


def test_spans_of_decomposed_text_point_into_the_original() -> None:
    text = unicodedata.normalize("NFD", "Các đơn vị hoàn thành trước Quý II/2026; báo cáo kết quả.")
    [(d, (a, b))] = find_deadlines(text, VKSND_2026)
    assert (d.kind, d.due) == ("dated", "2026-03-31")
    assert unicodedata.normalize("NFC", text[a:b]) == "hoàn thành trước Quý II/2026"


# --------------------------------------------------------------------------- merging rounds


def test_merge_rounds_first_start_last_end() -> None:
    rounds = [parse_deadline(t, KH16) for t in
              ("Chậm nhất ngày 10/12/2025", "Chậm nhất ngày 03/02/2026", "Chậm nhất ngày 20/02/2026")]
    merged = merge_deadlines(rounds)
    assert _fields(merged) == ("dated", None, "2026-02-20")
    assert merged.text == "Chậm nhất ngày 10/12/2025; Chậm nhất ngày 03/02/2026; Chậm nhất ngày 20/02/2026"
    quarters = merge_deadlines([parse_deadline("Quý I/2026", KH16), parse_deadline("Quý IV/2025", KH16)])
    assert _fields(quarters) == ("dated", "2025-10-01", "2026-03-31")
    open_end = merge_deadlines([parse_deadline("Từ ngày 01/12/2025", KH16), parse_deadline("Quý I/2026", KH16)])
    assert _fields(open_end) == ("dated", "2025-12-01", None)
    assert merge_deadlines([]) == Deadline()
    undated = merge_deadlines([parse_deadline("Định kỳ hằng năm", KH617), parse_deadline("Định kỳ 6 tháng", KH617)])
    assert (undated.kind, undated.recurrence) == ("recurring", ["year", "half_year"])


def test_pick_prefers_a_date_over_the_rest() -> None:
    found = find_deadlines(
        "Thường xuyên rà soát, sửa đổi quy chế, quy định, hoàn thành trước tháng 4/2026.", VKSND_2026)
    assert [d.kind for d, _ in found] == ["ongoing", "dated"]
    assert _fields(pick_deadline(found)) == ("dated", None, "2026-03-31")
    assert pick_deadline([]) == Deadline()


# --------------------------------------------------------------------------- speed

