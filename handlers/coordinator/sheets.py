"""Excel files for coordinators: the qualification report (a sheet per scale, then one per
commune listing its officials) and a broadcast's delivery report (one row per recipient).

Counts are numbers and shares are fractions formatted as percentages, so boards can sum and
chart them further; a title row names the unit and the date above each table. Every row goes
through storage.exports, so a name from a roster is text, never a formula. openpyxl is
imported when a file is made, so the bot starts without paying for it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers.coordinator.figures import level_label, local_time, scale_name
from handlers.coordinator.outcomes import outcome_name
from handlers.labels import title_name, titles_name
from locales import Translator
from rules.titles import Post
from storage.exports import append_row
from storage.reports.delivery import DeliveryReport
from storage.reports.qualifications import (
    SCALES,
    Counted,
    Figures,
    QualificationReport,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SHEET_NAME = 31  # Excel's limit on a sheet name
_NOT_IN_NAME = re.compile(r"[\[\]:*?/\\]")
PERCENT = "0.0%"


def qualification_workbook(_: Translator, report: QualificationReport) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    names = _SheetNames()
    for key in SCALES:
        sheet = book.create_sheet(names.take(scale_name(_, key)))
        _scale_sheet(_, sheet, report, key)
    for roster in report.rosters:
        sheet = book.create_sheet(names.take(roster.name, roster.code))
        _roster_sheet(_, sheet, report, roster.name, roster.people)
    return _saved(book)


def _scale_sheet(_: Translator, sheet: Worksheet, report: QualificationReport, key: str) -> None:
    levels = [level for level, _count in report.whole.scale(key).levels]
    append_row(sheet, [f"{scale_name(_, key)}: {report.name}, {_.date(report.on)}"])
    _bold(sheet, 1)
    header: list[str] = [_("Unit"), _("Total")]
    for level in levels:
        header += [level_label(_, level), "%"]
    header += [_("Meeting the standard"), _("Standard applies"), "%"]
    append_row(sheet, header)
    for roster in report.rosters:
        _scale_row(sheet, roster.name, roster.figures, key)
    _scale_row(sheet, _("All"), report.whole, key, bold=True)
    if report.earlier is not None:
        label = _("All, on {date}", date=_.date(report.earlier.on))
        _scale_row(sheet, label, report.earlier.whole, key, bold=True)
    _widths(sheet, [28, 10] + [12] * (len(header) - 2))


def _scale_row(sheet: Worksheet, name: str, figures: Figures, key: str, bold: bool = False) -> None:
    scale = figures.scale(key)
    row: list[object] = [name, scale.total]
    for _level, count in scale.levels:
        row += [count, _fraction(count, scale.total)]
    row += [scale.meeting, scale.required, _fraction(scale.meeting, scale.required)]
    append_row(sheet, row)
    levels_end = 2 + 2 * len(scale.levels)
    for cell in sheet[sheet.max_row]:
        column = int(cell.column)
        if (2 < column <= levels_end and column % 2 == 0) or column == len(row):
            cell.number_format = PERCENT
    if bold:
        _bold(sheet, sheet.max_row)


def _roster_sheet(
    _: Translator,
    sheet: Worksheet,
    report: QualificationReport,
    unit: str,
    people: Sequence[Counted],
) -> None:
    append_row(sheet, [f"{unit}, {_.date(report.on)}"])
    _bold(sheet, 1)
    append_row(
        sheet,
        [
            _("Code"),
            _("Full name"),
            _("Title"),
            *(scale_name(_, key) for key in SCALES),
            _("Meets every qualification standard"),
        ],
    )
    for person in people:
        append_row(
            sheet,
            [
                person.code,
                person.name,
                titles_name(_, person.posts),
                *(level_label(_, person.levels[key]) for key in SCALES),
                _("Yes") if person.meets_all else _("No"),
            ],
        )
    _widths(sheet, [12, 28, 32, 16, 18, 18, 18, 16])


def delivery_workbook(_: Translator, report: DeliveryReport, zone: ZoneInfo) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _SheetNames().take(_("Recipients"))
    append_row(sheet, [_("Announcement #{id}", id=report.broadcast.id)])
    _bold(sheet, 1)
    append_row(
        sheet,
        [
            _("Code"),
            _("Full name"),
            _("Unit"),
            _("Title"),
            _("Outcome"),
            _("Sent at"),
            _("Received at"),
        ],
    )
    for person in report.recipients:
        append_row(
            sheet,
            [
                person.code,
                person.name,
                person.unit,
                title_name(_, Post(person.title, person.title_field)),
                outcome_name(_, person.outcome),
                _when(_, person.sent_at, zone),
                _when(_, person.acknowledged_at, zone),
            ],
        )
    _widths(sheet, [12, 28, 24, 32, 18, 18, 18])
    return _saved(book)


def _when(_: Translator, moment: datetime | None, zone: ZoneInfo) -> str | None:
    return local_time(_, moment, zone) if moment is not None else None  # None: a blank cell


def _fraction(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _bold(sheet: Worksheet, row: int) -> None:
    from openpyxl.styles import Font

    for cell in sheet[row]:
        cell.font = Font(bold=True)


def _widths(sheet: Worksheet, widths: Iterable[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _SheetNames:
    """Sheet names Excel accepts: no []:*?/\\, at most 31 characters, each used once (a
    commune name that repeats elsewhere in the province gets its code)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, name: str, code: str = "") -> str:
        clean = _NOT_IN_NAME.sub(" ", name).strip()[:SHEET_NAME] or code or "-"
        if clean.lower() in self._taken:
            suffix = f" ({code})" if code else f" ({len(self._taken) + 1})"
            clean = clean[: SHEET_NAME - len(suffix)] + suffix
        self._taken.add(clean.lower())
        return clean
