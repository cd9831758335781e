"""Where each incoming message goes: commands, buttons, a shared contact, menu labels, a typed
link code, the step of a dialogue, or free text read for its intent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers import bond, coordinator, courses, deadlines, intents, linking, settings, status
from handlers.context import Context
from handlers.help import help_for, help_reply, not_linked, private_only, short_help, too_long
from handlers.menu import topic_for_label
from handlers.messages import Reply
from handlers.topics import Topic
from storage.models import Official

MAX_TEXT = 1000  # longer is not a question; it gets a polite help, never an echo

COMMANDS: dict[str, Topic] = {
    "trangthai": Topic.STATUS,
    "status": Topic.STATUS,
    "lichhoc": Topic.DEADLINES,
    "deadlines": Topic.DEADLINES,
    "camket": Topic.BOND,
    "bond": Topic.BOND,
    "khoahoc": Topic.COURSES,
    "courses": Topic.COURSES,
    "caidat": Topic.SETTINGS,
    "settings": Topic.SETTINGS,
    "help": Topic.HELP,
    "trogiup": Topic.HELP,
}
HELP_COMMANDS = frozenset(name for name, topic in COMMANDS.items() if topic is Topic.HELP)
UNLINK_COMMANDS = frozenset({"huylienket", "unlink"})

RecordReply = Callable[[Context, Official], Awaitable[Reply]]
RECORD_REPLIES: dict[Topic, RecordReply] = {
    Topic.STATUS: status.reply,
    Topic.DEADLINES: deadlines.reply,
    Topic.BOND: bond.reply,
    Topic.COURSES: courses.reply,
}


async def route(context: Context) -> list[Reply]:
    incoming = context.incoming
    if incoming.text is not None and len(incoming.text) > MAX_TEXT:
        return [too_long(context)]
    if incoming.is_group:
        return _group(context)
    if incoming.callback_data is not None:
        return await _button(context, incoming.callback_data)
    if incoming.contact is not None:
        return await linking.link_by_contact(context)
    if incoming.attachment is not None:
        return await coordinator.on_file(context)
    if incoming.command is not None:
        _leave_dialog(context)
        return await _command(context, incoming.command)
    return await _text(context, (incoming.text or "").strip())


def _leave_dialog(context: Context) -> None:
    """A command or a menu topic ends any dialogue; the row is only touched when one was open
    (an assignment marks it for the flush even when the value stays the same)."""
    if context.account.dialog is not None:
        context.account.dialog = None


async def answer(context: Context, topic: Topic) -> list[Reply]:
    """The reply for ``topic``, whichever way it was asked."""
    if topic is Topic.HELP:
        return [await help_for(context)]
    if topic is Topic.SETTINGS:
        return settings.on_command(context)
    official = context.official
    if official is None:
        return [not_linked(context)]
    return [await RECORD_REPLIES[topic](context, official)]


def _group(context: Context) -> list[Reply]:
    """In a group only help is given; anything else could show someone's record."""
    command = context.incoming.command
    if command in HELP_COMMANDS or (command == "start" and not context.incoming.args):
        return [help_reply(context)]
    return [private_only(context)]


async def _command(context: Context, command: str) -> list[Reply]:
    if command == "start":
        if context.incoming.args:
            return await linking.link_by_code(context, " ".join(context.incoming.args))
        return [await help_for(context)]
    if command in UNLINK_COMMANDS:
        return await linking.unlink(context)
    if command in coordinator.COMMANDS:
        return await coordinator.on_command(context, command)
    topic = COMMANDS.get(command)
    if topic is None:
        return [short_help(context)]
    return await answer(context, topic)


async def _button(context: Context, data: str) -> list[Reply]:
    if coordinator.owns_button(data):
        return await coordinator.on_button(context, data)
    if data == settings.HERE:
        return await settings.send_reminders_here(context)
    if data.startswith("set:"):
        return settings.on_button(context, data)
    if data.startswith(courses.REGISTER_PREFIX):
        official = context.official
        if official is None:
            return [not_linked(context)]
        return [await courses.register(context, official, data)]
    for prefix, handler in context.config.buttons:
        if data.startswith(prefix):
            official = context.official
            if official is None:
                return [not_linked(context)]
            return [await handler(context, official, data)]
    return [short_help(context)]


async def _text(context: Context, text: str) -> list[Reply]:
    topic = topic_for_label(text)
    if topic is not None:
        _leave_dialog(context)
        return await answer(context, topic)
    if context.account.dialog == settings.QUIET_DIALOG:
        return settings.on_dialog_text(context, text)
    if coordinator.in_dialog(context.account):
        return await coordinator.on_text(context, text)
    if linking.normalise_code(text) is not None:
        return await linking.link_by_code(context, text)
    topic = intents.match(text)
    if topic is None:
        return [short_help(context)]
    return await answer(context, topic)
