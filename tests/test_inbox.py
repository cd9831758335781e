"""storage.inbox: an update is stored once, claimed once (only by the transaction that commits
its answer), taken again when its lease runs out unanswered, and forgotten after a week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import inbox
from storage.db import session_factory
from storage.models import Channel, InboxUpdate

NOW = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
LEASE = timedelta(seconds=60)
BOTH = (Channel.TELEGRAM, Channel.ZALO)


async def store(
    engine: AsyncEngine,
    channel: Channel,
    update_id: str | int,
    payload: dict[str, Any] | None = None,
    at: datetime = NOW,
) -> bool:
    async with engine.begin() as connection:
        return await inbox.store(connection, channel, update_id, payload or {}, at, LEASE)


async def test_an_update_is_stored_once_per_channel(engine, session):
    assert await store(engine, Channel.TELEGRAM, 42, {"update_id": 42})
    assert not await store(engine, Channel.TELEGRAM, "42")
    assert await store(engine, Channel.ZALO, 42)

    stored = await session.scalar(
        select(InboxUpdate).where(InboxUpdate.channel == Channel.TELEGRAM)
    )
    assert stored is not None and stored.payload == {"update_id": 42}
    assert stored.answered_at is None


async def test_an_update_is_claimed_once_stored_or_not(engine, session):
    await store(engine, Channel.TELEGRAM, 7, {"contact": "0912345678"})

    assert await inbox.claim(session, Channel.TELEGRAM, 7, NOW)
    assert not await inbox.claim(session, Channel.TELEGRAM, 7, NOW)
    await session.commit()
    answered = await session.scalar(select(InboxUpdate).where(InboxUpdate.update_id == "7"))
    assert answered is not None and answered.payload == {}  # the phone number it held is gone
    assert await inbox.claim(session, Channel.TELEGRAM, 8, NOW)  # never stored
    await session.commit()
    assert not await inbox.claim(session, Channel.TELEGRAM, "8", NOW)


async def test_a_claim_rolled_back_with_its_answer_leaves_the_update_waiting(engine):
    sessions = session_factory(engine)
    await store(engine, Channel.ZALO, "m1", {"x": 1})
    async with sessions() as session:
        assert await inbox.claim(session, Channel.ZALO, "m1", NOW)
        await session.rollback()  # the answer failed

    async with sessions() as session:
        assert await inbox.take_waiting(session, BOTH, NOW, LEASE) == []  # still leased
        taken = await inbox.take_waiting(session, BOTH, NOW + LEASE, LEASE)
        await session.commit()
    assert taken == [inbox.Waiting(Channel.ZALO, "m1", {"x": 1})]
    async with sessions() as session:
        assert await inbox.take_waiting(session, BOTH, NOW + LEASE, LEASE) == []  # leased again
        assert await inbox.claim(session, Channel.ZALO, "m1", NOW + LEASE)
        await session.commit()
        assert await inbox.take_waiting(session, BOTH, NOW + 3 * LEASE, LEASE) == []  # answered


async def test_an_update_that_fails_every_time_is_left_alone(engine, session):
    await store(engine, Channel.TELEGRAM, 9)
    takings = 0
    for n in range(1, 10):
        takings += len(await inbox.take_waiting(session, BOTH, NOW + n * LEASE, LEASE))
        await session.commit()
    assert takings == inbox.MAX_ATTEMPTS - 1  # the first attempt was its worker's


async def test_a_worker_takes_only_the_channels_it_runs(engine, session):
    await store(engine, Channel.ZALO, "z1")

    assert await inbox.take_waiting(session, [Channel.TELEGRAM], NOW + LEASE, LEASE) == []
    taken = await inbox.take_waiting(session, [Channel.ZALO], NOW + LEASE, LEASE)
    assert [update.update_id for update in taken] == ["z1"]


async def test_updates_older_than_the_window_are_forgotten(engine, session):
    for days_ago, update_id in ((8, 1), (7, 2), (1, 3)):
        await store(engine, Channel.TELEGRAM, update_id, at=NOW - timedelta(days=days_ago))

    assert await inbox.prune(session, NOW, days=7) == 1
    await session.commit()

    kept = await session.scalars(select(InboxUpdate.update_id).order_by(InboxUpdate.id))
    assert list(kept) == ["2", "3"]
