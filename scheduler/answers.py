"""What a reminder's buttons do.

"Registered" stops the reminder's chain (same official, kind, subject and cycle): nothing more
of it is queued, what is pending is cancelled. "Remind me in 3 days" moves the chain's pending
reminders out of those days and queues one repeat after them. "Cannot attend" stops the chain
and tells the official's coordinators at once. The caller commits.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler import kinds
from scheduler.config import ReminderConfig
from scheduler.snapshot import coordinators_of, load_coverage
from storage.models import (
    AnswerKind,
    Official,
    OutboxMessage,
    OutboxStatus,
    ReminderAnswer,
    Unit,
)
from storage.outbox import Notice, enqueue


class AnswerResult(enum.StrEnum):
    DONE = "done"
    SNOOZED = "snoozed"
    DECLINED = "declined"
    ALREADY_ANSWERED = "already_answered"
    UNKNOWN = "unknown"  # no such reminder for this official, or not one with buttons


async def answer_reminder(
    session: AsyncSession,
    outbox_id: int,
    official_id: int,
    answer: AnswerKind,
    now: datetime,
    config: ReminderConfig,
) -> AnswerResult:
    """Record ``official_id``'s ``answer`` to reminder ``outbox_id`` and act on it."""
    row = await session.get(OutboxMessage, outbox_id)
    if row is None or row.official_id != official_id or row.kind not in kinds.ANSWERABLE:
        return AnswerResult.UNKNOWN
    if not row.payload:  # its text was purged (storage/retention.py): too old to answer
        return AnswerResult.UNKNOWN
    if await session.scalar(select(ReminderAnswer.id).where(ReminderAnswer.outbox_id == row.id)):
        return AnswerResult.ALREADY_ANSWERED
    session.add(
        ReminderAnswer(
            outbox_id=row.id,
            official_id=official_id,
            kind=row.kind,
            subject=row.subject,
            cycle=row.cycle,
            answer=answer,
            at=now,
        )
    )
    if answer is AnswerKind.SNOOZE:
        until = now + timedelta(days=config.snooze_days)
        await _cancel_chain(session, row, now, before=until)
        await enqueue(
            session,
            [
                Notice(
                    kind=row.kind,
                    payload=row.payload,
                    not_before=until,
                    official_id=official_id,
                    subject=row.subject,
                    milestone=f"{kinds.SNOOZE}:{row.id}",
                    cycle=row.cycle,
                    urgent=row.urgent,
                )
            ],
        )
        await session.flush()
        return AnswerResult.SNOOZED
    await _cancel_chain(session, row, now)
    if answer is AnswerKind.DECLINE:
        await _tell_coordinators(session, row, official_id, now)
    await session.flush()
    return AnswerResult.DONE if answer is AnswerKind.DONE else AnswerResult.DECLINED


async def _cancel_chain(
    session: AsyncSession, row: OutboxMessage, now: datetime, before: datetime | None = None
) -> None:
    statement = update(OutboxMessage).where(
        OutboxMessage.official_id == row.official_id,
        OutboxMessage.kind == row.kind,
        OutboxMessage.subject == row.subject,
        OutboxMessage.cycle == row.cycle,
        OutboxMessage.status == OutboxStatus.PENDING,
    )
    if before is not None:
        statement = statement.where(OutboxMessage.not_before < before)
    await session.execute(
        statement.values(
            status=OutboxStatus.CANCELLED, last_error="answered by the official", updated_at=now
        ).execution_options(synchronize_session=False)
    )


async def _tell_coordinators(
    session: AsyncSession, row: OutboxMessage, official_id: int, now: datetime
) -> None:
    name, unit_name, path = (
        await session.execute(
            select(Official.full_name, Unit.name, Unit.path)
            .join(Unit, Official.unit_id == Unit.id)
            .where(Official.id == official_id)
        )
    ).one()
    coverage, admins = await load_coverage(session)
    payload = {
        "about": official_id,
        "official": name,
        "unit": unit_name,
        "reminder": {"kind": row.kind, "payload": row.payload},
    }
    await enqueue(
        session,
        [
            Notice(
                kind=kinds.ESCALATE_DECLINED,
                payload=payload,
                not_before=now,
                official_id=coordinator,
                subject=f"o{official_id}:{row.kind}:{row.subject}",
                milestone=f"decline:{row.id}",
                cycle=row.cycle,
            )
            for coordinator in coordinators_of(coverage, admins, official_id, path)
        ],
    )
