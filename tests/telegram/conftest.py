"""The running service against the fake Telegram Bot API: real PTB client, real HTTP, real DB.

``bot`` is the app in long-polling mode, ``webhook_bot`` in webhook mode on a loopback port;
neither runs the reminder jobs, so the replies are all that reaches a chat.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.channels.telegram import WEBHOOK_PATH
from tests.fakes.service import channel_settings, free_port, running, webhook_mode
from tests.fakes.telegram_api import FakeTelegram

__all__ = ["WEBHOOK_SECRET", "free_port"]  # tests import these from here

WEBHOOK_SECRET = "s3cret-for-tests_only"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """The fake with Telegram's short per-chat bursts allowed, so a quick exchange of several
    questions is not throttled; the global 30/s limit stays."""
    async with FakeTelegram(chat_burst=100) as fake:
        yield fake


@pytest.fixture
async def bot(fake, database_url, engine) -> AsyncIterator[App]:
    """The service in long-polling mode, without its reminder jobs (``engine`` empties the
    tables afterwards)."""
    async with running(channel_settings("telegram", fake, database_url), reminders=False) as app:
        yield app


@pytest.fixture
async def webhook_bot(fake, database_url, engine) -> AsyncIterator[App]:
    webhook = webhook_mode("telegram", WEBHOOK_PATH, WEBHOOK_SECRET)
    settings = channel_settings("telegram", fake, database_url, **webhook)
    async with running(settings, reminders=False) as app:
        yield app
