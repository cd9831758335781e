"""The "Received" button under an announcement: the official confirms they have read it.
The first press is recorded; later ones change nothing."""

from __future__ import annotations

from handlers.context import Context
from handlers.help import not_linked
from handlers.messages import Reply
from storage.broadcasts import AckResult, acknowledge, parse_ack


async def on_button(context: Context, data: str) -> list[Reply]:
    _ = context._
    official = context.official
    if official is None:
        return [not_linked(context)]
    broadcast_id = parse_ack(data)
    result = (
        await acknowledge(context.session, broadcast_id, official.id, context.now)
        if broadcast_id is not None
        else AckResult.UNKNOWN
    )
    if result is AckResult.RECORDED:
        return [Reply(_("Thank you. Your coordinator can see that you received it."))]
    if result is AckResult.ALREADY:
        return [Reply(_("You have already confirmed this announcement."))]
    return [Reply(_("This announcement is no longer available."))]
