"""Rosters saved by a spreadsheet program: Excel's .xlsx (.xlsm), the legacy Excel 97–2003 .xls,
and LibreOffice's .ods. Only the first sheet is read.

.xlsx streams row by row through openpyxl's read-only mode, so a large roster never sits in
memory whole; before that the package's declared sizes and the first sheet's rows are counted
(limits.py). .xls and .ods are read by python-calamine (Rust's calamine), which loads the sheet
at once: an .xls holds at most 65,536 rows, and an .ods is checked as a package first.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

from locales import N_
from storage.importers.limits import check_package, check_rows
from storage.importers.report import FileRejected, Message
from storage.importers.vocabulary import Cell

XLSX = (".xlsx", ".xlsm")
CALAMINE = (".xls", ".ods")
NOT_A_WORKBOOK = N_("The file is not a readable spreadsheet (.xlsx, .xls or .ods).")
_ROW_END = b"</row>"


@contextmanager
def xlsx_rows(path: Path) -> Iterator[Iterator[Sequence[Cell]]]:
    # Imported here: openpyxl pulls in numpy (about a second), which every other `canbo`
    # command would otherwise pay for at start-up.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    with _package(path) as archive:
        check_rows(_count_rows(archive))
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise FileRejected(Message(NOT_A_WORKBOOK)) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # files written by other programs often misstate their size
        yield sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


@contextmanager
def calamine_rows(path: Path) -> Iterator[Iterator[Sequence[Cell]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    if path.suffix.lower() == ".ods":
        with _package(path):
            pass
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        check_rows(sheet.total_height)
        rows = sheet.to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as error:
        raise FileRejected(Message(NOT_A_WORKBOOK)) from error
    try:
        yield iter(rows)  # type: ignore[arg-type]  # calamine's cells are among ours
    finally:
        workbook.close()


@contextmanager
def _package(path: Path) -> Iterator[zipfile.ZipFile]:
    """The file as a zip package whose declared sizes are within the limits."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise FileRejected(Message(NOT_A_WORKBOOK)) from error
    with archive:
        check_package(archive)
        yield archive


def _count_rows(archive: zipfile.ZipFile) -> int:
    """The rows with cells in the first sheet, counted in the packed XML without parsing it."""
    part = _first_sheet(archive)
    names = [part] if part is not None else _sheets(archive)
    most = 0
    for name in names:
        rows, tail = 0, b""
        try:
            with archive.open(name) as stream:
                while chunk := stream.read(1 << 20):
                    rows += (tail + chunk).count(_ROW_END)
                    tail = chunk[-(len(_ROW_END) - 1) :]
        except (KeyError, zipfile.BadZipFile, OSError) as error:
            raise FileRejected(Message(NOT_A_WORKBOOK)) from error
        most = max(most, rows)
    return most


def _sheets(archive: zipfile.ZipFile) -> list[str]:
    return [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The part of the workbook's first sheet, from xl/workbook.xml and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile):
        return None
    first = next((e for e in book.iter() if e.tag.rpartition("}")[2] == "sheet"), None)
    if first is None:
        return None
    rid = next((v for k, v in first.attrib.items() if k.rpartition("}")[2] == "id"), None)
    for link in links:
        if link.get("Id") == rid:
            target = link.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return None
