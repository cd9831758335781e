"""Historic and internal units from a CSV or XLSX file: districts before 2025, an organisation
board's own departments (DOMAIN.md: records before 2025 still name districts).

The file is imported whole or not at all; every bad row is named with its column and why.
A parent may come later in the file than its children, or already be stored (a catalogue
province, say); a file that would put a unit under itself is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from locales import N_
from storage.catalogue.codes import code_forms
from storage.catalogue.tree import UnitRecord, find_cycle, upsert_units
from storage.importers import headers
from storage.importers.importer import RowReader
from storage.importers.report import ImportReport, Message, RowError
from storage.importers.tabular import Column, FileRejected, Sheet, open_sheet
from storage.importers.vocabulary import choice, text
from storage.importers.vocabulary import party_member as yes_no
from storage.models import Unit, UnitKind

CODE = Column("code", "Mã đơn vị", required=True)
NAME = Column("name", "Tên đơn vị", required=True)
KIND = Column("kind", "Loại", required=True)
PARENT = Column("parent_code", "Mã đơn vị cấp trên")
DIFFICULT = Column("difficult_area", "Vùng khó khăn")
COLUMNS = (CODE, NAME, KIND, PARENT, DIFFICULT)

parse_code = text(32)
parse_name = text(200)
# "Loại" as boards write it; a thành phố under a province is a provincial city, district level.
parse_kind = choice(
    {
        UnitKind.PROVINCE: ("tỉnh", "province"),
        UnitKind.CITY: ("thành phố", "city"),
        UnitKind.DISTRICT: ("huyện", "quận", "thị xã", "district"),
        UnitKind.COMMUNE: ("xã", "commune"),
        UnitKind.WARD: ("phường", "ward"),
        UnitKind.TOWNSHIP: ("thị trấn", "township"),
        UnitKind.SPECIAL_ZONE: ("đặc khu", "special zone"),
        UnitKind.OTHER: ("khác", "other"),
    },
    N_(
        "“{value}” is not a kind of unit; write tỉnh, thành phố, huyện, quận, thị xã, xã, "
        "phường, thị trấn, đặc khu or khác."
    ),
)


@dataclass(frozen=True)
class _Row:
    number: int
    code: str
    name: str
    kind: UnitKind
    parent: str | None
    difficult_area: bool | None


async def import_unit_file(session: AsyncSession, path: Path, report: ImportReport) -> None:
    """Check ``path`` against the stored units and, when every row is good, upsert them.

    Fills ``report`` (counts, ignored columns, every problem). The caller commits, or rolls
    back when the report says rejected or for a dry run.
    """
    try:
        with open_sheet(path, COLUMNS, headers.UNITS) as sheet:
            report.ignored_columns = sheet.ignored
            rows, codes = _parse(sheet, report)
    except FileRejected as error:
        report.file_errors += error.messages
        return
    records = _link(sheet, rows, codes, await _stored_parents(session), report)
    report.row_errors.sort(key=lambda error: error.row)
    if report.rejected:
        return
    changes = await upsert_units(session, records)
    report.created, report.updated, report.unchanged = (
        changes.added,
        changes.updated,
        changes.unchanged,
    )


def _parse(sheet: Sheet, report: ImportReport) -> tuple[list[_Row], set[str]]:
    """The good rows, and every code in the file (a bad row still names a unit)."""
    rows: list[_Row] = []
    first_row: dict[str, int] = {}
    for number, cells in sheet.rows:
        row = RowReader(number, cells, sheet, report)
        code, name = row.value(CODE, parse_code), row.value(NAME, parse_name)
        kind, parent = row.value(KIND, parse_kind), row.value(PARENT, parse_code)
        difficult = row.value(DIFFICULT, yes_no) if sheet.has(DIFFICULT) else None
        if code in first_row:
            duplicate = N_("The code {code} is already on row {row}.")
            row.fail(CODE, Message(duplicate, {"code": code, "row": first_row[code]}))
        elif code:
            first_row[code] = number
        if row.ok:
            rows.append(_Row(number, code, name, kind, parent, difficult))
    return rows, set(first_row)


async def _stored_parents(session: AsyncSession) -> dict[str, str | None]:
    """Every stored unit's code and its parent's code."""
    links = (await session.execute(select(Unit.id, Unit.code, Unit.parent_id))).all()
    codes = {row.id: row.code for row in links}
    return {row.code: codes[row.parent_id] if row.parent_id else None for row in links}


def _link(
    sheet: Sheet,
    rows: list[_Row],
    codes: set[str],
    stored: dict[str, str | None],
    report: ImportReport,
) -> list[UnitRecord]:
    """Resolve each parent code in the file or the store, and refuse loops."""
    known = set(stored) | codes
    parents = dict(stored)
    resolved: list[_Row] = []
    for row in rows:
        if row.parent is None:
            parents[row.code] = None
            resolved.append(row)
            continue
        matches = _candidates(row.parent, known)
        if len(matches) == 1:
            parents[row.code] = matches[0]
            resolved.append(row)
            continue
        reason = (
            N_("No unit has the code {code}, in this file or already stored.")
            if not matches
            else N_("The code {code} could mean {codes}; write the code in full.")
        )
        params = {"code": row.parent, "codes": ", ".join(matches)}
        report.row_errors.append(
            RowError(row.number, sheet.header(PARENT), Message(reason, params))
        )
    records = []
    for row in resolved:
        loop = find_cycle(parents, row.code)
        if loop is not None and row.code in loop:
            chain = " → ".join([*loop, loop[0]])
            report.row_errors.append(
                RowError(
                    row.number,
                    sheet.header(PARENT),
                    Message(N_("This unit would end up under itself: {chain}."), {"chain": chain}),
                )
            )
            continue
        parent = parents[row.code]
        kind = UnitKind.DISTRICT if row.kind is UnitKind.CITY and parent else row.kind
        records.append(UnitRecord(row.code, row.name, kind, parent, row.difficult_area))
    return records


def _candidates(code: str, known: set[str]) -> list[str]:
    """The stored or imported codes ``code`` may mean: leading zeros are optional, as in the
    catalogue's province "01" and ward "00070"."""
    return [form for form in code_forms(code) if form in known]
