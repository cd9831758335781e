"""Importing the course list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from storage.models import Course, CourseKind
from tests.importers.files import run_import, snapshot, write_csv, write_xlsx

HEADER = [
    "Mã lớp",
    "Tên lớp",
    "Loại",
    "Cơ sở đào tạo",
    "Ngày khai giảng",
    "Ngày bế giảng",
    "Hạn đăng ký",
    "Số học viên tối đa",
    "Số giờ",
    "Kinh phí/học viên",
]
ROWS = [
    [
        "TC-LLCT-2026",
        "Trung cấp LLCT khóa 12",
        "Trung cấp LLCT",
        "Trường Chính trị tỉnh",
        "01/09/2026",
        "28/02/2027",
        "15/08/2026",
        "90",
        "",
        "35.000.000 ₫",
    ],
    [
        "CNKT-2026",
        "Cập nhật kiến thức 2026",
        "Cập nhật kiến thức",
        "",
        "2026-11-02",
        "2026-11-06",
        "",
        "",
        "40,5",
        "",
    ],
]


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
async def test_courses_are_imported_and_a_second_import_changes_nothing(
    session, sessions, tmp_path, writer
):
    path = writer(tmp_path / f"courses.{'csv' if writer is write_csv else 'xlsx'}", [HEADER, *ROWS])
    first = await run_import(sessions, "courses", path)
    assert (first.created, first.rejected) == (2, False), first.render()
    courses = {course.code: course for course in await session.scalars(select(Course))}
    llct, refresher = courses["TC-LLCT-2026"], courses["CNKT-2026"]
    assert (llct.kind, llct.provider, llct.starts_on, llct.ends_on, llct.enroll_by) == (
        CourseKind.LLCT_INTERMEDIATE,
        "Trường Chính trị tỉnh",
        date(2026, 9, 1),
        date(2027, 2, 28),
        date(2026, 8, 15),
    )
    assert (llct.capacity, llct.cost_per_trainee) == (90, Decimal(35_000_000))
    assert (refresher.kind, refresher.hours, refresher.provider) == (
        CourseKind.REFRESHER,
        Decimal("40.5"),
        None,
    )
    before = await snapshot(session)
    await session.commit()

    second = await run_import(sessions, "courses", path)

    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    after = await snapshot(session)
    assert after["courses"] == before["courses"]


async def test_a_course_ending_before_it_starts_is_refused(session, sessions, tmp_path):
    rows = [[*ROWS[0][:4], "01/09/2026", "31/08/2026", *ROWS[0][6:]], ROWS[1]]
    report = await run_import(sessions, "courses", write_csv(tmp_path / "c.csv", [HEADER, *rows]))
    assert [(e.row, e.column, e.reason.text) for e in report.row_errors] == [
        (2, "Ngày bế giảng", "The course ends before it starts.")
    ]
    assert (await session.scalars(select(Course))).all() == []


async def test_bad_values_are_named_per_column(sessions, tmp_path):
    rows = [
        ["K1", "Lớp", "Bồi dưỡng chung", "", "1/9/2026", "2/9/2026", "", "0", "nhiều", "35.000,00"]
    ]
    report = await run_import(sessions, "courses", write_csv(tmp_path / "c.csv", [HEADER, *rows]))
    assert [(e.row, e.column) for e in report.row_errors] == [
        (2, "Loại"),
        (2, "Số học viên tối đa"),
        (2, "Số giờ"),
        (2, "Kinh phí/học viên"),
    ]
