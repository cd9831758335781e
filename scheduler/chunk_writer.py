"""Queueing one chunk's reminders while the planner works out the next.

Planning is Python's work and, on PostgreSQL, inserting is the server's. Sent from a
connection of its own, a chunk's insert runs on the server's core while the next chunk is read
and planned, instead of the planner waiting for it (bench_planning.py: 65 s to 48 s for
250,000 officials). SQLite runs in this process, in the event loop's thread
(storage/sqlite_driver.py): there is nothing to overlap with, so on SQLite each chunk is
written in the planning session, in turn.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.db import is_postgres
from storage.outbox import Notice, enqueue_by_kind


class ChunkWriter:
    """One chunk in flight at a time, each in its own short transaction; ``queued`` counts
    the rows inserted per kind. Leaving the block waits for the last chunk; leaving it on an
    error abandons that chunk (its transaction is undone)."""

    def __init__(self, planning: AsyncSession) -> None:
        """A writer on the engine of the ``planning`` session."""
        bind = planning.bind
        if bind is None:
            raise ValueError("the planning session is bound to no engine")
        engine = bind if isinstance(bind, AsyncEngine) else bind.engine
        self._aside = is_postgres(engine)
        self._session = AsyncSession(engine, expire_on_commit=False) if self._aside else planning
        self._writing: asyncio.Task[None] | None = None
        self.queued: Counter[str] = Counter()

    async def write(self, notices: list[Notice]) -> None:
        """Queue ``notices`` once the previous chunk is in; on PostgreSQL, returns at once."""
        await self._finish()
        if not self._aside:
            await self._insert(notices)
            return
        self._writing = asyncio.create_task(self._insert(notices), name="queue-reminders")

    async def _insert(self, notices: list[Notice]) -> None:
        self.queued.update(await enqueue_by_kind(self._session, notices))
        await self._session.commit()

    async def _finish(self) -> None:
        writing, self._writing = self._writing, None
        if writing is not None:
            await writing

    async def __aenter__(self) -> ChunkWriter:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if error is None:
                await self._finish()
            elif self._writing is not None:
                self._writing.cancel()
                await asyncio.gather(self._writing, return_exceptions=True)
        finally:
            if self._aside:
                await self._session.close()
