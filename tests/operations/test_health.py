"""/healthz answers while the process lives; /readyz says whether this worker can serve
(database, migrations at head, channels started) and which worker is sending."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import pytest

from bot.health import Readiness, health_routes
from bot.http import HttpServer, build_web_app
from storage import migrate
from storage.db import create_engine
from tests.fakes.service import channel_settings, running
from tests.fakes.telegram_api import FakeTelegram


async def _get(url: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        return response.status, await response.json()


async def _probe(readiness: Readiness) -> tuple[tuple[int, Any], tuple[int, Any]]:
    """(/healthz, /readyz) of a server with these health routes."""
    server = HttpServer(build_web_app(health_routes(readiness)), "127.0.0.1", 0)
    await server.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        return await _get(f"{base}/healthz"), await _get(f"{base}/readyz")
    finally:
        await server.stop()


async def test_a_running_worker_is_ready_and_names_the_sender(database_url, engine):
    async with (
        FakeTelegram() as fake,
        running(channel_settings("telegram", fake, database_url)) as app,
    ):
        assert app.readiness is not None
        worker = app.readiness.worker
        url = f"http://127.0.0.1:{app.http.port}/readyz"
        for _ in range(400):  # the dispatcher takes its lock once it has started
            found = await _get(url)
            if found[1].get("dispatcher", {}).get("holder") is not None:
                break
            await asyncio.sleep(0.05)

    status, body = found
    assert status == 200
    assert body["status"] == "ready"
    assert body["database"] == "ok"
    assert body["migrations"]["at_head"] is True
    assert body["channels"] == {"telegram": "started"}
    assert body["dispatcher"] == {"holder": worker, "this_worker": True}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_migrations_behind_or_a_channel_down_is_not_ready(tmp_path, engine, caplog):
    behind_url = f"sqlite+aiosqlite:///{tmp_path / 'behind.db'}"
    await asyncio.to_thread(migrate.upgrade, behind_url, "0004")
    caplog.clear()
    caplog.set_level(logging.INFO)
    behind = create_engine(behind_url)
    try:
        (_health, (status, body)) = await _probe(Readiness(behind, dict))
    finally:
        await behind.dispose()
    assert status == 503
    assert body["migrations"]["current"] == ["0004"]
    assert body["migrations"]["at_head"] is False
    assert [r.message for r in caplog.records if r.name.startswith("alembic")] == []  # quiet

    (_health, (status, body)) = await _probe(Readiness(engine, lambda: {"telegram": False}))
    assert (status, body["channels"]) == (503, {"telegram": "stopped"})


async def test_without_a_database_the_worker_lives_but_is_not_ready(tmp_path):
    gone = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    try:
        (health, ready) = await _probe(Readiness(gone, dict))
    finally:
        await gone.dispose()
    assert health == (200, {"status": "ok"})
    assert ready == (503, {"status": "not ready", "database": "unreachable"})
