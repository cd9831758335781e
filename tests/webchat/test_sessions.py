"""The web chat's sessions as a deployment behind an https reverse proxy sees them: a new
session id whenever the chat links or unlinks; a Secure cookie when the public URL is https;
opening sessions never refused; wrong link codes limited per visitor address (taken from
X-Forwarded-For through trusted proxies only), counted in the database, so every worker and a
restarted one agree."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie
from typing import Any

import aiohttp
from sqlalchemy import func, select
from yarl import URL

from bot.app import build_app
from bot.settings import Settings
from bot.webchat.session import COOKIE
from storage.models import LinkFailure
from tests.telegram.records import make_record, new_code
from tests.webchat.conftest import HEADERS

WRONG = "K7QX-9PMA"  # the shape of a code, but not one that was issued
NETWORK_REFUSAL = "Mạng của anh/chị đã nhập sai mã quá nhiều lần."
CHAT_REFUSAL = "Cuộc trò chuyện này đã nhập sai mã quá nhiều lần."


@asynccontextmanager
async def worker(database_url: str, **settings: Any) -> AsyncIterator[str]:
    """One `canbo run` worker serving the web chat; its base URL."""
    app = await build_app(
        Settings(_env_file=None, database_url=database_url, http_port=0, **settings)  # type: ignore[call-arg]
    )
    await app.start()
    try:
        yield f"http://127.0.0.1:{app.http.port}"
    finally:
        await app.stop()


class Browser:
    """One browser: its own cookie jar, and the address the proxy says it has, if any."""

    def __init__(self, forwarded_for: str | None = None) -> None:
        self.client = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        self.cookies: list[str] = []  # every Set-Cookie it was sent

    async def open(self, base_url: str) -> dict[str, Any]:
        async with self.client.get(f"{base_url}/chat/api/session", headers=self.headers) as r:
            assert r.status == 200
            self._keep(r)
            return dict(await r.json())

    async def say(self, base_url: str, text: str) -> str:
        async with self.client.post(
            f"{base_url}/chat/api/message",
            json={"text": text},
            headers={**HEADERS, **self.headers},
        ) as r:
            assert r.status == 200, await r.text()
            self._keep(r)
            return str((await r.json())["replies"][0]["text"])

    def session_id(self) -> str:
        """The session id in the cookie it holds now."""
        value = self.client.cookie_jar.filter_cookies(_URL)[COOKIE].value
        return value.split(".")[0]

    def _keep(self, response: aiohttp.ClientResponse) -> None:
        self.cookies += response.headers.getall("Set-Cookie", [])

    async def close(self) -> None:
        await self.client.close()


_URL = URL("http://127.0.0.1/")


async def test_the_session_id_changes_when_the_chat_links_and_when_it_unlinks(
    database_url, engine, session
):
    record = await make_record(session)
    browser, planted = Browser(), Browser()
    async with worker(database_url) as url:
        try:
            await browser.open(url)
            before = browser.session_id()
            # someone who knows that id (planted it, or saw it) opens the same session
            planted.client.cookie_jar.update_cookies(
                {COOKIE: browser.client.cookie_jar.filter_cookies(_URL)[COOKIE].value}
            )
            assert (await browser.say(url, await new_code(session, record.official))).startswith(
                "Liên kết thành công"
            )
            linked = browser.session_id()
            assert (await planted.open(url))["linked"] is False  # the old id opens nothing
            assert (await browser.open(url))["linked"] is True

            await browser.say(url, "/huylienket")
            unlinked = browser.session_id()
        finally:
            await browser.close()
            await planted.close()

    assert len({before, linked, unlinked}) == 3


async def test_the_cookie_is_secure_whenever_the_public_url_is_https(database_url, engine):
    browser = Browser()
    async with worker(database_url, public_url="https://canbo.example.gov.vn") as url:
        try:
            await browser.open(url)  # plain http on loopback, https to the public
        finally:
            await browser.close()

    cookie = SimpleCookie(browser.cookies[0])[COOKIE]
    assert cookie["secure"] is True and cookie["httponly"] is True


async def test_opening_sessions_is_never_refused(database_url, engine):
    async with worker(database_url) as url:
        for _ in range(40):  # the old cap was 30 an hour for the whole site behind a proxy
            browser = Browser()
            try:
                assert (await browser.open(url))["linked"] is False
            finally:
                await browser.close()


async def test_wrong_codes_are_limited_per_visitor_across_sessions_workers_and_restarts(
    database_url, engine, session
):
    record = await make_record(session)
    behind_proxy = {"trusted_proxies": "127.0.0.1/32"}
    async with (
        worker(database_url, **behind_proxy) as first,
        worker(database_url, **behind_proxy) as second,
    ):
        for attempt in range(30):  # six sessions, five wrong codes each, on two workers
            if attempt % 5 == 0:
                browser = Browser("203.0.113.7")
                await browser.open(first)
            url = first if attempt % 2 else second
            assert (await browser.say(url, WRONG)).startswith("Mã này không hợp lệ")
            if attempt % 5 == 4:
                await browser.close()
    assert await session.scalar(select(func.count()).select_from(LinkFailure)) == 30

    good_code = await new_code(session, record.official)
    async with worker(database_url, **behind_proxy) as restarted:
        same, other = Browser("203.0.113.7"), Browser("198.51.100.9")
        try:
            await same.open(restarted)
            assert (await same.say(restarted, good_code)).startswith(NETWORK_REFUSAL)
            await other.open(restarted)
            assert (await other.say(restarted, good_code)).startswith("Liên kết thành công")
        finally:
            await same.close()
            await other.close()


async def test_x_forwarded_for_counts_only_through_a_trusted_proxy(database_url, engine):
    async with worker(database_url) as url:  # no trusted proxies: the header is ignored
        for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
            browser = Browser(forged)  # a new address claimed each time, from one machine
            try:
                await browser.open(url)
                for _ in range(5):
                    await browser.say(url, WRONG)
                assert (await browser.say(url, WRONG)).startswith(CHAT_REFUSAL)
            finally:
                await browser.close()

    async with engine.connect() as connection:
        clients = set(await connection.scalars(select(LinkFailure.client)))
    assert clients == {"127.0.0.1"}
