"""The console's guard: who is signed in, in what scope, and whether a form is genuine.

``page(handler)`` wraps every page handler. It finds the session named by the cookie (storage/
console.py), ends it when its official holds no role any more, checks POST requests for the
same origin and the CSRF token, opens one database transaction for the handler (the session's
"seen now" committed before it) and commits it afterwards. A redirect or a refusal raised by
the handler (an ``HTTPException``) still commits, so the audit entry of a refusal is kept; any
other error rolls everything back.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aiohttp import MultipartReader, web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from locales import Translator, translator
from storage import console
from storage.access import Scope, refuse, scope_of
from storage.models import ConsoleSession, Official, Role, RoleKind, Unit
from storage.types import utcnow

if TYPE_CHECKING:
    from bot.console.app import ConsoleConfig

COOKIE = "canbo_console"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD"})
CONFIG: web.AppKey[ConsoleConfig] = web.AppKey("console_config")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PageHandler = Callable[["Visit"], Awaitable[web.StreamResponse]]


@dataclass
class Visit:
    """One request of a signed-in coordinator or admin."""

    request: web.Request
    config: ConsoleConfig
    db: AsyncSession
    session: ConsoleSession
    official: Official
    scope: Scope
    admin: bool
    csrf: str
    now: datetime
    form_parts: MultipartReader | None = None  # a multipart POST, after its CSRF field

    @property
    def _(self) -> Translator:
        return translator(self.session.language)

    @property
    def actor(self) -> str:
        return console.actor_of(self.official.code)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.config.zone).date()

    def refuse(self, target: str) -> web.HTTPNotFound:
        """A 404 for ``target`` outside the scope, with the refusal on the audit log."""
        refuse(self.db, self.actor, target, "out of scope")
        return not_found()

    async def unit(self, unit_id: int) -> Unit:
        """The unit ``unit_id`` if the scope covers it, else 404 (and audited)."""
        found = await self.db.get(Unit, unit_id)
        if found is None:
            raise not_found()
        if not self.scope.covers(found.path):
            raise self.refuse(f"unit:{found.code}")
        return found

    async def official_in_scope(self, official_id: int) -> Official:
        """The official ``official_id`` if their unit is in scope, else 404 (and audited)."""
        found = await self.db.get(Official, official_id)
        if found is None:
            raise not_found()
        unit = await self.db.get(Unit, found.unit_id)
        if unit is None or not self.scope.covers(unit.path):
            raise self.refuse(f"official:{found.code}")
        return found


def not_found() -> web.HTTPNotFound:
    return web.HTTPNotFound(text="404", content_type="text/plain")


def csrf_token(cookie: str) -> str:
    """The session's CSRF token: derived from the cookie, which only that browser holds (it is
    HttpOnly, so no script reads it), so nothing more is stored."""
    return hmac.new(cookie.encode(), b"canbo-console-csrf", hashlib.sha256).hexdigest()[:40]


def same_origin(request: web.Request) -> bool:
    """A state-changing request from a page of this same host. Browsers send Origin on every
    POST ("null" when a referrer policy hides it) and Sec-Fetch-Site; a client sending
    neither is not a browser acting for someone else."""
    origin = request.headers.get("Origin")
    fetched_from = request.headers.get("Sec-Fetch-Site")
    if origin is not None and origin != "null":
        return urlsplit(origin).netloc == request.host and fetched_from in (None, "same-origin")
    return fetched_from in (None, "same-origin") and (origin is None or fetched_from is not None)


def page(handler: PageHandler, *, admin: bool = False) -> Handler:
    """``handler`` for signed-in coordinators (``admin``: admins only; others get 404)."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        config = request.config_dict[CONFIG]
        unsafe = request.method not in SAFE_METHODS
        if unsafe and not same_origin(request):
            raise web.HTTPForbidden(text="cross-site request refused")
        cookie = request.cookies.get(COOKIE, "")
        async with config.sessions() as db:
            now = utcnow()
            row = await console.current(db, cookie, now) if cookie else None
            scope = await scope_of(db, row.official_id) if row is not None else None
            if row is not None and scope is None:
                row.ended_at, row.ended_by = now, "role removed"
            if row is None or scope is None:
                await db.commit()
                if unsafe:
                    raise web.HTTPUnauthorized(text="signed out")
                raise web.HTTPSeeOther(console.SIGN_IN_PATH)
            admin_now = await holds_admin(db, row.official_id)
            if admin and not admin_now:
                refuse(db, console.actor_of(row.official.code), request.path, "not an admin")
                await db.commit()
                raise not_found()
            # "seen now" is kept at once: on SQLite the handler's transaction then takes the
            # write lock only when it writes, not for the whole page
            await db.commit()
            token = csrf_token(cookie)
            visit = Visit(request, config, db, row, row.official, scope, admin_now, token, now)
            if unsafe:
                await _check_csrf(visit)
            try:
                response = await handler(visit)
            except web.HTTPException:
                await db.commit()
                raise
            await db.commit()
            return response

    return guarded


async def _check_csrf(visit: Visit) -> None:
    request = visit.request
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.content_type == "multipart/form-data":
        reader = await request.multipart()
        part = await reader.next()
        if part is not None and getattr(part, "name", None) == CSRF_FIELD:
            given = await part.text()  # type: ignore[union-attr]
            visit.form_parts = reader
    elif given is None:
        given = str((await request.post()).get(CSRF_FIELD, ""))
    if not given or not hmac.compare_digest(given, visit.csrf):
        raise web.HTTPForbidden(text="the form has expired: reload the page")


async def holds_admin(db: AsyncSession, official_id: int) -> bool:
    held = await db.scalar(
        select(Role.id).where(Role.official_id == official_id, Role.kind == RoleKind.ADMIN)
    )
    return held is not None
