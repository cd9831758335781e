"""The service's side of the inbox (storage/inbox.py): storing what a messenger sends before it
is told the update arrived, and the sweeper that answers what was stored and left unanswered.

A channel stores an update with ``Intake.store`` (a webhook before its 2xx, long polling before
it confirms the offset) and hands it to its handler; if the database is down the store raises,
the webhook answers 503 (bot/http.py) and polling waits and asks again. The sweeper runs in
every `canbo run`: at start, so what a crash or a restart left behind is answered, then every
few seconds, for updates whose answer failed (the database went away mid-answer) and whose
lease has run out. It also forgets old updates now and then.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage import inbox
from storage.db import OutageLog, is_outage
from storage.models import Channel
from storage.types import utcnow

logger = logging.getLogger(__name__)

PRUNE_EVERY = timedelta(hours=6)
SWEEPS_PER_LEASE = 4  # a lease that runs out is noticed within a quarter of its length
MAX_SWEEP_GAP = 15.0  # seconds
BATCH = 100  # updates taken per statement

# A channel's way to answer a stored update again: given its id and the payload as stored.
Redeliver = Callable[[str, dict[str, Any]], Awaitable[None]]


class Intake:
    """Stores updates for the channels of one service, each leased to it for ``lease``."""

    def __init__(self, engine: AsyncEngine, lease: timedelta) -> None:
        self._engine = engine
        self.lease = lease

    async def store(self, channel: Channel, update_id: str | int, payload: dict[str, Any]) -> bool:
        """Store one update, committed; True when it is new (a redelivery is not: whoever
        stored it first, or the sweeper, answers it). Raises when the database is down."""
        (fresh,) = await self.store_batch(channel, [(update_id, payload)])
        return fresh

    async def store_batch(
        self, channel: Channel, updates: Sequence[tuple[str | int, dict[str, Any]]]
    ) -> list[bool]:
        """Store ``updates`` in one transaction; for each, whether it is new."""
        if not updates:
            return []
        now = utcnow()
        async with self._engine.begin() as connection:
            return [
                await inbox.store(connection, channel, update_id, payload, now, self.lease)
                for update_id, payload in updates
            ]


class Sweeper:
    """Answers stored updates nobody holds, through each channel's ``Redeliver``."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        lease: timedelta,
        channels: dict[Channel, Redeliver],
    ) -> None:
        self._sessions = sessions
        self._lease = lease
        self._channels = channels
        self._every = min(lease.total_seconds() / SWEEPS_PER_LEASE, MAX_SWEEP_GAP)
        self._task: asyncio.Task[None] | None = None
        self._outage = OutageLog(logger, "answering stored updates")

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="inbox-sweeper")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        pruned_at = None
        while True:
            try:
                await self.sweep()
                if pruned_at is None or utcnow() - pruned_at >= PRUNE_EVERY:
                    await self._prune()
                    pruned_at = utcnow()
                self._outage.succeeded()
            except Exception as error:
                self._outage.failed(error)
            await asyncio.sleep(self._every)

    async def sweep(self) -> int:
        """Hand every stored update whose lease has run out to its channel; how many."""
        handed = 0
        while True:
            async with self._sessions() as session:
                waiting = await inbox.take_waiting(
                    session, list(self._channels), utcnow(), self._lease, BATCH
                )
                await session.commit()
            for update in waiting:
                try:
                    await self._channels[update.channel](update.update_id, update.payload)
                except Exception:
                    logger.exception("%s update %s cannot be answered", *_named(update))
                handed += 1
            if len(waiting) < BATCH:
                break
        if handed:
            logger.info("handed %d stored updates to their channels again", handed)
        return handed

    async def _prune(self) -> None:
        async with self._sessions() as session:
            removed = await inbox.prune(session, utcnow())
            await session.commit()
        if removed:
            logger.info("forgot %d updates older than %d days", removed, inbox.KEEP_DAYS)


def log_failure(log: logging.Logger, what: str, error: BaseException) -> None:
    """Log that handling ``what`` failed: one warning line when the database is down (what
    is stored waits for it, no traceback while the outage lasts), else the error in full."""
    if is_outage(error):
        log.warning("%s waits: database unreachable (%s)", what, type(error).__name__)
    else:
        log.error("%s failed: %s", what, type(error).__name__, exc_info=error)


def _named(update: inbox.Waiting) -> tuple[str, str]:
    return update.channel.value, update.update_id
