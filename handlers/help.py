"""Help, and the short answers for what the bot cannot take: unknown commands and text,
messages too long to read, group chats and chats not linked yet."""

from __future__ import annotations

from handlers.context import Context
from handlers.menu import menu
from handlers.messages import CAPABILITIES, Reply
from storage.access import scope_of
from storage.models import Channel


def _menu_for(context: Context) -> tuple[tuple[str, ...], ...] | None:
    return menu(context._) if context.official is not None else None


def _needs_linking(context: Context) -> bool:
    """A private chat not linked yet: the place to explain how to link."""
    return context.official is None and not context.incoming.is_group


async def help_for(context: Context) -> Reply:
    """Help in a private chat: a coordinator also learns the commands of their role."""
    official = context.official
    coordinates = official is not None and await scope_of(context.session, official.id) is not None
    return help_reply(context, coordinator=coordinates)


def help_reply(context: Context, *, coordinator: bool = False) -> Reply:
    _ = context._
    lines = [
        _("I answer questions about your standards, training deadlines, service bond and courses."),
        _(
            "Choose a topic from the menu, use a command (/trangthai, /lichhoc, /camket, "
            '/khoahoc, /caidat), or just ask, for example "am I qualified?".'
        ),
    ]
    if coordinator:
        lines.append(
            _(
                "For coordinators: /thongbao sends an announcement to officials of your units, "
                "/thongbao_baocao shows how announcements were delivered, and /baocao reports "
                "your units' qualifications."
            )
        )
    if _needs_linking(context):
        lines.append(_not_linked_hint(context))
    return Reply(
        "\n\n".join(lines), menu=_menu_for(context), request_contact=_needs_linking(context)
    )


def short_help(context: Context) -> Reply:
    """For text and commands that match nothing: one line, and the menu again."""
    _ = context._
    text = _("Sorry, I did not understand. Choose a topic from the menu or type /help.")
    if _needs_linking(context):
        text += "\n\n" + _not_linked_hint(context)
    return Reply(text, menu=_menu_for(context), request_contact=_needs_linking(context))


def too_long(context: Context) -> Reply:
    """A message too long to be a question; it is never repeated back."""
    _ = context._
    return Reply(
        _(
            "Your message is too long for me to read. Please ask a short question, for "
            'example "my training deadlines", or type /help.'
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
    return Reply(_not_linked_hint(context), request_contact=True, menu=None)


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
