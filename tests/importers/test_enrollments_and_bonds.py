"""Importing enrollments and service bonds, which refer to officials and courses already stored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from storage.models import (
    Bond,
    Course,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    Programme,
    ProgrammeMember,
)
from tests.factories import make_official
from tests.importers.files import row_errors, run_import, snapshot, write_csv

COURSES = [  # code, name, kind, first and last day
    ("LLCT-12", "Trung cấp LLCT", CourseKind.LLCT_INTERMEDIATE, "2023-09-01", "2024-02-28"),
    ("CNKT-26", "Cập nhật kiến thức", CourseKind.REFRESHER, "2026-11-02", "2026-11-06"),
    ("DN-HP", "Dự nguồn Hải Phòng", CourseKind.SOURCE, "2016-09-01", "2017-11-30"),
]


@pytest.fixture
async def stored(session, ward):
    """Two officials and three courses: a 6-month LLCT course, a refresher, a source course."""
    an = await make_official(session, "CB001", unit=ward)
    binh = await make_official(session, "CB002", unit=ward)
    session.add_all(
        Course(
            code=code,
            name=name,
            kind=kind,
            starts_on=date.fromisoformat(first),
            ends_on=date.fromisoformat(last),
        )
        for code, name, kind, first, last in COURSES
    )
    programme = Programme(code="HP-150", name="Tạo nguồn Hải Phòng", min_bond_months=60)
    session.add(programme)
    await session.flush()
    session.add(ProgrammeMember(programme_id=programme.id, official_id=binh.id))
    await session.commit()
    return an, binh


ENROLLMENT_HEADER = ["Mã cán bộ", "Mã lớp", "Trạng thái", "Ngày hoàn thành"]


async def test_enrollments_are_upserted_on_official_and_course(session, sessions, stored, tmp_path):
    an, binh = stored
    path = write_csv(
        tmp_path / "e.csv",
        [
            ENROLLMENT_HEADER,
            ["CB001", "LLCT-12", "Hoàn thành", "28/02/2024"],
            ["CB002", "LLCT-12", "Đang học", ""],
            ["CB002", "CNKT-26", "đăng ký", ""],
        ],
    )
    assert (await run_import(sessions, "enrollments", path)).created == 3
    rows = await session.execute(
        select(Enrollment.official_id, Enrollment.status, Enrollment.completed_on)
    )
    assert sorted(rows, key=repr) == sorted(
        [
            (an.id, EnrollmentStatus.COMPLETED, date(2024, 2, 28)),
            (binh.id, EnrollmentStatus.STUDYING, None),
            (binh.id, EnrollmentStatus.REGISTERED, None),
        ],
        key=repr,
    )
    await session.commit()

    path = write_csv(
        tmp_path / "e2.csv",
        [
            ENROLLMENT_HEADER,
            ["CB001", "LLCT-12", "Hoàn thành", "28/02/2024"],
            ["CB002", "LLCT-12", "Bỏ học", ""],
        ],
    )
    report = await run_import(sessions, "enrollments", path)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)


async def test_enrollment_problems_are_all_named(session, sessions, stored, tmp_path):
    before = await snapshot(session)
    await session.commit()
    path = write_csv(
        tmp_path / "e.csv",
        [
            ENROLLMENT_HEADER,
            ["CB001", "LLCT-12", "Hoàn thành", ""],
            ["CB009", "LLCT-99", "Đang học", ""],
            ["CB002", "LLCT-12", "Đang học", "01/01/2024"],
            ["CB002", "CNKT-26", "Đăng ký", ""],
            ["CB002", "CNKT-26", "Đang học", ""],
        ],
    )
    report = await run_import(sessions, "enrollments", path)
    assert row_errors(report) == [
        (2, "Ngày hoàn thành", "Required when the status is Hoàn thành."),
        (3, "Mã cán bộ", "No official has the code “{value}”; import the officials first."),
        (3, "Mã lớp", "No course has the code “{value}”; import the courses first."),
        (4, "Ngày hoàn thành", "Only a completed enrollment (Hoàn thành) has a completion date."),
        (6, "Mã cán bộ", "Row {row} already enrolls this official in this course."),
    ]
    assert await snapshot(session) == before


BOND_HEADER = ["Mã cán bộ", "Mã lớp", "Ngày bắt đầu", "Số tháng cam kết", "Kinh phí đào tạo"]


async def test_bond_months_default_from_the_rules(session, sessions, stored, tmp_path):
    an, binh = stored
    path = write_csv(
        tmp_path / "b.csv",
        [
            BOND_HEADER,
            ["CB001", "LLCT-12", "01/03/2024", "", "35.000.000"],  # 6 months of training: 12
            ["CB001", "", "01/03/2025", "48", "60,000,000 đ"],
            ["CB002", "DN-HP", "01/12/2017", "", ""],  # 15 months → 30, the programme says 60
        ],
    )
    report = await run_import(sessions, "bonds", path)
    assert report.created == 3, report.render()
    rows = await session.execute(
        select(Bond.official_id, Bond.starts_on, Bond.months, Bond.cost, Bond.course_id)
    )
    bonds = {
        (official_id, starts_on): (months, cost, course_id is not None)
        for official_id, starts_on, months, cost, course_id in rows
    }
    assert bonds == {
        (an.id, date(2024, 3, 1)): (12, Decimal(35_000_000), True),
        (an.id, date(2025, 3, 1)): (48, Decimal(60_000_000), False),
        (binh.id, date(2017, 12, 1)): (60, None, True),
    }
    await session.commit()

    again = await run_import(sessions, "bonds", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


async def test_bond_problems_are_all_named(session, sessions, stored, tmp_path):
    path = write_csv(
        tmp_path / "b.csv",
        [
            BOND_HEADER,
            ["CB001", "", "01/03/2024", "", ""],
            ["CB001", "CNKT-26", "01/03/2025", "", ""],
            ["CB001", "LLCT-12", "1/3/2024", "12", ""],
            ["CB404", "LLCT-12", "01/04/2024", "", "nhiều tiền"],
        ],
    )
    report = await run_import(sessions, "bonds", path)
    assert row_errors(report) == [
        (2, "Số tháng cam kết", "Give the number of months, or the course the bond follows."),
        (
            3,
            "Số tháng cam kết",
            "No bond length follows from this kind of course; give the number of months.",
        ),
        (
            4,
            "Mã cán bộ",
            "Row {row} already has a bond of this official starting on the same date.",
        ),
        (5, "Kinh phí đào tạo", "“{value}” is not an amount in đồng, such as 35.000.000."),
        (5, "Mã cán bộ", "No official has the code “{value}”; import the officials first."),
    ]
    assert (await session.scalars(select(Bond))).all() == []


async def test_bonds_record_the_day_the_official_was_sent(session, sessions, stored, tmp_path):
    """ "Ngày cử đi học" decides which bond rule applies; by default, the course's first day."""
    an, binh = stored
    path = write_csv(
        tmp_path / "b.csv",
        [
            [*BOND_HEADER, "Ngày cử đi học"],
            ["CB001", "LLCT-12", "01/03/2024", "", "", ""],  # sent when the course began
            ["CB002", "LLCT-12", "01/03/2024", "", "", "15/08/2023"],
            ["CB001", "", "01/03/2025", "48", "", ""],  # no course, no date: not known
        ],
    )
    report = await run_import(sessions, "bonds", path)
    assert report.created == 3, report.render()
    rows = await session.execute(select(Bond.official_id, Bond.starts_on, Bond.sent_on))
    assert {(official, start): sent for official, start, sent in rows} == {
        (an.id, date(2024, 3, 1)): date(2023, 9, 1),
        (binh.id, date(2024, 3, 1)): date(2023, 8, 15),
        (an.id, date(2025, 3, 1)): None,
    }
    await session.commit()
    again = await run_import(sessions, "bonds", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
