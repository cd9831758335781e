"""PostgreSQL restarted while the dispatcher is half-way through a queue: once the server is
back, the dispatcher carries on by itself; every message arrives, and only the messages that
were in flight when the server went away may arrive twice.

The restart needs a server of the test's own (tests/faults/private_postgres.py). The
dispatcher runs in-process, the same ``Dispatcher.run`` loop as `canbo outbox dispatch`, with a
short ``standby_poll`` (CANBO_DISPATCH_STANDBY_POLL) so it retries quickly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.telegram_delivery import TelegramSender
from scheduler.clock import SystemClock
from scheduler.dispatcher import Dispatcher, DispatchSettings, Outlet
from scheduler.limits import Limits, send_budget
from storage.db import create_engine
from storage.models import Channel, OutboxStatus
from tests.fakes.telegram_api import FakeTelegram
from tests.faults.private_postgres import PrivateCluster
from tests.faults.support import (
    queue,
    received,
    refused,
    wait_until_delivered,
    wait_until_settled,
)
from tests.scheduler.helpers import ALWAYS

pytestmark = pytest.mark.postgres

COUNT = 80
FIRST_CHAT = 9000
OUTAGE = 1.0  # seconds the server stays down
SETTINGS = DispatchSettings(idle_poll=0.1, standby_poll=0.2)


@pytest.fixture
async def engine(cluster: PrivateCluster) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(cluster.url)
    yield engine
    await engine.dispose()


async def test_a_restart_mid_queue_loses_nothing(cluster, engine):
    chats = await queue(engine, COUNT, FIRST_CHAT)
    async with FakeTelegram() as fake:
        sender = TelegramSender(fake.token, fake.base_url)
        outlet = Outlet(sender, send_budget(None, "test", Limits(), SystemClock()))
        dispatcher = Dispatcher(engine, {Channel.TELEGRAM: outlet}, ALWAYS, settings=SETTINGS)
        stop = asyncio.Event()
        running = asyncio.create_task(dispatcher.run(stop))
        try:
            await fake.wait_for_messages(chats[COUNT // 4], 1, timeout=30)  # sent in queue order
            await asyncio.to_thread(cluster.stop)
            sent_before_restart = len(fake.sent)
            await asyncio.sleep(OUTAGE)
            await asyncio.to_thread(cluster.start)
            await wait_until_delivered(fake, chats, timeout=60)
            settled = await wait_until_settled(engine, timeout=60)
        finally:
            stop.set()
            await running
            await dispatcher.close()

    assert sent_before_restart < COUNT  # the server really went away mid-queue
    assert settled == {OutboxStatus.SENT: COUNT}
    counts = received(fake)
    assert set(counts) == set(chats)
    repeated = {chat: n for chat, n in counts.items() if n > 1}
    assert max(counts.values()) <= 2, repeated
    assert len(repeated) <= SETTINGS.concurrency, repeated
    assert not refused(fake)
