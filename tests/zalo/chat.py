"""``ZaloChat`` plays one Zalo user against the fake: ``await chat.say("...")`` queues a text
event for getUpdates and returns the messages the bot sent back."""

from __future__ import annotations

from tests.fakes.chat import FakeChat
from tests.fakes.zalo_api import FakeZalo, SentMessage


class ZaloChat(FakeChat[str, SentMessage]):
    """One Zalo user talking to the bot, privately or in the group ``group_id``."""

    fake: FakeZalo

    def __init__(self, fake: FakeZalo, user_id: str, group_id: str | None = None) -> None:
        super().__init__(fake, group_id or user_id)
        self.user_id = user_id
        self.group_id = group_id

    async def say(self, text: str, expect: int = 1) -> list[SentMessage]:
        update = self.fake.text(text, user_id=self.user_id, group_id=self.group_id)
        return await self.deliver(update, expect)
