"""Evidence an official sends in the chat: a photo or PDF of a diploma or certificate. The bot
keeps it (storage.evidence checks the file by its bytes), asks what it proves with one button
per kind, and puts it in the queue of the organisation board, which confirms it (the record
updates) or declines it with a reason; either way the official is told in the chat.

A button is honoured only for the official's own file from the same chat, and only while the
file still waits for that answer; any other press says the file no longer waits.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.help import not_linked
from handlers.messages import Button, Reply
from locales import N_
from storage import evidence
from storage.access import Refused
from storage.callback_data import EvidenceStep
from storage.models import EvidenceKind, Official

LABELS = {
    EvidenceKind.DEGREE: N_("🎓 Diploma (degree)"),
    EvidenceKind.POLITICAL_THEORY: N_("📕 LLCT certificate"),
    EvidenceKind.STATE_MANAGEMENT: N_("📗 QLNN certificate"),
    EvidenceKind.REFRESHER: N_("📘 Refresher completed"),
}


async def on_file(context: Context) -> list[Reply]:
    attachment = context.incoming.attachment
    assert attachment is not None
    official = context.official
    if official is None:
        return [not_linked(context)]
    _ = context._
    try:
        received = await evidence.receive(
            context.session,
            official,
            context.account.id,
            attachment.filename,
            attachment.content,
            context.now,
        )
    except Refused as refused:
        return [Reply(_(refused.message, **refused.params))]
    buttons = tuple(
        (Button(_(label), EvidenceStep(received.id, kind.value)),) for kind, label in LABELS.items()
    )
    cancel = (Button(_("Do not send it"), EvidenceStep(received.id, "cancel")),)
    return [
        Reply(
            _(
                "I received {file}. What does it prove? Your organisation board will check it "
                "and update your record.",
                file=received.filename,
            ),
            buttons=(*buttons, cancel),
        )
    ]


async def on_button(context: Context, official: Official, pressed: EvidenceStep) -> Reply:
    _ = context._
    session, chat = context.session, context.account.id
    if pressed.answer == "cancel":
        if await evidence.withdraw(session, pressed.evidence, official, chat):
            return Reply(_("Not sent: the file was deleted."))
        return _stale(context)
    kind = EvidenceKind(pressed.answer)
    described = await evidence.describe(session, pressed.evidence, official, chat, kind)
    if described is None:
        return _stale(context)
    return Reply(
        _(
            "Sent to your organisation board as {what}. You will be told here once they have "
            "checked it.",
            what=evidence.name(_, kind),
        )
    )


def _stale(context: Context) -> Reply:
    _ = context._
    return Reply(_("That file no longer waits for an answer; send it again if you need to."))
