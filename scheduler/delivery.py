"""What the dispatcher needs from a messenger: send one message to one chat, or say why not.

Each channel adapter implements ``Sender`` and maps its client's errors onto the four below, so
the dispatcher decides retries, pauses and unreachability without knowing the messenger.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from storage.models import Channel


@dataclass(frozen=True)
class Outgoing:
    """One message: text and rows of inline buttons as (label, callback data)."""

    text: str
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()


class Sender(Protocol):
    channel: Channel

    @property
    def identity(self) -> str:
        """Names the bot account (e.g. "telegram:123456"), never its secret: one dispatcher per
        identity sends at a time. Empty for a channel with no account (the web chat)."""

    async def send(self, chat_id: str, message: Outgoing) -> str:
        """Deliver ``message``; returns the messenger's message id."""

    async def close(self) -> None: ...


class DeliveryError(Exception):
    """A send that did not go through; the subclass says what to do next."""


class RetryAfter(DeliveryError):
    """The messenger's flood control: wait ``seconds`` before sending again."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds:g} s")
        self.seconds = seconds


class Unreachable(DeliveryError):
    """The chat cannot receive: the user blocked the bot, the chat is gone or forbidden."""


class Transient(DeliveryError):
    """Worth retrying later: 5xx answers, timeouts, network failures."""


class Rejected(DeliveryError):
    """The messenger refused this message itself (a bad request): retrying cannot help."""
