"""The running service, assembled from Settings: database, conversation, channels, HTTP server.

Everything long-running is a ``Service`` in ``App.services``: started in order, stopped in
reverse, so the HTTP server is up before Telegram is told where to post, and goes last.
/readyz (bot/health.py) reports the channels among them that have started.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.telegram import WEBHOOK_PATH, TelegramChannel, build_application
from bot.channels.telegram_delivery import reminder_jobs
from bot.channels.zalo import WEBHOOK_PATH as ZALO_WEBHOOK_PATH
from bot.channels.zalo import ZaloChannel, zalo_channel
from bot.console.app import PREFIX as CONSOLE_PREFIX
from bot.console.app import ConsoleConfig, console_app
from bot.conversation import conversation_config
from bot.health import Readiness, health_routes
from bot.http import HttpServer, Route, build_web_app, json_only
from bot.intake import Intake, Redeliver, Sweeper
from bot.media import MediaLinks, public_url
from bot.metrics import Metrics, metrics_app
from bot.settings import Settings
from bot.webchat.routes import web_chat
from handlers import intents
from handlers.conversation import Conversation
from storage import reach
from storage.db import create_engine, session_factory
from storage.models import Channel

logger = logging.getLogger(__name__)

CHANNELS = ("telegram", "zalo")  # the services /readyz expects started when configured


@dataclass(frozen=True)
class Service:
    name: str
    start: Callable[[], Awaitable[None]]
    stop: Callable[[], Awaitable[None]]


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    metrics: Metrics
    conversation: Conversation
    telegram: TelegramChannel | None
    http: HttpServer
    zalo: ZaloChannel | None = None
    readiness: Readiness | None = None
    metrics_http: HttpServer | None = None
    services: list[Service] = field(default_factory=list)
    _started: list[Service] = field(default_factory=list)

    def channels_started(self) -> dict[str, bool]:
        """Each configured messenger channel: has it started?"""
        started = {service.name for service in self._started}
        return {
            service.name: service.name in started
            for service in self.services
            if service.name in CHANNELS
        }

    async def start(self) -> None:
        """Start every service in order; if one fails, stop those already started. Free text
        is understood from the first message: its classifier is trained first, in a thread."""
        await asyncio.to_thread(intents.prepare)
        try:
            for service in self.services:
                await service.start()
                self._started.append(service)
                logger.info("started %s", service.name)
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        while self._started:
            service = self._started.pop()
            try:
                await service.stop()
            except Exception:
                logger.exception("stopping %s failed", service.name)
        if self.telegram is not None:
            await self.telegram.application.shutdown()
        await self.engine.dispose()


async def build_app(settings: Settings) -> App:
    """Assemble the service. With a Telegram token, the bot is asked who it is (getMe) first,
    so deep links in replies carry its username."""
    if settings.telegram_webhook_url and settings.telegram_webhook_secret is None:
        raise ValueError("CANBO_TELEGRAM_WEBHOOK_URL needs CANBO_TELEGRAM_WEBHOOK_SECRET")
    reach.configure(reach.Setup.of(settings.zns_ready, settings.chat_failing_days))
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    metrics = Metrics()
    application = build_application(settings, engine) if settings.telegram_token else None
    if application is not None:
        await application.initialize()
    config = conversation_config(settings)
    if application is not None:  # the bot's own answer beats a configured name
        config = replace(config, bot_username=application.bot.username)
    conversation = Conversation(sessions, config)
    lease = timedelta(seconds=settings.inbox_lease)
    intake = Intake(engine, lease)
    telegram = (
        TelegramChannel(application, conversation, settings, metrics, intake)
        if application is not None
        else None
    )
    media = MediaLinks(sessions, public_url(settings))
    zalo = zalo_channel(settings, conversation, sessions, metrics, media, intake)
    jobs = reminder_jobs(settings, engine)
    dispatcher = jobs.dispatcher
    app: App  # assembled below; /readyz asks it which channels have started
    readiness = Readiness(
        engine,
        lambda: app.channels_started(),
        dispatcher.worker if dispatcher is not None else None,
        dispatcher.lock if dispatcher is not None else None,
    )
    routes = [
        *health_routes(readiness),
        *web_chat(settings, conversation, sessions, media).routes(),
        media.route(),
    ]
    if zalo is not None and zalo.webhook_mode:
        refused = partial(metrics.inc, "canbo_webhook_rejected_total", Channel.ZALO.value)
        routes.append(Route("POST", ZALO_WEBHOOK_PATH, json_only(zalo.webhook, refused)))
    if telegram is not None and telegram.webhook_mode:
        refused = partial(metrics.inc, "canbo_webhook_rejected_total", Channel.TELEGRAM.value)
        routes.append(Route("POST", WEBHOOK_PATH, json_only(telegram.webhook, refused)))
    console = ConsoleConfig(
        sessions,
        config.standards.on,
        settings.zone,
        settings.locale,
        settings.proxies,
        settings.https,
        settings.link_code_days,
        config.bot_username,
        settings.messengers,
    )
    http = HttpServer(
        build_web_app(routes, {CONSOLE_PREFIX: console_app(console)}),
        settings.http_host,
        settings.http_port,
    )
    app = App(settings, engine, sessions, metrics, conversation, telegram, http, zalo, readiness)
    if settings.metrics_port is not None:
        token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
        app.metrics_http = HttpServer(
            metrics_app(metrics, sessions, token),
            settings.metrics_host,
            settings.metrics_port,
            "CANBO_METRICS_PORT",
        )
        app.services.append(Service("metrics", app.metrics_http.start, app.metrics_http.stop))
    app.services.append(Service("http", http.start, http.stop))
    if telegram is not None:
        app.services.append(Service("telegram", telegram.start, telegram.stop))
    if zalo is not None:
        app.services.append(Service("zalo", zalo.start, zalo.stop))
    redeliver: dict[Channel, Redeliver] = {}
    if telegram is not None:
        redeliver[Channel.TELEGRAM] = telegram.redeliver
    if zalo is not None:
        redeliver[Channel.ZALO] = zalo.redeliver
    if redeliver:  # after the channels: what it hands over goes to running ones
        sweeper = Sweeper(sessions, lease, redeliver)
        app.services.append(Service("inbox sweeper", sweeper.start, sweeper.stop))
    app.services.append(Service("reminders", jobs.start, jobs.stop))
    return app


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM (or ``stop`` is set), then shut down cleanly."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not main thread
            loop.add_signal_handler(sig, stop.set)
    app = await build_app(settings)
    await app.start()
    try:
        await stop.wait()
    finally:
        logger.info("stopping")
        await app.stop()
