"""Updates of different chats handled side by side, each chat's in the order they came.

An official who taps two buttons expects the answers in that order, but nobody should wait
for a stranger's reply to be read from the database. On PostgreSQL the database works in
processes of its own, so while one update waits for it another can run. On SQLite every
answer writes (the claim) and writers take turns at the one lock, but an answer's transaction
ends before its reply is sent: while one reply is on its way to Telegram, the next update can
be answered. Two at once there took 141 to 170 updates/s (bench_updates.py --quick); the wait
for the lock is the driver's, on the loop (storage/sqlite_driver.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from storage.db import is_postgres

POSTGRES_CONCURRENCY = 4  # updates in hand at once; more only stretches each reply
SQLITE_CONCURRENCY = 2  # one answered while the other's reply is sent; more queue for the lock


def concurrent_updates(engine: AsyncEngine) -> int:
    """How many updates to handle at once on ``engine``'s database."""
    return POSTGRES_CONCURRENCY if is_postgres(engine) else SQLITE_CONCURRENCY


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Up to ``max_concurrent_updates`` at once, never two of one chat."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}  # lock, updates holding it

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = _chat_of(update)
        if chat is None:
            await coroutine
            return
        lock, holders = self._chats.get(chat) or (asyncio.Lock(), 0)
        self._chats[chat] = (lock, holders + 1)
        try:
            async with lock:  # asyncio.Lock wakes its waiters first come, first served
                await coroutine
        finally:
            lock, holders = self._chats[chat]
            if holders == 1:
                del self._chats[chat]
            else:
                self._chats[chat] = (lock, holders - 1)

    async def initialize(self) -> None:
        """Nothing to set up: the locks are made as chats arrive."""

    async def shutdown(self) -> None:
        """Nothing to release: the application waits for the updates in hand."""


def _chat_of(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None
