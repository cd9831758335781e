"""`canbo status CODE [--lang en] [--on DATE]`: an official's standards status, exactly as the
bot sends it; an operator reading someone's record, so it is audited."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from bot.commands.database import open_session
from bot.commands.officials import official_or_complain
from bot.commands.running import cli_actor, synchronous
from bot.conversation import conversation_config
from bot.settings import Settings
from handlers.status import status_text
from locales import LANGUAGES, translator
from storage.audit import record


def _day(text: str) -> date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"expected a date like 01/08/2028 or 2028-08-01: {text!r}")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("status", help="print an official's standards status")
    parser.add_argument("code", metavar="CODE", help="the official's code")
    parser.add_argument("--lang", choices=LANGUAGES, help="language (default: CANBO_LOCALE)")
    parser.add_argument("--on", type=_day, help="the day to judge on (default: today)")
    parser.set_defaults(run=_status)


@synchronous
async def _status(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(args.lang or settings.locale)
    on = args.on or datetime.now(settings.zone).date()
    profile = conversation_config(settings).standards.on(on)
    async with open_session(settings) as session:
        official = await official_or_complain(session, args.code, _)
        if official is None:
            return 1
        text = await status_text(session, official, profile, on, _)
        record(session, cli_actor(), "report.status", official.code, on=on.isoformat())
        await session.commit()
    print(text)
    return 0
