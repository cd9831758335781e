"""Where each incoming message goes: commands, buttons, a shared contact, menu labels, a typed
link code, the step of a dialogue, or free text read for its intent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers import (
    bond,
    coordinator,
    courses,
    deadlines,
    evidence,
    files,
    intents,
    linking,
    settings,
    small_talk,
    status,
)
from handlers.context import Context
from handlers.coordinator import ack
from handlers.help import help_for, help_reply, not_linked, private_only, short_help, too_long
from handlers.menu import label_meaning
from handlers.messages import Reply
from handlers.topics import COMMANDS, TOPICS_BY_VALUE, Topic
from storage.callback_data import (
    Acknowledge,
    Ask,
    BroadcastStep,
    ButtonData,
    Citations,
    ConfirmRegistration,
    DeliveryStep,
    EvidenceStep,
    QualificationStep,
    Register,
    RosterStep,
    Setting,
    decode,
)
from storage.models import Official

MAX_TEXT = 1000  # longer is not a question; it gets a polite help, never an echo

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
        return await files.on_file(context)
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
        return await settings.on_command(context)
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
        return [await short_help(context)]
    return await answer(context, topic)


async def _button(context: Context, data: str) -> list[Reply]:
    """A pressed button (or a typed option's number), by what its data means; data that
    means nothing, or no longer does, gets a polite answer."""
    pressed = decode(data)
    if isinstance(pressed, BroadcastStep | DeliveryStep | QualificationStep | RosterStep):
        return await coordinator.on_button(context, pressed)
    if isinstance(pressed, Setting):
        return await settings.on_button(context, pressed)
    if isinstance(pressed, Ask) and pressed.topic in TOPICS_BY_VALUE:
        _leave_dialog(context)
        return await answer(context, TOPICS_BY_VALUE[pressed.topic])
    official = context.official
    if pressed is None or isinstance(pressed, Ask):
        return [small_talk.stale_button(context)]
    if official is None:
        return [not_linked(context)]
    return [await _official_button(context, official, pressed)]


async def _official_button(context: Context, official: Official, pressed: ButtonData) -> Reply:
    """The buttons about the official's own record."""
    if isinstance(pressed, Register):
        return await courses.confirm(context, official, pressed.course)
    if isinstance(pressed, ConfirmRegistration):
        return await courses.on_confirmation(context, official, pressed)
    if isinstance(pressed, Citations):
        return await status.citations(context, official)
    if isinstance(pressed, Acknowledge):
        return await ack.on_button(context, official, pressed)
    if isinstance(pressed, EvidenceStep):
        return await evidence.on_button(context, official, pressed)
    for kind, handler in context.config.buttons:
        if isinstance(pressed, kind):
            return await handler(context, official, pressed)
    return small_talk.stale_button(context)


async def _text(context: Context, text: str) -> list[Reply]:
    meaning = label_meaning(text)
    if isinstance(meaning, Topic):
        _leave_dialog(context)
        return await answer(context, meaning)
    if meaning is not None:  # a coordinator's task
        _leave_dialog(context)
        return await coordinator.on_task(context, meaning)
    if context.account.dialog == settings.QUIET_DIALOG:
        return settings.on_dialog_text(context, text)
    if coordinator.in_dialog(context.account):
        return await coordinator.on_text(context, text)
    if linking.normalise_code(text) is not None or (
        context.official is None and linking.looks_like_code(text)
    ):
        return await linking.link_by_code(context, text)
    reading = intents.read(text)
    if reading.topic is not None:
        return await answer(context, reading.topic)
    return [await small_talk.reply(context, reading)]
