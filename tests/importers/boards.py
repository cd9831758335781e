"""A roster as an organisation board keeps it: a title block in merged cells, a header of two
rows with a group ("Trình độ") merged over its parts, a row of column numbers, real date cells,
phones and unit codes stored as numbers, levels a spreadsheet turned into dates, and a foot
(totals, signatures). Written as XLSX (openpyxl), as text in every encoding boards use, and
committed as .xls and .ods that LibreOffice made from the XLSX (fixtures/make_fixtures.py).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

TITLE_BLOCK: list[list[Any]] = [
    ["TỈNH ỦY BẮC NINH", None, None, None, None, None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"],
    ["BAN TỔ CHỨC", None, None, None, None, None, None, "Bắc Ninh, ngày 02 tháng 12 năm 2026"],
    [],
    ["DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ NĂM 2026"],
    ["(Kèm theo Công văn số 123-CV/BTCTU ngày 01/12/2026 của Ban Tổ chức Tỉnh ủy)"],
    [],
]
TOP = [
    "STT",
    "Mã CB",
    "Họ tên",
    "Ngày, tháng, năm sinh",
    "Giới tính",
    "Mã ĐV",
    "Chức danh",
    "Trình độ",
    None,
    None,
    None,
    "Đảng viên",
    None,
    "SĐT",
]
PARTS = [
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    "Học vấn",
    "CM",
    "LLCT",
    "QLNN",
    "Ngày vào Đảng",
    "Ngày chính thức",
    None,
]
NUMBERS = [f"({n})" for n in range(1, len(TOP) + 1)]
HEADER_ROWS = (7, 8)
FIRST_ROW = 10  # under the numbers row
# fmt: off
PEOPLE: list[list[Any]] = [
    [1, "BN-001", "Nguyễn Văn An", datetime(1975, 5, 17), "Nam", 70, "Bí thư Đảng ủy", "12/12",
     "Đại học", "Cao cấp", "Chuyên viên", datetime(1998, 3, 3), datetime(1999, 3, 3), 912345678],
    [2, "BN-002", "Trần Thị Bình", datetime(1982, 11, 2), "Nữ", 70, "Chủ tịch UBND",
     datetime(2026, 12, 12), "Thạc sĩ", "Trung cấp", None, datetime(2005, 6, 1), None, 987654321],
    [3, "BN-003", "Lê Văn Cường", datetime(1990, 1, 9), "Nam", 7615, "PCT UBND", "THPT", "ĐH",
     "TC", None, None, None, None],
    [4, "bn-004", "Phạm Thị Dung", datetime(1968, 7, 30), "Nữ", 7615, "CT HĐND",
     datetime(2026, 12, 9), "Trung cấp", "Sơ cấp", None, datetime(1990, 2, 3), None, 356789012],
    [5, "BN-005", "Hoàng Văn Em", datetime(1995, 9, 15), "Nam", 70,
     "Công chức Tư pháp - Hộ tịch", "12/12", "Đại học", None, None, None, None, None],
    [6, "BN-006", "Đặng Thị Phương", datetime(1988, 4, 21), "Nữ", 70, "CC Văn phòng - Thống kê",
     "12/12", "Cao đẳng", None, None, None, None, None],
    [7, "BN-007", "Vũ Văn Giang", datetime(1979, 12, 31), "Nam", 7615, "CT MTTQ", "12/12",
     "Đại học", "Trung cấp", None, datetime(2001, 8, 19), None, 868123456],
    [8, "BN-008", "Bùi Thị Hà", datetime(1993, 3, 8), "Nữ", 7615, "Phó Bí thư", "12/12", "Thạc sỹ",
     "Trung cấp", "Chuyên viên chính", datetime(2016, 5, 19), None, None],
]
# fmt: on
FOOT: list[list[Any]] = [
    [None, "Tổng cộng: 8 người"],
    [],
    [None, None, None, None, None, None, None, "Bắc Ninh, ngày 02 tháng 12 năm 2026"],
    [None, "NGƯỜI LẬP BIỂU", None, None, None, None, None, "TRƯỞNG BAN"],
    [None, "(Ký, ghi rõ họ tên)", None, None, None, None, None, "(Ký, đóng dấu, ghi rõ họ tên)"],
    [],
    [None, "Nguyễn Thị Lập", None, None, None, None, None, "Trần Văn Trưởng"],
]
FOOT_ROW = FIRST_ROW + len(PEOPLE)
IGNORED = ["STT", "Đảng viên / Ngày chính thức"]


def rows() -> list[list[Any]]:
    """The whole sheet, a fresh copy a test may change."""
    return [list(row) for row in (*TITLE_BLOCK, TOP, PARTS, NUMBERS, *PEOPLE, *FOOT)]


def write_board_xlsx(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows():
        sheet.append(row)
    for first, last in (("A1", "E1"), ("H1", "N1"), ("A4", "N4"), ("A5", "N5")):
        sheet.merge_cells(f"{first}:{last}")
    top = len(TITLE_BLOCK) + 1
    for column in "ABCDEFGN":
        sheet.merge_cells(f"{column}{top}:{column}{top + 1}")
    sheet.merge_cells(f"H{top}:K{top}")
    sheet.merge_cells(f"L{top}:M{top}")
    sheet.merge_cells(f"B{FOOT_ROW}:G{FOOT_ROW}")
    for row in sheet.iter_rows(min_row=FIRST_ROW, max_row=FOOT_ROW - 1):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy"
    workbook.save(path)
    return path


def as_text(cell: Any) -> str:
    """A cell as a spreadsheet's CSV export writes it."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return f"{cell:%d/%m/%Y}"
    return str(cell)


def board_text(delimiter: str, table: list[list[Any]] | None = None) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [as_text(cell) for cell in row] for row in (rows() if table is None else table)
    )
    return buffer.getvalue()


def write_text(path: Path, table: list[list[Any]]) -> Path:
    path.write_text(board_text(",", table), encoding="utf-8")
    return path


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """``text`` as Windows writes it in code page 1258: a letter the page has no precomposed
    form for becomes its base vowel and a separate combining tone mark."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tones = "".join(mark for mark in decomposed[1:] if mark in _TONES)
            rest = "".join(mark for mark in decomposed[1:] if mark not in _TONES)
            out += (unicodedata.normalize("NFC", decomposed[0] + rest) + tones).encode("cp1258")
    return bytes(out)


TEXT_FORMATS = {
    "utf8.csv": lambda: board_text(",").encode("utf-8"),
    "utf8-bom-semicolon.csv": lambda: board_text(";").encode("utf-8-sig"),
    "utf16-tab.csv": lambda: board_text("\t").encode("utf-16"),
    "windows-1258-semicolon.csv": lambda: cp1258(board_text(";")),
    "windows-1258-comma.csv": lambda: cp1258(board_text(",")),
    "unicode-text.txt": lambda: board_text("\t").encode("utf-16"),
}
