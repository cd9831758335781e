"""Every spreadsheet and CSV file canbo writes goes through here, so nothing from a roster or a
chat can become a live formula in a coordinator's Excel (OWASP "CSV injection").

A cell that starts with = + - @, a tab or a carriage return is a formula to Excel, LibreOffice
and Google Sheets. In an XLSX file (``append_row``) every text value is written as a text cell,
never a formula, and keeps its characters exactly; a risky one also gets Excel's quote prefix,
so it stays text even when someone edits the cell and presses Enter. A CSV file has no cell
types, so there (``write_csv``) a risky value gets a leading apostrophe: the
convention OWASP recommends, and visible, so a reader sees the value was neutralised. (A leading
tab, the other convention, is invisible and is trimmed by some importers, which brings the
formula back.) Numbers canbo works out itself (counts, shares) stay numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters an XLSX file cannot hold (openpyxl refuses them): dropped, not fatal.
_NOT_IN_XLSX = re.compile(r"[\000-\010\013\014\016-\037]")

Value = str | int | float | None


def is_risky(text: str) -> bool:
    """Would a spreadsheet read ``text`` as a formula?"""
    return text.startswith(RISKY_STARTS)


def append_row(sheet: Worksheet, values: Sequence[object]) -> None:
    """Append ``values`` to ``sheet`` as one row: text as text cells (never a formula or an
    error value), numbers as numbers, None as a blank cell."""
    row = [_NOT_IN_XLSX.sub("", value) if isinstance(value, str) else value for value in values]
    sheet.append(row)
    for column, value in enumerate(row, start=1):
        if isinstance(value, str):
            cell = sheet.cell(sheet.max_row, column)
            cell.data_type = "s"  # openpyxl made "=…" a formula and "#N/A" an error
            if is_risky(value):
                cell.quotePrefix = True


def csv_cell(value: Value) -> str:
    """One CSV field: a risky text gets a leading apostrophe; numbers and None as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if is_risky(value) else value
    return str(value)


def write_csv(stream: IO[str], rows: Iterable[Iterable[Value]]) -> int:
    """Write ``rows`` (a header first, if wanted) to ``stream``; how many rows. Open the file
    with ``encoding="utf-8-sig"`` and ``newline=""`` so Excel reads Vietnamese correctly."""
    writer = csv.writer(stream)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        count += 1
    return count
