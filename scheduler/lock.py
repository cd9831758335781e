"""One active dispatcher per bot account (DESIGN.md, "Delivery semantics").

Rate limits belong to the bot account, so two dispatchers sending for the same account would
each think they have the whole budget. PostgreSQL: a session advisory lock on a hash of the
account identity, held on a connection of its own; it is released when that connection (or the
process) dies. SQLite: an exclusive ``flock`` on a file beside the database, released by the
kernel when the process dies. Whoever does not get the lock stands by and tries again.

``holder`` names the worker that holds the lock, for /readyz: PostgreSQL shows the lock's
connection under the worker's name (its application_name); the lock file holds the name while
it is locked. Asking a lock file takes a shared lock for an instant: a standby that tries to
take over in that instant waits for its next try.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.db import is_postgres


class DispatchLock(Protocol):
    async def acquire(self) -> bool:
        """Take the lock if free; False when another dispatcher holds it."""

    async def held(self) -> bool:
        """Still ours? (A lost database connection loses the advisory lock.)"""

    async def release(self) -> None: ...

    async def holder(self) -> str | None:
        """The name of the worker holding the lock (this one or another), None if free."""


def lock_key(identity: str) -> int:
    """A signed 64-bit key for ``identity``, as pg_advisory_lock takes it."""
    return int.from_bytes(hashlib.sha256(identity.encode()).digest()[:8], "big", signed=True)


def dispatch_lock(engine: AsyncEngine, identity: str, worker: str = "") -> DispatchLock:
    """The lock of bot account ``identity``, taken in the name of ``worker``."""
    key = lock_key(identity)
    if is_postgres(engine):
        return AdvisoryLock(engine, key, worker)
    database = engine.url.database
    if not database or database == ":memory:":
        raise ValueError("the dispatcher needs a database file or PostgreSQL")
    return FileLock(Path(f"{database}.dispatch-{key & 0xFFFFFFFF:08x}.lock"), worker)


async def file_lock_holders(database: Path) -> list[str]:
    """The workers holding a dispatcher lock of the SQLite database file ``database``."""
    holders = []
    for path in sorted(database.parent.glob(f"{database.name}.dispatch-*.lock")):
        holder = await FileLock(path).holder()
        if holder is not None:
            holders.append(holder)
    return holders


# The connection holding the advisory lock: a bigint key is split into classid (high half)
# and objid (low half), with objsubid 1.
_HOLDER = text(
    "SELECT activity.application_name FROM pg_locks AS held"
    " JOIN pg_stat_activity AS activity ON activity.pid = held.pid"
    " WHERE held.locktype = 'advisory' AND held.granted AND held.objsubid = 1"
    " AND held.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    " AND CAST(held.classid AS bigint) = :high AND CAST(held.objid AS bigint) = :low"
)


class AdvisoryLock:
    def __init__(self, engine: AsyncEngine, key: int, worker: str = "") -> None:
        self.engine = engine
        self.key = key
        self.worker = worker[:63]  # PostgreSQL keeps 63 bytes of an application_name
        self._connection: AsyncConnection | None = None

    async def acquire(self) -> bool:
        connection = await self.engine.connect()
        try:
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            )
            if got:
                await connection.execute(
                    text("SELECT set_config('application_name', :name, false)"),
                    {"name": self.worker},
                )
            await connection.commit()
        except BaseException:
            await connection.close()
            raise
        if not got:
            await connection.close()
            return False
        self._connection = connection
        return True

    async def held(self) -> bool:
        if self._connection is None:
            return False
        try:
            await self._connection.execute(text("SELECT 1"))
            await self._connection.commit()
        except Exception:
            await self._forget()
            return False
        return True

    async def release(self) -> None:
        if self._connection is None:
            return
        try:
            await self._connection.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": self.key}
            )
            await self._connection.execute(text("RESET application_name"))
            await self._connection.commit()
        finally:
            await self._forget()

    async def holder(self) -> str | None:
        halves = {"high": (self.key >> 32) & 0xFFFFFFFF, "low": self.key & 0xFFFFFFFF}
        async with self.engine.connect() as connection:
            name: str | None = await connection.scalar(_HOLDER, halves)
        return name

    async def _forget(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()


class FileLock:
    def __init__(self, path: Path, worker: str = "") -> None:
        self.path = path
        self.worker = worker
        self._fd: int | None = None

    async def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.pwrite(fd, self.worker.encode(), 0)
        self._fd = fd
        return True

    async def held(self) -> bool:
        return self._fd is not None

    async def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    async def holder(self) -> str | None:
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:  # held: the holder wrote its name
            return os.pread(fd, 256, 0).decode(errors="replace")
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)
