"""What the fake Telegram and Zalo Bot API servers share.

Both platforms speak ``POST {base_url}{token}/{method}`` and answer ``{"ok": true, "result":
...}`` or ``{"ok": false, "error_code": N, "description": "...", "parameters": {...}}`` with the
same HTTP status, so one loopback aiohttp server carries the lifecycle, the dispatch, injected
failures (``fail_next``), blocked chats, token-bucket rate limits, the update queue that
getUpdates long-polls, webhook posting and the record of what was sent. Each fake adds its
platform's methods, limits and update shapes.
"""

from __future__ import annotations

import asyncio
import collections
import enum
import math
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

import aiohttp
from aiohttp import web

Handler = Callable[[dict[str, Any]], Awaitable[Any]]


class Secret(enum.Enum):
    """``post_webhook(secret=Secret.REGISTERED)``: the secret given in setWebhook."""

    REGISTERED = "registered"


class ApiError(Exception):
    """An error answer, shaped as both platforms shape theirs."""

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
class ApiCall:
    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Webhook:
    url: str
    secret_token: str | None


@dataclass
class Bucket:
    """A token bucket: ``rate`` tokens a second, holding at most ``capacity``."""

    rate: float
    capacity: float
    tokens: float
    stamp: float

    def wait(self, now: float) -> float:
        """Refill to ``now``; seconds until one token is available (0 when one is)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass
class Window:
    """At most ``limit`` events in any ``seconds`` long window (a sliding log): how a strict
    server counts, unlike a token bucket, which lets a full burst through after a pause."""

    limit: int
    seconds: float
    times: collections.deque[float] = field(default_factory=collections.deque)

    def wait(self, now: float) -> float:
        """Seconds until one more event fits (0 when one does)."""
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        if len(self.times) < self.limit:
            return 0.0
        return self.times[0] + self.seconds - now

    def take(self, now: float) -> None:
        self.times.append(now)


@dataclass
class _Failure:
    method: str | None
    status: int
    description: str
    retry_after: float | None
    count: int


class Recorded(Protocol):
    """A sent message as the shared record needs it."""

    @property
    def chat_id(self) -> Hashable: ...

    @property
    def text(self) -> str | None: ...

    @property
    def summary(self) -> str | None:
        """What a failed wait shows of the message."""


ChatT = TypeVar("ChatT", bound=Hashable)
SentT = TypeVar("SentT", bound=Recorded)


class LoopbackServer(ABC):
    """An aiohttp application served on a free loopback port while in ``async with``."""

    _runner: web.AppRunner | None = None
    _port = 0

    @abstractmethod
    def _app(self) -> web.Application:
        """The application to serve, with its routes."""

    async def start(self) -> None:
        self._runner = web.AppRunner(self._app(), shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


class FakeBotServer(LoopbackServer, Generic[ChatT, SentT]):
    """A running fake Bot API; subclasses name their methods in ``_handlers``."""

    send_methods: ClassVar[frozenset[str]]
    http_methods: ClassVar[tuple[str, ...]] = ("POST",)
    max_body: ClassVar[int] = 1024**2
    secret_header: ClassVar[str]
    rate_limited: ClassVar[str] = "Too Many Requests: retry after {retry_after}"

    # The methods both platforms answer, which every fake defines (see ``_handlers``).
    _get_me: Handler
    _get_updates: Handler
    _set_webhook: Handler
    _delete_webhook: Handler
    _get_webhook_info: Handler
    _send_message: Handler
    _send_photo: Handler

    def __init__(self, token: str, clock: Callable[[], float]) -> None:
        self.token = token
        self.clock = clock
        self.sent: list[SentT] = []
        self.calls: list[ApiCall] = []
        self.webhook: Webhook | None = None
        self.blocked: set[ChatT] = set()

        self._queue: list[dict[str, Any]] = []
        self._queued = asyncio.Event()
        self._closing = asyncio.Event()
        self._recorded = asyncio.Condition()
        self._failures: list[_Failure] = []
        self._methods = self._handlers()

    def _handlers(self) -> dict[str, Handler]:
        """The API methods, by lower-cased name; a fake adds its own to these."""
        return {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
        }

    @abstractmethod
    def push_update(self, update: dict[str, Any]) -> object:
        """Queue ``update`` for getUpdates."""

    @abstractmethod
    def _parse_chat_id(self, value: Any) -> ChatT:
        """The ``chat_id`` parameter, or a 400 as the platform words it."""

    # --- lifecycle -------------------------------------------------------------------------

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=self.max_body)
        for http_method in self.http_methods:
            app.router.add_route(http_method, "/bot{token}/{method}", self._dispatch)
        for http_method, path, handler in self._more_routes():
            app.router.add_route(http_method, path, handler)
        return app

    def _more_routes(self) -> list[tuple[str, str, Any]]:
        """Routes besides the API methods (Telegram serves files apart)."""
        return []

    async def stop(self) -> None:
        self._closing.set()
        await super().stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/bot"

    # --- test controls ---------------------------------------------------------------------

    def block(self, chat_id: ChatT) -> None:
        self.blocked.add(chat_id)

    def unblock(self, chat_id: ChatT) -> None:
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
        """Answer the next ``count`` calls of ``method`` (any send method when None) with an
        error; ``retry_after`` adds ``parameters.retry_after``."""
        self._failures.append(
            _Failure(method.lower() if method else None, status, description, retry_after, count)
        )

    def messages_to(self, chat_id: ChatT) -> list[SentT]:
        return [m for m in self.sent if m.chat_id == chat_id]

    async def wait_for_messages(
        self,
        chat_id: ChatT,
        n: int,
        timeout: float = 20.0,  # noqa: ASYNC109 (a test helper's bound)
    ) -> list[SentT]:
        """Wait until ``chat_id`` has received at least ``n`` messages; return all of them."""

        def enough() -> bool:
            return len(self.messages_to(chat_id)) >= n

        try:
            async with self._recorded:
                await asyncio.wait_for(self._recorded.wait_for(enough), timeout)
        except TimeoutError:
            got = [m.summary for m in self.messages_to(chat_id)]
            raise AssertionError(
                f"chat {chat_id} got {len(got)} of {n} messages within {timeout}s: {got!r}"
            ) from None
        return self.messages_to(chat_id)

    # --- incoming updates ------------------------------------------------------------------

    def _enqueue(self, update: dict[str, Any]) -> None:
        self._queue.append(update)
        self._queued.set()

    async def _await_update(self, seconds: float) -> None:
        """Long-poll: return once something is queued, the server stops or ``seconds`` pass."""
        if self._queue:
            return
        self._queued.clear()
        if seconds <= 0:
            return
        waiter = asyncio.ensure_future(self._queued.wait())
        closing = asyncio.ensure_future(self._closing.wait())
        await asyncio.wait({waiter, closing}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        closing.cancel()

    async def _post_webhook(self, body: bytes, secret: str | Secret | None) -> tuple[int, str]:
        """POST ``body`` to the registered webhook with the registered secret, a forged one
        (a string) or none; the HTTP status and response text."""
        if self.webhook is None:
            raise AssertionError("no webhook is set")
        token = self.webhook.secret_token if secret is Secret.REGISTERED else secret
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers[self.secret_header] = token
        async with (
            aiohttp.ClientSession() as client,
            client.post(self.webhook.url, data=body, headers=headers) as response,
        ):
            return response.status, await response.text()

    # --- HTTP ------------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        method = request.match_info["method"].lower()
        try:
            params = await self._params(request)
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
            result = await self._answer(method, handler, params)
        except ApiError as error:
            return web.json_response(error.body(), status=error.status)
        return web.json_response({"ok": True, "result": result})

    async def _params(self, request: web.Request) -> dict[str, Any]:
        """A JSON object body; an empty body is no parameters."""
        params = await request.json() if await request.read() else {}
        if not isinstance(params, dict):
            raise ValueError("expected a JSON object")
        return params

    async def _answer(self, method: str, handler: Handler, params: dict[str, Any]) -> Any:
        """The result of ``method``; a fake may interfere with sends here."""
        return await handler(params)

    def _injected(self, method: str) -> None:
        for failure in self._failures:
            if failure.method == method or (failure.method is None and method in self.send_methods):
                failure.count -= 1
                if failure.count <= 0:
                    self._failures.remove(failure)
                parameters = {"retry_after": failure.retry_after} if failure.retry_after else None
                raise ApiError(failure.status, failure.description, parameters)

    # --- sending ---------------------------------------------------------------------------

    def _chat_id(self, params: dict[str, Any]) -> ChatT:
        chat_id = self._parse_chat_id(params.get("chat_id"))
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _spend(self, buckets: list[Bucket], now: float) -> None:
        """Take a token from each bucket, or answer 429 when any is empty."""
        wait = max(bucket.wait(now) for bucket in buckets)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            raise ApiError(
                429,
                self.rate_limited.format(retry_after=retry_after),
                {"retry_after": retry_after},
            )
        for bucket in buckets:
            bucket.tokens -= 1

    async def _record(self, sent: SentT) -> None:
        async with self._recorded:
            self.sent.append(sent)
            self._recorded.notify_all()
