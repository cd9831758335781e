"""Reading a roster (XLSX or CSV) as a stream of rows keyed by our column names.

Headers are matched case-, space- and diacritics-insensitively, in Vietnamese or English; unknown
columns are ignored and reported. Rows stream from the file, so a national roster of 100,000 rows
never sits in memory at once.
"""

from __future__ import annotations

import codecs
import csv
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from locales import N_
from rules.text import fold
from storage.importers.report import Message
from storage.importers.vocabulary import Cell

DELIMITERS = (",", ";", "\t")  # a tie goes to the first: a comma


@dataclass(frozen=True)
class Column:
    """A column we read: its English key and the Vietnamese header the format names."""

    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.key, self.header, *self.aliases)


class FileRejected(Exception):
    """The file as a whole cannot be imported (unreadable, wrong format, missing columns)."""

    def __init__(self, *messages: Message) -> None:
        super().__init__(*(message.text for message in messages))
        self.messages = list(messages)


@dataclass
class Sheet:
    """The header row mapped onto our columns, and the data rows that follow it."""

    headers: dict[str, str]  # column key → the header as written in the file
    ignored: list[str]
    rows: Iterator[tuple[int, dict[str, Cell]]]  # (row number as the user sees it, cells by key)

    def has(self, column: Column) -> bool:
        return column.key in self.headers

    def header(self, column: Column) -> str:
        return self.headers.get(column.key, column.header)


def header_key(text: str) -> str:
    return fold(text).replace(" ", "").replace("/", "")


@contextmanager
def open_sheet(path: Path, columns: Sequence[Column]) -> Iterator[Sheet]:
    """The first sheet of an .xlsx workbook, or a .csv file, read against ``columns``."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise FileRejected(
            Message(
                N_(
                    "Only .xlsx and .csv files can be imported; save the file as an Excel Workbook "
                    "(.xlsx) or as CSV UTF-8."
                )
            )
        )
    if not path.is_file():
        raise FileRejected(Message(N_("The file does not exist.")))
    with _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path) as raw:
        yield _map(raw, columns)


def _map(raw: Iterator[Sequence[Cell]], columns: Sequence[Column]) -> Sheet:
    first = next(raw, None)
    if first is None or all(_clean(cell) is None for cell in first):
        raise FileRejected(
            Message(N_("The file is empty: the first row must hold the column headers."))
        )
    by_name = {header_key(name): column for column in columns for name in column.names}
    index: dict[int, str] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[Message] = []
    for position, cell in enumerate(first):
        written = _clean(cell)
        if written is None:
            continue
        written = str(written)
        column = by_name.get(header_key(written))
        if column is None:
            ignored.append(written)
        elif column.key in headers:
            problems.append(
                Message(
                    N_("The columns “{first}” and “{second}” both mean “{header}”; keep one."),
                    {"first": headers[column.key], "second": written, "header": column.header},
                )
            )
        else:
            headers[column.key] = written
            index[position] = column.key
    problems += [
        Message(
            N_("The required column “{header}” ({english}) is missing."),
            {"header": column.header, "english": column.key},
        )
        for column in columns
        if column.required and column.key not in headers
    ]
    if problems:
        raise FileRejected(*problems)
    return Sheet(headers, ignored, _rows(raw, index))


def _rows(
    raw: Iterator[Sequence[Cell]], index: dict[int, str]
) -> Iterator[tuple[int, dict[str, Cell]]]:
    for number, values in enumerate(raw, start=2):
        cells: dict[str, Cell] = {
            key: value
            for position, key in index.items()
            if position < len(values) and (value := _clean(values[position])) is not None
        }
        if cells:
            yield number, cells


def _clean(cell: Any) -> Cell:
    """Text in one Unicode form with outer spaces removed; an empty cell is None."""
    if isinstance(cell, str):
        cell = unicodedata.normalize("NFC", cell).strip()
        return cell or None
    return cell  # type: ignore[no-any-return]


@contextmanager
def _xlsx_rows(path: Path) -> Iterator[Iterator[Sequence[Cell]]]:
    # Imported here: openpyxl pulls in numpy (about a second), which every other `canbo`
    # command would otherwise pay for at start-up.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise FileRejected(
            Message(N_("The file is not a readable Excel workbook (.xlsx)."))
        ) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # files written by other programs often misstate their size
        yield sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


@contextmanager
def _csv_rows(path: Path) -> Iterator[Iterator[Sequence[Cell]]]:
    _require_utf8(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = handle.readline()
        handle.seek(0)
        delimiter = max(DELIMITERS, key=header.count)
        yield _csv_records(csv.reader(handle, delimiter=delimiter))


def _csv_records(reader: Iterator[list[str]]) -> Iterator[Sequence[Cell]]:
    try:
        yield from reader
    except csv.Error as error:
        raise FileRejected(Message(N_("The file is not a readable CSV file."))) from error


def _require_utf8(path: Path) -> None:
    """Refuse a CSV saved in a legacy code page (Excel's "CSV (Comma delimited)" writes
    Windows-1258 or -1252 here): guessing would garble Vietnamese names."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise FileRejected(
            Message(
                N_(
                    "The file is not UTF-8 text; in Excel, save it as "
                    "“CSV UTF-8 (Comma delimited)”, or import the .xlsx file."
                )
            )
        ) from error
