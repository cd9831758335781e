"""`canbo outbox dispatch` killed with SIGKILL in the middle of a batch and started again:
every queued message is delivered, none lost, and only the one in flight may come twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from asyncio.subprocess import Process
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.db import create_engine, session_factory
from storage.models import OutboxMessage, OutboxStatus
from tests.fakes.telegram_api import FakeTelegram
from tests.scheduler.helpers import queue_linked

COUNT = 60


async def _queue(url: str) -> AsyncEngine:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        await queue_linked(session, COUNT, "K", 5000)
    return engine


async def _dispatch(url: str, fake: FakeTelegram, *args: str) -> Process:
    env = os.environ | {
        "CANBO_DATABASE_URL": url,
        "CANBO_TELEGRAM_TOKEN": fake.token,
        "CANBO_TELEGRAM_API_URL": fake.base_url,
        "CANBO_QUIET_HOURS": "00:00-00:00",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "outbox",
        "dispatch",
        "--concurrency",
        "1",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.fixture
def url(tmp_path):
    """A database file of its own, which the dispatcher processes open too."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'canbo.db'}"
    migrate.upgrade(url)
    return url


async def test_a_killed_dispatcher_loses_nothing(url):
    engine = await _queue(url)
    async with FakeTelegram() as fake:
        first = await _dispatch(url, fake)
        await fake.wait_for_messages(5000 + COUNT // 4, 1, timeout=30)  # sent in queue order
        first.send_signal(signal.SIGKILL)
        await first.wait()
        delivered_before = len(fake.sent)
        async with session_factory(engine)() as session:
            claimed = await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.CLAIMED)
            )

        second = await _dispatch(url, fake, "--once")
        async with asyncio.timeout(60):
            out, err = await second.communicate()
        assert second.returncode == 0, err.decode()

    assert delivered_before < COUNT and claimed  # it really died in the middle of a batch
    received = Counter(m.chat_id for m in fake.sent)
    assert set(received) == {5000 + n for n in range(COUNT)}
    assert sum(received.values()) - COUNT <= 1
    async with session_factory(engine)() as session:
        statuses = await session.scalars(select(OutboxMessage.status))
        assert set(statuses) == {OutboxStatus.SENT}, out.decode() + err.decode()
    await engine.dispose()
    assert "Đã gửi" in out.decode()
