"""`canbo status CODE [--lang en] [--on DATE]`: an official's standards status, exactly as the
bot sends it."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, datetime
from typing import Any

from bot.conversation import conversation_config
from bot.settings import Settings
from handlers.records import official_by_code
from handlers.status import status_text
from locales import LANGUAGES, translator
from rules.profiles import load_profile
from storage.db import create_engine, session_factory


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


def _status(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_status_async(args, settings))


async def _status_async(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(args.lang or settings.locale)
    config = conversation_config(settings)
    profile = load_profile(config.profile_name, config.profile_override)
    on = args.on or datetime.now(settings.zone).date()
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            official = await official_by_code(session, args.code)
            if official is None:
                print(_("No official has the code {code}.", code=args.code), file=sys.stderr)
                return 1
            print(await status_text(session, official, profile, on, _))
    finally:
        await engine.dispose()
    return 0
