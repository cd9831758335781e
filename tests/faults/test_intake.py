"""Nothing lost at the door (DESIGN.md, "Intake semantics"): PostgreSQL stopped while updates
arrive and started again, every update is answered exactly once, in webhook mode (Telegram
retries what got a 5xx, as the test does here) and in long polling mode (the offset waits
for the store); and a `canbo run` SIGKILLed with updates stored but unanswered answers each
of them after its restart.

The outage needs a server of the test's own (tests/faults/private_postgres.py). Every update
is "/help" from a chat of its own, so "answered exactly once" is one message in each chat.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.telegram import WEBHOOK_PATH
from storage.db import create_engine, session_factory
from storage.models import ChatAccount, InboxUpdate
from tests.fakes.service import channel_settings, running, webhook_mode
from tests.fakes.telegram_api import FakeTelegram
from tests.faults.private_postgres import PrivateCluster
from tests.faults.support import free_port, received
from tests.scheduler.helpers import AWAKE

pytestmark = pytest.mark.postgres

COUNT = 40
OUTAGE = 1.5  # seconds the server stays down
LEASE = 1.0  # CANBO_INBOX_LEASE: a short one, so what failed is answered again quickly
SECRET = "intake-secret"
SETTLE = 3 * LEASE  # after the last answer, time for a wrong second answer to show


@pytest.fixture
async def engine(cluster: PrivateCluster) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(cluster.url)
    yield engine
    async with engine.begin() as connection:
        await connection.execute(delete(InboxUpdate))
        await connection.execute(delete(ChatAccount))
    await engine.dispose()


def chats(first: int) -> list[int]:
    return list(range(first, first + COUNT))


async def unanswered(engine: AsyncEngine) -> int:
    async with session_factory(engine)() as session:
        query = select(func.count()).where(InboxUpdate.answered_at.is_(None))
        return int(await session.scalar(query) or 0)


async def wait_until_answered(fake: FakeTelegram, chat_ids: list[int], timeout: float) -> None:  # noqa: ASYNC109
    async with asyncio.timeout(timeout):
        for chat in chat_ids:
            await fake.wait_for_messages(chat, 1, timeout=timeout)
    await asyncio.sleep(SETTLE)


async def post_until_accepted(fake: FakeTelegram, update: dict[str, Any]) -> list[int]:
    """POST ``update`` as Telegram does: again, after a pause, until it gets a 2xx; the
    statuses it got."""
    statuses = []
    while True:
        try:
            status, _ = await fake.post_webhook(update)
        except aiohttp.ClientError:
            status = 0  # nobody listening (a worker restarting)
        statuses.append(status)
        if 200 <= status < 300:
            return statuses
        await asyncio.sleep(0.2)


async def outage(cluster: PrivateCluster) -> None:
    await asyncio.to_thread(cluster.stop)
    await asyncio.sleep(OUTAGE)
    await asyncio.to_thread(cluster.start)


async def test_webhook_updates_during_an_outage_are_answered_once(cluster, engine):
    chat_ids = chats(30_000)
    async with FakeTelegram(chat_burst=100) as fake:
        webhook = webhook_mode("telegram", WEBHOOK_PATH, SECRET)
        settings = channel_settings("telegram", fake, cluster.url, inbox_lease=LEASE, **webhook)
        async with running(settings, reminders=False):
            posts = []
            for number, chat in enumerate(chat_ids):
                if number == COUNT // 4:
                    stopping = asyncio.create_task(outage(cluster))
                update = fake.message("/help", user_id=chat)
                posts.append(asyncio.create_task(post_until_accepted(fake, update)))
                await asyncio.sleep(0.05)
            await stopping
            statuses = await asyncio.gather(*posts)
            await wait_until_answered(fake, chat_ids, timeout=60)
            waiting = await unanswered(engine)

    refused = [s for tries in statuses for s in tries if s != 200]
    assert refused and set(refused) == {503}  # the outage was met, and refused
    assert received(fake) == Counter(dict.fromkeys(chat_ids, 1))
    assert waiting == 0


async def test_polled_updates_during_an_outage_are_answered_once(cluster, engine):
    chat_ids = chats(31_000)
    async with FakeTelegram(chat_burst=100) as fake:
        settings = channel_settings("telegram", fake, cluster.url, inbox_lease=LEASE)
        async with running(settings, reminders=False):
            for number, chat in enumerate(chat_ids):
                if number == COUNT // 4:
                    stopping = asyncio.create_task(outage(cluster))
                fake.push_update(fake.message("/help", user_id=chat))
                await asyncio.sleep(0.05)
            await stopping
            await wait_until_answered(fake, chat_ids, timeout=60)
            waiting = await unanswered(engine)

    assert received(fake) == Counter(dict.fromkeys(chat_ids, 1))
    assert waiting == 0


async def start_worker(
    cluster: PrivateCluster, fake: FakeTelegram, log: Path
) -> asyncio.subprocess.Process:
    port = free_port()
    env = os.environ | {
        "CANBO_DATABASE_URL": cluster.url,
        "CANBO_HTTP_PORT": str(port),
        "CANBO_TELEGRAM_TOKEN": fake.token,
        "CANBO_TELEGRAM_API_URL": fake.base_url,
        "CANBO_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        "CANBO_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "CANBO_INBOX_LEASE": str(LEASE),
        "CANBO_QUIET_HOURS": AWAKE,
    }
    fake.webhook = None
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", env=env, stdout=output, stderr=subprocess.STDOUT
        )
    async with asyncio.timeout(60):
        while fake.webhook is None or not fake.webhook.url.startswith(f"http://127.0.0.1:{port}"):
            if process.returncode is not None:
                raise AssertionError(await asyncio.to_thread(log.read_text))
            await asyncio.sleep(0.1)
    return process


async def test_updates_stored_by_a_killed_worker_are_answered_after_its_restart(
    cluster, engine, tmp_path
):
    chat_ids = chats(32_000)
    log = tmp_path / "canbo.log"
    async with FakeTelegram(chat_burst=100) as fake:
        worker = await start_worker(cluster, fake, log)
        try:
            async with engine.connect() as blocker:
                # answers wait on this lock, while storing an update does not
                await blocker.execute(text("LOCK TABLE chat_accounts IN ACCESS EXCLUSIVE MODE"))
                for chat in chat_ids:
                    status, _ = await fake.post_webhook(fake.message("/help", user_id=chat))
                    assert status == 200
                worker.send_signal(signal.SIGKILL)
                await worker.wait()
                await blocker.rollback()
            stored = await unanswered(engine)
            answered_before = len(fake.sent)

            worker = await start_worker(cluster, fake, log)
            await wait_until_answered(fake, chat_ids, timeout=60)
            waiting = await unanswered(engine)
        finally:
            if worker.returncode is None:
                worker.terminate()
                await worker.wait()

    assert (stored, answered_before) == (COUNT, 0), log.read_text()[-3000:]
    assert received(fake) == Counter(dict.fromkeys(chat_ids, 1)), log.read_text()[-3000:]
    assert waiting == 0
