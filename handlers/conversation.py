"""The channel-neutral conversation: one incoming message in, the replies out.

Every message gets its own database session and transaction, and all dialogue state lives in
the chat account row, so any worker can take the next message and a restart loses nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from handlers import options, router
from handlers.context import Context, ConversationConfig
from handlers.messages import CAPABILITIES, Incoming, Reply
from locales import LANGUAGES
from rules.profiles import load_profile
from storage.models import ChatAccount, Official
from storage.types import utcnow

__all__ = ["Conversation", "ConversationConfig"]


class Conversation:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], config: ConversationConfig
    ) -> None:
        self._sessions = sessions
        self._config = config
        self._profile = load_profile(config.profile_name, config.profile_override)

    async def handle(self, incoming: Incoming, now: datetime | None = None) -> list[Reply]:
        """Answer one message. ``now`` (aware) is for tests; the clock otherwise. On a
        messenger without buttons, options come numbered and a typed number presses one
        (handlers/options.py)."""
        numbered = not CAPABILITIES[incoming.channel].buttons
        async with self._sessions() as session:
            account = await self._account(session, incoming)
            if numbered:
                incoming = options.pressed(account, incoming)
            context = Context(
                session=session,
                account=account,
                incoming=incoming,
                config=self._config,
                profile=self._profile,
                now=now or utcnow(),
            )
            replies = await router.route(context)
            if numbered:
                replies = options.numbered(context._, account, replies)
            await session.commit()
        return replies

    async def _account(self, session: AsyncSession, incoming: Incoming) -> ChatAccount:
        account = await session.scalar(
            select(ChatAccount)
            .where(
                ChatAccount.channel == incoming.channel,
                ChatAccount.external_id == incoming.chat_id,
            )
            .options(
                selectinload(ChatAccount.official).selectinload(Official.unit),
                selectinload(ChatAccount.official).selectinload(Official.title),
            )
        )
        if account is None:
            hint = (incoming.language_hint or "").split("-")[0].lower()
            account = ChatAccount(
                channel=incoming.channel,
                external_id=incoming.chat_id,
                language=hint if hint in LANGUAGES else self._config.default_language,
                is_group=incoming.is_group,
                muted_kinds=[],
                dialog_data={},
                official=None,
            )
            try:
                async with session.begin_nested():
                    session.add(account)
            except IntegrityError:  # the same chat's first message, taken by another worker
                return await self._account(session, incoming)
        return account
