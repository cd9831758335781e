"""The /console sub-application: its pages (``pages()``), templates and static files, and the
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

from bot.console.render import NavEntry, render_public, visitor_language
from bot.console.visit import CONFIG
from bot.http import Handler, Route
from bot.proxies import TrustedProxies
from locales import N_, translator
from rules.profiles import Profile
from storage.models import Channel

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
    # not no-referrer: under it browsers send "Origin: null" with every form, and the
    # same-origin check needs the origin; nothing is sent to other sites either way
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
    link_code_days: int = 7  # how long link codes issued from the console stay valid
    bot_username: str | None = None  # the Telegram bot, for the deep links on slips
    messengers: frozenset[Channel] = frozenset()  # those set up to push (Settings.messengers)


def pages() -> tuple[ModuleType, ...]:
    """The page modules, in navigation order. Each has ``ROUTES`` and ``NAV``."""
    from bot.console.pages import (
        admin,
        announcements,
        courses,
        dashboard,
        evidence,
        officials,
        reach,
        rosters,
        signin,
    )

    return (
        dashboard,
        officials,
        reach,
        rosters,
        courses,
        evidence,
        announcements,
        admin,
        signin,
    )


def navigation() -> list[NavEntry]:
    return [entry for module in pages() for entry in module.NAV]


async def _static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in STATIC:
        raise web.HTTPNotFound()
    body = (resources.files("bot.console") / "static" / name).read_bytes()
    return web.Response(body=body, content_type=STATIC[name], charset="utf-8")


ERRORS = {
    401: N_("You are signed out. Send /console in your chat for a new sign-in link."),
    403: N_("This form has expired or came from another site. Reload the page and try again."),
    404: N_("This page does not exist, or it is outside your units."),
}


@web.middleware
async def _error_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A refusal as a page in the visitor's language, with a way back."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status not in ERRORS:
            raise
        _ = translator(await visitor_language(request))
        return render_public(
            request, "error.html", _, status=error.status, message=_(ERRORS[error.status])
        )


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)


def console_app(config: ConsoleConfig) -> web.Application:
    app = web.Application(middlewares=[_error_pages])
    app[CONFIG] = config
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("bot.console", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    app.router.add_get("/static/{name}", _static)
    for module in pages():
        for route in module.ROUTES:
            app.router.add_route(route.method, route.path, route.handler)
    app.on_response_prepare.append(_headers)
    return app


def mount(root: web.Application, config: ConsoleConfig) -> None:
    root.add_subapp(PREFIX, console_app(config))


ConsoleRoute = Route  # a route under /console: "" is /console itself
