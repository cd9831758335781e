"""Numbered options, for messengers without buttons (Zalo).

The buttons of a reply become numbered lines under its text with a hint ("Gõ 1, 2 hoặc 3"),
and typing a number then works like pressing that button. The options last shown are kept on
the chat account (``dialog_data["options"]``), so whichever worker takes the answer knows them;
a reminder sent later replaces them with its own. The topics menu becomes one line of commands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from handlers.messages import Incoming, Reply
from locales import N_, Translator
from storage.callback_data import parse_number
from storage.models import ChatAccount

OPTIONS_KEY = "options"
NUMBER_LIKE = 30  # digits; a longer run of them is text, not an attempt at choosing
LISTED_UP_TO = 3  # "Type 1, 2 or 3"; more options read "Type a number from 1 to N"
MENU_HINT = N_("Topics: /status · /deadlines · /bond · /courses · /settings · /help")


def choose_hint(_: Translator, count: int) -> str:
    if count == 1:
        return _("Type 1 to choose it.")
    if count > LISTED_UP_TO:
        return _("Type a number from 1 to {n}.", n=count)
    first = ", ".join(str(number) for number in range(1, count))
    return _("Type {first} or {last}.", first=first, last=count)


def with_options(_: Translator, text: str, labels: Sequence[str], first: int = 1) -> str:
    """``text`` followed by ``labels`` numbered from ``first``."""
    lines = [f"{number}. {label}" for number, label in enumerate(labels, first)]
    return "\n\n".join(part for part in (text, "\n".join(lines)) if part)


def remember(account: ChatAccount, data: Sequence[str]) -> None:
    """Keep ``data`` (the options' button data, in order) as the options last shown."""
    account.dialog_data = {**(account.dialog_data or {}), OPTIONS_KEY: list(data)}


def pressed(_: Translator, account: ChatAccount, incoming: Incoming) -> Incoming | Reply:
    """A typed number of an option shown last, as the press of its button; a number that is
    none of them (0, 7 of 3, "²", twenty digits), the reply saying which to type, unless a
    dialogue is open that reads numbers itself; anything else unchanged. Only ASCII digits
    count as a number."""
    typed = (incoming.text or "").strip()
    options = (account.dialog_data or {}).get(OPTIONS_KEY) or []
    if incoming.command is not None or not typed.isdigit():
        return incoming
    number = parse_number(typed, highest=len(options)) if options else None
    if number is not None:
        return replace(incoming, text=None, callback_data=str(options[number - 1]))
    if account.dialog is not None or len(typed) > NUMBER_LIKE:
        return incoming  # text the dialogue reads, such as a unit's code
    if not options:
        return Reply(_("No options are open now. Choose a topic from the menu, or ask me."))
    return Reply(choose_hint(_, len(options)))


def numbered(_: Translator, account: ChatAccount, replies: Sequence[Reply]) -> list[Reply]:
    """``replies`` for a chat without buttons: options numbered on from one reply to the next,
    the hint after the last of them, the menu as a line of commands. Remembers the options."""
    data: list[str] = []
    last = max((i for i, reply in enumerate(replies) if reply.buttons), default=-1)
    rendered: list[Reply] = []
    for index, reply in enumerate(replies):
        buttons = [button for row in reply.buttons for button in row]
        if reply.options_listed and not data:
            text = reply.text
        else:
            text = with_options(_, reply.text, [b.label for b in buttons], len(data) + 1)
        data += [button.data for button in buttons]
        if index == last:
            text += "\n" + choose_hint(_, len(data))
        if reply.menu:
            text += "\n\n" + _(MENU_HINT)
        rendered.append(replace(reply, text=text, buttons=(), menu=()))
    remember(account, data)
    return rendered
