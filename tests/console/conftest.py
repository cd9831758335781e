"""The console's tests share one running service per test module: started in a thread of its
own on a migrated SQLite file with the demo province, an admin (DEMO-0001), a coordinator of
Xã Đại Sơn (DEMO-0002) and one of Xã Sơn Động (DEMO-0030). Tests talk to it over loopback
like a browser would, and read or change the database through their own engine.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from bot.app import build_app
from bot.settings import Settings
from storage import console, migrate
from storage.access import grant
from storage.db import create_engine, session_factory
from storage.demo.load import load_demo
from storage.models import Official, RoleKind, Unit
from storage.types import utcnow

ADMIN, COORDINATOR, OTHER = "DEMO-0001", "DEMO-0002", "DEMO-0030"
HOME, AWAY = "07627", "07615"  # Xã Đại Sơn (the coordinator's), Xã Sơn Động (the other's)


@dataclass(frozen=True)
class Served:
    base_url: str
    database_url: str

    async def link(self, code: str, now: datetime | None = None) -> str:
        """A sign-in link for the official ``code``, issued at ``now``."""
        engine = create_engine(self.database_url)
        try:
            async with session_factory(engine)() as session:
                official = await session.scalar(select(Official).where(Official.code == code))
                assert official is not None
                token = await console.issue_sign_in(session, official, "test", now or utcnow())
                await session.commit()
        finally:
            await engine.dispose()
        return console.sign_in_url(self.base_url, token)


async def _prepare(url: str) -> None:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        await load_demo(session, date.today())
        units = {u.code: u for u in await session.scalars(select(Unit))}
        officials = {o.code: o for o in await session.scalars(select(Official))}
        await grant(session, "test", officials[ADMIN], RoleKind.ADMIN, None)
        await grant(session, "test", officials[COORDINATOR], RoleKind.COORDINATOR, units[HOME])
        await grant(session, "test", officials[OTHER], RoleKind.COORDINATOR, units[AWAY])
        await session.commit()
    await engine.dispose()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('console') / 'canbo.db'}"
    migrate.upgrade(url)
    asyncio.run(_prepare(url))
    settings = Settings(_env_file=None, database_url=url, http_port=0)  # type: ignore[call-arg]
    ready = threading.Event()
    port: list[int] = []
    stop: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    async def run() -> None:
        app = await build_app(settings)
        await app.start()
        stopping = asyncio.Event()
        stop.append((asyncio.get_running_loop(), stopping))
        port.append(app.http.port)
        ready.set()
        try:
            await stopping.wait()
        finally:
            await app.stop()

    thread = threading.Thread(target=asyncio.run, args=(run(),), daemon=True)
    thread.start()
    assert ready.wait(60), "the service did not start"
    yield Served(f"http://127.0.0.1:{port[0]}", url)
    loop, stopping = stop[0]
    loop.call_soon_threadsafe(stopping.set)
    thread.join(30)


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    """A client that keeps cookies like a browser (also for an IP-address host)."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


async def sign_in(served: Served, client: aiohttp.ClientSession, code: str) -> str:
    """Sign ``client`` in as ``code`` through a fresh link; the CSRF token of its session."""
    link = await served.link(code)
    token = link.split("token=", 1)[1]
    origin = {"Origin": served.base_url}
    async with client.post(
        served.base_url + "/console/signin", data={"token": token}, headers=origin
    ) as response:
        assert response.status == 200, await response.text()
        page = await response.text()
    return csrf_in(page)


def csrf_in(page: str) -> str:
    marker = 'name="csrf" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


LATER = timedelta(minutes=16)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
