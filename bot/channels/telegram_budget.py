"""The bot's one send budget (scheduler.limits), for the replies python-telegram-bot sends as
well as for the dispatcher: a rate limiter for PTB's Application that books every message-
sending request as a reply, the highest priority.

Which requests count: those that put a message in a chat (``COUNTED``); answering a button
press, editing or fetching do not (Telegram documents its limits for sending messages only;
an assumption). A chat id below zero is a group or channel (Telegram's numbering), held to the
group limit as well.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.settings import Settings
from scheduler.clock import Clock
from scheduler.limits import Limits, Priority, SendBudget, send_budget

COUNTED = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "sendContact",
        "sendLocation",
        "copyMessage",
        "forwardMessage",
    }
)
TRIES = 3  # a 429 despite the budget (another bot on the token?) is waited out and tried again

Result = bool | dict[str, Any] | list[dict[str, Any]]


def account(token: str) -> str:
    """Names the bot account by its numeric id, never the secret part of its token."""
    return f"telegram:{token.partition(':')[0]}"


def telegram_budget(
    settings: Settings, engine: AsyncEngine | None, clock: Clock | None = None
) -> SendBudget:
    """The bot's one send budget in this process (scheduler.limits)."""
    assert settings.telegram_token is not None
    limits = Limits(per_second=settings.telegram_rate)
    return send_budget(engine, account(settings.telegram_token.get_secret_value()), limits, clock)


class BudgetRateLimiter(BaseRateLimiter[None]):
    def __init__(self, budget: SendBudget) -> None:
        self.budget = budget

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        await self.budget.close()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Result:
        chat_id = data.get("chat_id")
        counted = endpoint in COUNTED and chat_id is not None
        for attempt in range(1, TRIES + 1):
            slot = None
            if counted:
                chat = str(chat_id)
                slot = await self.budget.acquire(chat, chat.startswith("-"), Priority.REPLY)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == TRIES:
                    raise
                wait = error.retry_after
                seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                await self.budget.pause(seconds)
            finally:
                if slot is not None:
                    self.budget.done(slot)
        raise AssertionError("unreachable")
