"""Roster imports (IMPORT_FORMAT.md): officials, courses, enrollments and bonds from XLSX or CSV.

``import_file`` is the one entry point: it reads, checks and upserts a whole file in one
transaction, commits it only when every row is good and this is not a dry run, and returns the
report either way. Every import is on the audit log, whatever its outcome (importers/audit.py).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.importers.audit import audited_import
from storage.importers.bonds import BondsImporter
from storage.importers.courses import CoursesImporter
from storage.importers.enrollments import EnrollmentsImporter
from storage.importers.importer import Importer
from storage.importers.officials import OfficialsImporter
from storage.importers.report import ImportReport
from storage.importers.tabular import FileRejected, open_sheet

IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (OfficialsImporter, CoursesImporter, EnrollmentsImporter, BondsImporter)
}
KINDS = tuple(IMPORTERS)

__all__ = ["KINDS", "ImportReport", "import_file"]


async def import_file(
    sessions: AsyncSession | async_sessionmaker[AsyncSession],
    kind: str,
    path: Path,
    *,
    dry_run: bool,
    actor: str,
    lang: str = "vi",
) -> ImportReport:
    """Import ``path`` as a roster of ``kind``. Given a session, its transaction is committed
    on success and rolled back otherwise, so commit anything of your own first."""
    if isinstance(sessions, AsyncSession):
        return await _import(sessions, kind, path, dry_run=dry_run, actor=actor, lang=lang)
    async with sessions() as session:
        return await _import(session, kind, path, dry_run=dry_run, actor=actor, lang=lang)


async def _import(
    session: AsyncSession, kind: str, path: Path, *, dry_run: bool, actor: str, lang: str
) -> ImportReport:
    importer = IMPORTERS[kind]
    report = ImportReport(kind, path.name, dry_run, lang)

    async def work() -> None:
        try:
            with open_sheet(path, importer.columns) as sheet:
                report.ignored_columns = sheet.ignored
                await importer(session, sheet, report, dry_run).run()
        except FileRejected as error:
            report.file_errors += error.messages

    return await audited_import(session, actor, path, report, work)
