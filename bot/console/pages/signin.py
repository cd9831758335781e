"""Signing in with a one-time link, signing out, and the language of the session.

A link opened (GET) only shows a button: messengers fetch links for their previews, and that
fetch must not use the link up. Pressing it (POST, from this same origin) opens the session
and sets the cookie: HttpOnly, SameSite=Strict, Path=/console, Secure over https.
"""

from __future__ import annotations

from aiohttp import web

from bot.console.app import ConsoleRoute
from bot.console.render import NavEntry, render_public, request_language
from bot.console.visit import CONFIG, COOKIE, Visit, page, same_origin
from locales import LANGUAGES, translator
from storage import console
from storage.access import scope_of
from storage.types import utcnow

NAV: tuple[NavEntry, ...] = ()


async def show(request: web.Request) -> web.Response:
    token = request.query.get("token", "")
    _ = translator(request_language(request))
    config = request.config_dict[CONFIG]
    valid = False
    if token:
        async with config.sessions() as db:
            valid = await console.pending_sign_in(db, token, utcnow()) is not None
    return render_public(
        request,
        "signin.html",
        _,
        token=token if valid else "",
        expired=bool(token) and not valid,
        signed_out="out" in request.query,
    )


async def sign_in(request: web.Request) -> web.Response:
    _ = translator(request_language(request))
    if not same_origin(request):
        raise web.HTTPForbidden(text="cross-site request refused")
    token = str((await request.post()).get("token", ""))
    config = request.config_dict[CONFIG]
    now = utcnow()
    async with config.sessions() as db:
        pending = await console.pending_sign_in(db, token, now) if token else None
        opened = None
        if pending is not None:
            scope = await scope_of(db, pending.official_id)
            earlier = request.cookies.get(COOKIE)
            replaced = await console.current(db, earlier, now) if earlier else None
            if replaced is not None:  # this browser's earlier session: one at a time
                console.end(db, replaced, console.actor_of(replaced.official.code), now)
            opened = await console.redeem(
                db,
                token,
                scope,
                pending.official_id,
                language=request_language(request),
                address=config.proxies.client(request),
                now=now,
            )
        await db.commit()
    if opened is None:
        return render_public(request, "signin.html", _, token="", expired=True, status=400)
    response = web.HTTPSeeOther("/console")
    response.set_cookie(
        COOKIE,
        opened.token,
        path="/console",
        httponly=True,
        samesite="Strict",
        secure=config.secure_cookies or request.secure,
    )
    raise response


async def sign_out(visit: Visit) -> web.StreamResponse:
    console.end(visit.db, visit.session, visit.actor, visit.now)
    response = web.HTTPSeeOther("/console/signin?out=1")
    response.del_cookie(COOKIE, path="/console")
    raise response


async def language(visit: Visit) -> web.StreamResponse:
    chosen = str((await visit.request.post()).get("language", ""))
    if chosen in LANGUAGES:
        visit.session.language = chosen
    back = str((await visit.request.post()).get("back", ""))
    raise web.HTTPSeeOther(back if back.startswith("/console") else "/console")


ROUTES = (
    ConsoleRoute("GET", "/signin", show),
    ConsoleRoute("POST", "/signin", sign_in),
    ConsoleRoute("POST", "/signout", page(sign_out)),
    ConsoleRoute("POST", "/language", page(language)),
)
