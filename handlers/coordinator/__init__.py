"""What coordinators use in the chat: announcements (/thongbao), their delivery reports
(/thongbao_baocao), qualification reports (/baocao) and a sign-in link to the browser console
(/console), each with an English alias; and rosters sent as a file (roster_upload).

The router hands over commands, buttons and dialogue text through ``on_command``,
``on_button`` and ``on_text``, which check the sender's role and scope once (``_guarded``) and
pass the scope on: no coordinator handler runs for someone without one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.context import Context
from handlers.coordinator import broadcast, console_link, delivery, qualifications, roster_upload
from handlers.coordinator.access import coordinator_scope
from handlers.messages import Reply
from handlers.topics import TASK_COMMANDS, Task
from storage.access import Scope
from storage.callback_data import BroadcastStep, DeliveryStep, QualificationStep, RosterStep
from storage.models import ChatAccount

Handler = Callable[[Context, Scope], Awaitable[list[Reply]]]
CoordinatorButton = BroadcastStep | DeliveryStep | QualificationStep | RosterStep

HANDLERS: dict[Task, Handler] = {
    Task.ANNOUNCE: broadcast.start,
    Task.DELIVERIES: delivery.on_command,
    Task.REPORT: qualifications.on_command,
    Task.CONSOLE: console_link.on_command,
}
COMMANDS = frozenset(TASK_COMMANDS)


async def _guarded(
    context: Context, handler: Callable[[Scope], Awaitable[list[Reply]]]
) -> list[Reply]:
    """``handler``'s replies when the sender coordinates some units, else the refusal."""
    scope = await coordinator_scope(context)
    if isinstance(scope, Reply):
        return [scope]
    return await handler(scope)


async def on_command(context: Context, command: str) -> list[Reply]:
    return await on_task(context, TASK_COMMANDS[command])


async def on_task(context: Context, task: Task) -> list[Reply]:
    """A task by command or by its menu label (which carries no arguments)."""
    return await _guarded(context, lambda scope: HANDLERS[task](context, scope))


async def on_button(context: Context, pressed: CoordinatorButton) -> list[Reply]:
    async def act(scope: Scope) -> list[Reply]:
        if isinstance(pressed, BroadcastStep):
            return await broadcast.on_button(context, scope, pressed)
        if isinstance(pressed, DeliveryStep):
            return await delivery.on_button(context, scope, pressed)
        if isinstance(pressed, RosterStep):
            return await roster_upload.on_button(context, scope, pressed)
        return await qualifications.on_button(context, scope, pressed)

    return await _guarded(context, act)


async def on_file(context: Context) -> list[Reply]:
    """A file sent to the bot: a roster to check and import."""
    return await _guarded(context, lambda scope: roster_upload.on_file(context, scope))


def in_dialog(account: ChatAccount) -> bool:
    """Is this chat composing an announcement (so typed text belongs to it)?"""
    return account.dialog in broadcast.DIALOGS


async def on_text(context: Context, text: str) -> list[Reply]:
    return await _guarded(context, lambda scope: broadcast.on_text(context, scope, text))
