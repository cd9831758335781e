"""`canbo run`: start everything configured (HTTP server, channels, other services)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.app import protect_logs, serve
from bot.settings import Settings


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "run",
        help="run the service until stopped",
        description="Serve HTTP (health, metrics, webhooks) and every configured channel: "
        "Telegram by long polling, or by webhook when CANBO_TELEGRAM_WEBHOOK_URL is set. "
        "Stops cleanly on Ctrl-C or SIGTERM.",
    )
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    protect_logs(settings)
    asyncio.run(serve(settings))
    return 0
