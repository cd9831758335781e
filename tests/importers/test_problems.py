"""Every problem of a file in one pass: bad values, unknown units, duplicate codes and
implausible dates together, however they combine in a row; a long list is capped."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from storage.importers.report import MAX_PROBLEMS
from storage.models import Official
from tests.importers.files import (
    OFFICIALS_HEADER,
    official_row,
    row_errors,
    run_import,
    write_csv,
)

TODAY = date(2026, 12, 2)
HEADER = [*OFFICIALS_HEADER, "Ngày bổ nhiệm", "Ngày vào Đảng", "Học vấn"]
NOT_A_DATE = "“{value}” is not a date; write it as dd/mm/yyyy."
UNKNOWN_UNIT = "No unit has the code “{value}”."
DUPLICATE = "The same code is already in row {row}."
AGE = (
    "An official is {youngest} to {oldest} years old; born on {born}, this one would be "
    "{age} on {today}."
)


def row(code: str, **overrides: str) -> list[str]:
    extra = {"Ngày bổ nhiệm": "", "Ngày vào Đảng": "", "Học vấn": "12/12"}
    extra.update({k: overrides.pop(k) for k in list(overrides) if k in extra})
    return [*official_row(code, **overrides), *extra.values()]


async def test_one_file_with_every_kind_of_problem_reports_them_all_at_once(
    session, sessions, ward, tmp_path
):
    path = write_csv(
        tmp_path / "r.csv",
        [
            HEADER,
            row("CB001"),
            row("CB002", **{"Ngày sinh": "12/03/2015"}),  # a child
            row("CB003", **{"Mã đơn vị": "99999"}),  # an unknown unit
            row("cb001"),  # the same code, in another case
            row("CB005", **{"Ngày sinh": "31/02/1980", "Mã đơn vị": "88888"}),  # both at once
            row("CB001", **{"Giới tính": "Trai"}),  # a bad value in a duplicate
            row("CB007", **{"Ngày sinh": "01/01/1950"}),  # 76 years old
            row("CB008", **{"Ngày sinh": "01/06/1990", "Ngày bổ nhiệm": "01/01/2005"}),
            row("CB009", **{"Ngày sinh": "01/06/1990", "Ngày vào Đảng": "30/05/2008"}),
            row("CB010", **{"Học vấn": "10/12", "Điện thoại": "12345"}),
        ],
    )

    report = await run_import(sessions, "officials", path, today=TODAY)

    assert row_errors(report) == [
        (3, "Ngày sinh", AGE),
        (4, "Mã đơn vị", UNKNOWN_UNIT),
        (5, "Mã cán bộ", DUPLICATE),
        (6, "Ngày sinh", NOT_A_DATE),
        (6, "Mã đơn vị", UNKNOWN_UNIT),
        (7, "Giới tính", "“{value}” is not a gender; write Nam or Nữ."),
        (7, "Mã cán bộ", DUPLICATE),
        (8, "Ngày sinh", AGE),
        (9, "Ngày bổ nhiệm", "Appointed on {day}, before turning {adult} on {on}."),
        (10, "Ngày vào Đảng", "Joined the Party on {day}, before turning {adult} on {on}."),
        (
            11,
            "Học vấn",
            "“{value}” is not a level of general education; write THPT, 12/12, THCS or 9/12.",
        ),
        (
            11,
            "Điện thoại",
            "This is not a Vietnamese phone number (0912 345 678, +84912345678, 024 3825 1234).",
        ),
    ]
    assert report.row_errors[0].reason.params["age"] == 11
    assert report.row_errors[7].reason.params["age"] == 76
    rendered = report.render()
    assert "Problems: 12." in rendered
    assert "born on 12/03/2015, this one would be 11 on 02/12/2026" in rendered
    assert "Appointed on 01/01/2005, before turning 18 on 01/06/2008." in rendered
    assert await session.scalar(select(func.count()).select_from(Official)) == 0


async def test_a_long_list_of_problems_is_cut_at_200_lines_and_the_rest_counted(
    session, sessions, ward, tmp_path
):
    rows = [row(f"CB{n:04}", **{"Giới tính": "?"}) for n in range(1, 1301)]
    path = write_csv(tmp_path / "r.csv", [HEADER, *rows])

    report = await run_import(sessions, "officials", path, today=TODAY)

    assert len(report.row_errors) == MAX_PROBLEMS
    assert report.row_errors[-1].row == MAX_PROBLEMS + 1
    assert report.more_errors == 1100
    lines = report.render().splitlines()
    assert lines[0] == "r.csv: rejected, nothing was imported. Problems: 1,300."
    assert lines[MAX_PROBLEMS + 1] == "… and 1,100 more problems, not listed."
