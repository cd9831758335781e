"""Rosters: upload an officials roster, see the check (a dry run, within the visitor's scope,
as the chat and `canbo import officials --dry-run` check it) as tables of counts and of the
bad rows, import it on confirmation, and the history of imports.

The file waits in the database between the check and the confirmation (``RosterUpload``,
without a chat), for the official who uploaded it only, a day at most: the import is of the
very file that was checked. The report of the last step is kept with it, so its page can be
reloaded and its tables exported. Both steps are on the audit log (storage/importers/audit.py).
"""

from __future__ import annotations

from pathlib import PurePath

from aiohttp import BodyPartReader, web
from sqlalchemy import delete, select

from bot.console.app import ConsoleRoute
from bot.console.render import NavEntry, render
from bot.console.tables import Table, requested
from bot.console.visit import Visit, not_found, page
from handlers.coordinator.roster_upload import KEPT, check_upload
from handlers.messages import ATTACHMENT_LIMIT
from locales import N_, Translator
from storage.importers.report import ImportReport
from storage.importers.tabular import SUFFIXES
from storage.models import AuditEntry, Official, RosterUpload, Unit

NAV = (NavEntry("/console/rosters", N_("Rosters")),)
HISTORY = 100  # imports listed
OUTCOMES = {
    "started": N_("started, not finished"),
    "imported": N_("imported"),
    "rejected": N_("rejected"),
    "dry_run": N_("checked"),
    "interrupted": N_("interrupted"),
}


async def show(visit: Visit) -> web.StreamResponse:
    history = await _history(visit)
    export = requested(visit, [history])
    if export is not None:
        return export
    return render(visit, "rosters.html", history=history, problem=None)


async def upload(visit: Visit) -> web.StreamResponse:
    """Check the uploaded file and show the check (``/rosters/ID``); a file that cannot be
    checked changes nothing."""
    _ = visit._
    reader = visit.form_parts
    part = await reader.next() if reader is not None else None
    if not isinstance(part, BodyPartReader) or part.name != "file" or not part.filename:
        return await _refused(visit, _("Choose a roster file to upload."))
    name = PurePath(part.filename).name[:200]
    if PurePath(name).suffix.lower() not in SUFFIXES:
        return await _refused(
            visit,
            _("Choose a roster file: Excel (.xlsx, .xls), LibreOffice (.ods) or CSV."),
        )
    content = bytearray()
    while chunk := await part.read_chunk(1 << 16):
        content += chunk
        if len(content) > ATTACHMENT_LIMIT:
            return await _refused(visit, _("The file is larger than 20 MB: split it."))
    await visit.db.execute(delete(RosterUpload).where(RosterUpload.created_at < visit.now - KEPT))
    waiting = RosterUpload(
        chat_account_id=None,
        official_id=visit.official.id,
        filename=name,
        content=bytes(content),
        created_at=visit.now,
    )
    visit.db.add(waiting)
    await visit.db.flush()
    await _run(visit, waiting, dry_run=True)
    raise web.HTTPSeeOther(f"/console/rosters/{waiting.id}")


async def _upload(visit: Visit) -> RosterUpload:
    """The console upload the URL names, if the visitor made it (else 404)."""
    upload_id = visit.request.match_info["upload"]
    found = None
    if upload_id.isdigit():
        found = await visit.db.scalar(
            select(RosterUpload).where(
                RosterUpload.id == int(upload_id),
                RosterUpload.official_id == visit.official.id,
                RosterUpload.chat_account_id.is_(None),
                RosterUpload.created_at >= visit.now - KEPT,
            )
        )
    if found is None or found.report is None:
        raise not_found()
    return found


async def checked(visit: Visit) -> web.StreamResponse:
    """The last check or import of an upload, with its tables (each exports)."""
    _ = visit._
    waiting = await _upload(visit)
    assert waiting.report is not None
    report = ImportReport.from_json(waiting.report)
    counts, errors = _counts_table(_, report), _errors_table(_, report)
    export = requested(visit, [counts, errors])
    if export is not None:
        return export
    return render(
        visit,
        "roster_report.html",
        report=report,
        summary=report.render(visit.session.language).split("\n"),
        counts=counts,
        errors=errors,
        waiting=waiting if waiting.content else None,
    )


async def confirm(visit: Visit) -> web.StreamResponse:
    """Import the checked file, or drop it."""
    waiting = await _upload(visit)
    if not waiting.content:
        raise not_found()
    if (await visit.request.post()).get("action") != "import":
        await visit.db.delete(waiting)
        raise web.HTTPSeeOther("/console/rosters")
    await _run(visit, waiting, dry_run=False)
    raise web.HTTPSeeOther(f"/console/rosters/{waiting.id}")


async def _run(visit: Visit, waiting: RosterUpload, *, dry_run: bool) -> None:
    """Check or import ``waiting`` and keep the report with it; its content is dropped once
    imported or refused (nothing left to do with it)."""
    report = await check_upload(
        visit.db,
        waiting,
        visit.scope,
        dry_run=dry_run,
        actor=visit.actor,
        lang=visit.session.language,
        today=visit.today,
    )
    waiting.report = report.to_json()
    if report.rejected or not dry_run:
        waiting.content = b""


async def _refused(visit: Visit, problem: str) -> web.Response:
    return render(visit, "rosters.html", status=400, history=await _history(visit), problem=problem)


def _counts_table(_: Translator, report: ImportReport) -> Table:
    return Table(
        "counts",
        _("Records"),
        [_("New"), _("Updated"), _("Unchanged"), _("Problems")],
        [[report.created, report.updated, report.unchanged, report.problems]],
        frozenset({0, 1, 2, 3}),
    )


def _errors_table(_: Translator, report: ImportReport) -> Table:
    rows: list[list[str | int | None]] = [
        [None, None, message.render(_)] for message in report.file_errors
    ]
    rows += [[error.row, error.column, error.reason.render(_)] for error in report.row_errors]
    if report.more_errors:
        rows.append(
            [
                None,
                None,
                _.plural(
                    "… and {count} more problem, not listed.",
                    "… and {count} more problems, not listed.",
                    report.more_errors,
                    count=_.number(report.more_errors),
                ),
            ]
        )
    return Table(
        "errors",
        _("Problems"),
        [_("Row"), _("Column"), _("Problem")],
        rows,
        frozenset({0}),
        _("No problem found."),
    )


async def _history(visit: Visit) -> Table:
    """The latest imports: all of them for an admin; for a coordinator, those made by officials
    of their scope (the audit log names the actor by messenger and official code)."""
    _ = visit._
    entries = list(
        await visit.db.scalars(
            select(AuditEntry)
            .where(AuditEntry.action.startswith("import."))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(HISTORY if visit.admin else HISTORY * 10)
        )
    )
    if not visit.admin:
        codes = {entry.actor.rpartition(":")[2] for entry in entries}
        inside = set(
            await visit.db.scalars(
                select(Official.code)
                .join(Unit, Official.unit_id == Unit.id)
                .where(Official.code.in_(codes), visit.scope.clause(Unit.path))
            )
        )
        entries = [e for e in entries if e.actor.rpartition(":")[2] in inside][:HISTORY]
    zone = visit.config.zone
    return Table(
        "imports",
        _("History of imports"),
        [_("When"), _("Who"), _("File"), _("Outcome"), _("New"), _("Updated"), _("Problems")],
        [
            [
                _.datetime(entry.at.astimezone(zone)),
                entry.actor,
                entry.target,
                _(OUTCOMES.get(str(entry.detail.get("outcome")), str(entry.detail.get("outcome")))),
                entry.detail.get("created"),
                entry.detail.get("updated"),
                entry.detail.get("problems"),
            ]
            for entry in entries
        ],
        frozenset({4, 5, 6}),
        _("No import yet."),
    )


ROUTES = (
    ConsoleRoute("GET", "/rosters", page(show)),
    ConsoleRoute("POST", "/rosters", page(upload)),
    ConsoleRoute("GET", "/rosters/{upload}", page(checked)),
    ConsoleRoute("POST", "/rosters/{upload}", page(confirm)),
)
