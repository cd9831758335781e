"""What the fault tests share: a queue of messages to linked officials, and what the fake Bot
API saw of its delivery (who got what, how many sends it refused, the busiest second)."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import session_factory
from storage.models import OutboxMessage, OutboxStatus
from tests.fakes.telegram_api import FakeTelegram
from tests.scheduler.helpers import queue_linked

UNSETTLED = {OutboxStatus.PENDING, OutboxStatus.CLAIMED}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def queue(engine: AsyncEngine, count: int, first_chat: int, prefix: str = "F") -> list[int]:
    """``count`` urgent messages due now, one to each of ``count`` linked officials (coded
    ``prefix<n>``); their chat ids, in queue order."""
    async with session_factory(engine)() as session:
        await queue_linked(session, count, prefix, first_chat)
    return [first_chat + number for number in range(count)]


async def wait_until_delivered(
    fake: FakeTelegram,
    chats: Sequence[int],
    timeout: float,  # noqa: ASYNC109 (a test helper's bound)
) -> None:
    """Wait until every chat in ``chats`` has received a message."""
    async with asyncio.timeout(timeout):
        for chat in chats:
            await fake.wait_for_messages(chat, 1, timeout=timeout)


def received(fake: FakeTelegram) -> Counter[int]:
    """Messages per chat."""
    return Counter(message.chat_id for message in fake.sent)


def refused(fake: FakeTelegram) -> set[int]:
    """Chats a send to which the fake refused (with a 429 past Telegram's limits, here)."""
    sends = [call for call in fake.calls if call.method == "sendmessage"]
    tried = Counter(int(call.params["chat_id"]) for call in sends)
    return set(tried - received(fake))


def busiest_second(fake: FakeTelegram) -> int:
    """The most messages the fake received within any one second."""
    times = sorted(message.at for message in fake.sent)
    busiest, start = 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


async def statuses(engine: AsyncEngine) -> Counter[OutboxStatus]:
    async with session_factory(engine)() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return Counter({status: count for status, count in rows})


async def wait_until_settled(
    engine: AsyncEngine,
    timeout: float,  # noqa: ASYNC109 (a test helper's bound)
) -> Counter[OutboxStatus]:
    """Wait until no row is queued or claimed any more; the count of each final status."""
    async with asyncio.timeout(timeout):
        while True:
            found = await statuses(engine)
            if not found.keys() & UNSETTLED:
                return found
            await asyncio.sleep(0.2)
