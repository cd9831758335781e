"""The reminder buttons ("Đã đăng ký", "Nhắc lại sau 3 ngày", "Không tham gia được").

Reminders belong to the scheduler, which handlers may not import; the service plugs this
answer into the conversation as one of its extra buttons.
"""

from __future__ import annotations

from functools import partial

from handlers.context import ButtonHandler, Context
from handlers.messages import Reply
from scheduler.answers import answer_reminder
from scheduler.config import ReminderConfig
from scheduler.messages import answer_reply
from storage.callback_data import AnswerReminder, ButtonData
from storage.models import Official


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
