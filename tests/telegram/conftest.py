"""The running service against the fake Telegram Bot API: real PTB client, real HTTP, real DB.

``bot`` is the app in long-polling mode, ``webhook_bot`` in webhook mode on a loopback port.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import App, build_app
from bot.channels.telegram import WEBHOOK_PATH
from bot.settings import Settings
from tests.fakes.telegram_api import FakeTelegram

WEBHOOK_SECRET = "s3cret-for-tests_only"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """The fake with Telegram's short per-chat bursts allowed, so a quick exchange of several
    questions is not throttled; the global 30/s limit stays."""
    async with FakeTelegram(chat_burst=100) as fake:
        yield fake


def _settings(fake: FakeTelegram, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "http_port": 0,
        "telegram_token": fake.token,
        "telegram_api_url": fake.base_url,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def bot(fake, database_url, engine) -> AsyncIterator[App]:
    """The service in long-polling mode (``engine`` empties the tables afterwards)."""
    app = await build_app(_settings(fake, database_url))
    await app.start()
    yield app
    await app.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def webhook_bot(fake, database_url, engine) -> AsyncIterator[App]:
    port = free_port()
    settings = _settings(
        fake,
        database_url,
        http_port=port,
        telegram_webhook_url=f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        telegram_webhook_secret=WEBHOOK_SECRET,
    )
    app = await build_app(settings)
    await app.start()
    yield app
    await app.stop()
