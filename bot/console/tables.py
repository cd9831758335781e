"""Tables: what a page shows and what it exports are one ``Table``. A page builds its tables,
renders them with the ``table`` macro (templates/table.html), and answers ``?export=KEY`` with
the same table as an XLSX file (``export``), so every table exports and the file holds exactly
what the screen shows. Every cell is written through storage/exports.py: text from a roster
never becomes a formula. Each export is on the audit log.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiohttp import web

from bot.console.visit import Visit
from storage.audit import record
from storage.exports import append_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Link:
    """A cell that opens another page; exported as its text."""

    text: str
    href: str


Cell = str | int | float | Link | None


@dataclass(frozen=True)
class Table:
    key: str  # the id of the table on its page, and the name of its export
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    numeric: frozenset[int] = field(default_factory=frozenset)  # right-aligned columns
    empty: str = ""  # what to say when there is no row


def export_url(visit: Visit, table: Table) -> str:
    """This page's URL with ``export=KEY``: the same query, so the same rows."""
    query = {k: v for k, v in visit.request.query.items() if k != "export"}
    query["export"] = table.key
    return str(visit.request.rel_url.with_query(query))


def requested(visit: Visit, tables: Sequence[Table]) -> web.Response | None:
    """The XLSX file of the table ``?export=`` names, if it names one of ``tables``."""
    key = visit.request.query.get("export")
    if key is None:
        return None
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise web.HTTPNotFound(text="no such table")
    return export(visit, table)


def export(visit: Visit, table: Table) -> web.Response:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.key[:31]
    append_row(sheet, [table.title])
    append_row(sheet, list(table.columns))
    for row in table.rows:
        append_row(sheet, [cell.text if isinstance(cell, Link) else cell for cell in row])
    for column in range(1, len(table.columns) + 1):
        sheet.column_dimensions[sheet.cell(2, column).column_letter].width = 24
    out = io.BytesIO()
    book.save(out)
    record(
        visit.db,
        visit.actor,
        "console.export",
        visit.request.path,
        table=table.key,
        rows=len(table.rows),
        query={k: v for k, v in visit.request.query.items() if k != "export"},
    )
    name = f"{table.key}-{visit.today:%Y%m%d}.xlsx"
    return web.Response(
        body=out.getvalue(),
        content_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
