"""Signing in to the console with a one-time link, its session, CSRF and same-origin checks,
sign-out, the idle timeout, and a role taken away."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
from sqlalchemy import select, update

from storage import console
from storage.db import create_engine, session_factory
from storage.models import AuditEntry, ConsoleSession, Official, Role
from storage.types import utcnow
from tests.console.conftest import (
    ADMIN,
    COORDINATOR,
    LATER,
    Served,
    csrf_in,
    own_console,
    sign_in,
)


async def _post(
    client: aiohttp.ClientSession,
    served: Served,
    path: str,
    data: dict[str, str],
    *,
    origin: bool = True,
) -> tuple[int, str]:
    headers = {"Origin": served.base_url} if origin else {}
    async with client.post(served.base_url + path, data=data, headers=headers) as response:
        return response.status, await response.text()


async def test_a_link_opens_a_session_once_and_the_dashboard_shows_the_figures(served, client):
    link = await served.link(ADMIN)
    async with client.get(link) as response:  # a messenger's preview fetch uses nothing up
        assert 'id="sign-in"' in await response.text()
    token = link.split("token=", 1)[1]
    status, page = await _post(client, served, "/console/signin", {"token": token})
    assert status == 200
    assert "Bắc Ninh" in page and 'id="overall"' in page
    cookie = next(c for c in client.cookie_jar if c.key == "canbo_console")
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/console"

    async with client.get(served.base_url + "/console") as again:
        assert str(again.url).endswith("/console") and again.status == 200

    other = type(client)(cookie_jar=type(client.cookie_jar)(unsafe=True))
    async with other:
        status, page = await _post(other, served, "/console/signin", {"token": token})
    assert status == 400 and "không hợp lệ" in page  # used once already


async def test_an_expired_link_opens_nothing(served, client):
    link = await served.link(ADMIN, now=utcnow() - LATER)
    status, _page = await _post(
        client, served, "/console/signin", {"token": link.split("token=", 1)[1]}
    )
    assert status == 400
    async with client.get(served.base_url + "/console", allow_redirects=False) as response:
        assert response.status == 303
        assert response.headers["Location"] == console.SIGN_IN_PATH


async def test_only_hashes_of_tokens_are_stored(served, client):
    await sign_in(served, client, ADMIN)
    cookie = next(c for c in client.cookie_jar if c.key == "canbo_console").value
    engine = create_engine(served.database_url)
    async with session_factory(engine)() as session:
        hashes = list(await session.scalars(select(ConsoleSession.token_hash)))
    await engine.dispose()
    assert cookie not in hashes and console.token_hash(cookie) in hashes


async def test_forms_need_the_csrf_token_and_the_same_origin(served, client):
    csrf = await sign_in(served, client, ADMIN)
    status, _page = await _post(client, served, "/console/language", {"language": "en"})
    assert status == 403  # no token
    status, _page = await _post(
        client, served, "/console/language", {"language": "en", "csrf": "x" * 40}
    )
    assert status == 403  # a wrong one
    headers = {"Origin": "https://evil.example"}
    async with client.post(
        served.base_url + "/console/language",
        data={"language": "en", "csrf": csrf},
        headers=headers,
    ) as response:
        assert response.status == 403  # another site's page
    status, page = await _post(
        client, served, "/console/language", {"language": "en", "csrf": csrf}
    )
    assert status == 200 and "Sign out" in page


async def test_sign_out_ends_the_session(served, client):
    csrf = await sign_in(served, client, COORDINATOR)
    status, page = await _post(client, served, "/console/signout", {"csrf": csrf})
    assert status == 200 and "Bạn đã đăng xuất" in page
    async with client.get(served.base_url + "/console", allow_redirects=False) as response:
        assert response.status == 303


async def _age_sessions(served, code: str, **values) -> None:
    engine = create_engine(served.database_url)
    async with session_factory(engine)() as session:
        official = await session.scalar(select(Official.id).where(Official.code == code))
        await session.execute(
            update(ConsoleSession)
            .where(ConsoleSession.official_id == official, ConsoleSession.ended_at.is_(None))
            .values(**values)
        )
        await session.commit()
    await engine.dispose()


async def test_an_idle_session_times_out(served, client):
    await sign_in(served, client, COORDINATOR)
    await _age_sessions(served, COORDINATOR, seen_at=utcnow() - console.IDLE - timedelta(1))
    async with client.get(served.base_url + "/console", allow_redirects=False) as response:
        assert response.status == 303


async def test_a_role_taken_away_ends_the_session(served, client):
    await sign_in(served, client, COORDINATOR)
    engine = create_engine(served.database_url)
    async with session_factory(engine)() as session:
        official = await session.scalar(select(Official).where(Official.code == COORDINATOR))
        assert official is not None
        role = await session.scalar(select(Role).where(Role.official_id == official.id))
        assert role is not None
        kind, unit_id = role.kind, role.unit_id
        await session.delete(role)
        await session.commit()
        try:
            async with client.get(served.base_url + "/console", allow_redirects=False) as response:
                assert response.status == 303
        finally:
            session.add(Role(official_id=official.id, kind=kind, unit_id=unit_id))
            await session.commit()
        actions = list(await session.scalars(select(AuditEntry.action)))
    await engine.dispose()
    assert "console.signin" in actions


async def test_the_page_says_what_to_do_without_a_link(served, client):
    async with client.get(served.base_url + "/console") as response:
        page = await response.text()
    assert "/console" in page and "15 phút" in page
    assert csrf_in('name="csrf" value="abc"') == "abc"


async def test_signing_in_again_ends_the_browsers_earlier_session(served, client):
    await sign_in(served, client, ADMIN)
    first = next(c for c in client.cookie_jar if c.key == "canbo_console").value
    await sign_in(served, client, ADMIN)
    engine = create_engine(served.database_url)
    async with session_factory(engine)() as session:
        ended = await session.scalar(
            select(ConsoleSession.ended_at).where(
                ConsoleSession.token_hash == console.token_hash(first)
            )
        )
    await engine.dispose()
    assert ended is not None


async def test_the_client_address_comes_from_a_trusted_proxy_only(served):
    """Behind CANBO_TRUSTED_PROXIES the session keeps the client's address the proxy names;
    from anyone else X-Forwarded-For is ignored."""
    addresses = []
    for trusted in ("127.0.0.1/32", ""):
        async with own_console(served, proxies=trusted) as (browser, origin):
            link = await served.link(ADMIN)
            response = await browser.post(
                "/console/signin",
                data={"token": link.split("token=", 1)[1]},
                headers={"X-Forwarded-For": "203.0.113.9", **origin},
                allow_redirects=False,
            )
            assert response.status == 303
        engine = create_engine(served.database_url)
        async with session_factory(engine)() as session:
            addresses.append(
                await session.scalar(
                    select(ConsoleSession.address).order_by(ConsoleSession.id.desc()).limit(1)
                )
            )
        await engine.dispose()
    assert addresses == ["203.0.113.9", "127.0.0.1"]


async def test_a_page_outside_the_scope_says_so_in_the_visitors_language(served, client):
    await sign_in(served, client, COORDINATOR)
    async with client.get(served.base_url + "/console/officials/999999") as response:
        assert response.status == 404
        assert "nằm ngoài các đơn vị anh/chị phụ trách" in await response.text()


async def test_an_english_session_is_refused_in_english(served, client):
    csrf = await sign_in(served, client, COORDINATOR)
    await _post(client, served, "/console/language", {"csrf": csrf, "language": "en"})
    async with client.get(served.base_url + "/console/officials/999999") as response:
        assert response.status == 404
        assert "outside your units" in await response.text()
