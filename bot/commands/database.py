"""The database as one command sees it: an engine that lives as long as the command's work,
so no command leaves connections open or repeats the set-up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.settings import Settings
from storage.db import create_engine, session_factory


@asynccontextmanager
async def open_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings.database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@asynccontextmanager
async def open_session(settings: Settings) -> AsyncIterator[AsyncSession]:
    async with open_engine(settings) as engine, session_factory(engine)() as session:
        yield session
