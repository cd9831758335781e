"""Who may use the coordinator commands: a linked official holding a coordinator or admin role.
Anyone else gets one clear sentence, and nothing changes."""

from __future__ import annotations

from handlers.context import Context
from handlers.help import not_linked
from handlers.messages import Reply
from storage.access import Refused, Scope, scope_of


async def coordinator_scope(context: Context) -> Scope | Reply:
    """The scope of the official in this chat, or the reply that refuses them."""
    official = context.official
    if official is None:
        return not_linked(context)
    scope = await scope_of(context.session, official.id)
    if scope is None:
        _ = context._
        return Reply(
            _(
                "This command is for the coordinators of an organisation board. Ask your "
                "board if you need it."
            )
        )
    return scope


def actor(context: Context) -> str:
    """Who acts, as the audit log names them: the messenger and the official's code."""
    official = context.official
    who = official.code if official is not None else str(context.account.id)
    return f"{context.account.channel.value}:{who}"


def refusal(context: Context, refused: Refused) -> Reply:
    _ = context._
    return Reply(_(refused.message, **refused.params))
