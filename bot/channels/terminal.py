"""The terminal as a messenger, for operators and demos: `canbo ask` and `canbo chat`.

The operator speaks as an official; the terminal chat account for that official is linked
without a code, because whoever runs the command already holds the database. The terminal has
no buttons: the conversation numbers the options and remembers them (handlers/options.py), so
typing the number presses one, even in the next `canbo ask`.
"""

from __future__ import annotations

import asyncio
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.conversation import Conversation
from handlers.messages import Incoming, Reply, parse_command
from storage.audit import record
from storage.models import Channel, ChatAccount, Official


class TerminalChat:
    def __init__(
        self,
        conversation: Conversation,
        sessions: async_sessionmaker[AsyncSession],
        official: Official,
        out: TextIO,
    ) -> None:
        self._conversation = conversation
        self._sessions = sessions
        self._official_id = official.id
        self._code = official.code
        self._out = out

    async def open(self) -> None:
        """Link this terminal's chat to the official (once; the link is audited)."""
        async with self._sessions() as session:
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
            if account.official_id != self._official_id:
                account.official_id = self._official_id
                await session.flush()
                record(session, "terminal", "chat.linked", self._code, method="terminal")
            await session.commit()

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
