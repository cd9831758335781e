"""Reading a roster as a stream of rows keyed by our column names, whatever file it came in.

Formats: .xlsx/.xlsm, .xls, .ods (workbooks.py); .csv, .tsv and Excel's "Unicode text" .txt
(text_files.py). The table is found as layout.py describes (a title block above it, a header
of one or two rows, a foot below it); headers are matched as headers.py describes, and unknown
columns are ignored and reported. Rows stream from the file, so a national roster of 100,000
rows never sits in memory at once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from locales import N_
from storage.importers.headers import Column, Synonyms
from storage.importers.layout import (
    HEADER_SEARCH,
    Header,
    Vocabulary,
    find_header,
    foot_text,
    is_numbering,
)
from storage.importers.limits import check_file_size
from storage.importers.report import FileRejected, Message
from storage.importers.text_files import text_rows
from storage.importers.vocabulary import Cell
from storage.importers.workbooks import CALAMINE, XLSX, calamine_rows, xlsx_rows

TEXT = (".csv", ".tsv", ".txt")
SUFFIXES = (*XLSX, *CALAMINE, *TEXT)

__all__ = ["Column", "FileRejected", "Sheet", "open_sheet"]

Rows = Iterator[Sequence[Cell]]


@dataclass
class Sheet:
    """The header mapped onto our columns, and the data rows under it (up to the foot)."""

    found: Header
    columns: Sequence[Column]
    rows: Iterator[tuple[int, dict[str, Cell]]] = field(default_factory=lambda: iter(()))
    foot: tuple[int, str] | None = None  # the row the foot begins on, and its first text
    stray: list[int] = field(default_factory=list)  # rows below the foot that hold an official

    @property
    def headers(self) -> dict[str, str]:
        """Column key → the header as written in the file."""
        return self.found.written

    @property
    def ignored(self) -> list[str]:
        return self.found.ignored

    @property
    def header_rows(self) -> tuple[int, ...]:
        return self.found.rows

    def has(self, column: Column) -> bool:
        return column.key in self.found.written

    def header(self, column: Column) -> str:
        return self.found.written.get(column.key, column.header)


@contextmanager
def open_sheet(
    path: Path, columns: Sequence[Column], synonyms: Synonyms | None = None
) -> Iterator[Sheet]:
    """The first sheet of a workbook, or a text file, read against ``columns``."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise FileRejected(
            Message(
                N_(
                    "Only Excel (.xlsx, .xls), LibreOffice (.ods), CSV and Excel's “Unicode "
                    "text” (.txt) files can be imported; save the file as an Excel Workbook "
                    "(.xlsx)."
                )
            )
        )
    if not path.is_file():
        raise FileRejected(Message(N_("The file does not exist.")))
    check_file_size(path)
    vocabulary = Vocabulary(columns, synonyms or {})
    with _raw(path, suffix, vocabulary) as raw:
        yield _map(raw, vocabulary)


def _raw(path: Path, suffix: str, vocabulary: Vocabulary) -> AbstractContextManager[Rows]:
    if suffix in TEXT:

        def score(rows: Sequence[Sequence[str]]) -> int:
            header = find_header(rows, vocabulary)
            return 0 if header is None else len(header.written)

        return text_rows(path, score)
    return xlsx_rows(path) if suffix in XLSX else calamine_rows(path)


def _map(raw: Rows, vocabulary: Vocabulary) -> Sheet:
    head = [list(map(_clean, row)) for row in islice(raw, HEADER_SEARCH)]
    if all(cell is None for row in head for cell in row):
        raise FileRejected(Message(N_("The file is empty.")))
    found = find_header(head, vocabulary)
    required = [column for column in vocabulary.columns if column.required]
    if found is None:
        raise FileRejected(
            Message(
                N_(
                    "No row in the first {rows} names the columns; the table needs a header "
                    "row such as: {names}."
                ),
                {"rows": HEADER_SEARCH, "names": ", ".join(c.header for c in required)},
            )
        )
    problems = found.conflicts + [
        Message(
            N_("The header (row {row}) has no column “{header}” ({english}), which is required."),
            {"header": column.header, "english": column.key, "row": found.rows[0]},
        )
        for column in required
        if column.key not in found.written
    ]
    if problems:
        raise FileRejected(*problems)
    sheet = Sheet(found, vocabulary.columns)
    after = found.rows[-1]
    sheet.rows = _rows(sheet, chain(head[after:], raw), after + 1)
    return sheet


def _rows(sheet: Sheet, raw: Rows, first: int) -> Iterator[tuple[int, dict[str, Cell]]]:
    index = sheet.found.index
    required = [column.key for column in sheet.columns if column.required]
    for number, values in enumerate(raw, start=first):
        if number == first and is_numbering(values):
            continue
        cells: dict[str, Cell] = {
            key: value
            for position, key in index.items()
            if position < len(values) and (value := _clean(values[position])) is not None
        }
        complete = all(key in cells for key in required)
        if sheet.foot is not None:
            if complete:
                sheet.stray.append(number)
            continue
        text = None if complete else foot_text(values)
        if text is not None:
            sheet.foot = (number, text)
        elif cells:
            yield number, cells


def _clean(cell: Any) -> Cell:
    """Text in one Unicode form with outer spaces removed; an empty cell is None."""
    if isinstance(cell, str):
        cell = unicodedata.normalize("NFC", cell).strip()
        return cell or None
    return cell  # type: ignore[no-any-return]
