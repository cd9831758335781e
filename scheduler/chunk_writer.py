"""Queueing one chunk's reminders while the planner works out the next.

Planning is Python's work and inserting is the database's: PostgreSQL's server, or SQLite's
engine in its driver's thread, which lets go of the interpreter while it writes. Sent from a
connection of its own, a chunk's insert runs on the other core while the next chunk is read
and planned, instead of the planner waiting for it (bench_planning.py measures the gain).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

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
        self._session = AsyncSession(engine, expire_on_commit=False)
        self._writing: asyncio.Task[None] | None = None
        self.queued: Counter[str] = Counter()

    async def write(self, notices: list[Notice]) -> None:
        """Start queueing ``notices`` once the previous chunk is in; returns at once."""
        await self._finish()
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
            await self._session.close()
