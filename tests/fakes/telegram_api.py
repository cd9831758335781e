"""A fake Telegram Bot API server, spoken to over real HTTP by the real python-telegram-bot client.

There is no internet in the tests, so the messenger is faked at the HTTP level. The fake enforces
the limits that shape our code (text 1..4,096 characters, captions 1,024, callback data 1..64
bytes, 429 with ``retry_after`` past the rate limits, 403 for blocked chats) and records every
call so tests can assert what a user would have seen.

Start and point a client at it::

    async with FakeTelegram() as fake:          # or the ``telegram_api`` pytest fixture
        settings = Settings(telegram_token=fake.token, telegram_api_url=fake.base_url)

``FakeTelegram(token=..., bot_username="canbo_test_bot", chat_rate=1.0, chat_burst=1,
group_per_minute=20, global_rate=30.0, clock=time.monotonic, failure_rate=0.0, hang_rate=0.0,
hang_seconds=30.0, deliver_on_hang=False, seed=0)``

- ``base_url`` is ``http://127.0.0.1:PORT/bot`` (CANBO_TELEGRAM_API_URL); requests go to
  ``{base_url}{token}/{method}`` as form fields, multipart or JSON, like Telegram accepts.
- Rate limits are strict, counted on ``clock`` when a request arrives, over ANY window (a
  sliding log, as a strict server counts): all chats at most ``global_rate`` messages in any
  second; one chat at most ``chat_burst`` in any ``chat_burst / chat_rate`` seconds (1 in any
  second by default); a group (negative chat id) also at most ``group_per_minute`` in any 60
  seconds. Past a limit: 429 ``{"parameters": {"retry_after": N}}``, N the whole seconds until
  the window has room, as the Bot API answers; ``throttled`` counts them. Pass a fake clock
  to test pacing without sleeping.
- ``block(chat_id)`` / ``unblock(chat_id)``: sends to that chat get 403 "Forbidden: bot was
  blocked by the user".
- Injected failures on send methods: ``failure_rate`` (500s) and ``hang_rate`` (no answer for
  ``hang_seconds``, for timeout tests; with ``deliver_on_hang`` the message is recorded first, as
  when Telegram delivered but the answer was lost), drawn from ``random.Random(seed)``; and
  ``fail_next(method, status=..., description=..., count=1, retry_after=None)`` for exact cases.

Incoming updates (the builders return an update dict; ``push_update(update)`` queues it for
getUpdates, which long-polls until something is queued; ``await post_webhook(update,
secret=Secret.REGISTERED, body=None)`` POSTs it, or raw ``body``, to the URL given in setWebhook
with the registered secret, or a forged one, or none (``secret=None``), and returns
``(status, text)``; getUpdates answers 409 while a webhook is set, as Telegram does):

- ``message(text, user_id=..., chat_id=None, language_code="vi")``: chat_id defaults to the
  private chat with that user; a negative chat_id is a group. Text starting with "/" carries a
  ``bot_command`` entity, as Telegram sends.
- ``command(name, *args, user_id=..., chat_id=None)``, ``contact(phone, user_id=...,
  contact_user_id=...)``, ``callback(data, user_id=..., message=None)``, and
  ``press(sent, label, user_id=...)`` which builds the callback of the inline button labelled
  ``label`` on a recorded message (failing if there is none).

Recorded: ``sent`` (every accepted ``SentMessage``: method, chat_id, message_id, text, caption,
parse_mode, reply_markup, file_name, file_bytes, at), ``calls`` (every request: method, params),
``answered_callbacks``, ``edits``, ``commands``, ``webhook``. ``messages_to(chat_id)`` lists what
a chat received; ``await wait_for_messages(chat_id, n, timeout=20.0)`` waits until it has at
least ``n`` and returns them all.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.server import ApiCall, ApiError, FakeBotServer, Handler, Secret, Webhook, Window

JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "allowed_updates",
        "commands",
        "scope",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
    }
)
INT_FIELDS = frozenset({"chat_id", "message_id", "offset", "limit", "timeout", "max_connections"})
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64


@dataclass(frozen=True)
class SentMessage:
    method: str
    chat_id: int
    message_id: int
    text: str | None
    caption: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    file_name: str | None
    file_bytes: bytes | None
    at: float

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """Rows of the inline keyboard, if any."""
        return list((self.reply_markup or {}).get("inline_keyboard", []))

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        """Rows of the persistent reply keyboard, if any (buttons as dicts)."""
        rows = (self.reply_markup or {}).get("keyboard", [])
        return [[b if isinstance(b, dict) else {"text": b} for b in row] for row in rows]

    @property
    def removes_keyboard(self) -> bool:
        return bool((self.reply_markup or {}).get("remove_keyboard"))

    @property
    def summary(self) -> str | None:
        return self.text or self.caption or self.file_name


class FakeTelegram(FakeBotServer[int, SentMessage]):
    """See the module docstring."""

    send_methods = frozenset({"sendmessage", "sendphoto", "senddocument"})
    http_methods = ("POST", "GET")
    max_body = 64 * 1024 * 1024
    secret_header = "X-Telegram-Bot-Api-Secret-Token"

    def __init__(
        self,
        token: str = "123456:TEST-token_for_the_fake",
        *,
        bot_username: str = "canbo_test_bot",
        chat_rate: float = 1.0,
        chat_burst: int = 1,
        group_per_minute: float = 20.0,
        global_rate: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        failure_rate: float = 0.0,
        hang_rate: float = 0.0,
        hang_seconds: float = 30.0,
        deliver_on_hang: bool = False,
        seed: int = 0,
    ) -> None:
        super().__init__(token, clock)
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.chat_rate = chat_rate
        self.chat_burst = chat_burst
        self.group_per_minute = group_per_minute
        self.global_rate = global_rate
        self.failure_rate = failure_rate
        self.hang_rate = hang_rate
        self.hang_seconds = hang_seconds
        self.deliver_on_hang = deliver_on_hang
        self.random = random.Random(seed)

        self.answered_callbacks: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}  # what users sent, by file_id
        self.edits: list[ApiCall] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}

        self._chat_windows: dict[int, Window] = {}
        self._group_windows: dict[int, Window] = {}
        self._global_window = Window(int(global_rate), 1.0)
        self.throttled = 0  # 429 answers given
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    def _handlers(self) -> dict[str, Handler]:
        return {
            **super()._handlers(),
            "senddocument": self._send_document,
            "getfile": self._get_file,
            "sendchataction": self._true,
            "answercallbackquery": self._answer_callback_query,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._true,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "close": self._true,
            "logout": self._true,
        }

    # --- incoming updates ------------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue ``update`` for getUpdates (an ``update_id`` is assigned if missing)."""
        update.setdefault("update_id", next(self._update_ids))
        self._enqueue(update)
        return int(update["update_id"])

    async def post_webhook(
        self,
        update: dict[str, Any] | None = None,
        *,
        secret: str | Secret | None = Secret.REGISTERED,
        body: bytes | None = None,
    ) -> tuple[int, str]:
        """POST ``update`` (or raw ``body``) to the registered webhook, as Telegram would.

        ``secret`` defaults to the one given in setWebhook; pass None to send no header or a
        string to forge one. Returns the HTTP status and response text.
        """
        if self.webhook is None:
            raise AssertionError("no webhook is set")
        if update is not None:
            update.setdefault("update_id", next(self._update_ids))
            body = json.dumps(update).encode()
        return await self._post_webhook(body or b"", secret)

    def user(self, user_id: int, *, language_code: str | None = "vi") -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id < 0:
            return {"id": chat_id, "type": "group", "title": f"Group {-chat_id}"}
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}

    def message(
        self,
        text: str,
        *,
        user_id: int,
        chat_id: int | None = None,
        language_code: str | None = "vi",
    ) -> dict[str, Any]:
        message = self._incoming_message(user_id, chat_id, language_code)
        message["text"] = text
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"update_id": next(self._update_ids), "message": message}

    def command(
        self,
        name: str,
        *args: str,
        user_id: int,
        chat_id: int | None = None,
        language_code: str | None = "vi",
    ) -> dict[str, Any]:
        text = " ".join([f"/{name}", *args])
        return self.message(text, user_id=user_id, chat_id=chat_id, language_code=language_code)

    def document(
        self,
        content: bytes,
        file_name: str,
        *,
        user_id: int,
        mime_type: str = "application/octet-stream",
        chat_id: int | None = None,
        language_code: str | None = "vi",
    ) -> dict[str, Any]:
        """A file sent to the bot; the bot fetches it with getFile, as from Telegram."""
        message = self._incoming_message(user_id, chat_id, language_code)
        file_id = f"upload-{len(self.files) + 1}"
        self.files[file_id] = content
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        return {"update_id": next(self._update_ids), "message": message}

    def photo(
        self,
        content: bytes,
        *,
        user_id: int,
        chat_id: int | None = None,
        language_code: str | None = "vi",
    ) -> dict[str, Any]:
        """A photo sent to the bot: as Telegram does, in several sizes (here a thumbnail and
        the full picture); the bot fetches the size it wants with getFile."""
        message = self._incoming_message(user_id, chat_id, language_code)
        sizes = []
        for width, height, data in ((90, 120, content[:64]), (960, 1280, content)):
            file_id = f"photo-{len(self.files) + 1}"
            self.files[file_id] = data
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": f"u{file_id}",
                    "width": width,
                    "height": height,
                    "file_size": len(data),
                }
            )
        message["photo"] = sizes
        return {"update_id": next(self._update_ids), "message": message}

    def contact(
        self,
        phone: str,
        *,
        user_id: int,
        contact_user_id: int | None,
        chat_id: int | None = None,
        language_code: str | None = "vi",
    ) -> dict[str, Any]:
        message = self._incoming_message(user_id, chat_id, language_code)
        contact: dict[str, Any] = {"phone_number": phone, "first_name": "Contact"}
        if contact_user_id is not None:
            contact["user_id"] = contact_user_id
        message["contact"] = contact
        return {"update_id": next(self._update_ids), "message": message}

    def callback(
        self,
        data: str,
        *,
        user_id: int,
        message: SentMessage | None = None,
        language_code: str | None = "vi",
    ) -> dict[str, Any]:
        query: dict[str, Any] = {
            "id": str(next(self._callback_ids)),
            "from": self.user(user_id, language_code=language_code),
            "chat_instance": f"instance-{user_id}",
            "data": data,
        }
        if message is not None:
            query["message"] = self._message_object(message)
        return {"update_id": next(self._update_ids), "callback_query": query}

    def press(
        self, sent: SentMessage, label: str, *, user_id: int, language_code: str | None = "vi"
    ) -> dict[str, Any]:
        """The callback update of pressing the inline button ``label`` on ``sent``."""
        for row in sent.buttons:
            for button in row:
                if button.get("text") == label:
                    return self.callback(
                        button["callback_data"],
                        user_id=user_id,
                        message=sent,
                        language_code=language_code,
                    )
        labels = [b.get("text") for row in sent.buttons for b in row]
        raise AssertionError(f"no button {label!r} on message {sent.message_id}: {labels!r}")

    def _incoming_message(
        self, user_id: int, chat_id: int | None, language_code: str | None
    ) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(user_id if chat_id is None else chat_id),
            "from": self.user(user_id, language_code=language_code),
        }

    def _message_object(self, sent: SentMessage) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": self.chat(sent.chat_id),
            "from": self._me(),
        }
        if sent.text is not None:
            message["text"] = sent.text
        if sent.caption is not None:
            message["caption"] = sent.caption
        if sent.reply_markup and "inline_keyboard" in sent.reply_markup:
            message["reply_markup"] = sent.reply_markup
        if sent.method == "sendphoto":
            message["photo"] = [
                {
                    "file_id": f"photo-{sent.message_id}",
                    "file_unique_id": f"p{sent.message_id}",
                    "width": 800,
                    "height": 600,
                }
            ]
        if sent.method == "senddocument":
            message["document"] = {
                "file_id": f"doc-{sent.message_id}",
                "file_unique_id": f"d{sent.message_id}",
                "file_name": sent.file_name,
            }
        return message

    # --- HTTP ------------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await super()._params(request)
        params: dict[str, Any] = {}
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = (value.filename, value.file.read())
            elif not isinstance(value, str):
                params[key] = bytes(value).decode()
            elif key in JSON_FIELDS:
                params[key] = json.loads(value)
            elif key in INT_FIELDS and re.fullmatch(r"-?\d+", value):
                params[key] = int(value)
            else:
                params[key] = value
        return params

    async def _answer(self, method: str, handler: Handler, params: dict[str, Any]) -> Any:
        """Draw the random failures: a hang (after delivering, with ``deliver_on_hang``) or a
        500."""
        if method in self.send_methods:
            if self.hang_rate and self.random.random() < self.hang_rate:
                if self.deliver_on_hang:
                    await handler(params)
                await self._hang(self.hang_seconds)
                raise ApiError(502, "Bad Gateway")
            if self.failure_rate and self.random.random() < self.failure_rate:
                raise ApiError(500, "Internal Server Error")
        return await handler(params)

    async def _hang(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._closing.wait(), seconds)
        except TimeoutError:
            return

    # --- methods ---------------------------------------------------------------------------

    def _me(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Canbo",
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _true(self, params: dict[str, Any]) -> bool:
        return True

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._me()

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        if offset:
            self._queue = [u for u in self._queue if u["update_id"] >= offset]
        await self._await_update(float(params.get("timeout") or 0))
        limit = int(params.get("limit") or 100)
        return self._queue[:limit]

    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self._delete_webhook(params)
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN.fullmatch(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = Webhook(url, secret)
        if _truthy(params.get("drop_pending_updates")):
            self._queue.clear()
        return True

    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if _truthy(params.get("drop_pending_updates")):
            self._queue.clear()
        return True

    async def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }

    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        text = str(params.get("text") or "")
        _check_text(text, params.get("parse_mode"), TEXT_LIMIT, "message text", "message")
        markup = _check_markup(params.get("reply_markup"))
        return await self._deliver("sendmessage", chat_id, params, text=text, markup=markup)

    async def _send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._send_file("sendphoto", "photo", params)

    async def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._send_file("senddocument", "document", params)

    async def _send_file(self, method: str, key: str, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        upload = params.get(key)
        if not isinstance(upload, tuple):
            raise ApiError(400, f"Bad Request: there is no {key} in the request")
        caption = params.get("caption")
        if caption is not None:
            _check_text(caption, params.get("parse_mode"), CAPTION_LIMIT, "caption", "caption")
        markup = _check_markup(params.get("reply_markup"))
        return await self._deliver(
            method, chat_id, params, caption=caption, markup=markup, upload=upload
        )

    def _parse_chat_id(self, value: Any) -> int:
        """A chat id is "Integer or String" in the Bot API: a JSON body may carry it as a
        numeric string, as a form always does."""
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
            return int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ApiError(400, "Bad Request: chat not found")
        return value

    async def _deliver(
        self,
        method: str,
        chat_id: int,
        params: dict[str, Any],
        *,
        text: str | None = None,
        caption: str | None = None,
        markup: dict[str, Any] | None = None,
        upload: tuple[str, bytes] | None = None,
    ) -> dict[str, Any]:
        self._take_rate(chat_id)
        sent = SentMessage(
            method=method,
            chat_id=chat_id,
            message_id=next(self._message_ids),
            text=text,
            caption=caption,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            file_name=upload[0] if upload else None,
            file_bytes=upload[1] if upload else None,
            at=self.clock(),
        )
        await self._record(sent)
        return self._message_object(sent)

    def _take_rate(self, chat_id: int) -> None:
        now = self.clock()
        windows = [self._global_window, self._window(self._chat_windows, chat_id)]
        if chat_id < 0:
            windows.append(self._window(self._group_windows, chat_id, per_minute=True))
        wait = max(window.wait(now) for window in windows)
        if wait > 0:
            self.throttled += 1
            retry_after = max(1, math.ceil(wait))
            raise ApiError(
                429, self.rate_limited.format(retry_after=retry_after), {"retry_after": retry_after}
            )
        for window in windows:
            window.take(now)

    def _window(
        self, windows: dict[int, Window], chat_id: int, *, per_minute: bool = False
    ) -> Window:
        if chat_id not in windows:
            if per_minute:
                windows[chat_id] = Window(round(self.group_per_minute), 60.0)
            else:
                windows[chat_id] = Window(self.chat_burst, self.chat_burst / self.chat_rate)
        return windows[chat_id]

    async def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        """Bot API getFile: a bot may fetch files of up to 20 MB."""
        content = self.files.get(str(params.get("file_id")))
        if content is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(content) > 20 * 2**20:
            raise ApiError(400, "Bad Request: file is too big")
        file_id = str(params["file_id"])
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": f"documents/{file_id}",
        }

    def _more_routes(self) -> list[tuple[str, str, Any]]:
        return [("GET", "/file/bot{token}/documents/{file_id}", self._download)]

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=404)
        content = self.files.get(request.match_info["file_id"])
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content, content_type="application/octet-stream")

    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        if not params.get("callback_query_id"):
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        self.answered_callbacks.append(params)
        return True

    async def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        text = str(params.get("text") or "")
        _check_text(text, params.get("parse_mode"), TEXT_LIMIT, "message text", "message")
        _check_markup(params.get("reply_markup"))
        return self._edited(params)

    async def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        _check_markup(params.get("reply_markup"))
        return self._edited(params)

    def _edited(self, params: dict[str, Any]) -> dict[str, Any]:
        message_id = params.get("message_id")
        original = next((m for m in self.sent if m.message_id == message_id), None)
        if original is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        self.edits.append(ApiCall("edit", params))
        return self._message_object(original)

    async def _set_my_commands(self, params: dict[str, Any]) -> bool:
        self.commands[_commands_key(params)] = list(params.get("commands") or [])
        return True

    async def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(_commands_key(params), [])

    async def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(_commands_key(params), None)
        return True


def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return str(scope.get("type")), str(params.get("language_code") or "")


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def telegram_length(text: str, parse_mode: str | None = None) -> int:
    """Length as Telegram counts it: UTF-16 code units of the text after entity parsing."""
    if parse_mode and parse_mode.upper() == "HTML":
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return len(text.strip().encode("utf-16-le")) // 2


def _check_text(text: str, parse_mode: str | None, limit: int, what: str, long: str) -> None:
    length = telegram_length(text, parse_mode)
    if length == 0:
        raise ApiError(400, f"Bad Request: {what} is empty")
    if length > limit:
        raise ApiError(400, f"Bad Request: {long} is too long")


def _check_markup(markup: Any) -> dict[str, Any] | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


__all__ = [
    "ApiCall",
    "ApiError",
    "FakeTelegram",
    "Secret",
    "SentMessage",
    "Webhook",
    "telegram_length",
]
