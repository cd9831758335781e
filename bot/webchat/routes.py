"""The web chat's routes on the service's own HTTP server.

``/`` is the page (static HTML, CSS and vanilla JavaScript: no build step, nothing fetched from
elsewhere). The page talks JSON to ``/chat/api/…``: ``session`` (who is here, in which language,
the page's words and the conversation so far), ``message`` (text or a pressed button's data in,
the conversation's replies out), ``language`` and ``signout``. Each browser is one web chat
account, named by the signed session cookie (session.py); it links like any chat, with a code,
and gets a new session id whenever it links or unlinks. The last turns of a linked chat are
kept (history.py), so a reload loses nothing. The visitor's address (for the limits on wrong
link codes) is the TCP peer, or what a trusted reverse proxy says it is (bot/proxies.py).

Requests that change something must carry the ``X-Canbo-Chat`` header and, when the browser
sends an Origin, come from this same host: another site cannot post on a visitor's behalf.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from aiohttp import BodyPartReader, hdrs, web
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from bot.channels.shapes import unicode_text
from bot.http import Route
from bot.media import MediaLinks
from bot.proxies import TrustedProxies
from bot.settings import Settings
from bot.webchat import history
from bot.webchat.session import COOKIE, SessionCookies
from handlers.conversation import Conversation
from handlers.menu import menu
from handlers.messages import (
    ATTACHMENT_LIMIT,
    Attachment,
    Incoming,
    Reply,
    parse_command,
)
from locales import LANGUAGES, translator
from storage.access import scope_of
from storage.callback_data import LIMIT as CALLBACK_DATA_LIMIT
from storage.models import Channel, ChatAccount
from storage.server_keys import server_key
from storage.types import utcnow

CSRF_HEADER = "X-Canbo-Chat"
KEY_NAME = "webchat-cookie"
STATIC = {
    "app.js": "text/javascript",
    "style.css": "text/css",
}
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


@dataclass(frozen=True)
class _Visitor:
    session_id: str
    cookie: str | None  # a new or renewed cookie value to set, if any


class WebChat:
    def __init__(
        self,
        conversation: Conversation,
        sessions: async_sessionmaker[AsyncSession],
        media: MediaLinks,
        *,
        default_language: str,
        secret_key: str | None = None,
        proxies: TrustedProxies | None = None,
        secure_cookies: bool = False,
    ) -> None:
        self._conversation = conversation
        self._sessions = sessions
        self._media = media
        self._language = default_language
        self._secret_key = secret_key
        self._proxies = proxies or TrustedProxies()
        self._secure_cookies = secure_cookies
        self._cookies: SessionCookies | None = None
        static = resources.files("bot.webchat") / "static"
        self._page = (static / "index.html").read_bytes()
        self._static = {name: (static / name).read_bytes() for name in STATIC}

    def routes(self) -> list[Route]:
        return [
            Route("GET", "/", self.page),
            Route("GET", "/chat/static/{name}", self.static),
            Route("GET", "/chat/api/session", self.session),
            Route("POST", "/chat/api/message", self.message),
            Route("POST", "/chat/api/upload", self.upload),
            Route("POST", "/chat/api/language", self.language),
            Route("POST", "/chat/api/signout", self.sign_out),
        ]

    # --- pages -----------------------------------------------------------------------------

    async def page(self, request: web.Request) -> web.Response:
        return web.Response(
            body=self._page, content_type="text/html", charset="utf-8", headers=PAGE_HEADERS
        )

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in STATIC:
            raise web.HTTPNotFound()
        return web.Response(
            body=self._static[name],
            content_type=STATIC[name],
            charset="utf-8",
            headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
        )

    # --- API -------------------------------------------------------------------------------

    async def session(self, request: web.Request) -> web.Response:
        """Who is here. A browser without a valid cookie gets a new session; a known one gets
        its cookie renewed."""
        visitor = await self._visitor(request, create=True)
        assert visitor is not None
        state = await self._state(request, visitor.session_id, with_history=True)
        response = web.json_response(state)
        await self._set_cookie(response, request, visitor)
        return response

    async def message(self, request: web.Request) -> web.Response:
        """Text of any length (the conversation says when it is too long to read), or a
        pressed button's data with its ``label``, which the kept conversation shows."""
        visitor, body = await self._post(request)
        text, data, label = body.get("text"), body.get("callback_data"), body.get("label")
        if (
            unicode_text(data)
            and 0 < len(data.encode()) <= CALLBACK_DATA_LIMIT
            and (label is None or unicode_text(label))
        ):
            incoming = self._incoming(request, visitor, callback_data=data)
            shown = label or ""
        elif unicode_text(text) and text.strip():
            command, args = parse_command(text.strip())
            incoming = self._incoming(request, visitor, text=text, command=command, args=args)
            shown = text.strip()
        else:
            raise _bad_request("expected text or callback_data")
        return await self._answer(request, visitor, incoming, shown)

    async def _answer(
        self, request: web.Request, visitor: _Visitor, incoming: Incoming, shown: str
    ) -> web.Response:
        """The conversation's replies to ``incoming`` and the page's state, as JSON; the turn
        is kept with ``shown``, what the page showed the visitor sending."""
        linked = await self._official_id(visitor.session_id)
        replies = await self._conversation.handle(incoming)
        if await self._official_id(visitor.session_id) != linked:
            visitor = await self._renew(visitor)  # linked or unlinked: a new session id
        rendered = [await self._render(reply) for reply in replies]
        state = await self._state(request, visitor.session_id)
        await self._keep(visitor.session_id, shown, rendered, linked=state["linked"])
        response = web.json_response({"replies": rendered, "state": state})
        await self._set_cookie(response, request, visitor)
        return response

    async def upload(self, request: web.Request) -> web.Response:
        """A file sent from the chat (a coordinator's roster, an official's certificate, as
        handlers.files tells them apart): multipart/form-data with one part,
        "file". A file over ``ATTACHMENT_LIMIT`` reaches the conversation empty, as from
        Telegram, so the answer says why."""
        visitor = await self._checked(request)
        try:
            reader = await request.multipart()
            part = await reader.next()
        except (ValueError, AssertionError):
            raise _bad_request("expected multipart/form-data") from None
        if not isinstance(part, BodyPartReader) or part.name != "file" or not part.filename:
            raise _bad_request("expected one file, in a part named file")
        content = bytearray()
        while chunk := await part.read_chunk(1 << 16):
            content += chunk
            if len(content) > ATTACHMENT_LIMIT:
                content.clear()
                break
        mime = part.headers.get(hdrs.CONTENT_TYPE, "application/octet-stream")
        attachment = Attachment(part.filename[:200], bytes(content), mime)
        incoming = self._incoming(request, visitor, attachment=attachment)
        return await self._answer(request, visitor, incoming, f"📎 {attachment.filename}")

    async def language(self, request: web.Request) -> web.Response:
        visitor, body = await self._post(request)
        language = body.get("language")
        if language not in LANGUAGES:
            raise _bad_request(f"language must be one of {', '.join(LANGUAGES)}")
        async with self._sessions() as session:
            account = await self._account(session, visitor.session_id)
            if account is None:
                session.add(_new_account(visitor.session_id, str(language)))
            else:
                account.language = str(language)
            await session.commit()
        return web.json_response({"state": await self._state(request, visitor.session_id)})

    async def sign_out(self, request: web.Request) -> web.Response:
        """Unlink this browser's chat (as /huylienket would) and forget its cookie, so the next
        person at a shared computer starts anew."""
        visitor, _body = await self._post(request)
        await self._conversation.handle(self._incoming(request, visitor, command="unlink"))
        # the old id, should it survive somewhere, opens nothing; the turns are forgotten
        visitor = await self._renew(visitor)
        await self._keep(visitor.session_id, "", [], linked=False)
        response = web.json_response({"ok": True})
        response.del_cookie(COOKIE, path="/")
        return response

    # --- helpers ---------------------------------------------------------------------------

    async def _post(self, request: web.Request) -> tuple[_Visitor, dict[str, Any]]:
        """The visitor and JSON body of a state-changing request, after the CSRF checks."""
        visitor = await self._checked(request)
        try:
            body = json.loads(await request.read())
        except ValueError:
            raise _bad_request("the body is not JSON") from None
        if not isinstance(body, dict):
            raise _bad_request("the body is not a JSON object")
        return visitor, body

    async def _checked(self, request: web.Request) -> _Visitor:
        """The visitor of a state-changing request, after the CSRF checks."""
        if request.headers.get(CSRF_HEADER) != "1" or not _same_origin(request):
            raise web.HTTPForbidden(
                text=json.dumps({"error": "cross-site request refused"}),
                content_type="application/json",
            )
        visitor = await self._visitor(request, create=False)
        if visitor is None:
            raise web.HTTPUnauthorized(
                text=json.dumps({"error": "no session"}), content_type="application/json"
            )
        return visitor

    async def _visitor(self, request: web.Request, *, create: bool) -> _Visitor | None:
        cookies = await self._signer()
        now = utcnow()
        session_id = cookies.read(request.cookies.get(COOKIE), now)
        if session_id is not None:
            return _Visitor(session_id, cookies.value(session_id, now))
        if not create:
            return None
        session_id = cookies.new_id()
        return _Visitor(session_id, cookies.value(session_id, now))

    async def _signer(self) -> SessionCookies:
        """The cookie signer, on CANBO_SECRET_KEY or else a key generated once and kept in the
        database, so all workers agree and a restart keeps everyone signed in."""
        if self._cookies is None:
            key = self._secret_key
            if key is None:
                async with self._sessions() as session:
                    key = await server_key(session, KEY_NAME)
                    await session.commit()
            self._cookies = SessionCookies(key.encode(), secure=self._secure_cookies)
        return self._cookies

    async def _official_id(self, session_id: str) -> int | None:
        async with self._sessions() as session:
            found: int | None = await session.scalar(
                select(ChatAccount.official_id).where(
                    ChatAccount.channel == Channel.WEB, ChatAccount.external_id == session_id
                )
            )
        return found

    async def _renew(self, visitor: _Visitor) -> _Visitor:
        """Move this browser's chat account to a new session id, against session fixation:
        whoever planted or saw the old id is left holding an empty session."""
        cookies = await self._signer()
        session_id = cookies.new_id()
        async with self._sessions() as session:
            await session.execute(
                update(ChatAccount)
                .where(
                    ChatAccount.channel == Channel.WEB,
                    ChatAccount.external_id == visitor.session_id,
                )
                .values(external_id=session_id)
            )
            await session.commit()
        return _Visitor(session_id, cookies.value(session_id, utcnow()))

    async def _set_cookie(
        self, response: web.StreamResponse, request: web.Request, visitor: _Visitor
    ) -> None:
        if visitor.cookie is not None:
            (await self._signer()).set(response, request, visitor.cookie)

    def _hint(self, request: web.Request) -> str | None:
        """The browser's first language, if we speak it."""
        first = request.headers.get("Accept-Language", "").split(",")[0]
        language = first.split(";")[0].split("-")[0].strip().lower()
        return language if language in LANGUAGES else None

    def _incoming(
        self,
        request: web.Request,
        visitor: _Visitor,
        *,
        text: str | None = None,
        command: str | None = None,
        args: tuple[str, ...] = (),
        callback_data: str | None = None,
        attachment: Attachment | None = None,
    ) -> Incoming:
        return Incoming(
            channel=Channel.WEB,
            chat_id=visitor.session_id,
            sender_id=visitor.session_id,
            text=text,
            command=command,
            args=args,
            callback_data=callback_data,
            attachment=attachment,
            language_hint=self._hint(request),
            address=self._proxies.client(request),
        )

    async def _account(self, session: AsyncSession, session_id: str) -> ChatAccount | None:
        found: ChatAccount | None = await session.scalar(
            select(ChatAccount)
            .where(ChatAccount.channel == Channel.WEB, ChatAccount.external_id == session_id)
            .options(selectinload(ChatAccount.official))
        )
        return found

    async def _keep(
        self, session_id: str, question: str, replies: list[dict[str, Any]], *, linked: bool
    ) -> None:
        """Keep the turn of a linked chat; forget the chat's turns once it is not linked."""
        async with self._sessions() as session:
            account = await self._account(session, session_id)
            if account is None:
                return
            if linked:
                await history.remember(session, account.id, question, replies, utcnow())
            else:
                await history.forget(session, account.id)
            await session.commit()

    async def _state(
        self, request: web.Request, session_id: str, *, with_history: bool = False
    ) -> dict[str, Any]:
        """What the page shows around the messages, in the chat's language; on arrival, the
        conversation so far as well."""
        async with self._sessions() as session:
            account = await self._account(session, session_id)
            official = account.official if account else None
            coordinates = official is not None and await scope_of(session, official.id) is not None
            turns = await history.recent(session, account.id) if account and with_history else []
        language = account.language if account else self._hint(request) or self._language
        _ = translator(language)
        strings = {
            "title": _("Training standards assistant"),
            "intro": _(
                "Enter the link code you received from your organisation board "
                "(it looks like K7QX-9PMA)."
            ),
            "code": _("Link code"),
            "link": _("Link"),
            "placeholder": _("Type a question…"),
            "send": _("Send"),
            "attach": _("Send a file"),
            "sign_out": _("Sign out"),
            "offline": _("The service did not answer. Please try again."),
            "close": _("Close"),
        }
        if official is not None:
            strings["greeting"] = _(
                "Hello {name}. Choose a topic below or ask a question.", name=official.full_name
            )
        state: dict[str, Any] = {
            "language": language,
            "languages": list(LANGUAGES),
            "linked": official is not None,
            "menu": menu(_, coordinator=coordinates) if official is not None else [],
            "strings": strings,
        }
        if with_history:
            state["history"] = turns if official is not None else []
        return state

    async def _render(self, reply: Reply) -> dict[str, Any]:
        """A reply as the page draws it. The topics menu is not repeated here: the page shows
        it whenever the chat is linked (``state``)."""
        rendered: dict[str, Any] = {
            "text": reply.text,
            "buttons": [
                [{"label": button.label, "data": button.data} for button in row]
                for row in reply.buttons
            ],
        }
        for kind in ("picture", "document"):
            attachment = getattr(reply, kind)
            if attachment is not None:
                rendered[kind] = {
                    "url": await self._media.path(attachment),
                    "name": attachment.filename,
                }
        return rendered


def web_chat(
    settings: Settings,
    conversation: Conversation,
    sessions: async_sessionmaker[AsyncSession],
    media: MediaLinks,
) -> WebChat:
    key = settings.secret_key
    return WebChat(
        conversation,
        sessions,
        media,
        default_language=settings.locale,
        secret_key=key.get_secret_value() if key else None,
        proxies=settings.proxies,
        secure_cookies=settings.https,
    )


def _new_account(session_id: str, language: str) -> ChatAccount:
    return ChatAccount(
        channel=Channel.WEB,
        external_id=session_id,
        language=language,
        muted_kinds=[],
        dialog_data={},
    )


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def _bad_request(reason: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": reason}), content_type="application/json")
