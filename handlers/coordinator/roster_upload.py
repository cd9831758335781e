"""A roster a coordinator sends to the bot (a Telegram document, an upload in the web chat): the
bot checks it at once, as `canbo import officials --dry-run` would and within the coordinator's
units only, and answers with the report and two buttons: "Nhập" imports it, "Hủy" drops it.

The file waits in the database (``RosterUpload``) between the two steps, so any worker can take
the press and a restart loses nothing; it is dropped once imported, cancelled or a day old.
Buttons carry the upload's id (storage.callback_data.RosterStep), and a press is honoured only
from the chat and the official that sent the file. The check and the import are each on the
audit log, as every import is.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path, PurePath

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Context
from handlers.coordinator.access import actor
from handlers.messages import Button, Reply
from storage.access import Scope
from storage.callback_data import RosterStep
from storage.importers import ImportReport, Job, import_within
from storage.models import RosterUpload

KEPT = timedelta(days=1)


async def on_file(context: Context, scope: Scope) -> list[Reply]:
    """A spreadsheet (handlers.files tells it from evidence), checked as a roster."""
    attachment = context.incoming.attachment
    assert attachment is not None
    official = context.official
    assert official is not None
    _ = context._
    if not attachment.content:
        return [
            Reply(
                _(
                    "I could not fetch that file: a bot receives files of up to 20 MB. Save the "
                    "roster as .xlsx, which is smaller, or split it."
                )
            )
        ]
    await context.session.execute(
        delete(RosterUpload).where(RosterUpload.created_at < context.now - KEPT)
    )
    upload = RosterUpload(
        chat_account_id=context.account.id,
        official_id=official.id,
        filename=PurePath(attachment.filename).name[:200],
        content=attachment.content,
        created_at=context.now,
    )
    context.session.add(upload)
    await context.session.flush()
    report = await _import(context, upload, scope, dry_run=True)
    if report.rejected:
        await context.session.delete(upload)
        return [Reply(report.render(context.account.language))]
    buttons = (
        (
            Button(_("Import"), RosterStep("ok", upload.id)),
            Button(_("Cancel"), RosterStep("no", upload.id)),
        ),
    )
    return [Reply(report.render(context.account.language), buttons=buttons)]


async def on_button(context: Context, scope: Scope, pressed: RosterStep) -> list[Reply]:
    _ = context._
    official = context.official
    assert official is not None
    upload = await context.session.scalar(
        select(RosterUpload).where(
            RosterUpload.id == pressed.upload,
            RosterUpload.chat_account_id == context.account.id,
            RosterUpload.official_id == official.id,
            RosterUpload.created_at >= context.now - KEPT,
        )
    )
    if upload is None:
        return [Reply(_("That file is no longer waiting to be imported; send it again."))]
    await context.session.delete(upload)
    if pressed.action != "ok":
        return [Reply(_("Cancelled: nothing was imported from {file}.", file=upload.filename))]
    report = await _import(context, upload, scope, dry_run=False)
    return [Reply(report.render(context.account.language))]


async def _import(
    context: Context, upload: RosterUpload, scope: Scope, dry_run: bool
) -> ImportReport:
    return await check_upload(
        context.session,
        upload,
        scope,
        dry_run=dry_run,
        actor=actor(context),
        lang=context.account.language,
        today=context.today,
    )


async def check_upload(
    session: AsyncSession,
    upload: RosterUpload,
    scope: Scope,
    *,
    dry_run: bool,
    actor: str,
    lang: str,
    today: date,
) -> ImportReport:
    """The officials roster in ``upload``, checked (or imported) within ``scope``, in the
    caller's transaction (storage.importers.import_within); the console uses it too."""
    suffix = PurePath(upload.filename).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="canbo-upload-") as folder:
        path = Path(folder) / f"roster{suffix}"
        path.write_bytes(upload.content)
        job = Job(
            kind="officials",
            path=path,
            name=upload.filename,
            dry_run=dry_run,
            actor=actor,
            lang=lang,
            today=today,
            scope=scope,
        )
        return await import_within(session, job)
