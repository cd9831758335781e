"""SQLite for the async engine, run from the event loop's own thread.

aiosqlite runs each call (cursor, execute, fetch, close, commit) in a worker thread and hands
the answer back: twelve thread switches for one answered update, which cost more CPU than the
SQL itself (benchmarks/RESULTS.md §4). SQLite is a library on a local file, and a statement of
the service takes microseconds, so this driver calls Python's ``sqlite3`` directly. Two things
keep the event loop responsive, as the worker thread did:

- after every statement the loop runs whatever else is ready, so a long run of statements
  (a planning run, an import) does not hold up webhooks;
- a statement that finds the database locked by another writer waits on the loop, not in
  SQLite's busy handler, which would stop the loop and, were the writer a task of this
  process, wait for a lock that can only be released once it returns. The wait ends after the
  connection's ``timeout`` (seconds), as SQLite's own would.

A locked database whose snapshot is stale (SQLITE_BUSY_SNAPSHOT) fails at once, as it does in
SQLite: waiting would not help, the transaction must start again.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.base import SQLiteExecutionContext
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.util import await_

DRIVER = "inloop"  # the URL's driver: sqlite+inloop:///path
DEFAULT_TIMEOUT = 5.0  # seconds, as Python's sqlite3
FIRST_WAIT, LONGEST_WAIT = 0.001, 0.05  # seconds between tries on a locked database

T = TypeVar("T")


def patiently(connection: Connection, statement: Callable[[], T]) -> T:
    """Run ``statement``; while another writer holds the lock, try again from the loop."""
    waited_since, wait = 0.0, FIRST_WAIT
    while True:
        try:
            result = statement()
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY:  # BUSY_SNAPSHOT is not plain BUSY
                raise
            now = time.monotonic()
            waited_since = waited_since or now
            if now - waited_since >= connection.timeout:
                raise
            await_(asyncio.sleep(wait))
            wait = min(2 * wait, LONGEST_WAIT)
            continue
        await_(asyncio.sleep(0))  # let the loop run what is ready
        return result


class Cursor(sqlite3.Cursor):
    connection: Connection

    def execute(self, sql: str, parameters: Any = (), /) -> Cursor:
        return patiently(self.connection, lambda: sqlite3.Cursor.execute(self, sql, parameters))

    def executemany(self, sql: str, parameters: Any, /) -> Cursor:
        run = sqlite3.Cursor.executemany
        return patiently(self.connection, lambda: run(self, sql, parameters))

    async def _async_soft_close(self) -> None:
        """SQLAlchemy's async results call this on an async driver's cursor; the rows are
        read as they are fetched, so there is nothing to do."""


class Connection(sqlite3.Connection):
    timeout: float = DEFAULT_TIMEOUT

    def cursor(self, factory: Any = Cursor) -> Any:
        return super().cursor(factory)

    def commit(self) -> None:
        patiently(self, super().commit)


class ExecutionContext(SQLiteExecutionContext):
    def create_server_side_cursor(self) -> DBAPICursor:
        """A plain cursor streams: SQLite steps to the next row when it is fetched."""
        return self.create_default_cursor()


class Dialect(SQLiteDialect_pysqlite):
    driver = DRIVER
    is_async = True
    supports_statement_cache = True
    supports_server_side_cursors = True
    execution_ctx_cls = ExecutionContext

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        if cls._is_url_file_db(url):
            return pool.AsyncAdaptedQueuePool
        return pool.StaticPool

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        timeout = float(cparams.pop("timeout", DEFAULT_TIMEOUT))
        # SQLite itself never waits (timeout 0): ``patiently`` does, on the loop.
        cparams.setdefault("check_same_thread", False)  # the pool may close it elsewhere
        connection: Connection = sqlite3.connect(
            *cargs, **{**cparams, "timeout": 0, "factory": Connection}
        )
        connection.timeout = timeout
        return connection


registry.register(f"sqlite.{DRIVER}", __name__, "Dialect")
