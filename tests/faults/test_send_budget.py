"""One send budget per bot token, across processes (DESIGN.md, "Intake semantics"): `canbo
outbox dispatch` sends an announcement while a `canbo run` worker answers a stream of updates,
both for one bot token, against the strict fake (30 in any second, 1 in any second per chat).
Neither knows the other's sends except through PostgreSQL; the fake answers no 429."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from asyncio.subprocess import Process
from pathlib import Path

import pytest

from storage.models import OutboxStatus
from tests.fakes.telegram_api import FakeTelegram
from tests.faults.support import (
    busiest_second,
    free_port,
    queue,
    received,
    wait_until_delivered,
    wait_until_settled,
)
from tests.scheduler.helpers import AWAKE

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgres"], indirect=True),
]

ANNOUNCED = 150
FIRST_CHAT = 12000
ASKING = 60  # users writing to the bot meanwhile, 30 a second
FIRST_USER = 50000


def _environment(url: str, fake: FakeTelegram, port: int) -> dict[str, str]:
    return os.environ | {
        "CANBO_DATABASE_URL": url,
        "CANBO_HTTP_PORT": str(port),
        "CANBO_TELEGRAM_TOKEN": fake.token,
        "CANBO_TELEGRAM_API_URL": fake.base_url,
        "CANBO_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/webhook",
        "CANBO_TELEGRAM_WEBHOOK_SECRET": "two-processes-secret",
        "CANBO_QUIET_HOURS": AWAKE,
    }


async def _canbo(env: dict[str, str], log: Path, *args: str) -> Process:
    with log.open("wb") as output:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", *args, env=env, stdout=output, stderr=subprocess.STDOUT
        )


async def _stop(process: Process) -> None:
    if process.returncode is None:
        process.terminate()
    try:
        await asyncio.wait_for(process.wait(), 20)
    except TimeoutError:
        process.kill()
        await process.wait()


async def test_replies_and_an_announcement_from_two_processes_draw_no_429(
    engine, database_url, tmp_path
):
    chats = await queue(engine, ANNOUNCED, FIRST_CHAT)
    async with FakeTelegram() as fake:
        env = _environment(database_url, fake, free_port())
        dispatching = await _canbo(env, tmp_path / "dispatch.log", "outbox", "dispatch")
        serving: Process | None = None
        try:
            # the dispatcher holds the bot's dispatch lock first: the worker only replies
            await fake.wait_for_messages(chats[0], 1, timeout=60)
            serving = await _canbo(env, tmp_path / "run.log", "run")
            async with asyncio.timeout(60):
                while fake.webhook is None:  # noqa: ASYNC110 (the fake sets it, no event)
                    await asyncio.sleep(0.1)
            for user in range(FIRST_USER, FIRST_USER + ASKING):
                status, _text = await fake.post_webhook(fake.message("xin chào", user_id=user))
                assert status == 200
                await asyncio.sleep(1 / 30)
            for user in range(FIRST_USER, FIRST_USER + ASKING):
                await fake.wait_for_messages(user, 1, timeout=60)
            await wait_until_delivered(fake, chats, timeout=60)
            settled = await wait_until_settled(engine, timeout=30)
        finally:
            await _stop(dispatching)
            if serving is not None:
                await _stop(serving)
        logs = "\n".join(p.read_text()[-2000:] for p in sorted(tmp_path.glob("*.log")))

    assert settled == {OutboxStatus.SENT: ANNOUNCED}, logs
    assert all(received(fake)[chat] == 1 for chat in chats)
    assert fake.throttled == 0, logs
    assert busiest_second(fake) <= 30
