"""Alembic driven from code, so `canbo db upgrade` works wherever the package is installed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncConnection

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


@dataclass(frozen=True)
class SchemaState:
    """The revisions a database is at, and those this code's migrations lead to."""

    current: frozenset[str]
    head: frozenset[str]

    @property
    def at_head(self) -> bool:
        return self.current == self.head


@cache
def heads() -> frozenset[str]:
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


async def schema_state(connection: AsyncConnection) -> SchemaState:
    current = await connection.run_sync(
        lambda sync: MigrationContext.configure(sync).get_current_heads()
    )
    return SchemaState(frozenset(current), heads())
