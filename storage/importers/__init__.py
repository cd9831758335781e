"""Roster imports (IMPORT_FORMAT.md): officials, courses, enrollments and bonds from XLSX or CSV.

``import_file`` is the one entry point: it reads, checks and upserts a whole file in one
transaction, commits it only when every row is good and this is not a dry run, and returns the
report either way. Every import is on the audit log, whatever its outcome (importers/audit.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from locales import N_
from storage.access import Scope
from storage.importers import audit
from storage.importers.bonds import BondsImporter
from storage.importers.courses import CoursesImporter
from storage.importers.enrollments import EnrollmentsImporter
from storage.importers.importer import Importer
from storage.importers.officials import OfficialsImporter
from storage.importers.report import ImportReport, Message
from storage.importers.tabular import FileRejected, Sheet, open_sheet

IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (OfficialsImporter, CoursesImporter, EnrollmentsImporter, BondsImporter)
}
KINDS = tuple(IMPORTERS)
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # whose "today" the plausibility checks use by default

__all__ = ["KINDS", "ImportReport", "Job", "import_file", "import_within"]


async def import_file(
    sessions: AsyncSession | async_sessionmaker[AsyncSession],
    kind: str,
    path: Path,
    *,
    dry_run: bool,
    actor: str,
    lang: str = "vi",
    today: date | None = None,
) -> ImportReport:
    """Import ``path`` as a roster of ``kind``. Given a session, its transaction is committed
    on success and rolled back otherwise, so commit anything of your own first. ``today`` is
    the import date for plausibility checks (default: today in Vietnam)."""
    job = Job(kind, path, path.name, dry_run, actor, lang, today or datetime.now(ZONE).date())
    if isinstance(sessions, AsyncSession):
        return await _import(sessions, job)
    async with sessions() as session:
        return await _import(session, job)


@dataclass(frozen=True)
class Job:
    """One import: the file (``name`` as its sender knows it: an upload is read from a
    temporary file), who asks, and the units they may change (``scope``; None for all)."""

    kind: str
    path: Path
    name: str
    dry_run: bool
    actor: str
    lang: str
    today: date
    scope: Scope | None = None


async def import_within(session: AsyncSession, job: Job) -> ImportReport:
    """Import as ``import_file`` does, inside the caller's transaction: a savepoint keeps the
    import when the file is good and this is not a dry run, and undoes it otherwise; the audit
    entry is written around it, in the caller's transaction. The caller commits (the chat
    commits it with the message that asked for it)."""
    report = ImportReport(job.kind, job.name, job.dry_run, job.lang)
    entry = await audit.begin(session, job.actor, job.path, report)
    savepoint = await session.begin_nested()
    try:
        await _read(session, job, report)
    except BaseException:
        await savepoint.rollback()
        await audit.finish(session, entry, report, audit.INTERRUPTED)
        raise
    if report.rejected or job.dry_run:
        await savepoint.rollback()
    else:
        await savepoint.commit()
    await audit.finish(session, entry, report)
    return report


async def _import(session: AsyncSession, job: Job) -> ImportReport:
    """An import in a transaction of its own, committed only when good and real."""
    report = ImportReport(job.kind, job.name, job.dry_run, job.lang)
    return await audit.audited_import(
        session, job.actor, job.path, report, lambda: _read(session, job, report)
    )


async def _read(session: AsyncSession, job: Job, report: ImportReport) -> None:
    """Read, check and write ``job`` in ``session``, filling ``report``; the caller keeps or
    undoes the writes by it."""
    importer = IMPORTERS[job.kind]
    try:
        with open_sheet(job.path, importer.columns, importer.synonyms) as sheet:
            report.ignored_columns = sheet.ignored
            report.header_rows = sheet.header_rows
            await importer(session, sheet, report, job).run()
            _foot(sheet, report)
    except FileRejected as error:
        report.file_errors += error.messages


def _foot(sheet: Sheet, report: ImportReport) -> None:
    """Say where the table ended, and refuse officials left below its foot."""
    report.foot = sheet.foot
    if sheet.foot is not None and sheet.stray:
        report.file_errors.append(
            Message(
                N_(
                    "Rows {rows} hold officials but lie below the foot of the table (row {foot}); "
                    "move them above it."
                ),
                {"rows": ", ".join(map(str, sheet.stray[:20])), "foot": sheet.foot[0]},
            )
        )
