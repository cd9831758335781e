"""SQLite in the event loop's thread (storage/sqlite_driver.py): a locked database is waited
for on the loop, up to the timeout; a stale snapshot fails at once; a long run of statements
leaves room for other tasks; and any SQLite URL gets this driver."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine

INSERT = text("INSERT INTO notes (body) VALUES (:body)")


@pytest.fixture
async def notes(tmp_path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'notes.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    yield engine
    await engine.dispose()


class Ticker:
    """Counts the loop's turns while it runs: a blocked loop does not count."""

    def __init__(self) -> None:
        self.turns = 0
        self._task = asyncio.create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(0.001)
            self.turns += 1

    def stop(self) -> None:
        self._task.cancel()


async def test_a_writer_waits_for_the_lock_on_the_loop(notes):
    async with notes.connect() as holder, notes.connect() as other:
        await holder.execute(INSERT, {"body": "first"})  # holds the write lock, uncommitted
        ticker = Ticker()
        waiting = asyncio.create_task(other.execute(INSERT, {"body": "second"}))
        await asyncio.sleep(0.3)
        assert not waiting.done()
        await holder.commit()
        await asyncio.wait_for(waiting, 5)
        await other.commit()
        ticker.stop()
        rows = await other.execute(text("SELECT body FROM notes ORDER BY id"))
        assert rows.scalars().all() == ["first", "second"]
    assert ticker.turns > 20  # the loop kept turning while the second writer waited


async def test_the_wait_ends_at_the_timeout(tmp_path):
    url = f"sqlite:///{tmp_path / 'notes.db'}"
    patient, hasty = create_engine(url), create_engine(url, connect_args={"timeout": 0.2})
    async with patient.begin() as connection:
        await connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    async with patient.connect() as holder, hasty.connect() as other:
        await holder.execute(INSERT, {"body": "held"})
        started = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked"):
            await other.execute(INSERT, {"body": "refused"})
        took = time.monotonic() - started
    await patient.dispose()
    await hasty.dispose()
    assert 0.2 <= took < 2


async def test_a_stale_snapshot_fails_at_once(notes):
    async with notes.connect() as reader, notes.connect() as writer:
        await reader.exec_driver_sql("BEGIN")  # sqlite3 would begin only at the first write
        await reader.execute(text("SELECT count(*) FROM notes"))  # its snapshot starts here
        await writer.execute(INSERT, {"body": "newer"})
        await writer.commit()
        started = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked"):
            await reader.execute(INSERT, {"body": "on a stale snapshot"})
        assert time.monotonic() - started < 1  # the timeout is 30 s


async def test_a_long_run_of_statements_leaves_the_loop_turns(notes):
    ticker = Ticker()
    async with notes.begin() as connection:
        for number in range(300):
            await connection.execute(INSERT, {"body": f"note {number}"})
    ticker.stop()
    assert ticker.turns > 0


@pytest.mark.parametrize("scheme", ["sqlite", "sqlite+aiosqlite", "sqlite+pysqlite"])
def test_every_sqlite_url_runs_on_the_loop_driver(scheme, tmp_path):
    engine = create_engine(f"{scheme}:///{tmp_path / 'x.db'}")
    assert engine.dialect.driver == "inloop"
