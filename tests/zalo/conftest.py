"""The running service against the fake Zalo Bot API: our client, real HTTP, real database.

``zalo_bot`` is the app in long-polling mode, ``zalo_webhook_bot`` in webhook mode on a loopback
port (its own address is also its public URL, so picture links can be fetched).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import App, build_app
from bot.channels.zalo import WEBHOOK_PATH
from bot.settings import Settings
from tests.fakes.zalo_api import FakeZalo
from tests.telegram.conftest import free_port

WEBHOOK_SECRET = "zalo-s3cret-for-tests"


def zalo_settings(fake: FakeZalo, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "http_port": 0,
        "zalo_token": fake.token,
        "zalo_api_url": fake.base_url,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def zalo_bot(zalo_api, database_url, engine) -> AsyncIterator[App]:
    """The service polling the fake (``engine`` empties the tables afterwards)."""
    app = await build_app(zalo_settings(zalo_api, database_url))
    await app.start()
    yield app
    await app.stop()


@pytest.fixture
async def zalo_webhook_bot(zalo_api, database_url, engine) -> AsyncIterator[App]:
    port = free_port()
    settings = zalo_settings(
        zalo_api,
        database_url,
        http_port=port,
        zalo_webhook_url=f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        zalo_webhook_secret=WEBHOOK_SECRET,
        public_url=f"http://127.0.0.1:{port}",
    )
    app = await build_app(settings)
    await app.start()
    yield app
    await app.stop()
