"""`canbo reminders plan [--now ISO-DATETIME]` and `canbo reminders list [--status S] [--limit N]`:
run the reminder planner once, and look at the outbox."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.commands.database import open_session
from bot.commands.running import add_actions, synchronous
from bot.settings import Settings
from locales import translator
from scheduler.config import ReminderConfig
from scheduler.planner import plan
from storage.models import Official, OutboxMessage, OutboxStatus
from storage.types import utcnow


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date and time like 2026-09-01T07:30 or 2026-09-01T07:30+07:00: {text!r}"
        ) from None


def register(sub: argparse._SubParsersAction[Any]) -> None:
    actions = add_actions(sub, "reminders", "plan reminders and list the outbox")
    planner = actions.add_parser(
        "plan",
        help="queue the reminders due now and cancel those that no longer apply",
        description="Derives every reminder from the stored dates and queues those due on the "
        "given day (as the service does daily at 07:30). Running it twice queues nothing twice.",
    )
    planner.add_argument(
        "--now",
        type=_moment,
        metavar="ISO-DATETIME",
        help="plan as if it were this moment (local time unless an offset is given)",
    )
    planner.set_defaults(run=_plan)
    listing = actions.add_parser("list", help="list queued and past messages, soonest first")
    listing.add_argument("--status", choices=[s.value for s in OutboxStatus])
    listing.add_argument("--limit", type=int, default=50, help="at most this many rows (50)")
    listing.set_defaults(run=_list)


def _plan(args: argparse.Namespace, settings: Settings) -> int:
    config = ReminderConfig.from_settings(settings)
    now = args.now or utcnow()
    if now.tzinfo is None:
        now = now.replace(tzinfo=config.zone)
    return asyncio.run(_plan_async(settings, config, now.astimezone(UTC)))


async def _plan_async(settings: Settings, config: ReminderConfig, now: datetime) -> int:
    _ = translator(settings.locale)
    async with open_session(settings) as session:
        result = await plan(session, now, config)
    print(_("Reminders planned for {date}:", date=_.datetime(now.astimezone(config.zone))))
    print(_("Queued: {n}", n=result.total))
    for kind, count in sorted(result.queued.items()):
        print(f"  {kind}: {count}")
    print(_("Cancelled, no longer applying: {n}", n=result.cancelled))
    return 0


@synchronous
async def _list(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    zone = settings.zone
    query = (
        select(OutboxMessage, Official.code)
        .outerjoin(Official, OutboxMessage.official_id == Official.id)
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
        .limit(max(args.limit, 0))
    )
    if args.status:
        query = query.where(OutboxMessage.status == OutboxStatus(args.status))
    async with open_session(settings) as session:
        rows = (await session.execute(query)).all()
    if not rows:
        print(_("The outbox has no such messages."))
        return 0
    header = (
        _("Outbox id"),
        _("Delivery status"),
        _("Send at"),
        _("Recipient"),
        _("Reminder kind"),
        _("About"),
        _("Milestone"),
    )
    table = [header] + [
        (
            str(row.id),
            row.status.value,
            _.datetime(row.not_before.astimezone(zone)),
            code or f"chat {row.chat_account_id}",
            row.kind,
            row.subject,
            row.milestone,
        )
        for row, code in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )
    return 0
