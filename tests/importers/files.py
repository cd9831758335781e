"""Roster files built in the test, as coordinators' spreadsheets would hold them."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.importers import ImportReport, import_file
from storage.models import Base

OFFICIALS_HEADER = [
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Mã đơn vị",
    "Chức vụ",
    "Điện thoại",
]


def official_row(code: str | int = "CB001", **overrides: Any) -> list[Any]:
    row: dict[str, Any] = {
        "Mã cán bộ": code,
        "Họ và tên": "Nguyễn Văn An",
        "Ngày sinh": "17/05/1980",
        "Giới tính": "Nam",
        "Mã đơn vị": "70",
        "Chức vụ": "Chủ tịch UBND",
        "Điện thoại": "0912 345 678",
    }
    row.update(overrides)
    return list(row.values())


def write_csv(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


async def snapshot(session: AsyncSession) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the audit log, to show an import changed nothing else
    (every import is audited, rejected and dry-run ones too: test_audit.py)."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "audit_log":
            continue
        rows = await session.execute(select(table))
        tables[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return tables


async def run_import(
    sessions: async_sessionmaker[AsyncSession],
    kind: str,
    path: Path,
    *,
    dry_run: bool = False,
    today: date | None = None,
) -> ImportReport:
    """Import as a coordinator would, with the report in English for readable assertions."""
    return await import_file(
        sessions, kind, path, dry_run=dry_run, actor="cli:test", lang="en", today=today
    )


def row_errors(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.reason.text) for error in report.row_errors]
