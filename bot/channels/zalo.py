"""The Zalo adapter: the Zalo Bot API client, and the channel that feeds the conversation.

The Zalo Bot Platform is Telegram-like (``POST {base}{token}/{method}``, JSON both ways,
``{"ok", "result", "error_code", "description"}``) but poorer: no buttons, text of at most
2,000 characters, pictures only by URL, and getUpdates hands out one event per call (408 when
none came). So: the conversation numbers the options of a reply for this channel (handlers'
channel capabilities), long text goes out in parts cut at line ends, and pictures or documents
are stored and sent as expiring links on our own HTTP server (bot/media.py).

Webhook mode when CANBO_ZALO_WEBHOOK_URL is set (Zalo POSTs to ``WEBHOOK_PATH``, with our
secret in the X-Bot-Api-Secret-Token header), long polling otherwise. Either way each event is
stored in the inbox before Zalo hears back (bot/intake.py; a 503 while the database is down)
and claimed in the transaction that answers it (storage/inbox.py), so a redelivered event is
answered once and one whose answer failed is answered again. Zalo's getUpdates has no offset:
an event it handed out is held in memory until it is stored.
Which events are read, acknowledged or refused: bot/channels/zalo_events.py.

Zalo documents no rate limit and no error codes beyond 408; what we assume instead (a pace of
CANBO_ZALO_RATE sends a second, 429 with ``retry_after`` as flood control, 403 for a chat that
blocked the bot, 408 and 504 as an empty poll) is listed in docs/ZALO.md, each configurable.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Coroutine
from dataclasses import replace
from time import perf_counter
from typing import Any

import aiohttp
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import logs
from bot.channels.splitting import split_text
from bot.channels.zalo_events import ZaloEvent, parse_event, to_incoming
from bot.intake import Intake, log_failure
from bot.media import MediaLinks
from bot.metrics import Metrics
from bot.settings import Settings
from handlers.conversation import Conversation
from handlers.messages import ATTACHMENT_LIMIT, Attachment, Reply
from locales import translator
from scheduler.limits import Limits, Priority, send_budget
from storage import inbox
from storage.models import Channel, ChatAccount
from storage.types import utcnow

logger = logging.getLogger(__name__)

TEXT_LIMIT = 2000
WEBHOOK_PATH = "/zalo/webhook"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
# getUpdates: nothing arrived within the timeout. 408 is documented; 504 "Request timeout" is
# what live traffic shows too (an assumption: CANBO_ZALO_IDLE_CODES). Neither is a failure.
IDLE_CODES = frozenset({408, 504})
POLL_TIMEOUT = 30  # seconds getUpdates waits for an event
REQUEST_TIMEOUT = 15.0  # seconds for any other call
RETRY_DELAY = 1.0  # seconds before polling again after a failure; doubles each time
MAX_BACKOFF = 60.0  # seconds between polls while Zalo is unreachable
SEND_TRIES = 3  # a reply part refused with 429 is sent at most this many times
CHANNEL = Channel.ZALO.value


class ZaloError(Exception):
    """An error answer from the Bot API: ``code`` is its error_code (or the HTTP status)."""

    def __init__(self, code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after


class ZaloClient:
    """The Bot API methods we use, over one aiohttp session. The token is part of every URL:
    nothing here logs URLs, and errors carry only the API's code and description."""

    def __init__(
        self,
        token: str,
        base_url: str,
        *,
        timeout: float = REQUEST_TIMEOUT,
        idle_codes: frozenset[int] = IDLE_CODES,
    ) -> None:
        self._url = f"{base_url}{token}/"
        self.bot_id = bot_id(token)
        self._timeout = timeout
        self._idle_codes = idle_codes
        self._session: aiohttp.ClientSession | None = None

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, seconds: float | None = None
    ) -> Any:
        """The ``result`` of ``method`` (waiting at most ``seconds``); ZaloError for an error
        answer. Network failures and timeouts raise aiohttp.ClientError or TimeoutError."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        limit = aiohttp.ClientTimeout(total=seconds or self._timeout)
        async with self._session.post(self._url + method, json=params or {}, timeout=limit) as r:
            try:
                body = await r.json(content_type=None)
            except ValueError:
                body = None
        if not isinstance(body, dict):
            raise ZaloError(r.status, f"unreadable answer (HTTP {r.status})")
        if not body.get("ok"):
            parameters = body.get("parameters")
            retry = parameters.get("retry_after") if isinstance(parameters, dict) else None
            code = body.get("error_code")
            raise ZaloError(
                code if isinstance(code, int) else r.status,
                str(body.get("description") or ""),
                float(retry) if isinstance(retry, int | float) else None,
            )
        return body.get("result")

    async def get_me(self) -> dict[str, Any]:
        me = await self.call("getMe")
        return me if isinstance(me, dict) else {}

    async def get_updates(self, wait: int) -> list[Any]:
        """The next event (a list of one), or [] when none came within ``wait`` seconds (an
        idle code, or an empty result)."""
        try:
            result = await self.call(
                "getUpdates", {"timeout": str(wait)}, seconds=wait + self._timeout
            )
        except ZaloError as error:
            if error.code in self._idle_codes:
                return []
            raise
        if result is None:
            return []
        return result if isinstance(result, list) else [result]

    async def set_webhook(self, url: str, secret: str) -> None:
        await self.call("setWebhook", {"url": url, "secret_token": secret})

    async def delete_webhook(self) -> None:
        await self.call("deleteWebhook")

    async def send_message(self, chat_id: str, text: str) -> str:
        sent = await self.call("sendMessage", {"chat_id": chat_id, "text": text})
        return str(sent.get("message_id", "")) if isinstance(sent, dict) else ""

    async def download(self, url: str) -> bytes | None:
        """A picture sent to the bot, read from Zalo's address for it: empty when it is larger
        than ``ATTACHMENT_LIMIT`` (the conversation then says so), None when it cannot be read.

        Assumption (undocumented): the address of a received picture can be fetched without
        credentials, like the pictures Zalo fetches from us. It only ever comes from an event
        authenticated by our token (polling) or the webhook secret."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        content = bytearray()
        try:
            limit = aiohttp.ClientTimeout(total=self._timeout)
            async with self._session.get(url, timeout=limit, allow_redirects=False) as response:
                if response.status != 200:
                    return None
                async for chunk in response.content.iter_chunked(1 << 16):
                    content += chunk
                    if len(content) > ATTACHMENT_LIMIT:
                        return b""
        except (aiohttp.ClientError, TimeoutError):
            return None
        return bytes(content)

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def bot_id(token: str) -> str:
    """What names the bot in logs and locks: the part of the token before ":", or a digest of
    it, never the secret part."""
    head, sep, _rest = token.partition(":")
    return head if sep and head.isdigit() else hashlib.sha256(token.encode()).hexdigest()[:16]


def split_reply(text: str) -> list[str]:
    return split_text(text, TEXT_LIMIT)


class ZaloChannel:
    """One Zalo bot, fed by long polling or by ``webhook``."""

    def __init__(
        self,
        client: ZaloClient,
        conversation: Conversation,
        sessions: async_sessionmaker[AsyncSession],
        metrics: Metrics,
        media: MediaLinks,
        intake: Intake,
        *,
        default_language: str,
        rate: float,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
    ) -> None:
        if webhook_url and not webhook_secret:
            raise ValueError("CANBO_ZALO_WEBHOOK_URL needs CANBO_ZALO_WEBHOOK_SECRET")
        self._client = client
        self._conversation = conversation
        self._sessions = sessions
        self._metrics = metrics
        self._media = media
        self._intake = intake
        self._language = default_language
        self._budget = send_budget(
            sessions.kw.get("bind"),
            f"zalo:{client.bot_id}",
            Limits(per_second=rate, per_chat_second=rate),
        )
        self._webhook_url = webhook_url
        self._secret = (webhook_secret or "").encode()
        self._poller: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def webhook_mode(self) -> bool:
        return bool(self._webhook_url)

    async def start(self) -> None:
        """Ask who the bot is (a wrong token fails here), then take events."""
        try:
            me = await self._client.get_me()
        except BaseException:
            await self._client.close()  # a channel that did not start is not stopped
            raise
        if self._webhook_url:
            await self._client.set_webhook(self._webhook_url, self._secret.decode())
            logger.info("Zalo bot %s: webhook mode at %s", me.get("account_name"), WEBHOOK_PATH)
        else:
            await self._client.delete_webhook()
            self._poller = asyncio.create_task(self._poll(), name="zalo-polling")
            logger.info("Zalo bot %s: long polling", me.get("account_name"))

    async def stop(self) -> None:
        """Stop taking events, let those in hand finish, close the client. The webhook stays
        set: other workers may still be serving it."""
        if self._poller is not None:
            self._poller.cancel()
            await asyncio.gather(self._poller, return_exceptions=True)
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._client.close()

    async def webhook(self, request: web.Request) -> web.Response:
        """Zalo's POST of one event: 403 without the right secret and 400 when the body is not
        an event, both before anything is processed; an event we do not take (no message, a
        reaction, an unknown name) is acknowledged and dropped; otherwise stored, answered at
        once and
        handled in the background."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not self._secret or not hmac.compare_digest(given, self._secret):
            self._metrics.inc("canbo_webhook_rejected_total", CHANNEL)
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
        try:
            data = json.loads(await request.read())
            event = parse_event(data)
        except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError; deep nesting
            self._metrics.inc("canbo_webhook_rejected_total", CHANNEL)
            return web.json_response({"ok": False, "error": "malformed event"}, status=400)
        if event is not None and not event.from_bot and await self._fresh(event, data):
            self._spawn(self._guarded(event))
        return web.json_response({"ok": True})

    async def redeliver(self, update_id: str, payload: dict[str, Any]) -> None:
        """Answer a stored event again (bot/intake.py's sweeper); only events taken are
        stored."""
        event = parse_event(payload)
        if event is not None:
            self._spawn(self._guarded(event))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _poll(self) -> None:
        """getUpdates in a loop: an idle code (408, 504) means nothing came, ask again at once;
        failures back off, doubling up to MAX_BACKOFF, and the first success resets the
        delay."""
        delay = 0.0
        while True:
            try:
                events = await self._client.get_updates(POLL_TIMEOUT)
            except (ZaloError, aiohttp.ClientError, TimeoutError) as error:
                delay = min(MAX_BACKOFF, delay * 2 or RETRY_DELAY)
                logger.warning(
                    "Zalo getUpdates failed (%s); trying again in %.1f s", _describe(error), delay
                )
                await asyncio.sleep(delay)
                continue
            delay = 0.0
            for data in events:
                try:
                    event = parse_event(data)
                except ValueError as error:
                    logger.warning("Zalo sent an event we cannot read: %s", error)
                    continue
                if event is None or event.from_bot:
                    continue
                if await self._held_until_stored(event, data):
                    await self._guarded(event)

    async def _fresh(self, event: ZaloEvent, data: Any) -> bool:
        """Store ``event``; whether it is new (a redelivery is answered by whoever stored it)."""
        fresh = await self._intake.store(Channel.ZALO, event.key, data)
        if not fresh:
            self._metrics.inc("canbo_updates_duplicate_total", CHANNEL)
        return fresh

    async def _held_until_stored(self, event: ZaloEvent, data: Any) -> bool:
        """Store a polled event, waiting while the database is down: Zalo will not hand it out
        again, so it is held until stored."""
        delay = 0.0
        while True:
            try:
                return await self._fresh(event, data)
            except Exception as error:
                log_failure(logger, f"storing Zalo message {event.message_id}", error)
                delay = min(MAX_BACKOFF, delay * 2 or RETRY_DELAY)
                await asyncio.sleep(delay)

    async def _guarded(self, event: ZaloEvent) -> None:
        """Process ``event``; a failure is logged by message id only (the text may hold a
        phone number) and never stops the channel."""
        arrived = perf_counter()
        with logs.bound(update_id=event.message_id):
            try:
                await self.process(event)
            except Exception as error:  # stored: answered again when its lease runs out
                log_failure(logger, f"Zalo message {event.message_id}", error)
                return
        self._metrics.answered(CHANNEL, arrived)

    async def process(self, event: ZaloEvent) -> None:
        """Claim, answer and reply to one event: the claim is in the answer's transaction."""
        self._metrics.inc("canbo_updates_received_total", CHANNEL)
        if event.from_bot:
            return
        await self._typing(event.chat_id)
        incoming = to_incoming(event)
        content: bytes | None = b""
        if incoming is not None and event.photo_url is not None:
            content = await self._client.download(event.photo_url)
            name = f"photo-{event.key[:16]}.jpg"
            if content is not None:
                incoming = replace(incoming, attachment=Attachment(name, content, "image/jpeg"))
        if incoming is None or content is None:
            replies = await self._text_only(event, unfetched=incoming is not None)
        else:
            replies = await self._conversation.handle_once(incoming, event.key)
        if replies is None:
            self._metrics.inc("canbo_updates_duplicate_total", CHANNEL)
            return
        for reply in replies:
            await self.send(event.chat_id, reply)
        self._metrics.inc("canbo_updates_processed_total", CHANNEL)

    async def _text_only(self, event: ZaloEvent, unfetched: bool) -> list[Reply] | None:
        """The answer to a sticker and the rest, or to a picture that could not be fetched,
        claimed first; None for a repeat."""
        async with self._sessions() as session:
            fresh = await inbox.claim(session, Channel.ZALO, event.key, utcnow())
            await session.commit()
        if not fresh:
            return None
        _ = translator(await self._chat_language(event.chat_id))
        if unfetched:
            return [Reply(_("I could not fetch that picture. Please send it again."))]
        return [Reply(_("I can only read text messages and pictures. Please type your question."))]

    async def _typing(self, chat_id: str) -> None:
        """Show "typing…" while the answer is prepared; a failure only costs the hint."""
        try:
            await self._client.send_chat_action(chat_id, "typing")
        except (ZaloError, aiohttp.ClientError, TimeoutError) as error:
            logger.debug("Zalo chat action failed: %s", _describe(error))

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Render ``reply``: its text in parts of at most 2,000 characters, then its picture
        (sendPhoto by link) and its document (a download link). The conversation has already
        turned buttons into numbered options for this channel."""
        for part in split_reply(reply.text) if reply.text.strip() else []:
            await self._send("sendMessage", {"chat_id": chat_id, "text": part})
        if reply.picture is not None:
            url = await self._link(chat_id, reply.picture)
            if url is not None:
                await self._send("sendPhoto", {"chat_id": chat_id, "photo": url})
        if reply.document is not None:
            url = await self._link(chat_id, reply.document)
            if url is not None:
                text = f"📄 {reply.document.filename}\n{url}"
                await self._send("sendMessage", {"chat_id": chat_id, "text": text})

    async def _link(self, chat_id: str, attachment: Attachment) -> str | None:
        """A public link to ``attachment``. Without a public URL for this service Zalo cannot
        fetch it, so the user is told where to see it instead."""
        url = await self._media.public_link(attachment)
        if url is None:
            logger.warning("CANBO_PUBLIC_URL is not set: a file cannot be sent through Zalo")
            _ = translator(await self._chat_language(chat_id))
            note = _("This answer has a file that Zalo cannot show. Open the web chat to see it.")
            await self._send("sendMessage", {"chat_id": chat_id, "text": note})
        return url

    async def _send(self, method: str, params: dict[str, str]) -> None:
        """One send within our rate. A 429 pauses every send for its retry_after and the part
        is tried again; other failures are logged and the part is dropped."""
        for attempt in range(1, SEND_TRIES + 1):
            slot = await self._budget.acquire(params["chat_id"], False, Priority.REPLY)
            try:
                await self._client.call(method, params)
            except ZaloError as error:
                if error.code == 429 and attempt < SEND_TRIES:
                    await self._budget.pause(error.retry_after or 1.0)
                    continue
                logger.error("Zalo %s failed: %s", method, _describe(error))
            except (aiohttp.ClientError, TimeoutError) as error:
                logger.error("Zalo %s failed: %s", method, _describe(error))
            else:
                self._metrics.inc("canbo_replies_sent_total", CHANNEL)
            finally:
                self._budget.done(slot)
            return

    async def _chat_language(self, chat_id: str) -> str:
        async with self._sessions() as session:
            language = await session.scalar(
                select(ChatAccount.language).where(
                    ChatAccount.channel == Channel.ZALO, ChatAccount.external_id == chat_id
                )
            )
        return language or self._language


def zalo_channel(
    settings: Settings,
    conversation: Conversation,
    sessions: async_sessionmaker[AsyncSession],
    metrics: Metrics,
    media: MediaLinks,
    intake: Intake,
) -> ZaloChannel | None:
    """The Zalo channel as configured, or None without CANBO_ZALO_TOKEN."""
    if settings.zalo_token is None:
        return None
    secret = settings.zalo_webhook_secret
    return ZaloChannel(
        ZaloClient(
            settings.zalo_token.get_secret_value(),
            settings.zalo_api_url,
            idle_codes=settings.zalo_idle_codes,
        ),
        conversation,
        sessions,
        metrics,
        media,
        intake,
        default_language=settings.locale,
        rate=settings.zalo_rate,
        webhook_url=settings.zalo_webhook_url,
        webhook_secret=secret.get_secret_value() if secret else None,
    )


def _describe(error: BaseException) -> str:
    """An error without its URL (which holds the token)."""
    if isinstance(error, ZaloError):
        return str(error)
    return type(error).__name__
