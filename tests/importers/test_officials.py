"""Importing the officials roster: whole or nothing, upserted on the code, twice is a no-op."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from rules.scales import (
    Gender,
    GeneralEducation,
    PoliticalTheory,
    ProfessionalLevel,
    StateManagement,
)
from rules.titles import Post, TitleKind
from storage.models import Official, Title, UnitKind
from tests.factories import make_official, make_unit
from tests.importers.files import (
    OFFICIALS_HEADER,
    official_row,
    row_errors,
    run_import,
    snapshot,
    write_csv,
    write_xlsx,
)

FULL_HEADER = [
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Mã đơn vị",
    "Chức vụ",
    "Ngày bổ nhiệm",
    "Chức danh quy hoạch",
    "Học vấn",
    "Chuyên môn",
    "Chuyên ngành",
    "Lý luận chính trị",
    "Quản lý nhà nước",
    "Đảng viên",
    "Ngày vào Đảng",
    "Điện thoại",
    "Ghi chú",
]
FULL_ROWS = [
    [
        "CB001",
        "Nguyễn Văn An",
        "17/05/1980",
        "Nam",
        "Kinh",
        "70",
        "CT UBND",
        "1/7/2021",
        "Bí thư ĐU; PBT",
        "12/12",
        "Thạc sỹ",
        "Luật",
        "Cao cấp",
        "Chuyên viên chính",
        "x",
        "2005-03-19",
        "0912.345.678",
        "ghi chú",
    ],
    [
        "CB002",
        "Thạch Thị Sa Rinh",
        "02/11/1992",
        "Nữ",
        "Khmer",
        "00070",
        "Công chức Tư pháp - Hộ tịch",
        "",
        "",
        "THPT",
        "ĐH",
        "Luật",
        "",
        "",
        "Không",
        "",
        "",
        "",
    ],
]


async def officials(session) -> dict[str, Official]:
    rows = await session.scalars(
        select(Official)
        .options(selectinload(Official.planned))
        .execution_options(populate_existing=True)
    )
    found = {official.code: official for official in rows}
    await session.commit()  # end the read, so the next one sees later imports
    return found


UNKNOWN_TITLE = (
    "“{value}” is not a title we know. Write one of: {titles}; separate several titles "
    "with “,”, “;” or “kiêm”."
)
NOT_A_PHONE = "This is not a Vietnamese phone number (0912 345 678, +84912345678, 024 3825 1234)."


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
async def test_every_column_is_imported_from_csv_and_xlsx(
    session, sessions, ward, tmp_path, suffix
):
    writer = write_csv if suffix == "csv" else write_xlsx
    path = writer(tmp_path / f"roster.{suffix}", [FULL_HEADER, *FULL_ROWS])

    report = await run_import(sessions, "officials", path)

    assert not report.rejected, report.render()
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.ignored_columns == ["Ghi chú"]
    found = await officials(session)
    an, rinh = found["CB001"], found["CB002"]
    assert (an.full_name, an.birth_date, an.gender, an.ethnicity) == (
        "Nguyễn Văn An",
        date(1980, 5, 17),
        Gender.MALE,
        "Kinh",
    )
    assert (an.unit_id, an.posts, an.appointed_on) == (
        ward.id,
        (Post(TitleKind.COMMITTEE_CHAIR),),
        date(2021, 7, 1),
    )
    assert {title.kind for title in an.planned} == {
        TitleKind.PARTY_SECRETARY,
        TitleKind.DEPUTY_PARTY_SECRETARY,
    }
    assert (an.general_education, an.professional_level, an.major) == (
        GeneralEducation.UPPER_SECONDARY,
        ProfessionalLevel.MASTER,
        "Luật",
    )
    assert (an.political_theory, an.state_management) == (
        PoliticalTheory.ADVANCED,
        StateManagement.PRINCIPAL,
    )
    assert (an.party_member, an.party_joined_on, an.phone) == (
        True,
        date(2005, 3, 19),
        "+84912345678",
    )
    assert (rinh.gender, rinh.posts, [title.name for title in rinh.titles]) == (
        Gender.FEMALE,
        (Post(TitleKind.CIVIL_SERVANT, "Tư pháp - Hộ tịch"),),
        ["Công chức Tư pháp - Hộ tịch"],
    )
    assert (rinh.political_theory, rinh.state_management, rinh.party_member, rinh.phone) == (
        PoliticalTheory.NONE,
        StateManagement.NONE,
        False,
        None,
    )
    assert rinh.planned == []


async def test_excel_cells_dates_and_numbers_that_lost_their_zeros(
    session, sessions, ward, tmp_path
):
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [
            OFFICIALS_HEADER,
            official_row(
                1001,
                **{"Ngày sinh": datetime(1980, 5, 17), "Mã đơn vị": 70.0, "Điện thoại": 912345678},
            ),
        ],
    )
    assert not (await run_import(sessions, "officials", path)).rejected
    official = (await officials(session))["1001"]
    assert (official.birth_date, official.unit_id, official.phone) == (
        date(1980, 5, 17),
        ward.id,
        "+84912345678",
    )


@pytest.mark.parametrize("code", ["70", "070", "00070"])
async def test_unit_codes_with_or_without_leading_zeros(session, sessions, ward, tmp_path, code):
    path = write_csv(tmp_path / "r.csv", [OFFICIALS_HEADER, official_row(**{"Mã đơn vị": code})])
    assert not (await run_import(sessions, "officials", path)).rejected
    assert (await officials(session))["CB001"].unit_id == ward.id


async def test_internal_units_match_their_own_code(session, sessions, tmp_path):
    board = await make_unit(session, code="BTC-HN", name="Ban Tổ chức", kind=UnitKind.OTHER)
    await session.commit()
    path = write_csv(
        tmp_path / "r.csv", [OFFICIALS_HEADER, official_row(**{"Mã đơn vị": "BTC-HN"})]
    )
    assert not (await run_import(sessions, "officials", path)).rejected
    assert (await officials(session))["CB001"].unit_id == board.id


async def test_every_bad_row_is_named_with_its_column(session, sessions, ward, tmp_path):
    path = write_csv(
        tmp_path / "r.csv",
        [
            OFFICIALS_HEADER,
            official_row("CB001"),
            official_row("CB002", **{"Ngày sinh": "31/02/1980", "Giới tính": "Trai"}),
            official_row("CB003", **{"Mã đơn vị": "99999"}),
            official_row("CB004", **{"Chức vụ": "Giám đốc", "Điện thoại": "12345"}),
            official_row("CB001"),
            official_row("", **{"Họ và tên": ""}),
        ],
    )

    report = await run_import(sessions, "officials", path)

    assert report.rejected
    assert row_errors(report) == [
        (3, "Ngày sinh", "“{value}” is not a date; write it as dd/mm/yyyy."),
        (3, "Giới tính", "“{value}” is not a gender; write Nam or Nữ."),
        (4, "Mã đơn vị", "No unit has the code “{value}”."),
        (5, "Chức vụ", UNKNOWN_TITLE),
        (5, "Điện thoại", NOT_A_PHONE),
        (6, "Mã cán bộ", "The same code is already in row {row}."),
        (7, "Mã cán bộ", "The cell is empty, but this column is required."),
        (7, "Họ và tên", "The cell is empty, but this column is required."),
    ]
    assert report.row_errors[2].reason.params == {"value": "99999"}
    assert report.row_errors[5].reason.params == {"row": 2}
    assert await session.scalar(select(func.count()).select_from(Official)) == 0


async def test_a_bad_row_in_the_middle_leaves_the_database_exactly_as_it_was(
    session, sessions, ward, tmp_path
):
    await make_official(session, "CB002", unit=ward, phone="+84987654321")
    await session.commit()
    before = await snapshot(session)
    await session.commit()
    rows = [official_row(f"CB{n:03}") for n in range(1, 1201)]
    rows[600] = official_row("CB601", **{"Ngày sinh": "17/05/80"})
    rows[1] = official_row("CB002", **{"Chức vụ": "Công chức Văn phòng - Thống kê"})
    path = write_csv(tmp_path / "r.csv", [OFFICIALS_HEADER, *rows])

    report = await run_import(sessions, "officials", path)

    assert row_errors(report) == [
        (602, "Ngày sinh", "“{value}” is not a date; write it as dd/mm/yyyy.")
    ]
    assert await snapshot(session) == before


async def test_importing_the_same_file_twice_changes_nothing(session, sessions, ward, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [FULL_HEADER, *FULL_ROWS])
    await run_import(sessions, "officials", path)
    first = await snapshot(session)
    await session.commit()

    report = await run_import(sessions, "officials", path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert await snapshot(session) == first


async def test_a_changed_cell_updates_only_its_row(session, sessions, ward, tmp_path):
    first = write_csv(tmp_path / "a.csv", [FULL_HEADER, *FULL_ROWS])
    await run_import(sessions, "officials", first)
    before = {code: official.updated_at for code, official in (await officials(session)).items()}
    changed = [[*FULL_ROWS[0][:8], "PBT", *FULL_ROWS[0][9:]], FULL_ROWS[1]]

    second = write_csv(tmp_path / "b.csv", [FULL_HEADER, *changed])
    report = await run_import(sessions, "officials", second)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    after = await officials(session)
    assert {title.kind for title in after["CB001"].planned} == {TitleKind.DEPUTY_PARTY_SECRETARY}
    assert after["CB001"].updated_at > before["CB001"]
    assert after["CB002"].updated_at == before["CB002"]


async def test_columns_left_out_of_the_file_keep_their_stored_values(
    session, sessions, ward, tmp_path
):
    first = write_csv(tmp_path / "a.csv", [FULL_HEADER, *FULL_ROWS])
    await run_import(sessions, "officials", first)
    path = write_csv(tmp_path / "b.csv", [OFFICIALS_HEADER[:-1], official_row("CB001")[:-1]])

    report = await run_import(sessions, "officials", path)

    assert (report.updated, report.unchanged) == (0, 1)
    official = (await officials(session))["CB001"]
    assert (official.phone, official.major, len(official.planned)) == ("+84912345678", "Luật", 2)


async def test_titles_are_shared_whatever_the_case_of_their_field(
    session, sessions, ward, tmp_path
):
    path = write_csv(
        tmp_path / "r.csv",
        [
            OFFICIALS_HEADER,
            official_row("CB001", **{"Chức vụ": "Công chức Tư pháp - Hộ tịch"}),
            official_row("CB002", **{"Chức vụ": "CC tư pháp-hộ tịch"}),
        ],
    )
    assert not (await run_import(sessions, "officials", path)).rejected
    titles = (
        await session.scalars(select(Title).where(Title.kind == TitleKind.CIVIL_SERVANT))
    ).all()
    assert [title.field for title in titles] == ["Tư pháp - Hộ tịch"]


async def test_a_dry_run_reports_and_writes_nothing(session, sessions, ward, tmp_path):
    before = await snapshot(session)
    await session.commit()
    path = write_csv(tmp_path / "r.csv", [FULL_HEADER, *FULL_ROWS])

    report = await run_import(sessions, "officials", path, dry_run=True)

    assert (report.rejected, report.created, report.dry_run) == (False, 2, True)
    assert "nothing written (dry run): 2 would be new" in report.render()
    assert await snapshot(session) == before


async def test_a_missing_required_column_rejects_the_file(session, sessions, ward, tmp_path):
    header = [name for name in OFFICIALS_HEADER if name != "Chức vụ"]
    path = write_csv(tmp_path / "r.csv", [header, [*official_row()[:5], "0912345678"]])
    report = await run_import(sessions, "officials", path)
    assert report.render() == (
        "r.csv: rejected, nothing was imported. Problems: 1.\n"
        "r.csv: The header (row 1) has no column “Chức vụ” (title), which is required."
    )
    assert await session.scalar(select(func.count()).select_from(Official)) == 0


@pytest.mark.parametrize(
    "cell",
    [
        "Bí thư Đảng ủy, Chủ tịch HĐND",
        "Bí thư ĐU; CT HĐND",
        "Bí thư Đảng ủy kiêm Chủ tịch HĐND",
        "bi thu dang uy KIEM chu tich hdnd",
    ],
)
async def test_a_concurrent_post_is_imported_with_each_separator(
    session, sessions, ward, tmp_path, cell
):
    path = write_csv(tmp_path / "r.csv", [OFFICIALS_HEADER, official_row(**{"Chức vụ": cell})])
    report = await run_import(sessions, "officials", path)
    assert not report.rejected, report.render()
    official = (await officials(session))["CB001"]
    assert official.posts == (Post(TitleKind.PARTY_SECRETARY), Post(TitleKind.COUNCIL_CHAIR))


async def test_titles_held_are_replaced_in_their_new_order(session, sessions, ward, tmp_path):
    first = write_csv(
        tmp_path / "a.csv", [OFFICIALS_HEADER, official_row(**{"Chức vụ": "BT, CT HĐND"})]
    )
    await run_import(sessions, "officials", first)
    again = await run_import(sessions, "officials", first)
    assert (again.updated, again.unchanged) == (0, 1)
    second = write_csv(
        tmp_path / "b.csv", [OFFICIALS_HEADER, official_row(**{"Chức vụ": "CT HĐND kiêm BT"})]
    )
    report = await run_import(sessions, "officials", second)
    assert (report.updated, report.unchanged) == (1, 0)
    official = (await officials(session))["CB001"]
    assert official.posts == (Post(TitleKind.COUNCIL_CHAIR), Post(TitleKind.PARTY_SECRETARY))
    third = write_csv(
        tmp_path / "c.csv", [OFFICIALS_HEADER, official_row(**{"Chức vụ": "PCT UBND"})]
    )
    await run_import(sessions, "officials", third)
    official = (await officials(session))["CB001"]
    assert official.posts == (Post(TitleKind.COMMITTEE_VICE_CHAIR),)


async def test_an_unknown_title_among_several_names_the_row_and_writes_nothing(
    session, sessions, ward, tmp_path
):
    before = await snapshot(session)
    await session.commit()
    path = write_csv(
        tmp_path / "r.csv",
        [
            OFFICIALS_HEADER,
            official_row("CB001", **{"Chức vụ": "Bí thư Đảng ủy"}),
            official_row("CB002", **{"Chức vụ": "Bí thư Đảng ủy, Trưởng ban Dân vận"}),
        ],
    )
    report = await run_import(sessions, "officials", path)
    assert report.rejected
    assert row_errors(report) == [(3, "Chức vụ", UNKNOWN_TITLE)]
    params = {key: str(value) for key, value in report.row_errors[0].reason.params.items()}
    assert params["value"] == "Trưởng ban Dân vận"
    for accepted in ("Bí thư Đảng ủy", "Chủ tịch HĐND", "Chỉ huy trưởng Ban Chỉ huy Quân sự"):
        assert accepted in params["titles"]
    assert await snapshot(session) == before


async def test_a_title_cell_of_separators_only_is_refused(session, sessions, ward, tmp_path):
    path = write_csv(tmp_path / "r.csv", [OFFICIALS_HEADER, official_row(**{"Chức vụ": " ; , "})])
    report = await run_import(sessions, "officials", path)
    assert row_errors(report) == [(2, "Chức vụ", "Name at least one title.")]
