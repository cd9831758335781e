"""Who may use the coordinator commands: a linked official holding a coordinator or admin role.
Anyone else gets one clear sentence, and nothing changes but the audit log, which records every
refusal on scope."""

from __future__ import annotations

from handlers.context import Context
from handlers.help import not_linked
from handlers.messages import Reply
from storage.access import OutOfScope, Refused, Scope, refuse, scope_of


async def coordinator_scope(context: Context) -> Scope | Reply:
    """The scope of the official in this chat, or the reply that refuses them."""
    official = context.official
    if official is None:
        return not_linked(context)
    scope = await scope_of(context.session, official.id)
    if scope is None:
        refuse(context.session, actor(context), _attempt(context), "no coordinator role")
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


def _attempt(context: Context) -> str:
    """What was tried, for the audit log: the command, or the pressed button's kind."""
    incoming = context.incoming
    if incoming.command:
        return f"/{incoming.command}"
    if incoming.callback_data:
        return f"button:{incoming.callback_data.partition(':')[0]}"
    return "text"


def refusal(context: Context, refused: Refused) -> Reply:
    """The reply to a refused action; one refused on scope is audited."""
    if isinstance(refused, OutOfScope):
        refuse(context.session, actor(context), refused.target, "out of scope")
    _ = context._
    return Reply(_(refused.message, **refused.params))
