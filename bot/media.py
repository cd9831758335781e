"""Pictures and documents of replies, served by our own HTTP server under expiring links.

Zalo sends pictures only by URL, which its servers fetch; the web chat shows pictures and
offers documents for download. Both get a link ``/media/<token>``: 192 random bits, valid for
``LIFETIME``, the bytes kept in the database (storage/media.py) so any worker can serve them.
Zalo needs the link absolute and public: CANBO_PUBLIC_URL, or the origin of the Zalo webhook.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote, urlsplit

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.http import Route
from bot.settings import Settings
from handlers.messages import Attachment
from storage import media
from storage.types import utcnow

ROUTE = "/media/{token}"
LIFETIME = timedelta(days=7)  # long enough to open a reminder's chart a few days later


def public_url(settings: Settings) -> str | None:
    """Where others reach this service: CANBO_PUBLIC_URL, else the Zalo webhook's origin."""
    if settings.public_url:
        return settings.public_url
    if settings.zalo_webhook_url:
        parts = urlsplit(settings.zalo_webhook_url)
        return f"{parts.scheme}://{parts.netloc}"
    return None


def service_url(settings: Settings) -> str:
    """Where a person opens this service's pages (the console's sign-in links): the public
    URL, else the address it listens on."""
    return (public_url(settings) or f"http://{settings.http_host}:{settings.http_port}").rstrip("/")


class MediaLinks:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        public_url: str | None,
        lifetime: timedelta = LIFETIME,
    ) -> None:
        self._sessions = sessions
        self._public_url = public_url.rstrip("/") if public_url else None
        self._lifetime = lifetime

    async def path(self, attachment: Attachment) -> str:
        """Store ``attachment``; the path of its link on this server."""
        async with self._sessions() as session:
            token = await media.store(
                session,
                attachment.content,
                attachment.filename,
                attachment.mime_type,
                utcnow(),
                self._lifetime,
            )
            await session.commit()
        return ROUTE.format(token=token)

    async def public_link(self, attachment: Attachment) -> str | None:
        """An absolute link to ``attachment`` others can fetch; None (nothing stored) when this
        service has no public URL."""
        if self._public_url is None:
            return None
        return self._public_url + await self.path(attachment)

    def route(self) -> Route:
        return Route("GET", ROUTE, self.serve)

    async def serve(self, request: web.Request) -> web.Response:
        """GET of a link: the file, or 404 once it expired (or never existed)."""
        async with self._sessions() as session:
            found = await media.fetch(session, request.match_info["token"], utcnow())
        if found is None:
            return web.Response(status=404, text="Not found")
        disposition = "inline" if found.mime_type.startswith("image/") else "attachment"
        return web.Response(
            body=found.content,
            content_type=found.mime_type,
            headers={
                "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(found.filename)}",
                "Cache-Control": "private, max-age=3600",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "sandbox; default-src 'none'",
            },
        )
