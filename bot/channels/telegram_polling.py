"""Long polling that confirms an update to Telegram only once it is stored.

Telegram forgets every update below the ``offset`` of the next getUpdates call. PTB's own
Updater asks for the next batch, and so confirms the last one, as soon as the batch is queued
in memory: a crash, or a database that is down, then loses it. Here a batch is stored in the
inbox (bot/intake.py) first; the offset moves past it only after the commit. While the store
fails the same batch is asked for again, after a pause that doubles up to ``MAX_BACKOFF``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, Update
from telegram.error import TelegramError

from bot.intake import Intake
from storage.db import is_outage
from storage.models import Channel

logger = logging.getLogger(__name__)

POLL_TIMEOUT = 10  # seconds getUpdates waits for an update (PTB's default)
RETRY_DELAY = 1.0  # seconds before asking again after a failure; doubles each time
MAX_BACKOFF = 30.0


class Poller:
    """getUpdates in a loop for ``bot``: each batch stored, then confirmed, then handed on.

    ``wanted`` tells the updates worth answering (others are confirmed and dropped); ``stored``
    takes each of those once stored, and whether it is new (not a redelivery)."""

    def __init__(
        self,
        bot: Bot,
        intake: Intake,
        wanted: Callable[[Update], bool],
        stored: Callable[[Update, bool], Awaitable[None]],
        allowed_updates: tuple[str, ...],
    ) -> None:
        self._bot = bot
        self._intake = intake
        self._wanted = wanted
        self._stored = stored
        self._allowed = allowed_updates
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._bot.delete_webhook()  # getUpdates is refused while a webhook is set
        self._task = asyncio.create_task(self._run(), name="telegram-polling")

    async def stop(self) -> None:
        """Stop asking. A batch stored but not confirmed is handed out again on the next
        start; stored already, it is then answered by the sweeper, not twice."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        offset: int | None = None
        delay = 0.0
        while True:
            try:
                offset = await self.poll(offset)
            except Exception as error:  # the loop must outlive any one failure
                delay = min(MAX_BACKOFF, delay * 2 or RETRY_DELAY)
                _log_failure(error, delay)
                await asyncio.sleep(delay)
                continue
            delay = 0.0

    async def poll(self, offset: int | None) -> int | None:
        """One getUpdates call and its batch; the offset to ask with next."""
        updates = await self._bot.get_updates(
            offset=offset, timeout=POLL_TIMEOUT, allowed_updates=self._allowed
        )
        if not updates:
            return offset
        wanted = [update for update in updates if self._wanted(update)]
        fresh = await self._intake.store_batch(
            Channel.TELEGRAM, [(update.update_id, update.to_dict()) for update in wanted]
        )
        for update, new in zip(wanted, fresh, strict=True):
            await self._stored(update, new)
        return updates[-1].update_id + 1


def _log_failure(error: Exception, delay: float) -> None:
    if isinstance(error, TelegramError):  # before outages: a network error is one too
        logger.warning("Telegram getUpdates failed (%s); trying again in %.1f s", error, delay)
    elif is_outage(error):
        logger.warning(
            "Telegram updates wait: database unreachable (%s); trying again in %.1f s",
            type(error).__name__,
            delay,
        )
    else:
        logger.exception("Telegram polling failed; trying again in %.1f s", delay)
