"""What coordinators use in the chat: announcements (/thongbao), their delivery reports
(/thongbao_baocao) and qualification reports (/baocao), each with an English alias; rosters
sent as a file (roster_upload); and the "Received" button every recipient of an announcement
may press.

The router hands over commands, buttons and dialogue text through ``on_command``,
``on_button`` and ``on_text``; each handler checks the sender's role and scope itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.context import Context
from handlers.coordinator import ack, broadcast, delivery, qualifications, roster_upload
from handlers.messages import Reply
from storage.broadcasts import ACK_PREFIX
from storage.models import ChatAccount

Handler = Callable[[Context], Awaitable[list[Reply]]]
ButtonHandler = Callable[[Context, str], Awaitable[list[Reply]]]

COMMANDS: dict[str, Handler] = {
    "thongbao": broadcast.start,
    "broadcast": broadcast.start,
    "thongbao_baocao": delivery.on_command,
    "broadcast_report": delivery.on_command,
    "baocao": qualifications.on_command,
    "report": qualifications.on_command,
}
BUTTONS: dict[str, ButtonHandler] = {
    broadcast.PREFIX: broadcast.on_button,
    delivery.PREFIX: delivery.on_button,
    qualifications.PREFIX: qualifications.on_button,
    ACK_PREFIX: ack.on_button,
    roster_upload.PREFIX: roster_upload.on_button,
}
on_file = roster_upload.on_file  # a roster sent as a file


async def on_command(context: Context, command: str) -> list[Reply]:
    return await COMMANDS[command](context)


def owns_button(data: str) -> bool:
    return data.partition(":")[0] in BUTTONS


async def on_button(context: Context, data: str) -> list[Reply]:
    return await BUTTONS[data.partition(":")[0]](context, data)


def in_dialog(account: ChatAccount) -> bool:
    """Is this chat composing an announcement (so typed text belongs to it)?"""
    return account.dialog in broadcast.DIALOGS


async def on_text(context: Context, text: str) -> list[Reply]:
    return await broadcast.on_text(context, text)
