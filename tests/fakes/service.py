"""Running the whole service against a fake messenger, for the channel harnesses."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.app import App, build_app
from bot.settings import Settings
from tests.fakes.server import FakeBotServer
from tests.scheduler.helpers import AWAKE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def channel_settings(
    channel: str, fake: FakeBotServer[Any, Any], database_url: str, **overrides: Any
) -> Settings:
    """Settings from these values alone (no .env) for ``channel`` ("telegram", "zalo") talking
    to ``fake``, serving HTTP and the metrics on any free ports unless told, with no quiet hours
    (what is due goes out whatever the hour the tests run at)."""
    values = {
        "database_url": database_url,
        "http_port": 0,
        "metrics_port": 0,
        "quiet_hours": AWAKE,
        f"{channel}_token": fake.token,
        f"{channel}_api_url": fake.base_url,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def webhook_mode(channel: str, path: str, secret: str, *, public: bool = False) -> dict[str, Any]:
    """Settings values that serve ``channel``'s webhook at ``path`` on a free loopback port;
    with ``public`` that address is also the service's public URL."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    values: dict[str, Any] = {
        "http_port": port,
        f"{channel}_webhook_url": origin + path,
        f"{channel}_webhook_secret": secret,
    }
    if public:
        values["public_url"] = origin
    return values


def without_reminders(app: App) -> None:
    """Leave out the reminder jobs: no planning and no dispatching but what a test runs, so a
    conversation's replies are all that reaches the chat whatever the date."""
    app.services = [service for service in app.services if service.name != "reminders"]


@asynccontextmanager
async def running(settings: Settings, *, reminders: bool = True) -> AsyncIterator[App]:
    """The service started with ``settings``, stopped on leaving; without ``reminders`` it
    neither plans nor dispatches, so nothing writes to the database but what the test sends."""
    app = await build_app(settings)
    if not reminders:
        without_reminders(app)
    await app.start()
    try:
        yield app
    finally:
        await app.stop()
