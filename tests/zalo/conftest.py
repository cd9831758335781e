"""The running service against the fake Zalo Bot API: our client, real HTTP, real database.

``zalo_bot`` is the app in long-polling mode, ``zalo_webhook_bot`` in webhook mode on a loopback
port (its own address is also its public URL, so picture links can be fetched).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import App
from bot.channels.zalo import WEBHOOK_PATH
from bot.settings import Settings
from tests.fakes.service import channel_settings, running, webhook_mode
from tests.fakes.zalo_api import FakeZalo

WEBHOOK_SECRET = "zalo-s3cret-for-tests"


def zalo_settings(fake: FakeZalo, database_url: str, **overrides: Any) -> Settings:
    return channel_settings("zalo", fake, database_url, **overrides)


@pytest.fixture
async def zalo_bot(zalo_api, database_url, engine) -> AsyncIterator[App]:
    """The service polling the fake (``engine`` empties the tables afterwards)."""
    async with running(zalo_settings(zalo_api, database_url), reminders=False) as app:
        yield app


@pytest.fixture
async def zalo_webhook_bot(zalo_api, database_url, engine) -> AsyncIterator[App]:
    webhook = webhook_mode("zalo", WEBHOOK_PATH, WEBHOOK_SECRET, public=True)
    async with running(zalo_settings(zalo_api, database_url, **webhook), reminders=False) as app:
        yield app
