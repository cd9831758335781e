"""Reminders and announcements for officials in the web chat: the page cannot be written to
first, so a message waits in the chat's kept conversation (bot/webchat/history.py) and is shown
on the official's next visit, with its buttons. storage.reach counts such an official as reached
on visit, everywhere.

A database write, not a messenger: no rate limit applies and no bot account is shared.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.webchat import history
from scheduler.delivery import Outgoing, Unreachable
from scheduler.dispatcher import Outlet
from storage.models import Channel, ChatAccount
from storage.types import utcnow


class WebChatSender:
    channel = Channel.WEB
    identity = ""  # no bot account: any dispatcher may write to the web chat

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def send(self, chat_id: str, message: Outgoing) -> str:
        reply = {
            "text": message.text,
            "buttons": [
                [{"label": label, "data": data} for label, data in row] for row in message.buttons
            ],
        }
        async with self._sessions() as session:
            account_id = await session.scalar(
                select(ChatAccount.id).where(
                    ChatAccount.channel == Channel.WEB,
                    ChatAccount.external_id == chat_id,
                    ChatAccount.official_id.is_not(None),
                )
            )
            if account_id is None:  # signed out since: the chat no longer exists
                raise Unreachable("web chat signed out")
            await history.remember(session, account_id, "", [reply], utcnow())
            await session.commit()
        return "web"

    async def close(self) -> None:
        return None


def web_outlet(sessions: async_sessionmaker[AsyncSession]) -> Outlet:
    return Outlet(WebChatSender(sessions), None)
