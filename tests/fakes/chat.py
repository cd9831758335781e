"""What the Telegram ``Chat`` and Zalo ``ZaloChat`` test harnesses share: push an update to the
fake and collect the messages the bot answered it with."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Generic

from tests.fakes.server import ChatT, FakeBotServer, SentT


class FakeChat(ABC, Generic[ChatT, SentT]):
    """One user talking to the bot in ``chat_id`` through a fake."""

    def __init__(self, fake: FakeBotServer[ChatT, SentT], chat_id: ChatT) -> None:
        self.fake = fake
        self.chat_id = chat_id

    @abstractmethod
    async def say(self, text: str, expect: int = 1) -> list[SentT]:
        """Send ``text`` as this user; the ``expect`` messages the bot answered with."""

    def received(self) -> list[SentT]:
        return self.fake.messages_to(self.chat_id)

    async def deliver(self, update: dict[str, Any], expect: int = 1) -> list[SentT]:
        """Push ``update`` and return the ``expect`` messages it was answered with."""
        before = len(self.received())
        self.fake.push_update(update)
        got = await self.fake.wait_for_messages(self.chat_id, before + expect)
        return got[before:]

    async def ask(self, text: str) -> str:
        """The text of the single reply to ``text``."""
        (reply,) = await self.say(text)
        assert reply.text is not None
        return reply.text
