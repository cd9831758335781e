"""`canbo link-code issue --official CODE`: a one-time code that links a chat to an official."""

from __future__ import annotations

import argparse
from typing import Any

from bot.commands.database import open_session
from bot.commands.officials import official_or_complain
from bot.commands.running import add_actions, synchronous
from bot.settings import Settings
from handlers.linking import issue_code
from locales import translator
from storage.types import utcnow


def register(sub: argparse._SubParsersAction[Any]) -> None:
    actions = add_actions(sub, "link-code", "one-time codes that link a chat to an official")
    issue = actions.add_parser("issue", help="print a new code and its Telegram deep link")
    issue.add_argument("--official", required=True, metavar="CODE", help="the official's code")
    issue.add_argument(
        "--bot-username",
        help="the Telegram bot's username for the deep link (default: CANBO_TELEGRAM_BOT_USERNAME)",
    )
    issue.set_defaults(run=_issue)


@synchronous
async def _issue(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    async with open_session(settings) as session:
        official = await official_or_complain(session, args.official, _)
        if official is None:
            return 1
        code = await issue_code(session, official, utcnow(), settings.link_code_days)
        await session.commit()
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
