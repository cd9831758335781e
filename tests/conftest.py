"""Shared fixtures: a migrated database on SQLite always, and on PostgreSQL when reachable.

Each test run gets its own PostgreSQL database, so parallel runs on one server do not collide.
Tests that take ``session`` or ``engine`` run once per backend.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.log_masking import MaskingFilter
from storage import migrate, reach
from storage.db import create_engine, session_factory
from storage.models import Base

pytest_plugins = ["tests.fakes.fixtures"]

PG_ADMIN_URL = os.environ.get(
    "CANBO_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


async def _pg_execute(url: str, statement: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


def _postgres_reason() -> str | None:
    try:
        asyncio.run(_pg_execute(PG_ADMIN_URL, "SELECT 1"))
    except Exception as error:  # any failure to connect means: skip, and say why
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(error).__name__}"
    return None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this run, dropped afterwards."""
    reason = _postgres_reason()
    if reason:
        pytest.skip(reason)
    name = f"canbo_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute(PG_ADMIN_URL, f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    migrate.upgrade(url)
    yield url
    asyncio.run(_pg_execute(PG_ADMIN_URL, f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("db") / "canbo.db"
    url = f"sqlite+aiosqlite:///{path}"
    migrate.upgrade(url)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(table.delete())
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with session_factory(engine)() as session:
        yield session


@pytest.fixture(autouse=True)
def _reach_as_found() -> Iterator[None]:
    """Leave storage.reach's setup as the test found it: a command or an app run in-process
    sets it from its settings (ZNS on or off)."""
    setup = reach.current()
    yield
    reach.configure(setup)


@pytest.fixture(autouse=True)
def _logging_as_found() -> Iterator[None]:
    """Leave logging as the test found it: `canbo` commands run in-process install the log
    masking (bot/log_masking.py), which is for the process, not for the next test."""
    factory = logging.getLogRecordFactory()
    telegram = logging.getLogger("telegram")
    level = telegram.level
    yield
    logging.setLogRecordFactory(factory)
    telegram.setLevel(level)
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        for handler in getattr(logger, "handlers", ()):
            for masking in [f for f in handler.filters if isinstance(f, MaskingFilter)]:
                handler.removeFilter(masking)
