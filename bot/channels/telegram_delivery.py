"""Reminders and other outbox messages through Telegram: a ``Sender`` on python-telegram-bot's
``Bot``, and the reminder jobs of `canbo run` wired from the settings.

The sender maps Telegram's answers onto the dispatcher's errors: 429 → RetryAfter; "bot was
blocked by the user", other 403s and "chat not found" → Unreachable; timeouts, network errors
and 5xx → Transient; any other bad request → Rejected. It has no rate limiter of its own: the
dispatcher paces every send (scheduler.limits).
"""

from __future__ import annotations

import warnings
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.error import RetryAfter as TelegramRetryAfter
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot.channels.telegram_budget import account, telegram_budget
from bot.channels.telegram_request import AiohttpRequest
from bot.channels.zns import zns_sender
from bot.settings import Settings
from bot.webchat.delivery import web_outlet
from scheduler.clock import Clock
from scheduler.config import ReminderConfig
from scheduler.delivery import Outgoing, Rejected, RetryAfter, Transient, Unreachable
from scheduler.dispatcher import Dispatcher, DispatchSettings, Outlet
from scheduler.fallback import Fallback
from scheduler.jobs import ReminderJobs
from storage.db import session_factory
from storage.models import Channel

TIMEOUT = 10.0  # seconds for each phase of one request
# do_api_request on purpose: send_message would build a Message object of every answer
warnings.filterwarnings("ignore", "Please use 'Bot.sendMessage'", PTBUserWarning)


class TelegramSender:
    channel = Channel.TELEGRAM

    def __init__(self, token: str, base_url: str, *, timeout: float = TIMEOUT) -> None:
        request = AiohttpRequest(
            connection_pool_size=16,
            connect_timeout=timeout,
            read_timeout=timeout,
            write_timeout=timeout,
            pool_timeout=timeout,
        )
        never_polled = AiohttpRequest()  # opens no connection unless used
        self._bot = Bot(token, base_url=base_url, request=request, get_updates_request=never_polled)
        self._token = token
        # the bot's numeric id: enough to tell accounts apart, never the secret part
        self._identity = account(token)

    @property
    def identity(self) -> str:
        return self._identity

    async def send(self, chat_id: str, message: Outgoing) -> str:
        markup = (
            InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                    for row in message.buttons
                ]
            )
            if message.buttons
            else None
        )
        try:
            # the raw answer: only its message id is read, no Message object is built
            sent = await self._bot.do_api_request(
                "sendMessage",
                api_kwargs={"chat_id": chat_id, "text": message.text, "reply_markup": markup},
            )
        except TelegramRetryAfter as error:
            raise RetryAfter(_seconds(error)) from None
        except Forbidden as error:
            raise Unreachable(self._clean(error)) from None
        except BadRequest as error:
            if "chat not found" in error.message.lower():
                raise Unreachable(self._clean(error)) from None
            raise Rejected(self._clean(error)) from None
        except TelegramError as error:  # timeouts, network errors, 5xx and the unexpected
            raise Transient(self._clean(error)) from None
        return str(sent["message_id"])

    def _clean(self, error: TelegramError) -> str:
        """The error's text for logs and the outbox, without the token should a URL be in it."""
        return error.message.replace(self._token, "***")

    async def close(self) -> None:
        """Close the connections; ``Bot.shutdown`` would not, as the bot is never initialized
        (that would cost a getMe call)."""
        await self._bot.request.shutdown()


def _seconds(error: TelegramRetryAfter) -> float:
    """``retry_after`` in seconds, whichever type this PTB version hands out."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def telegram_outlet(
    settings: Settings, engine: AsyncEngine | None, clock: Clock | None = None
) -> Outlet | None:
    """The Telegram outlet, or None when no bot token is configured; it shares the bot's send
    budget with the replies (``telegram_budget``)."""
    if settings.telegram_token is None:
        return None
    sender = TelegramSender(settings.telegram_token.get_secret_value(), settings.telegram_api_url)
    return Outlet(sender, telegram_budget(settings, engine, clock))


def build_dispatcher(
    settings: Settings, engine: AsyncEngine, concurrency: int | None = None
) -> Dispatcher:
    """The dispatcher for every configured messenger and the web chat (storage.reach);
    ``concurrency`` overrides CANBO_DISPATCH_CONCURRENCY."""
    sessions = session_factory(engine)
    configured = (
        (Channel.TELEGRAM, telegram_outlet(settings, engine)),
        (Channel.ZALO, _zalo_outlet(settings, sessions)),
        (Channel.WEB, web_outlet(sessions)),
    )
    outlets = {channel: outlet for channel, outlet in configured if outlet is not None}
    return Dispatcher(
        engine,
        outlets,
        ReminderConfig.from_settings(settings),
        settings=DispatchSettings(
            concurrency=concurrency or settings.dispatch_concurrency,
            standby_poll=settings.dispatch_standby_poll,
        ),
    )


def _zalo_outlet(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> Outlet | None:
    """Zalo's outlet when a Zalo token is set. Imported only then: its client shares a module
    with Zalo's update path (the conversation handlers, the intent model), a quarter of a
    second of `canbo outbox dispatch`'s start-up that a Telegram-only bot does not need."""
    if settings.zalo_token is None:
        return None
    from bot.channels.zalo_delivery import zalo_outlet

    return zalo_outlet(settings, sessions)


def reminder_jobs(settings: Settings, engine: AsyncEngine) -> ReminderJobs:
    """The planner, dispatcher and fallback for `canbo run` (the fallback sends by ZNS only
    when ZNS is set up)."""
    config = ReminderConfig.from_settings(settings)
    dispatcher = build_dispatcher(settings, engine)
    sessions = session_factory(engine)
    fallback = Fallback(sessions, config, list(dispatcher.outlets), zns_sender(settings, sessions))
    return ReminderJobs(engine, config, dispatcher, fallback)
