"""`canbo console link --official CODE`: a one-time sign-in link to the browser console for a
coordinator or admin, valid 15 minutes (storage/console.py). Printed, never logged; the audit
log records that one was issued, and for whom."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.commands.database import open_session
from bot.commands.officials import official_or_complain
from bot.commands.running import add_actions, cli_actor, synchronous
from bot.media import service_url
from bot.settings import Settings
from locales import translator
from storage import console
from storage.access import scope_of
from storage.types import utcnow


def register(sub: argparse._SubParsersAction[Any]) -> None:
    actions = add_actions(sub, "console", "the coordinators' browser console")
    link = actions.add_parser(
        "link", help="print a one-time sign-in link for a coordinator (valid 15 minutes)"
    )
    link.add_argument("--official", required=True, metavar="CODE")
    link.set_defaults(run=_link)


@synchronous
async def _link(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    async with open_session(settings) as session:
        official = await official_or_complain(session, args.official, _)
        if official is None:
            return 1
        if await scope_of(session, official.id) is None:
            print(
                _(
                    "{name} ({code}) holds no coordinator or admin role: grant one first "
                    "(canbo roles grant).",
                    name=official.full_name,
                    code=official.code,
                ),
                file=sys.stderr,
            )
            return 1
        token = await console.issue_sign_in(session, official, cli_actor(), utcnow())
        await session.commit()
    print(console.sign_in_url(service_url(settings), token))
    print(_("The link works once, within 15 minutes."))
    return 0
