"""scheduler/chunk_writer.py: the planner's chunks are queued (on PostgreSQL from a connection
of their own); what it inserted is counted and committed, and a failed chunk is not lost."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.chunk_writer import ChunkWriter
from storage.models import Channel, ChatAccount, OutboxMessage
from storage.outbox import Notice

NOW = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)


def notice(chat_id: int, milestone: str, kind: str = "course_start") -> Notice:
    return Notice(
        kind=kind,
        payload={},
        not_before=NOW,
        chat_account_id=chat_id,
        subject="LLCT-01",
        milestone=milestone,
    )


async def queued(session: AsyncSession) -> int:
    count = await session.scalar(select(func.count()).select_from(OutboxMessage))
    await session.commit()
    return count or 0


async def test_each_chunk_is_committed_and_counted_once(session: AsyncSession) -> None:
    chat = ChatAccount(channel=Channel.TELEGRAM, external_id="42")
    session.add(chat)
    await session.commit()

    async with ChunkWriter(session) as writer:
        await writer.write([notice(chat.id, "d14"), notice(chat.id, "d3")])
        await writer.write([notice(chat.id, "d3"), notice(chat.id, "d1", kind="enrol_by")])

    assert writer.queued == {"course_start": 2, "enrol_by": 1}
    assert await queued(session) == 3  # seen from the planner's own connection


async def test_a_failed_chunk_fails_the_run_and_the_earlier_chunks_stay(
    session: AsyncSession,
) -> None:
    chat = ChatAccount(channel=Channel.TELEGRAM, external_id="42")
    session.add(chat)
    await session.commit()

    with pytest.raises(IntegrityError):
        async with ChunkWriter(session) as writer:
            await writer.write([notice(chat.id, "d14")])
            await writer.write([notice(chat.id + 1000, "d14")])  # no such chat

    assert writer.queued == {"course_start": 1}
    assert await queued(session) == 1
