"""The same migrations build and remove the schema on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import inspect

from storage import migrate
from storage.db import create_engine
from storage.models import Base


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_down_to_base_and_up_again(backend: str, request: pytest.FixtureRequest) -> None:
    url: str = request.getfixturevalue(f"{backend}_url")
    model_tables = set(Base.metadata.tables)
    assert model_tables <= asyncio.run(_tables(url))

    migrate.downgrade(url, "base")
    assert asyncio.run(_tables(url)) <= {"alembic_version"}

    migrate.upgrade(url)
    assert model_tables <= asyncio.run(_tables(url))


async def _pending_changes(url: str) -> list[object]:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(url)
    async with engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    await engine.dispose()
    return list(diff)


def test_models_and_migrations_agree(sqlite_url: str) -> None:
    """A model changed without a migration would break `canbo db upgrade` installs."""
    assert asyncio.run(_pending_changes(sqlite_url)) == []
