"""The reminder buttons ("Đã đăng ký", "Nhắc lại sau 3 ngày", "Không tham gia được").

Reminders belong to the scheduler, which handlers may not import; the service plugs this
answer into the conversation as one of its extra buttons.
"""

from __future__ import annotations

from functools import partial

from handlers.context import ButtonHandler, Context
from handlers.help import short_help
from handlers.messages import Reply
from scheduler.answers import answer_reminder
from scheduler.config import ReminderConfig
from scheduler.messages import CALLBACK_PREFIX, answer_reply, parse_callback
from storage.models import Official


async def _answer(config: ReminderConfig, context: Context, official: Official, data: str) -> Reply:
    parsed = parse_callback(data)
    if parsed is None:
        return short_help(context)
    outbox_id, answer = parsed
    result = await answer_reminder(
        context.session, outbox_id, official.id, answer, context.now, config
    )
    return Reply(answer_reply(context.account.language, result))


def reminder_button(config: ReminderConfig) -> tuple[str, ButtonHandler]:
    return f"{CALLBACK_PREFIX}:", partial(_answer, config)
