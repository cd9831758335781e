"""Roster imports (IMPORT_FORMAT.md): officials, courses, enrollments and bonds from XLSX or CSV.

``import_file`` is the one entry point: it reads, checks and upserts a whole file in one
transaction, commits it (with an audit entry) only when every row is good and this is not a dry
run, and returns the report either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, AsyncSessionTransaction, async_sessionmaker

from locales import N_
from storage.access import Scope
from storage.audit import record
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
        return await _import(sessions, job, sessions)
    async with sessions() as session:
        return await _import(session, job, session)


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
    import when the file is good and this is not a dry run, and undoes it otherwise. The
    caller commits (the chat commits it with the message that asked for it)."""
    return await _import(session, job, await session.begin_nested())


async def _import(
    session: AsyncSession, job: Job, transaction: AsyncSession | AsyncSessionTransaction
) -> ImportReport:
    """Run ``job`` and keep its writes (commit ``transaction``) only when good and real."""
    try:
        report = await _run(session, job)
    except BaseException:
        await transaction.rollback()
        raise
    if report.rejected or job.dry_run:
        await transaction.rollback()
    else:
        await transaction.commit()
    return report


async def _run(session: AsyncSession, job: Job) -> ImportReport:
    """Read, check and write ``job`` in ``session``, audited when it is good and real; the
    caller keeps or undoes the writes by the report."""
    importer = IMPORTERS[job.kind]
    report = ImportReport(job.kind, job.name, job.dry_run, job.lang)
    try:
        with open_sheet(job.path, importer.columns, importer.synonyms) as sheet:
            report.ignored_columns = sheet.ignored
            report.header_rows = sheet.header_rows
            await importer(session, sheet, report, job).run()
            _foot(sheet, report)
    except FileRejected as error:
        report.file_errors += error.messages
    if not (report.rejected or job.dry_run):
        record(
            session,
            job.actor,
            f"import.{job.kind}",
            target=job.name,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            ignored_columns=report.ignored_columns,
        )
    return report


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
