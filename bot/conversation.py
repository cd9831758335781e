"""The conversation as this deployment configures it, for every channel that runs it."""

from __future__ import annotations

from bot.media import service_url
from bot.reminders import reminder_button, reminders_on_linking
from bot.settings import Settings
from handlers.conversation import ConversationConfig
from scheduler.config import ReminderConfig


def conversation_config(settings: Settings) -> ConversationConfig:
    reminders = ReminderConfig.from_settings(settings)
    return ConversationConfig(
        standards=reminders.standards,
        zone=settings.zone,
        default_language=settings.locale,
        link_code_days=settings.link_code_days,
        bot_username=settings.telegram_bot_username,
        web_url=service_url(settings),
        buttons=(reminder_button(reminders),),
        on_link=(reminders_on_linking(reminders),),
    )
