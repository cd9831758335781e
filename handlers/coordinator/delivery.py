"""/thongbao_baocao [ID] (/broadcast_report): what became of an announcement: queued, sent,
failed, blocked, not linked, acknowledged, and who has not acknowledged it yet; the same as an
Excel file; and cancelling it while it has not started. Without an ID, the recent ones.

A coordinator sees the announcements composed within their scope (storage.broadcasts.visible);
any other number is answered as if it did not exist.
"""

from __future__ import annotations

import textwrap
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Context
from handlers.coordinator.access import actor, refusal
from handlers.coordinator.figures import local_time, share
from handlers.coordinator.filters import describe
from handlers.coordinator.outcomes import OUTCOMES
from handlers.coordinator.sheets import delivery_workbook
from handlers.messages import Attachment, Button, Reply
from locales import N_, Translator
from storage import broadcasts
from storage.access import Refused, Scope
from storage.audience import Audience
from storage.audit import record
from storage.callback_data import DeliveryStep, parse_number
from storage.models import Broadcast, BroadcastStatus
from storage.reports.delivery import DeliveryReport, Outcome, delivery_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_LIMIT = 20  # names of those who have not acknowledged; the rest are counted
RECENT = 10
STATUS_NAMES = {
    BroadcastStatus.DRAFT: N_("draft"),
    BroadcastStatus.SCHEDULED: N_("scheduled"),
    BroadcastStatus.SENDING: N_("sending"),
    BroadcastStatus.DONE: N_("sent"),
    BroadcastStatus.CANCELLED: N_("cancelled"),
}


async def on_command(context: Context, scope: Scope) -> list[Reply]:
    args = context.incoming.args
    if not args:
        return [await _recent(context, scope)]
    number = parse_number(args[0].lstrip("#"))
    if number is None:
        _ = context._
        return [Reply(_("Write the announcement's number, for example /thongbao_baocao 12."))]
    return [await _report(context, scope, number)]


async def on_button(context: Context, scope: Scope, pressed: DeliveryStep) -> list[Reply]:
    if pressed.action == "xlsx":
        return [await _workbook(context, scope, pressed.broadcast)]
    if pressed.action == "cancel":
        return [await _cancel(context, scope, pressed.broadcast)]
    return [await _report(context, scope, pressed.broadcast)]


async def _report(context: Context, scope: Scope, broadcast_id: int) -> Reply:
    _ = context._
    broadcast = await broadcasts.find(context.session, broadcast_id, scope, actor(context))
    if broadcast is None:
        return _unknown(context, broadcast_id)
    await broadcasts.refresh(context.session, broadcast, context.now)
    report = await delivery_report(context.session, broadcast)
    record(context.session, actor(context), "report.delivery", f"broadcast:{broadcast.id}")
    text = await delivery_text(_, context.session, report, context.config.zone)
    buttons = [Button(_("Download Excel"), DeliveryStep(broadcast.id, "xlsx"))]
    if await broadcasts.cancellable(context.session, broadcast):
        buttons.append(Button(_("Cancel the announcement"), DeliveryStep(broadcast.id, "cancel")))
    return Reply(text, buttons=(tuple(buttons),))


async def _workbook(context: Context, scope: Scope, broadcast_id: int) -> Reply:
    _ = context._
    broadcast = await broadcasts.find(context.session, broadcast_id, scope, actor(context))
    if broadcast is None:
        return _unknown(context, broadcast_id)
    report = await delivery_report(context.session, broadcast)
    record(
        context.session,
        actor(context),
        "report.delivery",
        f"broadcast:{broadcast.id}",
        format="xlsx",
    )
    content = delivery_workbook(_, report, context.config.zone)
    return Reply(
        _("Delivery of announcement #{id}, one row per recipient.", id=broadcast.id),
        document=Attachment(f"thong-bao-{broadcast.id}.xlsx", content, XLSX),
    )


async def _cancel(context: Context, scope: Scope, broadcast_id: int) -> Reply:
    _ = context._
    broadcast = await broadcasts.find(context.session, broadcast_id, scope, actor(context))
    if broadcast is None:
        return _unknown(context, broadcast_id)
    try:
        rows = await broadcasts.cancel(context.session, broadcast, actor(context), context.now)
    except Refused as refused:
        return refusal(context, refused)
    return Reply(
        _.plural(
            "Announcement #{id} is cancelled; {n} queued message will not be sent.",
            "Announcement #{id} is cancelled; {n} queued messages will not be sent.",
            rows,
            id=broadcast.id,
        )
    )


async def _recent(context: Context, scope: Scope) -> Reply:
    _ = context._
    found = await broadcasts.listing(context.session, scope, RECENT)
    record(context.session, actor(context), "report.broadcasts", shown=len(found))
    if not found:
        return Reply(_("No announcements yet. Compose one with /thongbao."))
    lines = [_("Recent announcements:")]
    for broadcast in found:
        await broadcasts.refresh(context.session, broadcast, context.now)
        lines.append(listing_line(_, broadcast, context.config.zone))
    buttons = tuple(
        (Button(f"#{broadcast.id}", DeliveryStep(broadcast.id, "show")),) for broadcast in found
    )
    return Reply("\n".join(lines), buttons=buttons)


def listing_line(_: Translator, broadcast: Broadcast, zone: ZoneInfo) -> str:
    """ "#12 · 08:00 25/11/2026 · 37 officials · scheduled · “Họp giao ban…”" """
    moment = broadcast.scheduled_at or broadcast.queued_at or broadcast.created_at
    count = _.plural("{n} official", "{n} officials", broadcast.recipients)
    excerpt = textwrap.shorten(broadcast.text, 40, placeholder="…")
    status = _(STATUS_NAMES[broadcast.status])
    return f"#{broadcast.id} · {local_time(_, moment, zone)} · {count} · {status} · “{excerpt}”"


async def delivery_text(
    _: Translator, session: AsyncSession, report: DeliveryReport, zone: ZoneInfo
) -> str:
    """The delivery report of one announcement, as the chat and `canbo broadcast report`
    show it."""
    broadcast = report.broadcast
    lines = [
        _(
            "Announcement #{id}: {status}",
            id=broadcast.id,
            status=_(STATUS_NAMES[broadcast.status]),
        )
    ]
    if broadcast.signature:
        lines.append(_("From: {author}", author=broadcast.signature))
    if broadcast.scheduled_at is not None:
        lines.append(_("When: {time}.", time=local_time(_, broadcast.scheduled_at, zone)))
    elif broadcast.queued_at is not None:
        lines.append(_("Sent now, at {time}.", time=local_time(_, broadcast.queued_at, zone)))
    if broadcast.text:
        lines.append(f"“{textwrap.shorten(broadcast.text, 120, placeholder='…')}”")
    else:
        lines.append(_("(The text was removed when its retention passed.)"))
    lines += [
        _("Recipients chosen:"),
        *await describe(_, session, Audience.from_json(broadcast.audience)),
    ]
    lines += ["", _.plural("{n} recipient:", "{n} recipients:", len(report.recipients))]
    lines += [
        f"• {_(name)}: {_.number(report.count(outcome))}" for outcome, name in OUTCOMES.items()
    ]
    if broadcast.ack:
        sent = report.count(Outcome.SENT)
        lines.append(_("Confirmed “Received”: {share}", share=share(_, report.acknowledged, sent)))
        waiting = report.awaiting_acknowledgement
        if waiting:
            lines.append(_("Not confirmed yet ({n}):", n=len(waiting)))
            lines += [f"• {person.name} ({person.unit})" for person in waiting[:LIST_LIMIT]]
            hidden = len(waiting) - LIST_LIMIT
            if hidden > 0:
                lines.append(_.plural("… and {n} more", "… and {n} more", hidden))
    return "\n".join(lines)


def _unknown(context: Context, broadcast_id: int) -> Reply:
    _ = context._
    return Reply(_("There is no announcement #{id} in your scope.", id=broadcast_id))
