"""The terminal as a messenger, for operators and demos: `canbo ask` and `canbo chat`.

The operator speaks as an official; the terminal chat account for that official is linked
without a code, because whoever runs the command already holds the database. The terminal has
no buttons: the conversation numbers the options and remembers them (handlers/options.py), so
typing the number presses one, even in the next `canbo ask`.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.conversation import conversation_config
from bot.settings import Settings
from handlers.conversation import Conversation
from handlers.messages import Incoming, Reply, parse_command
from handlers.records import official_by_code
from locales import translator
from storage.audit import record
from storage.db import create_engine, session_factory
from storage.models import Channel, ChatAccount


class TerminalChat:
    def __init__(
        self,
        conversation: Conversation,
        sessions: async_sessionmaker[AsyncSession],
        official_code: str,
        out: TextIO,
    ) -> None:
        self._conversation = conversation
        self._sessions = sessions
        self._code = official_code.strip()
        self._out = out

    async def open(self) -> bool:
        """Link this terminal's chat to the official; False when no official has the code."""
        async with self._sessions() as session:
            official = await official_by_code(session, self._code)
            if official is None:
                return False
            account = await session.scalar(
                select(ChatAccount).where(
                    ChatAccount.channel == Channel.TERMINAL,
                    ChatAccount.external_id == self._code,
                )
            )
            if account is None:
                account = ChatAccount(
                    channel=Channel.TERMINAL, external_id=self._code, muted_kinds=[], dialog_data={}
                )
                session.add(account)
            if account.official_id != official.id:
                account.official_id = official.id
                await session.flush()
                record(session, "terminal", "chat.linked", official.code, method="terminal")
            await session.commit()
        return True

    async def say(self, text: str) -> None:
        """Send ``text`` (a number picks an option shown last) and print the replies."""
        text = text.strip()
        command, args = parse_command(text)
        incoming = Incoming(
            channel=Channel.TERMINAL,
            chat_id=self._code,
            sender_id=self._code,
            text=text,
            command=command,
            args=args,
        )
        self._print(await self._conversation.handle(incoming))

    async def run(self, lines: TextIO) -> None:
        """Chat until end of input (Ctrl-D)."""
        while True:
            self._out.write("> ")
            self._out.flush()
            line = await asyncio.to_thread(lines.readline)
            if not line:
                self._out.write("\n")
                return
            if line.strip():
                await self.say(line)

    def _print(self, replies: list[Reply]) -> None:
        for reply in replies:
            self._out.write(reply.text + "\n\n")


async def with_terminal_chat(
    settings: Settings, official_code: str, use: Callable[[TerminalChat], Awaitable[None]]
) -> int:
    """Run ``use`` on a terminal chat as the official; 1 with a message if there is none."""
    engine = create_engine(settings.database_url)
    try:
        sessions = session_factory(engine)
        conversation = Conversation(sessions, conversation_config(settings))
        chat = TerminalChat(conversation, sessions, official_code, sys.stdout)
        if not await chat.open():
            _ = translator(settings.locale)
            print(_("No official has the code {code}.", code=official_code), file=sys.stderr)
            return 1
        await use(chat)
    finally:
        await engine.dispose()
    return 0
