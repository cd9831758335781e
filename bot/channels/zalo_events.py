"""Reading a Zalo Bot Platform event, as getUpdates returns it or a webhook posts it.

What the documentation and the Zalo-authored python-zalo-bot SDK show (bot.zaloplatforms.com,
"Build your bot"; ``zalo_bot/_update.py``, ``_message.py``): an event is
``{"event_name": "...", "message": {"message_id", "date", "chat": {"id", "chat_type"},
"from": {"id", "display_name", "is_bot"}, "text" | "photo_url" | "sticker" ...}}``, bare or
wrapped as ``{"ok": true, "result": {...}}``; the SDK's ``Update.message`` is optional. Event
names seen in the documentation and in public integrations that log live traffic:
``message.text.received``, ``message.link.received`` (a typed link: its ``text`` is what the
user typed), ``message.image.received``, ``message.sticker.received``,
``message.unsupported.received``.

Three outcomes, so the webhook answers each the way Zalo expects:
- an event we read (``ZaloEvent``): text and links as text, a picture with its ``photo_url``
  (fetched by the channel: a certificate an official sends), other media as "please type";
- ``None``: acknowledged with HTTP 200 and ignored — an event without a ``message`` (protected
  accounts, group events), a reaction, or any event name we do not know;
- ``ValueError``: the body is not an event at all (HTTP 400).

Assumption (undocumented, ``IGNORED_MARKERS``): a reaction's event name contains "reaction"
(e.g. ``message.reaction.received``); whatever its name, an unknown event is ignored anyway, so
a wrong guess costs nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from bot.channels.shapes import unicode_text
from handlers.messages import Incoming, parse_command
from storage.models import Channel

ID_LIMIT = 64  # characters of a chat or sender id (chat_accounts.external_id)
TEXT_EVENT = "message.text.received"
LINK_EVENT = "message.link.received"
READ_AS_TEXT = frozenset({TEXT_EVENT, LINK_EVENT})
IMAGE_EVENT = "message.image.received"  # "photo_url": where Zalo keeps the picture
# events a user sent that we cannot read: answered "please type your question"
MEDIA_EVENTS = frozenset(
    {
        IMAGE_EVENT,
        "message.sticker.received",
        "message.unsupported.received",
        "message.voice.received",
        "message.video.received",
        "message.file.received",
        "message.gif.received",
        "message.audio.received",
        "message.location.received",
    }
)
IGNORED_MARKERS = ("reaction",)  # assumption: see the module docstring


@dataclass(frozen=True)
class ZaloEvent:
    name: str
    message_id: str
    chat_id: str
    sender_id: str
    is_group: bool
    from_bot: bool
    text: str | None  # None: a picture, sticker or other message we cannot read as text
    photo_url: str | None = None  # a picture's address, to fetch

    @property
    def key(self) -> str:
        """The id stored in the inbox (at most 64 characters)."""
        if len(self.message_id) <= ID_LIMIT:
            return self.message_id
        return hashlib.sha256(self.message_id.encode()).hexdigest()


def parse_event(data: Any) -> ZaloEvent | None:
    """The event in ``data``; None for one to acknowledge and ignore; ValueError when ``data``
    is not an event (see the module docstring)."""
    if isinstance(data, dict) and "event_name" not in data and "result" in data:
        data = data["result"]
    if not isinstance(data, dict):
        raise ValueError("not an object")
    name, message = data.get("event_name"), data.get("message")
    if not isinstance(name, str):
        raise ValueError("no event_name")
    if message is None or not _taken(name):
        return None
    if not isinstance(message, dict):
        raise ValueError("a message that is not an object")
    chat, sender = message.get("chat"), message.get("from")
    if not isinstance(chat, dict) or not isinstance(sender, dict):
        raise ValueError("no chat or sender")
    text = _text(name, message) if name in READ_AS_TEXT else None
    return ZaloEvent(
        name=name,
        message_id=_id(message.get("message_id"), limit=None),
        chat_id=_id(chat.get("id")),
        sender_id=_id(sender.get("id")),
        is_group=str(chat.get("chat_type", "")).upper() == "GROUP",
        from_bot=sender.get("is_bot") is True,
        text=text,
        photo_url=_photo_url(message.get("photo_url")) if name == IMAGE_EVENT else None,
    )


def _photo_url(value: object) -> str | None:
    """A picture's address as Zalo gives it: http(s) only, printable, of a sane length."""
    if not isinstance(value, str) or not unicode_text(value) or len(value) > 2048:
        return None
    return value if value.startswith(("https://", "http://")) and value.isprintable() else None


def _taken(name: str) -> bool:
    """Whether an event of this name is one we answer."""
    if any(marker in name for marker in IGNORED_MARKERS):
        return False
    return name in READ_AS_TEXT or name in MEDIA_EVENTS


def _text(name: str, message: dict[str, Any]) -> str:
    """What the user typed. A link event without ``text`` gives its ``url`` (an assumption:
    integrations read ``text``; ``url`` is where a link preview would keep the address)."""
    text = message.get("text")
    if name == LINK_EVENT and text is None:
        text = message.get("url")
    if not unicode_text(text):
        raise ValueError("a text event without its text")
    return text


def _id(value: object, limit: int | None = ID_LIMIT) -> str:
    """An id as a string: Zalo's are strings, an integer is taken too; ValueError for anything
    else, or one that is empty, unprintable or over ``limit`` characters (chat ids are stored)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("an id is not a string")
    text = str(value)
    if not text or not text.isprintable() or (limit is not None and len(text) > limit):
        raise ValueError("a malformed id")
    return text


def to_incoming(event: ZaloEvent) -> Incoming | None:
    """The neutral message for a text or link event, or a picture (its attachment fetched
    apart); None for stickers and the rest."""
    if event.photo_url is not None:
        return Incoming(
            channel=Channel.ZALO,
            chat_id=event.chat_id,
            sender_id=event.sender_id,
            is_group=event.is_group,
        )
    if event.text is None:
        return None
    command, args = parse_command(event.text.strip())
    return Incoming(
        channel=Channel.ZALO,
        chat_id=event.chat_id,
        sender_id=event.sender_id,
        is_group=event.is_group,
        text=event.text,
        command=command,
        args=args,
    )
