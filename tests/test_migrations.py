"""The same migrations build and remove the schema on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from storage import migrate
from storage.db import create_engine
from storage.models import Base
from tests.conftest import PG_ADMIN_URL, _pg_execute, _postgres_reason


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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of this test's own, unmigrated: the revisions are moved up and down."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'own.db'}"
        return
    reason = _postgres_reason()
    if reason:
        pytest.skip(reason)
    name = f"canbo_migration_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute(PG_ADMIN_URL, f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    asyncio.run(_pg_execute(PG_ADMIN_URL, f'DROP DATABASE "{name}" WITH (FORCE)'))


async def _run(url: str, *statements: str) -> list[list[tuple[object, ...]]]:
    engine = create_engine(url)
    found = []
    async with engine.begin() as connection:
        for statement in statements:
            result = await connection.execute(text(statement))
            found.append([tuple(row) for row in result] if result.returns_rows else [])
    await engine.dispose()
    return found


def test_0007_moves_each_title_into_the_titles_held_and_back(blank_url: str) -> None:
    """Revision 0007: an official's title becomes their main title held; a bond's sending date
    is the start of its course. Downgrading keeps the main title."""
    migrate.upgrade(blank_url, "0004")
    now = "'2026-12-01 00:00:00'"
    asyncio.run(
        _run(
            blank_url,
            "INSERT INTO units (id, code, name, kind, path, difficult_area, active) "
            "VALUES (1, '00070', 'Phường Hoàn Kiếm', 'ward', '/1/', false, true)",
            "INSERT INTO titles (id, kind, field, name) VALUES "
            "(1, 'party_secretary', '', 'Bí thư Đảng ủy'), "
            "(2, 'council_chair', '', 'Chủ tịch HĐND')",
            "INSERT INTO officials (id, code, full_name, birth_date, gender, unit_id, title_id, "
            f"created_at, updated_at) VALUES (1, 'CB001', 'An', '1970-01-01', 'male', 1, 1, "
            f"{now}, {now})",
            "INSERT INTO courses (id, code, name, kind, starts_on, ends_on, created_at, "
            f"updated_at) VALUES (1, 'K1', 'LLCT', 'llct_intermediate', '2024-09-01', "
            f"'2025-02-28', {now}, {now})",
            "INSERT INTO bonds (id, official_id, course_id, starts_on, months, created_at, "
            f"updated_at) VALUES (1, 1, 1, '2025-03-01', 12, {now}, {now}), "
            f"(2, 1, NULL, '2025-06-01', 24, {now}, {now})",
        )
    )

    migrate.upgrade(blank_url)
    held, bonds = asyncio.run(
        _run(
            blank_url,
            "SELECT official_id, title_id, position FROM official_titles",
            "SELECT id, sent_on FROM bonds ORDER BY id",
        )
    )
    assert held == [(1, 1, 0)]
    assert [(bond_id, str(sent)) for bond_id, sent in bonds] == [(1, "2024-09-01"), (2, "None")]

    asyncio.run(
        _run(
            blank_url,
            "INSERT INTO official_titles (official_id, title_id, position) VALUES (1, 2, 1)",
        )
    )
    migrate.downgrade(blank_url, "0004")
    (officials,) = asyncio.run(_run(blank_url, "SELECT id, title_id FROM officials"))
    assert officials == [(1, 1)]
    assert "official_titles" not in asyncio.run(_tables(blank_url))
    migrate.upgrade(blank_url)
    assert asyncio.run(_tables(blank_url)) >= set(Base.metadata.tables)


def test_heads_read_from_the_files_are_alembics() -> None:
    """`canbo` reads the head revisions without importing Alembic (start-up time); they must be
    the ones Alembic computes."""
    from alembic.script import ScriptDirectory

    assert migrate.heads() == frozenset(ScriptDirectory(str(migrate.MIGRATIONS)).get_heads())
