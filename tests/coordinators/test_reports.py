"""Qualification reports against the figures counted by hand (tests/coordinators/conftest.py):
the counts, the text as boards print it, the Excel file and the chart."""

from __future__ import annotations

import io

import openpyxl
from matplotlib import image

from handlers.coordinator.chart import qualification_chart
from handlers.coordinator.qualification_text import qualification_text
from handlers.coordinator.sheets import qualification_workbook
from locales import translator
from rules.profiles import profile_in_force
from rules.scales import PoliticalTheory
from storage.reports.qualifications import qualification_report
from tests.coordinators.conftest import EARLIER, ON

PROFILE = profile_in_force  # each day's figures under the standards in force that day
vi = translator("vi")


async def test_figures_of_a_commune_now_and_before(session, world):
    report = await qualification_report(session, world.a, PROFILE, ON, EARLIER)
    whole = report.whole
    assert (whole.total, whole.meeting_all) == (5, 2)
    professional = whole.scale("professional_level")
    assert (professional.meeting, professional.required) == (4, 5)
    llct = whole.scale("political_theory")
    assert (llct.meeting, llct.required) == (1, 4)
    assert dict(llct.levels) == {
        PoliticalTheory.ADVANCED: 0,
        PoliticalTheory.INTERMEDIATE: 1,
        PoliticalTheory.ELEMENTARY: 3,
        PoliticalTheory.NONE: 1,
        None: 0,
    }
    earlier = report.earlier
    assert earlier is not None
    # each day's figures under the standards in force that day
    assert (report.profile, earlier.profile) == ("nd334-2025", "nd33-2023")
    assert (earlier.whole.total, earlier.whole.meeting_all) == (4, 1)
    before = earlier.whole.scale("professional_level")
    assert (before.meeting, before.required) == (3, 4)
    assert earlier.whole.scale("political_theory").meeting == 0


async def test_the_text_prints_shares_as_boards_do(session, world):
    report = await qualification_report(session, world.a, PROFILE, ON, EARLIER)
    lines = qualification_text(vi, report).splitlines()
    assert lines[0] == "Trình độ cán bộ, công chức: Xã An Bình, ngày 01/11/2026"
    assert "Trong ngoặc: số liệu ngày 01/06/2025." in lines
    assert "Đạt chuẩn trình độ: 2/5 (40,0%) (1/4 (25,0%))" in lines
    assert "Trình độ chuyên môn · đạt chuẩn: 4/5 (80,0%) (3/4 (75,0%))" in lines
    assert "Lý luận chính trị · đạt chuẩn: 1/4 (25,0%) (0/3 (0,0%))" in lines
    assert "• Trung cấp: 1/5 (20,0%) (0/4 (0,0%))" in lines
    assert "• Sơ cấp: 3/5 (60,0%) (3/4 (75,0%))" in lines


async def test_a_province_is_broken_down_by_commune(session, world):
    report = await qualification_report(session, world.province, PROFILE, ON)
    text = qualification_text(vi, report)
    assert "Đạt chuẩn trình độ: 3/7 (42,9%)" in text
    assert (
        "Đạt chuẩn trình độ theo đơn vị:\n• Xã An Bình: 2/5 (40,0%)\n• Xã Bình Minh: 1/2 (50,0%)"
        in text
    )


async def test_the_excel_file_has_a_sheet_per_scale_and_per_commune(session, world):
    report = await qualification_report(session, world.province, PROFILE, ON, EARLIER)
    book = openpyxl.load_workbook(io.BytesIO(qualification_workbook(vi, report)))
    assert book.sheetnames == [
        "Trình độ học vấn",
        "Trình độ chuyên môn",
        "Lý luận chính trị",
        "Quản lý nhà nước",
        "Xã An Bình",
        "Xã Bình Minh",
    ]
    llct = book["Lý luận chính trị"]
    header = [cell.value for cell in llct[2]]
    rows = {row[0].value: [cell.value for cell in row] for row in llct.iter_rows(min_row=3)}
    an_binh = rows["Xã An Bình"]
    assert an_binh[header.index("Tổng số")] == 5
    assert an_binh[header.index("Sơ cấp")] == 3
    assert an_binh[header.index("Sơ cấp") + 1] == 0.6
    assert an_binh[header.index("Đạt chuẩn")] == 1
    assert an_binh[header.index("Thuộc diện áp dụng chuẩn")] == 4
    assert rows["Toàn bộ"][header.index("Tổng số")] == 7
    assert rows["Toàn bộ, ngày 01/06/2025"][header.index("Tổng số")] == 6
    roster = [[cell.value for cell in row] for row in book["Xã An Bình"].iter_rows(min_row=3)]
    assert [row[0] for row in roster] == ["A5", "A3", "A1", "A4", "A2"]  # by name
    assert roster[-1][-1] == "Có" and roster[0][-1] == "Không"


async def test_the_chart_is_a_readable_png(session, world):
    report = await qualification_report(session, world.province, PROFILE, ON, EARLIER)
    png = qualification_chart(vi, report)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert image.imread(io.BytesIO(png)).shape == (800, 1200, 4)
