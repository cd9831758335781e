"""/console: a one-time link that signs the coordinator in to the browser console, valid 15
minutes (storage/console.py). Only in a private chat (the router answers groups with help), and
only for someone holding a coordinator or admin role (checked by the caller)."""

from __future__ import annotations

from handlers.context import Context
from handlers.coordinator.access import actor
from handlers.messages import Reply
from storage import console
from storage.access import Scope


async def on_command(context: Context, scope: Scope) -> list[Reply]:
    _ = context._
    official = context.official
    assert official is not None  # coordinator_scope refused anyone unlinked
    token = await console.issue_sign_in(context.session, official, actor(context), context.now)
    url = console.sign_in_url(context.config.web_url, token)
    return [
        Reply(
            _(
                "Your link to the console: {url}\nIt works once, within 15 minutes. Do not "
                "forward it: whoever opens it acts as you.",
                url=url,
            )
        )
    ]
