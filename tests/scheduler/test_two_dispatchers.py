"""Two dispatchers on PostgreSQL: no message is sent twice. For one bot account, one sends
while the other stands by and takes over when the first stops; claims themselves never
overlap (FOR UPDATE SKIP LOCKED), even for dispatchers that do not share a lock."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.telegram_delivery import TelegramSender
from scheduler.dispatcher import Dispatcher, DispatchSettings, Outlet
from scheduler.limits import Limits, send_budget
from storage.db import create_engine, session_factory
from storage.models import Base, Channel
from tests.fakes.telegram_api import FakeTelegram
from tests.scheduler.helpers import ALWAYS, queue_linked

pytestmark = pytest.mark.postgres

COUNT = 40
FAST = DispatchSettings(batch_size=5, idle_poll=0.02, standby_poll=0.02)


@pytest.fixture
async def pg(postgres_url):
    engine = create_engine(postgres_url)
    yield engine
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(table.delete())
    await engine.dispose()


async def _queue(engine: AsyncEngine) -> None:
    async with session_factory(engine)() as session:
        await queue_linked(session, COUNT, "P", 7000)


def _dispatcher(engine: AsyncEngine, fake: FakeTelegram) -> Dispatcher:
    sender = TelegramSender(fake.token, fake.base_url)
    limits = send_budget(engine, sender.identity, Limits())  # the bot's, in PostgreSQL
    return Dispatcher(engine, {Channel.TELEGRAM: Outlet(sender, limits)}, ALWAYS, settings=FAST)


async def test_one_sends_the_other_stands_by_then_takes_over(pg):
    await _queue(pg)
    async with FakeTelegram() as fake:
        first, second = _dispatcher(pg, fake), _dispatcher(pg, fake)
        stop_first, stop_second = asyncio.Event(), asyncio.Event()
        running = [
            asyncio.create_task(first.run(stop_first)),
            asyncio.create_task(second.run(stop_second)),
        ]
        await fake.wait_for_messages(7000 + COUNT // 3, 1, timeout=20)
        stop_first.set()
        await running[0]
        await fake.wait_for_messages(7000 + COUNT - 1, 1, timeout=20)
        stop_second.set()
        await running[1]
        for dispatcher in (first, second):
            await dispatcher.close()

    received = Counter(m.chat_id for m in fake.sent)
    assert received == Counter({7000 + n: 1 for n in range(COUNT)})


async def test_concurrent_claims_never_overlap(pg):
    """Two dispatchers for two bot accounts (two locks) drain one outbox at once."""
    await _queue(pg)
    async with (
        FakeTelegram(token="111:first-token") as one,
        FakeTelegram(token="222:second-token") as two,
    ):
        dispatchers = [_dispatcher(pg, one), _dispatcher(pg, two)]
        reports = await asyncio.gather(*(d.drain() for d in dispatchers))
        for dispatcher in dispatchers:
            await dispatcher.close()

    assert [report is not None and report.sent > 0 for report in reports] == [True, True], reports
    received = Counter(m.chat_id for m in [*one.sent, *two.sent])
    assert received == Counter({7000 + n: 1 for n in range(COUNT)})
