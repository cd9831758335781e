"""Help, and the short answers for what the bot cannot take: unknown commands, buttons that no
longer mean anything, messages too long to read, group chats and chats not linked yet."""

from __future__ import annotations

from handlers.context import Context
from handlers.menu import LABELS, Menu, menu
from handlers.messages import CAPABILITIES, Reply
from handlers.topics import Task, Topic, command, task_command
from locales import N_, translator
from storage.access import scope_of
from storage.models import Channel

SHARE_PHONE = N_("Share my phone number")


def command_list(language: str) -> list[tuple[str, str]]:
    """The topics' commands in ``language``, each with what it shows, for a messenger's
    command menu (Telegram's "/" list)."""
    _ = translator(language)
    return [(command(language, topic)[1:], _(LABELS[topic])) for topic in Topic]


async def menu_for(context: Context) -> Menu | None:
    """The menu of a linked chat (a coordinator's with their tasks); None before linking."""
    official = context.official
    if official is None:
        return None
    return menu(context._, coordinator=await _coordinates(context))


async def _coordinates(context: Context) -> bool:
    official = context.official
    return official is not None and await scope_of(context.session, official.id) is not None


def share_phone(context: Context) -> str | None:
    """The label of the share-my-number button, where the messenger has one."""
    if not CAPABILITIES[context.incoming.channel].contact:
        return None
    return context._(SHARE_PHONE)


def _needs_linking(context: Context) -> bool:
    """A private chat not linked yet: the place to explain how to link."""
    return context.official is None and not context.incoming.is_group


async def help_for(context: Context) -> Reply:
    """Help in a private chat: a coordinator also learns the commands of their role."""
    coordinates = await _coordinates(context)
    shown = menu(context._, coordinator=coordinates) if context.official is not None else None
    return help_reply(context, coordinator=coordinates, shown=shown)


def help_reply(context: Context, *, coordinator: bool = False, shown: Menu | None = None) -> Reply:
    """Help; ``shown`` is the menu to show with it (None removes a stale one)."""
    _ = context._
    language = context.account.language
    lines = [
        _("I answer questions about your standards, training deadlines, service bond and courses."),
        _(
            "Choose a topic from the menu, use a command ({commands}), or just ask, for "
            'example "am I qualified?".',
            commands=", ".join(command(language, topic) for topic in Topic),
        ),
    ]
    if coordinator:
        lines.append(
            _(
                "For coordinators: {announce} sends an announcement to officials of your units, "
                "{deliveries} shows how announcements were delivered, and {report} reports "
                "your units' qualifications.",
                announce=task_command(language, Task.ANNOUNCE),
                deliveries=task_command(language, Task.DELIVERIES),
                report=task_command(language, Task.REPORT),
            )
        )
        lines.append(
            _(
                "{console} gives you a link to sign in to the console in a browser, for "
                "rosters, figures and roles at a desk.",
                console=task_command(language, Task.CONSOLE),
            )
        )
    if _needs_linking(context):
        lines.append(_not_linked_hint(context))
        return Reply("\n\n".join(lines), menu=None, request_contact=share_phone(context))
    return Reply("\n\n".join(lines), menu=shown)


async def short_help(context: Context) -> Reply:
    """For commands that match nothing: one line, and the menu again."""
    _ = context._
    return await with_menu(context, _("Sorry, I did not understand.") + " " + _hint(context))


async def with_menu(context: Context, text: str) -> Reply:
    """``text`` with the menu under it; before linking, with how to link instead."""
    if _needs_linking(context):
        text += "\n\n" + _not_linked_hint(context)
        return Reply(text, menu=None, request_contact=share_phone(context))
    return Reply(text, menu=await menu_for(context))


def _hint(context: Context) -> str:
    help_command = command(context.account.language, Topic.HELP)
    return context._("Choose a topic from the menu or type {help}.", help=help_command)


def too_long(context: Context) -> Reply:
    """A message too long to be a question; it is never repeated back."""
    _ = context._
    return Reply(
        _(
            "Your message is too long for me to read. Please ask a short question, for "
            'example "my training deadlines", or type {help}.',
            help=command(context.account.language, Topic.HELP),
        )
    )


def private_only(context: Context) -> Reply:
    """Records are never shown in a group, where others would read them."""
    _ = context._
    text = _("I do not show personal records in a group. Please message me privately.")
    if context.config.bot_username and context.incoming.channel is Channel.TELEGRAM:
        text += f"\nhttps://t.me/{context.config.bot_username}"
    return Reply(text)


def not_linked(context: Context) -> Reply:
    return Reply(_not_linked_hint(context), request_contact=share_phone(context), menu=None)


def _not_linked_hint(context: Context) -> str:
    _ = context._
    if not CAPABILITIES[context.incoming.channel].contact:
        return _(
            "This chat is not linked to your record yet. Send the code you received from "
            "your organisation board (it looks like K7QX-9PMA)."
        )
    return _(
        "This chat is not linked to your record yet. Send the code you received from your "
        "organisation board (it looks like K7QX-9PMA), or share your phone number with the "
        "button below."
    )
