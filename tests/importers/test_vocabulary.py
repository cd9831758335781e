"""Every spelling IMPORT_FORMAT.md lists, per column, and what is refused."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from rules.scales import (
    Gender,
    GeneralEducation,
    PoliticalTheory,
    ProfessionalLevel,
    StateManagement,
)
from rules.titles import TitleKind
from storage.importers import vocabulary as v
from storage.models import CourseKind, EnrollmentStatus


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("17/05/1980", date(1980, 5, 17)),
        ("7/5/1980", date(1980, 5, 7)),
        ("1980-05-17", date(1980, 5, 17)),
        (datetime(1980, 5, 17), date(1980, 5, 17)),  # an Excel date cell
        (date(1980, 5, 17), date(1980, 5, 17)),
        (None, None),
    ],
)
def test_dates(cell, expected):
    assert v.day(cell) == expected


@pytest.mark.parametrize(
    "cell", ["31/02/1980", "17/13/1980", "1980/05/17", "17-05-80", "hôm qua", 29000, "01/01/1850"]
)
def test_bad_dates_are_refused(cell):
    with pytest.raises(v.Invalid):
        v.day(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Nam", Gender.MALE),
        ("NAM", Gender.MALE),
        ("Nữ", Gender.FEMALE),
        ("nu", Gender.FEMALE),
        ("male", Gender.MALE),
        ("female", Gender.FEMALE),
    ],
)
def test_genders(cell, expected):
    assert v.gender(cell) is expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12/12", GeneralEducation.UPPER_SECONDARY),
        ("THPT", GeneralEducation.UPPER_SECONDARY),
        ("9/12", GeneralEducation.LOWER_SECONDARY),
        ("thcs", GeneralEducation.LOWER_SECONDARY),
        (None, None),
        # "12/12" and "9/12" a spreadsheet turned into 12 and 9 December, as a cell or exported
        (datetime(2026, 12, 12), GeneralEducation.UPPER_SECONDARY),
        (date(2025, 12, 9), GeneralEducation.LOWER_SECONDARY),
        ("12/12/2026", GeneralEducation.UPPER_SECONDARY),
        ("09/12/2026", GeneralEducation.LOWER_SECONDARY),
        ("2026-12-12", GeneralEducation.UPPER_SECONDARY),
        ("12-Dec", GeneralEducation.UPPER_SECONDARY),
        ("9-Dec-26", GeneralEducation.LOWER_SECONDARY),
    ],
)
def test_general_education(cell, expected):
    assert v.general_education(cell) is expected


@pytest.mark.parametrize("cell", [datetime(2026, 11, 12), "10/12/2026", "12-Nov"])
def test_other_dates_are_no_level_of_education(cell):
    with pytest.raises(v.Invalid):
        v.general_education(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Tiến sĩ", ProfessionalLevel.DOCTOR),
        ("TS", ProfessionalLevel.DOCTOR),
        ("Thạc sĩ", ProfessionalLevel.MASTER),
        ("Thạc sỹ", ProfessionalLevel.MASTER),
        ("ThS", ProfessionalLevel.MASTER),
        ("thac sy", ProfessionalLevel.MASTER),
        ("Đại học", ProfessionalLevel.UNIVERSITY),
        ("ĐH", ProfessionalLevel.UNIVERSITY),
        ("Cử nhân", ProfessionalLevel.UNIVERSITY),
        ("Kỹ sư", ProfessionalLevel.UNIVERSITY),
        ("Cao đẳng", ProfessionalLevel.COLLEGE),
        ("CĐ", ProfessionalLevel.COLLEGE),
        ("Trung cấp", ProfessionalLevel.INTERMEDIATE),
        ("TC", ProfessionalLevel.INTERMEDIATE),
        ("Sơ cấp", ProfessionalLevel.ELEMENTARY),
        ("Chưa qua đào tạo", ProfessionalLevel.NONE),
        (None, None),
    ],
)
def test_professional_levels(cell, expected):
    assert v.professional_level(cell) is expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Cử nhân", PoliticalTheory.ADVANCED),
        ("Cao cấp", PoliticalTheory.ADVANCED),
        ("CC", PoliticalTheory.ADVANCED),
        ("Trung cấp", PoliticalTheory.INTERMEDIATE),
        ("TC", PoliticalTheory.INTERMEDIATE),
        ("Sơ cấp", PoliticalTheory.ELEMENTARY),
        ("SC", PoliticalTheory.ELEMENTARY),
        (None, PoliticalTheory.NONE),
    ],
)
def test_political_theory(cell, expected):
    assert v.political_theory(cell) is expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Chuyên viên cao cấp", StateManagement.SENIOR),
        ("Chuyên viên chính", StateManagement.PRINCIPAL),
        ("Chuyên viên", StateManagement.SPECIALIST),
        ("chuyen vien chinh", StateManagement.PRINCIPAL),
        (None, StateManagement.NONE),
    ],
)
def test_state_management(cell, expected):
    assert v.state_management(cell) is expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Có", True),
        ("co", True),
        ("x", True),
        ("X", True),
        (True, True),
        ("Không", False),
        (None, False),
    ],
)
def test_party_member(cell, expected):
    assert v.party_member(cell) is expected


@pytest.mark.parametrize(
    "cell",
    [
        "0912 345 678",
        "0912.345.678",
        "+84912345678",
        "84912345678",
        "0912-345-678",
        912345678,
        912345678.0,
    ],
)
def test_phones_are_stored_in_international_form(cell):
    assert v.phone(cell) == "+84912345678"


def test_landline_numbers_are_accepted():
    assert v.phone("(024) 3825 1234") == "+842438251234"


@pytest.mark.parametrize(
    "cell", ["091234567", "09123456789", "0112345678", "+1 555 123 4567", "không có", "0912x45678"]
)
def test_phone_garbage_is_refused_without_echoing_the_number(cell):
    with pytest.raises(v.Invalid) as caught:
        v.phone(cell)
    assert "value" not in caught.value.message.params


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Bí thư Đảng ủy", (TitleKind.PARTY_SECRETARY, "")),
        ("Bí thư ĐU", (TitleKind.PARTY_SECRETARY, "")),
        ("BT", (TitleKind.PARTY_SECRETARY, "")),
        ("Phó Bí thư Đảng ủy", (TitleKind.DEPUTY_PARTY_SECRETARY, "")),
        ("PBT", (TitleKind.DEPUTY_PARTY_SECRETARY, "")),
        ("Chủ tịch HĐND", (TitleKind.COUNCIL_CHAIR, "")),
        ("CT HĐND", (TitleKind.COUNCIL_CHAIR, "")),
        ("Phó Chủ tịch HĐND", (TitleKind.COUNCIL_VICE_CHAIR, "")),
        ("PCT HĐND", (TitleKind.COUNCIL_VICE_CHAIR, "")),
        ("Chủ tịch UBND", (TitleKind.COMMITTEE_CHAIR, "")),
        ("CT UBND", (TitleKind.COMMITTEE_CHAIR, "")),
        ("chu tich ubnd xa", (TitleKind.COMMITTEE_CHAIR, "")),
        ("Phó Chủ tịch UBND", (TitleKind.COMMITTEE_VICE_CHAIR, "")),
        ("PCT UBND", (TitleKind.COMMITTEE_VICE_CHAIR, "")),
        ("Chủ tịch UB MTTQ", (TitleKind.FRONT_CHAIR, "")),
        ("CT MTTQ", (TitleKind.FRONT_CHAIR, "")),
        ("Công chức Tư pháp - Hộ tịch", (TitleKind.CIVIL_SERVANT, "Tư pháp - Hộ tịch")),
        ("CC Tư pháp – Hộ tịch", (TitleKind.CIVIL_SERVANT, "Tư pháp - Hộ tịch")),
        ("Cong chuc Van hoa-Xa hoi", (TitleKind.CIVIL_SERVANT, "Van hoa - Xa hoi")),
        ("Học viên dự nguồn", (TitleKind.SOURCE_TRAINEE, "")),
        ("Bí thư Đoàn", (TitleKind.YOUTH_UNION_SECRETARY, "")),
        ("Chủ tịch Hội Liên hiệp Phụ nữ", (TitleKind.WOMEN_UNION_CHAIR, "")),
        ("CT Hội Nông dân xã", (TitleKind.FARMERS_UNION_CHAIR, "")),
        ("CT Hội CCB", (TitleKind.VETERANS_CHAIR, "")),
        ("Chỉ huy trưởng Ban Chỉ huy Quân sự", (TitleKind.MILITARY_COMMANDER, "")),
        ("CHT BCHQS", (TitleKind.MILITARY_COMMANDER, "")),
        ("Công chức Chỉ huy trưởng Quân sự", (TitleKind.MILITARY_COMMANDER, "")),
        ("Trưởng phòng Kinh tế", (TitleKind.DEPARTMENT_HEAD, "Trưởng phòng Kinh tế")),
        (
            "Chánh Văn phòng HĐND và UBND",
            (TitleKind.DEPARTMENT_HEAD, "Chánh Văn phòng HĐND và UBND"),
        ),
        (
            "Giám đốc Trung tâm Phục vụ hành chính công",
            (TitleKind.DEPARTMENT_HEAD, "Giám đốc Trung tâm Phục vụ hành chính công"),
        ),
        (
            "Phó Trưởng phòng Văn hóa–Xã hội",
            (TitleKind.DEPUTY_DEPARTMENT_HEAD, "Phó Trưởng phòng Văn hóa - Xã hội"),
        ),
    ],
)
def test_titles_and_their_abbreviations(cell, expected):
    assert v.title(cell) == expected


@pytest.mark.parametrize("cell", ["Giám đốc", "Công chức", "CC", "Chủ tịch"])
def test_unknown_titles_are_refused(cell):
    with pytest.raises(v.Invalid):
        v.title(cell)


@pytest.mark.parametrize(
    "cell",
    [
        "Bí thư Đảng ủy, Chủ tịch HĐND",
        "Bí thư Đảng ủy; Chủ tịch HĐND",
        "Bí thư Đảng ủy kiêm Chủ tịch HĐND",
        "Bí thư Đảng ủy kiêm nhiệm Chủ tịch HĐND",
        "Bí thư Đảng ủy, kiêm Chủ tịch HĐND",
        "BT KIÊM CT HĐND",
        "bi thu kiem ct hdnd",
    ],
)
def test_concurrent_titles_in_one_cell(cell):
    assert v.titles(cell) == ((TitleKind.PARTY_SECRETARY, ""), (TitleKind.COUNCIL_CHAIR, ""))


def test_a_field_that_contains_kiem_is_not_split():
    """Only "kiêm" as a word separates: "Kiểm" (as in kiểm toán) is not it."""
    assert v.titles("Công chức Tài chính - Kiểm toán") == (
        (TitleKind.CIVIL_SERVANT, "Tài chính - Kiểm toán"),
    )


def test_planned_titles_are_separated_by_semicolons():
    assert v.titles("Bí thư ĐU; PCT UBND;;CT UBND ; PCT UBND") == (
        (TitleKind.PARTY_SECRETARY, ""),
        (TitleKind.COMMITTEE_VICE_CHAIR, ""),
        (TitleKind.COMMITTEE_CHAIR, ""),
    )
    assert v.titles(None) == ()
    with pytest.raises(v.Invalid) as caught:
        v.titles("PBT; Giám đốc")
    assert caught.value.message.params["value"] == "Giám đốc"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Trung cấp LLCT", CourseKind.LLCT_INTERMEDIATE),
        ("Cao cấp LLCT", CourseKind.LLCT_ADVANCED),
        ("Đại học", CourseKind.UNIVERSITY),
        ("Dự nguồn", CourseKind.SOURCE),
        ("Cập nhật kiến thức", CourseKind.REFRESHER),
        ("QLNN", CourseKind.STATE_MANAGEMENT),
        ("Khác", CourseKind.OTHER),
    ],
)
def test_course_kinds(cell, expected):
    assert v.course_kind(cell) is expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Đăng ký", EnrollmentStatus.REGISTERED),
        ("Đang học", EnrollmentStatus.STUDYING),
        ("Hoàn thành", EnrollmentStatus.COMPLETED),
        ("Không đạt", EnrollmentStatus.FAILED),
        ("Bỏ học", EnrollmentStatus.DROPPED),
        ("hoan thanh", EnrollmentStatus.COMPLETED),
    ],
)
def test_enrollment_statuses(cell, expected):
    assert v.enrollment_status(cell) is expected


@pytest.mark.parametrize(
    "cell",
    [
        "35.000.000",
        "35,000,000",
        35000000,
        35000000.0,
        "35.000.000 ₫",
        "35.000.000 đ",
        "35000000",
        "35.000.000 VNĐ",
    ],
)
def test_money(cell):
    assert v.money(cell) == Decimal(35_000_000)


@pytest.mark.parametrize("cell", ["35.000.00", "35.000,000", "-5", "ba mươi", 12.5, "1.5"])
def test_bad_money_is_refused(cell):
    with pytest.raises(v.Invalid):
        v.money(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("40", Decimal(40)),
        ("40,5", Decimal("40.5")),
        ("40.5", Decimal("40.5")),
        (40.5, Decimal("40.5")),
    ],
)
def test_hours(cell, expected):
    assert v.hours(cell) == expected


@pytest.mark.parametrize(("cell", "expected"), [("48", 48), (48, 48), (48.0, 48)])
def test_counts(cell, expected):
    assert v.count(cell) == expected


@pytest.mark.parametrize("cell", ["0", "-3", "4,5", 4.5, "nhiều"])
def test_bad_counts_are_refused(cell):
    with pytest.raises(v.Invalid):
        v.count(cell)


@pytest.mark.parametrize(("cell", "expected"), [(70, "70"), (70.0, "70"), ("  CB  001 ", "CB 001")])
def test_numbers_in_text_columns_read_as_written(cell, expected):
    assert v.text(64)(cell) == expected
