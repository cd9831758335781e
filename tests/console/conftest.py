"""The console's tests share one running service per test module (and backend: SQLite, and
PostgreSQL when reachable): started in a thread of its own on a migrated database with the
demo province, an admin (DEMO-0001), a coordinator of
Xã Sơn Động (DEMO-0002) and one of Xã Tây Yên Tử (DEMO-0015). Tests talk to it over loopback
like a browser would, and read or change the database through their own engine.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import build_app
from bot.console.app import PREFIX, ConsoleConfig, console_app
from bot.http import build_web_app
from bot.proxies import TrustedProxies
from bot.settings import Settings
from rules.profiles import profile_in_force
from storage import console, migrate
from storage.access import grant
from storage.db import create_engine, session_factory
from storage.demo.load import load_demo
from storage.models import Channel, Official, RoleKind, Unit
from storage.types import utcnow
from tests.conftest import PG_ADMIN_URL, _pg_execute, _postgres_reason

ADMIN, COORDINATOR, OTHER = "DEMO-0001", "DEMO-0002", "DEMO-0015"
HOME, AWAY = "07615", "07616"  # Xã Sơn Động (the coordinator's), Xã Tây Yên Tử (the other's)


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


@contextmanager
def serving(url: str) -> Iterator[Served]:
    """The service on a migrated, prepared database at ``url``, in a thread of its own."""
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
    try:
        yield Served(f"http://127.0.0.1:{port[0]}", url)
    finally:
        loop, stopping = stop[0]
        loop.call_soon_threadsafe(stopping.set)
        thread.join(30)


@pytest.fixture(scope="module")
def served_on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving(f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('console') / 'canbo.db'}") as it:
        yield it


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    """The service on SQLite, and on a PostgreSQL database of this module's own when one is
    reachable."""
    if request.param == "sqlite":
        yield request.getfixturevalue("served_on_sqlite")
        return
    reason = _postgres_reason()
    if reason:
        pytest.skip(reason)
    name = f"canbo_console_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute(PG_ADMIN_URL, f'CREATE DATABASE "{name}"'))
    try:
        with serving(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}") as it:
            yield it
    finally:
        asyncio.run(_pg_execute(PG_ADMIN_URL, f'DROP DATABASE "{name}" WITH (FORCE)'))


@asynccontextmanager
async def own_console(
    served: Served,
    proxies: str = "",
    bot_username: str | None = None,
    messengers: frozenset[Channel] = frozenset(),
) -> AsyncIterator[tuple[TestClient[web.Request, web.Application], dict[str, str]]]:
    """The console alone on a server of its own, over ``served``'s database, configured
    otherwise (trusted proxies, the bot's username, the messengers set up); its client and its
    Origin header."""
    engine = create_engine(served.database_url)
    config = ConsoleConfig(
        session_factory(engine),
        profile_in_force,
        ZoneInfo("Asia/Ho_Chi_Minh"),
        "vi",
        TrustedProxies.parse(proxies),
        secure_cookies=False,
        bot_username=bot_username,
        messengers=messengers,
    )
    server = TestServer(build_web_app(subapps={PREFIX: console_app(config)}))
    try:
        async with TestClient(server) as browser:
            yield browser, {"Origin": f"http://{server.host}:{server.port}"}
    finally:
        await engine.dispose()


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
