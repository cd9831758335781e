"""Reading rosters: headers however they are written, CSV however Excel saved it, and XLSX."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from storage.importers.bonds import BondsImporter
from storage.importers.courses import CoursesImporter
from storage.importers.enrollments import EnrollmentsImporter
from storage.importers.headers import header_keys
from storage.importers.officials import OfficialsImporter
from storage.importers.tabular import FileRejected, open_sheet
from storage.importers.vocabulary import Cell
from tests.importers.files import write_csv, write_xlsx

COLUMNS = OfficialsImporter.columns


def read(path: Path) -> tuple[dict[str, str], list[str], list[tuple[int, dict[str, Cell]]]]:
    with open_sheet(path, COLUMNS, OfficialsImporter.synonyms) as sheet:
        return sheet.headers, sheet.ignored, list(sheet.rows)


def problems(path: Path) -> list[tuple[str, dict[str, object]]]:
    with pytest.raises(FileRejected) as caught:
        read(path)
    return [(message.text, dict(message.params)) for message in caught.value.messages]


HEADERS = ["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Mã đơn vị", "Chức vụ"]
COLUMNS_BY_KEY = ["code", "full_name", "birth_date", "gender", "unit_code", "title"]
ROW = ["CB001", "Nguyễn Văn An", "17/05/1980", "Nam", "70", "CT UBND"]


@pytest.mark.parametrize(
    "headers",
    [
        HEADERS,
        ["MÃ CÁN BỘ", "họ và tên", "Ngay sinh", "GIOI TINH", "Ma don vi", " Chức  vụ "],
        ["MãCánBộ", "HọVàTên", "NgàySinh", "GiớiTính", "MãĐơnVị", "ChứcVụ"],
        ["code", "full_name", "birth_date", "gender", "unit_code", "title"],
        ["Code", "Full name", "Birth date", "GENDER", "Unit code", "Title"],
    ],
)
def test_headers_match_without_case_spaces_or_diacritics(tmp_path, headers):
    found, ignored, rows = read(write_csv(tmp_path / "r.csv", [headers, ROW]))
    assert list(found) == ["code", "full_name", "birth_date", "gender", "unit_code", "title"]
    assert found["code"] == headers[0].strip()
    assert ignored == []
    assert rows[0][1]["full_name"] == "Nguyễn Văn An"


def test_unknown_columns_are_ignored_and_reported(tmp_path):
    path = write_csv(tmp_path / "r.csv", [["STT", *HEADERS, "Ghi chú"], ["1", *ROW, "mới"]])
    _, ignored, rows = read(path)
    assert ignored == ["STT", "Ghi chú"]
    assert set(rows[0][1]) == {"code", "full_name", "birth_date", "gender", "unit_code", "title"}


def test_a_missing_required_column_rejects_the_file_naming_it(tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADERS[:2] + HEADERS[3:], ROW[:2] + ROW[3:]])
    assert problems(path) == [
        (
            "The header (row {row}) has no column “{header}” ({english}), which is required.",
            {"header": "Ngày sinh", "english": "birth_date", "row": 1},
        )
    ]


def test_two_columns_meaning_the_same_are_refused(tmp_path):
    path = write_csv(tmp_path / "r.csv", [[*HEADERS, "code"], [*ROW, "CB002"]])
    assert problems(path)[0][1] == {"first": "Mã cán bộ", "second": "code", "header": "Mã cán bộ"}


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8"), (";", "utf-8-sig"), (";", "utf-8"), ("\t", "utf-8-sig")],
)
def test_csv_with_or_without_bom_and_any_usual_delimiter(tmp_path, delimiter, encoding):
    path = write_csv(tmp_path / "r.csv", [HEADERS, ROW], delimiter=delimiter, encoding=encoding)
    found, _, rows = read(path)
    assert found["code"] == "Mã cán bộ"
    assert rows == [(2, dict(zip(found, ROW, strict=True)))]


def test_bytes_that_are_no_text_we_read_are_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(",".join(HEADERS).encode() + b"\nCB001,L\x81\x8d\n")
    assert "not text that can be read" in problems(path)[0][0]


def test_row_numbers_are_the_spreadsheet_rows_blank_rows_included(tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADERS, ROW, [], ["", "", ""], ROW])
    assert [number for number, _ in read(path)[2]] == [2, 5]


def test_xlsx_cells_keep_their_types(tmp_path):
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [HEADERS, [1001, "  Nguyễn Văn An ", datetime(1980, 5, 17), "Nam", 70, "CT UBND"], [], ROW],
    )
    _found, _, rows = read(path)
    assert rows[0] == (
        2,
        {
            "code": 1001,
            "full_name": "Nguyễn Văn An",
            "birth_date": datetime(1980, 5, 17),
            "gender": "Nam",
            "unit_code": 70,
            "title": "CT UBND",
        },
    )
    assert rows[1][0] == 4


def test_decomposed_unicode_is_normalised(tmp_path):
    decomposed = "Nguye\u0302\u0303n Va\u0306n An"
    path = write_csv(tmp_path / "r.csv", [HEADERS, [ROW[0], decomposed, *ROW[2:]]])
    assert read(path)[2][0][1]["full_name"] == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("r.xls", b"\xd0\xcf\x11\xe0", "not a readable spreadsheet"),
        ("r.xlsx", b"not a zip", "not a readable spreadsheet"),
        ("r.ods", b"PK\x03\x04", "not a readable spreadsheet"),
        ("r.pdf", b"%PDF-1.4", "Only Excel"),
        ("r.csv", b"", "empty"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    assert fragment in problems(path)[0][0]


def test_a_missing_file_is_refused(tmp_path):
    assert problems(tmp_path / "none.csv")[0][0] == "The file does not exist."


@pytest.mark.parametrize(
    "importer", [OfficialsImporter, CoursesImporter, EnrollmentsImporter, BondsImporter]
)
def test_no_header_word_means_two_columns_of_one_roster(importer):
    meaning: dict[str, str] = {}
    for column in importer.columns:
        names = (column.key, column.header, *importer.synonyms.get(column.key, ()))
        for key in {k for name in names for k in header_keys(name)}:
            assert meaning.setdefault(key, column.key) == column.key, key


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Mã CB", "code"),
        ("Họ tên", "full_name"),
        ("Ngày, tháng, năm sinh", "birth_date"),
        ("NGÀY THÁNG NĂM SINH", "birth_date"),
        ("Chức danh", "title"),
        ("Trình độ chuyên môn", "professional_level"),
        ("Trình độ LLCT", "political_theory"),
        ("SĐT", "phone"),
        ("Số điện thoại (di động)", "phone"),
        ("Họ và tên (1)", "full_name"),
    ],
)
def test_the_boards_own_header_words(tmp_path, header, key):
    if key in COLUMNS_BY_KEY:
        headers, row = (
            [header if k == key else h for k, h in zip(COLUMNS_BY_KEY, HEADERS, strict=True)],
            ROW,
        )
    else:
        headers, row = [*HEADERS, header], [*ROW, "x"]
    found, _ignored, _rows = read(write_csv(tmp_path / "r.csv", [headers, row]))
    assert found[key] == header


def test_the_header_is_found_below_a_title_block_and_above_a_numbers_row(tmp_path):
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["UBND TỈNH BẮC NINH"],
            ["DANH SÁCH CÁN BỘ, CÔNG CHỨC"],
            [],
            HEADERS,
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
            ROW,
            ["Cộng: 1 người"],
        ],
    )
    with open_sheet(path, COLUMNS) as sheet:
        rows = list(sheet.rows)
        assert (sheet.header_rows, sheet.foot) == ((4,), (7, "Cộng: 1 người"))
    assert [number for number, _cells in rows] == [6]


def test_a_file_without_a_header_row_says_what_it_needs(tmp_path):
    path = write_csv(tmp_path / "r.csv", [["Danh sách"], ROW])
    assert problems(path) == [
        (
            "No row in the first {rows} names the columns; the table needs a header row such "
            "as: {names}.",
            {"rows": 30, "names": "Mã cán bộ, Họ và tên, Ngày sinh, Giới tính, Mã đơn vị, Chức vụ"},
        )
    ]
