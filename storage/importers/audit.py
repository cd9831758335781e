"""Every import on the audit log: imported, rejected, dry run or interrupted.

The entry (``import.<kind>``, the file's name, who) is written before the file is read, with
the outcome "started", and the outcome and the counts are written onto it when the import
ends. An import in a transaction of its own (``audited_import``: the CLI) commits that entry
first, and the outcome in the import's transaction when it is kept, in a fresh one after the
rollback otherwise: one killed outright (SIGKILL, a power cut) leaves its entry at "started",
so even that is on record. An import inside a caller's transaction (a savepoint, as the chat
does) calls ``begin`` before the savepoint and ``finish`` after it. The file's size and
SHA-256 say exactly which file it was.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit import record
from storage.importers.report import ImportReport
from storage.models import AuditEntry

logger = logging.getLogger(__name__)

STARTED = "started"
IMPORTED = "imported"
REJECTED = "rejected"
DRY_RUN = "dry_run"
INTERRUPTED = "interrupted"


async def begin(session: AsyncSession, actor: str, path: Path, report: ImportReport) -> int:
    """Put the import on the audit log as "started", in ``session``'s transaction; its entry's
    id, for ``finish``. An import in a transaction of its own commits this first."""
    fingerprint = await asyncio.to_thread(_fingerprint, path)
    entry = record(
        session,
        actor,
        f"import.{report.kind}",
        report.file,
        outcome=STARTED,
        dry_run=report.dry_run,
        **fingerprint,
    )
    await session.flush()
    return entry.id


async def finish(
    session: AsyncSession, entry_id: int, report: ImportReport, outcome: str | None = None
) -> None:
    """Write the outcome (by default what ``report`` says) and the counts onto the entry."""
    entry = await session.get(AuditEntry, entry_id, populate_existing=True)
    assert entry is not None
    outcome = outcome or _outcome(report)
    detail: dict[str, Any] = {**entry.detail, "outcome": outcome}
    if outcome in (IMPORTED, DRY_RUN):
        detail |= {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
    if report.rejected:
        detail |= {
            "problems": report.problems,
            "bad_rows": len({error.row for error in report.row_errors}),
        }
    if report.ignored_columns:
        detail["ignored_columns"] = report.ignored_columns
    entry.detail = detail


async def audited_import(
    session: AsyncSession,
    actor: str,
    path: Path,
    report: ImportReport,
    work: Callable[[], Awaitable[None]],
) -> ImportReport:
    """Run ``work``, which fills ``report`` and writes in ``session``'s transaction, on the
    audit log; commit what it wrote only when nothing was wrong and this is not a dry run,
    roll it back otherwise. Anything the caller has not committed is committed first."""
    entry_id = await begin(session, actor, path, report)
    await session.commit()  # on record before the file is read
    try:
        await work()
    except BaseException:
        try:
            await session.rollback()
            await finish(session, entry_id, report, INTERRUPTED)
            await session.commit()
        except Exception:  # the database may be why it stopped; the entry still says started
            logger.warning("could not record how import %s ended", entry_id, exc_info=True)
        raise
    if report.rejected or report.dry_run:
        await session.rollback()
    await finish(session, entry_id, report)
    await session.commit()
    return report


def _outcome(report: ImportReport) -> str:
    if report.rejected:
        return REJECTED
    return DRY_RUN if report.dry_run else IMPORTED


def _fingerprint(path: Path) -> dict[str, Any]:
    """The file's size and SHA-256, or nothing when it cannot be read (the import says why)."""
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return {}
    return {"bytes": size, "sha256": digest.hexdigest()}
