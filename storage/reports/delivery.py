"""What became of a broadcast: each recipient's outcome, read from their outbox row, and who
acknowledged it.

An outbox row the dispatcher could not deliver is UNREACHABLE; whether that is "blocked" or
"not linked" is read from the recipient's chats now (storage.reach). A message that went to a
web-chat-only official waits in their web chat for their next visit: it is sent, as everywhere
else they count as reached.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.titles import TitleKind
from storage.models import (
    Broadcast,
    BroadcastRecipient,
    HeldTitle,
    Official,
    OutboxMessage,
    OutboxStatus,
    Title,
    Unit,
)
from storage.reach import Reach, reach_of


class Outcome(enum.Enum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"
    NOT_LINKED = "not_linked"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Recipient:
    code: str
    name: str
    unit: str
    title: TitleKind  # the main title they hold
    title_field: str
    outcome: Outcome
    sent_at: datetime | None
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class DeliveryReport:
    broadcast: Broadcast
    recipients: tuple[Recipient, ...]  # by unit, then name

    def count(self, outcome: Outcome) -> int:
        return sum(r.outcome is outcome for r in self.recipients)

    @property
    def acknowledged(self) -> int:
        return sum(r.acknowledged_at is not None for r in self.recipients)

    @property
    def awaiting_acknowledgement(self) -> tuple[Recipient, ...]:
        """Those who got the message and have not pressed "Received"."""
        return tuple(
            r for r in self.recipients if r.outcome is Outcome.SENT and r.acknowledged_at is None
        )


async def delivery_report(session: AsyncSession, broadcast: Broadcast) -> DeliveryReport:
    rows = (
        await session.execute(
            select(
                Official.id,
                Official.code,
                Official.full_name,
                Unit.name,
                Title.kind,
                Title.field,
                OutboxMessage.status,
                OutboxMessage.sent_at,
                BroadcastRecipient.acknowledged_at,
            )
            .select_from(BroadcastRecipient)
            .join(Official, BroadcastRecipient.official_id == Official.id)
            .join(Unit, Official.unit_id == Unit.id)
            .join(HeldTitle, (HeldTitle.official_id == Official.id) & (HeldTitle.position == 0))
            .join(Title, HeldTitle.title_id == Title.id)
            .outerjoin(OutboxMessage, BroadcastRecipient.outbox_id == OutboxMessage.id)
            .where(BroadcastRecipient.broadcast_id == broadcast.id)
        )
    ).all()
    rows = sorted(rows, key=lambda row: (row[3], row[2], row[1]))  # the same on every backend
    unreachable = [row[0] for row in rows if row[6] is OutboxStatus.UNREACHABLE]
    reach = await reach_of(session, unreachable)
    recipients = tuple(
        Recipient(
            code=code,
            name=name,
            unit=unit,
            title=kind,
            title_field=field,
            outcome=_outcome(status, reach.get(official_id)),
            sent_at=sent_at,
            acknowledged_at=acknowledged_at,
        )
        for (
            official_id,
            code,
            name,
            unit,
            kind,
            field,
            status,
            sent_at,
            acknowledged_at,
        ) in rows
    )
    return DeliveryReport(broadcast, recipients)


def _outcome(status: OutboxStatus | None, reach: Reach | None) -> Outcome:
    if status in (OutboxStatus.PENDING, OutboxStatus.CLAIMED):
        return Outcome.QUEUED
    if status is OutboxStatus.SENT:
        return Outcome.SENT
    if status is OutboxStatus.FAILED:
        return Outcome.FAILED
    if status is OutboxStatus.UNREACHABLE:
        no_chat = reach in (Reach.NOT_LINKED, Reach.IMPORTANT_ONLY)  # ZNS only: no chat
        return Outcome.NOT_LINKED if no_chat else Outcome.BLOCKED
    return Outcome.CANCELLED  # cancelled, or its row is gone from the outbox
