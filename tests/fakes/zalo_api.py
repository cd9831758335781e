"""A fake Zalo Bot API server, spoken to over real HTTP by our own aiohttp client.

The Zalo Bot Platform is Telegram-like: ``POST {base_url}{token}/{method}`` with a JSON body,
answered ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N, "description":
"..."}`` with the same HTTP status. The fake enforces what shapes our code: text of 1..2,000
characters, no buttons at all, 429 past a configurable send rate, 403 for a chat that blocked
the bot, and getUpdates handing out ONE update per call, or 408 "Request timeout" when none
came within the call's timeout. It records every call so tests can assert what a user saw.

Start and point a client at it::

    async with FakeZalo() as fake:          # or the ``zalo_api`` pytest fixture
        settings = Settings(zalo_token=fake.token, zalo_api_url=fake.base_url)

``FakeZalo(token=..., rate=30.0, burst=30, poll_wait=0.2, clock=time.monotonic)``

- ``rate``/``burst``: one token bucket over all sends (sendMessage, sendPhoto) on ``clock``;
  past it, 429 ``{"parameters": {"retry_after": N}}``.
- ``poll_wait`` caps how long getUpdates waits for an update before its 408, so a test of the
  polling loop sees several empty polls without sleeping the real 30 seconds.
  ``empty_status`` (408) is what an empty poll answers: live traffic shows 504 "Request
  timeout" as well.
- setWebhook takes an https:// URL and a secret_token of 8 to 256 characters, as documented;
  plain http:// only to 127.0.0.1 (the one concession to tests, which serve on loopback).
- ``block(chat_id)`` / ``unblock(chat_id)``: sends there get 403 "bot was blocked".
- ``fail_next(method=None, status=500, description=..., count=1, retry_after=None)``: the
  next calls of ``method`` (any send when None) fail that way.
- sendPhoto fetches its ``photo`` URL, as Zalo's servers do; the bytes land in the record.

Incoming events (builders return an update; ``push_update`` queues it for getUpdates,
``post_webhook`` POSTs it to the URL given in setWebhook with the registered secret unless
told otherwise, bare or ``wrapped`` in ``{"ok": true, "result": ...}``):
``text(text, user_id=..., group_id=None)``, ``link(url, ...)`` (``message.link.received``),
``image(...)``, ``sticker(...)``, ``unsupported(...)``, ``reaction(...)`` (assumed name
``message.reaction.received``: undocumented), and ``bare(event_name)``, an event without a
``message``, as protected accounts and group events come. Ids are strings, as Zalo sends them.

Recorded: ``sent`` (``SentMessage``: method, chat_id, message_id, text, photo, caption,
photo_bytes), ``calls`` (method, params), ``actions`` ((chat_id, action) of sendChatAction),
``webhook``. ``messages_to(chat_id)``; ``await wait_for_messages(chat_id, n)``; ``polls()``
and ``await wait_for_polls(n)`` count getUpdates calls.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from tests.fakes.server import ApiCall, ApiError, Bucket, FakeBotServer, Handler, Secret, Webhook

TEXT_LIMIT = 2000


@dataclass(frozen=True)
class SentMessage:
    method: str
    chat_id: str
    message_id: str
    text: str | None
    photo: str | None
    caption: str | None
    photo_bytes: bytes | None
    at: float

    @property
    def summary(self) -> str | None:
        return self.text or self.photo


class FakeZalo(FakeBotServer[str, SentMessage]):
    """See the module docstring."""

    send_methods = frozenset({"sendmessage", "sendphoto"})
    secret_header = "X-Bot-Api-Secret-Token"
    rate_limited = "Too Many Requests: rate limit exceeded"

    def __init__(
        self,
        token: str = "1234567890:fake-zalo-token_for_tests",
        *,
        rate: float = 30.0,
        burst: int = 30,
        poll_wait: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(token, clock)
        self.rate = rate
        self.burst = burst
        self.poll_wait = poll_wait
        self.empty_status = 408
        self.actions: list[tuple[str, str]] = []
        self._bucket = Bucket(rate, float(burst), float(burst), clock())
        self._ids = itertools.count(1)
        self.photos: dict[str, bytes] = {}  # pictures users sent, served at /photos/NAME

    def _more_routes(self) -> list[tuple[str, str, Any]]:
        return [("GET", "/photos/{name}", self._photo)]

    async def _photo(self, request: web.Request) -> web.Response:
        content = self.photos.get(request.match_info["name"])
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content, content_type="image/jpeg")

    def _handlers(self) -> dict[str, Handler]:
        return {**super()._handlers(), "sendchataction": self._send_chat_action}

    # --- test controls ---------------------------------------------------------------------

    def polls(self) -> int:
        """How many getUpdates calls have been made."""
        return sum(1 for call in self.calls if call.method == "getupdates")

    async def wait_for_polls(self, n: int, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until getUpdates has been called at least ``n`` times."""
        async with self._recorded:
            await asyncio.wait_for(self._recorded.wait_for(lambda: self.polls() >= n), timeout)

    # --- incoming events -------------------------------------------------------------------

    def text(self, text: str, *, user_id: str, group_id: str | None = None) -> dict[str, Any]:
        return self._event("message.text.received", user_id, group_id, text=text)

    def image(
        self, *, user_id: str, group_id: str | None = None, content: bytes | None = None
    ) -> dict[str, Any]:
        """A picture sent to the bot; with ``content``, this server keeps it at the event's
        ``photo_url`` for the bot to fetch (as Zalo's does), else the address leads nowhere."""
        url = "https://example.invalid/photo.jpg"
        if content is not None:
            name = f"p{len(self.photos) + 1}.jpg"
            self.photos[name] = content
            url = f"http://127.0.0.1:{self._port}/photos/{name}"
        return self._event("message.image.received", user_id, group_id, photo_url=url)

    def sticker(self, *, user_id: str, group_id: str | None = None) -> dict[str, Any]:
        return self._event("message.sticker.received", user_id, group_id, sticker="st-123")

    def unsupported(self, *, user_id: str, group_id: str | None = None) -> dict[str, Any]:
        return self._event("message.unsupported.received", user_id, group_id)

    def link(self, url: str, *, user_id: str, group_id: str | None = None) -> dict[str, Any]:
        """A link the user typed: Zalo sends it as its own event, the typed text kept."""
        return self._event("message.link.received", user_id, group_id, text=url)

    def reaction(self, *, user_id: str, group_id: str | None = None) -> dict[str, Any]:
        return self._event("message.reaction.received", user_id, group_id, reaction="❤️")

    @staticmethod
    def bare(event_name: str) -> dict[str, Any]:
        """An event with no ``message``."""
        return {"event_name": event_name}

    def _event(
        self, name: str, user_id: str, group_id: str | None, **content: str
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": f"m{next(self._ids):08d}",
            "from": {"id": user_id, "display_name": f"Người dùng {user_id}", "is_bot": False},
            "chat": {
                "id": group_id or user_id,
                "chat_type": "GROUP" if group_id else "PRIVATE",
            },
            "date": int(time.time() * 1000),
            **content,
        }
        return {"event_name": name, "message": message}

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue ``update`` for getUpdates."""
        self._enqueue(update)

    async def post_webhook(
        self,
        update: dict[str, Any] | None = None,
        *,
        secret: str | Secret | None = Secret.REGISTERED,
        wrapped: bool = False,
        body: bytes | None = None,
    ) -> tuple[int, str]:
        """POST ``update`` (or raw ``body``) to the registered webhook, as Zalo would; returns
        the HTTP status and response text. ``secret``: None sends no header, a string forges
        one."""
        if update is not None:
            body = json.dumps({"ok": True, "result": update} if wrapped else update).encode()
        return await self._post_webhook(body or b"", secret)

    # --- methods ---------------------------------------------------------------------------

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self.token.split(":", 1)[0],
            "account_name": "bot.canbo_test",
            "account_type": "BASIC",
            "can_join_groups": False,
        }

    async def _get_updates(self, params: dict[str, Any]) -> dict[str, Any]:
        await self._await_update(min(float(params.get("timeout") or 0), self.poll_wait))
        if not self._queue:
            raise ApiError(self.empty_status, "Request timeout")
        return self._queue.pop(0)

    async def _set_webhook(self, params: dict[str, Any]) -> dict[str, Any]:
        url, secret = str(params.get("url") or ""), str(params.get("secret_token") or "")
        if not url.startswith(("https://", "http://127.0.0.1")):
            raise ApiError(400, "Bad Request: webhook url must be https")
        if not 8 <= len(secret) <= 256:
            raise ApiError(400, "Bad Request: secret_token must be 8 to 256 characters")
        self.webhook = Webhook(url, secret)
        return {"url": url, "updated_at": int(time.time() * 1000)}

    async def _delete_webhook(self, params: dict[str, Any]) -> dict[str, Any]:
        self.webhook = None
        return {"url": "", "updated_at": int(time.time() * 1000)}

    async def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.webhook.url if self.webhook else "", "updated_at": 0}

    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: text is empty")
        if len(text) > TEXT_LIMIT:
            raise ApiError(400, f"Bad Request: text must be at most {TEXT_LIMIT} characters")
        return await self._deliver("sendmessage", chat_id, text=text)

    async def _send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        photo, caption = params.get("photo"), params.get("caption")
        if not isinstance(photo, str) or not photo.startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: photo must be a URL")
        if caption is not None and len(str(caption)) > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: caption is too long")
        try:
            async with aiohttp.ClientSession() as client, client.get(photo) as response:
                if response.status != 200:
                    raise ApiError(400, f"Bad Request: photo URL answered {response.status}")
                content = await response.read()
        except aiohttp.ClientError:
            raise ApiError(400, "Bad Request: photo URL unreachable") from None
        return await self._deliver(
            "sendphoto", chat_id, photo=photo, caption=caption, photo_bytes=content
        )

    async def _send_chat_action(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        action = str(params.get("action") or "")
        if action not in ("typing", "upload_photo"):
            raise ApiError(400, "Bad Request: unknown action")
        self.actions.append((chat_id, action))
        return {}

    def _parse_chat_id(self, value: Any) -> str:
        if not isinstance(value, str) or not value:
            raise ApiError(400, "Bad Request: chat_id is required")
        return value

    async def _deliver(
        self,
        method: str,
        chat_id: str,
        *,
        text: str | None = None,
        photo: str | None = None,
        caption: str | None = None,
        photo_bytes: bytes | None = None,
    ) -> dict[str, Any]:
        self._spend([self._bucket], self.clock())
        sent = SentMessage(
            method=method,
            chat_id=chat_id,
            message_id=f"s{next(self._ids):08d}",
            text=text,
            photo=photo,
            caption=caption,
            photo_bytes=photo_bytes,
            at=self.clock(),
        )
        await self._record(sent)
        return {"message_id": sent.message_id, "date": int(time.time() * 1000)}


__all__ = ["ApiCall", "ApiError", "FakeZalo", "Secret", "SentMessage", "Webhook"]
