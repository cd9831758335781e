"""Alembic driven from code, so `canbo db upgrade` works wherever the package is installed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"


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
    """Read straight from Alembic's table, quietly: /readyz asks every few seconds, and
    Alembic's own context logs two lines each time it is set up."""
    return SchemaState(await connection.run_sync(_current), heads())


def _current(connection: Connection) -> frozenset[str]:
    if not inspect(connection).has_table(VERSION_TABLE):
        return frozenset()
    found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
    return frozenset(found)
