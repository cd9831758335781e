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
- ``block(chat_id)`` / ``unblock(chat_id)``: sends there get 403 "bot was blocked".
- ``fail_next(method=None, status=500, description=..., count=1, retry_after=None)``: the
  next calls of ``method`` (any send when None) fail that way.
- sendPhoto fetches its ``photo`` URL, as Zalo's servers do; the bytes land in the record.

Incoming events (builders return an update; ``push_update`` queues it for getUpdates,
``post_webhook`` POSTs it to the URL given in setWebhook with the registered secret unless
told otherwise, bare or ``wrapped`` in ``{"ok": true, "result": ...}``):
``text(text, user_id=..., group_id=None)``, ``image(...)``, ``sticker(...)``,
``unsupported(...)``. Ids are strings, as Zalo sends them.

Recorded: ``sent`` (``SentMessage``: method, chat_id, message_id, text, photo, caption,
photo_bytes), ``calls`` (method, params), ``actions`` ((chat_id, action) of sendChatAction),
``webhook``. ``messages_to(chat_id)``; ``await wait_for_messages(chat_id, n)``; ``polls()``
and ``await wait_for_polls(n)`` count getUpdates calls.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import json
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

TEXT_LIMIT = 2000
SEND_METHODS = frozenset({"sendmessage", "sendphoto"})
SECRET_HEADER = "X-Bot-Api-Secret-Token"


class Secret(enum.Enum):
    """``post_webhook(secret=Secret.REGISTERED)``: the secret given in setWebhook."""

    REGISTERED = "registered"


class ApiError(Exception):
    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


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


@dataclass(frozen=True)
class ApiCall:
    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Webhook:
    url: str
    secret_token: str


@dataclass
class _Failure:
    method: str | None
    status: int
    description: str
    count: int
    retry_after: float | None


class FakeZalo:
    """See the module docstring."""

    def __init__(
        self,
        token: str = "1234567890:fake-zalo-token_for_tests",
        *,
        rate: float = 30.0,
        burst: int = 30,
        poll_wait: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.rate = rate
        self.burst = burst
        self.poll_wait = poll_wait
        self.clock = clock

        self.sent: list[SentMessage] = []
        self.calls: list[ApiCall] = []
        self.actions: list[tuple[str, str]] = []
        self.webhook: Webhook | None = None
        self.blocked: set[str] = set()

        self._queue: list[dict[str, Any]] = []
        self._queued = asyncio.Event()
        self._closing = asyncio.Event()
        self._recorded = asyncio.Condition()
        self._failures: list[_Failure] = []
        self._tokens = float(burst)
        self._stamp = clock()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._methods: dict[str, Callable[[dict[str, Any]], Awaitable[Any]]] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "sendchataction": self._send_chat_action,
        }

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeZalo:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/bot"

    # --- test controls ---------------------------------------------------------------------

    def block(self, chat_id: str) -> None:
        self.blocked.add(chat_id)

    def unblock(self, chat_id: str) -> None:
        self.blocked.discard(chat_id)

    def fail_next(
        self,
        method: str | None = None,
        *,
        status: int = 500,
        description: str = "Internal Server Error",
        count: int = 1,
        retry_after: float | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` (any send when None) with an error;
        ``retry_after`` adds ``parameters.retry_after`` (seconds, fractions allowed here)."""
        self._failures.append(
            _Failure(method.lower() if method else None, status, description, count, retry_after)
        )

    def messages_to(self, chat_id: str) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def polls(self) -> int:
        """How many getUpdates calls have been made."""
        return sum(1 for call in self.calls if call.method == "getupdates")

    async def wait_for_polls(self, n: int, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until getUpdates has been called at least ``n`` times."""
        async with self._recorded:
            await asyncio.wait_for(self._recorded.wait_for(lambda: self.polls() >= n), timeout)

    async def wait_for_messages(
        self,
        chat_id: str,
        n: int,
        timeout: float = 5.0,  # noqa: ASYNC109 (a test helper's bound)
    ) -> list[SentMessage]:
        """Wait until ``chat_id`` has received at least ``n`` messages; return all of them."""

        def enough() -> bool:
            return len(self.messages_to(chat_id)) >= n

        try:
            async with self._recorded:
                await asyncio.wait_for(self._recorded.wait_for(enough), timeout)
        except TimeoutError:
            got = [m.text or m.photo for m in self.messages_to(chat_id)]
            raise AssertionError(
                f"chat {chat_id} got {len(got)} of {n} messages within {timeout}s: {got!r}"
            ) from None
        return self.messages_to(chat_id)

    # --- incoming events -------------------------------------------------------------------

    def text(self, text: str, *, user_id: str, group_id: str | None = None) -> dict[str, Any]:
        return self._event("message.text.received", user_id, group_id, text=text)

    def image(self, *, user_id: str, group_id: str | None = None) -> dict[str, Any]:
        return self._event(
            "message.image.received",
            user_id,
            group_id,
            photo_url="https://example.invalid/photo.jpg",
        )

    def sticker(self, *, user_id: str, group_id: str | None = None) -> dict[str, Any]:
        return self._event("message.sticker.received", user_id, group_id, sticker="st-123")

    def unsupported(self, *, user_id: str, group_id: str | None = None) -> dict[str, Any]:
        return self._event("message.unsupported.received", user_id, group_id)

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
        self._queue.append(update)
        self._queued.set()

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
        if self.webhook is None:
            raise AssertionError("no webhook is set")
        if update is not None:
            body = json.dumps({"ok": True, "result": update} if wrapped else update).encode()
        token = self.webhook.secret_token if secret is Secret.REGISTERED else secret
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers[SECRET_HEADER] = token
        async with (
            aiohttp.ClientSession() as client,
            client.post(self.webhook.url, data=body or b"", headers=headers) as response,
        ):
            return response.status, await response.text()

    # --- HTTP ------------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        method = request.match_info["method"].lower()
        try:
            params = await request.json() if await request.read() else {}
            if not isinstance(params, dict):
                raise ValueError("expected a JSON object")
        except ValueError as error:
            return web.json_response(ApiError(400, f"Bad Request: {error}").body(), status=400)
        async with self._recorded:
            self.calls.append(ApiCall(method, params))
            self._recorded.notify_all()
        handler = self._methods.get(method)
        if handler is None:
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        try:
            self._injected(method)
            result = await handler(params)
        except ApiError as error:
            return web.json_response(error.body(), status=error.status)
        return web.json_response({"ok": True, "result": result})

    def _injected(self, method: str) -> None:
        for failure in self._failures:
            if failure.method == method or (failure.method is None and method in SEND_METHODS):
                failure.count -= 1
                if failure.count <= 0:
                    self._failures.remove(failure)
                parameters = {"retry_after": failure.retry_after} if failure.retry_after else None
                raise ApiError(failure.status, failure.description, parameters)

    # --- methods ---------------------------------------------------------------------------

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self.token.split(":", 1)[0],
            "account_name": "bot.canbo_test",
            "account_type": "BASIC",
            "can_join_groups": False,
        }

    async def _get_updates(self, params: dict[str, Any]) -> dict[str, Any]:
        if not self._queue:
            self._queued.clear()
            wait = min(float(params.get("timeout") or 0), self.poll_wait)
            waiter = asyncio.ensure_future(self._queued.wait())
            closing = asyncio.ensure_future(self._closing.wait())
            await asyncio.wait({waiter, closing}, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            closing.cancel()
        if not self._queue:
            raise ApiError(408, "Request timeout")
        return self._queue.pop(0)

    async def _set_webhook(self, params: dict[str, Any]) -> dict[str, Any]:
        url, secret = str(params.get("url") or ""), str(params.get("secret_token") or "")
        if not url.startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: invalid webhook url")
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

    def _chat_id(self, params: dict[str, Any]) -> str:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, str) or not chat_id:
            raise ApiError(400, "Bad Request: chat_id is required")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

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
        self._take_rate()
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
        async with self._recorded:
            self.sent.append(sent)
            self._recorded.notify_all()
        return {"message_id": sent.message_id, "date": int(time.time() * 1000)}

    def _take_rate(self) -> None:
        now = self.clock()
        self._tokens = min(float(self.burst), self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens < 1:
            retry_after = max(1, math.ceil((1 - self._tokens) / self.rate))
            raise ApiError(
                429, "Too Many Requests: rate limit exceeded", {"retry_after": retry_after}
            )
        self._tokens -= 1
