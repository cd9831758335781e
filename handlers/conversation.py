"""The channel-neutral conversation: one incoming message in, the replies out.

Every message gets its own database session and transaction, and all dialogue state lives in
the chat account row, so any worker can take the next message and a restart loses nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import joinedload

from handlers import options, router
from handlers.context import Context, ConversationConfig
from handlers.messages import CAPABILITIES, Incoming, Reply
from locales import LANGUAGES, translator
from storage import inbox
from storage.models import ChatAccount, Official
from storage.types import utcnow

__all__ = ["Conversation", "ConversationConfig"]

# Built once: on SQLite, building and keying a statement costs about as much as running it.
_ACCOUNT = (
    select(ChatAccount)
    .where(
        ChatAccount.channel == bindparam("channel"),
        ChatAccount.external_id == bindparam("chat_id"),
    )
    .options(  # one statement, titles joined too: every message pays for it (their own
        # "selectin" load was a second statement, 0.44 against 0.21 ms CPU for the account)
        joinedload(ChatAccount.official).joinedload(Official.unit),
        joinedload(ChatAccount.official).joinedload(Official.held),
    )
)


class Conversation:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], config: ConversationConfig
    ) -> None:
        self._sessions = sessions
        self._config = config

    async def handle(self, incoming: Incoming, now: datetime | None = None) -> list[Reply]:
        """Answer one message. ``now`` (aware) is for tests; the clock otherwise. On a
        messenger without buttons, options come numbered and a typed number presses one
        (handlers/options.py)."""
        replies = await self._answer(incoming, now, None)
        assert replies is not None  # nothing to claim, so never a repeat
        return replies

    async def handle_once(
        self, incoming: Incoming, update_id: str | int, now: datetime | None = None
    ) -> list[Reply] | None:
        """``handle`` a messenger update the first time its ``update_id`` comes; None for a
        repeat. The claim (storage.inbox) is the answer's first write, in its transaction: a
        crash or a failure undoes both, and the update is answered again."""
        return await self._answer(incoming, now, update_id)

    async def _answer(
        self, incoming: Incoming, now: datetime | None, update_id: str | int | None
    ) -> list[Reply] | None:
        numbered = not CAPABILITIES[incoming.channel].buttons
        now = now or utcnow()
        async with self._sessions() as session:
            if update_id is not None and not await inbox.claim(
                session, incoming.channel, update_id, now
            ):
                return None
            account = await self._account(session, incoming)
            if numbered:
                chosen = options.pressed(translator(account.language), account, incoming)
                if isinstance(chosen, Reply):  # a number that is no option: keep the options
                    await session.commit()
                    return [chosen]
                incoming = chosen
            context = Context(
                session=session,
                account=account,
                incoming=incoming,
                config=self._config,
                now=now,
            )
            replies = await router.route(context)
            if numbered:
                replies = options.numbered(context._, account, replies)
            await session.commit()
        return replies

    async def _account(self, session: AsyncSession, incoming: Incoming) -> ChatAccount:
        found = await session.execute(
            _ACCOUNT, {"channel": incoming.channel, "chat_id": incoming.chat_id}
        )
        account = found.unique().scalar_one_or_none()  # a row per title held
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
