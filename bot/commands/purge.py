"""`canbo purge [--dry-run] [--now ISO-DATETIME]`: remove what is kept no longer
(storage/retention.py; CANBO_RETENTION_*_DAYS). Run it daily, from cron or a systemd timer;
every run is on the audit log with what it removed."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from typing import Any

from bot.commands.database import open_session
from bot.commands.running import cli_actor, synchronous
from bot.settings import Settings
from locales import N_, translator
from storage.audit import record
from storage.retention import Retention, purge
from storage.types import utcnow

LINES = {
    "chats": N_("Chats not linked to anyone: {n}"),
    "dialogues": N_("Unfinished dialogues cleared: {n}"),
    "drafts": N_("Abandoned draft announcements: {n}"),
    "link_codes": N_("Used or expired link codes: {n}"),
    "wrong_codes": N_("Records of wrong link codes: {n}"),
    "console_links": N_("Console sign-in links used or expired: {n}"),
    "console_sessions": N_("Past console sessions: {n}"),
    "files": N_("Files whose links have expired: {n}"),
    "sent_texts": N_("Texts of messages sent: {n}"),
    "announcements": N_("Texts of finished announcements: {n}"),
    "audit_entries": N_("Audit log entries: {n}"),
    "evidence_files": N_("Certificate files officials sent: {n}"),
}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "purge",
        help="remove chat state, sent texts and audit entries past their retention",
        description="Remove what is kept no longer: chat state after CANBO_RETENTION_CHAT_DAYS "
        "(90), the texts of sent messages after CANBO_RETENTION_SENT_DAYS (365), audit "
        "entries after CANBO_RETENTION_AUDIT_DAYS (1825), certificate files officials sent after "
        "CANBO_RETENTION_EVIDENCE_DAYS (90) once decided, files once their link expired.",
    )
    parser.add_argument("--dry-run", action="store_true", help="count only, remove nothing")
    parser.add_argument(
        "--now", type=datetime.fromisoformat, help="purge as of this moment (ISO 8601)"
    )
    parser.set_defaults(run=_purge)


@synchronous
async def _purge(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    now = utcnow() if args.now is None else _aware(args.now, settings)
    retention = Retention(
        chat=timedelta(days=settings.retention_chat_days),
        sent=timedelta(days=settings.retention_sent_days),
        audit=timedelta(days=settings.retention_audit_days),
        evidence=timedelta(days=settings.retention_evidence_days),
    )
    async with open_session(settings) as session:
        purged = await purge(session, now, retention)
        if args.dry_run:
            await session.rollback()
        record(
            session,
            cli_actor(),
            "purge",
            "",
            dry_run=args.dry_run,
            retention_days={
                "chat": settings.retention_chat_days,
                "sent": settings.retention_sent_days,
                "audit": settings.retention_audit_days,
            },
            **purged.as_dict(),
        )
        await session.commit()
    heading = (
        N_("Would be removed (dry run, nothing changed):")
        if args.dry_run
        else N_("Removed, as their retention has passed:")
    )
    print(_(heading))
    for key, count in purged.as_dict().items():
        print("  " + _(LINES[key], n=_.number(count)))
    return 0


def _aware(moment: datetime, settings: Settings) -> datetime:
    """A moment typed without an offset is local time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=settings.zone)
