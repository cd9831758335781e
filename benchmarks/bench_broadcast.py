"""Broadcast throughput end to end: `canbo outbox dispatch --once` as an operator runs it
(start-up, migrations check and all, in a process of its own), over HTTP on loopback, against
the strict fake Bot API (at most the limit in ANY one-second window, 1 per chat), from a
SQLite outbox.

(a) the real 30 messages/s, 1,000 recipients: achieved rate (sent ÷ the command's wall time)
÷ 30, and the number of 429s; (b) the paid tier, 1,000/s, 20,000 recipients, 16 in flight:
achieved ÷ limit and the command's CPU per message. Baselines in the same run: the configured
limit, and a bare aiohttp client's sends per second to the same fake (the ceiling of this
machine). The fake runs in its own process, so the CPU measured is the command's alone.
``--quick``: 600 and 5,000 recipients.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import aiohttp
import common
from sqlalchemy import func, select

from scheduler.dispatcher import DispatchSettings
from storage.db import create_engine, session_factory
from storage.models import DeliveryAttempt, OutboxMessage, OutboxStatus
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
        span = fake.sent[-1].at - fake.sent[0].at if fake.sent else 0.0
        connection.send(
            {
                "chats": [m.chat_id for m in fake.sent],
                "refused": fake.throttled,
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


def _dispatch(url: str, token: str, base_url: str, rate: float, concurrency: int) -> Dispatched:
    """`canbo outbox dispatch --once` in a process of its own, start-up included: wall and CPU
    seconds (the child's), rows left unsent, 429s recorded."""
    env = os.environ | {
        "CANBO_DATABASE_URL": url,
        "CANBO_TELEGRAM_TOKEN": token,
        "CANBO_TELEGRAM_API_URL": base_url,
        "CANBO_TELEGRAM_RATE": str(rate),
        "CANBO_QUIET_HOURS": "00:00-00:00",
    }
    command = [sys.executable, "-m", "bot.cli", "outbox", "dispatch", "--once"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [*command, "--concurrency", str(concurrency)],
        env=env,
        check=True,
        cwd=common.ROOT,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    left, retried = asyncio.run(_left(url))
    return Dispatched(wall, cpu, left, retried)


@dataclass
class Dispatched:
    wall: float
    cpu: float
    left: int
    retried: int


async def _left(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        left = await session.scalar(
            select(func.count()).where(OutboxMessage.status != OutboxStatus.SENT)
        )
        retried = await session.scalar(
            select(func.count()).where(DeliveryAttempt.outcome == "retry_after")
        )
    await engine.dispose()
    return int(left or 0), int(retried or 0)


def broadcast(recipients: int, rate: float, concurrency: int) -> Outcome:
    with common.sqlite_database() as url:
        asyncio.run(common.queue_announcement(url, recipients, TEXT))
        fake = FakeProcess(rate)
        try:
            done = _dispatch(url, fake.token, fake.base_url, rate, concurrency)
        finally:
            seen = fake.finish()
    counts = Counter(seen["chats"])
    expected = {1_000_000 + n for n in range(1, recipients + 1)}
    return Outcome(
        recipients=recipients,
        sent=len(seen["chats"]),
        wall=done.wall,
        cpu=done.cpu,
        refused=seen["refused"],
        retried=done.retried,
        duplicates=sum(c - 1 for c in counts.values() if c > 1),
        missing=len(expected - counts.keys()),
        left=done.left,
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
    small, large = (600, 5000) if options.quick else (1000, 20000)
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
