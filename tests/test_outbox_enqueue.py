"""Queueing the same notice twice, in one call or two, leaves one row."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Channel, ChatAccount, OutboxMessage
from storage.outbox import Notice, enqueue

NOW = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)


async def test_duplicate_notices_are_queued_once(session: AsyncSession) -> None:
    chat = ChatAccount(channel=Channel.TELEGRAM, external_id="42")
    session.add(chat)
    await session.flush()
    notice = Notice(
        kind="course_start",
        payload={"course": "LLCT-01"},
        not_before=NOW,
        chat_account_id=chat.id,
        subject="LLCT-01",
        milestone="d14",
        cycle="2026",
    )
    other = Notice(
        kind="course_start",
        payload={},
        not_before=NOW,
        chat_account_id=chat.id,
        subject="LLCT-01",
        milestone="d3",
        cycle="2026",
    )
    assert await enqueue(session, [notice, other]) == 2
    assert await enqueue(session, [notice, other]) == 0
    await session.commit()
    assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
