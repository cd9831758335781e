"""``Chat`` plays one Telegram user against the fake: ``await chat.say("...")`` pushes an update
and returns the messages the bot sent back."""

from __future__ import annotations

from tests.fakes.chat import FakeChat
from tests.fakes.telegram_api import FakeTelegram, SentMessage


class Chat(FakeChat[int, SentMessage]):
    """One Telegram user talking to the bot, privately or (negative ``chat_id``) in a group."""

    fake: FakeTelegram

    def __init__(
        self,
        fake: FakeTelegram,
        user_id: int,
        chat_id: int | None = None,
        language_code: str = "vi",
    ) -> None:
        super().__init__(fake, user_id if chat_id is None else chat_id)
        self.user_id = user_id
        self.language_code = language_code

    async def say(self, text: str, expect: int = 1) -> list[SentMessage]:
        update = self.fake.message(
            text, user_id=self.user_id, chat_id=self.chat_id, language_code=self.language_code
        )
        return await self.deliver(update, expect)

    async def send_file(self, content: bytes, file_name: str, expect: int = 1) -> list[SentMessage]:
        update = self.fake.document(
            content,
            file_name,
            user_id=self.user_id,
            chat_id=self.chat_id,
            language_code=self.language_code,
        )
        return await self.deliver(update, expect)

    async def send_photo(self, content: bytes, expect: int = 1) -> list[SentMessage]:
        update = self.fake.photo(
            content, user_id=self.user_id, chat_id=self.chat_id, language_code=self.language_code
        )
        return await self.deliver(update, expect)

    async def share_contact(self, phone: str, contact_user_id: int | None) -> str:
        update = self.fake.contact(
            phone,
            user_id=self.user_id,
            contact_user_id=contact_user_id,
            chat_id=self.chat_id,
            language_code=self.language_code,
        )
        (reply,) = await self.deliver(update)
        return reply.text or ""

    async def press(self, message: SentMessage, label: str, expect: int = 1) -> list[SentMessage]:
        update = self.fake.press(
            message, label, user_id=self.user_id, language_code=self.language_code
        )
        return await self.deliver(update, expect)
