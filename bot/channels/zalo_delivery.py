"""Reminders and other outbox messages through Zalo: a scheduler ``Sender`` on the Bot API.

Zalo has no buttons, so a reminder's answers are written as numbered options in the recipient's
language and remembered on their chat account, as the conversation does for its own replies:
typing the number answers the reminder. Text over 2,000 characters goes out in parts.

Errors map onto the dispatcher's: 429 → RetryAfter; 403 (blocked, or the user left) and an
unknown chat → Unreachable; 5xx, 408, timeouts and network errors → Transient; any other
refusal → Rejected. The dispatcher paces every send with the account's send budget
(scheduler.limits). Zalo documents none of these codes: they are assumptions (docs/ZALO.md),
the "blocked" ones configurable (CANBO_ZALO_BLOCKED_CODES).
"""

from __future__ import annotations

import aiohttp
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zalo import ZaloClient, ZaloError, split_reply
from bot.settings import Settings
from handlers import options
from locales import translator
from scheduler.clock import Clock
from scheduler.delivery import Outgoing, Rejected, RetryAfter, Transient, Unreachable
from scheduler.dispatcher import Outlet
from scheduler.limits import Limits, send_budget
from storage.models import Channel, ChatAccount

DEFAULT_RETRY_AFTER = 1.0  # seconds, when a 429 does not say (an assumption)
BLOCKED_CODES = frozenset({403})  # the user blocked the bot or left (an assumption)


class ZaloSender:
    channel = Channel.ZALO

    def __init__(
        self,
        client: ZaloClient,
        sessions: async_sessionmaker[AsyncSession],
        default_language: str,
        blocked_codes: frozenset[int] = BLOCKED_CODES,
    ) -> None:
        self._blocked = blocked_codes
        self._client = client
        self._sessions = sessions
        self._language = default_language

    @property
    def identity(self) -> str:
        return f"zalo:{self._client.bot_id}"

    async def send(self, chat_id: str, message: Outgoing) -> str:
        labels = [label for row in message.buttons for label, _data in row]
        text = message.text
        if labels:
            account = await self._account(chat_id)
            _ = translator(account.language if account else self._language)
            text = options.with_options(_, text, labels)
            text += "\n" + options.choose_hint(_, len(labels))
        first = ""
        try:
            for part in split_reply(text):
                sent = await self._client.send_message(chat_id, part)
                first = first or sent
        except ZaloError as error:
            raise _delivery_error(error, self._blocked) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Transient(type(error).__name__) from None
        if labels:
            await self._remember(chat_id, [data for row in message.buttons for _label, data in row])
        return first

    async def _account(self, chat_id: str) -> ChatAccount | None:
        async with self._sessions() as session:
            return await _find(session, chat_id)

    async def _remember(self, chat_id: str, data: list[str]) -> None:
        """Typing a number now answers this message: its options replace those shown before."""
        async with self._sessions() as session:
            account = await _find(session, chat_id)
            if account is not None:
                options.remember(account, data)
                await session.commit()

    async def close(self) -> None:
        await self._client.close()


async def _find(session: AsyncSession, chat_id: str) -> ChatAccount | None:
    found: ChatAccount | None = await session.scalar(
        select(ChatAccount).where(
            ChatAccount.channel == Channel.ZALO, ChatAccount.external_id == chat_id
        )
    )
    return found


def _delivery_error(error: ZaloError, blocked: frozenset[int]) -> Exception:
    description = error.description or str(error.code)
    if error.code == 429:
        return RetryAfter(error.retry_after or DEFAULT_RETRY_AFTER)
    if error.code in blocked or "not found" in description.lower():
        return Unreachable(description)
    if error.code == 408 or error.code >= 500:
        return Transient(description)
    return Rejected(description)


def zalo_outlet(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], clock: Clock | None = None
) -> Outlet | None:
    """The Zalo outlet, or None when no Zalo token is configured. Zalo publishes no per-chat
    limit, so only the overall rate (CANBO_ZALO_RATE) applies, per chat as well."""
    if settings.zalo_token is None:
        return None
    client = ZaloClient(settings.zalo_token.get_secret_value(), settings.zalo_api_url)
    rate = settings.zalo_rate
    sender = ZaloSender(client, sessions, settings.locale, settings.zalo_blocked_codes)
    limits = Limits(per_second=rate, per_chat_second=rate)
    return Outlet(sender, send_budget(sessions.kw.get("bind"), sender.identity, limits, clock))
