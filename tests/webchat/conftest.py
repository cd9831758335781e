"""The service without messenger tokens, serving the web chat on a loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.app import App, build_app
from bot.settings import Settings

HEADERS = {"X-Canbo-Chat": "1"}


@pytest.fixture
async def web_app(database_url, engine) -> AsyncIterator[App]:
    settings = Settings(_env_file=None, database_url=database_url, http_port=0)  # type: ignore[call-arg]
    app = await build_app(settings)
    await app.start()
    yield app
    await app.stop()


@pytest.fixture
def base_url(web_app) -> str:
    return f"http://127.0.0.1:{web_app.http.port}"


@pytest.fixture
async def browser_client() -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP client that keeps cookies like a browser (also for an IP-address host)."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        yield client
