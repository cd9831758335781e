"""The /console sub-application: its pages (``PAGES``), templates and static files, and the
headers every answer carries. bot/app.py mounts it on the service's HTTP server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from types import ModuleType
from zoneinfo import ZoneInfo

import aiohttp_jinja2
import jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.console.render import NavEntry
from bot.console.visit import CONFIG
from bot.http import Route
from bot.proxies import TrustedProxies
from rules.profiles import Profile

PREFIX = "/console"
STATIC = {
    "htmx.min.js": "text/javascript",
    "console.css": "text/css",
}
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with a
    # form posted to its own site, which the same-origin check must refuse
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class ConsoleConfig:
    sessions: async_sessionmaker[AsyncSession]
    standards: Callable[[date], Profile]  # the profile in force on a day
    zone: ZoneInfo
    default_language: str
    proxies: TrustedProxies
    secure_cookies: bool  # served over https (CANBO_PUBLIC_URL): Secure cookies


def _pages() -> tuple[ModuleType, ...]:
    """The page modules, in navigation order. Each has ``ROUTES`` and ``NAV``."""
    from bot.console.pages import announcements, courses, dashboard, evidence, signin

    return (dashboard, courses, evidence, announcements, signin)


def navigation() -> list[NavEntry]:
    return [entry for module in _pages() for entry in module.NAV]


async def _static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in STATIC:
        raise web.HTTPNotFound()
    body = (resources.files("bot.console") / "static" / name).read_bytes()
    return web.Response(body=body, content_type=STATIC[name], charset="utf-8")


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)


def console_app(config: ConsoleConfig) -> web.Application:
    app = web.Application()
    app[CONFIG] = config
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("bot.console", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    app.router.add_get("/static/{name}", _static)
    for module in _pages():
        for route in module.ROUTES:
            app.router.add_route(route.method, route.path, route.handler)
    app.on_response_prepare.append(_headers)
    return app


def mount(root: web.Application, config: ConsoleConfig) -> None:
    root.add_subapp(PREFIX, console_app(config))


ConsoleRoute = Route  # a route under /console: "" is /console itself
