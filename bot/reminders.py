"""What the conversation takes from the scheduler, which handlers may not import: the answer to
the reminder buttons ("Đã đăng ký", "Nhắc lại sau 3 ngày", "Không tham gia được"), and the
reminders owed to an official who has just linked a chat."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import ButtonHandler, Context, LinkHook
from handlers.messages import Reply
from scheduler.answers import answer_reminder
from scheduler.config import ReminderConfig
from scheduler.messages import answer_reply
from scheduler.planner import after_linking
from storage import reach
from storage.callback_data import AnswerReminder, ButtonData
from storage.models import ChatAccount, Official


async def _answer(
    config: ReminderConfig, context: Context, official: Official, pressed: ButtonData
) -> Reply:
    assert isinstance(pressed, AnswerReminder)
    result = await answer_reminder(
        context.session, pressed.outbox, official.id, pressed.answer, context.now, config
    )
    return Reply(answer_reply(context.account.language, result))


def reminder_button(config: ReminderConfig) -> tuple[type[ButtonData], ButtonHandler]:
    return AnswerReminder, partial(_answer, config)


async def _linked(
    config: ReminderConfig, session: AsyncSession, account: ChatAccount, now: datetime
) -> None:
    if account.official is not None and reach.carries(account.channel):
        await after_linking(session, account.official.id, now, config)


def reminders_on_linking(config: ReminderConfig) -> LinkHook:
    """Reminders that fell due while the official had no chat, sent once one can receive."""
    return partial(_linked, config)
