"""`canbo zns token`: store a refresh token from a new authorisation of the Official Account.

The OA's refresh token is good for one use and 3 months (docs/ZALO.md); the service rotates it
in the database. When Zalo refuses it (unused for 3 months, revoked), authorise the OA again and
give the new one here. It is read from standard input, so it stays out of the shell's history
and the process list, and it is never printed or logged; the audit log records who replaced it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.channels.zns_tokens import OaApp, OaTokens
from bot.commands.database import open_engine
from bot.commands.running import add_actions, cli_actor, synchronous
from bot.settings import Settings
from locales import translator
from storage.audit import record
from storage.db import session_factory


def register(sub: argparse._SubParsersAction[Any]) -> None:
    actions = add_actions(sub, "zns", "the Zalo Official Account that sends ZNS messages")
    token = actions.add_parser(
        "token",
        help="store a new refresh token for the OA, read from standard input",
        description="Authorise the Official Account again, then pipe or type the refresh "
        "token it gives: canbo zns token < token.txt",
    )
    token.set_defaults(run=_token)


@synchronous
async def _token(args: argparse.Namespace, settings: Settings) -> int:
    _ = translator(settings.locale)
    if settings.zns_app_id is None or settings.zns_secret_key is None:
        print(
            _("ZNS is not set up: set CANBO_ZNS_APP_ID and CANBO_ZNS_SECRET_KEY."), file=sys.stderr
        )
        return 1
    given = sys.stdin.readline().strip()
    if not given or any(character.isspace() for character in given):
        print(_("No refresh token was given on standard input."), file=sys.stderr)
        return 1
    app = OaApp(
        settings.zns_app_id, settings.zns_secret_key.get_secret_value(), settings.zns_oauth_url
    )
    async with open_engine(settings) as engine, session_factory(engine)() as session:
        tokens = OaTokens(session_factory(engine), app)
        await tokens.replace(session, given)
        record(session, cli_actor(), "zns.token", settings.zns_app_id)
        await session.commit()
    print(_("The OA's refresh token is stored; the next ZNS message refreshes the access token."))
    return 0
