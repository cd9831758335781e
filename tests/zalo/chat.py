"""``ZaloChat`` plays one Zalo user against the fake: ``await chat.say("...")`` queues a text
event for getUpdates and returns the messages the bot sent back."""

from __future__ import annotations

from typing import Any

from tests.fakes.zalo_api import FakeZalo, SentMessage


class ZaloChat:
    def __init__(self, fake: FakeZalo, user_id: str, group_id: str | None = None) -> None:
        self.fake = fake
        self.user_id = user_id
        self.group_id = group_id
        self.chat_id = group_id or user_id

    def received(self) -> list[SentMessage]:
        return self.fake.messages_to(self.chat_id)

    async def deliver(self, update: dict[str, Any], expect: int = 1) -> list[SentMessage]:
        before = len(self.received())
        self.fake.push_update(update)
        got = await self.fake.wait_for_messages(self.chat_id, before + expect)
        return got[before:]

    async def say(self, text: str, expect: int = 1) -> list[SentMessage]:
        update = self.fake.text(text, user_id=self.user_id, group_id=self.group_id)
        return await self.deliver(update, expect)

    async def ask(self, text: str) -> str:
        """The text of the single reply to ``text``."""
        (reply,) = await self.say(text)
        assert reply.text is not None
        return reply.text
