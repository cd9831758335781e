"""The channel-neutral conversation model (DESIGN.md, "The neutral conversation model").

Adapters turn their messenger's updates into ``Incoming`` and render ``Reply`` back: Telegram
as inline and reply keyboards, Zalo as numbered options and split messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.callback_data import ButtonData, encode
from storage.models import Channel

# The largest file a user may send: what the Telegram Bot API lets a bot fetch (getFile). An
# adapter passes a larger one on with empty content, so the conversation can say why.
ATTACHMENT_LIMIT = 20 * 2**20


@dataclass(frozen=True)
class Button:
    """An option the user can press: ``meaning`` comes back, encoded as ``data``
    (storage.callback_data), in ``Incoming.callback_data``."""

    label: str
    meaning: ButtonData
    data: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", encode(self.meaning))


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class Contact:
    """A shared phone number; ``user_id`` is whose number it is, when the messenger says."""

    phone: str
    user_id: str | None = None


@dataclass(frozen=True)
class Incoming:
    channel: Channel
    chat_id: str
    sender_id: str
    is_group: bool = False
    text: str | None = None
    command: str | None = None  # without the slash, lower case
    args: tuple[str, ...] = ()
    callback_data: str | None = None
    contact: Contact | None = None
    attachment: Attachment | None = None
    language_hint: str | None = None  # the messenger's idea of the user's language
    address: str | None = None  # the web visitor's network address (bot/proxies.py)


@dataclass(frozen=True)
class Capabilities:
    """What a messenger can do; the conversation shapes its replies to fit."""

    buttons: bool = True  # inline buttons; without, options are numbered (options.py)
    contact: bool = False  # the user can share their phone number with a button


CAPABILITIES: dict[Channel, Capabilities] = {
    Channel.TELEGRAM: Capabilities(contact=True),
    Channel.ZALO: Capabilities(buttons=False),
    Channel.WEB: Capabilities(),
    Channel.TERMINAL: Capabilities(buttons=False),
}


@dataclass(frozen=True)
class Reply:
    """One message back. ``buttons`` are rows of inline options; ``menu`` is the persistent
    keyboard of main topics (``()`` leaves it as it is, ``None`` removes it).
    ``options_listed``: the text already lists the buttons, numbered from 1 in their order, so
    a messenger without buttons does not list them again (handlers/options.py)."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    menu: tuple[tuple[str, ...], ...] | None = ()
    request_contact: str | None = None  # the label of a share-my-number button, if asked
    picture: Attachment | None = None
    document: Attachment | None = None
    options_listed: bool = False


def parse_command(text: str) -> tuple[str | None, tuple[str, ...]]:
    """Split "/start K7QX-9PMA" into ("start", ("K7QX-9PMA",)); "/Status@canbo_bot" is
    "status". Text that is not a command gives (None, ())."""
    if not text.startswith("/") or len(text) < 2 or text[1].isspace():
        return None, ()
    head, *args = text[1:].split()
    return head.split("@", 1)[0].lower(), tuple(args)
