"""`canbo link-code issue --official CODE`: a one-time code that links a chat to an official."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.settings import Settings
from handlers.linking import issue_code
from handlers.records import official_by_code
from locales import translator
from storage.db import create_engine, session_factory
from storage.types import utcnow


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("link-code", help="one-time codes that link a chat to an official")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    issue = actions.add_parser("issue", help="print a new code and its Telegram deep link")
    issue.add_argument("--official", required=True, metavar="CODE", help="the official's code")
    issue.add_argument(
        "--bot-username",
        help="the Telegram bot's username for the deep link (default: CANBO_TELEGRAM_BOT_USERNAME)",
    )
    issue.set_defaults(run=_issue)


def _issue(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_issue_async(args, settings))


async def _issue_async(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    engine = create_engine(settings.database_url)
    try:
        async with session_factory(engine)() as session:
            official = await official_by_code(session, args.official)
            if official is None:
                print(_("No official has the code {code}.", code=args.official), file=sys.stderr)
                return 1
            code = await issue_code(session, official, utcnow(), settings.link_code_days)
            await session.commit()
    finally:
        await engine.dispose()
    print(
        _.plural(
            "One-time link code for {name} ({code}), valid for {n} day:",
            "One-time link code for {name} ({code}), valid for {n} days:",
            settings.link_code_days,
            name=official.full_name,
            code=official.code,
        )
    )
    print(code)
    username = (args.bot_username or settings.telegram_bot_username or "").lstrip("@")
    if username:
        print(f"https://t.me/{username}?start={code}")
    return 0
