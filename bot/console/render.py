"""Pages from templates: every template gets the visit, the translator as ``_``, the
navigation for this visitor, ``csrf_field()`` for forms and the formats of ``_`` (dates
dd/mm/yyyy, numbers 1.219,5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from markupsafe import Markup, escape
from sqlalchemy import select

from bot.console.tables import export_url
from bot.console.visit import CONFIG, COOKIE, CSRF_FIELD, Visit
from locales import LANGUAGES, Translator
from storage.console import token_hash
from storage.models import ConsoleSession


@dataclass(frozen=True)
class NavEntry:
    path: str  # under /console
    label: str  # an English msgid (N_), translated when shown
    admin: bool = False


def render(visit: Visit, template: str, *, status: int = 200, **values: Any) -> web.Response:
    from bot.console.app import navigation  # the page list, which imports the pages

    _ = visit._
    current = visit.request.path
    nav = [
        {
            "path": entry.path,
            "label": _(entry.label),
            "current": current == entry.path
            or (entry.path != "/console" and current.startswith(entry.path + "/")),
        }
        for entry in navigation()
        if visit.admin or not entry.admin
    ]
    context = {
        **common(_, visit.csrf),
        "visit": visit,
        "nav": nav,
        "export_url": lambda table: export_url(visit, table),
        **values,
    }
    return aiohttp_jinja2.render_template(template, visit.request, context, status=status)


def render_public(
    request: web.Request, template: str, _: Translator, *, status: int = 200, **values: Any
) -> web.Response:
    """A page shown before sign-in (no navigation, no session)."""
    context = {**common(_, ""), "visit": None, "nav": [], **values}
    return aiohttp_jinja2.render_template(template, request, context, status=status)


def common(_: Translator, csrf: str) -> dict[str, Any]:
    def csrf_field() -> Markup:
        return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, escape(csrf))

    return {"_": _, "csrf": csrf, "csrf_field": csrf_field, "languages": LANGUAGES}


def request_language(request: web.Request) -> str:
    """The language of a page shown before sign-in: the browser's first, if we speak it."""
    first = request.headers.get("Accept-Language", "").split(",")[0]
    language = first.split(";")[0].split("-")[0].strip().lower()
    return language if language in LANGUAGES else request.config_dict[CONFIG].default_language


async def visitor_language(request: web.Request) -> str:
    """The language of the session the cookie names, if open; else ``request_language``."""
    cookie = request.cookies.get(COOKIE)
    if cookie:
        async with request.config_dict[CONFIG].sessions() as db:
            chosen = await db.scalar(
                select(ConsoleSession.language).where(
                    ConsoleSession.token_hash == token_hash(cookie),
                    ConsoleSession.ended_at.is_(None),
                )
            )
        if chosen is not None:
            return chosen
    return request_language(request)
