"""`canbo link-code issue (--official CODE | --unit UNIT [--xlsx FILE] [--pdf FILE])`: one-time
codes that link a chat to an official; for a unit, one for every official under it whose chat is
not linked yet, as a sheet and printable slips (bot/link_slips.py).

Issuing again replaces an official's unused code; officials already linked are left alone.
Codes are printed or written to the files asked for, never logged; the audit log records who
issued how many, for whom.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands.database import open_session
from bot.commands.officials import official_or_complain
from bot.commands.running import add_actions, cli_actor, synchronous
from bot.commands.unit_choice import unit_or_complain
from bot.link_slips import deep_link, issue_slips, slips_pdf, slips_workbook, unlinked
from bot.settings import Settings
from handlers.linking import issue_code
from locales import Translator, translator
from storage.audit import record
from storage.models import Unit
from storage.types import utcnow


def register(sub: argparse._SubParsersAction[Any]) -> None:
    actions = add_actions(sub, "link-code", "one-time codes that link a chat to an official")
    issue = actions.add_parser(
        "issue",
        help="a new code for an official, or for every unlinked official of a unit",
        description="Issuing again replaces an official's unused code; linked officials are "
        "left alone.",
    )
    who = issue.add_mutually_exclusive_group(required=True)
    who.add_argument("--official", metavar="CODE", help="the official's code")
    who.add_argument(
        "--unit", metavar="UNIT", help="every official under this unit without a linked chat"
    )
    issue.add_argument(
        "--xlsx", type=Path, metavar="FILE", help="with --unit: the codes as a sheet"
    )
    issue.add_argument(
        "--pdf", type=Path, metavar="FILE", help="with --unit: printable slips with QR codes"
    )
    issue.add_argument(
        "--bot-username",
        help="the Telegram bot's username for the deep link (default: CANBO_TELEGRAM_BOT_USERNAME)",
    )
    issue.set_defaults(run=_issue)


@synchronous
async def _issue(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    username = (args.bot_username or settings.telegram_bot_username or "").lstrip("@")
    async with open_session(settings) as session:
        if args.unit is None:
            if args.xlsx or args.pdf:
                print(_("--xlsx and --pdf go with --unit."), file=sys.stderr)
                return 1
            return await _one(session, args.official, username, settings, _)
        if args.pdf and not username:
            print(
                _(
                    "Slips need the bot's username for their QR codes: set "
                    "CANBO_TELEGRAM_BOT_USERNAME or pass --bot-username."
                ),
                file=sys.stderr,
            )
            return 1
        return await _unit(session, args, username, settings, _)


async def _one(
    session: AsyncSession, code: str, username: str, settings: Settings, _: Translator
) -> int:
    official = await official_or_complain(session, code, _)
    if official is None:
        return 1
    link_code = await issue_code(session, official, utcnow(), settings.link_code_days)
    record(session, cli_actor(), "link_code.issue", official.code, count=1)
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
    print(link_code)
    if username:
        print(deep_link(username, link_code))
    return 0


async def _unit(
    session: AsyncSession,
    args: argparse.Namespace,
    username: str,
    settings: Settings,
    _: Translator,
) -> int:
    unit = await unit_or_complain(session, args.unit, _)
    if unit is None:
        return 1
    officials = await unlinked(session, Unit.path.startswith(unit.path))
    now = utcnow()
    slips = await issue_slips(session, officials, now, settings.link_code_days, username, _)
    expires = (now + timedelta(days=settings.link_code_days)).astimezone(settings.zone).date()
    files = []
    if args.xlsx:
        args.xlsx.write_bytes(slips_workbook(slips, expires, _))
        files.append(str(args.xlsx))
    if args.pdf:
        args.pdf.write_bytes(slips_pdf(slips, expires, username, _))
        files.append(str(args.pdf))
    record(session, cli_actor(), "link_code.issue", unit.code, count=len(slips), files=files)
    await session.commit()
    if not files:
        for slip in slips:
            print("\t".join([slip.official_code, slip.name, slip.link_code, slip.link]))
    print(
        _.plural(
            "{n} link code issued for the officials of {unit} without a linked chat.",
            "{n} link codes issued for the officials of {unit} without a linked chat.",
            len(slips),
            unit=unit.name,
        ),
        file=sys.stderr if not files else sys.stdout,
    )
    return 0
