"""A coordinator of one commune sees and changes nothing of another: every console route
(whatever page modules ``bot.console.app`` lists, so new pages are crawled too) is visited with
the other commune's ids, by GET and by a genuine form POST (with the CSRF token), and answers
404 or shows none of that commune's officials; the database is the same afterwards."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select, text

from bot.console.app import PREFIX, pages
from bot.console.tables import XLSX
from storage.db import create_engine, session_factory
from storage.importers.report import ImportReport
from storage.models import ConsoleSession, Official, Role, RosterUpload, Unit
from storage.types import utcnow
from tests.console.conftest import AWAY, COORDINATOR, HOME, OTHER, sign_in
from tests.console.waiting import waiting_in

# What the other commune's ids are, by the name of a route's path parameter. A new route with
# another parameter must add it here (the test says so).
TABLES = (
    "officials",
    "official_titles",
    "roles",
    "roster_uploads",
    "units",
    "enrollments",
    "evidence",
    "broadcasts",
    "outbox",
)


async def _ids(served) -> dict[str, Any]:
    engine = create_engine(served.database_url)
    async with session_factory(engine)() as session:
        away = await session.scalar(select(Unit).where(Unit.code == AWAY))
        home = await session.scalar(select(Unit).where(Unit.code == HOME))
        assert away is not None and home is not None
        officials = list(await session.scalars(select(Official).where(Official.unit_id == away.id)))
        other = next(o for o in officials if o.code == OTHER)
        role = await session.scalar(select(Role).where(Role.official_id == other.id))
        assert role is not None
        session.add(
            RosterUpload(
                chat_account_id=None,
                official_id=other.id,
                filename=f"{other.full_name}.xlsx",  # seen, if their check were shown
                content=b"x",
                created_at=utcnow(),
                report=ImportReport("officials", f"{other.full_name}.xlsx", True).to_json(),
            )
        )
        await session.flush()
        upload = await session.scalar(
            select(RosterUpload.id).where(RosterUpload.official_id == other.id)
        )
        waiting = await waiting_in(session, officials[0], away)
        await session.commit()
    await engine.dispose()
    return {
        "unit": away.id,
        "home": home.id,
        "official": officials[0].id,
        "names": [o.full_name for o in officials],
        "codes": [o.code for o in officials],
        "role": role.id,
        "upload": upload,
        "registration": waiting.registration,
        "evidence": waiting.evidence,
        "broadcast": waiting.broadcast,
    }


async def _snapshot(served, away: int, other_session: int) -> dict[str, object]:
    """Everything the crawl could change: the tables above, the link codes of the other
    commune, and whether the other coordinator's session is still open."""
    engine = create_engine(served.database_url)
    async with engine.connect() as connection:
        found: dict[str, object] = {
            table: [tuple(row) for row in await connection.execute(text(f"SELECT * FROM {table}"))]
            for table in TABLES
        }
        found["their codes"] = list(
            await connection.execute(
                text(
                    "SELECT * FROM link_codes WHERE official_id IN "
                    "(SELECT id FROM officials WHERE unit_id = :unit)"
                ),
                {"unit": away},
            )
        )
        found["their session"] = list(
            await connection.execute(
                text("SELECT ended_at FROM console_sessions WHERE id = :id"),
                {"id": other_session},
            )
        )
    await engine.dispose()
    return found


def _routes() -> list[tuple[str, str]]:
    """Every console route but signing in; signing out last, as it ends the crawl's session."""
    routes = [
        (route.method, route.path)
        for module in pages()
        for route in module.ROUTES
        if route.path != "/signin"
    ]
    return sorted(routes, key=lambda route: route[1] == "/signout")


def _filled(path: str, ids: dict[str, Any]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in ids, f"the scope crawler needs an id of another scope for {{{name}}}"
        return str(ids[name])

    return PREFIX + re.sub(r"\{(\w+)\}", one, path)


@pytest.fixture
async def other_session(served, client):
    """The other coordinator's session, which ours must not be able to end."""
    from aiohttp import ClientSession, CookieJar

    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as theirs:
        await sign_in(served, theirs, OTHER)
    engine = create_engine(served.database_url)
    async with session_factory(engine)() as session:
        found = await session.scalar(
            select(ConsoleSession.id).order_by(ConsoleSession.id.desc()).limit(1)
        )
    await engine.dispose()
    return found


async def test_a_coordinator_reaches_nothing_of_another_commune(served, client, other_session):
    ids = await _ids(served)
    ids["session"] = other_session
    csrf = await sign_in(served, client, COORDINATOR)
    before = await _snapshot(served, int(ids["unit"]), other_session)
    origin = {"Origin": served.base_url}
    visited = []
    for method, path in _routes():
        url = served.base_url + _filled(path, ids)
        for query in ({}, {"unit": str(ids["unit"])}):
            if method == "GET":
                async with client.get(url, params=query, allow_redirects=False) as response:
                    page = _readable(await response.read(), response.content_type)
                    status = response.status
            else:
                form = {
                    "csrf": csrf,
                    **query,
                    "official": str(ids["codes"][0]),
                    "full_name": "Đã Bị Sửa",
                    "birth_date": "01/01/1980",
                    "action": "import",
                    "kind": "coordinator",
                    "format": "xlsx",
                }
                async with client.post(
                    url, data=form, headers=origin, allow_redirects=False
                ) as response:
                    page = _readable(await response.read(), response.content_type)
                    status = response.status
            visited.append((method, path, query, status))
            leaked = [name for name in ids["names"] if name in page]
            assert status == 404 or not leaked, (method, path, query, status, leaked[:3])
            assert status != 200 or not query or method == "GET", (method, path, query)
    assert await _snapshot(served, int(ids["unit"]), other_session) == before
    assert len(visited) == 2 * len(_routes())


async def test_the_same_pages_answer_for_the_coordinators_own_commune(served, client):
    ids = await _ids(served)
    await sign_in(served, client, COORDINATOR)
    for path in ("/console", "/console/officials"):
        async with client.get(served.base_url + path, params={"unit": str(ids["home"])}) as r:
            assert r.status == 200
            assert not [name for name in ids["names"] if name in await r.text()]


def _readable(body: bytes, content_type: str) -> str:
    """What a person could read in an answer: a page's text, a workbook's cells."""
    if content_type == XLSX:
        book = openpyxl.load_workbook(io.BytesIO(body))
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return body.decode("utf-8")
