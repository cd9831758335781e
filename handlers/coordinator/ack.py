"""The "Received" button under an announcement: the official confirms they have read it.
The first press is recorded; later ones change nothing."""

from __future__ import annotations

from handlers.context import Context
from handlers.messages import Reply
from storage.broadcasts import AckResult, acknowledge
from storage.callback_data import Acknowledge
from storage.models import Official


async def on_button(context: Context, official: Official, pressed: Acknowledge) -> Reply:
    _ = context._
    result = await acknowledge(context.session, pressed.broadcast, official.id, context.now)
    if result is AckResult.RECORDED:
        return Reply(_("Thank you. Your coordinator can see that you received it."))
    if result is AckResult.ALREADY:
        return Reply(_("You have already confirmed this announcement."))
    return Reply(_("This announcement is no longer available."))
