"""The conversation as this deployment configures it, for every channel that runs it."""

from __future__ import annotations

from pathlib import Path

from bot.reminders import reminder_button, reminders_on_linking
from bot.settings import Settings
from handlers.conversation import ConversationConfig
from scheduler.config import ReminderConfig


def conversation_config(settings: Settings) -> ConversationConfig:
    reminders = ReminderConfig.from_settings(settings)
    return ConversationConfig(
        profile_name=settings.standards_profile,
        profile_override=Path(settings.standards_override) if settings.standards_override else None,
        zone=settings.zone,
        default_language=settings.locale,
        link_code_days=settings.link_code_days,
        bot_username=settings.telegram_bot_username,
        buttons=(reminder_button(reminders),),
        on_link=(reminders_on_linking(reminders),),
    )
