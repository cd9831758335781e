"""Engines and sessions. One place decides how SQLite and PostgreSQL connections behave."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.sqlite_driver import DRIVER


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; on SQLite, foreign keys on, WAL journal and a busy timeout for workers.

    Any SQLite URL (``sqlite+aiosqlite://``, the settings' default, included) runs on
    storage.sqlite_driver, in the event loop's thread. Statement parameters are hidden from
    error messages: they may hold phone numbers.
    """
    kwargs.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {"timeout": 30})
        # Sessions and connections end their transactions themselves; the pool's own rollback
        # on every return would be one more statement for each of them.
        kwargs.setdefault("pool_reset_on_return", None)
        engine = create_async_engine(parsed.set(drivername=f"sqlite+{DRIVER}"), **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"


# What a database that is down, restarting or out of reach raises: the driver's own errors come
# wrapped (a connection lost mid-statement), a refused connection comes as it is.
_OUTAGES = (
    OSError,  # ConnectionRefusedError, and the rest of a socket's failures
    TimeoutError,
    exc.OperationalError,
    exc.InterfaceError,
    exc.DisconnectionError,
    exc.TimeoutError,  # the pool's: every connection is stuck
)
# PostgreSQL's classes 08 (connection exception) and 57P (shutting down, starting up)
_OUTAGE_STATES = ("08", "57P")


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) says the database cannot be reached, as opposed to
    a statement or a bug: worth a one-line warning and a retry, not a traceback."""
    for cause in _chain(error):
        if isinstance(cause, _OUTAGES):
            return True
        if isinstance(cause, exc.DBAPIError) and cause.connection_invalidated:
            return True
        if str(getattr(cause, "sqlstate", None) or "").startswith(_OUTAGE_STATES):
            return True
    return False


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


class OutageLog:
    """What a worker that retries says about the database: one warning line when it goes away,
    one line when it is back, nothing for each retry in between (an outage is not a bug, so no
    traceback); any other failure in full, every time."""

    def __init__(self, log: logging.Logger, what: str) -> None:
        self.log = log
        self.what = what  # "dispatching", "planning reminders": what waits
        self.down = False

    def failed(self, error: BaseException) -> None:
        if not is_outage(error):
            self.log.error("%s failed; trying again shortly", self.what, exc_info=error)
        elif not self.down:
            self.down = True
            self.log.warning(
                "database unreachable (%s): %s waits until it is back",
                type(error).__name__,
                self.what,
            )

    def succeeded(self) -> None:
        if self.down:
            self.down = False
            self.log.info("database reachable again: %s resumes", self.what)
