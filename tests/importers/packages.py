"""XLSX packages beyond what a roster may hold, built without writing their contents cell by
cell: a zip bomb and a sheet of too many rows (used by test_limits.py and bench_import.py)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
OPEN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
Writer = Callable[[IO[bytes]], None]


def with_sheet(path: Path, writer: Writer) -> Path:
    """A small workbook saved at ``path`` whose first sheet's XML ``writer`` writes."""
    workbook = Workbook()
    workbook.active.append(["Mã cán bộ", "Họ và tên"])
    small = path.with_name("small-" + path.name)
    workbook.save(small)
    with (
        zipfile.ZipFile(small) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out,
    ):
        for item in source.infolist():
            if item.filename == SHEET:
                with out.open(item.filename, "w", force_zip64=True) as stream:
                    writer(stream)
            else:
                out.writestr(item, source.read(item))
    small.unlink()
    return path


def bomb(path: Path, megabytes: int = 1100) -> Path:
    """About a megabyte on disk; its sheet unpacks to ``megabytes`` MB of blanks."""
    blanks = b" " * 2**20

    def write(stream: IO[bytes]) -> None:
        stream.write(OPEN)
        for _ in range(megabytes):
            stream.write(blanks)
        stream.write(b"<sheetData/></worksheet>")

    return with_sheet(path, write)


def many_rows(path: Path, rows: int) -> Path:
    """A sheet of ``rows`` rows, a code in each."""

    def write(stream: IO[bytes]) -> None:
        stream.write(OPEN + b"<sheetData>")
        row = '<row r="{0}"><c r="A{0}" t="inlineStr"><is><t>CB{0}</t></is></c></row>'
        for start in range(1, rows + 1, 10_000):
            end = min(rows, start + 9_999)
            stream.write("".join(row.format(n) for n in range(start, end + 1)).encode())
        stream.write(b"</sheetData></worksheet>")

    return with_sheet(path, write)


def many_csv_rows(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Mã cán bộ,Họ và tên,Ngày sinh,Giới tính,Mã đơn vị,Chức vụ\n")
        handle.writelines(f"CB{n},Tên {n},01/01/1980,Nam,70,CT UBND\n" for n in range(rows))
    return path
