"""The service's own HTTP servers: the public one (web chat, webhooks, health) and, on a port
of its own, the metrics (bot/metrics.py).

Channels add their routes (``Route``) when the app is assembled (bot/app.py), so the web chat
and the Zalo webhook join the same server without it knowing them. The webhooks take JSON only
(``json_only``). Each request is logged with its id: the proxy's X-Request-Id when it sends one,
else a new one, returned in the response either way. A request met by a database outage is
answered 503 with one warning line (``database_outages``): a messenger retries a webhook it
was refused, and the log is not flooded with tracebacks while the database is down.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from aiohttp import web

from bot import logs
from storage.db import is_outage

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
REQUEST_ID = "X-Request-Id"
_READABLE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler


class ListenFailed(OSError):
    """A server could not take its port; ``setting`` names the variable that chose it."""

    def __init__(self, error: OSError, host: str, port: int, setting: str) -> None:
        super().__init__(error.errno, error.strerror)
        self.host, self.port, self.setting = host, port, setting


@web.middleware
async def request_ids(request: web.Request, handler: Handler) -> web.StreamResponse:
    given = request.headers.get(REQUEST_ID, "")
    request_id = given if _READABLE_ID.fullmatch(given) else uuid.uuid4().hex
    with logs.bound(request_id=request_id):
        response = await handler(request)
    response.headers[REQUEST_ID] = request_id
    return response


@web.middleware
async def database_outages(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception as error:
        if not is_outage(error):
            raise
        logger.warning(
            "%s %s refused: database unreachable (%s)",
            request.method,
            request.path,
            type(error).__name__,
        )
        return web.json_response(
            {"ok": False, "error": "database unavailable, try again"},
            status=503,
            headers={"Retry-After": "1"},
        )


def build_web_app(
    routes: Sequence[Route] = (), subapps: Mapping[str, web.Application] | None = None
) -> web.Application:
    """The server's application: ``routes``, and ``subapps`` by path prefix (the console)."""
    app = web.Application(client_max_size=1024 * 1024, middlewares=[request_ids, database_outages])
    for route in routes:
        app.router.add_route(route.method, route.path, route.handler)
    for prefix, subapp in (subapps or {}).items():
        app.add_subapp(prefix, subapp)
    return app


def json_only(handler: Handler, refused: Callable[[], None] = lambda: None) -> Handler:
    """``handler`` for bodies sent as application/json only; anything else (text/plain, a form,
    no type at all) is answered 415 before it is read, and ``refused`` is told. Telegram and
    Zalo both post their updates as application/json."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        if request.content_type != "application/json":
            refused()
            return web.json_response(
                {"ok": False, "error": "unsupported media type: send application/json"},
                status=415,
            )
        return await handler(request)

    return guarded


class HttpServer:
    """Serves ``app`` on host:port; ``port`` 0 picks a free one (tests), read back from ``port``.
    ``setting`` names the variable that chose the port, for the error when it is taken."""

    def __init__(
        self, app: web.Application, host: str, port: int, setting: str = "CANBO_HTTP_PORT"
    ) -> None:
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=5)
        self._host = host
        self._setting = setting
        self.port = port

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self.port)
        try:
            await site.start()
        except OSError as error:
            await self._runner.cleanup()
            raise ListenFailed(error, self._host, self.port, self._setting) from None
        self.port = self._runner.addresses[0][1]
        logger.info("HTTP server on %s:%s", self._host, self.port)

    async def stop(self) -> None:
        await self._runner.cleanup()
