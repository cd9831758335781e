"""The service's own HTTP server: health, metrics and the messengers' webhooks.

Channels add their routes (``Route``) when the app is assembled (bot/app.py), so the web chat
and the Zalo webhook join the same server without it knowing them. The webhooks take JSON only
(``json_only``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.metrics import Metrics

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler


def build_web_app(
    engine: AsyncEngine, metrics: Metrics, routes: Sequence[Route] = ()
) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)

    async def healthz(request: web.Request) -> web.Response:
        """200 when the database answers; 503 otherwise, so a load balancer routes around us."""
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError) as error:
            logger.warning("health check: database unreachable (%s)", type(error).__name__)
            return web.json_response({"status": "error", "database": "unreachable"}, status=503)
        return web.json_response({"status": "ok", "database": "ok"})

    async def metrics_page(request: web.Request) -> web.Response:
        return web.Response(text=metrics.render(), content_type="text/plain", charset="utf-8")

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    for route in routes:
        app.router.add_route(route.method, route.path, route.handler)
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
    """Serves ``app`` on host:port; ``port`` 0 picks a free one (tests), read back from ``port``."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=5)
        self._host = host
        self.port = port

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        logger.info("HTTP server on %s:%s", self._host, self.port)

    async def stop(self) -> None:
        await self._runner.cleanup()
