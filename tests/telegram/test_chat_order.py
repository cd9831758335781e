"""bot/channels/chat_order.py: one chat's updates are answered in order, while another chat's
update does not wait for them; and how many run at once depends on the database."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.channels.chat_order import (
    POSTGRES_CONCURRENCY,
    SQLITE_CONCURRENCY,
    ChatOrderedProcessor,
    concurrent_updates,
)
from storage.db import create_engine
from tests.fakes.telegram_api import FakeTelegram

FAKE = FakeTelegram()


def update(number: int, chat: int) -> Update:
    data = FAKE.message("/status", user_id=chat)
    data["update_id"] = number
    return Update.de_json(data, None)


class Handling:
    """Updates handled by hand: each starts, then waits until the test lets it finish."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.finished: list[int] = []
        self.release: dict[int, asyncio.Event] = {}

    async def handle(self, number: int) -> None:
        self.started.append(number)
        self.release[number] = asyncio.Event()
        await self.release[number].wait()
        self.finished.append(number)


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def test_a_chat_waits_for_its_own_earlier_update_but_not_for_another_chat():
    processor = ChatOrderedProcessor(4)
    handling = Handling()
    arrivals = [(1, 100), (2, 100), (3, 200), (4, 100)]  # (update id, chat)
    tasks = [
        asyncio.create_task(processor.process_update(update(n, chat), handling.handle(n)))
        for n, chat in arrivals
    ]
    await settle()
    assert handling.started == [1, 3]  # update 2 and 4 wait for chat 100's first

    handling.release[3].set()
    await settle()
    assert handling.finished == [3]
    assert handling.started == [1, 3]

    handling.release[1].set()
    await settle()
    assert handling.started == [1, 3, 2]
    handling.release[2].set()
    await settle()
    handling.release[4].set()
    await asyncio.gather(*tasks)
    assert handling.finished == [3, 1, 2, 4]
    assert processor._chats == {}  # no lock kept for a chat with nothing in hand


async def test_a_failed_update_lets_the_chat_go_on():
    processor = ChatOrderedProcessor(2)
    answered: list[int] = []

    async def fail() -> None:
        raise RuntimeError("database gone")

    async def answer() -> None:
        answered.append(2)

    first = asyncio.create_task(processor.process_update(update(1, 100), fail()))
    second = asyncio.create_task(processor.process_update(update(2, 100), answer()))
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    assert answered == [2]
    assert processor._chats == {}


async def test_the_updates_in_hand_follow_the_database():
    sqlite = create_engine("sqlite+aiosqlite:///./canbo.db")  # engines connect lazily
    postgres = create_engine("postgresql+asyncpg://postgres@127.0.0.1/test")
    try:
        assert concurrent_updates(sqlite) == SQLITE_CONCURRENCY
        assert concurrent_updates(postgres) == POSTGRES_CONCURRENCY
    finally:
        await sqlite.dispose()
        await postgres.dispose()
