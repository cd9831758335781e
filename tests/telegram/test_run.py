"""`canbo run`: the service starts, serves HTTP, stops on request, and never logs secrets."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import pytest

from bot import log_masking
from bot.app import serve
from bot.cli import build_parser
from bot.settings import Settings
from tests.telegram.chat import Chat
from tests.telegram.conftest import free_port


async def _get(url: str) -> tuple[int, str]:
    """GET ``url`` as soon as the server listens (it is starting in another task)."""
    async with asyncio.timeout(10), aiohttp.ClientSession() as client:
        while True:
            try:
                async with client.get(url) as response:
                    return response.status, await response.text()
            except aiohttp.ClientConnectorError:
                await asyncio.sleep(0.02)


def test_run_is_a_command():
    args = build_parser(["run"]).parse_args(["run"])
    assert args.command == "run"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_without_a_token_the_service_still_serves_http(database_url, engine):
    port = free_port()
    settings = Settings(_env_file=None, database_url=database_url, http_port=port)  # type: ignore[call-arg]
    stop = asyncio.Event()
    service = asyncio.create_task(serve(settings, stop))

    status, body = await _get(f"http://127.0.0.1:{port}/readyz")
    metrics_status, _metrics = await _get(f"http://127.0.0.1:{port}/metrics")
    stop.set()
    await asyncio.wait_for(service, 5)

    assert (status, metrics_status) == (200, 404)  # metrics only on CANBO_METRICS_PORT
    assert '"database": "ok"' in body
    with pytest.raises(aiohttp.ClientConnectorError):
        async with aiohttp.ClientSession() as client:
            await client.get(f"http://127.0.0.1:{port}/healthz")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_token_never_reaches_the_logs(fake, database_url, engine, caplog):
    caplog.set_level(logging.DEBUG)
    port = free_port()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        http_port=port,
        telegram_token=fake.token,
        telegram_api_url=fake.base_url,
    )
    log_masking.install(settings)
    logging.getLogger("somewhere").warning("calling %s/getMe", fake.base_url + fake.token)
    stop = asyncio.Event()
    service = asyncio.create_task(serve(settings, stop))
    await Chat(fake, 801).say("/help")
    stop.set()
    await asyncio.wait_for(service, 5)

    assert "calling http://127.0.0.1" in caplog.text
    assert fake.token not in caplog.text
    assert fake.token.split(":")[1] not in caplog.text
