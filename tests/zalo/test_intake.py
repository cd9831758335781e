"""A Zalo message is not lost when its answer fails: it stays in the inbox, unanswered, and is
answered (once) when its lease runs out, in webhook and in long polling mode."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.channels.zalo import WEBHOOK_PATH
from handlers import router
from tests.fakes.service import running, webhook_mode
from tests.fakes.zalo_api import FakeZalo
from tests.zalo.conftest import WEBHOOK_SECRET, zalo_settings

LEASE = 0.5  # seconds: the failed answer is tried again soon


@pytest.fixture
def failing_once(monkeypatch) -> list[int]:
    """The conversation fails on the first message it answers (the database went away
    mid-answer, say); the calls it took, in a list."""
    answer = router.route
    calls: list[int] = []

    async def once(context):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the answer failed")
        return await answer(context)

    monkeypatch.setattr(router, "route", once)
    return calls


@pytest.fixture
async def webhook_bot(zalo_api, database_url, engine) -> AsyncIterator[App]:
    webhook = webhook_mode("zalo", WEBHOOK_PATH, WEBHOOK_SECRET, public=True)
    settings = zalo_settings(zalo_api, database_url, inbox_lease=LEASE, **webhook)
    async with running(settings, reminders=False) as app:
        yield app


@pytest.fixture
async def polling_bot(zalo_api, database_url, engine) -> AsyncIterator[App]:
    settings = zalo_settings(zalo_api, database_url, inbox_lease=LEASE)
    async with running(settings, reminders=False) as app:
        yield app


async def answered_once(zalo_api: FakeZalo, chat: str) -> str:
    (reply,) = await zalo_api.wait_for_messages(chat, 1, timeout=10)
    await asyncio.sleep(3 * LEASE)  # room for a wrong second answer
    assert len(zalo_api.messages_to(chat)) == 1
    return reply.text or ""


async def test_a_webhook_message_whose_answer_failed_is_answered_later(
    webhook_bot, zalo_api, failing_once
):
    event = zalo_api.text("/help", user_id="zu-900")
    status, _ = await zalo_api.post_webhook(event)

    assert status == 200
    assert "/trangthai" in await answered_once(zalo_api, "zu-900")
    assert len(failing_once) == 2
    assert (await zalo_api.post_webhook(event))[0] == 200  # redelivered later: not again
    await asyncio.sleep(3 * LEASE)
    assert len(zalo_api.messages_to("zu-900")) == 1


async def test_a_polled_message_whose_answer_failed_is_answered_later(
    polling_bot, zalo_api, failing_once
):
    zalo_api.push_update(zalo_api.text("/help", user_id="zu-901"))

    assert "/trangthai" in await answered_once(zalo_api, "zu-901")
    assert len(failing_once) == 2
