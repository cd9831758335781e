"""Rosters as boards keep them (IMPORT_FORMAT.md, "Files as boards really keep them"): the same
board roster in every layout and format imports the same eight officials, says which row it took
as the header and which columns it ignored, and a second import changes nothing."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from rules.titles import TitleKind
from storage.models import Official, UnitKind
from tests.factories import make_unit
from tests.importers import boards
from tests.importers.files import run_import, snapshot

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 12, 2)


def board_file(folder: Path, name: str) -> Path:
    path = folder / f"board_roster.{name}" if "." not in name else folder / name
    if name == "xlsx":
        return boards.write_board_xlsx(path)
    if name in ("xls", "ods"):
        return Path(shutil.copy(FIXTURES / f"board_roster.{name}", path))
    path.write_bytes(boards.TEXT_FORMATS[name]())
    return path


FORMATS = ["xlsx", "xls", "ods", *boards.TEXT_FORMATS]


@pytest.fixture
async def communes(session, ward):
    """Phường Hoàn Kiếm (00070) and a commune whose code rosters write as 7615."""
    bac_ninh = await make_unit(session, code="27", name="Tỉnh Bắc Ninh", kind=UnitKind.PROVINCE)
    other = await make_unit(session, code="07615", name="Xã Tam Giang", parent=bac_ninh)
    await session.commit()
    return ward, other


@pytest.mark.parametrize("name", FORMATS)
async def test_a_board_roster_imports_in_every_format(session, sessions, communes, tmp_path, name):
    path = board_file(tmp_path, name)

    report = await run_import(sessions, "officials", path, today=TODAY)

    assert not report.rejected, report.render()
    assert (report.created, report.updated, report.unchanged) == (8, 0, 0)
    assert report.header_rows == boards.HEADER_ROWS
    assert report.ignored_columns == boards.IGNORED
    assert report.foot == (boards.FOOT_ROW, "Tổng cộng: 8 người")
    rendered = report.render()
    assert "Header: rows 7–8." in rendered
    assert "From row 18 (“Tổng cộng: 8 người”) on: the foot of the table, not read." in rendered
    assert "Ignored columns: “STT”, “Đảng viên / Ngày chính thức”." in rendered

    found = {o.code: o for o in await session.scalars(select(Official))}
    ward, other = communes
    assert set(found) == {
        "BN-001",
        "BN-002",
        "BN-003",
        "bn-004",
        "BN-005",
        "BN-006",
        "BN-007",
        "BN-008",
    }
    an, binh, dung = found["BN-001"], found["BN-002"], found["bn-004"]
    assert (an.full_name, an.birth_date, an.unit_id, an.posts[0].kind) == (
        "Nguyễn Văn An",
        date(1975, 5, 17),
        ward.id,
        TitleKind.PARTY_SECRETARY,
    )
    assert (an.general_education, an.professional_level, an.political_theory) == (
        GeneralEducation.UPPER_SECONDARY,
        ProfessionalLevel.UNIVERSITY,
        PoliticalTheory.ADVANCED,
    )
    assert an.party_member is None  # "Đảng viên" is a group here, not a column
    assert (an.party_joined_on, an.phone) == (date(1998, 3, 3), "+84912345678")
    # "12/12" and "9/12" that the spreadsheet turned into 12 and 9 December
    assert binh.general_education is GeneralEducation.UPPER_SECONDARY
    assert dung.general_education is GeneralEducation.LOWER_SECONDARY
    assert (dung.unit_id, dung.phone) == (other.id, "+84356789012")
    await session.commit()

    before = await snapshot(session)
    await session.commit()
    again = await run_import(sessions, "officials", path, today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    after = await snapshot(session)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }


async def test_codes_differ_by_more_than_case(session, sessions, communes, tmp_path):
    """An official's code is found without case: a later roster writing "BN-004" updates the
    official stored as "bn-004", and keeps the code as first written."""
    await run_import(sessions, "officials", board_file(tmp_path, "xlsx"), today=TODAY)
    rows = boards.rows()
    rows[boards.FIRST_ROW - 1 + 3][1] = "BN-004"
    rows[boards.FIRST_ROW - 1 + 3][2] = "Phạm Thị Dung Mới"
    path = boards.write_text(tmp_path / "again.csv", rows)

    report = await run_import(sessions, "officials", path, today=TODAY)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 7), report.render()
    dung = await session.scalar(select(Official).where(Official.code_key == "bn-004"))
    assert (dung.code, dung.full_name) == ("bn-004", "Phạm Thị Dung Mới")


async def test_an_official_below_the_foot_is_refused_not_lost(
    session, sessions, communes, tmp_path
):
    rows = boards.rows()
    rows.append(list(boards.PEOPLE[0]))
    rows[-1][1] = "BN-099"
    path = boards.write_text(tmp_path / "r.csv", rows)

    report = await run_import(sessions, "officials", path, today=TODAY)

    assert report.rejected
    assert [m.params for m in report.file_errors] == [{"rows": str(len(rows)), "foot": 18}]
