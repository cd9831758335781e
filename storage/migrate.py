"""Alembic driven from code, so `canbo db upgrade` works wherever the package is installed."""

from __future__ import annotations

import ast
import asyncio
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, exc, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import create_engine, is_outage

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"
CONNECT_WAIT = 10.0  # seconds for the database to answer before a command gives up


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config  # on use: Alembic (and Mako, Pygments) take 0.25 s

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    from alembic import command  # on use: importing it sets up autogenerate, logging 7 lines

    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    from alembic import command

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
    """The revisions no other revision follows, read from the migration files' ``revision``
    and ``down_revision`` lines: every command checks them at start, and importing Alembic
    to read them would cost it a quarter of a second."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = _assigned(path, ("revision", "down_revision"))
        if "revision" not in found:
            continue
        revisions.add(str(found["revision"]))
        down = found.get("down_revision")
        if isinstance(down, str):
            followed.add(down)
        elif isinstance(down, tuple | list):  # a merge revision
            followed.update(str(revision) for revision in down)
    return frozenset(revisions - followed)


def _assigned(path: Path, names: tuple[str, ...]) -> dict[str, object]:
    """The literal values assigned to ``names`` at the top of the module at ``path``."""
    values: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in names:
            values[target.id] = ast.literal_eval(value)
    return values


async def schema_state(connection: AsyncConnection) -> SchemaState:
    """Read straight from Alembic's table, quietly: /readyz asks every few seconds, and
    Alembic's own context logs two lines each time it is set up."""
    return SchemaState(await connection.run_sync(_current), heads())


def _current(connection: Connection) -> frozenset[str]:
    if not inspect(connection).has_table(VERSION_TABLE):
        return frozenset()
    found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
    return frozenset(found)


class DatabaseUnreachable(Exception):
    """The database did not answer: ``where`` names it without credentials."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where, self.reason = where, reason


class SchemaNotAtHead(Exception):
    """The database's migrations are not the ones this code needs."""

    def __init__(self, where: str, state: SchemaState) -> None:
        super().__init__(f"{where}: at {sorted(state.current)}, head {sorted(state.head)}")
        self.where, self.state = where, state


def require_head(database_url: str) -> None:
    """Raise DatabaseUnreachable or SchemaNotAtHead unless the database answers within
    CONNECT_WAIT and is migrated to head: a command stops at once, in one line, instead of
    failing half-way (or, for `canbo run`, serving what it cannot store). Runs its own event
    loop, before the command's."""
    where = describe(database_url)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        raise SchemaNotAtHead(where, SchemaState(frozenset(), heads()))  # do not create it
    state = asyncio.run(_reachable_state(database_url, where))
    if not state.at_head:
        raise SchemaNotAtHead(where, state)


async def _reachable_state(database_url: str, where: str) -> SchemaState:
    engine = create_engine(database_url)
    try:
        async with asyncio.timeout(CONNECT_WAIT), engine.connect() as connection:
            return await schema_state(connection)
    except (exc.DBAPIError, OSError, TimeoutError) as error:
        if not (is_outage(error) or isinstance(error, exc.DBAPIError)):
            raise
        raise DatabaseUnreachable(where, _reason(error)) from None
    finally:
        await engine.dispose()


def describe(database_url: str) -> str:
    """Where a database is, for a person: host, port and name, or the SQLite file; never the
    user or the password."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def _reason(error: BaseException) -> str:
    """The driver's own words, first line only: SQLAlchemy's add a link and the statement."""
    if isinstance(error, TimeoutError):
        return f"no answer within {CONNECT_WAIT:g} s"
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__
