"""Announcements: a draft becomes one outbox row per recipient, released at its time.

Going through the outbox gives a broadcast the dispatcher's limits and guarantees: the dedupe
key (recipient, "broadcast", broadcast id) queues each official once however often it is
confirmed; a scheduled broadcast is only rows with a future ``not_before``, so it survives any
restart; the dispatcher paces, retries and records every attempt.

Timing: a broadcast is urgent, so it does not wait for a working day (its author chose the
moment), but like every message it waits out the quiet hours, the service's and the
recipient's own: a broadcast sent "now" at 22:00 goes out when the quiet window ends.
Officials asked not to be disturbed at night, and an announcement is rarely worth waking
them for.

It can be cancelled until it starts, that is while every one of its rows is still waiting
(rows the dispatcher held back for quiet hours are waiting again). Cancelling marks them
CANCELLED. An acknowledgement ("Received") is recorded once per official.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from locales import N_, translator
from rules.profiles import Profile
from storage.access import Refused, Scope, refuse
from storage.audience import Audience, Headcount, check, resolve
from storage.audit import record
from storage.callback_data import Acknowledge, encode
from storage.facts import CHUNK
from storage.models import (
    Broadcast,
    BroadcastRecipient,
    BroadcastStatus,
    Official,
    OutboxMessage,
    OutboxStatus,
)
from storage.outbox import Notice, enqueue

KIND = "broadcast"
TEXT_LIMIT = 3500  # leaves room for the heading and signature in one Telegram message

Buttons = tuple[tuple[tuple[str, str], ...], ...]


def payload(broadcast: Broadcast) -> dict[str, Any]:
    """What each outbox row carries: enough to render the message without the database."""
    return {
        "broadcast": broadcast.id,
        "text": broadcast.text,
        "signature": broadcast.signature,
        "ack": broadcast.ack,
    }


def render(data: dict[str, Any], language: str) -> tuple[str, Buttons]:
    """The message as its recipient sees it, in their language: the author's preview and the
    dispatcher both use this."""
    _ = translator(language)
    heading = _("Announcement")
    parts = [f"📢 {heading}", str(data["text"])]
    if data.get("signature"):
        parts.append(f"— {data['signature']}")
    buttons: Buttons = ()
    if data.get("ack"):
        label = _("Received")
        buttons = (((f"✅ {label}", encode(Acknowledge(int(data["broadcast"])))),),)
    return "\n\n".join(parts), buttons


def signature(author: Official | None) -> str:
    """Who the announcement is from (``author.unit`` loaded)."""
    return f"{author.full_name}, {author.unit.name}" if author is not None else ""


def new_draft(
    session: AsyncSession, actor: str, author: Official | None, scope: Scope
) -> Broadcast:
    """An empty draft for everyone in ``scope``. The caller commits."""
    draft = Broadcast(
        author_id=author.id if author is not None else None,
        actor=actor,
        scope=scope.stored(),
        audience={},
        text="",
        signature=signature(author),
        ack=False,
        status=BroadcastStatus.DRAFT,
    )
    session.add(draft)
    return draft


def set_text(broadcast: Broadcast, text: str) -> None:
    text = text.strip()
    if not text:
        raise Refused(N_("The announcement has no text."))
    if len(text) > TEXT_LIMIT:
        raise Refused(N_("The announcement is too long: at most {n} characters."), n=TEXT_LIMIT)
    broadcast.text = text


def set_time(broadcast: Broadcast, at: datetime | None, now: datetime) -> None:
    """Send at ``at`` (aware), or as soon as possible when None."""
    if at is not None and at <= now:
        raise Refused(N_("That time has already passed."))
    broadcast.scheduled_at = at


async def headcount(
    session: AsyncSession, broadcast: Broadcast, profile: Profile, today: date
) -> Headcount:
    """How many the draft would reach today (local), and how many of them cannot be reached."""
    audience, scope = _audience_and_scope(broadcast)
    return Headcount.of(await resolve(session, audience, scope, profile, today))


async def queue(
    session: AsyncSession, broadcast: Broadcast, profile: Profile, now: datetime, today: date
) -> Headcount:
    """Queue the draft for everyone its audience names ``today`` (the local day of ``now``).
    The caller commits."""
    if broadcast.status is not BroadcastStatus.DRAFT:
        raise Refused(N_("This announcement has already been sent or cancelled."))
    if not broadcast.text:
        raise Refused(N_("The announcement has no text."))
    if broadcast.scheduled_at is not None and broadcast.scheduled_at <= now:
        raise Refused(N_("That time has already passed."))
    audience, scope = _audience_and_scope(broadcast)
    await check(session, audience, scope)
    members = await resolve(session, audience, scope, profile, today)
    if not members:
        raise Refused(N_("Nobody matches these filters."))
    await session.flush()
    data = payload(broadcast)
    notices = [
        Notice(
            kind=KIND,
            payload=data,
            not_before=broadcast.scheduled_at or now,
            official_id=member.official_id,
            subject=str(broadcast.id),
            urgent=True,
        )
        for member in members
    ]
    await enqueue(session, notices)
    rows: dict[int, int] = {}
    keys = [notice.dedupe_key for notice in notices]
    for start in range(0, len(keys), CHUNK):
        found = await session.execute(
            select(OutboxMessage.official_id, OutboxMessage.id).where(
                OutboxMessage.dedupe_key.in_(keys[start : start + CHUNK])
            )
        )
        rows.update({official_id: outbox_id for official_id, outbox_id in found if official_id})
    session.add_all(
        BroadcastRecipient(
            broadcast_id=broadcast.id,
            official_id=member.official_id,
            outbox_id=rows.get(member.official_id),
        )
        for member in members
    )
    count = Headcount.of(members)
    broadcast.status = BroadcastStatus.SCHEDULED
    broadcast.queued_at = now
    broadcast.recipients = count.total
    broadcast.unreachable = count.unreachable
    record(
        session,
        broadcast.actor,
        "broadcast.queue",
        f"broadcast:{broadcast.id}",
        audience=broadcast.audience,
        scope=broadcast.scope,
        recipients=count.total,
        not_linked=count.not_linked,
        blocked=count.blocked,
        scheduled_at=broadcast.scheduled_at.isoformat() if broadcast.scheduled_at else None,
        ack=broadcast.ack,
        text=broadcast.text,
        text_sha256=hashlib.sha256(broadcast.text.encode()).hexdigest(),
    )
    return count


def _audience_and_scope(broadcast: Broadcast) -> tuple[Audience, Scope]:
    return Audience.from_json(broadcast.audience), Scope.of_paths(broadcast.scope)


def visible(broadcast: Broadcast, scope: Scope) -> bool:
    """A coordinator sees the broadcasts composed within their scope."""
    return scope.covers_all(broadcast.scope)


async def find(
    session: AsyncSession, broadcast_id: int, scope: Scope, actor: str
) -> Broadcast | None:
    """The broadcast if it exists, is not a draft and ``scope`` may see it; one ``actor`` may
    not see is on the audit log."""
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None or broadcast.status is BroadcastStatus.DRAFT:
        return None
    if not visible(broadcast, scope):
        refuse(session, actor, f"broadcast:{broadcast.id}", "out of scope")
        return None
    return broadcast


async def listing(session: AsyncSession, scope: Scope, limit: int = 20) -> list[Broadcast]:
    """Recent broadcasts ``scope`` may see, newest first."""
    found = []
    rows = await session.scalars(
        select(Broadcast)
        .where(Broadcast.status != BroadcastStatus.DRAFT)
        .order_by(Broadcast.id.desc())
    )
    for broadcast in rows:
        if visible(broadcast, scope):
            found.append(broadcast)
            if len(found) == limit:
                break
    return found


async def _waiting(session: AsyncSession, broadcast: Broadcast) -> dict[OutboxStatus, int]:
    rows = await session.execute(
        select(OutboxMessage.status, func.count())
        .join(BroadcastRecipient, BroadcastRecipient.outbox_id == OutboxMessage.id)
        .where(BroadcastRecipient.broadcast_id == broadcast.id)
        .group_by(OutboxMessage.status)
    )
    return {status: count for status, count in rows}


async def refresh(session: AsyncSession, broadcast: Broadcast, now: datetime) -> BroadcastStatus:
    """Bring the stored status up to date with its rows: started once any row left the queue
    or its time came; done once none is waiting. The caller commits."""
    if broadcast.status not in (BroadcastStatus.SCHEDULED, BroadcastStatus.SENDING):
        return broadcast.status
    counts = await _waiting(session, broadcast)
    waiting = counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.CLAIMED, 0)
    moved = sum(counts.values()) - counts.get(OutboxStatus.PENDING, 0)
    due = broadcast.scheduled_at is None or broadcast.scheduled_at <= now
    if not waiting:
        broadcast.status = BroadcastStatus.DONE
    elif moved or due:
        broadcast.status = BroadcastStatus.SENDING
    return broadcast.status


async def cancellable(session: AsyncSession, broadcast: Broadcast) -> bool:
    """Not started: queued, and every row still waiting in the queue."""
    if broadcast.status is not BroadcastStatus.SCHEDULED:
        return False
    counts = await _waiting(session, broadcast)
    return set(counts) <= {OutboxStatus.PENDING}


async def cancel(session: AsyncSession, broadcast: Broadcast, actor: str, now: datetime) -> int:
    """Cancel a broadcast that has not started, with its queued rows; how many rows.
    The caller commits."""
    if not await cancellable(session, broadcast):
        raise Refused(N_("This announcement has already started; it can no longer be cancelled."))
    ids = select(BroadcastRecipient.outbox_id).where(
        BroadcastRecipient.broadcast_id == broadcast.id
    )
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids.scalar_subquery()))
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED, last_error="cancelled by its author", updated_at=now)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    count = len(result.all())
    broadcast.status = BroadcastStatus.CANCELLED
    broadcast.cancelled_at = now
    record(session, actor, "broadcast.cancel", f"broadcast:{broadcast.id}", rows=count)
    return count


class AckResult(enum.Enum):
    RECORDED = "recorded"
    ALREADY = "already"
    UNKNOWN = "unknown"  # not a recipient, or a broadcast without the button


async def acknowledge(
    session: AsyncSession, broadcast_id: int, official_id: int, now: datetime
) -> AckResult:
    """Record that ``official_id`` received the broadcast; only the first press counts."""
    asked = await session.scalar(select(Broadcast.ack).where(Broadcast.id == broadcast_id))
    if not asked:
        return AckResult.UNKNOWN
    result = await session.execute(
        update(BroadcastRecipient)
        .where(
            BroadcastRecipient.broadcast_id == broadcast_id,
            BroadcastRecipient.official_id == official_id,
            BroadcastRecipient.acknowledged_at.is_(None),
        )
        .values(acknowledged_at=now)
        .returning(BroadcastRecipient.official_id)
        .execution_options(synchronize_session=False)
    )
    if result.first() is not None:
        return AckResult.RECORDED
    exists = await session.scalar(
        select(BroadcastRecipient.official_id).where(
            BroadcastRecipient.broadcast_id == broadcast_id,
            BroadcastRecipient.official_id == official_id,
        )
    )
    return AckResult.ALREADY if exists is not None else AckResult.UNKNOWN
