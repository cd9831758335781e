"""`canbo run`: start everything configured (HTTP server, channels, other services)."""

from __future__ import annotations

import argparse
from typing import Any

from bot import event_loop
from bot.app import serve
from bot.settings import Settings


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "run",
        help="run the service until stopped",
        description="Serve HTTP (the web chat at /, health, metrics, webhooks), every "
        "configured messenger (Telegram and Zalo: long polling, or webhooks when "
        "CANBO_TELEGRAM_WEBHOOK_URL / CANBO_ZALO_WEBHOOK_URL are set), the daily reminder "
        "planner and the outbox dispatcher. Stops cleanly on Ctrl-C or SIGTERM.",
    )
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    event_loop.run(serve(settings))
    return 0
