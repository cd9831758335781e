"""What the bot says to what is not a question about a topic: greetings, thanks, "ok", emoji
and messages about something else get a short friendly answer with the menu; a question it
could not read gets the closest topics as buttons; a button that means nothing (any more) gets
a polite word."""

from __future__ import annotations

from dataclasses import replace

from handlers.context import Context
from handlers.help import with_menu
from handlers.intents import Reading, SmallTalk
from handlers.menu import LABELS
from handlers.messages import Button, Reply
from locales import N_
from storage.callback_data import Ask

ANSWERS: dict[SmallTalk, str] = {
    SmallTalk.THANKS: N_("You are welcome. Ask me whenever you need."),
    SmallTalk.ACK: N_("All right. I am here when you need me."),
    SmallTalk.SYMBOLS: N_("😊 I am here when you need me."),
    SmallTalk.OFF_TOPIC: N_(
        "I can only help with your standards, training deadlines, service bond and courses."
    ),
}


async def reply(context: Context, reading: Reading) -> Reply:
    """The answer to text that names no topic: small talk, or the closest topics."""
    _ = context._
    if reading.small_talk is SmallTalk.GREETING:
        return await with_menu(context, _greeting(context))
    if reading.small_talk is not None:
        return await with_menu(context, _(ANSWERS[reading.small_talk]))
    if context.official is None:  # every topic needs a linked chat: how to link comes first
        return await with_menu(context, _("Sorry, I did not understand."))
    question = _("I am not sure what you are asking. Did you mean:")
    buttons = tuple((Button(_(LABELS[topic]), Ask(topic.value)),) for topic in reading.guesses)
    return replace(await with_menu(context, question), buttons=buttons)


def _greeting(context: Context) -> str:
    _ = context._
    official = context.official
    if official is None:
        return _("Hello! I answer questions about the standards of commune officials.")
    return _(
        "Hello {name}! I can tell you about your standards, training deadlines, service bond "
        "and courses.",
        name=official.full_name,
    )


def stale_button(context: Context) -> Reply:
    """A button whose data means nothing to us, or no longer does: said politely, and the
    way on."""
    _ = context._
    return Reply(_("This button is no longer valid. Choose a topic from the menu, or ask me."))
