"""The Telegram adapter: python-telegram-bot v22 updates in, neutral ``Incoming`` to the
conversation, its ``Reply`` objects rendered back as Telegram messages.

Long polling by default (bot/channels/telegram_polling.py); with CANBO_TELEGRAM_WEBHOOK_URL,
Telegram posts updates to ``WEBHOOK_PATH`` on the service's own HTTP server (bot/http.py),
checked against the secret. A webhook body that is not an update with the types Telegram sends
is refused (400) before anything is stored. Either way an update the bot answers is stored in
the inbox before Telegram hears back (a 2xx, or the next offset), and claimed in the
transaction that answers it (storage/inbox.py): a redelivered update, or one taken by two
workers, is answered once, and one whose answer failed is answered again (bot/intake.py).

Replies are plain text (the conversation writes plain text, so nothing needs escaping). A reply
over 4,096 characters goes out in parts cut at line ends; the reply keyboard rides on the first
part and inline buttons on the last, where the reader finishes. Telegram allows one keyboard
per message, so when a one-part reply has both, the inline buttons win.
"""

from __future__ import annotations

import hmac
import json
import logging
from dataclasses import replace
from time import perf_counter
from typing import Any, NamedTuple

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    Message,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler

from bot import logs
from bot.channels.chat_order import ChatOrderedProcessor, concurrent_updates
from bot.channels.splitting import split_text, utf16_length
from bot.channels.telegram_budget import BudgetRateLimiter, telegram_budget
from bot.channels.telegram_polling import Poller
from bot.channels.telegram_request import AiohttpRequest
from bot.channels.telegram_updates import UNREADABLE, is_update
from bot.intake import Intake, log_failure
from bot.metrics import Metrics
from bot.settings import Settings
from handlers.conversation import Conversation
from handlers.help import command_list
from handlers.messages import ATTACHMENT_LIMIT, Attachment, Contact, Incoming, Reply
from locales import LANGUAGES
from storage.models import Channel

logger = logging.getLogger(__name__)

TEXT_LIMIT = 4096
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ("message", "callback_query")
CHANNEL = Channel.TELEGRAM.value

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def build_application(settings: Settings, engine: AsyncEngine) -> Application:  # type: ignore[type-arg]
    """The PTB application for ``settings``: our base URL, aiohttp's client
    (bot/channels/telegram_request.py), no Updater (ours stores before it confirms), the bot's
    one send budget (bot/channels/telegram_budget.py), and as many updates in hand as
    ``engine``'s database takes (bot/channels/chat_order.py)."""
    if settings.telegram_token is None:
        raise ValueError("CANBO_TELEGRAM_TOKEN is not set")
    builder = (
        Application.builder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(settings.telegram_api_url)
        .request(AiohttpRequest(connection_pool_size=256))
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .base_file_url(file_url(settings.telegram_api_url))
        .rate_limiter(BudgetRateLimiter(telegram_budget(settings, engine)))
        .concurrent_updates(ChatOrderedProcessor(concurrent_updates(engine)))
        .updater(None)
    )
    return builder.build()


def file_url(api_url: str) -> str:
    """Where files are fetched: https://api.telegram.org/bot → https://api.telegram.org/file/bot
    (a local Bot API server or a test server the same way)."""
    base, _sep, last = api_url.rstrip("/").rpartition("/")
    return f"{base}/file/{last}"


def to_incoming(update: Update, bot_username: str) -> Incoming | None:
    """The neutral message for ``update``, or None for what the conversation does not take
    (edits, channel posts, commands addressed to another bot)."""
    query = update.callback_query
    if query is not None:
        chat = query.message.chat if query.message else None
        return Incoming(
            channel=Channel.TELEGRAM,
            chat_id=str(chat.id if chat else query.from_user.id),
            sender_id=str(query.from_user.id),
            is_group=chat is not None and chat.type != ChatType.PRIVATE,
            callback_data=query.data,
            language_hint=query.from_user.language_code,
        )
    message = update.message
    if message is None or message.from_user is None:
        return None
    command = _command(message)
    if command is not None and command.mention and command.mention != bot_username.lower():
        return None
    contact = message.contact
    return Incoming(
        channel=Channel.TELEGRAM,
        chat_id=str(message.chat.id),
        sender_id=str(message.from_user.id),
        is_group=message.chat.type != ChatType.PRIVATE,
        text=message.text,
        command=command.name if command else None,
        args=command.args if command else (),
        contact=Contact(
            phone=contact.phone_number,
            user_id=str(contact.user_id) if contact.user_id is not None else None,
        )
        if contact
        else None,
        language_hint=message.from_user.language_code,
    )


class _Command(NamedTuple):
    name: str
    mention: str  # "/status@canbo_bot" in a group names the bot it is for
    args: tuple[str, ...]


def _command(message: Message) -> _Command | None:
    """The command a message starts with, as Telegram marks it, or None."""
    entity = next(
        (e for e in message.entities if e.type == MessageEntity.BOT_COMMAND and e.offset == 0),
        None,
    )
    if entity is None or message.text is None:  # entities without text: nothing to parse
        return None
    command = message.parse_entity(entity)
    name, _sep, mention = command[1:].partition("@")
    args = tuple(message.text[len(command) :].split())
    return _Command(name.lower(), mention.lower(), args)


def split_reply(text: str) -> list[str]:
    return split_text(text, TEXT_LIMIT, utf16_length)


class TelegramChannel:
    """One bot token's application, fed by long polling or by ``webhook``."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        conversation: Conversation,
        settings: Settings,
        metrics: Metrics,
        intake: Intake,
    ) -> None:
        self.application = application
        self._conversation = conversation
        self._settings = settings
        self._metrics = metrics
        self._intake = intake
        secret = settings.telegram_webhook_secret
        self._secret = secret.get_secret_value().encode() if secret else None
        self._poller = (
            None
            if self.webhook_mode
            else Poller(application.bot, intake, self._wanted, self._stored, ALLOWED_UPDATES)
        )
        application.add_handler(TypeHandler(Update, self._on_update))
        application.add_error_handler(self._on_error)

    @property
    def bot(self) -> Bot:
        bot: Bot = self.application.bot
        return bot

    @property
    def webhook_mode(self) -> bool:
        return bool(self._settings.telegram_webhook_url)

    async def start(self) -> None:
        """Start handling; the application must be initialized (bot/app.py does it first, to
        learn the bot's username)."""
        await self.application.start()
        await self._set_commands()
        if self.webhook_mode:
            await self.bot.set_webhook(
                url=str(self._settings.telegram_webhook_url),
                secret_token=self._secret.decode() if self._secret else None,
                allowed_updates=ALLOWED_UPDATES,
            )
            logger.info("Telegram: webhook mode, updates arrive at %s", WEBHOOK_PATH)
        else:
            assert self._poller is not None
            await self._poller.start()
            logger.info("Telegram: long polling")

    async def _set_commands(self) -> None:
        """The "/" menu of commands in each language: Telegram shows a user the list of their
        app's language, or the deployment's own."""
        for language in LANGUAGES:
            commands = [BotCommand(name, text) for name, text in command_list(language)]
            code = None if language == self._settings.locale else language
            await self.bot.set_my_commands(commands, language_code=code)

    async def stop(self) -> None:
        """Stop taking updates. The webhook stays set: other workers may still be serving it.
        The application is shut down by its owner (bot/app.py), who initialized it."""
        if self._poller is not None:
            await self._poller.stop()
        if self.application.running:
            await self.application.stop()

    async def webhook(self, request: web.Request) -> web.Response:
        """Telegram's POST of one update. Refused (403) without the right secret, and (400)
        when the body is not an update; otherwise stored, then answered 200 and handled in the
        background. A database outage fails the store, and Telegram gets a 503 and retries."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if self._secret is None or not hmac.compare_digest(given, self._secret):
            self._metrics.inc("canbo_webhook_rejected_total", CHANNEL)
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
        try:
            data = json.loads(await request.read())
            if not is_update(data):
                raise ValueError("not an update")
            update = Update.de_json(data, self.bot)
        except UNREADABLE:
            self._metrics.inc("canbo_webhook_rejected_total", CHANNEL)
            return web.json_response({"ok": False, "error": "malformed update"}, status=400)
        if self._wanted(update):
            fresh = await self._intake.store(Channel.TELEGRAM, update.update_id, data)
            await self._stored(update, fresh)
        return web.json_response({"ok": True})

    def _wanted(self, update: Update) -> bool:
        """Whether the bot answers ``update``: the rest (edits, commands for another bot) is
        neither stored nor claimed."""
        return to_incoming(update, self.bot.username) is not None

    async def _stored(self, update: Update, fresh: bool) -> None:
        """Handle a new update; a redelivered one is answered by whoever stored it first."""
        if fresh:
            await self._queue(update)
        else:
            self._metrics.inc("canbo_updates_duplicate_total", CHANNEL)

    async def _queue(self, update: Update) -> None:
        await self.application.update_queue.put(update)

    async def redeliver(self, update_id: str, payload: dict[str, Any]) -> None:
        """Answer a stored update again (bot/intake.py's sweeper)."""
        await self._queue(Update.de_json(payload, self.bot))

    async def _on_update(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert isinstance(update, Update)
        arrived = perf_counter()
        with logs.bound(update_id=update.update_id):
            await self.process(update)
        self._metrics.answered(CHANNEL, arrived)

    async def process(self, update: Update) -> None:
        """Claim, answer and reply to one update."""
        self._metrics.inc("canbo_updates_received_total", CHANNEL)
        incoming = to_incoming(update, self.bot.username)
        if incoming is None:  # nothing to answer, so nothing to claim
            return
        attachment = await self._attachment(update.message)
        if attachment is not None:
            incoming = replace(incoming, attachment=attachment)
        replies = await self._conversation.handle_once(incoming, update.update_id)
        if replies is None:
            self._metrics.inc("canbo_updates_duplicate_total", CHANNEL)
            return
        if update.callback_query is not None:  # stops the button's spinner
            await self._answer_callback(update)
        for reply in replies:
            await self.send(int(incoming.chat_id), reply)
        self._metrics.inc("canbo_updates_processed_total", CHANNEL)

    async def _answer_callback(self, update: Update) -> None:
        """Stop the spinner; an update answered late (after a restart) may find Telegram
        refusing ("query is too old"), which must not cost the reply."""
        assert update.callback_query is not None
        try:
            await update.callback_query.answer()
        except TelegramError as error:
            logger.info("Telegram callback %s not acknowledged: %s", update.update_id, error)

    async def _attachment(self, message: Message | None) -> Attachment | None:
        """The file a message carries: a document, or a photo in its largest size."""
        if message is None:
            return None
        if message.document is not None:
            document = message.document
            name = document.file_name or "file"
            mime = document.mime_type or "application/octet-stream"
            return await self._fetch(document.file_id, document.file_size, name, mime)
        if message.photo:
            photo = max(message.photo, key=lambda size: size.width * size.height)
            name = f"photo-{photo.file_unique_id}.jpg"  # Telegram sends photos as JPEG
            return await self._fetch(photo.file_id, photo.file_size, name, "image/jpeg")
        return None

    async def _fetch(self, file_id: str, size: int | None, name: str, mime: str) -> Attachment:
        """A file sent to the bot, with empty content when it is larger than a bot may fetch
        (the conversation then says so)."""
        if size is not None and size > ATTACHMENT_LIMIT:
            return Attachment(name, b"", mime)
        try:
            found = await self.bot.get_file(file_id)
            content = bytes(await found.download_as_bytearray())
        except BadRequest:  # "file is too big" when the size was not given
            return Attachment(name, b"", mime)
        return Attachment(name, content, mime)

    async def send(self, chat_id: int, reply: Reply) -> None:
        """Render ``reply`` as one or more Telegram messages."""
        steps: list[str | tuple[str, Attachment]] = list(
            split_reply(reply.text) if reply.text.strip() else []
        )
        if reply.picture is not None:
            steps.append(("photo", reply.picture))
        if reply.document is not None:
            steps.append(("document", reply.document))
        keyboard = _keyboard(reply)
        inline = _inline(reply)
        for index, step in enumerate(steps):
            markup: Markup | None = None
            if index == 0:
                markup = keyboard
            if index == len(steps) - 1 and inline is not None:
                markup = inline
            await self._send_step(chat_id, step, markup)
            self._metrics.inc("canbo_replies_sent_total", CHANNEL)

    async def _send_step(
        self, chat_id: int, step: str | tuple[str, Attachment], markup: Markup | None
    ) -> None:
        if isinstance(step, str):
            await self.bot.send_message(chat_id, step, reply_markup=markup)
            return
        kind, attachment = step
        upload = InputFile(attachment.content, filename=attachment.filename)
        if kind == "photo":
            await self.bot.send_photo(chat_id, upload, reply_markup=markup)
        else:
            await self.bot.send_document(chat_id, upload, reply_markup=markup)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a failed update by id only: its content may hold a phone number. One line when
        the database is down: the update stays stored and is answered once it is back."""
        update_id = update.update_id if isinstance(update, Update) else None
        error = context.error or RuntimeError("no error given")
        if isinstance(error, TelegramError):  # a network error, not the database's
            logger.error(
                "Telegram update %s failed: %s", update_id, type(error).__name__, exc_info=error
            )
        else:
            log_failure(logger, f"Telegram update {update_id}", error)


def _inline(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button.label, callback_data=button.data) for button in row]
            for row in reply.buttons
        ]
    )


def _keyboard(reply: Reply) -> ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    """The persistent keyboard: the topics menu, plus a share-my-number button when asked;
    ``menu=None`` alone removes it and ``()`` leaves it as it is."""
    rows: list[list[KeyboardButton]] = [
        [KeyboardButton(label) for label in row] for row in reply.menu or ()
    ]
    if reply.request_contact:
        rows.append([KeyboardButton(reply.request_contact, request_contact=True)])
    if rows:
        return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)
    if reply.menu is None:
        return ReplyKeyboardRemove()
    return None


__all__ = [
    "WEBHOOK_PATH",
    "TelegramChannel",
    "build_application",
    "split_reply",
    "to_incoming",
]
