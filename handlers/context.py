"""What every topic handler gets for one incoming message: the chat, its official, the clock,
the language and the deployment's configuration."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.messages import Incoming, Reply
from locales import Translator, translator
from rules.profiles import Profile, Standards
from storage.callback_data import ButtonData
from storage.models import ChatAccount, Official

LinkHook = Callable[[AsyncSession, ChatAccount, datetime], Awaitable[None]]
"""Told of a chat just linked: (session, the chat account with its official, now)."""


@dataclass(frozen=True)
class ConversationConfig:
    """The deployment choices the conversation needs; bot/app.py builds it from Settings."""

    standards: Standards  # which profile applies on a day (pin, province override)
    zone: ZoneInfo
    default_language: str = "vi"
    link_code_days: int = 7
    bot_username: str | None = None  # for t.me deep links
    web_url: str = ""  # where people open this service's pages (the console's sign-in links)
    # Buttons answered by other parts of the service (e.g. reminder answers, which belong to
    # the scheduler): (button kind, handler) pairs, tried after the handlers' own.
    buttons: tuple[tuple[type[ButtonData], ButtonHandler], ...] = ()
    # Called when a chat is linked to an official, in the linking transaction (e.g. the
    # scheduler's reminders that fell due while the official had no chat: scheduler/planner.py).
    on_link: tuple[LinkHook, ...] = ()


@dataclass
class Context:
    session: AsyncSession
    account: ChatAccount
    incoming: Incoming
    config: ConversationConfig
    now: datetime  # aware, UTC

    @property
    def _(self) -> Translator:
        """The translator for the chat's current language (it changes with /settings)."""
        return translator(self.account.language)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.config.zone).date()

    @property
    def profile(self) -> Profile:
        """The standards in force today (rules.profiles.profile_in_force)."""
        return self.config.standards.on(self.today)

    @property
    def official(self) -> Official | None:
        return self.account.official


ButtonHandler = Callable[[Context, Official, ButtonData], Awaitable[Reply]]
"""Answers a pressed button of a linked official: (context, official, the button's meaning)."""
