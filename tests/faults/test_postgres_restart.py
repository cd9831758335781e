"""PostgreSQL restarted while the dispatcher is half-way through a queue: once the server is
back, the dispatcher carries on by itself; every message arrives, and only the messages that
were in flight when the server went away may arrive twice.

The restart needs a server of the test's own (tests/faults/private_postgres.py). The
dispatcher runs in-process, the same ``Dispatcher.run`` loop as `canbo outbox dispatch`, with a
short ``standby_poll`` (CANBO_DISPATCH_STANDBY_POLL) so it retries quickly.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass

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
LONG_OUTAGE = 3.0  # long enough for a dozen retries of every kind
SETTINGS = DispatchSettings(idle_poll=0.1, standby_poll=0.2)


@pytest.fixture
async def engine(cluster: PrivateCluster) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(cluster.url)
    yield engine
    await engine.dispose()


@dataclass
class Restart:
    fake: FakeTelegram
    sent_before: int  # messages the fake had when the server stopped
    settled: Counter[OutboxStatus]  # the outbox once every message went
    while_down: list[logging.LogRecord]


async def _restart_mid_queue(
    cluster: PrivateCluster, engine: AsyncEngine, chats: list[int], outage: float, caplog
) -> Restart:
    """Dispatch to ``chats`` (queued in that order); a quarter of the way, stop the server for
    ``outage`` seconds; wait until every chat has its message and the outbox is settled."""
    async with FakeTelegram() as fake:
        sender = TelegramSender(fake.token, fake.base_url)
        budget = send_budget(None, "test", Limits(), SystemClock())
        outlet = Outlet(sender, budget)
        dispatcher = Dispatcher(engine, {Channel.TELEGRAM: outlet}, ALWAYS, settings=SETTINGS)
        stop = asyncio.Event()
        running = asyncio.create_task(dispatcher.run(stop))
        try:
            await fake.wait_for_messages(chats[len(chats) // 4], 1, timeout=30)
            logged = len(caplog.records)
            await asyncio.to_thread(cluster.stop)
            sent_before = len(fake.sent)
            await asyncio.sleep(outage)
            while_down = caplog.records[logged:]
            await asyncio.to_thread(cluster.start)
            await wait_until_delivered(fake, chats, timeout=60)
            settled = await wait_until_settled(engine, timeout=60)
        finally:
            stop.set()
            await running
            await dispatcher.close()
            await budget.close()
    return Restart(fake, sent_before, settled, while_down)


async def test_a_restart_mid_queue_loses_nothing(cluster, engine, caplog):
    chats = await queue(engine, COUNT, FIRST_CHAT)
    restart = await _restart_mid_queue(cluster, engine, chats, OUTAGE, caplog)

    assert restart.sent_before < COUNT  # the server really went away mid-queue
    assert set(restart.settled) == {OutboxStatus.SENT}  # with other tests' rows, on this cluster
    counts = received(restart.fake)
    assert set(counts) == set(chats)
    repeated = {chat: n for chat, n in counts.items() if n > 1}
    assert max(counts.values()) <= 2, repeated
    assert len(repeated) <= SETTINGS.concurrency, repeated
    assert not refused(restart.fake)


async def test_an_outage_is_one_line_and_every_message_goes_exactly_once(cluster, engine, caplog):
    """While the server is down: no traceback, no "exception was never retrieved", one line
    saying the database is unreachable; the sends in flight are recorded once it is back, so
    each recipient of the urgent queue (as an announcement is queued) gets exactly one message.
    """
    caplog.set_level(logging.INFO)
    chats = await queue(engine, COUNT, FIRST_CHAT + COUNT, prefix="O")
    restart = await _restart_mid_queue(cluster, engine, chats, LONG_OUTAGE, caplog)
    gc.collect()  # an unretrieved task exception is reported when the task is collected

    assert set(restart.settled) == {OutboxStatus.SENT}
    assert received(restart.fake) == dict.fromkeys(chats, 1)
    assert not refused(restart.fake)
    traced = [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert traced == []
    unreachable = [r.getMessage() for r in restart.while_down if "unreachable" in r.getMessage()]
    assert 1 <= len(unreachable) <= 2, unreachable  # the dispatcher's, the ledger's
    assert any("reachable again" in r.getMessage() for r in caplog.records)
