"""The Bot API failing one request in five, with a 500 or with no answer at all: the dispatcher
retries each message until it goes through, and every official gets it exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import select

from bot.channels.telegram_delivery import TelegramSender
from scheduler.clock import SystemClock
from scheduler.dispatcher import Dispatcher, DispatchSettings, Outlet
from scheduler.limits import Limits, send_budget
from storage.models import Channel, DeliveryAttempt, OutboxMessage, OutboxStatus
from tests.fakes.telegram_api import FakeTelegram
from tests.scheduler.helpers import ALWAYS, queue_linked

COUNT = 40
FIRST_CHAT = 7000
QUICK_RETRIES = DispatchSettings(backoff_base=0.05, backoff_cap=0.2, max_attempts=30)


async def _deliver_everything(engine, fake: FakeTelegram) -> None:
    clock = SystemClock()
    sender = TelegramSender(fake.token, fake.base_url, timeout=0.3)
    outlet = Outlet(sender, send_budget(None, "test", Limits(per_second=200), clock))
    dispatcher = Dispatcher(
        engine, {Channel.TELEGRAM: outlet}, ALWAYS, settings=QUICK_RETRIES, clock=clock
    )
    try:
        async with asyncio.timeout(60):
            while len(fake.sent) < COUNT:
                await dispatcher.drain()
                await asyncio.sleep(0.1)  # the retries' backoff
            await dispatcher.drain()  # nothing left: the last outcomes are on record
    finally:
        await dispatcher.close()


async def test_one_request_in_five_failing_loses_nothing(session, engine):
    await queue_linked(session, COUNT, "F", FIRST_CHAT)
    async with FakeTelegram(
        failure_rate=0.1, hang_rate=0.1, hang_seconds=1.0, seed=5, global_rate=200
    ) as fake:
        await _deliver_everything(engine, fake)

    received = Counter(message.chat_id for message in fake.sent)
    assert received == Counter({FIRST_CHAT + n: 1 for n in range(COUNT)})
    session.expire_all()
    assert set(await session.scalars(select(OutboxMessage.status))) == {OutboxStatus.SENT}
    outcomes = Counter(await session.scalars(select(DeliveryAttempt.outcome)))
    assert outcomes["sent"] == COUNT
    assert outcomes["transient"] >= COUNT // 10  # the failures really happened, and were retried
