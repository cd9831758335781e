"""Speaking as an official in the terminal, shared by `canbo ask` and `canbo chat`."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable

from bot.channels.terminal import TerminalChat
from bot.commands.database import open_engine
from bot.commands.officials import official_or_complain
from bot.conversation import conversation_config
from bot.settings import Settings
from handlers.conversation import Conversation
from locales import translator
from storage.db import session_factory


async def with_terminal_chat(
    settings: Settings, official_code: str, use: Callable[[TerminalChat], Awaitable[None]]
) -> int:
    """Run ``use`` on a terminal chat as the official; 1 with a message if there is none."""
    async with open_engine(settings) as engine:
        sessions = session_factory(engine)
        async with sessions() as session:
            official = await official_or_complain(
                session, official_code.strip(), translator(settings.locale)
            )
        if official is None:
            return 1
        conversation = Conversation(sessions, conversation_config(settings))
        chat = TerminalChat(conversation, sessions, official, sys.stdout)
        await chat.open()
        await use(chat)
    return 0
