"""Broadcast throughput: the real dispatcher and Telegram sender, over HTTP on loopback, against
the fake Bot API enforcing Telegram's limits, from a SQLite outbox.

(a) the real 30 messages/s, 1,000 recipients: achieved rate ÷ 30 and the number of 429s;
(b) the limit raised to 1,000/s, 20,000 recipients: achieved ÷ limit and CPU per message.
Baselines in the same run: the configured limit, and a bare aiohttp client's sends per second to
the same fake (the ceiling of this machine). The fake runs in its own process so the CPU time
measured here is the dispatcher's alone. ``--quick``: 300 and 3,000 recipients.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import aiohttp
import common
from sqlalchemy import func, select

from bot.channels.telegram_delivery import TelegramSender
from scheduler.clock import SystemClock
from scheduler.config import ReminderConfig
from scheduler.dispatcher import Dispatcher, DispatchSettings, Outlet
from scheduler.limits import RateLimits
from storage.db import create_engine, session_factory
from storage.models import Channel, DeliveryAttempt, OutboxMessage, OutboxStatus
from tests.fakes.telegram_api import FakeTelegram

CONCURRENCY = DispatchSettings.concurrency  # the bare client's requests in flight
FAST_CONCURRENCY = 16  # in flight for (b): `canbo outbox dispatch --concurrency 16`
TEXT = "Họp giao ban toàn tỉnh lúc 14:00 thứ Hai tại hội trường UBND tỉnh."


# --- the fake, in a process of its own ---------------------------------------------------------


def _serve(connection: Connection, global_rate: float) -> None:
    asyncio.run(_serve_async(connection, global_rate))


async def _serve_async(connection: Connection, global_rate: float) -> None:
    async with FakeTelegram(global_rate=global_rate) as fake:
        connection.send((fake.token, fake.base_url))
        await asyncio.get_running_loop().run_in_executor(None, connection.recv)
        attempts = sum(1 for call in fake.calls if call.method == "sendmessage")
        span = fake.sent[-1].at - fake.sent[0].at if fake.sent else 0.0
        connection.send(
            {
                "chats": [m.chat_id for m in fake.sent],
                "refused": attempts - len(fake.sent),
                "span": span,
            }
        )


class FakeProcess:
    """The fake Bot API in a child process; ``finish()`` stops it and returns what it saw."""

    def __init__(self, global_rate: float) -> None:
        self._here, there = multiprocessing.Pipe()
        self._process = multiprocessing.Process(target=_serve, args=(there, global_rate))
        self._process.start()
        self.token, self.base_url = self._here.recv()

    def finish(self) -> dict[str, Any]:
        self._here.send("stop")
        seen: dict[str, Any] = self._here.recv()
        self._process.join()
        return seen


# --- the scenarios ---------------------------------------------------------------------------


@dataclass
class Outcome:
    recipients: int
    sent: int
    wall: float
    cpu: float
    refused: int  # 429s the fake answered
    retried: int  # 429s the dispatcher recorded
    duplicates: int
    missing: int
    left: int  # rows still queued
    span: float  # seconds from the first message the fake accepted to the last

    @property
    def rate(self) -> float:
        return self.sent / self.wall

    @property
    def steady(self) -> float:
        """The rate between the first and the last message, without start-up."""
        return (self.sent - 1) / self.span if self.span else 0.0


async def _dispatch(
    url: str, token: str, base_url: str, rate: float, concurrency: int
) -> tuple[float, float, int, int]:
    """Drain the queue; wall and CPU seconds, rows left unsent, 429s recorded."""
    engine = create_engine(url)
    clock = SystemClock()
    outlet = Outlet(TelegramSender(token, base_url), RateLimits(clock, global_rate=rate))
    settings = DispatchSettings(concurrency=concurrency)
    dispatcher = Dispatcher(
        engine, {Channel.TELEGRAM: outlet}, ReminderConfig(), clock=clock, settings=settings
    )
    try:
        with common.stopwatch() as took:
            await dispatcher.drain()
    finally:
        await dispatcher.close()
    async with session_factory(engine)() as session:
        left = await session.scalar(
            select(func.count()).where(OutboxMessage.status != OutboxStatus.SENT)
        )
        retried = await session.scalar(
            select(func.count()).where(DeliveryAttempt.outcome == "retry_after")
        )
    await engine.dispose()
    return took[0], took[1], int(left or 0), int(retried or 0)


def broadcast(recipients: int, rate: float, concurrency: int) -> Outcome:
    with common.sqlite_database() as url:
        asyncio.run(common.queue_announcement(url, recipients, TEXT))
        fake = FakeProcess(rate)
        try:
            wall, cpu, left, retried = asyncio.run(
                _dispatch(url, fake.token, fake.base_url, rate, concurrency)
            )
        finally:
            seen = fake.finish()
    counts = Counter(seen["chats"])
    expected = {1_000_000 + n for n in range(1, recipients + 1)}
    return Outcome(
        recipients=recipients,
        sent=len(seen["chats"]),
        wall=wall,
        cpu=cpu,
        refused=seen["refused"],
        retried=retried,
        duplicates=sum(c - 1 for c in counts.values() if c > 1),
        missing=len(expected - counts.keys()),
        left=left,
        span=seen["span"],
    )


async def _bare(token: str, base_url: str, requests: int) -> tuple[float, float]:
    """Plain sendMessage POSTs, ``CONCURRENCY`` at a time, each to a chat of its own."""
    numbers = iter(range(requests))
    url = f"{base_url}{token}/sendMessage"
    async with aiohttp.ClientSession() as client:

        async def worker() -> None:
            for number in numbers:
                data = {"chat_id": str(2_000_000 + number), "text": TEXT}
                async with client.post(url, data=data) as response:
                    response.raise_for_status()
                    await response.read()

        with common.stopwatch() as took:
            await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return took[0], took[1]


def bare_ceiling(requests: int) -> tuple[float, float]:
    """Sends per second and CPU seconds per send of a bare aiohttp client, no limit."""
    fake = FakeProcess(1e9)
    try:
        wall, cpu = asyncio.run(_bare(fake.token, fake.base_url, requests))
    finally:
        fake.finish()
    return requests / wall, cpu / requests


def show(label: str, outcome: Outcome, limit: float) -> None:
    print(
        f"{label}: {outcome.sent}/{outcome.recipients} sent in {outcome.wall:.1f} s → "
        f"{outcome.rate:.1f} msg/s; achieved ÷ limit = {common.ratio(outcome.rate, limit)} "
        f"(first to last message at the fake: {common.ratio(outcome.steady, limit)}); "
        f"CPU {outcome.cpu / max(outcome.sent, 1) * 1000:.2f} ms/message; "
        f"429s answered by the fake: {outcome.refused} (recorded: {outcome.retried}); "
        f"duplicates: {outcome.duplicates}; missing: {outcome.missing}; "
        f"rows not sent: {outcome.left}"
    )


def main() -> None:
    options = common.arguments(__doc__ or "").parse_args()
    small, large = (300, 3000) if options.quick else (1000, 20000)
    print(common.machine())
    ceiling, bare_cpu = bare_ceiling(2000 if options.quick else 5000)
    print(
        f"baseline: bare aiohttp → fake, {CONCURRENCY} in flight: {ceiling:.0f} sends/s, "
        f"CPU {bare_cpu * 1000:.2f} ms/send"
    )
    started = time.perf_counter()
    slow = broadcast(small, 30.0, DispatchSettings.concurrency)
    show(f"(a) limit 30/s, {small} recipients, {CONCURRENCY} in flight", slow, 30.0)
    fast = broadcast(large, 1000.0, FAST_CONCURRENCY)
    show(f"(b) limit 1000/s, {large} recipients, {FAST_CONCURRENCY} in flight", fast, 1000.0)
    print(f"(b) achieved ÷ bare ceiling = {common.ratio(fast.rate, ceiling)}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
