"""`canbo outbox dispatch [--once]`: deliver queued messages through the configured messenger,
within its rate limits; one dispatcher per bot account sends at a time, others stand by."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import Any

from bot import event_loop
from bot.channels.telegram_delivery import build_dispatcher
from bot.commands.database import open_engine
from bot.commands.running import add_actions
from bot.settings import Settings
from locales import translator


def register(sub: argparse._SubParsersAction[Any]) -> None:
    actions = add_actions(sub, "outbox", "deliver queued messages")
    dispatch = actions.add_parser(
        "dispatch",
        help="send what is due; with --once stop when nothing more is due, else run until stopped",
    )
    dispatch.add_argument("--once", action="store_true", help="deliver what is due now, then exit")
    dispatch.add_argument(
        "--concurrency",
        type=int,
        help="messages in flight at once (default: CANBO_DISPATCH_CONCURRENCY, 4)",
    )
    dispatch.set_defaults(run=_dispatch)


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    return event_loop.run(_dispatch_async(args, settings))


async def _dispatch_async(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    if args.concurrency is not None and args.concurrency < 1:
        print(_("--concurrency must be at least 1."), file=sys.stderr)
        return 2
    async with open_engine(settings) as engine:
        dispatcher = build_dispatcher(settings, engine, args.concurrency)
        try:
            if args.once:
                report = await dispatcher.drain()
                if report is None:
                    print(_("Another dispatcher is active for this bot; try again later."))
                    return 1
                print(
                    _(
                        "Sent {sent} in {messages} messages; to retry later {retried}; failed "
                        "{failed}; unreachable {unreachable}; cancelled {cancelled}; "
                        "waiting for quiet hours to end {deferred}.",
                        sent=report.sent,
                        messages=report.messages,
                        retried=report.retried,
                        failed=report.failed,
                        unreachable=report.unreachable,
                        cancelled=report.cancelled,
                        deferred=report.deferred,
                    )
                )
                return 0
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(sig, stop.set)
            await dispatcher.run(stop)
            return 0
        finally:
            await dispatcher.close()
